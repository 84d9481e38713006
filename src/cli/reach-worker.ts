/**
 * The worker thread of `reachabilityInWorkers`: it receives the network state once, freezes it
 * as `network()` does (so a probe that writes outside its copy throws), then returns, for each
 * batch of source namespaces it is sent, their rows of outcome codes. The codes index this
 * worker's outcome table, and each message carries the outcomes the table gained since the last.
 */
import { parentPort, workerData } from "node:worker_threads";
import { freeze } from "immer";
import type { Network } from "../analysis/network.js";
import { OutcomeTable, outcomeRow } from "../analysis/outcomes.js";
import type { WorkerInput, WorkerRows } from "./reach-workers.js";

const input = workerData as WorkerInput;
const net: Network = {
  state: freeze(input.state, true),
  script: "",
  transcript: "",
  failures: [],
};
const table = new OutcomeTable();

parentPort!.on("message", (sources: string[]) => {
  const known = table.keys.length;
  const width = input.destinations.length;
  const codes = new Uint32Array(sources.length * width);
  sources.forEach((from, index) => {
    codes.set(outcomeRow(net, from, input.destinations, table, input.kind), index * width);
  });
  const message: WorkerRows = { sources, codes, newOutcomes: table.keys.slice(known) };
  parentPort!.postMessage(message, [codes.buffer]);
});
