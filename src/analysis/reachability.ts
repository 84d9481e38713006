/**
 * The reachability matrix: one probe from each source namespace to each destination address,
 * and the difference between two such matrices.
 */
import { broadcastOf, formatIp4, networkOf, parseIp4Strict } from "../addr/ip4.js";
import { UsageError } from "../errors.js";
import { nsLabel } from "../path/sim.js";
import { formatProtocol } from "./format.js";
import type { Network } from "./network.js";
import { addresses, namespaces } from "./network.js";
import type { Probe, ProbeKind, Trace } from "./probe.js";
import { checkProbeKind, findNamespace, sendProbe } from "./probe.js";

/** The probes of a reachability matrix: sources, destinations and protocol. */
export interface ReachabilityOptions {
  /** Source namespaces; every visible namespace when absent. */
  from?: readonly string[];
  /**
   * Destinations: addresses such as `192.0.2.1` or prefixes such as `10.0.0.0/24`, from which
   * addresses are sampled. Every configured address (see `addresses`) when absent.
   */
  to?: readonly string[];
  /** How many evenly spaced addresses each prefix contributes, 3 when absent. */
  samplesPerPrefix?: number;
  /** The probe protocol, `icmp` when absent. */
  protocol?: Probe["protocol"];
  /** The destination port of `tcp` and `udp` probes; required for them. */
  port?: number;
  /** The listening sockets of `tcp` and `udp` probes, as `Probe.listening` describes them. */
  listening?: Probe["listening"];
}

/** Returns the probe kind that `options` gives every pair of a matrix. */
export function probeKindOf(options: ReachabilityOptions): ProbeKind {
  return {
    protocol: options.protocol ?? "icmp",
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.listening === undefined ? {} : { listening: options.listening }),
  };
}

/** The verdicts from each source to each destination. */
export interface Reachability {
  sources: string[];
  destinations: string[];
  /** One trace per pair, sources in the outer order and destinations in the inner. */
  traces: Trace[];
}

/** A pair whose verdict differs between two matrices; a side is absent if it lacks the pair. */
export interface ReachabilityChange {
  from: string;
  to: string;
  before?: Trace;
  after?: Trace;
}

/**
 * Probes every pair of sources and destinations of `options` in `net` and returns the matrix.
 * NOTE: it keeps every packet's trace, several kilobytes a pair, so a matrix of 100,000 pairs
 * can run out of memory. `reachabilityOutcomes` keeps one outcome code a pair instead, and the
 * traces of the pairs that changed can be recomputed afterwards.
 */
export function reachability(net: Network, options: ReachabilityOptions = {}): Reachability {
  const sources = [...(options.from ?? namespaces(net))];
  for (const name of sources) findNamespace(net.state, name);
  const kind = checkProbeKind(net.state, probeKindOf(options));
  const destinations = expandDestinations(net, options);
  const traces = sources.flatMap((from) =>
    destinations.map((to) => sendProbe(net.state, { ...kind, from, to })),
  );
  return { sources, destinations, traces };
}

/** Returns the trace of the pair `from -> to` in `matrix`, if the matrix has that pair. */
export function traceOf(matrix: Reachability, from: string, to: string): Trace | undefined {
  return matrix.traces.find((trace) => trace.from === from && trace.to === to);
}

/** Returns the destination addresses `options.to` stands for, sorted numerically. */
function expandDestinations(net: Network, options: ReachabilityOptions): string[] {
  if (options.to === undefined) return addresses(net);
  const configured = addresses(net).map((text) => parseIp4Strict(text)!);
  const samples = options.samplesPerPrefix ?? 3;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new UsageError(
      `hoptrace: invalid samplesPerPrefix ${samples}: expected a whole number of at least 1`,
    );
  }
  const found = new Set<number>();
  for (const item of options.to) {
    for (const addr of expandOne(item, configured, samples)) found.add(addr);
  }
  return [...found].sort((a, b) => a - b).map(formatIp4);
}

function expandOne(item: string, configured: readonly number[], samples: number): number[] {
  if (!item.includes("/")) {
    const addr = parseIp4Strict(item);
    if (addr === undefined) throw invalidDestination(item);
    return [addr];
  }
  const parts = item.split("/");
  const [base = "", bitsText = ""] = parts;
  const bits = Number(bitsText);
  const addr = parseIp4Strict(base);
  if (parts.length !== 2 || addr === undefined || !/^\d{1,2}$/.test(bitsText) || bits > 32) {
    throw invalidDestination(item);
  }
  const prefix = networkOf(addr, bits);
  if (prefix !== addr) {
    throw new UsageError(
      `hoptrace: invalid destination "${item}": the address has bits set past /${bits}; the prefix is ${formatIp4(prefix)}/${bits}`,
    );
  }
  return samplePrefix(prefix, bits, configured, samples);
}

function invalidDestination(item: string): UsageError {
  return new UsageError(
    `hoptrace: invalid destination "${item}": expected an IPv4 address (192.0.2.1) or a prefix (192.0.2.0/24)`,
  );
}

/**
 * Returns the addresses probed for a prefix: every configured address inside it, plus `samples`
 * evenly spaced host addresses from the first to the last. A /31 or /32 contributes all of its
 * addresses, because it has no network or broadcast address to avoid.
 */
export function samplePrefix(
  prefix: number,
  bits: number,
  configured: readonly number[],
  samples: number,
): number[] {
  const inside = configured.filter((addr) => networkOf(addr, bits) === prefix);
  if (bits >= 31) return [...new Set([prefix, broadcastOf(prefix, bits), ...inside])];
  const first = prefix + 1;
  const last = broadcastOf(prefix, bits) - 1;
  const spaced: number[] = [];
  for (let i = 0; i < samples; i++) {
    const step = samples === 1 ? 0 : Math.floor(((last - first) * i) / (samples - 1));
    spaced.push(first + step);
  }
  return [...new Set([...inside, ...spaced])];
}

/**
 * Reports whether two traces end the same way: the same verdict and, for drops, the same
 * reason at the same namespace and link. A probe that is now dropped elsewhere counts as changed.
 */
export function isSameOutcome(a: Trace, b: Trace): boolean {
  if (a.verdict !== b.verdict) return false;
  if (a.verdict === "reachable") return true;
  const x = a.decisive;
  const y = b.decisive;
  return x.reason === y.reason && x.ns === y.ns && x.link === y.link && x.kind === y.kind;
}

/**
 * Returns the pairs whose outcome differs between `before` and `after` (see `isSameOutcome`),
 * with both traces, in the order of `before` followed by pairs only `after` has. Throws a usage
 * error when the two matrices probed a pair with different protocols or ports.
 */
export function diffReachability(before: Reachability, after: Reachability): ReachabilityChange[] {
  const changes: ReachabilityChange[] = [];
  const key = (trace: Trace): string => `${trace.from} -> ${trace.to}`;
  const afterByPair = new Map(after.traces.map((trace) => [key(trace), trace]));
  const seen = new Set<string>();
  for (const old of before.traces) {
    seen.add(key(old));
    const now = afterByPair.get(key(old));
    if (now !== undefined && (old.protocol !== now.protocol || old.port !== now.port)) {
      throw new UsageError(
        `hoptrace: cannot compare ${formatProtocol(old)} probes with ${formatProtocol(now)} probes; probe both networks with the same protocol and port`,
      );
    }
    if (now !== undefined && isSameOutcome(old, now)) continue;
    changes.push({
      from: old.from,
      to: old.to,
      before: old,
      ...(now === undefined ? {} : { after: now }),
    });
  }
  for (const now of after.traces) {
    if (!seen.has(key(now))) changes.push({ from: now.from, to: now.to, after: now });
  }
  return changes;
}

/** The result of comparing two networks: the changed pairs out of how many were probed. */
export interface NetworkDiff {
  changes: ReachabilityChange[];
  /** How many distinct pairs were probed in either network. */
  pairCount: number;
}

/**
 * Probes both networks on the same pairs and returns what changed: sources are the namespaces
 * of either network (each probed where it exists), destinations the union of both networks'
 * configured addresses unless `options` names them.
 */
export function diffNetworks(
  before: Network,
  after: Network,
  options: ReachabilityOptions = {},
): NetworkDiff {
  const [beforeOptions, afterOptions] = diffPlan(before, after, options);
  return diffMatrices(reachability(before, beforeOptions), reachability(after, afterOptions));
}

/**
 * Returns the options `diffNetworks` probes `before` and `after` with, so that a caller can
 * compute the two matrices another way (on worker threads) and pass them to `diffMatrices`.
 */
export function diffPlan(
  before: Network,
  after: Network,
  options: ReachabilityOptions = {},
): [ReachabilityOptions, ReachabilityOptions] {
  const sources = options.from ?? union(namespaces(before), namespaces(after));
  const to = options.to ?? union(addresses(before), addresses(after));
  const optionsOf = (net: Network): ReachabilityOptions => {
    const present = new Set(Object.values(net.state.namespaces).map(nsLabel));
    return { ...options, from: sources.filter((name) => present.has(name)), to };
  };
  return [optionsOf(before), optionsOf(after)];
}

/** Returns what changed from matrix `old` to matrix `now`, as `diffNetworks` does. */
export function diffMatrices(old: Reachability, now: Reachability): NetworkDiff {
  const pairs = new Set(
    [...old.traces, ...now.traces].map((trace) => `${trace.from} -> ${trace.to}`),
  );
  return { changes: diffReachability(old, now), pairCount: pairs.size };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
