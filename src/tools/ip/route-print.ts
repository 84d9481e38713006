/**
 * Printing routes as `ip route show` and `route -n` do (iproute2 ip/iproute.c,
 * `print_route_msg`; net-tools lib/inet_gr.c reading /proc/net/route). Every `ip route` line ends
 * with a space, as iproute2 prints each field followed by one.
 */
import { formatIp4, maskOf } from "../../addr/ip4.js";
import { hasCarrier } from "../../link/carrier.js";
import { isDeadForLinkdown } from "../../fib/lookup.js";
import type { Route, RouteType } from "../../fib/route.js";
import { PROTO_BOOT, SCOPE_UNIVERSE, TABLE_MAIN, tableName } from "../../fib/route.js";
import type { Netns, NetState } from "../../netns/state.js";
import { matches } from "./args.js";
import { formatDsfield } from "./dsfield.js";

/** iproute2's rt_protos table (lib/rt_names.c and /etc/iproute2/rt_protos of iproute2 6.1). */
const PROTOCOL_NAMES: Record<number, string> = {
  0: "unspec",
  1: "redirect",
  2: "kernel",
  3: "boot",
  4: "static",
  8: "gated",
  9: "ra",
  10: "mrt",
  11: "zebra",
  12: "bird",
  13: "dnrouted",
  14: "xorp",
  15: "ntk",
  16: "dhcp",
  18: "keepalived",
  42: "babel",
  99: "openr",
  186: "bgp",
  187: "isis",
  188: "ospf",
  189: "rip",
  192: "eigrp",
};

/** iproute2's rt_scopes table; "universe" is not in it, so iproute2 rejects that name. */
const SCOPE_NAMES: Record<number, string> = {
  0: "global",
  200: "site",
  253: "link",
  254: "host",
  255: "nowhere",
};

/**
 * Parses a number up to 255 in decimal, 0x hex or 0 octal, or returns undefined. iproute2's
 * `rtnl_*_a2n` functions read numbers this way, with `strtoul(text, &end, 0)` on the whole word.
 */
function parseByte(text: string): number | undefined {
  const match = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (match === null) return undefined;
  const digits = match[1]!;
  const value = /^0[xX]/.test(digits)
    ? parseInt(digits.slice(2), 16)
    : digits.startsWith("0")
      ? parseInt(digits, 8)
      : Number(digits);
  return value <= 255 ? value : undefined;
}

function numberOfName(names: Record<number, string>, text: string): number | undefined {
  const entry = Object.entries(names).find(([, name]) => name === text);
  return entry === undefined ? parseByte(text) : Number(entry[0]);
}

/** Returns the name iproute2 prints for a protocol number (rt_protos). */
export function protocolName(protocol: number): string {
  return PROTOCOL_NAMES[protocol] ?? String(protocol);
}

/** Returns the protocol number of a name or number, or undefined (`rtnl_rtprot_a2n`). */
export function parseProtocol(text: string): number | undefined {
  return numberOfName(PROTOCOL_NAMES, text);
}

/** Returns the name iproute2 prints for a scope number (rt_scopes). */
export function scopeName(scope: number): string {
  return SCOPE_NAMES[scope] ?? String(scope);
}

/** Returns the scope number of a name or number, or undefined (`rtnl_rtscope_a2n`). */
export function parseScopeName(text: string): number | undefined {
  return numberOfName(SCOPE_NAMES, text);
}

/** The route types in the order of their numbers (RTN_UNICAST is 1). */
const ROUTE_TYPE_NUMBERS: readonly RouteType[] = [
  "unicast",
  "local",
  "broadcast",
  "anycast",
  "multicast",
  "blackhole",
  "unreachable",
  "prohibit",
  "throw",
  "nat",
];

/**
 * Parses a route type as `rtnl_rtntype_a2n` does. It takes `local`, `nat` and `throw` in full,
 * `brd`, a number up to 255, or an abbreviation of another name, tested in iproute2's order
 * (so `u` is unreachable). Returns "unmodelled" for a valid type hoptrace lacks (RTN_UNSPEC,
 * xresolve, numbers past RTN_NAT) and undefined for a word iproute2 rejects.
 */
export function parseRouteType(text: string): RouteType | "unmodelled" | undefined {
  if (text === "local" || text === "nat" || text === "throw") return text;
  if (text === "brd") return "broadcast";
  const abbreviable: RouteType[] = [
    "broadcast",
    "anycast",
    "multicast",
    "prohibit",
    "unreachable",
    "blackhole",
  ];
  for (const type of abbreviable) if (matches(text, type)) return type;
  if (matches(text, "xresolve")) return "unmodelled";
  if (matches(text, "unicast")) return "unicast";
  const number = parseByte(text);
  if (number === undefined) return undefined;
  return ROUTE_TYPE_NUMBERS[number - 1] ?? "unmodelled";
}

/** Returns the destination as `ip route` prints it: `default`, `A` for a /32, else `A/LEN`. */
export function formatDst(route: Route): string {
  if (route.bits === 0 && route.dst === 0) return "default";
  return route.bits === 32 ? formatIp4(route.dst) : `${formatIp4(route.dst)}/${route.bits}`;
}

/** How the printer should treat fields that depend on the command. */
export interface PrintOptions {
  /** Print `table NAME` for routes outside main, as a dump of all tables does. */
  isTableShown: boolean;
  isDetailed: boolean;
  /** Whether a `proto` filter selected the routes, so `proto` is left out (`protocolmask`). */
  isProtocolFiltered?: boolean;
  /** Whether a `scope` filter selected the routes, so `scope` is left out (`scopemask`). */
  isScopeFiltered?: boolean;
  /** Whether a `dev` filter selected the routes, so `dev` is left out (`oifmask`). */
  isDevFiltered?: boolean;
  /** Whether a `tos` filter selected the routes, so `tos` is left out (`tosmask`). */
  isTosFiltered?: boolean;
}

/** Returns one `ip route show` line for `route`. */
export function formatRoute(
  state: NetState,
  ns: Netns,
  route: Route,
  options: PrintOptions,
): string {
  let line = "";
  if (route.type !== "unicast" || options.isDetailed) line += `${route.type} `;
  line += `${formatDst(route)} `;
  if (route.tos !== 0 && options.isTosFiltered !== true) line += `tos ${formatDsfield(route.tos)} `;
  if (route.gateway !== undefined) line += `via ${formatIp4(route.gateway)} `;
  const link = route.dev === undefined ? undefined : ns.links[route.dev];
  if (link !== undefined && options.isDevFiltered !== true) line += `dev ${link.name} `;
  if (options.isTableShown && (route.table !== TABLE_MAIN || options.isDetailed)) {
    line += `table ${tableName(route.table)} `;
  }
  const isProtocolShown = route.protocol !== PROTO_BOOT || options.isDetailed;
  if (isProtocolShown && options.isProtocolFiltered !== true) {
    line += `proto ${protocolName(route.protocol)} `;
  }
  const isScopeShown = route.scope !== SCOPE_UNIVERSE || options.isDetailed;
  if (isScopeShown && options.isScopeFiltered !== true) line += `scope ${scopeName(route.scope)} `;
  if (route.prefsrc !== undefined) line += `src ${formatIp4(route.prefsrc)} `;
  if (route.metric !== 0) line += `metric ${route.metric} `;
  // Nexthop flags in iproute2's order: dead, onlink, linkdown.
  const isLinkdown =
    link !== undefined && route.nexthopScope !== 255 && !hasCarrier(state, ns, link);
  if (isLinkdown && isDeadForLinkdown(state, ns, link)) line += "dead ";
  if (route.isOnlink === true) line += "onlink ";
  if (isLinkdown) line += "linkdown ";
  return line;
}

/**
 * Returns the `ip route show table all` line of an IPv6 local route (net/ipv6/route.c,
 * `rt6_fill_node`), without `proto` under a `proto` filter.
 */
export function formatLocal6Route(
  addr: string,
  linkName: string,
  isProtocolFiltered = false,
  isDevFiltered = false,
): string {
  const protocol = isProtocolFiltered ? "" : "proto kernel ";
  const dev = isDevFiltered ? "" : `dev ${linkName} `;
  return `local ${addr} ${dev}table local ${protocol}metric 0 pref medium`;
}

/** Returns the `route -n` header and one row per main-table route, as net-tools prints them. */
export function formatRouteTable(ns: Netns, routes: readonly Route[]): string[] {
  const lines = [
    "Kernel IP routing table",
    "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface",
  ];
  for (const route of routes) {
    const isReject = route.type === "unreachable" || route.type === "prohibit";
    const dst = formatIp4(route.dst).padEnd(15);
    const gateway = (isReject ? "-" : formatIp4(route.gateway ?? 0)).padEnd(15);
    const mask = formatIp4(maskOf(route.bits)).padEnd(15);
    let flags = isReject ? "!" : "U";
    if (route.gateway !== undefined) flags += "G";
    if (route.bits === 32) flags += "H";
    const dev = route.dev === undefined ? undefined : ns.links[route.dev]?.name;
    const iface = isReject ? "-" : (dev ?? "*");
    const ref = isReject ? "-" : "0";
    lines.push(
      `${dst} ${gateway} ${mask} ${flags.padEnd(5)} ${String(route.metric).padEnd(6)} ${ref.padEnd(3)} ${"0".padStart(6)} ${iface}`,
    );
  }
  return lines;
}

export { tableName };
