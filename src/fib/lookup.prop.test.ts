import fc from "fast-check";
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { addr4, mask4, prefix4 } from "../../test/arbitraries/prefix.js";
import { referenceFibLookup, referenceLookupRoutes } from "../../test/reference/linear-fib.js";
import type { ReferenceFib } from "../../test/reference/linear-fib.js";
import { HOST_NS } from "../netns/state.js";
import type { Netns, NetState } from "../netns/state.js";
import { resolveRef } from "../netns/state.js";
import { runLine, runScript } from "../script/run.js";
import { fibLookup, lookupTable } from "./lookup.js";
import type { Route, RouteType } from "./route.js";
import { EMPTY_TABLE, tableOf, tableRoutes } from "./route-table.js";
import type { FibRule } from "./rules.js";
import { blankRule, defaultRules } from "./rules.js";

// lo (1), then three veth pairs: p1 (2) v1 (3), p2 (4) v2 (5), p3 (6) v3 (7).
const base = runScript(
  [1, 2, 3].map((n) => `ip link add v${n} type veth peer name p${n}`).join("\n"),
).state;
const LINKS = [1, 2, 3, 4, 5, 6, 7];
const TABLES = [253, 254, 255, 100];
const TYPES: RouteType[] = [
  "unicast",
  "local",
  "broadcast",
  "blackhole",
  "unreachable",
  "prohibit",
  "throw",
];

/** Prefixes from a small pool, so that routes often share or nest prefixes, or random ones. */
const sharedPrefix = fc.oneof(
  fc.constantFrom(
    { addr: 0, bits: 0 },
    { addr: 0x0a000000, bits: 8 },
    { addr: 0x0a000000, bits: 24 },
    { addr: 0x0a000001, bits: 32 },
    { addr: 0x0a0000ff, bits: 32 },
  ),
  prefix4(),
);

const route = fc
  .record({
    table: fc.constantFrom(...TABLES),
    type: fc.constantFrom(...TYPES),
    prefix: sharedPrefix,
    metric: fc.integer({ min: 0, max: 3 }),
    dev: fc.constantFrom(...LINKS),
  })
  .map(({ table, type, prefix, metric, dev }): Route => {
    const isTyped = ["blackhole", "unreachable", "prohibit", "throw"].includes(type);
    return {
      table,
      type,
      dst: prefix.addr,
      bits: prefix.bits,
      tos: 0,
      metric,
      protocol: 3,
      scope: 0,
      ...(isTyped ? {} : { dev }),
    };
  });

const rule = fc
  .record({
    priority: fc.integer({ min: 1, max: 32765 }),
    prefix: sharedPrefix,
    action: fc.constantFrom("lookup", "lookup", "lookup", "unreachable", "prohibit", "blackhole"),
    table: fc.constantFrom(...TABLES, 7),
  })
  .map(({ priority, prefix, action, table }): FibRule => {
    const made = blankRule(priority, action === "lookup" ? table : 0);
    made.action = action as FibRule["action"];
    made.dst = prefix.addr;
    made.dstBits = prefix.bits;
    return made;
  });

/** A namespace setup: links up or down, routes per table, rules, and whether rules were added. */
const setup = fc.record({
  isUp: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  ignoresLinkdown: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  routes: fc.array(route, { maxLength: 25 }),
  rules: fc.array(rule, { maxLength: 4 }),
  hasCustomRules: fc.boolean(),
});

type Setup = typeof setup extends fc.Arbitrary<infer T> ? T : never;

function build(spec: Setup): NetState {
  return produce(base, (draft) => {
    const ns = draft.namespaces[HOST_NS]!;
    for (const ifindex of LINKS) {
      const link = ns.links[ifindex]!;
      link.isAdminUp = spec.isUp[ifindex]!;
      link.conf.ignore_routes_with_linkdown = spec.ignoresLinkdown[ifindex]! ? 1 : 0;
    }
    const byTable: Record<number, Route[]> = {};
    for (const made of spec.routes) (byTable[made.table] ??= []).push(made);
    // Tables keep the kernel's order, which `tableOf` sorts them into.
    ns.tables = {};
    for (const [table, routes] of Object.entries(byTable))
      ns.tables[Number(table)] = tableOf(routes);
    ns.rules = [...defaultRules(), ...spec.rules].sort((a, b) => a.priority - b.priority);
    ns.hasCustomRules = spec.hasCustomRules;
  });
}

/** Written out from the rule: a route through a link without carrier is unusable only if the
 * link ignores routes with linkdown; a veth has carrier while both ends are up. */
function referenceOf(state: NetState): ReferenceFib {
  const ns = state.namespaces[HOST_NS]!;
  const isUsable = (candidate: Route): boolean => {
    const link = ns.links[candidate.dev!]!;
    const peer = link.peer === undefined ? undefined : resolveRef(state, link.peer);
    const hasCarrier = link.isAdminUp && (link.kind === "loopback" || peer?.isAdminUp === true);
    return hasCarrier || link.conf.ignore_routes_with_linkdown === 0;
  };
  const tables: Record<number, readonly Route[]> = {};
  for (const [table, routes] of Object.entries(ns.tables))
    tables[Number(table)] = tableRoutes(routes);
  return { tables, rules: ns.rules, hasCustomRules: ns.hasCustomRules, isUsable };
}

/** A destination that is often inside one of the generated prefixes. */
function destination(spec: Setup): fc.Arbitrary<number> {
  if (spec.routes.length === 0) return addr4();
  const inside = fc
    .tuple(fc.constantFrom(...spec.routes), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([made, host]) => (made.dst | (host & ~mask4(made.bits))) >>> 0);
  return fc.oneof(inside, addr4());
}

const cases = setup.chain((spec) => fc.tuple(fc.constant(spec), destination(spec)));

function summary(result: { ok: boolean; errno?: string; route?: Route; table?: number }): unknown {
  return result.ok ? { route: result.route, table: result.table } : { errno: result.errno };
}

describe("route selection", () => {
  it("lookupTable agrees with the linear reference", () => {
    fc.assert(
      fc.property(cases, ([spec, dst]) => {
        const state = build(spec);
        const ns: Netns = state.namespaces[HOST_NS]!;
        const reference = referenceOf(state);
        for (const table of TABLES) {
          const routes = ns.tables[table] ?? EMPTY_TABLE;
          const actual = lookupTable(state, ns, routes, { dst });
          const expected = referenceLookupRoutes(reference, tableRoutes(routes), dst);
          expect(summary(actual)).toEqual(summary(expected));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fibLookup agrees with the linear reference", () => {
    fc.assert(
      fc.property(cases, ([spec, dst]) => {
        const state = build(spec);
        const ns = state.namespaces[HOST_NS]!;
        const actual = fibLookup(state, ns, { dst });
        const expected = referenceFibLookup(referenceOf(state), dst);
        expect(summary(actual)).toEqual(summary(expected));
      }),
      { numRuns: 500 },
    );
  });
});

// A small host: eth0 up with 10.0.0.1/24, eth1 down with 172.16.0.1/16, and a default route.
const host = runScript(
  [
    "ip link add eth0 type veth peer name peer0",
    "ip link add eth1 type veth peer name peer1",
    "ip link set eth0 up",
    "ip link set peer0 up",
    "ip addr add 10.0.0.1/24 dev eth0",
    "ip addr add 172.16.0.1/16 dev eth1",
    "ip route add default via 10.0.0.2",
  ].join("\n"),
).state;

const dev = fc.constantFrom("eth0", "eth1", "lo", "nosuch");
const gateway = fc.constantFrom(
  "10.0.0.2",
  "10.0.0.1",
  "10.0.0.255",
  "192.0.2.1",
  "0.0.0.0",
  "224.0.0.1",
);
const prefixText = fc.oneof(
  prefix4().map(({ addr, bits }) => `${formatQuad(addr)}/${bits}`),
  fc
    .tuple(addr4(), fc.integer({ min: 0, max: 33 }))
    .map(([addr, bits]) => `${formatQuad(addr)}/${bits}`),
  fc.constantFrom("default", "10.0.0.1", "10.0.0.0/24", "172.16.0.1/16", "1.2.3.300/24"),
);
const routeCommand = fc
  .tuple(
    fc.constantFrom("add", "del", "replace", "append", "prepend", "change"),
    fc.constantFrom("", "blackhole ", "unreachable ", "local "),
    prefixText,
    fc.option(gateway, { nil: undefined }),
    fc.option(dev, { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    fc.boolean(),
  )
  .map(([verb, type, prefix, via, link, metric, isOnlink]) => {
    let text = `ip route ${verb} ${type}${prefix}`;
    if (via !== undefined) text += ` via ${via}`;
    if (link !== undefined) text += ` dev ${link}`;
    if (metric !== undefined) text += ` metric ${metric}`;
    if (isOnlink) text += " onlink";
    return text;
  });
const addrCommand = fc
  .tuple(fc.constantFrom("add", "del"), prefixText, fc.option(dev, { nil: undefined }))
  .map(
    ([verb, prefix, link]) =>
      `ip addr ${verb} ${prefix}${link === undefined ? "" : ` dev ${link}`}`,
  );

function formatQuad(addr: number): string {
  return [24, 16, 8, 0].map((shift) => (addr >>> shift) & 255).join(".");
}

describe("failed commands", () => {
  it("leave the state object unchanged", () => {
    let failures = 0;
    let successes = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(routeCommand, addrCommand), { minLength: 1, maxLength: 12 }),
        (commands) => {
          let state = host;
          for (const command of commands) {
            const result = runLine(state, command);
            if (result.exitCode === 0) {
              successes++;
            } else {
              failures++;
              expect(result.state, command).toBe(state);
            }
            state = result.state;
          }
        },
      ),
      { numRuns: 200 },
    );
    // Both outcomes must occur, or the property checked nothing.
    expect(failures).toBeGreaterThan(0);
    expect(successes).toBeGreaterThan(0);
  });
});
