/**
 * Route selection: the kernel's `fib_lookup` over the routing rules and `fib_table_lookup`
 * within one table.
 *
 * Sources: net/ipv4/fib_trie.c (`fib_table_lookup`: longest prefix first; within it, the first
 * route whose TOS, scope and nexthop are usable; a typed route such as blackhole ends the lookup
 * with its errno; when no route of a prefix is usable the lookup backs off to the next shorter
 * prefix) and net/ipv4/fib_rules.c (`__fib_lookup`: rules in priority order, `throw` and an
 * empty table both mean "try the next rule", and running out of rules is ENETUNREACH).
 * Without user rules the kernel consults the local, main and default tables in that order.
 */
import type { Errno } from "../errors.js";
import type { Link, Netns, NetState } from "../netns/state.js";
import { hasCarrier } from "../link/carrier.js";
import { containsIp4 } from "../addr/ip4.js";
import type { Route } from "./route.js";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, typeErrno } from "./route.js";

/** What a lookup is for: the flow's destination, and optionally its TOS, output link and scope. */
export interface FibQuery {
  dst: number;
  tos?: number;
  /** Only routes whose nexthop leaves through this ifindex are usable. */
  oif?: number;
  /** Routes narrower than this scope are skipped (`flowi4_scope`). */
  scope?: number;
}

/** The route a lookup chose, or the errno it failed with and the route that caused it. */
export type FibResult = { ok: true; route: Route } | { ok: false; errno: Errno; route?: Route };

/** The tables consulted in order when a namespace has only the default rules. */
export const DEFAULT_RULE_TABLES = [TABLE_LOCAL, TABLE_MAIN, TABLE_DEFAULT];

/** Returns every route of `table` whose prefix contains `dst`, grouped by prefix, longest first. */
export function matchingPrefixes(routes: readonly Route[], dst: number): Route[][] {
  const groups = new Map<number, Route[]>();
  for (const route of routes) {
    if (!containsIp4(route.dst, route.bits, dst)) continue;
    const group = groups.get(route.bits);
    if (group === undefined) groups.set(route.bits, [route]);
    else group.push(route);
  }
  return [...groups.entries()].sort((a, b) => b[0] - a[0]).map(([, group]) => group);
}

/** Reports whether the nexthop of `route` can carry traffic right now. */
function isNexthopUsable(state: NetState, ns: Netns, route: Route, query: FibQuery): boolean {
  if (route.dev === undefined) return true;
  const link = ns.links[route.dev];
  if (link === undefined) return false;
  if (query.oif !== undefined && query.oif !== route.dev) return false;
  return !isDeadForLinkdown(state, ns, link);
}

/**
 * Reports whether routes through `link` are marked dead because it lost carrier and
 * `ignore_routes_with_linkdown` is set (net/ipv4/fib_semantics.c, `fib_sync_down_dev`).
 */
export function isDeadForLinkdown(state: NetState, ns: Netns, link: Link): boolean {
  const ignore = Math.max(
    ns.confAll.ignore_routes_with_linkdown,
    link.conf.ignore_routes_with_linkdown,
  );
  return ignore > 0 && !hasCarrier(state, ns, link);
}

/** Looks `query` up in one table, as `fib_table_lookup` does; EAGAIN means "nothing here". */
export function lookupTable(
  state: NetState,
  ns: Netns,
  routes: readonly Route[],
  query: FibQuery,
): FibResult {
  for (const group of matchingPrefixes(routes, query.dst)) {
    for (const route of group) {
      if (route.tos !== 0 && route.tos !== (query.tos ?? 0)) continue;
      if (route.scope < (query.scope ?? 0)) continue;
      const errno = typeErrno(route.type);
      if (errno !== undefined) return { ok: false, errno, route };
      if (isNexthopUsable(state, ns, route, query)) return { ok: true, route };
    }
  }
  return { ok: false, errno: "EAGAIN" };
}

/** Looks `query` up through the namespace's rules and returns the route the kernel would use. */
export function fibLookup(state: NetState, ns: Netns, query: FibQuery): FibResult {
  for (const table of DEFAULT_RULE_TABLES) {
    const routes = ns.tables[table];
    if (routes === undefined) continue;
    const result = lookupTable(state, ns, routes, query);
    if (result.ok || result.errno !== "EAGAIN") return result;
  }
  return { ok: false, errno: "ENETUNREACH" };
}
