import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { network } from "../analysis/network.js";
import { reachability } from "../analysis/reachability.js";
import { reachabilityInWorkers } from "./reach-workers.js";

const scenario = resolve(fileURLToPath(import.meta.url), "../../../scenarios/container-bridge.sh");

describe("reachabilityInWorkers", () => {
  it("returns the in-process matrix", async () => {
    const net = network(readFileSync(scenario, "utf8"), { isStrict: false });
    const inProcess = reachability(net);
    const inWorkers = await reachabilityInWorkers(net, {}, { workers: 2, isProgress: false });
    expect(inWorkers.sources).toEqual(inProcess.sources);
    expect(inWorkers.destinations).toEqual(inProcess.destinations);
    expect(inWorkers.traces).toEqual(inProcess.traces);
  });

  it("rejects an unknown source namespace", async () => {
    const net = network(readFileSync(scenario, "utf8"), { isStrict: false });
    await expect(reachabilityInWorkers(net, { from: ["nowhere"] })).rejects.toThrow(
      'namespace "nowhere" not found',
    );
  });
});
