/**
 * Evaluates one table's chain at one netfilter hook for one packet: the verdict, the rule or
 * policy that decided it, the counters to add and the LOG rules passed on the way.
 *
 * Source of truth: iptables(8), "TARGETS" (a jump returns at the end of the chain or at RETURN;
 * a goto does not come back; RETURN in a built-in chain applies its policy), and the match
 * semantics of iptables-extensions(8). A rule's counters grow whenever all its matches hold,
 * whatever its target does; the policy counters grow when the policy decides. LOG never ends
 * the walk. In the nat table a packet that no NAT target catches is accepted unchanged.
 *
 * This module is pure: it reads the ruleset and returns what to change. The packet engine calls
 * it at PREROUTING, INPUT, FORWARD, OUTPUT and POSTROUTING and applies `hits` with
 * {@link addCounters} inside its own draft.
 */
import type { AddrType, CtState, Match } from "./match.js";
import { ICMP_ANY } from "./match.js";
import { formatRule } from "./rule-text.js";
import type {
  AddrMatch,
  Hook,
  IfaceMatch,
  Rule,
  RuleSpec,
  Ruleset,
  Table,
  TableName,
} from "./ruleset.js";
import type { RejectWith, Target } from "./target.js";

/** The packet fields the evaluation reads at one hook. */
export interface NfPacket {
  /** The link the packet came in on (`-i`); absent for locally generated packets. */
  inLink?: string;
  /** The link the packet leaves by (`-o`); absent before routing and on local delivery. */
  outLink?: string;
  /** For a bridged packet, the bridge port it came in on (`--physdev-in`). */
  physIn?: string;
  /** For a bridged packet, the bridge port it leaves by (`--physdev-out`). */
  physOut?: string;
  src: number;
  dst: number;
  /** The IP protocol number (1 ICMP, 6 TCP, 17 UDP, ...). */
  proto: number;
  /** TCP or UDP ports. A rule with a port match never matches a packet without them. */
  sport?: number;
  dport?: number;
  icmpType?: number;
  icmpCode?: number;
  /** The TCP header's flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10). */
  tcpFlags?: number;
  /**
   * The packet's conntrack state. A packet without a conntrack entry counts as INVALID. A rule
   * with a conntrack or state match switches tracking on in its namespace, so once one exists
   * the engine must track connections there.
   */
  ctState: Exclude<CtState, "SNAT" | "DNAT">;
  /** Whether the packet's connection has its source or destination translated. */
  ctNat?: { isSnat: boolean; isDnat: boolean };
  /** The route types of the source and destination addresses, needed only by `-m addrtype`. */
  srcType?: AddrType;
  dstType?: AddrType;
  /** The packet's IP length in bytes, which the byte counters add. */
  length: number;
}

/** A rule or policy that acted on a packet, as `iptables -S` prints it. */
export interface NfRuleRef {
  table: TableName;
  chain: string;
  /** The 1-based rule number (`--line-numbers`), or undefined for the chain's policy. */
  ruleNumber?: number;
  /** `-A CHAIN ...` for a rule, `-P CHAIN POLICY` for a policy. */
  text: string;
}

/** A counter to increase: one packet of `bytes` on a rule, or on a policy when no ruleNumber. */
export interface NfCounterHit {
  table: TableName;
  chain: string;
  ruleNumber?: number;
  bytes: number;
}

/** The end of a hook's chain for one packet: a verdict, or a NAT target in the nat table. */
export type NfVerdict =
  | { kind: "ACCEPT" }
  | { kind: "DROP" }
  | { kind: "REJECT"; with: RejectWith }
  | Extract<Target, { kind: "SNAT" | "DNAT" | "MASQUERADE" }>;

/** The outcome of {@link evaluate}. */
export interface NfResult {
  verdict: NfVerdict;
  /** The rule or policy that decided, or undefined when the table does not exist. */
  decidedBy?: NfRuleRef;
  /** Counters to add, in the order the rules matched, the deciding one last. */
  hits: NfCounterHit[];
  /** LOG rules the packet matched on the way, in order. */
  logs: NfRuleRef[];
}

/** Deeper nesting than this means a jump loop slipped past validation: a bug, not a verdict. */
const MAX_JUMP_DEPTH = 64;

interface Frame {
  chain: string;
  index: number;
}

/**
 * Evaluates built-in chain `hook` of table `tableName` for `packet`.
 *
 * When the ruleset or the table does not exist, nothing is hooked: the verdict is ACCEPT with
 * no decider and no counters. The hook must be one of the table's built-in chains.
 *
 * @throws Error when a rule uses `-m addrtype` and the packet lacks the type it needs. Also
 *   when the table has no built-in chain `hook`. Both are bugs in the caller.
 */
export function evaluate(
  ruleset: Ruleset | undefined,
  tableName: TableName,
  hook: Hook,
  packet: NfPacket,
): NfResult {
  const table = ruleset?.tables[tableName];
  if (table === undefined) return { verdict: { kind: "ACCEPT" }, hits: [], logs: [] };
  const base = table.chains[hook];
  if (base?.policy === undefined)
    throw new Error(`table ${tableName} has no built-in chain ${hook}`);
  const walk = new ChainWalk(table, hook, packet);
  return walk.run();
}

/** The state of one evaluation: the frames of the jumps taken and what was collected. */
class ChainWalk {
  private readonly stack: Frame[] = [];
  private frame: Frame;
  private readonly hits: NfCounterHit[] = [];
  private readonly logs: NfRuleRef[] = [];

  constructor(
    private readonly table: Table,
    private readonly hook: Hook,
    private readonly packet: NfPacket,
  ) {
    this.frame = { chain: hook, index: 0 };
  }

  run(): NfResult {
    for (;;) {
      const chain = this.table.chains[this.frame.chain]!;
      const rule = chain.rules[this.frame.index];
      if (rule === undefined) {
        if (!this.returnToCaller()) return this.policy();
        continue;
      }
      const ruleNumber = ++this.frame.index;
      if (!matchesSpec(rule.spec, this.packet)) continue;
      const ref = this.refOf(rule, ruleNumber);
      this.hits.push({
        table: this.table.name,
        chain: ref.chain,
        ruleNumber,
        bytes: this.packet.length,
      });
      const result = this.apply(rule.spec.target, ref);
      if (result !== undefined) return result;
    }
  }

  /** Applies a matched rule's target and returns the result when the target ends the walk. */
  private apply(target: Target | undefined, ref: NfRuleRef): NfResult | undefined {
    if (target === undefined) return undefined;
    switch (target.kind) {
      case "LOG":
        this.logs.push(ref);
        return undefined;
      case "RETURN":
        return this.returnToCaller() ? undefined : this.policy();
      case "jump":
        if (!target.isGoto) this.stack.push(this.frame);
        if (this.stack.length > MAX_JUMP_DEPTH)
          throw new Error(`jump loop through ${target.chain}`);
        this.frame = { chain: target.chain, index: 0 };
        return undefined;
      case "ACCEPT":
      case "DROP":
        return this.decide({ kind: target.kind }, ref);
      case "REJECT":
        return this.decide({ kind: "REJECT", with: target.with }, ref);
      default:
        return this.decide(target, ref);
    }
  }

  /** Goes back to the rule after the last jump. Returns false when no jump is left. */
  private returnToCaller(): boolean {
    const caller = this.stack.pop();
    if (caller === undefined) return false;
    this.frame = caller;
    return true;
  }

  private policy(): NfResult {
    const base = this.table.chains[this.hook]!;
    const policy = base.policy!;
    const text = `-P ${this.hook} ${policy}`;
    this.hits.push({ table: this.table.name, chain: this.hook, bytes: this.packet.length });
    return this.decide({ kind: policy }, { table: this.table.name, chain: this.hook, text });
  }

  private decide(verdict: NfVerdict, decidedBy: NfRuleRef): NfResult {
    return { verdict, decidedBy, hits: this.hits, logs: this.logs };
  }

  private refOf(rule: Rule, ruleNumber: number): NfRuleRef {
    const chain = this.frame.chain;
    return { table: this.table.name, chain, ruleNumber, text: formatRule(chain, rule.spec) };
  }
}

/**
 * Adds the counters an evaluation returned to `ruleset` (an immer draft). Hits on rules or
 * tables that no longer exist are skipped, and so are policy hits on a chain without policy
 * counters, or in the nat table, whose policy counters stayed 0 on Linux 6.18 even after `-P`.
 */
export function addCounters(ruleset: Ruleset, hits: readonly NfCounterHit[]): void {
  for (const hit of hits) {
    const chain = ruleset.tables[hit.table]?.chains[hit.chain];
    if (chain === undefined) continue;
    const isPolicy = hit.ruleNumber === undefined;
    if (isPolicy && (chain.hasPolicyCounters !== true || hit.table === "nat")) continue;
    const counters = isPolicy ? chain.counters : chain.rules[hit.ruleNumber! - 1]?.counters;
    if (counters === undefined) continue;
    counters.packets += 1;
    counters.bytes += hit.bytes;
  }
}

/**
 * Returns the rules of built-in chain `hook` that would match `packet` but for an `-i` or `-o`
 * that names a link `hasLink` does not know: the usual trace of a typo in a link name. Each comes
 * with its number and its `-A` text.
 */
export function missesByMissingLink(
  ruleset: Ruleset | undefined,
  tableName: TableName,
  hook: Hook,
  packet: NfPacket,
  hasLink: (name: string) => boolean,
): { ruleNumber: number; text: string; name: string }[] {
  const chain = ruleset?.tables[tableName]?.chains[hook];
  const misses: { ruleNumber: number; text: string; name: string }[] = [];
  chain?.rules.forEach((rule, index) => {
    const { inIface, outIface } = rule.spec;
    const missing = [inIface, outIface].find(
      (iface) =>
        iface !== undefined &&
        !iface.isInverted &&
        !iface.name.endsWith("+") &&
        !hasLink(iface.name),
    );
    if (missing === undefined || matchesSpec(rule.spec, packet)) return;
    const loose = { ...rule.spec, inIface: undefined, outIface: undefined };
    if (!matchesSpec(loose, packet)) return;
    misses.push({ ruleNumber: index + 1, text: formatRule(hook, rule.spec), name: missing.name });
  });
  return misses;
}

/** Reports whether every part of a rule's selector holds for `packet`. */
export function matchesSpec(spec: RuleSpec, packet: NfPacket): boolean {
  if (spec.src !== undefined && !matchesAddr(spec.src, packet.src)) return false;
  if (spec.dst !== undefined && !matchesAddr(spec.dst, packet.dst)) return false;
  if (spec.inIface !== undefined && !matchesIface(spec.inIface, packet.inLink)) return false;
  if (spec.outIface !== undefined && !matchesIface(spec.outIface, packet.outLink)) return false;
  if (spec.proto !== undefined && (spec.proto.number === packet.proto) === spec.proto.isInverted) {
    return false;
  }
  return spec.matches.every((match) => matchesMatch(match, packet));
}

function matchesAddr(match: AddrMatch, addr: number): boolean {
  return ((addr & match.mask) >>> 0 === match.addr) !== match.isInverted;
}

/** Compares a link name with `-i`/`-o`; a trailing `+` matches any name with that prefix. */
function matchesIface(match: IfaceMatch, name: string | undefined): boolean {
  const actual = name ?? "";
  const isEqual = match.name.endsWith("+")
    ? actual.startsWith(match.name.slice(0, -1))
    : actual === match.name;
  return isEqual !== match.isInverted;
}

function inRange(value: number | undefined, min: number, max: number): boolean {
  return value !== undefined && value >= min && value <= max;
}

function matchesMatch(match: Match, packet: NfPacket): boolean {
  switch (match.kind) {
    case "tcp":
    case "udp":
      return matchesPorts(match, packet);
    case "icmp": {
      if (packet.proto !== 1 || packet.icmpType === undefined) return false;
      const isType = match.type === ICMP_ANY || match.type === packet.icmpType;
      const isCode =
        match.type === ICMP_ANY || inRange(packet.icmpCode, match.codeMin, match.codeMax);
      return (isType && isCode) !== match.isInverted;
    }
    case "multiport":
      return matchesMultiport(match, packet);
    case "conntrack":
    case "state":
      return match.states.some((state) => hasCtState(packet, state)) !== match.isInverted;
    case "physdev":
      return matchesPhysdev(match, packet);
    case "addrtype":
      return matchesAddrType(match, packet);
    case "comment":
      return true;
  }
}

function matchesPorts(match: Extract<Match, { kind: "tcp" | "udp" }>, packet: NfPacket): boolean {
  if (packet.proto !== (match.kind === "tcp" ? 6 : 17)) return false;
  for (const [range, port] of [
    [match.sport, packet.sport],
    [match.dport, packet.dport],
  ] as const) {
    if (range !== undefined && inRange(port, range.min, range.max) === range.isInverted)
      return false;
  }
  const flags = match.kind === "tcp" ? match.tcpFlags : undefined;
  if (flags !== undefined) {
    const isEqual = ((packet.tcpFlags ?? 0) & flags.mask) === flags.comp;
    if (isEqual === flags.isInverted) return false;
  }
  return true;
}

function matchesMultiport(match: Extract<Match, { kind: "multiport" }>, packet: NfPacket): boolean {
  if (packet.sport === undefined || packet.dport === undefined) return false;
  const ports =
    match.direction === "sports"
      ? [packet.sport]
      : match.direction === "dports"
        ? [packet.dport]
        : [packet.sport, packet.dport];
  const isHit = match.ports.some((range) =>
    ports.some((port) => inRange(port, range.min, range.max)),
  );
  return isHit !== match.isInverted;
}

function hasCtState(packet: NfPacket, state: CtState): boolean {
  if (state === "SNAT") return packet.ctNat?.isSnat === true;
  if (state === "DNAT") return packet.ctNat?.isDnat === true;
  return packet.ctState === state;
}

/**
 * A packet that was not bridged fails every physdev test that is not inverted and passes every
 * inverted one (net/netfilter/xt_physdev.c); a bridged one is tested port by port.
 */
function matchesPhysdev(match: Extract<Match, { kind: "physdev" }>, packet: NfPacket): boolean {
  const isBridged = packet.physIn !== undefined || packet.physOut !== undefined;
  const tests: [{ isInverted: boolean } | undefined, () => boolean][] = [
    [match.isBridged, () => packet.physOut !== undefined],
    [match.isIn, () => packet.physIn !== undefined],
    [match.isOut, () => packet.physOut !== undefined],
    [
      match.in,
      () =>
        match.in !== undefined && matchesIface({ ...match.in, isInverted: false }, packet.physIn),
    ],
    [
      match.out,
      () =>
        match.out !== undefined &&
        matchesIface({ ...match.out, isInverted: false }, packet.physOut),
    ],
  ];
  return tests.every(([test, holds]) => {
    if (test === undefined) return true;
    if (!isBridged) return test.isInverted;
    return holds() !== test.isInverted;
  });
}

function matchesAddrType(match: Extract<Match, { kind: "addrtype" }>, packet: NfPacket): boolean {
  for (const [test, type, side] of [
    [match.src, packet.srcType, "srcType"],
    [match.dst, packet.dstType, "dstType"],
  ] as const) {
    if (test === undefined) continue;
    if (type === undefined) throw new Error(`-m addrtype needs the packet's ${side}`);
    if (test.types.includes(type) === test.isInverted) return false;
  }
  return true;
}
