/**
 * Known-good and known-bad topologies for the invariant properties. A good chain routes every
 * subnet the right way, so every invariant holds on it; each bad generator breaks exactly one
 * thing, so the invariant about that thing must fail on every case it draws.
 *
 * A chain is a (host) - r1 - ... - rK - b (host), segment i on 10.0.i.0/24, the left member of
 * each segment at .1 and the right one at .2.
 */
import fc from "fast-check";
import type { NamespaceSpec, RouteSpec, SegmentSpec, Topology } from "../../src/index.js";
import { asScript } from "../../src/fast-check/index.js";
import type { GeneratedScript } from "../../src/fast-check/index.js";
import { topologyScript } from "../../src/index.js";

/** How a chain is drawn: its length, rp_filter mode, and whether a reaches r1 through a bridge. */
export interface ChainShape {
  routers: number;
  rpFilter: 0 | 1 | 2;
  hasBridge: boolean;
}

/** What a bad chain changes: which router, and how its route towards b goes wrong. */
export interface ChainFault {
  router: number;
  kind: "backwards" | "missing" | "blackhole";
}

const subnet = (i: number): string => `10.0.${i}.0/24`;
const left = (i: number): string => `10.0.${i}.1`;
const right = (i: number): string => `10.0.${i}.2`;

function chainSegments(shape: ChainShape): SegmentSpec[] {
  const names = ["a", ...Array.from({ length: shape.routers }, (_, i) => `r${i + 1}`), "b"];
  return names.slice(1).map((name, i): SegmentSpec => {
    const previous = names[i]!;
    const ends = [
      { namespace: previous, link: `s${i}l`, address: left(i) },
      { namespace: name, link: `s${i}r`, address: right(i) },
    ];
    if (i === 0 && shape.hasBridge) {
      return {
        prefix: subnet(0),
        bridge: { namespace: name, name: "br0", address: right(0) },
        ends: [ends[0]!],
      };
    }
    return { prefix: subnet(i), ends };
  });
}

/** Router i sits between segments i-1 and i; it routes every other subnet towards its side. */
function routerRoutes(i: number, shape: ChainShape, fault?: ChainFault): RouteSpec[] {
  const routes: RouteSpec[] = [];
  for (let j = 0; j <= shape.routers; j++) {
    if (j === i - 1 || j === i) continue;
    const isFaulty = fault?.router === i && j === shape.routers;
    if (isFaulty && fault.kind === "missing") continue;
    if (isFaulty && fault.kind === "blackhole") {
      routes.push({ prefix: subnet(j), type: "blackhole" });
      continue;
    }
    const isLeft = j < i - 1 !== (isFaulty && fault.kind === "backwards");
    routes.push({ prefix: subnet(j), via: isLeft ? left(i - 1) : right(i) });
  }
  return routes;
}

/** Returns the chain of `shape`, with `fault` applied to one router's route towards b. */
export function chainTopology(shape: ChainShape, fault?: ChainFault): Topology {
  const routers = Array.from({ length: shape.routers }, (_, k): NamespaceSpec => ({
    name: `r${k + 1}`,
    isRouter: true,
    rpFilter: shape.rpFilter,
    routes: routerRoutes(k + 1, shape, fault),
  }));
  const a: NamespaceSpec = {
    name: "a",
    rpFilter: shape.rpFilter,
    routes: [{ prefix: "default", via: right(0) }],
  };
  const b: NamespaceSpec = {
    name: "b",
    rpFilter: shape.rpFilter,
    routes: [{ prefix: "default", via: left(shape.routers) }],
  };
  return { namespaces: [a, ...routers, b], segments: chainSegments(shape) };
}

const shape = (minRouters: number, modes: (0 | 1 | 2)[] = [0, 1, 2]): fc.Arbitrary<ChainShape> =>
  fc.record({
    routers: fc.integer({ min: minRouters, max: 4 }),
    rpFilter: fc.constantFrom(...modes),
    hasBridge: fc.boolean(),
  });

function toScript(topology: Topology): GeneratedScript {
  return asScript(topologyScript(topology), topology);
}

/** Chains on which every invariant holds. */
export const goodChain: fc.Arbitrary<GeneratedScript> = shape(1).map((s) =>
  toScript(chainTopology(s)),
);

/**
 * Chains where a router in the middle sends b's subnet back the way it came, so it and the
 * router before it pass b's packets back and forth. The first router cannot be the faulty one
 * (a does not forward), nor the last (b's subnet is connected to it). Strict rp_filter would drop
 * the returning packet before it loops, so it stays off or loose.
 */
export const loopingChain: fc.Arbitrary<GeneratedScript> = shape(3, [0, 2]).chain((s) =>
  fc
    .integer({ min: 2, max: s.routers - 1 })
    .map((router) => toScript(chainTopology(s, { router, kind: "backwards" }))),
);

/** Chains where one router before the last has no route, or a blackhole, towards b's subnet. */
export const holedChain: fc.Arbitrary<GeneratedScript> = shape(2).chain((s) =>
  fc
    .tuple(
      fc.integer({ min: 1, max: s.routers - 1 }),
      fc.constantFrom<ChainFault["kind"]>("missing", "blackhole"),
    )
    .map(([router, kind]) => toScript(chainTopology(s, { router, kind }))),
);

/**
 * A diamond: a reaches b's subnets through r1, and b answers through r2, so every reply takes
 * the other way round. All four forward, so every pair has a path. With strict rp_filter on a,
 * a drops the replies that come back through r2.
 */
export function diamondTopology(rpFilterAtA: 0 | 1 | 2): Topology {
  const segments: SegmentSpec[] = [
    {
      prefix: subnet(0),
      ends: [
        { namespace: "a", link: "a0", address: left(0) },
        { namespace: "r1", link: "r1a", address: right(0) },
      ],
    },
    {
      prefix: subnet(1),
      ends: [
        { namespace: "a", link: "a1", address: left(1) },
        { namespace: "r2", link: "r2a", address: right(1) },
      ],
    },
    {
      prefix: subnet(2),
      ends: [
        { namespace: "r1", link: "r1b", address: left(2) },
        { namespace: "b", link: "b2", address: right(2) },
      ],
    },
    {
      prefix: subnet(3),
      ends: [
        { namespace: "r2", link: "r2b", address: left(3) },
        { namespace: "b", link: "b3", address: right(3) },
      ],
    },
  ];
  const namespaces: NamespaceSpec[] = [
    {
      name: "a",
      isRouter: true,
      rpFilter: rpFilterAtA,
      routes: [
        { prefix: subnet(2), via: right(0) },
        { prefix: subnet(3), via: right(0) },
      ],
    },
    {
      name: "r1",
      isRouter: true,
      routes: [
        { prefix: subnet(1), via: left(0) },
        { prefix: subnet(3), via: right(2) },
      ],
    },
    {
      name: "r2",
      isRouter: true,
      routes: [
        { prefix: subnet(0), via: left(1) },
        { prefix: subnet(2), via: right(3) },
      ],
    },
    {
      name: "b",
      isRouter: true,
      routes: [
        { prefix: subnet(0), via: left(3) },
        { prefix: subnet(1), via: left(3) },
      ],
    },
  ];
  return { namespaces, segments };
}

/** Diamonds whose a accepts the asymmetric replies: rp_filter off or loose. */
export const asymmetricDiamond: fc.Arbitrary<GeneratedScript> = fc
  .constantFrom<0 | 2>(0, 2)
  .map((mode) => toScript(diamondTopology(mode)));
