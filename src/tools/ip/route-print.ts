/**
 * Printing routes as `ip route show` and `route -n` do (iproute2 ip/iproute.c,
 * `print_route_msg`; net-tools lib/inet_gr.c reading /proc/net/route). Every `ip route` line ends
 * with a space, as iproute2 prints each field followed by one.
 */
import { formatIp4, maskOf } from "../../addr/ip4.js";
import { hasCarrier } from "../../link/carrier.js";
import { isDeadForLinkdown } from "../../fib/lookup.js";
import type { Route } from "../../fib/route.js";
import {
  PROTO_BOOT,
  SCOPE_HOST,
  SCOPE_LINK,
  SCOPE_UNIVERSE,
  TABLE_DEFAULT,
  TABLE_LOCAL,
  TABLE_MAIN,
  tableName,
} from "../../fib/route.js";
import type { Netns, NetState } from "../../netns/state.js";

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
  16: "dhcp",
  186: "bgp",
  187: "isis",
  188: "ospf",
  189: "rip",
};

/** Returns the name iproute2 prints for a protocol number (rt_protos). */
export function protocolName(protocol: number): string {
  return PROTOCOL_NAMES[protocol] ?? String(protocol);
}

/** Returns the protocol number of a name or number, or undefined. */
export function parseProtocol(text: string): number | undefined {
  if (/^\d+$/.test(text) && Number(text) < 256) return Number(text);
  const entry = Object.entries(PROTOCOL_NAMES).find(([, name]) => name === text);
  return entry === undefined ? undefined : Number(entry[0]);
}

/** Returns the name iproute2 prints for a scope number (rt_scopes). */
export function scopeName(scope: number): string {
  if (scope === SCOPE_UNIVERSE) return "global";
  if (scope === SCOPE_LINK) return "link";
  if (scope === SCOPE_HOST) return "host";
  if (scope === 200) return "site";
  if (scope === 255) return "nowhere";
  return String(scope);
}

/** Returns the scope number of a name or number, or undefined. */
export function parseScopeName(text: string): number | undefined {
  const names: Record<string, number> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };
  if (text in names) return names[text];
  if (/^\d+$/.test(text) && Number(text) < 256) return Number(text);
  return undefined;
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
}

/** Returns one `ip route show` line for `route`. */
export function formatRoute(state: NetState, ns: Netns, route: Route, options: PrintOptions): string {
  let line = "";
  if (route.type !== "unicast" || options.isDetailed) line += `${route.type} `;
  line += `${formatDst(route)} `;
  if (route.tos !== 0) line += `tos 0x${route.tos.toString(16).padStart(2, "0")} `;
  if (route.gateway !== undefined) line += `via ${formatIp4(route.gateway)} `;
  const link = route.dev === undefined ? undefined : ns.links[route.dev];
  if (link !== undefined) line += `dev ${link.name} `;
  if (options.isTableShown && (route.table !== TABLE_MAIN || options.isDetailed)) {
    line += `table ${tableName(route.table)} `;
  }
  if (route.protocol !== PROTO_BOOT || options.isDetailed) line += `proto ${protocolName(route.protocol)} `;
  if (route.scope !== SCOPE_UNIVERSE || options.isDetailed) line += `scope ${scopeName(route.scope)} `;
  if (route.prefsrc !== undefined) line += `src ${formatIp4(route.prefsrc)} `;
  if (route.metric !== 0) line += `metric ${route.metric} `;
  // Nexthop flags in iproute2's order: dead, onlink, linkdown.
  const isLinkdown = link !== undefined && route.nexthopScope !== 255 && !hasCarrier(state, ns, link);
  if (isLinkdown && isDeadForLinkdown(state, ns, link)) line += "dead ";
  if (route.isOnlink === true) line += "onlink ";
  if (isLinkdown) line += "linkdown ";
  return line;
}

/** Returns the `ip route show table all` line of an IPv6 local route (net/ipv6/route.c, `rt6_fill_node`). */
export function formatLocal6Route(addr: string, linkName: string): string {
  return `local ${addr} dev ${linkName} table local proto kernel metric 0 pref medium`;
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
    lines.push(`${dst} ${gateway} ${mask} ${flags.padEnd(5)} ${String(route.metric).padEnd(6)} ${ref.padEnd(3)} ${"0".padStart(6)} ${iface}`);
  }
  return lines;
}

export { tableName };
