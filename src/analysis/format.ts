/**
 * Text for probe results, shared by the invariants' messages and the `check` and `diff`
 * commands: a one-line outcome, and the hop-by-hop trace in the format of `run --trace`.
 */
import { formatPacketTrace } from "../path/trace-text.js";
import type { Verdict } from "../path/verdict.js";
import type { Trace } from "./probe.js";

/**
 * Returns `reachable`, or where and why the probe failed, such as
 * `dropped at host/docker1 [IP_INADDRERRORS]` or `refused at ns2/eth0 [NO_SOCKET]`.
 */
export function formatOutcome(trace: Trace): string {
  if (trace.verdict === "reachable") return "reachable";
  if (trace.verdict === "refused") return formatDrop({ ...trace.decisive, kind: "refused" });
  return formatDrop(trace.decisive);
}

/**
 * Returns where and why a probe failed, from its decisive packet verdict. Kind `refused` marks
 * a probe whose destination replied that nothing listens.
 */
export function formatDrop(
  decisive: Pick<Verdict, "ns" | "link" | "reason"> & { kind: Verdict["kind"] | "refused" },
): string {
  const place = decisive.link === undefined ? decisive.ns : `${decisive.ns}/${decisive.link}`;
  const how = decisive.kind === "queued" ? "unanswered, still queued" : decisive.kind;
  return `${how} at ${place} [${decisive.reason ?? "no reply"}]`;
}

/** Returns the protocol as expectation files write it: `icmp`, `tcp/22` or `udp/53`. */
export function formatProtocol(probe: Pick<Trace, "protocol" | "port">): string {
  return probe.port === undefined ? probe.protocol : `${probe.protocol}/${probe.port}`;
}

/** Returns `FROM -> TO icmp` (or `tcp/PORT`), the pair as expectation files write it. */
export function formatPair(trace: Pick<Trace, "from" | "to" | "protocol" | "port">): string {
  return `${trace.from} -> ${trace.to} ${formatProtocol(trace)}`;
}

/** Returns the lines of a probe's trace: the learner's sentence, then every packet's hops. */
export function formatTrace(trace: Trace): string[] {
  const lines = [`  | ${formatPair(trace)}: ${formatOutcome(trace)}: ${trace.decisive.message}`];
  for (const packet of trace.packets) lines.push(...formatPacketTrace(packet));
  return lines;
}
