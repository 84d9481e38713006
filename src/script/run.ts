/**
 * Runs a script of Linux networking commands against the model and returns the transcript the
 * real kernel would print, in the format of the recorded kernel cases: `$ CMD`, the output
 * (stdout and stderr interleaved), and `[exit N]` when N is not 0.
 *
 * Every line runs inside immer's `produce` and every command in it atomically (shell-exec.ts), so
 * a command that fails leaves the state as it was, and every line yields a new immutable state.
 * Time is virtual: only probes, `sleep`, `wait`, `tail --pid` and `timeout` move the clock, so a
 * run is instant and the same script always gives the same transcript.
 */
import { produce } from "immer";
import { HoptraceError, Unsupported } from "../errors.js";
import type { NetState } from "../netns/state.js";
import { HOST_NS, createState } from "../netns/state.js";
import { setAdminState } from "../netns/link-ops.js";
import type { ProbeTrace } from "../path/verdict.js";
import type { ToolContext } from "../tools/context.js";
import { presetScript } from "./presets.js";
import { scriptLines } from "./shell.js";
import type { Stream } from "./shell-exec.js";
import { RetryAtomically, Shell, reportError, runOptimistically } from "./shell-exec.js";
import { parseCommandLine } from "./shell-syntax.js";
import type { CommandRecord } from "./transcript.js";
import { formatTranscript } from "./transcript.js";

/** Options of a script run. */
export interface RunOptions {
  /** A host preset to start from, such as `cloud-vm`; the default is a blank host. */
  preset?: string;
  /** A state to start from instead of a fresh host (for example a snapshot). */
  from?: NetState;
}

/** One executed script line with the traces of the probes it sent. */
export interface ScriptLine extends CommandRecord {
  exitCode: number;
  probes: ProbeTrace[];
}

/** One executed line and the state after it. */
export interface LineResult extends ScriptLine {
  state: NetState;
}

/** The result of a whole script. */
export interface ScriptResult {
  transcript: string;
  /**
   * The lines without the state after each: a script that adds routes one by one would keep a
   * copy of the growing table per line.
   */
  lines: ScriptLine[];
  /** The state after the last line. */
  state: NetState;
  /** The exit status of the last line, as a shell running the script would return. */
  exitCode: number;
}

/** Returns a blank host as a real one boots: only `lo`, and it is up. */
export function blankHost(): NetState {
  return produce(createState(), (draft) => {
    const host = draft.namespaces[HOST_NS]!;
    setAdminState(draft, host, host.links[1]!, true);
  });
}

/** Reads a `# hoptrace: preset NAME` line in a script's leading comments, if there is one. */
export function declaredPreset(script: string): string | undefined {
  for (const line of script.split("\n")) {
    const match = /^#\s*hoptrace:\s*preset\s+(\S+)\s*$/.exec(line.trim());
    if (match !== null) return match[1];
    if (line.trim() !== "" && !line.trim().startsWith("#")) break;
  }
  return undefined;
}

/**
 * Returns the state a run starts from: `from`, else the preset, else a blank host.
 *
 * @throws HoptraceError (exit 2) when `from` and a preset, given or declared by the script, both
 * set the starting state, because either would silently replace the other.
 */
export function startState(options: RunOptions, script = ""): NetState {
  const preset = options.preset ?? declaredPreset(script);
  if (options.from !== undefined) {
    if (preset === undefined) return options.from;
    const source =
      options.preset === undefined
        ? `the script's "# hoptrace: preset ${preset}" line`
        : `preset ${preset}`;
    throw new HoptraceError(
      `hoptrace: a snapshot (--from) and ${source} both set a starting state; use one`,
      2,
      "usage",
    );
  }
  const blank = blankHost();
  if (preset === undefined) return blank;
  const result = runLines(presetScript(preset), blank, true);
  const failed = result.lines.find((line) => line.exitCode !== 0);
  if (failed !== undefined) {
    throw new Error(`preset ${preset}: "${failed.command}" failed: ${failed.output.trim()}`);
  }
  return result.state;
}

/**
 * Returns the state a snapshot script builds from a blank host, run silently like a preset so
 * that its `@hide` and `@physical` directives work.
 *
 * @throws HoptraceError (exit 2) naming the first line that failed, with the simulator's message, because
 * a state that silently lacks part of the snapshot would mislead every later probe.
 */
export function stateFromSnapshot(script: string, label = "snapshot"): NetState {
  const result = runLines(script, blankHost(), true);
  const failed = result.lines.find((line) => line.exitCode !== 0);
  if (failed !== undefined) {
    throw new HoptraceError(
      `${label}: "${failed.command}" failed in the simulator: ${failed.output.trim()}; ` +
        "edit or delete that line of the snapshot and run again",
      2,
      "snapshot",
    );
  }
  return result.state;
}

/**
 * Runs `script` and returns its transcript and final state. Nothing here throws for bad input:
 * each failing command prints the real tool's error text and exit status, and the run goes on.
 */
export function runScript(script: string, options: RunOptions = {}): ScriptResult {
  return runLines(script, startState(options, script), false);
}

/**
 * Runs `script` like `runScript` and returns every line with the state after it, for callers
 * that inspect the state between lines. A long script keeps one state per line alive.
 */
export function runScriptLines(script: string, options: RunOptions = {}): LineResult[] {
  const lines: LineResult[] = [];
  forEachLine(script, startState(options, script), false, (line) => lines.push(line));
  return lines;
}

function runLines(script: string, initial: NetState, isPreset: boolean): ScriptResult {
  const lines: ScriptLine[] = [];
  const state = forEachLine(script, initial, isPreset, ({ state: _after, ...line }) => {
    lines.push(line);
  });
  const exitCode = lines.at(-1)?.exitCode ?? 0;
  return { transcript: formatTranscript(lines), lines, state, exitCode };
}

/** Runs the lines of `script` from `initial`, hands each result to `visit` and returns the last state. */
function forEachLine(
  script: string,
  initial: NetState,
  isPreset: boolean,
  visit: (line: LineResult) => void,
): NetState {
  let state = initial;
  const variables: Record<string, string> = {};
  for (const { text } of scriptLines(script)) {
    const result = runLine(state, text, isPreset, variables);
    state = result.state;
    visit(result);
  }
  return state;
}

/**
 * Runs one script line from `state` as the kernel cases run it, in a new `bash -c LINE`: `$?`,
 * `$!` and the jobs that `wait` can wait for last only for that line, while files and background
 * processes stay with the machine. `variables` contains the shell variables of the script, which
 * the line reads and sets.
 *
 * NOTE: the recorded cases run each line in its own bash, where a variable set on one line is
 * gone on the next; hoptrace keeps them across lines, as one root shell typing the script would.
 */
export function runLine(
  state: NetState,
  text: string,
  isPreset = false,
  variables: Record<string, string> = {},
): LineResult {
  try {
    return runOptimistically(() => runLineOnce(state, text, isPreset, variables));
  } catch (error) {
    if (!(error instanceof RetryAtomically)) throw error;
    return runLineOnce(state, text, isPreset, variables);
  }
}

function runLineOnce(
  state: NetState,
  text: string,
  isPreset: boolean,
  variables: Record<string, string>,
): LineResult {
  const out: string[] = [];
  const probes: ProbeTrace[] = [];
  let status = 0;
  let next = state;
  try {
    const list = parseCommandLine(text);
    const shell = new Shell({
      nsId: HOST_NS,
      commandLine: text,
      probes,
      collectsTerminal: true,
      ...(isPreset ? { directive: presetDirective } : {}),
    });
    Object.assign(shell.variables, variables);
    const terminal: Stream = { kind: "buffer", lines: out };
    next = produce(state, (draft) => {
      status = shell.runList(draft, list, { stdin: undefined, stdout: terminal, stderr: terminal });
      const effect = draft.unmodelledEffect;
      if (effect !== undefined) {
        // The output and probes so far would read as the whole story, so the line keeps only
        // the error, and `network` counts it as a failed command.
        out.length = 0;
        probes.length = 0;
        throw new Unsupported(effect);
      }
    });
    Object.assign(variables, shell.variables);
  } catch (error) {
    if (error instanceof RetryAtomically) throw error;
    status = reportError(error, out);
  }
  const output = out.length === 0 ? "" : `${out.join("\n")}\n`;
  return { command: text, output, exitCode: status, probes, state: next };
}

/**
 * Preset-only commands that ordinary `ip` cannot express: `@hide NS` hides a namespace from
 * `ip netns list`, `@physical LINK` shows a veth end as a physical NIC.
 */
function presetDirective(ctx: ToolContext, argv: string[]): number {
  const [directive, name = ""] = argv;
  if (directive === "@hide") {
    const ns = Object.values(ctx.state.namespaces).find((candidate) => candidate.name === name);
    if (ns === undefined) throw new HoptraceError(`@hide: no namespace ${name}`, 1, "preset");
    ns.isHidden = true;
    return 0;
  }
  if (directive === "@physical") {
    const host = ctx.state.namespaces[HOST_NS]!;
    const link = Object.values(host.links).find((candidate) => candidate.name === name);
    if (link === undefined) throw new HoptraceError(`@physical: no link ${name}`, 1, "preset");
    link.kind = "ether";
    return 0;
  }
  throw new HoptraceError(`unknown preset directive ${directive}`, 1, "preset");
}
