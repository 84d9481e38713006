/**
 * The longest-prefix-match index of a route table: a `Trie4` from each prefix to the routes
 * stored under it, in table order, built once per table version and cached.
 *
 * Tables live in immer state and are only ever replaced, never changed in place (see
 * `route-ops.ts` and `route-table.ts`), so a table version read through a draft is the frozen
 * table stored before, and its index stays valid.
 */
import { containsIp4, networkOf } from "../addr/ip4.js";
import type { Route } from "./route.js";
import { firstPlace, plainTable, routesFrom, tableRoutes, type RouteTable } from "./route-table.js";
import { Trie4 } from "./trie4.js";

const indexes = new WeakMap<RouteTable, Trie4<Route[]>>();

function buildIndex(table: RouteTable): Trie4<Route[]> {
  // The table is sorted, so the routes of one prefix are adjacent: one group per run.
  const addrs: number[] = [];
  const lengths: number[] = [];
  const groups: Route[][] = [];
  for (const chunk of table.chunks) {
    for (const route of chunk) {
      const last = groups.length - 1;
      if (last >= 0 && addrs[last] === route.dst && lengths[last] === route.bits) {
        groups[last]!.push(route);
      } else {
        addrs.push(route.dst);
        lengths.push(route.bits);
        groups.push([route]);
      }
    }
  }
  const index = new Trie4<Route[]>();
  index.insertMany(addrs, lengths, groups);
  return index;
}

/**
 * Moves the index of table version `from` to `to`, which differs from it only in the routes of
 * the prefix `changed`, and updates that prefix in place. A script that changes a big table
 * and probes after each change then updates one index instead of building one per version.
 * `from` loses its index and builds a new one if it is looked up again.
 */
export function carryIndex(from: RouteTable, to: RouteTable, changed: Route): void {
  const index = indexes.get(from);
  if (index === undefined) return;
  indexes.delete(from);
  // A new array: lookups handed out the old group.
  const group = routesOfPrefix(to, changed.dst, changed.bits);
  if (group.length === 0) index.delete(changed.dst, changed.bits);
  else index.insert(changed.dst, changed.bits, group);
  indexes.set(to, index);
}

/**
 * Tables shorter than this are always scanned: for a handful of routes a scan beats the trie.
 * Measured on the container-bridge story and a 3,000-route table (`npm run bench:story` and a
 * local run), not tuned further.
 */
const MIN_INDEXED_ROUTES = 64;
/**
 * Lookups of one table version before it gets an index. A script that adds routes one by one
 * makes a new version per route and looks each up once or twice (gateway checks), so indexing
 * every version would cost a trie build per route; probes look one version up many times.
 */
const LOOKUPS_BEFORE_INDEX = 4;
const lookupCounts = new WeakMap<RouteTable, number>();

/** Returns the routes whose prefix contains `dst`, grouped by prefix, longest first. */
export function matchingPrefixes(stored: RouteTable, dst: number): Route[][] {
  const table = plainTable(stored);
  if (table.size < MIN_INDEXED_ROUTES) return scanGroups(table, dst);
  let index = indexes.get(table);
  if (index === undefined) {
    const count = (lookupCounts.get(table) ?? 0) + 1;
    lookupCounts.set(table, count);
    if (count < LOOKUPS_BEFORE_INDEX) return searchSorted(table, dst);
    index = buildIndex(table);
    indexes.set(table, index);
  }
  return index.matches(dst).map((match) => match.value);
}

/** A prefix of a short table and its routes, in table order. */
interface PrefixGroup {
  dst: number;
  bits: number;
  routes: Route[];
}

/** The prefixes of each short table, longest first. */
const prefixGroups = new WeakMap<RouteTable, PrefixGroup[]>();

/**
 * Returns the matching prefixes of a short table. Its prefixes are grouped and sorted once, so a
 * lookup only tests each prefix. Probes look the same few small tables up millions of times.
 */
function scanGroups(table: RouteTable, dst: number): Route[][] {
  let groups = prefixGroups.get(table);
  if (groups === undefined) {
    const byPrefix = new Map<string, PrefixGroup>();
    for (const route of tableRoutes(table)) {
      const key = `${route.dst}/${route.bits}`;
      const group = byPrefix.get(key);
      if (group === undefined)
        byPrefix.set(key, { dst: route.dst, bits: route.bits, routes: [route] });
      else group.routes.push(route);
    }
    // Array.prototype.sort is stable, so prefixes of one length keep their table order.
    groups = [...byPrefix.values()].sort((a, b) => b.bits - a.bits);
    prefixGroups.set(table, groups);
  }
  const found: Route[][] = [];
  for (const group of groups) {
    if (containsIp4(group.dst, group.bits, dst)) found.push(group.routes);
  }
  return found;
}

/**
 * Returns what the index would, from the sorted table itself: address ascending and the longer
 * prefix first. For each of the 33 prefix lengths a binary search finds the routes of the prefix
 * of that length that contains `dst`, O(log n) each instead of a pass over every route.
 */
function searchSorted(table: RouteTable, dst: number): Route[][] {
  const groups: Route[][] = [];
  for (let bits = 32; bits >= 0; bits--) {
    const group = routesOfPrefix(table, networkOf(dst, bits), bits);
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

/** Returns the routes of the prefix net/bits in `table`, found by binary search, in order. */
function routesOfPrefix(table: RouteTable, net: number, bits: number): Route[] {
  // The first route at or after net/bits in (address ascending, prefix descending) order.
  const place = firstPlace(
    table,
    (route) => route.dst > net || (route.dst === net && route.bits <= bits),
  );
  return routesFrom(table, place, (route) => route.dst === net && route.bits === bits);
}

/**
 * Returns the prefixes of local and main that contain `dst`, longest first, searched as one
 * table: at a prefix both hold, the local routes come first, as in the kernel's merged trie
 * while a namespace has no rules. Each table keeps its own index, so a script that adds routes
 * one by one does not copy both tables into a merged array at every add.
 */
export function matchingPrefixesMerged(
  local: RouteTable,
  main: RouteTable,
  dst: number,
): Route[][] {
  const fromLocal = matchingPrefixes(local, dst);
  const fromMain = matchingPrefixes(main, dst);
  if (fromLocal.length === 0) return fromMain;
  if (fromMain.length === 0) return fromLocal;
  const groups: Route[][] = [];
  let l = 0;
  let m = 0;
  while (l < fromLocal.length && m < fromMain.length) {
    const localBits = fromLocal[l]![0]!.bits;
    const mainBits = fromMain[m]![0]!.bits;
    if (localBits > mainBits) groups.push(fromLocal[l++]!);
    else if (mainBits > localBits) groups.push(fromMain[m++]!);
    else groups.push([...fromLocal[l++]!, ...fromMain[m++]!]);
  }
  while (l < fromLocal.length) groups.push(fromLocal[l++]!);
  while (m < fromMain.length) groups.push(fromMain[m++]!);
  return groups;
}
