/**
 * The hoptrace library: build a simulated Linux network from a script of `ip`, `bridge` and
 * `sysctl` commands (or from a topology description), send probes through it, and compare
 * reachability before and after a change. Everything runs in memory and in virtual time, and
 * nothing here uses a Node API, so the library also runs in a browser.
 *
 * ```ts
 * import { network, diffNetworks } from "hoptrace";
 * const before = network(script);
 * const after = network(`${script}sysctl -w net.ipv4.ip_forward=1\n`);
 * const { changes, pairCount } = diffNetworks(before, after);
 * ```
 *
 * `diffNetworks` probes both networks on the same pairs, as `hoptrace diff` does.
 * `diffReachability` compares two matrices as they are, so a destination that only one of them
 * probed shows as a change.
 *
 * A probe is an ICMP echo request, a TCP connect as `nc -z` makes it, or a UDP datagram.
 * Property-testing helpers for fast-check live in `hoptrace/fast-check`.
 *
 * @module
 */
export { HoptraceError, KernelError, Unsupported, UsageError } from "./errors.js";
export type { DropReason, Hop, PacketTrace, Verdict } from "./path/verdict.js";
export { formatPacketTrace } from "./path/trace-text.js";
export type { Network, NetworkOptions, ScriptFailure } from "./analysis/network.js";
export { ScriptError, addresses, extend, namespaces, network } from "./analysis/network.js";
export { stateFromSnapshot } from "./script/run.js";
export type {
  EndSpec,
  NamespaceSpec,
  RouteSpec,
  SegmentSpec,
  Topology,
} from "./analysis/topology.js";
export { HOST, topologyScript } from "./analysis/topology.js";
export type {
  ListeningPort,
  Probe,
  ProbeKind,
  ProbeProtocol,
  ReachVerdict,
  Trace,
} from "./analysis/probe.js";
export { PROBE_TIMEOUT_MS } from "./analysis/probe.js";
export { CONNECT_TIMEOUT_MS } from "./analysis/transport-probe.js";
export { trace } from "./analysis/trace.js";
export type {
  NetworkDiff,
  Reachability,
  ReachabilityChange,
  ReachabilityOptions,
} from "./analysis/reachability.js";
export {
  diffNetworks,
  diffReachability,
  isSameOutcome,
  reachability,
  samplePrefix,
  traceOf,
} from "./analysis/reachability.js";
export type { Pair, ReachabilityOutcomes } from "./analysis/outcomes.js";
export {
  changedPairs,
  changesWithTraces,
  outcomeKey,
  outcomeLookup,
  reachabilityOutcomes,
} from "./analysis/outcomes.js";
export { formatOutcome, formatPair, formatProtocol, formatTrace } from "./analysis/format.js";
export type { Invariant, Violation } from "./analysis/invariants.js";
export {
  InvariantError,
  assertInvariants,
  formatViolations,
  holds,
  noBlackHole,
  noForwardingLoop,
  reaches,
  rpFilterKeepsReplies,
  symmetricReplies,
  violations,
} from "./analysis/invariants.js";

export { fromTopology } from "./analysis/from-topology.js";
export type { FixCandidate, FixKind } from "./analysis/fix-candidates.js";
export { fixCandidates } from "./analysis/fix-candidates.js";
export type { SuggestOptions, Suggestion } from "./analysis/suggest.js";
export { formatSuggestions, suggestFixes } from "./analysis/suggest.js";
