/**
 * `hoptrace diff [--preset NAME | --from SNAPSHOT] [--trace] A.sh B.sh`: the reachability that changed between
 * two scripts, one line per changed pair (before, then after), and with `--trace` both traces.
 * Like diff(1) it exits 0 when nothing changed and 1 when something did.
 */
import { formatOutcome, formatTrace } from "../analysis/format.js";
import type { Network } from "../analysis/network.js";
import { network } from "../analysis/network.js";
import { changesWithTraces, pairCountOf } from "../analysis/outcomes.js";
import type {
  NetworkDiff,
  ReachabilityChange,
  ReachabilityOptions,
} from "../analysis/reachability.js";
import { diffMatrices, diffPlan, reachability } from "../analysis/reachability.js";
import type { NetState } from "../netns/state.js";
import { reachabilityInWorkers } from "./reach-workers.js";
import { readTextFile } from "./read-file.js";

/**
 * The matrix size, in pairs, from which `hoptrace diff` probes on worker threads; smaller
 * matrices stay in-process.
 * NOTE: measured on one 2-core machine shared with other work (load average about 10): starting
 * the workers took 0.9 to 1.9 s and a probe 0.4 to 1.3 ms, so 2 workers pay off from about
 * 2,000 pairs; `npm run bench:reach` had them slower at 992 pairs and faster at 10,504.
 */
const WORKER_MIN_PAIRS = 5_000;

/** The flags of `hoptrace diff`. */
export interface DiffFlags {
  preset?: string;
  /** The state `--from SNAPSHOT` rebuilt; both scripts start from it. */
  from?: NetState;
  trace?: boolean;
}

/** Returns the lines printed for one changed pair. */
function changeLines(
  change: ReachabilityChange,
  before: string,
  after: string,
  isTrace: boolean,
): string[] {
  const old =
    change.before === undefined
      ? `no namespace ${change.from} in ${before}`
      : formatOutcome(change.before);
  const now =
    change.after === undefined
      ? `no namespace ${change.from} in ${after}`
      : formatOutcome(change.after);
  const lines = [`${change.from} -> ${change.to} icmp: ${old} => ${now}`];
  if (!isTrace) return lines;
  if (change.before !== undefined) lines.push(`  | in ${before}:`, ...formatTrace(change.before));
  if (change.after !== undefined) lines.push(`  | in ${after}:`, ...formatTrace(change.after));
  return lines;
}

/**
 * Compares the two networks' reachability, as `diffNetworks` does. A matrix of at least
 * `minPairs` pairs is computed on worker threads as outcome codes, with a progress bar on a
 * terminal, and only its changed pairs are traced again.
 */
export async function diffInWorkers(
  before: Network,
  after: Network,
  minPairs = WORKER_MIN_PAIRS,
): Promise<NetworkDiff> {
  const [beforeOptions, afterOptions] = diffPlan(before, after);
  const pairs = (options: ReachabilityOptions): number =>
    (options.from?.length ?? 0) * (options.to?.length ?? 0);
  if (Math.max(pairs(beforeOptions), pairs(afterOptions)) < minPairs) {
    return diffMatrices(reachability(before, beforeOptions), reachability(after, afterOptions));
  }
  const old = await reachabilityInWorkers(before, beforeOptions);
  const now = await reachabilityInWorkers(after, afterOptions);
  return { changes: changesWithTraces(before, old, after, now), pairCount: pairCountOf(old, now) };
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
  const { changes, pairCount } = await diffInWorkers(
    network(readTextFile(before), options),
    network(readTextFile(after), options),
  );
  const lines = changes.flatMap((change) =>
    changeLines(change, before, after, flags.trace === true),
  );
  lines.push(`${changes.length} of ${pairCount} pairs changed (icmp)`);
  write(`${lines.join("\n")}\n`);
  return changes.length === 0 ? 0 : 1;
}
