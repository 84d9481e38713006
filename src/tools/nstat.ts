/**
 * `nstat` (iproute2 misc/nstat.c) in its absolute mode, `nstat -a`: the namespace's SNMP
 * counters, filtered by shell-style patterns, one `%-32s%-16llu%6.1f` line each under a
 * `#kernel` header. Counters that are zero are listed only with `-z`, and the rate column is
 * always 0.0 because nothing samples rates.
 *
 * Only the counters the engine keeps as the kernel does are printed; a pattern that matches any
 * other counter fails with `Unsupported` instead of printing a made-up zero. nstat's default
 * mode, increments since the previous run kept in a history file, is not modelled either.
 */
import { Unsupported, UsageError } from "../errors.js";
import type { Netns } from "../netns/state.js";
import type { ToolContext } from "./context.js";
import { currentNs } from "./context.js";
import type { CounterTable } from "./nstat-counters.js";
import * as tables from "./nstat-counters.js";

/**
 * The counters the engine maintains exactly as the kernel counts them. The per-type
 * `IcmpMsgInTypeN` and `IcmpMsgOutTypeN` counters are maintained too.
 */
export const MODELLED_COUNTERS: ReadonlySet<string> = new Set([
  "IpInHdrErrors",
  "IpInAddrErrors",
  "IpForwDatagrams",
  "IpOutNoRoutes",
  "IcmpInMsgs",
  "IcmpInErrors",
  "IcmpInDestUnreachs",
  "IcmpInTimeExcds",
  "IcmpInRedirects",
  "IcmpInEchos",
  "IcmpInEchoReps",
  "IcmpOutMsgs",
  "IcmpOutRateLimitHost",
  "IcmpOutDestUnreachs",
  "IcmpOutTimeExcds",
  "IcmpOutRedirects",
  "IcmpOutEchos",
  "IcmpOutEchoReps",
  "TcpActiveOpens",
  "TcpPassiveOpens",
  "TcpAttemptFails",
  "TcpEstabResets",
  "TcpInSegs",
  "TcpOutSegs",
  "TcpRetransSegs",
  "TcpOutRsts",
  "UdpInDatagrams",
  "UdpNoPorts",
  "UdpOutDatagrams",
  "UdpIgnoredMulti",
  "IpExtInNoRoutes",
  "TcpExtIPReversePathFilter",
]);

/** Tables of /proc/net/snmp that come before IcmpMsg, and those after it. */
const SNMP_HEAD = [tables.IP_COUNTERS, tables.ICMP_COUNTERS];
const SNMP_TAIL = [tables.TCP_COUNTERS, tables.UDP_COUNTERS, tables.UDPLITE_COUNTERS];
/** /proc/net/snmp6, then /proc/net/netstat. */
const LATER_TABLES = [
  tables.IP6_COUNTERS,
  tables.ICMP6_COUNTERS,
  tables.UDP6_COUNTERS,
  tables.UDPLITE6_COUNTERS,
  tables.TCPEXT_COUNTERS,
  tables.IPEXT_COUNTERS,
  tables.MPTCPEXT_COUNTERS,
];

/** Runs `nstat ARGS`. */
export function nstat(ctx: ToolContext, args: string[]): number {
  const flags = new Set<string>();
  const patterns: string[] = [];
  for (const arg of args) {
    if (/^-[azs]+$/.test(arg)) for (const flag of arg.slice(1)) flags.add(flag);
    else if (arg.startsWith("-")) throw unsupportedOption(arg);
    else patterns.push(arg);
  }
  if (!flags.has("a")) throw new Unsupported("nstat without -a (increments since the last run)");
  const ns = currentNs(ctx);
  const rows = counterNames(ns).filter((name) => matchesAny(patterns, name));
  const unmodelled = rows.filter((name) => !isModelled(name));
  if (unmodelled.length > 0) {
    throw new Unsupported(`nstat counter ${unmodelled.slice(0, 3).join(", ")}`);
  }
  ctx.out.push("#kernel");
  for (const name of rows) {
    const value = ns.counters[name] ?? 0;
    if (value === 0 && !flags.has("z")) continue;
    ctx.out.push(`${name.padEnd(32)}${String(value).padEnd(16)}${"0.0".padStart(6)}`);
  }
  return 0;
}

function unsupportedOption(arg: string): Error {
  if (/^-[a-zA-Z]/.test(arg) && !/^-[hjnprtdV?]/.test(arg)) {
    return new UsageError(`nstat: invalid option -- '${arg[1]}'`, 255);
  }
  return new Unsupported(`nstat option ${arg}`);
}

/** Returns every counter name nstat would read in `ns`, in the order it prints them. */
export function counterNames(ns: Netns): string[] {
  const names = (list: CounterTable[]): string[] =>
    list.flatMap((table) => table.names.map((name) => table.prefix + name));
  return [...names(SNMP_HEAD), ...icmpMsgNames(ns), ...names(SNMP_TAIL), ...names(LATER_TABLES)];
}

/** The kernel lists an IcmpMsg type only once its counter is nonzero: all In types, then Out. */
function icmpMsgNames(ns: Netns): string[] {
  const present = (direction: string): string[] =>
    Object.keys(ns.counters)
      .map((name) => new RegExp(`^IcmpMsg${direction}Type(\\d+)$`).exec(name))
      .filter((match) => match !== null && (ns.counters[match[0]] ?? 0) > 0)
      .map((match) => Number(match![1]))
      .sort((a, b) => a - b)
      .map((type) => `IcmpMsg${direction}Type${type}`);
  return [...present("In"), ...present("Out")];
}

function isModelled(name: string): boolean {
  return MODELLED_COUNTERS.has(name) || name.startsWith("IcmpMsg");
}

/** Matches `name` against fnmatch(3) patterns (`*`, `?`, `[...]`); no pattern matches all. */
function matchesAny(patterns: string[], name: string): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((pattern) => globToRegExp(pattern).test(name));
}

function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        source += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
