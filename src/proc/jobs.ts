/**
 * Processes a script leaves running: a command started with `&`, such as a bounded `nc -l` or a
 * `tcpdump` capture, lives on in virtual time while later commands run. A process is plain data
 * in the state, so immer versions it like everything else; what it does when packets arrive is
 * up to its program (a listening socket, a capture point), and what it prints goes to the sinks
 * its redirections chose.
 *
 * A process ends in one of three ways: its program finishes (tcpdump after `-c N` packets, nc
 * after its one connection), `timeout` kills it at `killAt` (status 124), or `kill` ends it
 * (status 143). Each program's exit handler in `programs.ts` prints what the real tool prints
 * then and releases its sockets or capture points.
 */
import type { NetState } from "../netns/state.js";
import type { TcpFlows } from "../tools/tcpdump/format.js";
import { appendFile } from "./vfs.js";

/** The destination of one output stream of a process. */
export type Sink =
  /** A file of the virtual file system; the shell truncates it when the redirection is `>`. */
  | { kind: "file"; path: string }
  /** `/dev/null`. */
  | { kind: "null" }
  /** The terminal: the output joins the transcript of the command running at that moment. */
  | { kind: "terminal" };

/**
 * The program of a process, which decides what it does while it runs. Each program adds its own
 * variant. `plain` is a command that had nothing left to do once it started, so it has exited.
 */
export type Program =
  | { kind: "plain" }
  /** `sleep N` in the background: nothing but its end at `until`. */
  | { kind: "sleep"; until: number }
  /** A `tcpdump` capture (src/proc/capture.ts). */
  | {
      kind: "tcpdump";
      /** The ifindex of the captured link, in the process's namespace. */
      ifindex: number;
      /** The filter expression as tcpdump joined its arguments; empty captures everything. */
      filter: string;
      /** `-c N`: the process ends after N packets. */
      count?: number;
      /** `-e`: each line starts with the Ethernet header. */
      showLinkHeader: boolean;
      /** Packets printed so far. */
      captured: number;
      /** Packets the kernel's filter passed so far (see `receivedCount` in capture.ts). */
      received: number;
      /** The TCP flows seen so far, for relative sequence numbers. */
      tcpFlows: TcpFlows;
      /**
       * Virtual time at which a capture that printed its `-c` packets ends. Until then the
       * kernel's filter still counts matching packets (see `DRAIN_MS` in capture.ts).
       */
      stopAt?: number;
    }
  /**
   * `nc -l [-k] PORT`: a TCP listener on `port` that writes what it receives to its stdout,
   * and without `-k` exits after its one connection. With `-u` (`isUdp`) it is a UDP socket
   * that writes the datagrams of its first sender.
   */
  | { kind: "nc-listen"; port: number; isKeepOpen: boolean; isUdp?: boolean };

/** One process. */
export interface Proc {
  pid: number;
  /** The namespace it runs in (after `ip netns exec`). */
  nsId: number;
  /** The command as it was typed, for `jobs`-like messages and traces. */
  command: string;
  startedAt: number;
  /** Virtual time in ms at which `timeout` kills it, if it runs under `timeout`. */
  killAt?: number;
  stdout: Sink;
  stderr: Sink;
  /** Set once it ended: when, and its exit status. */
  exit?: { at: number; status: number };
  program: Program;
}

/** The exit status `timeout` returns when it had to kill its command. */
export const TIMEOUT_STATUS = 124;

/** The exit status of a process ended by SIGTERM (128 + 15). */
export const SIGTERM_STATUS = 143;

/** Returns a new pid; the shell takes one for each background job (what `$!` expands to). */
export function allocatePid(state: NetState): number {
  return state.nextPid++;
}

/**
 * Records a process under `fields.pid` (from {@link allocatePid}; a background tool gets it as
 * `ctx.background.pid`) and returns it. A process that needs no further events should be ended
 * right away with `stopProcess` (programs.ts).
 */
export function spawnProcess(state: NetState, fields: Omit<Proc, "startedAt">): Proc {
  state.processes[fields.pid] = { ...fields, startedAt: state.clock };
  return state.processes[fields.pid]!;
}

/** Returns the processes that have not ended, in pid order. */
export function liveProcesses(state: NetState): Proc[] {
  return Object.values(state.processes)
    .filter((proc) => proc.exit === undefined)
    .sort((a, b) => a.pid - b.pid);
}

/** Writes `lines` (without newlines) to `sink`. */
export function writeSink(state: NetState, sink: Sink, lines: string[]): void {
  if (lines.length === 0) return;
  if (sink.kind === "file") appendFile(state, sink.path, lines.map((line) => `${line}\n`).join(""));
  else if (sink.kind === "terminal") state.terminal.push(...lines);
}

/**
 * Marks `proc` as ended at the state's clock with `status`, after its program's exit handler
 * ran. Ending a process that already ended does nothing.
 */
export function endProcess(
  state: NetState,
  proc: Proc,
  status: number,
  onExit: (state: NetState, proc: Proc, status: number) => void,
): void {
  if (proc.exit !== undefined) return;
  onExit(state, proc, status);
  proc.exit = { at: state.clock, status };
}
