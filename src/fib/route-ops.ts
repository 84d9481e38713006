/**
 * Adding and deleting routes with the kernel's validation and error texts.
 *
 * Sources: net/ipv4/fib_frontend.c (`rtm_to_fib_config`, `inet_rtm_newroute`,
 * `inet_rtm_delroute`), net/ipv4/fib_semantics.c (`fib_create_info`, `fib_check_nh`,
 * `fib_check_nh_v4_gw`, `fib_check_nh_nongw`, `fib_valid_prefsrc`) and net/ipv4/fib_trie.c
 * (`fib_table_insert`, `fib_table_delete`). The netlink flags decide what an add does when a
 * route with the same prefix, TOS and metric exists: `add` fails with EEXIST, `replace` swaps
 * the first such route, `prepend` goes before it and `append` after the last one.
 */
import { rtnetlinkError } from "../errors.js";
import { ALL_ONES, isMulticast, isZeronet, networkOf } from "../addr/ip4.js";
import type { Netns, NetState } from "../netns/state.js";
import { fibLookup, lookupRoutes, lookupTable } from "./lookup.js";
import type { Route } from "./route.js";
import {
  EMPTY_TABLE,
  insertionPlace,
  nextPlace,
  plainTable,
  routeAt,
  routesFrom,
  tableOf,
  tableRoutes,
  withInserted,
  withRemoved,
  withReplaced,
  type RouteTable,
} from "./route-table.js";
import { carryIndex } from "./table-index.js";
import {
  SCOPE_HOST,
  SCOPE_LINK,
  SCOPE_NOWHERE,
  SCOPE_UNIVERSE,
  TABLE_LOCAL,
  TABLE_MAIN,
  compareRoutes,
  typeErrno,
} from "./route.js";

/** How an add treats an existing route under the same key, as the `ip route` verbs set it. */
export type AddMode = "add" | "replace" | "prepend" | "append" | "change";

/** The scope each route type needs at least (`fib_props[].scope`); lower is wider. */
const TYPE_SCOPE: Partial<Record<Route["type"], number>> = {
  local: SCOPE_HOST,
  nat: SCOPE_HOST,
  broadcast: SCOPE_LINK,
  anycast: SCOPE_LINK,
};

/** Adds `route` to its table in `ns`, validating it as the kernel does; throws `KernelError`. */
export function addRoute(state: NetState, ns: Netns, route: Route, mode: AddMode): void {
  checkTos(route.tos);
  if (networkOf(route.dst, route.bits) !== route.dst) {
    throw rtnetlinkError("EINVAL", "Invalid prefix for given prefix length");
  }
  const checked = checkRoute(state, ns, route);
  insertChecked(ns, checked, mode);
}

/** Inserts an already validated route, creating its table on first use. */
export function insertChecked(ns: Netns, route: Route, mode: AddMode): void {
  // Tables are replaced, never changed in place, so the lookup index of the previous version
  // stays valid (see table-index.ts). A new version shares all chunks but one with the old.
  const table = plainTable(ns.tables[route.table] ?? EMPTY_TABLE);
  // Routes under one key are adjacent in a sorted table: from the first to the insertion point.
  const first = insertionPlace(table, route, true);
  const under = routesFrom(table, first, (other) => compareRoutes(other, route) === 0);
  if (under.length > 0) {
    if (mode === "add") throw rtnetlinkError("EEXIST");
    const twin = under.findIndex((other) => isSameRoute(other, route));
    if (mode === "replace" || mode === "change") {
      // Replacing a route by an identical one is a no-op; by one identical to a later route
      // under the same key, an EEXIST (`fib_table_insert`, `fa_match`).
      if (twin > 0) throw rtnetlinkError("EEXIST");
      store(ns, table, withReplaced(table, first, route), route);
      return;
    }
    if (twin >= 0) throw rtnetlinkError("EEXIST");
  } else if (mode === "change") {
    throw rtnetlinkError("ENOENT");
  }
  const place = mode === "prepend" ? first : insertionPlace(table, route, false);
  store(ns, table, withInserted(table, place, route), route);
}

/** Stores `next`, the version of `table` with `changed`'s prefix changed, and hands on its index. */
function store(ns: Netns, table: RouteTable, next: RouteTable, changed: Route): void {
  carryIndex(table, next, changed);
  ns.tables[changed.table] = next;
}

/** Rejects a TOS with ECN bits set, before any other check of an add or delete (`rtm_to_fib_config`). */
function checkTos(tos: number): void {
  if ((tos & 0x03) !== 0)
    throw rtnetlinkError("EINVAL", "Invalid dsfield (tos): ECN bits must be 0");
}

/** Reports whether two routes under one key are the same route (type and `fib_info`). */
function isSameRoute(a: Route, b: Route): boolean {
  return (
    a.type === b.type &&
    a.gateway === b.gateway &&
    a.dev === b.dev &&
    a.prefsrc === b.prefsrc &&
    a.scope === b.scope &&
    a.protocol === b.protocol &&
    (a.isOnlink === true) === (b.isOnlink === true)
  );
}

/**
 * Validates `route` in the order of `fib_create_info` and returns it with the nexthop scope and
 * link the kernel derives.
 */
function checkRoute(state: NetState, ns: Netns, route: Route): Route {
  if ((TYPE_SCOPE[route.type] ?? SCOPE_UNIVERSE) > route.scope) {
    throw rtnetlinkError("EINVAL", "Invalid scope");
  }
  if (typeErrno(route.type) !== undefined) {
    if (route.gateway !== undefined || route.dev !== undefined) {
      throw rtnetlinkError(
        "EINVAL",
        "Gateway, device and multipath can not be specified for this route type",
      );
    }
    return route;
  }
  if (route.type === "nat") throw rtnetlinkError("EINVAL", "Invalid route type");
  if (route.scope > SCOPE_HOST) throw rtnetlinkError("EINVAL", "Invalid scope");
  const checked = checkNexthop(state, ns, route);
  checkPrefsrc(state, ns, checked);
  return checked;
}

/**
 * Validates the nexthop of a route that forwards or delivers. Gateways are looked up with at
 * least link scope, so a gateway must sit in a connected subnet (or be a local address), not
 * behind another gateway.
 */
function checkNexthop(state: NetState, ns: Netns, route: Route): Route {
  if (route.scope === SCOPE_HOST) {
    if (route.gateway !== undefined) {
      throw rtnetlinkError("EINVAL", "Route with host scope can not have a gateway");
    }
    if (route.dev === undefined || ns.links[route.dev] === undefined) {
      throw rtnetlinkError("ENODEV");
    }
    return { ...route, nexthopScope: SCOPE_NOWHERE };
  }
  if (route.gateway === undefined) return checkDeviceNexthop(ns, route);
  if (route.isOnlink === true) return checkOnlinkNexthop(state, ns, route);
  return checkGatewayNexthop(state, ns, route);
}

function checkDeviceNexthop(ns: Netns, route: Route): Route {
  if (route.isOnlink === true) {
    throw rtnetlinkError(
      "EINVAL",
      "Invalid flags for nexthop - PERVASIVE and ONLINK can not be set",
    );
  }
  const link = route.dev === undefined ? undefined : ns.links[route.dev];
  if (link === undefined) throw rtnetlinkError("ENODEV");
  if (!link.isAdminUp) throw rtnetlinkError("ENETDOWN", "Device for nexthop is not up");
  return { ...route, nexthopScope: SCOPE_HOST };
}

function checkOnlinkNexthop(state: NetState, ns: Netns, route: Route): Route {
  if (route.scope >= SCOPE_LINK) throw rtnetlinkError("EINVAL", "Nexthop has invalid scope");
  const link = route.dev === undefined ? undefined : ns.links[route.dev];
  if (link === undefined) throw rtnetlinkError("ENODEV", "Nexthop device required for onlink");
  if (!link.isAdminUp) throw rtnetlinkError("ENETDOWN", "Nexthop device is not up");
  const kind = addressType(state, ns, route.gateway!, TABLE_LOCAL, link.ifindex);
  if (kind !== "unicast") throw rtnetlinkError("EINVAL", "Nexthop has invalid gateway");
  return { ...route, nexthopScope: SCOPE_LINK };
}

/** `fib_check_nh_v4_gw` without `onlink`: the gateway must be routable with link scope. */
function checkGatewayNexthop(state: NetState, ns: Netns, route: Route): Route {
  const query = {
    dst: route.gateway!,
    scope: Math.max(route.scope + 1, SCOPE_LINK),
    isLinkStateIgnored: true,
    ...(route.dev === undefined ? {} : { oif: route.dev }),
  };
  const table = route.table === TABLE_MAIN ? undefined : lookupRoutes(ns, route.table);
  let result = table === undefined ? undefined : lookupTable(state, ns, table, query);
  // Without the route's own table, or when it has no answer, the whole FIB decides.
  if (result === undefined || !result.ok) result = fibLookup(state, ns, query);
  if (!result.ok) throw rtnetlinkError("EINVAL", "Nexthop has invalid gateway");
  const via = result.route;
  if (via.type !== "unicast" && via.type !== "local") {
    throw rtnetlinkError("EINVAL", "Nexthop has invalid gateway");
  }
  const link = via.dev === undefined ? undefined : ns.links[via.dev];
  if (link === undefined) throw rtnetlinkError("EINVAL", "No egress device for nexthop gateway");
  if (!link.isAdminUp) throw rtnetlinkError("ENETDOWN");
  return { ...route, dev: link.ifindex, nexthopScope: via.scope };
}

/** `fib_valid_prefsrc`: a preferred source must be a local address of the route's table or local. */
function checkPrefsrc(state: NetState, ns: Netns, route: Route): void {
  if (route.prefsrc === undefined) return;
  if (route.type === "local" && route.dst !== 0 && route.prefsrc === route.dst) return;
  const table = route.table === TABLE_MAIN ? TABLE_LOCAL : route.table;
  let type = addressType(state, ns, route.prefsrc, table);
  if (type !== "local" && table !== TABLE_LOCAL) {
    type = addressType(state, ns, route.prefsrc, TABLE_LOCAL);
  }
  if (type !== "local") throw rtnetlinkError("EINVAL", "Invalid prefsrc address");
}

/**
 * Returns what the kernel's `inet_addr_type_table` (or, with `dev`, `inet_addr_type_dev_table`)
 * says an address is in `ns`: broadcast for 0.0.0.0/8 and 255.255.255.255, multicast for
 * 224.0.0.0/4, else the type of the route `table` chooses for it (unicast when there is none or
 * when it leaves by another link than `dev`). A missing table makes everything broadcast.
 */
export function addressType(
  state: NetState,
  ns: Netns,
  addr: number,
  table = TABLE_LOCAL,
  dev?: number,
): Route["type"] {
  if (isZeronet(addr) || addr === ALL_ONES) return "broadcast";
  if (isMulticast(addr)) return "multicast";
  const routes = lookupRoutes(ns, table);
  if (routes === undefined) return "broadcast";
  const result = lookupTable(state, ns, routes, { dst: addr });
  if (!result.ok) return "unicast";
  if (dev !== undefined && result.route.dev !== dev) return "unicast";
  return result.route.type;
}

/** What a delete must match; unset fields match anything, as `fib_table_delete` treats them. */
export interface RouteMatch {
  table: number;
  dst: number;
  bits: number;
  tos: number;
  type?: Route["type"];
  metric?: number;
  protocol?: number;
  scope?: number;
  prefsrc?: number;
  gateway?: number;
  dev?: number;
}

/** Deletes the first route that `match` selects; throws ESRCH when there is none. */
export function deleteRoute(ns: Netns, match: RouteMatch): Route {
  checkTos(match.tos);
  const stored = ns.tables[match.table];
  if (stored === undefined) throw rtnetlinkError("ESRCH", "FIB table does not exist");
  // The plain table, so that the version stored back contains no immer drafts.
  const table = plainTable(stored);
  // The routes under one prefix and TOS are adjacent in the sorted table. The first of them sits
  // where a route with a metric below every real metric would go.
  const { dst, bits, tos } = match;
  const probe = { table: match.table, dst, bits, tos, metric: -1 } as Route;
  for (let place = insertionPlace(table, probe, true); ; place = nextPlace(table, place)) {
    const route = routeAt(table, place);
    if (route === undefined || route.dst !== dst || route.bits !== bits || route.tos !== tos) {
      throw rtnetlinkError("ESRCH");
    }
    if (matchesForDelete(route, match)) {
      store(ns, table, withRemoved(table, place), route);
      return route;
    }
  }
}

function matchesForDelete(route: Route, match: RouteMatch): boolean {
  return (
    route.dst === match.dst &&
    route.bits === match.bits &&
    route.tos === match.tos &&
    (match.type === undefined || route.type === match.type) &&
    (match.metric === undefined || route.metric === match.metric) &&
    (match.protocol === undefined || route.protocol === match.protocol) &&
    (match.scope === undefined || match.scope === SCOPE_NOWHERE || route.scope === match.scope) &&
    (match.prefsrc === undefined || route.prefsrc === match.prefsrc) &&
    (match.gateway === undefined || route.gateway === match.gateway) &&
    (match.dev === undefined || route.dev === match.dev)
  );
}

/** Removes every route of `ns` that `isDoomed` selects, in every table. */
export function removeRoutes(ns: Netns, isDoomed: (route: Route) => boolean): void {
  for (const [id, stored] of Object.entries(ns.tables)) {
    const routes = tableRoutes(stored);
    if (routes.some(isDoomed))
      ns.tables[Number(id)] = tableOf(routes.filter((route) => !isDoomed(route)));
  }
}

/** Returns the routes of `table` in the kernel's dump order, which is the table's own order. */
export function routesOf(ns: Netns, table: number): readonly Route[] {
  return tableRoutes(ns.tables[table]);
}
