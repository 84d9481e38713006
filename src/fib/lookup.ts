/**
 * Route selection: the kernel's `fib_lookup` over the routing rules and `fib_table_lookup`
 * within one table.
 *
 * Sources: net/ipv4/fib_trie.c (`fib_table_lookup`) tries the longest matching prefix first and
 * takes its first route whose TOS, scope and nexthop are usable. A typed route such as
 * blackhole ends the lookup with its errno, and a prefix without a usable route lets the lookup
 * back off to the next shorter one. include/net/ip_fib.h (`fib_lookup`): until the first rule
 * is added, the local and main tables share one trie, which is looked up as main, then the
 * default table. net/core/fib_rules.c (`fib_rules_lookup`) walks the rules in order, where
 * `throw` and a missing table both mean "try the next rule" and running out of rules is
 * ENETUNREACH.
 */
import type { Errno } from "../errors.js";
import type { Link, Netns, NetState } from "../netns/state.js";
import { hasCarrier } from "../link/carrier.js";
import { matchingPrefixes, matchingPrefixesMerged } from "./table-index.js";
import type { Route } from "./route.js";
import type { RouteTable } from "./route-table.js";
import { SCOPE_HOST, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, typeErrno } from "./route.js";
import type { FibRule, RuleFlow } from "./rules.js";
import { gotoTarget, ruleMatches } from "./rules.js";

/** A flow to route: its destination, and optionally what rules and nexthops select on. */
export interface FibQuery extends RuleFlow {
  /** Only routes whose nexthop leaves through this ifindex are usable. */
  oif?: number;
  /** Routes narrower than this scope are skipped (`flowi4_scope`). */
  scope?: number;
  /** Use routes through links without carrier even when they are marked dead for it. */
  isLinkStateIgnored?: boolean;
}

/**
 * The route a lookup chose and the table it came from, or the errno it failed with and the
 * route that caused it. While local and main are merged, a local route comes "from main".
 */
export type FibResult =
  | { ok: true; route: Route; table: number; rule?: number }
  | { ok: false; errno: Errno; route?: Route; table?: number; rule?: number };

export { matchingPrefixes } from "./table-index.js";

/** The routes a table lookup searches: one table, or local and main searched as one. */
export type TableRoutes = RouteTable | { readonly local: RouteTable; readonly main: RouteTable };

/**
 * Returns the routes a lookup in table `table` searches, or undefined when the table does not
 * exist. While the namespace has no rules of its own, local and main are one trie, so a lookup
 * in either searches both, local routes first within a prefix (`fib_new_table`,
 * `fib_insert_alias`).
 */
export function lookupRoutes(ns: Netns, table: number): TableRoutes | undefined {
  const isMerged = !ns.hasCustomRules && (table === TABLE_LOCAL || table === TABLE_MAIN);
  if (!isMerged) return ns.tables[table];
  const local = ns.tables[TABLE_LOCAL];
  const main = ns.tables[TABLE_MAIN];
  if (local === undefined || main === undefined) return main ?? local;
  return { local, main };
}

/** Returns the prefixes of `routes` that contain `dst` and their routes, longest first. */
export function prefixesOf(routes: TableRoutes, dst: number): Route[][] {
  return "local" in routes
    ? matchingPrefixesMerged(routes.local, routes.main, dst)
    : matchingPrefixes(routes, dst);
}

/** Reports whether the nexthop of `route` can carry traffic right now. */
function isNexthopUsable(state: NetState, ns: Netns, route: Route, query: FibQuery): boolean {
  if (route.dev === undefined) return true;
  const link = ns.links[route.dev];
  if (link === undefined) return false;
  if (query.oif !== undefined && query.oif !== 0 && query.oif !== route.dev) return false;
  // A host-scope route's nexthop has scope "nowhere" (`fib_create_info`), which
  // `fib_sync_down_dev` never marks linkdown: an address stays local without carrier.
  if (route.scope === SCOPE_HOST) return true;
  return query.isLinkStateIgnored === true || !isDeadForLinkdown(state, ns, link);
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
  routes: TableRoutes,
  query: FibQuery,
): FibResult {
  for (const group of prefixesOf(routes, query.dst)) {
    for (const route of group) {
      // Routes match the flow's TOS under the legacy TOS mask (`fib_dscp_masked_match`).
      if (route.tos !== 0 && route.tos !== ((query.tos ?? 0) & 0x1c)) continue;
      if (route.scope < (query.scope ?? 0)) continue;
      const errno = typeErrno(route.type);
      if (errno !== undefined) return { ok: false, errno, route, table: route.table };
      if (isNexthopUsable(state, ns, route, query)) return { ok: true, route, table: route.table };
    }
  }
  return { ok: false, errno: "EAGAIN" };
}

/** Looks `query` up in table `table` if it exists; a missing table is EAGAIN. */
function lookupTableId(state: NetState, ns: Netns, table: number, query: FibQuery): FibResult {
  const routes = lookupRoutes(ns, table);
  if (routes === undefined) return { ok: false, errno: "EAGAIN" };
  const result = lookupTable(state, ns, routes, query);
  // A lookup reports the table it searched, even when the merged trie found a local route.
  if (result.ok) return { ...result, table };
  return result.route === undefined ? result : { ...result, table };
}

/** Looks `query` up through the namespace's rules and returns the route the kernel would use. */
export function fibLookup(state: NetState, ns: Netns, query: FibQuery): FibResult {
  const result = ns.hasCustomRules
    ? lookupByRules(state, ns, query)
    : lookupMerged(state, ns, query);
  return !result.ok && result.errno === "EAGAIN" ? { ok: false, errno: "ENETUNREACH" } : result;
}

/** The lookup before any rule was added: the merged local/main trie, then the default table. */
function lookupMerged(state: NetState, ns: Netns, query: FibQuery): FibResult {
  const main = lookupTableId(state, ns, TABLE_MAIN, query);
  if (main.ok || main.errno !== "EAGAIN") return main;
  return lookupTableId(state, ns, TABLE_DEFAULT, query);
}

/** `fib_rules_lookup`: the first matching rule whose action ends the lookup decides. */
function lookupByRules(state: NetState, ns: Netns, query: FibQuery): FibResult {
  const rules = ns.rules;
  let index = 0;
  while (index < rules.length) {
    const rule = rules[index]!;
    if (!ruleMatches(ns, rule, query)) {
      index++;
      continue;
    }
    if (rule.action === "goto") {
      // The target is matched like any rule; an unresolved goto is skipped.
      const target = gotoTarget(rules, rule.gotoPriority ?? 0);
      index = target > index ? target : index + 1;
      continue;
    }
    const result = applyRule(state, ns, rule, query);
    if (result.ok && result.route.bits <= rule.suppressPrefixLength) {
      index++;
      continue;
    }
    // The priority of the rule that decided, for traces that name it.
    if (result.ok || result.errno !== "EAGAIN") return { ...result, rule: rule.priority };
    index++;
  }
  return { ok: false, errno: "ENETUNREACH" };
}

/** `fib4_rule_action`: a table lookup, or the error a typed rule stands for. */
function applyRule(state: NetState, ns: Netns, rule: FibRule, query: FibQuery): FibResult {
  switch (rule.action) {
    case "lookup":
      return lookupTableId(state, ns, rule.table, query);
    case "unreachable":
      return { ok: false, errno: "ENETUNREACH" };
    case "prohibit":
      return { ok: false, errno: "EACCES" };
    case "blackhole":
      return { ok: false, errno: "EINVAL" };
    default:
      return { ok: false, errno: "EAGAIN" };
  }
}
