/**
 * `iptables -L -n` and `iptables -S`: the table listing with its columns, and the rule text.
 *
 * Source of truth: transcripts of iptables 1.8.9 (nf_tables) on Linux 6.18 and the print
 * helpers of iptables/xshared.c (`print_header`, `print_rule_details`, `xtables_print_num`).
 * Columns are fixed-width and a long target pushes the rest of its row right. With `-n`,
 * iptables 1.8.9 prints the protocol as a number (a change that 1.8.11 reverted). Without `-n`
 * it prints names instead (names.ts). Counters
 * above 99999 are shown in units of 1000 (K, M, G, T) unless `-x` is given.
 */
import { formatIp4 } from "../../addr/ip4.js";
import { Unsupported } from "../../errors.js";
import type { Match, TcpFlagsMatch } from "../../netfilter/match.js";
import { tcpFlagsText } from "../../netfilter/match.js";
import {
  physdevOptions,
  formatAddrMask,
  formatRule,
  natRangeText,
} from "../../netfilter/rule-text.js";
import { serviceName } from "../../netfilter/services.js";
import { addressName, icmpTypeName, protocolText } from "./names.js";
import type {
  AddrMatch,
  Chain,
  Counters,
  IfaceMatch,
  Rule,
  Table,
} from "../../netfilter/ruleset.js";
import { referencesTo } from "../../netfilter/ruleset.js";
import type { Target } from "../../netfilter/target.js";
import { targetName } from "../../netfilter/target.js";

/** The `-n`, `-v`, `-x` and `--line-numbers` switches of a listing. */
export interface ListFormat {
  /**
   * `-n`: numbers only. Without it, addresses, ports, protocols and ICMP types print as names
   * where /etc/hosts, /etc/networks, /etc/services or /etc/protocols has one (see names.ts).
   */
  isNumeric: boolean;
  isVerbose: boolean;
  isExact: boolean;
  hasLineNumbers: boolean;
}

/** Returns the `-L` lines of `chains` of `table` (every chain when `chains` is undefined). */
export function listChains(table: Table, chains: Chain[], format: ListFormat): string[] {
  const lines: string[] = [];
  chains.forEach((chain, index) => {
    if (index > 0) lines.push("");
    lines.push(chainHeader(table, chain, format), columnHeader(format));
    chain.rules.forEach((rule, at) => lines.push(ruleRow(rule, at + 1, format)));
  });
  return lines;
}

/** Returns the `-L CHAIN N` line of one rule. */
export function listRule(rule: Rule, ruleNumber: number, format: ListFormat): string {
  return ruleRow(rule, ruleNumber, format);
}

/** Returns the `-S` lines of `chains`: policies or `-N` lines first, then the rules. */
export function ruleLines(chains: Chain[], isVerbose: boolean): string[] {
  const heads = chains.map((chain) => {
    if (chain.policy === undefined) return `-N ${chain.name}`;
    const counters = isVerbose ? ` -c ${chain.counters.packets} ${chain.counters.bytes}` : "";
    return `-P ${chain.name} ${chain.policy}${counters}`;
  });
  const rules = chains.flatMap((chain) =>
    chain.rules.map((rule) =>
      formatRule(chain.name, rule.spec, isVerbose ? rule.counters : undefined),
    ),
  );
  return [...heads, ...rules];
}

/** Formats a counter as iptables does: padded in tables, in K/M/G/T units unless exact. */
export function formatCount(value: number, isExact: boolean, isPadded: boolean): string {
  if (isExact) return isPadded ? `${value}`.padStart(8) : `${value}`;
  let scaled = value;
  let unit = "";
  if (value > 99999) {
    for (const next of ["K", "M", "G", "T"]) {
      scaled = Math.floor((scaled + 500) / 1000);
      unit = next;
      if (scaled <= 9999) break;
    }
  }
  return isPadded ? `${scaled}${unit}`.padStart(5) : `${scaled}${unit}`;
}

function chainHeader(table: Table, chain: Chain, format: ListFormat): string {
  if (chain.policy === undefined) {
    return `Chain ${chain.name} (${referencesTo(table, chain.name)} references)`;
  }
  if (!format.isVerbose) return `Chain ${chain.name} (policy ${chain.policy})`;
  const packets = formatCount(chain.counters.packets, format.isExact, false);
  const bytes = formatCount(chain.counters.bytes, format.isExact, false);
  return `Chain ${chain.name} (policy ${chain.policy} ${packets} packets, ${bytes} bytes)`;
}

function columnHeader(format: ListFormat): string {
  let text = format.hasLineNumbers ? "num  " : "";
  if (format.isVerbose) text += format.isExact ? "    pkts      bytes " : " pkts bytes ";
  text += "target     prot opt ";
  if (format.isVerbose) text += "in     out     ";
  return `${text}source               destination         `;
}

function countersColumn(counters: Counters, format: ListFormat): string {
  if (!format.isVerbose) return "";
  const packets = formatCount(counters.packets, format.isExact, true);
  const bytes = formatCount(counters.bytes, format.isExact, true);
  return `${packets} ${bytes} `;
}

function ruleRow(rule: Rule, ruleNumber: number, format: ListFormat): string {
  const spec = rule.spec;
  let row = format.hasLineNumbers ? `${`${ruleNumber}`.padEnd(4)} ` : "";
  row += countersColumn(rule.counters, format);
  row += `${targetName(spec.target).padEnd(9)} `;
  const proto = spec.proto?.number ?? 0;
  const protoText = format.isNumeric ? `${proto}` : protocolText(proto);
  row += `${spec.proto?.isInverted === true ? "!" : " "}${protoText.padEnd(4)} `;
  row += "-- ";
  if (format.isVerbose) {
    const inIface = ifaceColumn(spec.inIface, format.isNumeric);
    row += ` ${inIface.padEnd(6)} ${ifaceColumn(spec.outIface, format.isNumeric).padEnd(6)} `;
  }
  row += `${addrColumn(spec.src, format.isNumeric)} ${addrColumn(spec.dst, format.isNumeric)} `;
  if (spec.target?.kind === "jump" && spec.target.isGoto) row += "[goto] ";
  const ports = portNamer(proto, format.isNumeric);
  for (const match of spec.matches) row += matchColumn(match, ports, format.isNumeric);
  return row + targetColumn(spec.target, format.isNumeric);
}

function ifaceColumn(match: IfaceMatch | undefined, isNumeric: boolean): string {
  if (match === undefined) return isNumeric ? "*" : "any";
  return `${match.isInverted ? "!" : ""}${match.name}`;
}

/** `print_ip` of xshared.c: `anywhere` for a zero mask unless numeric, else address and mask. */
function addrColumn(match: AddrMatch | undefined, isNumeric: boolean): string {
  const inv = match?.isInverted === true ? "!" : " ";
  if (match === undefined || match.mask === 0) {
    return `${inv}${(isNumeric ? "0.0.0.0/0" : "anywhere").padEnd(19)}`;
  }
  const mask = match.mask === 0xffffffff ? "" : formatAddrMask(match).replace(/^[^/]*/, "");
  const addr = isNumeric ? formatIp4(match.addr) : addressName(match.addr);
  return `${inv}${`${addr}${mask}`.padEnd(19)}`;
}

/** Prints one port: its service name for the rule's protocol unless numeric. */
type PortNamer = (port: number) => string;

function portNamer(proto: number, isNumeric: boolean): PortNamer {
  const protocol = ({ 6: "tcp", 17: "udp" } as const)[proto];
  if (isNumeric || protocol === undefined) return String;
  return (port) => serviceName(port, protocol) ?? String(port);
}

function rangeText(min: number, max: number, ports: PortNamer): string {
  return min === max ? ports(min) : `${ports(min)}:${ports(max)}`;
}

function portsColumn(
  name: string,
  port: { min: number; max: number; isInverted: boolean } | undefined,
  ports: PortNamer,
): string {
  if (port === undefined) return "";
  const plural = port.min === port.max ? "" : "s";
  return ` ${name}${plural}:${port.isInverted ? "!" : ""}${rangeText(port.min, port.max, ports)}`;
}

/** Returns ` flags:[!]MASK/COMP` as libxt_tcp's `print_flags` prints it: hex with `-n`. */
function flagsColumn(flags: TcpFlagsMatch | undefined, isNumeric: boolean): string {
  if (flags === undefined) return "";
  const hex = (bits: number): string => `0x${bits.toString(16).toUpperCase().padStart(2, "0")}`;
  const text = isNumeric
    ? `${hex(flags.mask)}/${hex(flags.comp)}`
    : `${tcpFlagsText(flags.mask)}/${tcpFlagsText(flags.comp)}`;
  return ` flags:${flags.isInverted ? "!" : ""}${text}`;
}

function matchColumn(match: Match, ports: PortNamer, isNumeric: boolean): string {
  switch (match.kind) {
    case "tcp":
    case "udp": {
      const sport = portsColumn("spt", match.sport, ports);
      const flags = match.kind === "tcp" ? flagsColumn(match.tcpFlags, isNumeric) : "";
      return ` ${match.kind}${sport}${portsColumn("dpt", match.dport, ports)}${flags}`;
    }
    case "icmp": {
      const name = isNumeric ? undefined : icmpTypeName(match.type, match.codeMin, match.codeMax);
      if (name !== undefined) return ` icmp ${match.isInverted ? "!" : ""}${name}`;
      let text = ` icmp${match.isInverted ? " !" : ""}type ${match.type}`;
      if (match.codeMin === match.codeMax) text += ` code ${match.codeMin}`;
      else if (match.codeMin !== 0 || match.codeMax !== 255)
        text += ` codes ${match.codeMin}-${match.codeMax}`;
      return text;
    }
    case "multiport": {
      const list = match.ports.map((range) => rangeText(range.min, range.max, ports)).join(",");
      return ` multiport ${match.direction} ${match.isInverted ? " !" : ""}${list}`;
    }
    case "conntrack":
    case "state": {
      const word = match.kind === "conntrack" ? "ctstate" : "state";
      return `${match.isInverted ? " !" : ""} ${word} ${match.states.join(",")}`;
    }
    case "physdev":
      return ` PHYSDEV match${physdevOptions(match).join("")}`;
    case "addrtype": {
      const side = (
        name: string,
        test: { types: string[]; isInverted: boolean } | undefined,
      ): string =>
        test === undefined ? "" : ` ${name} ${test.isInverted ? "!" : ""}${test.types.join(",")}`;
      return ` ADDRTYPE match${side("src-type", match.src)}${side("dst-type", match.dst)}`;
    }
    case "comment":
      return ` /* ${match.text} */`;
  }
}

/** syslog level names as libxt_LOG prints them (`LOG_EMERG` is 0). */
const LOG_LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];

function targetColumn(target: Target | undefined, isNumeric: boolean): string {
  switch (target?.kind) {
    case "REJECT":
      return ` reject-with ${target.with}`;
    case "LOG": {
      const prefix = target.prefix === undefined ? "" : ` prefix "${target.prefix}"`;
      if (isNumeric) return ` LOG flags ${target.flags} level ${target.level}${prefix}`;
      // libxt_LOG prints the level's name without -n, and the flags only when some are set.
      if (target.flags !== 0) throw new Unsupported("iptables -L without -n of LOG flags");
      return ` LOG level ${LOG_LEVEL_NAMES[target.level] ?? target.level}${prefix}`;
    }
    case "MASQUERADE": {
      let text = "";
      if (target.minPort !== undefined) {
        const max = target.maxPort ?? target.minPort;
        text += ` masq ports: ${target.minPort}${max === target.minPort ? "" : `-${max}`}`;
      }
      return (
        text + (target.isRandom ? " random" : "") + (target.isRandomFully ? " random-fully" : "")
      );
    }
    case "SNAT":
    case "DNAT":
      return (
        ` to:${natRangeText(target.range)}` +
        (target.isRandom ? " random" : "") +
        (target.isRandomFully ? " random-fully" : "") +
        (target.isPersistent ? " persistent" : "")
      );
    default:
      return "";
  }
}
