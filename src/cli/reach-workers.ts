/**
 * A reachability outcome matrix computed on worker threads: the source namespaces are handed
 * out in small batches to `os.availableParallelism()` workers, each holding its own copy of the
 * state, and their rows are put back in source order. The outcomes are the ones
 * `reachabilityOutcomes()` computes in one thread, because every probe starts from the same
 * state. Workers return outcome codes, not traces, so that what crosses between threads is four
 * bytes a pair rather than a structured clone of every hop.
 */
import { existsSync } from "node:fs";
import { createRequire as createModuleRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Network } from "../analysis/network.js";
import type { ReachabilityOutcomes } from "../analysis/outcomes.js";
import { OutcomeTable, matrixPlan } from "../analysis/outcomes.js";
import type { ProbeKind } from "../analysis/probe.js";
import type { ReachabilityOptions } from "../analysis/reachability.js";
import type { NetState } from "../netns/state.js";

/**
 * The input a worker starts with: the state, the destinations every source probes, and the
 * probe kind (protocol, port, listening sockets) of every pair.
 */
export interface WorkerInput {
  state: NetState;
  destinations: string[];
  kind: ProbeKind;
}

/** A worker's result for one batch of sources: their rows of outcome codes, in order. */
export interface WorkerRows {
  sources: string[];
  /** The codes of each source's row, one after the other, indexing the worker's table. */
  codes: Uint32Array;
  /** The outcome keys the worker's table gained while it computed this batch. */
  newOutcomes: string[];
}

/** Options of `reachabilityInWorkers`. */
export interface WorkerOptions {
  /** How many workers to start; `os.availableParallelism()` when absent. */
  workers?: number;
  /** A word the progress bar starts with, such as `before`. */
  label?: string;
  /** Whether to draw a progress bar on stderr; drawn only when stderr is a terminal. */
  isProgress?: boolean;
  /** How many sources a worker gets per message, 4 when absent. */
  batchSize?: number;
}

/**
 * Computes `reachabilityOutcomes(net, options)` on worker threads and returns the same matrix.
 * Never starts more workers than there are sources. Rejects with a usage error, before starting
 * any worker, for an unknown source or a malformed destination, and rejects when a worker fails.
 */
export async function reachabilityInWorkers(
  net: Network,
  options: ReachabilityOptions = {},
  workerOptions: WorkerOptions = {},
): Promise<ReachabilityOutcomes> {
  const { sources, destinations, kind } = matrixPlan(net, options);
  const table = new OutcomeTable();
  const codes = new Uint32Array(sources.length * destinations.length);
  const count = Math.min(workerOptions.workers ?? availableParallelism(), sources.length);
  const isProgress = workerOptions.isProgress !== false && process.stderr.isTTY === true;
  const progress = isProgress ? new ProgressBar(sources.length, workerOptions.label) : undefined;
  const rowOf = new Map(sources.map((name, index) => [name, index]));
  const batches = batchesOf(sources, workerOptions.batchSize ?? 4);

  const input: WorkerInput = { state: net.state, destinations, kind };
  const workers = Array.from({ length: count }, () => startWorker(input));
  const store = (rows: WorkerRows, globalCodes: number[]): void => {
    rows.sources.forEach((from, index) => {
      const start = rowOf.get(from)! * destinations.length;
      const row = rows.codes.subarray(
        index * destinations.length,
        (index + 1) * destinations.length,
      );
      for (let d = 0; d < row.length; d++) codes[start + d] = globalCodes[row[d]!]!;
      progress?.tick();
    });
  };
  try {
    await Promise.all(workers.map((worker) => drain(worker, batches, table, store)));
  } finally {
    progress?.end();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { sources, destinations, codes, outcomes: table.keys };
}

function batchesOf(sources: readonly string[], size: number): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < sources.length; start += size) {
    batches.push(sources.slice(start, start + size));
  }
  return batches;
}

/**
 * Feeds `worker` the next unclaimed batch until none is left, and stores each batch's rows with
 * the worker's codes translated to codes of `table`.
 */
function drain(
  worker: Worker,
  batches: string[][],
  table: OutcomeTable,
  store: (rows: WorkerRows, globalCodes: number[]) => void,
): Promise<void> {
  const globalCodes: number[] = [];
  return new Promise((resolve, reject) => {
    const next = (): void => {
      const batch = batches.shift();
      if (batch === undefined) resolve();
      else worker.postMessage(batch);
    };
    worker.on("message", (rows: WorkerRows) => {
      for (const key of rows.newOutcomes) globalCodes.push(table.codeOf(key));
      store(rows, globalCodes);
      next();
    });
    worker.on("error", reject);
    next();
  });
}

/**
 * Starts one worker. Compiled, the worker module sits beside this one in `dist/cli/`, or there
 * too when this code is the bundled CLI in `dist/`. From source (`.ts`, under tsx), the worker
 * runs a bundle of its module graph that esbuild builds once per process. A worker that
 * registered tsx itself took seconds to start, because it compiled every module again.
 */
function startWorker(input: WorkerInput): Worker {
  if (import.meta.url.endsWith(".ts")) {
    return new Worker(bundledWorkerUrl(), { workerData: input });
  }
  const beside = new URL("./reach-worker.js", import.meta.url);
  const url = existsSync(fileURLToPath(beside))
    ? beside
    : new URL("./cli/reach-worker.js", import.meta.url);
  return new Worker(url, { workerData: input });
}

let bundled: URL | undefined;

/** Returns a `data:` URL of the worker module bundled with everything it imports. */
function bundledWorkerUrl(): URL {
  if (bundled !== undefined) return bundled;
  // esbuild is a development dependency, present wherever the sources run under tsx.
  const { buildSync } = createModuleRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL("./reach-worker.ts", import.meta.url))],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  const code = result.outputFiles[0]!.text;
  bundled = new URL(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  return bundled;
}

/** A one-line progress bar on stderr, redrawn when the percentage changes. */
class ProgressBar {
  private done = 0;
  private shown = -1;

  private readonly prefix: string;

  constructor(
    private readonly total: number,
    label?: string,
  ) {
    this.prefix = label === undefined ? "" : `${label} `;
  }

  tick(): void {
    this.done++;
    const percent = Math.floor((this.done * 100) / this.total);
    if (percent === this.shown) return;
    this.shown = percent;
    const width = 30;
    const filled = Math.round((width * this.done) / this.total);
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    process.stderr.write(`\r${this.prefix}[${bar}] ${percent}% ${this.done}/${this.total} sources`);
  }

  /** Clears the bar's line, so the report that follows starts on a clean line. */
  end(): void {
    process.stderr.write("\r\x1b[K");
  }
}
