/**
 * The longest-prefix-match index of a route table: a `Trie4` from each prefix to the routes
 * stored under it, in table order, built once per table version and cached.
 *
 * Tables live in immer state, and immer hands out drafts while a command runs. A draft read from
 * the previous state has that state's frozen array as its `original`, and table arrays are only
 * ever replaced, never changed in place (see `route-ops.ts`), so the frozen original has the
 * same routes. The cache holds frozen arrays only: an array built during the current command
 * may still contain drafts, so it is scanned linearly until the command ends and it is frozen.
 */
import { current, isDraft, original } from "immer";
import { containsIp4, networkOf } from "../addr/ip4.js";
import { compareRoutes, type Route } from "./route.js";
import { Trie4 } from "./trie4.js";

const indexes = new WeakMap<readonly Route[], Trie4<Route[]>>();

/** Returns the frozen array behind `routes`, or undefined when it may still change. */
function frozenBase(routes: readonly Route[]): readonly Route[] | undefined {
  // A frozen array is never a draft; the check spares immer's lookup on the hot path.
  if (Object.isFrozen(routes)) return routes;
  const base = isDraft(routes)
    ? (original(routes as Route[]) as readonly Route[] | undefined)
    : routes;
  return base !== undefined && Object.isFrozen(base) ? base : undefined;
}

/**
 * Returns the plain array behind a table read from a draft: the frozen array while the command
 * has not replaced the table, else the array it stored. Reading a draft array element by element
 * would make immer create a draft per route. Every table a command stores goes through
 * route-ops.ts, which builds it from such plain arrays, so a stored table contains no drafts.
 */
export function plainRoutes(routes: readonly Route[]): readonly Route[] {
  return isDraft(routes) ? (current(routes as Route[]) as readonly Route[]) : routes;
}

function buildIndex(routes: readonly Route[]): Trie4<Route[]> {
  const index = new Trie4<Route[]>();
  for (const route of routes) {
    const group = index.get(route.dst, route.bits);
    if (group === undefined) index.insert(route.dst, route.bits, [route]);
    else group.push(route);
  }
  return index;
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
const lookupCounts = new WeakMap<readonly Route[], number>();

/** Returns the routes whose prefix contains `dst`, grouped by prefix, longest first. */
export function matchingPrefixes(routes: readonly Route[], dst: number): Route[][] {
  if (routes.length < MIN_INDEXED_ROUTES) {
    return Object.isFrozen(routes) ? scanGroups(routes, dst) : scanPrefixes(routes, dst);
  }
  const base = frozenBase(routes);
  if (base === undefined) return scanPrefixes(routes, dst);
  let index = indexes.get(base);
  if (index === undefined) {
    const count = (lookupCounts.get(base) ?? 0) + 1;
    lookupCounts.set(base, count);
    if (count < LOOKUPS_BEFORE_INDEX) {
      return sortedTables.has(base) ? searchSorted(base, dst) : scanPrefixes(base, dst);
    }
    index = buildIndex(base);
    indexes.set(base, index);
  }
  return index.matches(dst).map((match) => match.value);
}

/** A prefix of a short frozen table and its routes, in table order. */
interface PrefixGroup {
  dst: number;
  bits: number;
  routes: Route[];
}

/** The prefixes of each short frozen table, longest first. */
const prefixGroups = new WeakMap<readonly Route[], PrefixGroup[]>();

/**
 * Returns the matching prefixes of a short frozen table. Its prefixes are grouped and sorted
 * once, so a lookup only tests each prefix, where `scanPrefixes` groups and sorts on every call.
 * Probes look the same few small tables up millions of times.
 */
function scanGroups(routes: readonly Route[], dst: number): Route[][] {
  let groups = prefixGroups.get(routes);
  if (groups === undefined) {
    const byPrefix = new Map<string, PrefixGroup>();
    for (const route of routes) {
      const key = `${route.dst}/${route.bits}`;
      const group = byPrefix.get(key);
      if (group === undefined)
        byPrefix.set(key, { dst: route.dst, bits: route.bits, routes: [route] });
      else group.routes.push(route);
    }
    // Array.prototype.sort is stable, so prefixes of one length keep their table order.
    groups = [...byPrefix.values()].sort((a, b) => b.bits - a.bits);
    prefixGroups.set(routes, groups);
  }
  const found: Route[][] = [];
  for (const group of groups) {
    if (containsIp4(group.dst, group.bits, dst)) found.push(group.routes);
  }
  return found;
}

/**
 * Returns the routes of one table in the kernel's dump order (`fib_table_dump` in
 * net/ipv4/fib_trie.c). The trie's walk gives the prefixes by ascending address, longer prefix
 * first at one address, and each prefix lists its routes in table order (`compareRoutes`).
 */
export function routesInDumpOrder(routes: readonly Route[]): Route[] {
  const base = routes.length < MIN_INDEXED_ROUTES ? undefined : frozenBase(routes);
  let index = base === undefined ? undefined : indexes.get(base);
  if (index === undefined) {
    index = buildIndex(base ?? routes);
    // A listing walks every route once, as a build does, so the index it builds is kept for
    // the lookups that follow.
    if (base !== undefined) indexes.set(base, index);
  }
  const listed: Route[] = [];
  index.forEachDumpOrder((_addr, _bits, group) => {
    // `insertChecked` keeps each prefix's routes in table order already. The stable sort
    // guards a table that other code filled, and a group of one skips it.
    if (group.length === 1) listed.push(group[0]!);
    else listed.push(...[...group].sort(compareRoutes));
  });
  return listed;
}

/**
 * Frozen tables known to be sorted by `compareRoutes`: the ones route-ops.ts builds, which keeps
 * every table in that order. A version looked up once or twice, as a script that adds routes one
 * by one does, is searched instead of scanned.
 */
const sortedTables = new WeakSet<readonly Route[]>();

/** Records that the frozen array `routes` is sorted by `compareRoutes`, and returns it. */
export function markSorted(routes: readonly Route[]): readonly Route[] {
  sortedTables.add(routes);
  return routes;
}

/** Reports whether `routes` was recorded as sorted by `compareRoutes`. */
export function isMarkedSorted(routes: readonly Route[]): boolean {
  return sortedTables.has(routes);
}

/**
 * Returns what `scanPrefixes` returns, for a table sorted by `compareRoutes`: table id
 * descending, then address ascending and the longer prefix first. Within each table's run it
 * finds the routes of every prefix that contains `dst` by binary search, 33 lengths at
 * O(log n) each instead of a pass over every route.
 */
function searchSorted(routes: readonly Route[], dst: number): Route[][] {
  const groups: Route[][] = [];
  for (let bits = 32; bits >= 0; bits--) {
    const net = networkOf(dst, bits);
    let group: Route[] | undefined;
    for (let start = 0; start < routes.length;) {
      const table = routes[start]!.table;
      const end = firstIndex(routes, start, routes.length, (route) => route.table !== table);
      // The first route at or after net/bits in (address ascending, prefix descending) order.
      let at = firstIndex(
        routes,
        start,
        end,
        (route) => route.dst > net || (route.dst === net && route.bits <= bits),
      );
      for (; at < end && routes[at]!.dst === net && routes[at]!.bits === bits; at++) {
        (group ??= []).push(routes[at]!);
      }
      start = end;
    }
    if (group !== undefined) groups.push(group);
  }
  return groups;
}

/** Returns the first index in [from, to) where `isPast` holds, for a predicate false then true. */
function firstIndex(
  routes: readonly Route[],
  from: number,
  to: number,
  isPast: (route: Route) => boolean,
): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isPast(routes[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The slow path: a linear scan, for tables the current command is still changing. */
function scanPrefixes(routes: readonly Route[], dst: number): Route[][] {
  const groups = new Map<number, Route[]>();
  for (const route of routes) {
    if (!containsIp4(route.dst, route.bits, dst)) continue;
    const group = groups.get(route.bits);
    if (group === undefined) groups.set(route.bits, [route]);
    else group.push(route);
  }
  return [...groups.entries()].sort((a, b) => b[0] - a[0]).map(([, group]) => group);
}

/**
 * Returns the prefixes of local and main that contain `dst`, longest first, searched as one
 * table: at a prefix both hold, the local routes come first, as in the kernel's merged trie
 * while a namespace has no rules. Each table keeps its own index, so a script that adds routes
 * one by one does not copy both tables into a merged array at every add.
 */
export function matchingPrefixesMerged(
  local: readonly Route[],
  main: readonly Route[],
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
