/**
 * Packet facts the netfilter hooks need beyond the packet itself: the address types that
 * `-m addrtype` reads, and the ICMP code each REJECT type sends.
 *
 * Sources: net/ipv4/fib_frontend.c (`inet_addr_type_table`: a multicast address is MULTICAST,
 * 0.0.0.0 and 255.255.255.255 are BROADCAST, else the type of the route a lookup in the local
 * table finds, and UNICAST when it finds none) and net/ipv4/netfilter/ipt_REJECT.c (`reject_tg`: the ICMP code
 * of each `--reject-with` type; tcp-reset answers only TCP segments).
 */
import { isMulticast } from "../addr/ip4.js";
import { ADDR_TYPES, type AddrType } from "../netfilter/match.js";
import { isOwnAddress, type Netns } from "../netns/state.js";
import { lookupRoutes, prefixesOf } from "../fib/lookup.js";
import { TABLE_LOCAL, typeErrno } from "../fib/route.js";

/** Returns the route type of `addr` as `-m addrtype` sees it in `ns`. */
export function addrType(ns: Netns, addr: number): AddrType {
  if (isMulticast(addr)) return "MULTICAST";
  if (addr === 0 || addr === 0xffffffff) return "BROADCAST";
  // A lookup in the local table, which contains main's routes too while the namespace has no rules
  // of its own, so a longer main route wins over a local route such as AnyIP's 10.0.0.0/8.
  const routes = lookupRoutes(ns, TABLE_LOCAL);
  if (routes === undefined) return "UNICAST";
  for (const group of prefixesOf(routes, addr)) {
    const route = group.find((candidate) => candidate.tos === 0);
    if (route === undefined) continue;
    // A typed route such as blackhole fails the lookup, which leaves the address UNICAST.
    if (typeErrno(route.type) !== undefined) return "UNICAST";
    const type = route.type.toUpperCase();
    return (ADDR_TYPES as readonly string[]).includes(type) ? (type as AddrType) : "UNICAST";
  }
  return "UNICAST";
}

/**
 * Reports whether a packet of `ns` may leave with `addr` as its source: one of its addresses,
 * or an address a lookup in the local table finds local (`__ip_dev_find`).
 */
export function isLocalSource(ns: Netns, addr: number): boolean {
  return isOwnAddress(ns, addr) || addrType(ns, addr) === "LOCAL";
}

/** ICMP destination-unreachable codes by `--reject-with` type; tcp-reset has none. */
const REJECT_CODES: Readonly<Record<string, number>> = {
  "icmp-net-unreachable": 0,
  "icmp-host-unreachable": 1,
  "icmp-proto-unreachable": 2,
  "icmp-port-unreachable": 3,
  "icmp-net-prohibited": 9,
  "icmp-host-prohibited": 10,
  "icmp-admin-prohibited": 13,
};

/** Returns the ICMP code REJECT sends for `type`, or undefined for tcp-reset. */
export function rejectCode(type: string): number | undefined {
  return REJECT_CODES[type];
}
