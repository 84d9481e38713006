/**
 * A network as the library API hands it out: the state a script left behind, together with
 * the script, so that any finding can be reproduced by pasting the script into a root shell.
 */
import { isLoopback, formatIp4 } from "../addr/ip4.js";
import { HoptraceError } from "../errors.js";
import type { NetState } from "../netns/state.js";
import { nsLabel } from "../path/sim.js";
import type { ScriptLine } from "../script/run.js";
import { declaredPreset, runScript } from "../script/run.js";
import { continuesOnNextLine, scriptLines } from "../script/shell.js";

/** A simulated network: immutable state plus the commands that built it. */
export interface Network {
  /** The frozen model state after the last command. */
  readonly state: NetState;
  /** The commands that built the network, as a root shell would run them. */
  readonly script: string;
  /** The preset the script started from, given or named by its `# hoptrace: preset` line. */
  readonly preset?: string;
  /** The state the script started from, if not a preset or a blank host. */
  readonly from?: NetState;
  /** The kernel's transcript of the script. */
  readonly transcript: string;
  /** The commands that failed; empty unless `isStrict` was false here or for the base of `extend`. */
  readonly failures: readonly ScriptFailure[];
}

/** A script command that exited non-zero without sending a probe. */
export interface ScriptFailure {
  /** The 1-based line of the script the command starts on. */
  lineNumber: number;
  command: string;
  exitCode: number;
  /** The command's output, as the real tool prints it. */
  output: string;
}

/** Options of `network`: the preset and whether failures throw. */
export interface NetworkOptions {
  /** A host preset to start from, such as `cloud-vm`; a `# hoptrace: preset` line also sets it. */
  preset?: string;
  /** A state to start from instead, such as `stateFromSnapshot` rebuilds from `hoptrace snapshot`. */
  from?: NetState;
  /** Whether a failing command throws a `ScriptError` (the default) or is only recorded. */
  isStrict?: boolean;
}

/** Raised by `network` in strict mode when a command of the script fails. */
export class ScriptError extends HoptraceError {
  constructor(readonly failure: ScriptFailure) {
    const text = failure.output.trim();
    const output = text === "" ? "" : `: ${text}`;
    // Output such as "Nexthop has invalid gateway." has a full stop of its own already.
    const stop = /[.!?]$/.test(text) ? "" : ".";
    super(
      `line ${failure.lineNumber}: "${failure.command}" failed with exit ${failure.exitCode}${output}${stop} Fix the command, or pass { isStrict: false } to record failures and go on.`,
      1,
      "script",
    );
  }
}

/**
 * Builds a network by running `script` from a blank host (or a preset). A command that exits
 * non-zero throws `ScriptError` unless `isStrict` is false; a `ping` that loses its packets is
 * not a failure, because it sent a probe.
 */
export function network(script = "", options: NetworkOptions = {}): Network {
  const run = runScript(script, {
    ...(options.preset === undefined ? {} : { preset: options.preset }),
    ...(options.from === undefined ? {} : { from: options.from }),
  });
  const failures = failedLines(script, run.lines);
  if (options.isStrict !== false && failures.length > 0) throw new ScriptError(failures[0]!);
  const preset = options.preset ?? declaredPreset(script);
  return {
    state: run.state,
    script,
    ...(preset === undefined ? {} : { preset }),
    ...(options.from === undefined ? {} : { from: options.from }),
    transcript: run.transcript,
    failures,
  };
}

/**
 * Returns a new network: `net` with the commands of `script` run after its own. In strict mode
 * only a failing command of `script` throws: the failures of `net`'s own commands, which a
 * network built with `isStrict: false` accepted, are recorded again and do not throw.
 */
export function extend(
  net: Network,
  script: string,
  options: Omit<NetworkOptions, "preset"> = {},
): Network {
  const base = net.script === "" || net.script.endsWith("\n") ? net.script : `${net.script}\n`;
  // A last line that ends with a backslash would take the first new command into it. An empty
  // line ends it instead, as the end of the file does when the script runs alone.
  const lastLine = base.slice(0, -1).replace(/\r$/, "");
  const joined = continuesOnNextLine(lastLine) ? `${base}\n` : base;
  const extended = network(`${joined}${script}`, {
    ...options,
    isStrict: false,
    ...(net.preset === undefined ? {} : { preset: net.preset }),
    ...(net.from === undefined ? {} : { from: net.from }),
  });
  const firstNewLine = joined.split("\n").length;
  const fresh = extended.failures.find((failure) => failure.lineNumber >= firstNewLine);
  if (options.isStrict !== false && fresh !== undefined) throw new ScriptError(fresh);
  return extended;
}

function failedLines(script: string, lines: readonly ScriptLine[]): ScriptFailure[] {
  const numbers = scriptLines(script).map((line) => line.lineNumber);
  const failures: ScriptFailure[] = [];
  lines.forEach((line, index) => {
    if (line.exitCode === 0 || line.probes.length > 0) return;
    const { command, exitCode, output } = line;
    failures.push({ lineNumber: numbers[index] ?? 0, command, exitCode, output });
  });
  return failures;
}

/**
 * Returns the namespaces of `net` as probes name them: `host` first, then the others in
 * creation order. Namespaces a preset hides from `ip netns list` are left out.
 */
export function namespaces(net: Network): string[] {
  const visible = Object.values(net.state.namespaces).filter((ns) => !ns.isHidden);
  return visible.sort((a, b) => a.id - b.id).map(nsLabel);
}

/**
 * Returns every IPv4 address configured in the visible namespaces of `net`, sorted and without
 * duplicates. Loopback addresses (127.0.0.0/8) are left out, because every namespace has them.
 */
export function addresses(net: Network): string[] {
  const found = new Set<number>();
  for (const ns of Object.values(net.state.namespaces)) {
    if (ns.isHidden) continue;
    for (const addr of ns.addrs) if (!isLoopback(addr.local)) found.add(addr.local);
  }
  return [...found].sort((a, b) => a - b).map(formatIp4);
}
