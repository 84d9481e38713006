/**
 * `hoptrace run --suggest SCRIPT`: the transcript (or, with `--trace`, the traces), and after
 * each ping that failed, the fixes `suggestFixes` finds for its probe in the state the script
 * had reached just before that ping.
 */
import { network } from "../analysis/network.js";
import type { Probe } from "../analysis/probe.js";
import { formatSuggestions, suggestFixes } from "../analysis/suggest.js";
import { formatProbeTrace } from "../path/trace-text.js";
import type { ProbeTrace } from "../path/verdict.js";
import type { RunOptions, ScriptResult } from "../script/run.js";
import { declaredPreset } from "../script/run.js";
import { scriptLines } from "../script/shell.js";
import { formatRecord } from "../script/transcript.js";

/**
 * Returns the probe a ping's trace stands for: the sender is the namespace of the echo
 * request's first hop, and the destination is read from the request's description, which is
 * `ICMP echo request SRC > DST ...`, or `ICMP echo request to DST (never sent)`.
 */
function probeOf(probe: ProbeTrace): Probe | undefined {
  const request = probe.packets.find((packet) => packet.packet.startsWith("ICMP echo request"));
  const from = request?.hops[0]?.ns;
  const to = /(?:>|to) (\d+\.\d+\.\d+\.\d+)/.exec(request?.packet ?? "")?.[1];
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** Writes the run like `run` does, with fix suggestions after each failed ping. */
export function printRunWithSuggestions(
  script: string,
  options: RunOptions,
  result: ScriptResult,
  isTrace: boolean,
  write: (text: string) => void,
): void {
  const texts = scriptLines(script).map((line) => line.text);
  // The earlier lines lose the script's comments, so a preset declared in one is passed on.
  const preset =
    options.from === undefined ? (options.preset ?? declaredPreset(script)) : undefined;
  const start = preset === undefined ? options : { ...options, preset };
  result.lines.forEach((line, index) => {
    write(formatRecord(line));
    if (isTrace) for (const probe of line.probes) write(`${formatProbeTrace(probe).join("\n")}\n`);
    const probe = line.probes[0] === undefined ? undefined : probeOf(line.probes[0]);
    if (line.exitCode === 0 || probe === undefined) return;

    // The state just before the ping: the script's earlier lines, failures recorded, not thrown.
    const before = network(`${texts.slice(0, index).join("\n")}\n`, {
      ...start,
      isStrict: false,
    });
    const lines = formatSuggestions(suggestFixes(before, probe), "  | ");
    write(`  | fixes for ${probe.from} -> ${probe.to}:\n${lines.join("\n")}\n`);
  });
}
