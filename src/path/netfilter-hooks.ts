/**
 * The netfilter hooks on the packet path: connection tracking, the nat table's address
 * rewrites and the filter table's verdicts, in the kernel's order at each hook. Every hook a
 * packet passes with a table behind it adds a hop; every rewrite adds one more.
 *
 * Sources: include/uapi/linux/netfilter_ipv4.h (priorities: conntrack -200, nat destination
 * -100, filter 0, nat source 100, confirmation last), net/ipv4/ip_input.c, ip_forward.c and
 * ip_output.c (PREROUTING before input routing, INPUT before local delivery, FORWARD after the
 * TTL check, OUTPUT after the output route and a new route when nat OUTPUT changed the
 * destination, POSTROUTING before the neighbour layer), net/netfilter/nf_nat_core.c (the nat
 * chain sees only a flow's first packet) and net/bridge/br_netfilter_hooks.c (bridged frames
 * pass the IPv4 hooks with the bridge as in and out link).
 *
 * The conntrack lookup a packet got in a namespace travels with its trace, as `skb->_nfct`
 * travels with the packet, until the packet leaves the namespace.
 */
import { formatIp4 } from "../addr/ip4.js";
import type { CtLookup } from "../netfilter/conntrack.js";
import { confirm, isTracking, track } from "../netfilter/conntrack.js";
import type { NfPacket, NfResult } from "../netfilter/evaluate.js";
import { addCounters, evaluate, missesByMissingLink } from "../netfilter/evaluate.js";
import type { ManipKind } from "../netfilter/nat.js";
import {
  bindDestination,
  bindNull,
  bindSource,
  rewriteError,
  rewriteFor,
  rewritePacket,
} from "../netfilter/nat.js";
import type { Hook, TableName } from "../netfilter/ruleset.js";
import { SCOPE_UNIVERSE } from "../fib/route.js";
import type { Link, Netns } from "../netns/state.js";
import { findLink } from "../netns/state.js";
import type { IcmpPacket, Packet, Tcp } from "../wire/ipv4.js";
import { ICMP_DEST_UNREACH, ipLength, isIcmpError } from "../wire/ipv4.js";
import { answerText, sendIcmpError } from "./icmp.js";
import { selectSource } from "./output-route.js";
import { sendReset } from "./tcp.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
import type { PacketTrace } from "./verdict.js";
import { addrType, rejectCode } from "./netfilter-packet.js";

/** The links a hook sees: `-i`, `-o`, and for a bridged frame its ports (`-m physdev`). */
export interface HookLinks {
  in?: Link;
  out?: Link;
  physIn?: Link;
  physOut?: Link;
  /** For POSTROUTING: the nexthop, which MASQUERADE needs to pick the source address. */
  nexthop?: number;
}

/** The conntrack result of a packet in one namespace, kept until the packet leaves it. */
interface Pass {
  nsId: number;
  lookup?: CtLookup;
  /** Set once br_netfilter ran PREROUTING, so the bridge's own IP input skips it. */
  isPreroutedByBridge?: boolean;
  /** The rewrites whose nat chain already ran for this packet (`nf_nat_initialized`). */
  natDone: Set<ManipKind>;
  /** Set when the packet's entry was already confirmed, so PREROUTING or OUTPUT updated it. */
  isEntryUpdated?: boolean;
}

const passes = new WeakMap<PacketTrace, Pass>();

/**
 * Runs the hook `hook` of `ns` for `packet`. Returns the packet to go on with, rewritten when
 * NAT applies, or undefined when netfilter ended the trace (a drop or a reject).
 */
export function runHook(
  sim: Sim,
  ns: Netns,
  hook: Hook,
  packet: Packet,
  trace: PacketTrace,
  links: HookLinks,
): Packet | undefined {
  if (hook === "PREROUTING" || hook === "OUTPUT") {
    const pass = startPass(sim, ns, hook, packet, trace, links);
    if (pass === undefined) return packet;
    packet = natStep(sim, ns, hook, packet, trace, links, pass, "dst");
  }
  if (
    hook !== "PREROUTING" &&
    hook !== "POSTROUTING" &&
    !filterStep(sim, ns, hook, packet, trace, links)
  ) {
    return undefined;
  }
  const pass = passes.get(trace);
  const isLast = hook === "POSTROUTING" || hook === "INPUT";
  if (isLast && pass?.nsId === ns.id && pass.lookup !== undefined) {
    packet = natStep(sim, ns, hook, packet, trace, links, pass, "src");
    if (pass.isEntryUpdated !== true) confirmPass(sim, ns, pass.lookup);
  }
  return packet;
}

/**
 * Starts (or for a packet looped through lo or passed up by the bridge, continues) the pass
 * of a packet through `ns`. Returns undefined when PREROUTING has nothing left to do.
 */
function startPass(
  sim: Sim,
  ns: Netns,
  hook: Hook,
  packet: Packet,
  trace: PacketTrace,
  links: HookLinks,
): Pass | undefined {
  const previous = passes.get(trace);
  const isSameNs = previous?.nsId === ns.id;
  if (hook === "PREROUTING" && isSameNs && previous.isPreroutedByBridge === true) {
    delete previous.isPreroutedByBridge;
    return undefined;
  }
  if (hook === "PREROUTING" && isSameNs && links.in?.kind === "loopback") return previous;
  const pass: Pass = { nsId: ns.id, natDone: new Set() };
  passes.set(trace, pass);
  if (!isTracking(ns.netfilter)) return pass;
  const lookup = track(ns.conntrack ?? [], packet, sim.now);
  pass.lookup = lookup;
  // nf_conntrack_in updates an entry that is already in the table at once: its TCP state, its
  // timeout and IPS_SEEN_REPLY change even when a later hook or the routing drops the packet.
  // Only a new entry waits for the last hook, where __nf_conntrack_confirm inserts it.
  const isConfirmed =
    (lookup.state === "NEW" || lookup.state === "ESTABLISHED") &&
    (ns.conntrack ?? []).includes(lookup.entry);
  if (isConfirmed) {
    confirmPass(sim, ns, lookup);
    pass.isEntryUpdated = true;
  }
  if (lookup.state !== "INVALID") {
    const dir = lookup.dir === "orig" ? "original" : "reply";
    sim.hop(trace, ns, "conntrack", `${lookup.state}, ${dir} direction`, links.in?.name);
  } else sim.hop(trace, ns, "conntrack", "INVALID: no flow to attach it to", links.in?.name);
  if (lookup.state !== "INVALID" && lookup.state !== "RELATED" && lookup.isEarlyReset === true) {
    const detail = "a reset before any reply: the entry is deleted";
    sim.hop(trace, ns, "conntrack", detail, links.in?.name);
  }
  return pass;
}

/** Marks the pass of `trace` in `ns` as prerouted by br_netfilter. */
export function markPreroutedByBridge(trace: PacketTrace, ns: Netns): void {
  const pass = passes.get(trace);
  if (pass?.nsId === ns.id) pass.isPreroutedByBridge = true;
}

/** Copies the pass of `trace` to `copy`, a flooded copy of the same frame. */
export function copyPass(trace: PacketTrace, copy: PacketTrace): void {
  const pass = passes.get(trace);
  if (pass !== undefined && copy !== trace) {
    passes.set(copy, { ...pass, natDone: new Set(pass.natDone) });
  }
}

function confirmPass(sim: Sim, ns: Netns, lookup: CtLookup): void {
  if (lookup.state !== "NEW" && lookup.state !== "ESTABLISHED") return;
  confirm((ns.conntrack ??= []), lookup, sim.now);
}

/** Runs the nat table at one hook: binds a new flow, then rewrites the packet by its entry. */
function natStep(
  sim: Sim,
  ns: Netns,
  hook: Hook,
  packet: Packet,
  trace: PacketTrace,
  links: HookLinks,
  pass: Pass,
  kind: ManipKind,
): Packet {
  const lookup = pass.lookup;
  if (lookup === undefined || lookup.state === "INVALID") return packet;
  // Only an unconfirmed entry is bound; later packets of the flow follow its binding.
  const isUnbound = lookup.state === "NEW" && !(ns.conntrack ?? []).includes(lookup.entry);
  if (isUnbound && !pass.natDone.has(kind) && ns.netfilter?.tables.nat !== undefined) {
    pass.natDone.add(kind);
    const nf = nfPacket(sim, ns, packet, links, lookup);
    const result = evaluate(ns.netfilter, "nat", hook, nf);
    addCounters(ns.netfilter, result.hits);
    const detail =
      decisionText("nat", hook, result) +
      missHint(ns, "nat", hook, nf, result) +
      preroutingHint(ns, hook, nf, result);
    sim.hop(trace, ns, "nat", detail, links.out?.name ?? links.in?.name);
    bind(ns, lookup, result, packet, links, kind);
  }
  const rewrite = rewriteFor(lookup.entry, lookup.dir, kind);
  if (rewrite === undefined) return packet;
  const rewritten =
    packet.protocol === "icmp" && isIcmpError(packet.icmp.type)
      ? rewriteError(packet, kind, rewrite)
      : rewritePacket(packet, kind, rewrite);
  const field = kind === "src" ? "source" : "destination";
  const from = endpointText(packet, kind);
  const detail = `${field} ${from} rewritten to ${endpointText(rewritten, kind)} (${lookup.state} flow)`;
  sim.hop(trace, ns, "nat", detail, links.out?.name ?? links.in?.name);
  return rewritten;
}

/** Returns the address of `packet` on side `kind`, with the port for TCP and UDP. */
function endpointText(packet: Packet, kind: ManipKind): string {
  const addr = formatIp4(packet[kind]);
  if (packet.protocol === "icmp") return addr;
  const ports = packet.protocol === "tcp" ? packet.tcp : packet.udp;
  return `${addr}:${kind === "src" ? ports.srcPort : ports.dstPort}`;
}

/** Stores the binding a nat chain's verdict requests on a new entry. */
function bind(
  ns: Netns,
  lookup: CtLookup,
  result: NfResult,
  packet: Packet,
  links: HookLinks,
  kind: ManipKind,
): void {
  if (lookup.state !== "NEW") return;
  const verdict = result.verdict;
  const table = ns.conntrack ?? [];
  // NOTE: a port range (`:PORT-PORT`, MASQUERADE's `--to-ports`) binds its first port; the
  // kernel picks a free port inside the range.
  if (verdict.kind === "DNAT") {
    const { minAddr, minPort } = verdict.range;
    bindDestination(table, lookup.entry, minAddr ?? packet.dst, minPort);
  } else if (verdict.kind === "SNAT") {
    const { minAddr, minPort } = verdict.range;
    bindSource(table, lookup.entry, minAddr ?? packet.src, minPort);
  } else if (verdict.kind === "MASQUERADE" && links.out !== undefined) {
    const near = links.nexthop ?? packet.dst;
    const source = selectSource(ns, links.out, SCOPE_UNIVERSE, near);
    if (source !== undefined) {
      bindSource(table, lookup.entry, source, verdict.minPort);
      lookup.entry.masqIndex = links.out.ifindex;
    }
  } else if (kind === "src") {
    bindNull(table, lookup.entry);
  }
}

/** The filter table at INPUT, FORWARD or OUTPUT: returns false when the packet goes no further. */
function filterStep(
  sim: Sim,
  ns: Netns,
  hook: Hook,
  packet: Packet,
  trace: PacketTrace,
  links: HookLinks,
): boolean {
  if (ns.netfilter?.tables.filter === undefined) return true;
  const pass = passes.get(trace);
  const lookup = pass?.nsId === ns.id ? pass.lookup : undefined;
  const nf = nfPacket(sim, ns, packet, links, lookup);
  const result = evaluate(ns.netfilter, "filter", hook, nf);
  addCounters(ns.netfilter, result.hits);
  const link = (hook === "OUTPUT" ? links.out : links.in)?.name;
  const hint = missHint(ns, "filter", hook, nf, result);
  sim.hop(trace, ns, "filter", decisionText("filter", hook, result) + hint, link);
  const verdict = result.verdict;
  if (verdict.kind === "ACCEPT") return true;
  const by = ruleText(result) + hint;
  if (verdict.kind === "REJECT") {
    reject(sim, ns, packet, trace, links, verdict.with, by, hook === "INPUT");
    return false;
  }
  const message = `${nsLabel(ns)} drops the packet in the filter table's ${hook} chain, ${by}`;
  sim.drop(trace, ns, "NETFILTER_DROP", message, link);
  return false;
}

/** REJECT: the packet is dropped, and the rejecting namespace sends the error it names. */
function reject(
  sim: Sim,
  ns: Netns,
  packet: Packet,
  trace: PacketTrace,
  links: HookLinks,
  type: string,
  by: string,
  isDelivered: boolean,
): void {
  const code = rejectCode(type);
  const link = links.in?.name ?? links.out?.name;
  const rejected = `${nsLabel(ns)} rejects the packet in the filter table, ${by}`;
  if (code === undefined) {
    // tcp-reset (`nf_send_reset`): a reset from the rejecting namespace, unless the segment is
    // itself a reset or the packet is not TCP (iptables only accepts the type with -p tcp).
    const isResettable = packet.protocol === "tcp" && packet.tcp.flags.rst !== true;
    const answer = isResettable
      ? ", and answers with a TCP reset"
      : ", and sends nothing, because a TCP reset answers only TCP segments that are not resets";
    sim.drop(trace, ns, "NETFILTER_DROP", `${rejected}${answer}`, link);
    if (isResettable) sendReset(sim, ns, packet, true);
    return;
  }
  const request = {
    type: ICMP_DEST_UNREACH,
    code,
    trace,
    isDelivered,
    ...(links.in ? { ingress: links.in } : {}),
  };
  const outcome = sendIcmpError(sim, ns, packet, request);
  const message = `${rejected}${answerText(outcome, ICMP_DEST_UNREACH, code)}`;
  sim.drop(trace, ns, "NETFILTER_DROP", message, link);
}

/** Returns how traces name the rule or policy that decided. */
function ruleText(result: NfResult): string {
  const ref = result.decidedBy;
  if (ref === undefined) return "with no rule";
  if (ref.ruleNumber === undefined) return `by the chain's policy (${ref.text})`;
  return `by rule ${ref.ruleNumber} of ${ref.chain} (${ref.text})`;
}

/**
 * Returns, after a decision by a chain's policy, a note for each rule that would have matched
 * but for an `-i` or `-o` naming a link `ns` does not have. That is how a typo in a link name
 * shows.
 */
function missHint(
  ns: Netns,
  table: TableName,
  hook: Hook,
  packet: NfPacket,
  result: NfResult,
): string {
  if (result.decidedBy === undefined || result.decidedBy.ruleNumber !== undefined) return "";
  const hasLink = (name: string): boolean => findLink(ns, name) !== undefined;
  const misses = missesByMissingLink(ns.netfilter, table, hook, packet, hasLink);
  return misses
    .map(
      (miss) =>
        `; rule ${miss.ruleNumber} (${miss.text}) would have matched, but ${nsLabel(ns)} has no link named ${miss.name}`,
    )
    .join("");
}

/**
 * Returns, when nat OUTPUT let a packet this host sends pass unchanged, a note that nat
 * PREROUTING would have translated it: a DNAT rule for a published port does not apply to the
 * host's own connections, which pass OUTPUT instead. The evaluation adds no counters.
 */
function preroutingHint(ns: Netns, hook: Hook, packet: NfPacket, result: NfResult): string {
  if (hook !== "OUTPUT" || result.decidedBy?.ruleNumber !== undefined) return "";
  const prerouting = evaluate(ns.netfilter, "nat", "PREROUTING", packet);
  if (prerouting.verdict.kind !== "DNAT") return "";
  return `; nat PREROUTING would DNAT it ${ruleText(prerouting)}, but packets ${nsLabel(ns)} sends itself pass nat OUTPUT, not PREROUTING`;
}

function decisionText(table: TableName, hook: Hook, result: NfResult): string {
  const verdict = result.verdict.kind;
  return `${table} ${hook}: ${verdict} ${ruleText(result)}`;
}

/** Returns the packet as the rule matches of `ns` read it. */
function nfPacket(
  sim: Sim,
  ns: Netns,
  packet: Packet,
  links: HookLinks,
  lookup: CtLookup | undefined,
): NfPacket {
  const ports =
    packet.protocol === "udp" ? packet.udp : packet.protocol === "tcp" ? packet.tcp : undefined;
  const transport =
    ports === undefined
      ? {
          proto: 1,
          icmpType: (packet as IcmpPacket).icmp.type,
          icmpCode: (packet as IcmpPacket).icmp.code,
        }
      : { proto: packet.protocol === "tcp" ? 6 : 17, sport: ports.srcPort, dport: ports.dstPort };
  const flagBits = packet.protocol === "tcp" ? { tcpFlags: tcpFlagBits(packet.tcp.flags) } : {};
  const nf: NfPacket = {
    src: packet.src,
    dst: packet.dst,
    ...transport,
    ...flagBits,
    ctState: lookup?.state ?? "INVALID",
    length: ipLength(packet),
    srcType: addrType(ns, packet.src),
    dstType: addrType(ns, packet.dst),
  };
  if (lookup !== undefined && lookup.state !== "INVALID") {
    nf.ctNat = { isSnat: lookup.entry.isSnat, isDnat: lookup.entry.isDnat };
  }
  if (links.in !== undefined) nf.inLink = links.in.name;
  if (links.out !== undefined) nf.outLink = links.out.name;
  if (links.physIn !== undefined) nf.physIn = links.physIn.name;
  if (links.physOut !== undefined) nf.physOut = links.physOut.name;
  return nf;
}

/** Returns the flag bits of a TCP header as `--tcp-flags` tests them. */
function tcpFlagBits(flags: Tcp["flags"]): number {
  let bits = 0;
  if (flags.fin === true) bits |= 0x01;
  if (flags.syn === true) bits |= 0x02;
  if (flags.rst === true) bits |= 0x04;
  if (flags.psh === true) bits |= 0x08;
  if (flags.ack === true) bits |= 0x10;
  return bits;
}
