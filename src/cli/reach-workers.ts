/**
 * A reachability matrix computed on worker threads: the source namespaces are handed out one at
 * a time to `os.availableParallelism()` workers, each holding its own copy of the state, and
 * their rows are put back in source order. The traces are the ones `reachability()` returns in
 * one thread, because every probe starts from the same state.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Network } from "../analysis/network.js";
import { namespaces } from "../analysis/network.js";
import type { Trace } from "../analysis/probe.js";
import { findNamespace } from "../analysis/probe.js";
import type { Reachability, ReachabilityOptions } from "../analysis/reachability.js";
import { reachability } from "../analysis/reachability.js";
import type { NetState } from "../netns/state.js";

/** The input a worker starts with: the state and the destinations every source probes. */
export interface WorkerInput {
  state: NetState;
  destinations: string[];
}

/** A worker's result for one source: the traces to every destination, in their order. */
export interface WorkerRow {
  from: string;
  traces: Trace[];
}

/** Options of `reachabilityInWorkers`. */
export interface WorkerOptions {
  /** How many workers to start; `os.availableParallelism()` when absent. */
  workers?: number;
  /** Whether to draw a progress bar on stderr; drawn only when stderr is a terminal. */
  isProgress?: boolean;
}

/**
 * Computes `reachability(net, options)` on worker threads and returns the same matrix. Never
 * starts more workers than there are sources. Rejects when a worker fails, for example on an
 * unknown source namespace.
 */
export async function reachabilityInWorkers(
  net: Network,
  options: ReachabilityOptions = {},
  workerOptions: WorkerOptions = {},
): Promise<Reachability> {
  const sources = [...(options.from ?? namespaces(net))];
  for (const name of sources) findNamespace(net.state, name);
  // A matrix without sources checks the options and expands the destinations, in-process.
  const { destinations } = reachability(net, { ...options, from: [] });
  const count = Math.min(workerOptions.workers ?? availableParallelism(), sources.length);
  const isProgress = workerOptions.isProgress !== false && process.stderr.isTTY === true;
  const progress = isProgress ? new ProgressBar(sources.length) : undefined;

  const rows = new Map<string, Trace[]>();
  const input: WorkerInput = { state: net.state, destinations };
  const workers = Array.from({ length: count }, () => startWorker(input));
  const queue = [...sources];
  try {
    await Promise.all(workers.map((worker) => drain(worker, queue, rows, () => progress?.tick())));
  } finally {
    progress?.end();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  const traces = sources.flatMap((from) => rows.get(from)!);
  return { sources, destinations, traces };
}

/** Feeds `worker` the next unclaimed source until none is left, storing each row it returns. */
function drain(
  worker: Worker,
  queue: string[],
  rows: Map<string, Trace[]>,
  onRow: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (): void => {
      const from = queue.shift();
      if (from === undefined) resolve();
      else worker.postMessage(from);
    };
    worker.on("message", (row: WorkerRow) => {
      rows.set(row.from, row.traces);
      onRow();
      next();
    });
    worker.on("error", reject);
    next();
  });
}

/**
 * Starts one worker. From source (`.ts`, under tsx) the worker registers tsx itself, because
 * Node 20 does not apply the parent's `--import tsx` hooks to a worker's entry module. Compiled,
 * the worker module sits beside this one in `dist/cli/`, or there too when this code is the
 * bundled CLI in `dist/`.
 */
function startWorker(input: WorkerInput): Worker {
  if (import.meta.url.endsWith(".ts")) {
    const entry = new URL("./reach-worker.ts", import.meta.url).href;
    const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, workerData: input });
  }
  const beside = new URL("./reach-worker.js", import.meta.url);
  const url = existsSync(fileURLToPath(beside))
    ? beside
    : new URL("./cli/reach-worker.js", import.meta.url);
  return new Worker(url, { workerData: input });
}

/** A one-line progress bar on stderr, redrawn when the percentage changes. */
class ProgressBar {
  private done = 0;
  private shown = -1;

  constructor(private readonly total: number) {}

  tick(): void {
    this.done++;
    const percent = Math.floor((this.done * 100) / this.total);
    if (percent === this.shown) return;
    this.shown = percent;
    const width = 30;
    const filled = Math.round((width * this.done) / this.total);
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    process.stderr.write(`\r[${bar}] ${percent}% ${this.done}/${this.total} sources`);
  }

  /** Clears the bar's line, so the report that follows starts on a clean line. */
  end(): void {
    process.stderr.write("\r\x1b[K");
  }
}
