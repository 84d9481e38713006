/**
 * Benchmark of reachability at scale: N namespaces in groups of 25 per bridge, joined by the
 * forwarding host (`bench/reach-topology.ts`), every namespace probing every configured address.
 * Each size is timed four ways. The baseline, in the same run, is probes on a throwaway immer
 * draft (`sendProbeOnDraft`), the path every probe took before `probeState`. Then full probes on
 * the lazy copy in this thread (`sendProbe`), the outcome matrix in this thread
 * (`reachabilityOutcomes`, where the echo shortcut proves most pairs), and the whole outcome
 * matrix on worker threads (`reachabilityInWorkers`, one worker per core, start-up included).
 *
 * The in-thread paths are sampled: the sources are spread evenly over the namespaces, every
 * destination is kept, and the full matrix's time is extrapolated from the sample's rate. The
 * sample sizes are printed with the results. CPU seconds are printed beside wall seconds,
 * because on a shared machine wall time also counts other processes' load. For the workers they
 * are the whole process's, every thread included. The run checks that the outcome matrix, in
 * this thread and on the workers, agrees with full probes on the sampled sources.
 *
 * Run: npm run bench:reach [-- --json] [-- --sizes 30,100]
 */
import { cpus, loadavg, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import type { Network } from "../src/analysis/network.js";
import { addresses, namespaces, network } from "../src/analysis/network.js";
import { outcomeKey, reachabilityOutcomes } from "../src/analysis/outcomes.js";
import type { Trace } from "../src/analysis/probe.js";
import { sendProbe, sendProbeOnDraft } from "../src/analysis/probe.js";
import { reachabilityInWorkers } from "../src/cli/reach-workers.js";
import { bridgedScript } from "./reach-topology.js";

/**
 * The maximum number of sources each in-thread path probes per size; all of them when there are
 * fewer. The workers always compute the whole matrix.
 */
const SOURCE_SAMPLES: Record<number, { copy: number; draft: number; matrix: number }> = {
  30: { copy: Infinity, draft: Infinity, matrix: Infinity },
  100: { copy: Infinity, draft: 10, matrix: Infinity },
  300: { copy: 30, draft: 3, matrix: 100 },
  1000: { copy: 10, draft: 1, matrix: 100 },
};

interface PathResult {
  sources: number;
  probes: number;
  seconds: number;
  /** CPU seconds of this process, for the paths that run in this thread. */
  cpuSeconds?: number;
  tracesPerSecond: number;
  /** The time the full matrix would take at this rate. */
  fullSeconds: number;
}

function spread(names: readonly string[], count: number): string[] {
  if (count >= names.length) return [...names];
  return Array.from({ length: count }, (_, i) => names[Math.floor((i * names.length) / count)]!);
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function timeProbes(
  net: Network,
  sources: readonly string[],
  send: typeof sendProbe,
  pairCount: number,
): { result: PathResult; traces: Trace[] } {
  const destinations = addresses(net);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const traces = sources.flatMap((from) => destinations.map((to) => send(net.state, { from, to })));
  const seconds = (performance.now() - start) / 1000;
  const result = rate(sources.length, traces.length, seconds, pairCount);
  return { result: { ...result, cpuSeconds: cpuSince(cpu) }, traces };
}

function rate(sources: number, probes: number, seconds: number, pairCount: number): PathResult {
  const tracesPerSecond = probes / seconds;
  return { sources, probes, seconds, tracesPerSecond, fullSeconds: pairCount / tracesPerSecond };
}

async function measure(size: number): Promise<Record<string, unknown>> {
  const samples = SOURCE_SAMPLES[size] ?? { copy: 10, draft: 1, matrix: 100 };
  const buildCpu = process.cpuUsage();
  const buildStart = performance.now();
  const net = network(bridgedScript(size));
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const buildCpuSeconds = cpuSince(buildCpu);
  const allSources = namespaces(net);
  const pairCount = allSources.length * addresses(net).length;

  // Warm up both paths on a few probes so the first measured one is not the JIT's.
  timeProbes(net, allSources.slice(0, 2), sendProbe, pairCount);
  timeProbes(net, allSources.slice(0, 1), sendProbeOnDraft, pairCount);

  const copy = timeProbes(net, spread(allSources, samples.copy), sendProbe, pairCount);
  const draftSources = spread(allSources, samples.draft);
  const draft = timeProbes(net, draftSources, sendProbeOnDraft, pairCount);
  const sameVerdicts = draft.traces.every((trace) => {
    const twin = sendProbe(net.state, { from: trace.from, to: trace.to });
    return outcomeKey(twin) === outcomeKey(trace);
  });

  const matrixSources = spread(allSources, samples.matrix);
  const matrixCpu = process.cpuUsage();
  const matrixStart = performance.now();
  const inThread = reachabilityOutcomes(net, { from: matrixSources });
  const matrixSeconds = (performance.now() - matrixStart) / 1000;
  const matrix = {
    ...rate(matrixSources.length, inThread.codes.length, matrixSeconds, pairCount),
    cpuSeconds: cpuSince(matrixCpu),
  };

  const workerCpu = process.cpuUsage();
  const workerStart = performance.now();
  const whole = await reachabilityInWorkers(net, {}, { isProgress: false });
  const workerSeconds = (performance.now() - workerStart) / 1000;
  const workers = {
    ...rate(allSources.length, whole.codes.length, workerSeconds, pairCount),
    cpuSeconds: cpuSince(workerCpu),
  };

  // The copy path's traces are full probes: both matrices must give each of them its outcome.
  const width = whole.destinations.length;
  const rowOf = new Map(allSources.map((name, index) => [name, index]));
  const sampleRow = new Map(matrixSources.map((name, index) => [name, index]));
  const destinationOf = new Map(whole.destinations.map((addr, index) => [addr, index]));
  const sameMatrixVerdicts = copy.traces.every((trace) => {
    const d = destinationOf.get(trace.to)!;
    const expected = outcomeKey(trace);
    const fromWorkers = whole.outcomes[whole.codes[rowOf.get(trace.from)! * width + d]!];
    const s = sampleRow.get(trace.from);
    const fromThread =
      s === undefined ? expected : inThread.outcomes[inThread.codes[s * width + d]!];
    return fromWorkers === expected && fromThread === expected;
  });

  return {
    namespaces: size,
    pairs: pairCount,
    buildSeconds,
    buildCpuSeconds,
    copy: copy.result,
    draft: draft.result,
    matrix,
    workers,
    speedupCopyOverDraft: copy.result.tracesPerSecond / draft.result.tracesPerSecond,
    speedupMatrixOverCopy: matrix.tracesPerSecond / copy.result.tracesPerSecond,
    speedupWorkersOverMatrix: workers.tracesPerSecond / matrix.tracesPerSecond,
    sameVerdicts: sameVerdicts && sameMatrixVerdicts,
    loadAverage: loadavg()[0],
  };
}

function row(result: Record<string, unknown>): string {
  const copy = result.copy as PathResult;
  const draft = result.draft as PathResult;
  const matrix = result.matrix as PathResult;
  const workers = result.workers as PathResult;
  const f = (n: number, digits = 1): string => n.toFixed(digits);
  const cpu = (path: PathResult): string =>
    `${f(path.seconds, 2)} s wall, ${f(path.cpuSeconds!, 2)} s CPU`;
  const line = (name: string, path: PathResult): string =>
    `  ${name.padEnd(18)}${path.probes} probes from ${path.sources} sources in ${cpu(path)}, ${f(path.tracesPerSecond, 0)} traces/s, full matrix ${f(path.fullSeconds)} s`;
  return [
    `N=${String(result.namespaces)}: ${String(result.pairs)} pairs, build ${f(result.buildSeconds as number)} s (${f(result.buildCpuSeconds as number)} s CPU), load average ${f(result.loadAverage as number, 2)}`,
    line("draft (baseline):", draft),
    line("full probes:", copy),
    line("outcome matrix:", matrix),
    line(`workers (${cpus().length}):`, workers),
    `  full probes / draft ${f(result.speedupCopyOverDraft as number, 2)}x, matrix / full probes ${f(result.speedupMatrixOverCopy as number, 2)}x, workers / matrix ${f(result.speedupWorkersOverMatrix as number, 2)}x, same verdicts: ${String(result.sameVerdicts)}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const isJson = process.argv.includes("--json");
  const sizesAt = process.argv.indexOf("--sizes");
  const sizes =
    sizesAt === -1 ? [30, 100, 300, 1000] : process.argv[sizesAt + 1]!.split(",").map(Number);
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  };
  if (!isJson)
    console.log(
      `${machine.cores} cores, ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    );
  for (const size of sizes) {
    const result = await measure(size);
    console.log(isJson ? JSON.stringify({ ...result, ...machine }) : row(result));
  }
}

await main();
