/**
 * Packet facts the netfilter hooks need beyond the packet itself: the address types that
 * `-m addrtype` reads, and the ICMP code each REJECT type sends.
 *
 * Sources: net/ipv4/fib_frontend.c (`inet_addr_type_table`: a multicast address is MULTICAST,
 * 0.0.0.0 and 255.255.255.255 are BROADCAST, else the type of the local table's route, and
 * UNICAST when it has none) and net/ipv4/netfilter/ipt_REJECT.c (`reject_tg`: the ICMP code
 * of each `--reject-with` type; tcp-reset answers only TCP segments).
 */
import { isMulticast } from "../addr/ip4.js";
import type { AddrType } from "../netfilter/match.js";
import type { Netns } from "../netns/state.js";
import { tableRoutes } from "../fib/route-table.js";

const LOCAL_TABLE = 255;

/** Returns the route type of `addr` as `-m addrtype` sees it in `ns`. */
export function addrType(ns: Netns, addr: number): AddrType {
  if (isMulticast(addr)) return "MULTICAST";
  if (addr === 0 || addr === 0xffffffff) return "BROADCAST";
  const route = tableRoutes(ns.tables[LOCAL_TABLE]).find(
    (candidate) => candidate.bits === 32 && candidate.dst === addr,
  );
  if (route?.type === "local") return "LOCAL";
  if (route?.type === "broadcast") return "BROADCAST";
  return "UNICAST";
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
