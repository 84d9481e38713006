import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { extend, network } from "../analysis/network.js";
import { outcomesOfMatrix, reachabilityOutcomes } from "../analysis/outcomes.js";
import { reachability } from "../analysis/reachability.js";
import { diffChanges } from "./diff.js";
import { reachabilityInWorkers } from "./reach-workers.js";

/** `diffChanges` thresholds that force each of its three paths. */
const TRACES = { outcomes: Infinity, workers: Infinity };
const OUTCOMES = { outcomes: 0, workers: Infinity };
const WORKERS = { outcomes: 0, workers: 0 };

const scenarioDir = resolve(fileURLToPath(import.meta.url), "../../../scenarios");

function scenario(name: string): ReturnType<typeof network> {
  return network(readFileSync(resolve(scenarioDir, name), "utf8"), { isStrict: false });
}

/** Returns each pair's outcome key, in matrix order. */
function keys(matrix: { codes: Uint32Array; outcomes: string[] }): string[] {
  return Array.from(matrix.codes, (code) => matrix.outcomes[code]!);
}

describe("reachabilityInWorkers", () => {
  it.each(["container-bridge.sh", "nat-next-day.sh"])("matches one thread on %s", async (name) => {
    const net = scenario(name);
    const inProcess = outcomesOfMatrix(reachability(net));
    const inWorkers = await reachabilityInWorkers(
      net,
      {},
      { workers: 2, isProgress: false, batchSize: 1 },
    );
    expect(inWorkers.sources).toEqual(inProcess.sources);
    expect(inWorkers.destinations).toEqual(inProcess.destinations);
    expect(keys(inWorkers)).toEqual(keys(inProcess));
    expect(new Set(keys(inProcess)).size).toBeGreaterThan(1);
  });

  it.each([{}, { listening: [] }])("matches one thread for TCP with %o", async (listening) => {
    const net = scenario("nat-next-day.sh");
    const options = { protocol: "tcp" as const, port: 80, ...listening };
    const inProcess = outcomesOfMatrix(reachability(net, options));
    const inWorkers = await reachabilityInWorkers(net, options, {
      workers: 2,
      isProgress: false,
      batchSize: 1,
    });
    expect(keys(inWorkers)).toEqual(keys(inProcess));
    expect(new Set(keys(inProcess)).size).toBeGreaterThan(1);
  });

  it("gives the in-process TCP diff with traces", async () => {
    const before = scenario("container-bridge.sh");
    const after = scenario("container-bridge-forwarding.sh");
    const kind = { protocol: "tcp" as const, port: 22 };
    const inProcess = await diffChanges(before, after, true, TRACES, kind);
    const inWorkers = await diffChanges(before, after, true, WORKERS, kind);
    expect(inWorkers.changes.map((change) => [change.before, change.after])).toEqual(
      inProcess.changes.map((change) => [change.before, change.after]),
    );
    expect(inWorkers.changes.length).toBeGreaterThan(0);
    expect(inWorkers.changes[0]!.traces?.after?.protocol).toBe("tcp");
  });

  it("keeps the order of the sources it is given", async () => {
    const net = scenario("container-bridge.sh");
    const from = ["ns2", "host", "ns1"];
    const inWorkers = await reachabilityInWorkers(
      net,
      { from },
      { workers: 2, isProgress: false, batchSize: 2 },
    );
    expect(inWorkers.sources).toEqual(from);
    expect(keys(inWorkers)).toEqual(keys(reachabilityOutcomes(net, { from })));
  });

  it("rejects an unknown source namespace", async () => {
    const net = scenario("container-bridge.sh");
    await expect(reachabilityInWorkers(net, { from: ["nowhere"] })).rejects.toThrow(
      'namespace "nowhere" not found',
    );
  });

  it.each([
    ["container-bridge.sh", "container-bridge-forwarding.sh"],
    ["container-bridge.sh", "nat-next-day.sh"],
  ])("gives the in-process diff from %s to %s", async (first, second) => {
    const before = scenario(first);
    const after = scenario(second);
    for (const isTrace of [false, true]) {
      const inProcess = await diffChanges(before, after, isTrace, TRACES);
      expect(inProcess.changes.length).toBeGreaterThan(0);
      expect(await diffChanges(before, after, isTrace, OUTCOMES)).toEqual(inProcess);
      expect(await diffChanges(before, after, isTrace, WORKERS)).toEqual(inProcess);
    }
  });

  it("reports a source only one network has", async () => {
    const before = scenario("container-bridge.sh");
    const after = extend(before, "ip netns add extra\n");
    const inProcess = await diffChanges(before, after, false, TRACES);
    const inWorkers = await diffChanges(before, after, false, WORKERS);
    const oneSided = inWorkers.changes.filter((change) => change.before === undefined);
    expect(oneSided.length).toBeGreaterThan(0);
    expect(oneSided.every((change) => change.from === "extra")).toBe(true);
    expect(inWorkers).toEqual(inProcess);
  });

  describe("progress bar", () => {
    const isTTY = process.stderr.isTTY;
    afterEach(() => {
      vi.restoreAllMocks();
      Object.defineProperty(process.stderr, "isTTY", { value: isTTY, configurable: true });
    });

    /** Runs a small matrix with stderr as a terminal or not and returns what it wrote there. */
    async function stderrOf(isTerminal: boolean): Promise<string> {
      Object.defineProperty(process.stderr, "isTTY", { value: isTerminal, configurable: true });
      const written: string[] = [];
      vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      const net = scenario("container-bridge.sh");
      await reachabilityInWorkers(net, { from: ["ns1", "ns2"] }, { workers: 1, batchSize: 1 });
      return written.join("");
    }

    it("draws on a terminal", async () => {
      const output = await stderrOf(true);
      expect(output).toContain("50% 1/2 sources");
      expect(output).toContain("100% 2/2 sources");
      expect(output.endsWith("\r\x1b[K")).toBe(true);
    });

    it("starts with its label", async () => {
      Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
      const written: string[] = [];
      vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      const net = scenario("container-bridge.sh");
      const options = { workers: 1, batchSize: 1, label: "after" };
      await reachabilityInWorkers(net, { from: ["ns1"] }, options);
      expect(written[0]).toMatch(/^\rafter \[#+\] 100% 1\/1 sources$/);
    });

    it("stays silent off a terminal", async () => {
      expect(await stderrOf(false)).toBe("");
    });
  });
});
