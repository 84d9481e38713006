/**
 * Benchmark of the container-bridge story: the whole script simulated in-process, through the
 * CLI as a fresh process, and (as root, with unshare) on the real kernel in a sandbox. Each is
 * printed with its ratio to a baseline measured in the same run: a bare `node -e ""` start for
 * the CLI, and the real kernel's wall time for the simulation.
 *
 * Run: npm run bench:story [-- --json] [-- --no-kernel]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { runScript } from "../src/script/run.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const scenario = resolve(root, "scenarios/container-bridge.sh");
const script = readFileSync(scenario, "utf8");

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, body: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function main(): void {
  const isJson = process.argv.includes("--json");
  const skipKernel = process.argv.includes("--no-kernel");

  for (let i = 0; i < 20; i++) runScript(script);
  const inProcessMs = time(100, () => runScript(script));

  const cli = resolve(root, "bin/hoptrace.js");
  const cliMs = time(15, () =>
    execFileSync(process.execPath, [cli, "run", scenario], { stdio: "pipe" }),
  );
  const nodeMs = time(15, () => execFileSync(process.execPath, ["-e", ""], { stdio: "pipe" }));

  let kernelMs: number | undefined;
  if (!skipKernel && process.getuid?.() === 0) {
    const start = performance.now();
    execFileSync("unshare", [
      "--net",
      "--mount",
      "--propagation",
      "private",
      "--fork",
      "bash",
      "-c",
      `mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns && ip link set lo up && bash ${JSON.stringify(scenario)} >/dev/null 2>&1; true`,
    ]);
    kernelMs = performance.now() - start;
  }

  const result = {
    scenario: "container-bridge",
    inProcessMs: Number(inProcessMs.toFixed(2)),
    cliMs: Number(cliMs.toFixed(1)),
    bareNodeMs: Number(nodeMs.toFixed(1)),
    cliOverBareNode: Number((cliMs / nodeMs).toFixed(2)),
    kernelMs: kernelMs === undefined ? null : Number(kernelMs.toFixed(0)),
    kernelOverInProcess:
      kernelMs === undefined ? null : Number((kernelMs / inProcessMs).toFixed(0)),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  };
  if (isJson) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(
    `container-bridge story (${script.split("\n").filter((l) => l && !l.startsWith("#")).length} commands)`,
  );
  console.log(`  in-process   ${result.inProcessMs} ms (median of 100; target < 20 ms)`);
  console.log(
    `  CLI process  ${result.cliMs} ms (median of 15; target < 300 ms), ${result.cliOverBareNode}x a bare node start (${result.bareNodeMs} ms)`,
  );
  if (kernelMs !== undefined) {
    console.log(
      `  real kernel  ${result.kernelMs} ms in a sandbox: the simulation is ${result.kernelOverInProcess}x faster`,
    );
  } else {
    console.log("  real kernel  skipped (needs root and unshare, or --no-kernel was given)");
  }
  console.log(
    `  machine: ${result.cpu}, ${result.cores} cores, ${result.memoryGiB} GiB, Node ${result.node}`,
  );
}

main();
