/**
 * Text for probe results, shared by the invariants' messages and the `check` and `diff`
 * commands: a one-line outcome, and the hop-by-hop trace in the format of `run --trace`.
 */
import { formatPacketTrace } from "../path/trace-text.js";
import type { Verdict } from "../path/verdict.js";
import type { Trace } from "./probe.js";

/** Returns `reachable`, or where and why the probe was dropped, such as `dropped at host/docker1 [IP_INADDRERRORS]`. */
export function formatOutcome(trace: Trace): string {
  if (trace.verdict === "reachable") return "reachable";
  return formatDrop(trace.decisive);
}

/** Returns where and why a probe was dropped, from its decisive packet verdict. */
export function formatDrop(decisive: Pick<Verdict, "kind" | "ns" | "link" | "reason">): string {
  const place = decisive.link === undefined ? decisive.ns : `${decisive.ns}/${decisive.link}`;
  const how = decisive.kind === "queued" ? "unanswered, still queued" : "dropped";
  return `${how} at ${place} [${decisive.reason ?? "no reply"}]`;
}

/** Returns `FROM -> TO icmp`, the pair as expectation files write it. */
export function formatPair(trace: Pick<Trace, "from" | "to" | "protocol">): string {
  return `${trace.from} -> ${trace.to} ${trace.protocol}`;
}

/** Returns the lines of a probe's trace: the learner's sentence, then every packet's hops. */
export function formatTrace(trace: Trace): string[] {
  const lines = [`  | ${formatPair(trace)}: ${formatOutcome(trace)}: ${trace.decisive.message}`];
  for (const packet of trace.packets) lines.push(...formatPacketTrace(packet));
  return lines;
}
