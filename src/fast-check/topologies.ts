/**
 * Arbitraries for route tables, topologies and whole scripts. Each generated script carries
 * fast-check's `toString` hook, so a failing property prints its shrunk counterexample as
 * commands that can be pasted into a root shell.
 */
import fc from "fast-check";
import type {
  EndSpec,
  NamespaceSpec,
  RouteSpec,
  SegmentSpec,
  Topology,
} from "../analysis/topology.js";
import { topologyScript } from "../analysis/topology.js";
import { UsageError } from "../errors.js";
import { parseIp4Strict } from "../addr/ip4.js";
import { prefixIn } from "./addresses.js";

/** Constraints of `routeTable`. */
export interface RouteTableOptions {
  /** The gateways routes may use; each must be on a subnet of the namespace the routes go to. */
  gateways: readonly string[];
  /** The prefix every destination lies in, the whole IPv4 space when absent. */
  within?: string;
  /** The shortest and longest destination prefix, as in `prefixIn`. */
  minBits?: number;
  maxBits?: number;
  /** At most this many routes, 4 when absent. */
  maxRoutes?: number;
  /** Whether blackhole and unreachable routes are drawn too; false when absent. */
  hasRejectRoutes?: boolean;
}

/**
 * Generates a route table: routes with distinct destination prefixes, each via one of the
 * gateways, or a blackhole or unreachable route when `hasRejectRoutes` is set. With no
 * gateways only reject routes are drawn, and with neither the table is empty.
 */
export function routeTable(options: RouteTableOptions): fc.Arbitrary<RouteSpec[]> {
  const bad = options.gateways.find((gateway) => parseIp4Strict(gateway) === undefined);
  if (bad !== undefined) {
    throw new UsageError(
      `routeTable: invalid gateway "${bad}": expected an IPv4 address such as 10.0.0.1`,
    );
  }
  const { maxRoutes = 4 } = options;
  if (!Number.isInteger(maxRoutes) || maxRoutes < 0) {
    throw new UsageError(
      `routeTable: invalid maxRoutes ${maxRoutes}: expected a whole number of at least 0`,
    );
  }
  const prefix = prefixIn(options.within, {
    ...(options.minBits === undefined ? {} : { minBits: options.minBits }),
    ...(options.maxBits === undefined ? {} : { maxBits: options.maxBits }),
  });
  const choices: fc.Arbitrary<RouteSpec>[] = [];
  if (options.gateways.length > 0) {
    choices.push(
      fc
        .tuple(prefix, fc.constantFrom(...options.gateways))
        .map(([p, via]) => ({ prefix: p, via })),
    );
  }
  if (options.hasRejectRoutes === true) {
    const type = fc.constantFrom<"blackhole" | "unreachable">("blackhole", "unreachable");
    choices.push(fc.tuple(prefix, type).map(([p, t]) => ({ prefix: p, type: t })));
  }
  if (choices.length === 0) return fc.constant([]);
  return fc.uniqueArray(fc.oneof(...choices), {
    maxLength: maxRoutes,
    selector: (route) => route.prefix,
  });
}

/** Constraints of `topology`. */
export interface TopologyOptions {
  /** How many namespaces, 2 to 4 when absent; they are named n0, n1, ... */
  minNamespaces?: number;
  maxNamespaces?: number;
  /** At most this many segments, 4 when absent; segment i gets the subnet 10.0.i.0/24. */
  maxSegments?: number;
  /** At most this many static routes per namespace, 3 when absent. */
  maxRoutes?: number;
  /** Whether segments may be bridges (with two or three members); true when absent. */
  hasBridges?: boolean;
  /** Whether namespaces may turn on rp_filter (strict or loose); true when absent. */
  hasRpFilter?: boolean;
}

/** The raw draw a topology is mapped from: small integers that shrink towards simple cases. */
interface RawSegment {
  isBridge: boolean;
  members: number[];
  bridgeAt: number;
  hasAddress: boolean;
}

interface RawRoute {
  target: number;
  gateway: number;
  isDefault: boolean;
  kind: "unicast" | "blackhole" | "unreachable";
}

interface RawNamespace {
  isRouter: boolean;
  rpFilter: 0 | 1 | 2;
  routes: RawRoute[];
}

function rawNamespace(options: TopologyOptions): fc.Arbitrary<RawNamespace> {
  const route = fc.record({
    target: fc.nat(7),
    gateway: fc.nat(7),
    isDefault: fc.boolean(),
    kind: fc.constantFrom<RawRoute["kind"]>("unicast", "unicast", "blackhole", "unreachable"),
  });
  return fc.record({
    isRouter: fc.boolean(),
    rpFilter:
      options.hasRpFilter === false ? fc.constant<0>(0) : fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    routes: fc.array(route, { maxLength: options.maxRoutes ?? 3 }),
  });
}

function rawSegment(options: TopologyOptions, maxNamespaces: number): fc.Arbitrary<RawSegment> {
  const hasBridges = options.hasBridges !== false;
  return fc.record({
    isBridge: hasBridges ? fc.boolean() : fc.constant(false),
    members: fc.uniqueArray(fc.nat(maxNamespaces - 1), {
      minLength: 2,
      maxLength: hasBridges ? 3 : 2,
    }),
    bridgeAt: fc.nat(maxNamespaces - 1),
    hasAddress: fc.boolean(),
  });
}

/**
 * Generates topologies: namespaces n0, n1, ... (hosts, or routers with ip_forward=1, some with
 * rp_filter on), joined by veth pairs and bridges, each segment i on 10.0.i.0/24 with member j
 * at 10.0.i.(j+1) and a bridge at 10.0.i.254, and up to `maxRoutes` static routes per
 * namespace: default or a segment's subnet via a neighbour's address, or blackhole and
 * unreachable routes. Every generated topology builds without a failing command; whether its
 * routes make sense is left to chance, which is what invariants are for.
 */
export function topology(options: TopologyOptions = {}): fc.Arbitrary<Topology> {
  const minNamespaces = checkCount("minNamespaces", options.minNamespaces, 2, 2);
  const maxNamespaces = checkCount("maxNamespaces", options.maxNamespaces, minNamespaces, 4);
  checkCount("maxSegments", options.maxSegments, 1, 4, MAX_SEGMENTS);
  checkCount("maxRoutes", options.maxRoutes, 0, 3);
  const spaces = fc.array(rawNamespace(options), {
    minLength: minNamespaces,
    maxLength: maxNamespaces,
  });
  const segments = fc.array(rawSegment(options, maxNamespaces), {
    minLength: 1,
    maxLength: options.maxSegments ?? 4,
  });
  return fc
    .tuple(spaces, segments)
    .map(([rawSpaces, rawSegments]) => buildTopology(rawSpaces, rawSegments));
}

/** Segment i gets 10.0.i.0/24, so there is room for 256. */
const MAX_SEGMENTS = 256;

/**
 * Returns the option `name`, or `fallback` when it is absent; throws a usage error unless it is
 * an integer from `min` to `max`.
 */
function checkCount(
  name: string,
  value: number | undefined,
  min: number,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return Math.max(min, fallback);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`hoptrace: invalid ${name} ${value}: expected an integer ${range}`);
  }
  return value;
}

function buildTopology(rawSpaces: RawNamespace[], rawSegments: RawSegment[]): Topology {
  const names = rawSpaces.map((_, index) => `n${index}`);
  const segments = rawSegments.flatMap((raw, index) => buildSegment(raw, index, names));
  const namespaces = rawSpaces.map((raw, index): NamespaceSpec => {
    const name = names[index]!;
    const routes = buildRoutes(raw.routes, name, segments);
    return {
      name,
      ...(raw.isRouter ? { isRouter: true } : {}),
      ...(raw.rpFilter === 0 ? {} : { rpFilter: raw.rpFilter }),
      ...(routes.length === 0 ? {} : { routes }),
    };
  });
  return { namespaces, segments };
}

function buildSegment(raw: RawSegment, index: number, names: string[]): SegmentSpec[] {
  const members = [...new Set(raw.members.map((pick) => pick % names.length))];
  if (members.length < 2) return [];
  const prefix = `10.0.${index}.0/24`;
  const count = raw.isBridge ? members.length : 2;
  const ends = members.slice(0, count).map((member, j): EndSpec => ({
    namespace: names[member]!,
    link: `s${index}e${j}`,
    address: `10.0.${index}.${j + 1}`,
  }));
  if (!raw.isBridge) return [{ prefix, ends }];
  const bridge = {
    namespace: names[raw.bridgeAt % names.length]!,
    name: `br${index}`,
    ...(raw.hasAddress ? { address: `10.0.${index}.254` } : {}),
  };
  return [{ prefix, bridge, ends }];
}

/** Returns the addresses on `segment`, each with the namespace that holds it. */
function segmentAddresses(segment: SegmentSpec): { namespace: string; address: string }[] {
  const found = segment.ends.map(({ namespace, address }) => ({ namespace, address }));
  const { bridge } = segment;
  if (bridge?.address !== undefined)
    found.push({ namespace: bridge.namespace, address: bridge.address });
  return found;
}

function buildRoutes(raws: RawRoute[], name: string, segments: SegmentSpec[]): RouteSpec[] {
  const attached = segments.filter((segment) =>
    segmentAddresses(segment).some((a) => a.namespace === name),
  );
  const gateways = attached
    .flatMap(segmentAddresses)
    .filter((a) => a.namespace !== name)
    .map((a) => a.address);
  const routes: RouteSpec[] = [];
  for (const raw of raws) {
    const target = segments[raw.target % Math.max(1, segments.length)];
    const prefix = raw.isDefault || target === undefined ? "default" : target.prefix;
    if (attached.some((segment) => segment.prefix === prefix)) continue;
    if (routes.some((route) => route.prefix === prefix)) continue;
    if (raw.kind !== "unicast") routes.push({ prefix, type: raw.kind });
    else if (gateways.length > 0)
      routes.push({ prefix, via: gateways[raw.gateway % gateways.length]! });
  }
  return routes;
}

/** A generated script: the commands, and the topology they build when there is one. */
export interface GeneratedScript {
  /** The commands, one per line, as a root shell runs them. */
  readonly text: string;
  readonly topology?: Topology;
  /** Returns the commands, so that fast-check prints a counterexample as a script. */
  toString(): string;
}

/** Wraps `text` as a generated script that fast-check prints as commands, not as a quoted string. */
export function asScript(text: string, topology?: Topology): GeneratedScript {
  const printed = `\n# --- script: paste into a root shell ---\n${text.trimEnd()}\n# --- end of script ---\n`;
  const value = {
    text,
    ...(topology === undefined ? {} : { topology }),
    toString: () => printed,
    [fc.toStringMethod]: () => printed,
  };
  return value;
}

/** Generates whole scripts: the commands that build a `topology(options)`. */
export function script(options: TopologyOptions = {}): fc.Arbitrary<GeneratedScript> {
  return topology(options).map((generated) => asScript(topologyScript(generated), generated));
}
