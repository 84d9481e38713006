/**
 * `hoptrace diff [--preset NAME | --from SNAPSHOT] [--trace] [--protocol P --port N] A.sh B.sh`:
 * the reachability that changed between two scripts, one line per changed pair (before, then
 * after), and with `--trace` both traces. Probes are ICMP echoes unless `--protocol tcp` or
 * `udp` and `--port` make them connects or datagrams, with every namespace listening.
 * Like diff(1) it exits 0 when nothing changed and 1 when something did. A command that fails
 * in either script is trouble (exit 2, as diff(1) does), because the real script would stop or
 * build another network. The diff still prints the pairs that changed, after a `FAILED` line
 * for each such command.
 */
import { formatOutcome, formatProtocol, formatTrace } from "../analysis/format.js";
import type { Network } from "../analysis/network.js";
import { network } from "../analysis/network.js";
import {
  changedPairs,
  changesWithTraces,
  formatOutcomeKey,
  outcomeLookup,
  pairCountOf,
  reachabilityOutcomes,
} from "../analysis/outcomes.js";
import type { ReachabilityChange, ReachabilityOptions } from "../analysis/reachability.js";
import { diffMatrices, diffPlan, probeKindOf, reachability } from "../analysis/reachability.js";
import type { ProbeProtocol } from "../analysis/probe.js";
import type { NetState } from "../netns/state.js";
import { failureLines, plural } from "./check.js";
import { reachabilityInWorkers } from "./reach-workers.js";
import { readTextFile } from "./read-file.js";

/**
 * The matrix sizes, in pairs, from which `hoptrace diff` computes outcome codes instead of
 * traces, and from which it computes them on worker threads.
 */
export interface DiffThresholds {
  outcomes: number;
  workers: number;
}

/**
 * Returns the thresholds of `hoptrace diff`. NOTE: measured on one 2-core machine shared with other
 * work. Starting the workers took 0.4 to 1.9 s. A full TCP or UDP probe took 0.4 to 1.3 ms, so
 * for them 2 workers pay off from about 2,000 pairs. An ICMP pair that the echo shortcut proves
 * costs about 10 µs. `npm run bench:reach` took 0.11 s in one thread for 10,504 pairs against
 * 0.47 s on 2 workers, so ICMP matrices go to workers only from 100,000 pairs.
 */
function thresholdsFor(protocol: ProbeProtocol): DiffThresholds {
  return { outcomes: 5_000, workers: protocol === "icmp" ? 100_000 : 5_000 };
}

/** The flags of `hoptrace diff`. */
export interface DiffFlags {
  preset?: string;
  /** The state `--from SNAPSHOT` rebuilt; both scripts start from it. */
  from?: NetState;
  trace?: boolean;
  /** The probe protocol, `icmp` when absent. */
  protocol?: ProbeProtocol;
  /** The destination port of `tcp` and `udp` probes. */
  port?: number;
}

/**
 * One changed pair of the report: each side's outcome as `formatOutcome` prints it (absent where
 * that network lacks the source), and for `--trace` both traces.
 */
interface ReportedChange {
  from: string;
  to: string;
  before?: string;
  after?: string;
  traces?: ReachabilityChange;
}

/** Returns the lines printed for one changed pair; `protocol` is `icmp`, `tcp/22` and so on. */
function changeLines(
  change: ReportedChange,
  before: string,
  after: string,
  protocol: string,
): string[] {
  const old = change.before ?? `no namespace ${change.from} in ${before}`;
  const now = change.after ?? `no namespace ${change.from} in ${after}`;
  const lines = [`${change.from} -> ${change.to} ${protocol}: ${old} => ${now}`];
  const traces = change.traces;
  if (traces === undefined) return lines;
  if (traces.before !== undefined) lines.push(`  | in ${before}:`, ...formatTrace(traces.before));
  if (traces.after !== undefined) lines.push(`  | in ${after}:`, ...formatTrace(traces.after));
  return lines;
}

function reported(change: ReachabilityChange, isTrace: boolean): ReportedChange {
  return {
    from: change.from,
    to: change.to,
    ...(change.before === undefined ? {} : { before: formatOutcome(change.before) }),
    ...(change.after === undefined ? {} : { after: formatOutcome(change.after) }),
    ...(isTrace ? { traces: change } : {}),
  };
}

/**
 * Compares the two networks' reachability, as `diffNetworks` does. A matrix of at least
 * `thresholds.outcomes` pairs is computed as outcome codes, and from `thresholds.workers` pairs
 * on worker threads, with a progress bar on a terminal. Its changed pairs are then traced
 * again for `isTrace` only, because the outcome codes already give the one-line report. `kind`
 * sets the probes' protocol and port.
 */
export async function diffChanges(
  before: Network,
  after: Network,
  isTrace: boolean,
  thresholds?: DiffThresholds,
  kind: Pick<ReachabilityOptions, "protocol" | "port"> = {},
): Promise<{ changes: ReportedChange[]; pairCount: number }> {
  const { outcomes: outcomeMin, workers: workerMin } =
    thresholds ?? thresholdsFor(kind.protocol ?? "icmp");
  const [beforeOptions, afterOptions] = diffPlan(before, after, kind);
  const pairs = (options: ReachabilityOptions): number =>
    (options.from?.length ?? 0) * (options.to?.length ?? 0);
  const largest = Math.max(pairs(beforeOptions), pairs(afterOptions));
  if (largest < outcomeMin) {
    const old = reachability(before, beforeOptions);
    const { changes, pairCount } = diffMatrices(old, reachability(after, afterOptions));
    return { changes: changes.map((change) => reported(change, isTrace)), pairCount };
  }
  const matrixOf = async (net: Network, options: ReachabilityOptions, label: string) =>
    largest < workerMin
      ? reachabilityOutcomes(net, options)
      : await reachabilityInWorkers(net, options, { label });
  const old = await matrixOf(before, beforeOptions, "before");
  const now = await matrixOf(after, afterOptions, "after");
  const pairCount = pairCountOf(old, now);
  if (isTrace) {
    const changes = changesWithTraces(before, old, after, now, probeKindOf(kind));
    return { changes: changes.map((change) => reported(change, true)), pairCount };
  }
  const keyBefore = outcomeLookup(old);
  const keyAfter = outcomeLookup(now);
  const changes = changedPairs(old, now).map(({ from, to }): ReportedChange => {
    const oldKey = keyBefore(from, to);
    const newKey = keyAfter(from, to);
    return {
      from,
      to,
      ...(oldKey === undefined ? {} : { before: formatOutcomeKey(oldKey) }),
      ...(newKey === undefined ? {} : { after: formatOutcomeKey(newKey) }),
    };
  });
  return { changes, pairCount };
}

/** Runs the diff, writes its report, and returns the exit status. */
export async function runDiff(
  before: string,
  after: string,
  flags: DiffFlags,
  write: (text: string) => void,
): Promise<number> {
  const options = {
    isStrict: false,
    ...(flags.preset === undefined ? {} : { preset: flags.preset }),
    ...(flags.from === undefined ? {} : { from: flags.from }),
  };
  const kind = {
    ...(flags.protocol === undefined ? {} : { protocol: flags.protocol }),
    ...(flags.port === undefined ? {} : { port: flags.port }),
  };
  const beforeNet = network(readTextFile(before), options);
  const afterNet = network(readTextFile(after), options);
  const { changes, pairCount } = await diffChanges(
    beforeNet,
    afterNet,
    flags.trace === true,
    undefined,
    kind,
  );
  const protocol = formatProtocol({ protocol: flags.protocol ?? "icmp", ...kind });
  const lines = [...failureLines(beforeNet, before), ...failureLines(afterNet, after)];
  const failureCount = beforeNet.failures.length + afterNet.failures.length;
  lines.push(...changes.flatMap((change) => changeLines(change, before, after, protocol)));
  const failed = failureCount === 0 ? "" : `; ${plural(failureCount, "command")} failed`;
  lines.push(`${changes.length} of ${pairCount} pairs changed (${protocol})${failed}`);
  write(`${lines.join("\n")}\n`);
  if (failureCount > 0) return 2;
  return changes.length === 0 ? 0 : 1;
}
