import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addr4, mask4, prefix4 } from "../../test/arbitraries/prefix.js";
import type { Route } from "./route.js";
import { PROTO_BOOT, TABLE_LOCAL, TABLE_MAIN, compareRoutes } from "./route.js";
import {
  isMarkedSorted,
  markSorted,
  matchingPrefixes,
  matchingPrefixesMerged,
  routesInDumpOrder,
} from "./table-index.js";

function routeAt(dst: number, bits: number, metric: number): Route {
  return {
    table: TABLE_MAIN,
    type: "unicast",
    dst,
    bits,
    tos: 0,
    metric,
    protocol: PROTO_BOOT,
    scope: 0,
    dev: 2,
  };
}

/** Slow and obvious: every route containing `dst`, grouped by prefix length, longest first. */
function referenceGroups(routes: readonly Route[], dst: number): Route[][] {
  const groups: Route[][] = [];
  for (let bits = 32; bits >= 0; bits--) {
    const group = routes.filter((r) => r.bits === bits && (dst & mask4(bits)) >>> 0 === r.dst);
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

// Big enough tables, with repeated prefixes so that groups hold several routes.
const table = fc
  .array(fc.tuple(prefix4(), fc.nat(3)), { minLength: 64, maxLength: 300 })
  .map((items) =>
    Object.freeze(items.map(([p, metric]) => Object.freeze(routeAt(p.addr, p.bits, metric)))),
  );

function destinations(routes: readonly Route[]): fc.Arbitrary<number[]> {
  const inside = fc
    .tuple(fc.constantFrom(...routes), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([r, host]) => (r.dst | (host & ~mask4(r.bits))) >>> 0);
  return fc.array(fc.oneof(inside, addr4()), { minLength: 8, maxLength: 20 });
}

describe("table index", () => {
  it("matches the linear grouping, before and after it builds its trie", () => {
    fc.assert(
      fc.property(
        table.chain((routes) => fc.tuple(fc.constant(routes), destinations(routes))),
        ([routes, dsts]) => {
          for (const dst of dsts)
            expect(matchingPrefixes(routes, dst)).toEqual(referenceGroups(routes, dst));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("merges local and main, local first", () => {
    // A short local table (scanned) or a long one (indexed after a few lookups) beside a long
    // main table, with prefixes drawn so that the two often share one.
    const local = fc
      .array(fc.tuple(prefix4(), fc.nat(3)), { maxLength: 100 })
      .map((items) =>
        Object.freeze(
          items.map(([p, metric]) =>
            Object.freeze({ ...routeAt(p.addr, p.bits, metric), table: TABLE_LOCAL }),
          ),
        ),
      );
    fc.assert(
      fc.property(
        fc
          .tuple(local, table)
          .chain(([l, m]) => fc.tuple(fc.constant(l), fc.constant(m), destinations([...l, ...m]))),
        ([l, m, dsts]) => {
          for (const dst of dsts) {
            expect(matchingPrefixesMerged(l, m, dst)).toEqual(referenceGroups([...l, ...m], dst));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lists a table in dump order", () => {
    // Tables of every size, so that the listing walks both a plain list and a trie, and both a
    // fresh index and one cached by earlier lookups.
    const anySize = fc.array(fc.tuple(prefix4(), fc.nat(3), fc.nat(1)), { maxLength: 200 });
    fc.assert(
      fc.property(anySize, fc.boolean(), fc.nat(6), (items, isFrozen, lookups) => {
        const routes = items.map(([p, metric, tos]) => ({
          ...routeAt(p.addr, p.bits, metric),
          tos,
        }));
        if (isFrozen) Object.freeze(routes);
        for (let i = 0; i < lookups; i++) matchingPrefixes(routes, routes[i]?.dst ?? 0);
        expect(routesInDumpOrder(routes)).toEqual([...routes].sort(compareRoutes));
      }),
      { numRuns: 200 },
    );
  });

  it("searches sorted and merged tables", () => {
    // Sorted and marked as route-ops.ts stores them, local and main with clashing prefixes, TOS
    // and metrics. The first lookups of a version take the binary search.
    const sortedTable = (id: number) =>
      fc
        .array(fc.tuple(prefix4(), fc.nat(3), fc.nat(1)), { minLength: 64, maxLength: 200 })
        .map((items) => {
          const routes = items.map(([p, metric, tos]) =>
            Object.freeze({ ...routeAt(p.addr, p.bits, metric), table: id, tos }),
          );
          return markSorted(Object.freeze(routes.sort(compareRoutes)));
        });
    fc.assert(
      fc.property(
        fc
          .tuple(sortedTable(TABLE_LOCAL), sortedTable(TABLE_MAIN))
          .chain(([local, main]) =>
            fc.tuple(fc.constant(local), fc.constant(main), destinations([...local, ...main])),
          ),
        ([local, main, dsts]) => {
          expect(isMarkedSorted(local)).toBe(true);
          expect(isMarkedSorted(main)).toBe(true);
          // Local and main searched as one table are the two tables concatenated, local first.
          for (const dst of dsts.slice(0, 3)) {
            expect(matchingPrefixes(main, dst)).toEqual(referenceGroups(main, dst));
            expect(matchingPrefixesMerged(local, main, dst)).toEqual(
              referenceGroups([...local, ...main], dst),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("does not cache a table that may still change", () => {
    const routes = Array.from({ length: 80 }, (_, i) =>
      routeAt(((10 << 24) | (i << 8)) >>> 0, 24, 0),
    );
    for (let i = 0; i < 6; i++) matchingPrefixes(routes, (10 << 24) >>> 0);
    routes.push(routeAt((10 << 24) >>> 0, 16, 0));
    expect(matchingPrefixes(routes, (10 << 24) >>> 0).map((group) => group[0]!.bits)).toEqual([
      24, 16,
    ]);
  });
});
