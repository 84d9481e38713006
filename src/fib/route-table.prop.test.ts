import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prefix4 } from "../../test/arbitraries/prefix.js";
import { compareRoutes, PROTO_BOOT, TABLE_MAIN, type Route } from "./route.js";
import {
  EMPTY_TABLE,
  endsChunk,
  insertionPlace,
  tableOf,
  tableRoutes,
  withInserted,
  withRemoved,
  withReplaced,
  type RouteTable,
} from "./route-table.js";

/**
 * Returns a route. With `isEnd` its metric is raised until the route ends a chunk, so that
 * tables of a few dozen routes have many chunks. Random routes end one in 256.
 */
function routeOf(addr: number, bits: number, metric: number, tos: number, isEnd: boolean): Route {
  const route: Route = {
    table: TABLE_MAIN,
    type: "unicast",
    dst: addr,
    bits,
    tos,
    metric,
    protocol: PROTO_BOOT,
    scope: 0,
    dev: 2,
  };
  while (isEnd && !endsChunk(route)) route.metric++;
  return route;
}

// Few distinct prefixes and metrics, so that routes often share a key.
const route = fc
  .tuple(
    fc.oneof(prefix4(), fc.constantFrom({ addr: 0x0a000000, bits: 8 }, { addr: 0, bits: 0 })),
    fc.nat(2),
    fc.nat(1),
    fc.boolean(),
  )
  .map(([p, metric, tos, isEnd]) => routeOf(p.addr, p.bits, metric, tos, isEnd));

type Op =
  | { kind: "insert"; route: Route; isPrepend: boolean }
  | { kind: "remove"; at: number }
  | { kind: "replace"; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("insert" as const), route, isPrepend: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat() }) },
);

/** Returns the place of the route at flat index `at`, walked chunk by chunk. */
function placeOf(table: RouteTable, at: number): { chunk: number; index: number } {
  let chunk = 0;
  while (at >= table.chunks[chunk]!.length) at -= table.chunks[chunk++]!.length;
  return { chunk, index: at };
}

/** Returns where the reference inserts: before the first greater route, or the first equal one. */
function referenceIndex(routes: readonly Route[], added: Route, isPrepend: boolean): number {
  const index = routes.findIndex((other) => {
    const order = compareRoutes(other, added);
    return order > 0 || (isPrepend && order === 0);
  });
  return index < 0 ? routes.length : index;
}

function checkChunks(table: RouteTable): void {
  expect(table.size).toBe(table.chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  table.chunks.forEach((chunk, c) => {
    expect(chunk.length).toBeGreaterThan(0);
    // A chunk ends exactly after the routes that end one. The last chunk may end anywhere.
    chunk.slice(0, -1).forEach((r) => expect(endsChunk(r)).toBe(false));
    if (c < table.chunks.length - 1) expect(endsChunk(chunk[chunk.length - 1]!)).toBe(true);
  });
  expect(Object.isFrozen(table)).toBe(true);
  expect(Object.isFrozen(table.chunks)).toBe(true);
}

describe("route table", () => {
  it("matches a flat list after each change", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        let table = EMPTY_TABLE;
        const reference: Route[] = [];
        for (const step of ops) {
          if (step.kind === "insert") {
            table = withInserted(
              table,
              insertionPlace(table, step.route, step.isPrepend),
              step.route,
            );
            reference.splice(referenceIndex(reference, step.route, step.isPrepend), 0, step.route);
          } else if (reference.length > 0) {
            const at = step.at % reference.length;
            if (step.kind === "remove") {
              table = withRemoved(table, placeOf(table, at));
              reference.splice(at, 1);
            } else {
              const next = { ...reference[at]!, dev: 3 };
              table = withReplaced(table, placeOf(table, at), next);
              reference[at] = next;
            }
          }
          checkChunks(table);
          expect(tableRoutes(table)).toEqual(reference);
        }
        // However the table came about, its chunks are those of a table built in one go.
        expect(table).toEqual(tableOf(reference));
      }),
      { numRuns: 300 },
    );
  });

  it("sorts routes stably by key", () => {
    fc.assert(
      fc.property(fc.array(route, { maxLength: 80 }), (routes) => {
        const table = tableOf(routes);
        checkChunks(table);
        // Array.prototype.sort is stable: this is the kernel's order for routes added in turn.
        expect(tableRoutes(table)).toEqual([...routes].sort(compareRoutes));
      }),
    );
  });

  it("cuts after a last route that ends a chunk", () => {
    // Found by the first property: both routes end a chunk, and the second goes after the first,
    // which until then ended the table without a chunk after it.
    const first = routeOf(0x0a000000, 8, 0, 0, true);
    const second = routeOf(0x0a000100, 24, 0, 0, true);
    let table = withInserted(EMPTY_TABLE, insertionPlace(EMPTY_TABLE, first, false), first);
    table = withInserted(table, insertionPlace(table, second, false), second);

    expect(table.chunks).toEqual([[first], [second]]);
    expect(table).toEqual(tableOf([first, second]));
  });
});
