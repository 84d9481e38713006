/**
 * What every emulated tool gets: the state draft to change, the namespace it runs in, the output
 * stream (stdout and stderr interleaved, as a terminal shows them) and the probe traces.
 */
import type { Netns, NetState } from "../netns/state.js";
import type { ProbeTrace } from "../path/verdict.js";
import type { Sink } from "../proc/jobs.js";

/** The environment one command runs in. */
export interface ToolContext {
  /** The immer draft of the machine; changes are kept only if the command succeeds. */
  state: NetState;
  /** The id of the namespace the command runs in. */
  nsId: number;
  /** Lines printed so far, without their newlines. */
  out: string[];
  /** Packet traces of the probes this command sent. */
  probes: ProbeTrace[];
  /** The command line as the user typed it, for traces. */
  commandLine: string;
  /**
   * Lines for stderr when the shell separated the streams (a redirection of one of them);
   * absent means stderr goes where `out` goes. Write through {@link errLines}.
   */
  err?: string[];
  /** What the command reads on stdin (a pipe or a here-string); absent means a terminal. */
  stdin?: string;
  /** Virtual time in ms at which `timeout` kills the command; a blocking tool stops there. */
  deadline?: number;
  /**
   * The signal that ended the command's own process, set by a tool that dies of one (`timeout
   * -s KILL` kills its whole process group, itself included), so that the shell reports it.
   */
  killedBySignal?: number;
  /**
   * Set while the command runs in the background (`&`): a tool that keeps running (a listener,
   * a capture) registers a process under this pid instead of blocking. After the tool returns,
   * the shell sets the process's `command` and its `stdout`/`stderr` sinks from the job's
   * redirections, and writes what the tool printed so far to the same place. A tool that sends
   * probes or moves the clock without registering a process is rejected as not supported.
   */
  background?: {
    pid: number;
    /** The sinks of the process's stdout and stderr after the shell's redirections (the terminal when absent). */
    stdout?: Sink;
    stderr?: Sink;
  };
}

/** Returns the stream stderr lines go to. */
export function errLines(ctx: ToolContext): string[] {
  return ctx.err ?? ctx.out;
}

/** Returns the namespace the command runs in. */
export function currentNs(ctx: ToolContext): Netns {
  return ctx.state.namespaces[ctx.nsId]!;
}

/** An emulated tool: prints into `ctx.out` and returns its exit status, or throws HoptraceError. */
export type Tool = (ctx: ToolContext, args: string[]) => number;
