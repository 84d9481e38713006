/**
 * The worker thread of `reachabilityInWorkers`: it receives the network state once, freezes it
 * as `network()` does (so a probe that writes outside its copy throws), then returns, for
 * each source namespace it is sent, that source's row of the matrix.
 */
import { parentPort, workerData } from "node:worker_threads";
import { freeze } from "immer";
import type { Network } from "../analysis/network.js";
import { reachability } from "../analysis/reachability.js";
import type { WorkerInput, WorkerRow } from "./reach-workers.js";

const input = workerData as WorkerInput;
const net: Network = {
  state: freeze(input.state, true),
  script: "",
  transcript: "",
  failures: [],
};

parentPort!.on("message", (from: string) => {
  const row = reachability(net, { from: [from], to: input.destinations });
  const message: WorkerRow = { from, traces: row.traces };
  parentPort!.postMessage(message);
});
