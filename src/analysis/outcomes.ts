/**
 * Reachability matrices without their traces: one outcome code per pair. A trace of the
 * benchmark's bridged network is about 17 KB as JSON, so a million of them would not fit in
 * memory, while a diff needs the traces of the changed pairs only. Those are recomputed on
 * demand, which gives the same traces, because every probe starts from the same frozen state.
 */
import type { DropReason, Verdict } from "../path/verdict.js";
import type { NetState } from "../netns/state.js";
import { EchoShortcut } from "./echo-shortcut.js";
import { formatDrop } from "./format.js";
import type { Network } from "./network.js";
import { namespaces } from "./network.js";
import type { ProbeKind, Trace } from "./probe.js";
import { findNamespace, parseDestination, sendProbe, sendProbeFrom } from "./probe.js";
import type { Reachability, ReachabilityChange, ReachabilityOptions } from "./reachability.js";
import { probeKindOf, reachability } from "./reachability.js";

/**
 * The outcome matrix of `reachabilityOutcomes`: `codes[s * destinations.length + d]` indexes
 * `outcomes` for source `s` and destination `d`.
 */
export interface ReachabilityOutcomes {
  sources: string[];
  destinations: string[];
  /** The outcome of each pair, sources in the outer order and destinations in the inner. */
  codes: Uint32Array;
  /** The distinct outcomes, as `outcomeKey` writes them. */
  outcomes: string[];
}

/**
 * Returns the part of `trace` that `isSameOutcome` compares, as one string: `reachable`, or the
 * verdict kind (`refused` for a refused probe), drop reason, namespace and link of the
 * decisive packet verdict.
 */
export function outcomeKey(trace: Trace): string {
  if (trace.verdict === "reachable") return REACHABLE;
  const { reason, ns, link } = trace.decisive;
  const kind = trace.verdict === "refused" ? "refused" : trace.decisive.kind;
  // JSON keeps the fields apart whatever characters a namespace name contains.
  return JSON.stringify([kind, reason ?? null, ns, link ?? null]);
}

const REACHABLE = "reachable";

/** Returns the text `formatOutcome` prints for a trace whose outcome key is `key`. */
export function formatOutcomeKey(key: string): string {
  if (key === REACHABLE) return REACHABLE;
  const [kind, reason, ns, link] = JSON.parse(key) as [
    Verdict["kind"] | "refused",
    DropReason | null,
    string,
    string | null,
  ];
  return formatDrop({
    kind,
    ns,
    ...(reason === null ? {} : { reason }),
    ...(link === null ? {} : { link }),
  });
}

/** Interns outcome keys as small integers, in the order they are first seen. */
export class OutcomeTable {
  readonly keys: string[] = [];
  private readonly codes = new Map<string, number>();

  /** Returns the code of `key`, adding it when it is new. */
  codeOf(key: string): number {
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.keys.length;
      this.keys.push(key);
      this.codes.set(key, code);
    }
    return code;
  }
}

/**
 * Probes `from` to each of `destinations` in `net` with probes of `kind` (checked by
 * `checkProbeKind`, ICMP echo when empty) and returns the outcome codes in destination order,
 * adding new outcomes to `table`. The addresses of a destination list are
 * parsed on its first use and remembered, so a list must not change between calls.
 */
export function outcomeRow(
  net: Network,
  from: string,
  destinations: readonly string[],
  table: OutcomeTable,
  kind: ProbeKind = {},
): Uint32Array {
  const row = new Uint32Array(destinations.length);
  // Finding a namespace scans them all, so each source is found once per row.
  const nsId = findNamespace(net.state, from).id;
  const shortcut = (kind.protocol ?? "icmp") === "icmp" ? shortcutOf(net.state) : undefined;
  parsedAddresses(destinations).forEach((dst, index) => {
    row[index] =
      shortcut?.isReachable(nsId, dst) === true
        ? table.codeOf(REACHABLE)
        : table.codeOf(outcomeKey(sendProbeFrom(net.state, nsId, dst, kind)));
  });
  return row;
}

/** The echo shortcut of each state, which keeps what it learned between rows. */
const shortcuts = new WeakMap<NetState, EchoShortcut>();

function shortcutOf(state: NetState): EchoShortcut {
  let shortcut = shortcuts.get(state);
  if (shortcut === undefined) {
    shortcut = new EchoShortcut(state);
    shortcuts.set(state, shortcut);
  }
  return shortcut;
}

/** The parsed addresses of each destination list, which every row of a matrix shares. */
const parsedLists = new WeakMap<readonly string[], number[]>();

function parsedAddresses(destinations: readonly string[]): number[] {
  let parsed = parsedLists.get(destinations);
  if (parsed === undefined) {
    parsed = destinations.map(parseDestination);
    parsedLists.set(destinations, parsed);
  }
  return parsed;
}

/**
 * Returns the sources, destinations and probe kind `reachability(net, options)` probes,
 * checking them as it does.
 */
export function matrixPlan(
  net: Network,
  options: ReachabilityOptions = {},
): { sources: string[]; destinations: string[]; kind: ProbeKind } {
  const sources = [...(options.from ?? namespaces(net))];
  for (const name of sources) findNamespace(net.state, name);
  // A matrix without sources checks the probe kind and the destinations and probes nothing.
  const { destinations } = reachability(net, { ...options, from: [] });
  return { sources, destinations, kind: probeKindOf(options) };
}

/** Computes the outcomes of `reachability(net, options)` in this thread. */
export function reachabilityOutcomes(
  net: Network,
  options: ReachabilityOptions = {},
): ReachabilityOutcomes {
  const { sources, destinations, kind } = matrixPlan(net, options);
  const table = new OutcomeTable();
  const codes = new Uint32Array(sources.length * destinations.length);
  sources.forEach((from, index) => {
    codes.set(outcomeRow(net, from, destinations, table, kind), index * destinations.length);
  });
  return { sources, destinations, codes, outcomes: table.keys };
}

/**
 * Returns a lookup of the outcome key of each pair of `matrix`, undefined for a pair the matrix
 * lacks.
 */
export function outcomeLookup(
  matrix: ReachabilityOutcomes,
): (from: string, to: string) => string | undefined {
  const sources = new Map(matrix.sources.map((name, index) => [name, index]));
  const destinations = new Map(matrix.destinations.map((addr, index) => [addr, index]));
  const width = matrix.destinations.length;
  return (from, to) => {
    const s = sources.get(from);
    const d = destinations.get(to);
    if (s === undefined || d === undefined) return undefined;
    return matrix.outcomes[matrix.codes[s * width + d]!];
  };
}

/** A pair of a matrix, as sources and destinations name it. */
export interface Pair {
  from: string;
  to: string;
}

/**
 * Returns the pairs whose outcome differs between `before` and `after`, in the order
 * `diffReachability` lists them: the pairs of `before`, then the pairs only `after` has.
 */
export function changedPairs(before: ReachabilityOutcomes, after: ReachabilityOutcomes): Pair[] {
  const changed: Pair[] = [];
  const keyAfter = outcomeLookup(after);
  const width = before.destinations.length;
  before.sources.forEach((from, s) => {
    before.destinations.forEach((to, d) => {
      const old = before.outcomes[before.codes[s * width + d]!];
      if (old !== keyAfter(from, to)) changed.push({ from, to });
    });
  });
  const keyBefore = outcomeLookup(before);
  for (const from of after.sources) {
    for (const to of after.destinations) {
      if (keyBefore(from, to) === undefined) changed.push({ from, to });
    }
  }
  return changed;
}

/** Returns how many distinct pairs either matrix has. */
export function pairCountOf(before: ReachabilityOutcomes, after: ReachabilityOutcomes): number {
  const sources = new Set([...before.sources, ...after.sources]);
  let count = 0;
  for (const from of sources) {
    const destinations = new Set<string>();
    if (before.sources.includes(from)) for (const to of before.destinations) destinations.add(to);
    if (after.sources.includes(from)) for (const to of after.destinations) destinations.add(to);
    count += destinations.size;
  }
  return count;
}

/**
 * Returns the changes between two networks' outcome matrices with both traces, recomputed for
 * the changed pairs only with probes of `kind` (ICMP echo when empty): what `diffReachability`
 * returns for the full matrices. A side whose matrix lacks the pair has no trace.
 */
export function changesWithTraces(
  before: Network,
  old: ReachabilityOutcomes,
  after: Network,
  now: ReachabilityOutcomes,
  kind: ProbeKind = {},
): ReachabilityChange[] {
  const keyBefore = outcomeLookup(old);
  const keyAfter = outcomeLookup(now);
  return changedPairs(old, now).map(({ from, to }) => {
    const change: ReachabilityChange = { from, to };
    const probe = { ...kind, from, to };
    if (keyBefore(from, to) !== undefined) change.before = sendProbe(before.state, probe);
    if (keyAfter(from, to) !== undefined) change.after = sendProbe(after.state, probe);
    return change;
  });
}

/** Returns the outcome matrix of a matrix of traces. */
export function outcomesOfMatrix(matrix: Reachability): ReachabilityOutcomes {
  const table = new OutcomeTable();
  const codes = Uint32Array.from(matrix.traces, (trace) => table.codeOf(outcomeKey(trace)));
  return {
    sources: matrix.sources,
    destinations: matrix.destinations,
    codes,
    outcomes: table.keys,
  };
}
