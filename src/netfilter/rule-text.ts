/**
 * The text `iptables -S` and `iptables-save` print for a rule: `-A CHAIN` followed by the
 * addresses, links, protocol, matches in load order, and the target with its options.
 *
 * Source of truth: transcripts of iptables 1.8.9 (nf_tables) on Linux 6.18. The order is fixed
 * (`-s -d -i -o -p`, then each `-m` with its options, then `-j`/`-g`), an implicit protocol
 * match is spelled out (`-p tcp -m tcp --dport 80`), addresses always carry a prefix length,
 * and a non-contiguous mask prints as a dotted quad.
 */
import { bitsOfMask, formatIp4 } from "../addr/ip4.js";
import type { Match, PortMatch } from "./match.js";
import { ICMP_ANY, protocolName, tcpFlagsText } from "./match.js";
import type { AddrMatch, Counters, IfaceMatch, RuleSpec } from "./ruleset.js";
import type { NatRange, Target } from "./target.js";
import { LOG_DEFAULT_LEVEL, LOG_FLAGS } from "./target.js";

/** Returns `-A CHAIN ...` for a rule, with `-c PKTS BYTES` before the target when given. */
export function formatRule(chain: string, spec: RuleSpec, counters?: Counters): string {
  return `-A ${chain}${formatRuleSpec(spec, counters)}`;
}

/** Returns the rule text after the chain name, each option preceded by a space. */
export function formatRuleSpec(spec: RuleSpec, counters?: Counters): string {
  const parts: string[] = [];
  if (spec.src !== undefined && spec.src.mask !== 0) parts.push(addrOption("-s", spec.src));
  if (spec.dst !== undefined && spec.dst.mask !== 0) parts.push(addrOption("-d", spec.dst));
  if (spec.inIface !== undefined) parts.push(ifaceOption("-i", spec.inIface));
  if (spec.outIface !== undefined) parts.push(ifaceOption("-o", spec.outIface));
  if (spec.proto !== undefined) {
    parts.push(`${bang(spec.proto.isInverted)}-p ${protocolName(spec.proto.number)}`);
  }
  for (const match of spec.matches) parts.push(matchText(match));
  if (counters !== undefined) parts.push(`-c ${counters.packets} ${counters.bytes}`);
  if (spec.target !== undefined) parts.push(targetText(spec.target));
  return parts.map((part) => ` ${part}`).join("");
}

/** Returns `addr/bits`, or `addr/mask` for a non-contiguous mask. */
export function formatAddrMask(match: AddrMatch): string {
  const bits = bitsOfMask(match.mask);
  return `${formatIp4(match.addr)}/${bits ?? formatIp4(match.mask)}`;
}

/**
 * Returns a string argument as iptables saves it: bare when it is only letters, digits, `_`
 * and `-`; otherwise in double quotes with `"`, `\` and `'` escaped by a backslash.
 */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (char) => `\\${char}`)}"`;
}

/** Returns `min` or `min:max` as iptables prints a port range. */
export function portRangeText(min: number, max: number): string {
  return min === max ? String(min) : `${min}:${max}`;
}

function bang(isInverted: boolean): string {
  return isInverted ? "! " : "";
}

function addrOption(flag: string, match: AddrMatch): string {
  return `${bang(match.isInverted)}${flag} ${formatAddrMask(match)}`;
}

function ifaceOption(flag: string, match: IfaceMatch): string {
  return `${bang(match.isInverted)}${flag} ${match.name}`;
}

function portOption(flag: string, port: PortMatch | undefined): string {
  if (port === undefined) return "";
  return ` ${bang(port.isInverted)}${flag} ${portRangeText(port.min, port.max)}`;
}

/** Returns ` [! ]--tcp-flags MASK COMP`, as libxt_tcp's `tcp_save` prints it, or "". */
function tcpFlagsOption(match: Extract<Match, { kind: "tcp" | "udp" }>): string {
  const flags = match.kind === "tcp" ? match.tcpFlags : undefined;
  if (flags === undefined) return "";
  return ` ${bang(flags.isInverted)}--tcp-flags ${tcpFlagsText(flags.mask)} ${tcpFlagsText(flags.comp)}`;
}

function matchText(match: Match): string {
  switch (match.kind) {
    case "tcp":
    case "udp":
      return `-m ${match.kind}${portOption("--sport", match.sport)}${portOption("--dport", match.dport)}${tcpFlagsOption(match)}`;
    case "icmp":
      return `-m icmp ${bang(match.isInverted)}--icmp-type ${icmpTypeText(match)}`;
    case "multiport": {
      const ports = match.ports.map((range) => portRangeText(range.min, range.max)).join(",");
      return `-m multiport ${bang(match.isInverted)}--${match.direction} ${ports}`;
    }
    case "conntrack":
      return `-m conntrack ${bang(match.isInverted)}--ctstate ${match.states.join(",")}`;
    case "state":
      return `-m state ${bang(match.isInverted)}--state ${match.states.join(",")}`;
    case "physdev":
      return `-m physdev${physdevOptions(match).join("")}`;
    case "addrtype": {
      const src =
        match.src === undefined
          ? ""
          : ` ${bang(match.src.isInverted)}--src-type ${match.src.types.join(",")}`;
      const dst =
        match.dst === undefined
          ? ""
          : ` ${bang(match.dst.isInverted)}--dst-type ${match.dst.types.join(",")}`;
      return `-m addrtype${src}${dst}`;
    }
    case "comment":
      return `-m comment --comment ${saveString(match.text)}`;
  }
}

function icmpTypeText(match: Extract<Match, { kind: "icmp" }>): string {
  if (match.type === ICMP_ANY && match.codeMin === 0 && match.codeMax === 255) return "any";
  if (match.codeMin === 0 && match.codeMax === 255) return String(match.type);
  return `${match.type}/${match.codeMin}`;
}

/** Returns the physdev options in the order iptables prints them, each with a leading space. */
export function physdevOptions(match: Extract<Match, { kind: "physdev" }>): string[] {
  const options: string[] = [];
  if (match.isIn !== undefined) options.push(` ${bang(match.isIn.isInverted)}--physdev-is-in`);
  if (match.in !== undefined)
    options.push(` ${bang(match.in.isInverted)}--physdev-in ${match.in.name}`);
  if (match.isOut !== undefined) options.push(` ${bang(match.isOut.isInverted)}--physdev-is-out`);
  if (match.out !== undefined) {
    options.push(` ${bang(match.out.isInverted)}--physdev-out ${match.out.name}`);
  }
  if (match.isBridged !== undefined) {
    options.push(` ${bang(match.isBridged.isInverted)}--physdev-is-bridged`);
  }
  return options;
}

/** Returns a SNAT/DNAT range as `--to-source` prints it: `a[-b][:p[-q]]`. */
export function natRangeText(range: NatRange): string {
  let text = "";
  if (range.minAddr !== undefined) {
    text = formatIp4(range.minAddr);
    if (range.maxAddr !== undefined && range.maxAddr !== range.minAddr) {
      text += `-${formatIp4(range.maxAddr)}`;
    }
  }
  if (range.minPort !== undefined) {
    text += `:${range.minPort}`;
    if (range.maxPort !== undefined && range.maxPort !== range.minPort) text += `-${range.maxPort}`;
  }
  return text;
}

function targetText(target: Target): string {
  switch (target.kind) {
    case "ACCEPT":
    case "DROP":
    case "RETURN":
      return `-j ${target.kind}`;
    case "jump":
      return `${target.isGoto ? "-g" : "-j"} ${target.chain}`;
    case "REJECT":
      return `-j REJECT --reject-with ${target.with}`;
    case "LOG":
      return `-j LOG${logOptions(target)}`;
    case "MASQUERADE": {
      let text = "-j MASQUERADE";
      if (target.minPort !== undefined) {
        const max = target.maxPort ?? target.minPort;
        text += ` --to-ports ${target.minPort}${max === target.minPort ? "" : `-${max}`}`;
      }
      return text + natFlags(target.isRandom, target.isRandomFully, false);
    }
    case "SNAT":
    case "DNAT": {
      const option = target.kind === "SNAT" ? "--to-source" : "--to-destination";
      const flags = natFlags(target.isRandom, target.isRandomFully, target.isPersistent);
      return `-j ${target.kind} ${option} ${natRangeText(target.range)}${flags}`;
    }
  }
}

function logOptions(target: Extract<Target, { kind: "LOG" }>): string {
  let text = "";
  if (target.prefix !== undefined) text += ` --log-prefix ${saveString(target.prefix)}`;
  if (target.level !== LOG_DEFAULT_LEVEL) text += ` --log-level ${target.level}`;
  for (const [option, bit] of LOG_FLAGS) if ((target.flags & bit) !== 0) text += ` ${option}`;
  return text;
}

function natFlags(isRandom: boolean, isRandomFully: boolean, isPersistent: boolean): string {
  return (
    (isRandom ? " --random" : "") +
    (isRandomFully ? " --random-fully" : "") +
    (isPersistent ? " --persistent" : "")
  );
}
