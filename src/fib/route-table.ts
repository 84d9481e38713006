/**
 * One routing table as the namespace state stores it: its routes sorted by `compareRoutes`, cut
 * into chunks that later versions of the table share.
 *
 * State is immutable, so every route added or deleted makes a new version of its table. A flat
 * array would be copied whole each time, and a script that adds a host's full table one route at
 * a time would take time quadratic in its length. A change here copies one chunk and the list of
 * chunks instead.
 *
 * Where a chunk ends depends only on the routes: after each route whose key hashes to a multiple
 * of `CHUNK`, as in content-defined chunking. The same routes in the same order make the same
 * chunks whatever order they were added in, so equal tables compare equal as plain data.
 */
import { current, freeze, isDraft } from "immer";
import { compareRoutes, type Route } from "./route.js";

/**
 * A routing table: `chunks` concatenated are its routes in `compareRoutes` order. Every table is
 * frozen. Its types are mutable only because immer's draft types cannot hold readonly arrays.
 */
export interface RouteTable {
  size: number;
  chunks: Route[][];
}

/**
 * Routes per chunk on average, a power of two. A change copies about one chunk and
 * `size / CHUNK` chunk references; 256 keeps both small up to a million routes.
 */
const CHUNK = 256;

export const EMPTY_TABLE: RouteTable = freeze({ size: 0, chunks: [] }, true);

/** Reports whether a chunk ends after `route`: a hash of its key, the fields that sort it. */
export function endsChunk(route: Route): boolean {
  let hash = Math.imul(route.dst ^ Math.imul(route.bits, 0x9e3779b1), 0x85ebca6b);
  hash = Math.imul(hash ^ Math.imul(route.tos, 0xc2b2ae35) ^ (hash >>> 13), 0x27d4eb2f);
  hash = Math.imul(hash ^ route.metric ^ (hash >>> 16), 0x165667b1);
  return ((hash ^ (hash >>> 15)) & (CHUNK - 1)) === 0;
}

/** Cuts sorted routes into chunks after each route that ends one. The last chunk may end anywhere. */
function cut(routes: readonly Route[], chunks: Route[][]): void {
  let start = 0;
  for (let i = 0; i < routes.length; i++) {
    if (i === routes.length - 1 || endsChunk(routes[i]!)) {
      chunks.push(freeze(routes.slice(start, i + 1)));
      start = i + 1;
    }
  }
}

function made(size: number, chunks: Route[][]): RouteTable {
  return freeze({ size, chunks: freeze(chunks) });
}

/** Returns the table of `routes`, sorted by `compareRoutes`. Routes under one key keep their order. */
export function tableOf(routes: readonly Route[]): RouteTable {
  const sorted = [...routes].sort(compareRoutes);
  for (const route of sorted) freeze(route, true);
  const chunks: Route[][] = [];
  cut(sorted, chunks);
  return made(sorted.length, chunks);
}

/**
 * Returns the stored table behind `table`: read through an immer draft of the namespace, a table
 * is itself a draft, but tables are only ever replaced, never changed in place, so the draft's
 * current value is the frozen table.
 */
export function plainTable(table: RouteTable): RouteTable {
  return isDraft(table) ? current(table) : table;
}

const flatRoutes = new WeakMap<RouteTable, readonly Route[]>();

/** Returns the routes of `table` in order, as one frozen array, kept per table version. */
export function tableRoutes(table: RouteTable | undefined): readonly Route[] {
  if (table === undefined) return [];
  const plain = plainTable(table);
  if (plain.chunks.length === 1) return plain.chunks[0]!;
  let routes = flatRoutes.get(plain);
  if (routes === undefined) {
    routes = freeze(plain.chunks.flat());
    flatRoutes.set(plain, routes);
  }
  return routes;
}

/** A place in a table: the chunk, and the index within it. */
interface Place {
  chunk: number;
  index: number;
}

/**
 * Returns the first place in `table` where `isPast` holds, for a predicate that is false and
 * then true along the table's order. When it never holds, the place is past the last route.
 */
export function firstPlace(table: RouteTable, isPast: (route: Route) => boolean): Place {
  const { chunks } = table;
  let low = 0;
  let high = chunks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const chunk = chunks[middle]!;
    if (isPast(chunk[chunk.length - 1]!)) high = middle;
    else low = middle + 1;
  }
  if (low === chunks.length) {
    return low === 0 ? { chunk: 0, index: 0 } : { chunk: low - 1, index: chunks[low - 1]!.length };
  }
  const chunk = chunks[low]!;
  let first = 0;
  let last = chunk.length - 1;
  while (first < last) {
    const middle = (first + last) >>> 1;
    if (isPast(chunk[middle]!)) last = middle;
    else first = middle + 1;
  }
  return { chunk: low, index: first };
}

/**
 * Returns the routes from `place` on while `isIncluded` holds, in order. Routes under one key can
 * span chunks, so the walk goes on into the next chunk.
 */
export function routesFrom(
  table: RouteTable,
  place: Place,
  isIncluded: (route: Route) => boolean,
): Route[] {
  const found: Route[] = [];
  for (let c = place.chunk, i = place.index; c < table.chunks.length; c++, i = 0) {
    const chunk = table.chunks[c]!;
    for (; i < chunk.length; i++) {
      if (!isIncluded(chunk[i]!)) return found;
      found.push(chunk[i]!);
    }
  }
  return found;
}

/** Returns the place where a route under `route`'s key goes: after them, or before with `isPrepend`. */
export function insertionPlace(table: RouteTable, route: Route, isPrepend: boolean): Place {
  return firstPlace(table, (other) => {
    const order = compareRoutes(other, route);
    return order > 0 || (isPrepend && order === 0);
  });
}

/**
 * Returns `table` with the `span` chunks from `at` replaced by `pieces`, each a chunk already cut
 * as the routes require.
 */
function withChunks(table: RouteTable, at: number, span: number, pieces: Route[][], size: number) {
  // Spread, not `slice`: V8 copies a frozen array through `slice` about 20 times slower.
  const chunks = [...table.chunks];
  chunks.splice(
    at,
    span,
    ...pieces.filter((piece) => piece.length > 0).map((piece) => freeze(piece)),
  );
  return made(size, chunks);
}

/** Returns `table` with `route` (frozen here) inserted at `place`. */
export function withInserted(table: RouteTable, place: Place, route: Route): RouteTable {
  freeze(route, true);
  const chunk = table.chunks[place.chunk];
  if (chunk === undefined) return made(1, [freeze([route])]);
  const at = place.index;
  const routes = [...chunk];
  routes.splice(at, 0, route);
  // Only the new route can end the chunk early. A route added after the chunk's last route
  // lets that route end the chunk, if its key ends one. No other route changes its chunk.
  let cutAfter = -1;
  if (at === chunk.length && endsChunk(chunk[at - 1]!)) cutAfter = at - 1;
  else if (endsChunk(route)) cutAfter = at;
  const pieces =
    cutAfter < 0 ? [routes] : [routes.slice(0, cutAfter + 1), routes.slice(cutAfter + 1)];
  return withChunks(table, place.chunk, 1, pieces, table.size + 1);
}

/** Returns `table` with the route at `place` replaced by `route`, which has the same key. */
export function withReplaced(table: RouteTable, place: Place, route: Route): RouteTable {
  freeze(route, true);
  const routes = [...table.chunks[place.chunk]!];
  routes[place.index] = route;
  return withChunks(table, place.chunk, 1, [routes], table.size);
}

/** Returns `table` without the route at `place`. */
export function withRemoved(table: RouteTable, place: Place): RouteTable {
  const routes = [...table.chunks[place.chunk]!];
  routes.splice(place.index, 1);
  // The removed route ended its chunk, so without it the chunk runs on into the next one.
  const isJoined = place.index === routes.length && place.chunk + 1 < table.chunks.length;
  if (isJoined) routes.push(...table.chunks[place.chunk + 1]!);
  return withChunks(table, place.chunk, isJoined ? 2 : 1, [routes], table.size - 1);
}

/** Returns the route at `place`, or undefined past the end. */
export function routeAt(table: RouteTable, place: Place): Route | undefined {
  return table.chunks[place.chunk]?.[place.index];
}

/** Returns the place after `place`, moving into the next chunk at a chunk's end. */
export function nextPlace(table: RouteTable, place: Place): Place {
  const chunk = table.chunks[place.chunk];
  if (
    chunk !== undefined &&
    place.index + 1 >= chunk.length &&
    place.chunk + 1 < table.chunks.length
  ) {
    return { chunk: place.chunk + 1, index: 0 };
  }
  return { chunk: place.chunk, index: place.index + 1 };
}
