import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addr4, mask4, prefix4 } from "../../test/arbitraries/prefix.js";
import type { Route } from "./route.js";
import { PROTO_BOOT, TABLE_LOCAL, TABLE_MAIN, compareRoutes } from "./route.js";
import { tableOf, tableRoutes, type RouteTable } from "./route-table.js";
import { matchingPrefixes, matchingPrefixesMerged } from "./table-index.js";
import { deleteRoute, insertChecked } from "./route-ops.js";
import { createNetns } from "../netns/state.js";

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
  .map((items) => tableOf(items.map(([p, metric]) => routeAt(p.addr, p.bits, metric))));

function destinations(routes: readonly Route[]): fc.Arbitrary<number[]> {
  const inside = fc
    .tuple(fc.constantFrom(...routes), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([r, host]) => (r.dst | (host & ~mask4(r.bits))) >>> 0);
  return fc.array(fc.oneof(inside, addr4()), { minLength: 8, maxLength: 20 });
}

/** Pairs a table with destinations inside and outside its prefixes. */
function withDestinations(tables: fc.Arbitrary<RouteTable>) {
  return tables.chain((t) => fc.tuple(fc.constant(t), destinations(tableRoutes(t))));
}

describe("table index", () => {
  it("matches the linear grouping, before and after it builds its trie", () => {
    // Six or more lookups of one table version: the first ones search the sorted table, the
    // later ones its trie.
    fc.assert(
      fc.property(withDestinations(table), ([routes, dsts]) => {
        for (const dst of dsts) {
          expect(matchingPrefixes(routes, dst)).toEqual(referenceGroups(tableRoutes(routes), dst));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("merges local and main, local first", () => {
    // A short local table (scanned) or a long one (searched, then indexed) beside a long main
    // table, with prefixes, TOS and metrics drawn so that the two often share a prefix.
    const local = fc
      .array(fc.tuple(prefix4(), fc.nat(3), fc.nat(1)), { maxLength: 100 })
      .map((items) =>
        tableOf(
          items.map(([p, metric, tos]) => ({
            ...routeAt(p.addr, p.bits, metric),
            table: TABLE_LOCAL,
            tos,
          })),
        ),
      );
    fc.assert(
      fc.property(
        fc
          .tuple(local, table)
          .chain(([l, m]) =>
            fc.tuple(
              fc.constant(l),
              fc.constant(m),
              destinations([...tableRoutes(l), ...tableRoutes(m)]),
            ),
          ),
        ([l, m, dsts]) => {
          // Local and main searched as one table are the two tables concatenated, local first.
          const both = [...tableRoutes(l), ...tableRoutes(m)];
          for (const dst of dsts) {
            expect(matchingPrefixesMerged(l, m, dst)).toEqual(referenceGroups(both, dst));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("updates an index carried to the next version", () => {
    // Each version is looked up often enough to get an index, which the next add or delete
    // takes over and updates for the one prefix it changed.
    const change = fc.oneof(
      fc.tuple(fc.constant("add" as const), prefix4(), fc.nat(2)),
      fc.tuple(fc.constant("delete" as const), fc.nat(), fc.constant(0)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(prefix4(), fc.nat(2)), { minLength: 64, maxLength: 80 }),
        fc.array(change, { minLength: 1, maxLength: 40 }),
        fc.array(addr4(), { minLength: 6, maxLength: 6 }),
        (initial, changes, probes) => {
          const ns = createNetns(0);
          const add = (addr: number, bits: number, metric: number) => {
            const route = routeAt(addr, bits, metric);
            if (tableRoutes(ns.tables[TABLE_MAIN]).every((r) => compareRoutes(r, route) !== 0)) {
              insertChecked(ns, route, "append");
            }
          };
          for (const [p, metric] of initial) add(p.addr, p.bits, metric);
          for (const [kind, a, b] of changes) {
            const routes = tableRoutes(ns.tables[TABLE_MAIN]);
            if (kind === "add") add(a.addr, a.bits, b);
            else {
              const doomed = routes[a % routes.length]!;
              deleteRoute(ns, { ...doomed, metric: doomed.metric });
            }
            const table = ns.tables[TABLE_MAIN]!;
            const now = tableRoutes(table);
            // Destinations inside the changed prefix and elsewhere.
            const dsts = [...probes, kind === "add" ? a.addr : routes[a % routes.length]!.dst];
            for (const dst of dsts) {
              expect(matchingPrefixes(table, dst)).toEqual(referenceGroups(now, dst));
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
