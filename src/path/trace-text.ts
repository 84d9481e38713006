/**
 * Text rendering of probe traces for `hoptrace run --trace`: one block per packet, one line per
 * hop, and a final line with the verdict. Every line starts with `  | ` so that a trace can never
 * be mistaken for output of the emulated tools.
 */
import type { PacketTrace, ProbeTrace } from "./verdict.js";

function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** Returns the lines of one packet's trace. */
export function formatPacketTrace(trace: PacketTrace): string[] {
  const lines = [`  | ${trace.packet}`];
  for (const hop of trace.hops) {
    const place = hop.link === undefined ? hop.ns : `${hop.ns}/${hop.link}`;
    lines.push(
      `  |   ${formatTime(hop.time)} ${place.padEnd(20)} ${hop.step.padEnd(8)} ${hop.detail}`,
    );
  }
  const verdict = trace.verdict;
  if (verdict === undefined) return lines;
  const place = verdict.link === undefined ? verdict.ns : `${verdict.ns}/${verdict.link}`;
  if (verdict.kind === "delivered")
    lines.push(`  |   => delivered at ${place}: ${verdict.message}`);
  else if (verdict.kind === "queued")
    lines.push(`  |   => still queued at ${place}: ${verdict.message}`);
  else
    lines.push(`  |   => DROPPED at ${place} [${verdict.reason ?? "unknown"}]: ${verdict.message}`);
  return lines;
}

/** Returns the lines of a probe's trace: every packet it caused, in the order they were sent. */
export function formatProbeTrace(probe: ProbeTrace): string[] {
  const lines = [`  | trace of: ${probe.command}`];
  for (const packet of probe.packets) lines.push(...formatPacketTrace(packet));
  return lines;
}
