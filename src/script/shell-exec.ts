/**
 * Runs parsed shell lists (shell-syntax.ts) against a state draft, as `bash -c LINE` runs them
 * (bash(1), "SHELL GRAMMAR", "REDIRECTION", "EXPANSION"): lists, pipelines, background jobs,
 * redirections into the virtual file system or a /dev/tcp or /dev/udp socket, variables and
 * command substitution.
 *
 * Each simple command is atomic: it runs on a copy of the draft, and only when it ends (normally,
 * with an exit status, or at a `timeout` deadline) are its changes applied to the draft as immer
 * patches. A command that throws an error leaves nothing behind, even inside `bash -c`. An
 * `Unsupported` error is not a command's failure but the model's: it propagates and fails the
 * whole line.
 */
import { applyPatches, current, enablePatches, isDraft, produceWithPatches } from "immer";
import type { Errno } from "../errors.js";
import { ERRNO_TEXT, HoptraceError, Unsupported } from "../errors.js";
import type { NetState } from "../netns/state.js";
import { settleTimers } from "../path/engine.js";
import type { ProbeTrace } from "../path/verdict.js";
import type { DevSocket } from "../proc/dev-socket.js";
import { closeDevSocket, openDevSocket, writeDevSocket } from "../proc/dev-socket.js";
import type { Sink } from "../proc/jobs.js";
import { allocatePid, spawnProcess } from "../proc/jobs.js";
import { isProcPath, openProcFileForWrite, writeProcSysctl } from "../proc/procfs.js";
import { DeadlineReached, advanceUntil } from "../proc/time.js";
import { appendFile, isDirectory, parentExists, readFile, writeFile } from "../proc/vfs.js";
import type { ToolContext } from "../tools/context.js";
import { errLines } from "../tools/context.js";
import { runArgv } from "../tools/index.js";
import type {
  AndOr,
  CommandList,
  Pipeline,
  Redirect,
  SimpleCommand,
  Word,
} from "./shell-syntax.js";
import { DEFAULT_TIMEFORMAT, POSIX_TIMEFORMAT, formatTimeReport } from "./shell.js";
import { pushAll } from "../push-all.js";

enablePatches();

/**
 * Thrown in optimistic mode (see {@link runOptimistically}) when a command failed on the draft
 * itself, whose changes cannot be taken back: the caller reruns the whole line atomically.
 */
export class RetryAtomically extends Error {
  constructor() {
    super("a command failed in optimistic mode");
  }
}

/**
 * Whether commands run straight on the draft. Copying the draft and replaying the changes as
 * patches cost about 25% more CPU time on five of the recorded kernel cases, and only a
 * failing command needs it.
 */
let isOptimistic = false;

/**
 * Runs `fn` with every simple command applied straight to the draft, so that a command that
 * throws raises {@link RetryAtomically}. The caller must then rerun from the state before `fn`,
 * which gives the same result because a run depends only on that state.
 */
export function runOptimistically<T>(fn: () => T): T {
  const previous = isOptimistic;
  isOptimistic = true;
  try {
    return fn();
  } finally {
    isOptimistic = previous;
  }
}

/** Thrown by the `exit` builtin to end the shell that runs it with `status`. */
class ShellExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** The target of a file descriptor of a command. */
export type Stream =
  /** Lines collected in memory: the transcript, a pipe, or the output of `$(...)`. */
  | { kind: "buffer"; lines: string[] }
  | { kind: "file"; path: string }
  | { kind: "null" }
  | { kind: "socket"; socket: DevSocket }
  /**
   * A sysctl file under /proc/sys, opened in namespace `nsId`. Only the first write that
   * succeeds sets the value: the kernel's strict mode (`sysctl_writes_strict`, on by default)
   * ignores writes past the start of the file.
   */
  | { kind: "sysctl"; nsId: number; key: string; isWritten: boolean };

/** The file descriptors a command starts with. Two fds that share a stream object are one. */
export interface Fds {
  stdin: string | undefined;
  stdout: Stream;
  stderr: Stream;
}

/** Options of a shell instance. */
export interface ShellOptions {
  nsId: number;
  commandLine: string;
  probes: ProbeTrace[];
  /** The `timeout` deadline the whole shell runs under, if any. */
  deadline?: number;
  /**
   * Set for the shell of a script line: lines that background processes printed to the terminal
   * are collected into its stdout after each command.
   */
  collectsTerminal?: boolean;
  /** Runs a preset-only `@` directive; absent outside presets. */
  directive?: (ctx: ToolContext, argv: string[]) => number;
  /** The prefix of the shell's own error messages. */
  errorPrefix?: string;
}

/** Shell builtins whose write errors bash reports with its own prefix. */
const WRITING_BUILTINS = new Set(["echo", "printf"]);

/** The mutable state of one shell process: its variables, `$?`, `$!` and its children. */
export class Shell {
  readonly variables: Record<string, string> = {};
  lastStatus = 0;
  lastBackground: number | undefined;
  /** The status of the last `$(...)`, which an assignment-only command returns. */
  private substitutionStatus = 0;
  readonly children = new Set<number>();
  readonly errorPrefix: string;

  constructor(readonly options: ShellOptions) {
    this.errorPrefix = options.errorPrefix ?? "bash: line 1: ";
  }

  /** Runs `list` and returns the status of its last command, or the status `exit` gave. */
  runList(state: NetState, list: CommandList, fds: Fds): number {
    try {
      for (const item of list.items) {
        if (item.background) {
          this.runBackground(state, item.andOr, fds);
          this.lastStatus = 0;
        } else {
          this.lastStatus = this.runAndOr(state, item.andOr, fds);
        }
      }
    } catch (error) {
      if (!(error instanceof ShellExit)) throw error;
      this.lastStatus = error.status;
    }
    return this.lastStatus;
  }

  private runAndOr(state: NetState, andOr: AndOr, fds: Fds): number {
    let status = this.runPipeline(state, andOr.first, fds);
    for (const { op, pipeline } of andOr.rest) {
      this.lastStatus = status;
      if ((op === "&&") !== (status === 0)) continue;
      status = this.runPipeline(state, pipeline, fds);
    }
    return status;
  }

  private runPipeline(state: NetState, pipeline: Pipeline, fds: Fds): number {
    const start = state.clock;
    let stdin = fds.stdin;
    let status = 0;
    pipeline.commands.forEach((command, index) => {
      const isLast = index === pipeline.commands.length - 1;
      const pipe: Stream = { kind: "buffer", lines: [] };
      // Each command of a pipeline runs to its end before the next reads its output. The
      // pipeline's status is that of the last command (bash(1), "Pipelines").
      status = this.runSimple(state, command, {
        ...fds,
        stdin,
        stdout: isLast ? fds.stdout : pipe,
      });
      if (pipe.kind === "buffer") stdin = pipe.lines.map((line) => `${line}\n`).join("");
    });
    if (pipeline.time !== undefined) {
      const format =
        pipeline.time === "posix"
          ? POSIX_TIMEFORMAT
          : (this.variables["TIMEFORMAT"] ?? DEFAULT_TIMEFORMAT);
      this.write(state, fds.stderr, formatTimeReport(format, state.clock - start));
    }
    return status;
  }

  /**
   * Runs a background job: the command gets a pid (`$!`) and `ctx.background`, so a tool that
   * keeps running registers a process under that pid. A command that ends at once is recorded
   * as an ended process, so that `wait` returns its status.
   */
  private runBackground(state: NetState, andOr: AndOr, fds: Fds): void {
    const command = andOr.first.commands[0]!;
    if (
      andOr.rest.length > 0 ||
      andOr.first.commands.length > 1 ||
      andOr.first.time !== undefined
    ) {
      throw new Unsupported("background jobs of more than one command");
    }
    const pid = allocatePid(state);
    this.children.add(pid);
    this.lastBackground = pid;
    // Without job control, a background job reads /dev/null, not the terminal (bash(1),
    // "COMMAND EXECUTION ENVIRONMENT").
    const status = this.runSimple(state, command, { ...fds, stdin: fds.stdin ?? "" }, pid);
    if (state.processes[pid] !== undefined) return;
    // The job ended at once (or failed to start), so `wait` finds its status.
    const ended = spawnProcess(state, {
      pid,
      nsId: this.options.nsId,
      command: "",
      stdout: { kind: "null" },
      stderr: { kind: "null" },
      program: { kind: "plain" },
    });
    ended.exit = { at: state.clock, status };
  }

  /**
   * Runs one simple command: expands its words, opens its redirections, runs the program and
   * writes what it printed to its streams. Returns the exit status.
   */
  runSimple(state: NetState, command: SimpleCommand, fds: Fds, backgroundPid?: number): number {
    let argv: string[];
    let ownFds: Fds;
    this.substitutionStatus = 0;
    const opened: DevSocket[] = [];
    try {
      argv = command.words.flatMap((word) => this.expand(state, word, fds));
      const values = command.assignments.map(
        ({ name, value }) => [name, this.expandJoined(state, value, fds)] as const,
      );
      if (argv.length === 0) {
        for (const [name, value] of values) this.variables[name] = value;
      } else if (values.length > 0) {
        throw new Unsupported(
          `variable assignments before a command (${values.map(([name]) => name).join(", ")})`,
        );
      }
      ownFds = this.openRedirects(state, command.redirects, fds, opened);
    } catch (error) {
      if (error instanceof DeadlineReached || error instanceof Unsupported) throw error;
      if (error instanceof RetryAtomically) throw error;
      return this.report(state, fds.stderr, error);
    }
    // A command of assignments alone returns the status of its last command substitution.
    if (argv.length === 0) return this.substitutionStatus;

    const out: string[] = [];
    const err = ownFds.stdout === ownFds.stderr ? undefined : ([] as string[]);
    let status = 0;
    let reached: DeadlineReached | undefined;
    let exit: ShellExit | undefined;
    let killed: { signal: number; pid: number } | undefined;
    const probesBefore = this.options.probes.length;
    try {
      status = guarded(state, (draft) => {
        settleTimers(draft);
        const before = { clock: draft.clock, probes: this.options.probes.length };
        const ctx = this.context(draft, out, err, ownFds.stdin, backgroundPid);
        // A background tool prints through its process's sinks from the start, so its first
        // lines (tcpdump's banner) land where the redirections point, as later ones do.
        if (ctx.background !== undefined) {
          ctx.background.stdout = sinkOf(ownFds.stdout);
          ctx.background.stderr = sinkOf(ownFds.stderr);
        }
        try {
          const code = this.runProgram(ctx, argv);
          if (backgroundPid !== undefined)
            this.recordBackground(draft, backgroundPid, argv, ownFds, before);
          if (ctx.killedBySignal !== undefined)
            killed = { signal: ctx.killedBySignal, pid: draft.nextPid };
          return code;
        } catch (error) {
          if (error instanceof ShellExit) {
            exit = error;
            return error.status;
          }
          if (!(error instanceof DeadlineReached)) throw error;
          // A command killed by `timeout` keeps what it did and printed until then.
          reached = error;
          return 0;
        }
      });
    } catch (error) {
      if (error instanceof RetryAtomically) throw error;
      if (error instanceof Unsupported) {
        // What hoptrace cannot model fails the whole script line, even when the command's
        // stderr is redirected, so the message reaches the transcript. No partial output or
        // trace remains.
        this.options.probes.splice(probesBefore);
        throw error;
      }
      status = reportError(error, err ?? out);
    }
    status = this.flush(state, argv[0]!, out, err, ownFds, status);
    // bash reports a foreground job that a signal ended on its own stderr, by the job's pid.
    const report = killed === undefined ? undefined : jobStatusReport(128 + killed.signal);
    if (killed !== undefined && report !== undefined) {
      const words = command.words.map((word) => word.map(sourceText).join(""));
      const text = [...words, ...command.redirects.map(redirectText)].join(" ");
      const line = `${this.errorPrefix}${String(killed.pid).padStart(5)} ${report.padEnd(24)}${text}`;
      this.write(state, fds.stderr, [line]);
    }
    for (const socket of opened)
      closeDevSocket(this.context(state, [], undefined, undefined), socket);
    if (this.options.collectsTerminal === true && fds.stdout.kind === "buffer") {
      pushAll(fds.stdout.lines, state.terminal.splice(0));
    }
    if (reached !== undefined) throw reached;
    if (exit !== undefined) throw exit;
    return status;
  }

  private context(
    state: NetState,
    out: string[],
    err: string[] | undefined,
    stdin: string | undefined,
    backgroundPid?: number,
  ): ToolContext {
    const ctx: ToolContext = {
      state,
      nsId: this.options.nsId,
      out,
      probes: this.options.probes,
      commandLine: this.options.commandLine,
    };
    if (err !== undefined) ctx.err = err;
    if (stdin !== undefined) ctx.stdin = stdin;
    if (this.options.deadline !== undefined) ctx.deadline = this.options.deadline;
    if (backgroundPid !== undefined) ctx.background = { pid: backgroundPid };
    return ctx;
  }

  private runProgram(ctx: ToolContext, argv: string[]): number {
    if (argv[0] === "wait") return this.wait(ctx, argv.slice(1));
    if (argv[0] === "exit") throw new ShellExit(this.exitStatus(argv.slice(1)));
    if (argv[0]!.startsWith("@") && this.options.directive !== undefined) {
      return this.options.directive(ctx, argv);
    }
    return runArgv(ctx, argv);
  }

  /**
   * Gives the process that a tool registered for a background job the job's command and
   * streams.
   *
   * @throws Unsupported when the command sent probes or moved the clock without registering a
   * process, because a blocking tool (ping, traceroute) must not hold up the shell it was sent
   * away from.
   */
  private recordBackground(
    state: NetState,
    pid: number,
    argv: string[],
    fds: Fds,
    before: { clock: number; probes: number },
  ): void {
    const proc = state.processes[pid];
    if (proc === undefined) {
      if (state.clock !== before.clock || this.options.probes.length !== before.probes) {
        throw new Unsupported(`running ${programName(argv)} in the background`);
      }
      return;
    }
    proc.command = argv.join(" ");
    proc.stdout = sinkOf(fds.stdout);
    proc.stderr = sinkOf(fds.stderr);
  }

  /** Returns the status bash's `exit [N]` ends the shell with: N modulo 256, else `$?`. */
  private exitStatus(args: string[]): number {
    const [text] = args;
    if (text === undefined) return this.lastStatus;
    if (!/^[-+]?\d+$/.test(text)) {
      throw new HoptraceError(
        `${this.errorPrefix}exit: ${text}: numeric argument required`,
        2,
        "usage",
      );
    }
    if (args.length > 1)
      throw new HoptraceError(`${this.errorPrefix}exit: too many arguments`, 1, "usage");
    return ((Number(text) % 256) + 256) % 256;
  }

  /** Runs bash's `wait [PID...]`: waits in virtual time for the jobs and returns the last status. */
  private wait(ctx: ToolContext, args: string[]): number {
    if (args.some((arg) => arg.startsWith("%") || arg.startsWith("-"))) {
      throw new Unsupported(`wait ${args.join(" ")} (job specs and options)`);
    }
    const pids = args.length === 0 ? [...this.children] : args.map(Number);
    let status = 0;
    for (const [index, pid] of pids.entries()) {
      if (!Number.isInteger(pid) || !this.children.has(pid)) {
        const text = args[index] ?? String(pid);
        if (!/^\d+$/.test(text)) {
          throw new HoptraceError(
            `${this.errorPrefix}wait: \`${text}': not a pid or valid job spec`,
            1,
            "usage",
          );
        }
        throw new HoptraceError(
          `${this.errorPrefix}wait: pid ${text} is not a child of this shell`,
          127,
          "usage",
        );
      }
      advanceUntil(
        ctx.state,
        () => ctx.state.processes[pid]?.exit !== undefined,
        ctx.deadline,
        `wait for ${pid}`,
      );
      const proc = ctx.state.processes[pid]!;
      status = proc.exit!.status;
      const report = jobStatusReport(status);
      if (report !== undefined) {
        const line = `${this.errorPrefix}${String(pid).padStart(5)} ${report.padEnd(24)}${proc.command}`;
        errLines(ctx).push(line);
      }
    }
    return args.length === 0 ? 0 : status;
  }

  /** Expands a word into fields: unquoted expansions split at blanks (bash(1), "Word Splitting"). */
  private expand(state: NetState, word: Word, fds: Fds): string[] {
    const fields: string[] = [];
    let current = "";
    let hasCurrent = false;
    for (const part of word) {
      if (part.kind === "text") {
        current += part.text;
        hasCurrent ||= part.quoted || part.text !== "";
        continue;
      }
      const value =
        part.kind === "param" ? this.parameter(part.name) : this.substitute(state, part.list, fds);
      if (part.quoted) {
        current += value;
        hasCurrent = true;
        continue;
      }
      value.split(/[ \t\n]+/).forEach((piece, index) => {
        if (index > 0 && hasCurrent) fields.push(current);
        if (index > 0) {
          current = "";
          hasCurrent = false;
        }
        current += piece;
        hasCurrent ||= piece !== "";
      });
    }
    if (hasCurrent) fields.push(current);
    return fields;
  }

  /** Expands a word without splitting it, as an assignment's value or a redirection target. */
  private expandJoined(state: NetState, word: Word, fds: Fds): string {
    return word
      .map((part) => {
        if (part.kind === "text") return part.text;
        if (part.kind === "param") return this.parameter(part.name);
        return this.substitute(state, part.list, fds);
      })
      .join("");
  }

  private parameter(name: string): string {
    if (name === "?") return String(this.lastStatus);
    if (name === "!") return this.lastBackground === undefined ? "" : String(this.lastBackground);
    return this.variables[name] ?? "";
  }

  /**
   * Runs `$(...)` in a subshell and returns its output without trailing newlines; its stderr
   * goes where the command's does.
   */
  private substitute(state: NetState, list: CommandList, fds: Fds): string {
    const subshell = new Shell({ ...this.options, collectsTerminal: false });
    Object.assign(subshell.variables, this.variables);
    subshell.lastStatus = this.lastStatus;
    subshell.lastBackground = this.lastBackground;
    const output: Stream = { kind: "buffer", lines: [] };
    this.substitutionStatus = subshell.runList(state, list, {
      stdin: fds.stdin,
      stdout: output,
      stderr: fds.stderr,
    });
    // bash sets `$?` as soon as a command substitution ends, so a later word sees it.
    this.lastStatus = this.substitutionStatus;
    return output.kind === "buffer" ? output.lines.join("\n").replace(/\n+$/, "") : "";
  }

  /** Applies `redirects` left to right to a copy of `fds` (bash(1), "REDIRECTION"). */
  private openRedirects(
    state: NetState,
    redirects: Redirect[],
    fds: Fds,
    opened: DevSocket[],
  ): Fds {
    const result: Fds = { ...fds };
    for (const redirect of redirects) {
      const fields = this.expand(state, redirect.target, fds);
      const raw = redirect.target.map(sourceText).join("");
      if (fields.length !== 1)
        throw new HoptraceError(`${this.errorPrefix}${raw}: ambiguous redirect`, 1, "usage");
      const target = fields[0]!;
      if (redirect.op === ">&") {
        if (target !== "1" && target !== "2")
          throw new Unsupported(`shell redirection ">&${target}"`);
        const source = target === "1" ? result.stdout : result.stderr;
        this.setFd(result, redirect.fd, source);
        continue;
      }
      if (redirect.op === "<") {
        if (redirect.fd !== 0) throw new Unsupported(`shell redirection "${redirect.fd}<"`);
        result.stdin = this.readForRedirect(state, target);
        continue;
      }
      const stream = this.openForWrite(
        state,
        target,
        redirect.op === ">>" || redirect.op === "&>>",
        opened,
      );
      if (redirect.op === "&>" || redirect.op === "&>>") {
        result.stdout = stream;
        result.stderr = stream;
      } else {
        this.setFd(result, redirect.fd, stream);
      }
    }
    return result;
  }

  private setFd(fds: Fds, fd: number, stream: Stream): void {
    if (fd === 1) fds.stdout = stream;
    else if (fd === 2) fds.stderr = stream;
    else throw new Unsupported(`redirections of file descriptor ${fd}`);
  }

  private readForRedirect(state: NetState, path: string): string {
    checkPath(path);
    // bash opens a directory for reading without complaint, and the command fails on read(2).
    if (isDirectory(state, path)) throw new Unsupported(`a directory as stdin (${path})`);
    const text = readFile(state, path);
    if (text === undefined) throw this.fileError(path, "ENOENT");
    return text;
  }

  private openForWrite(
    state: NetState,
    path: string,
    isAppend: boolean,
    opened: DevSocket[],
  ): Stream {
    const device = /^\/dev\/(tcp|udp)\/([^/]+)\/(\d+)$/.exec(path);
    if (device !== null) {
      const protocol = device[1] as "tcp" | "udp";
      const ctx = this.context(state, [], undefined, undefined);
      const result = openDevSocket(ctx, protocol, device[2]!, Number(device[3]));
      if (ctx.deadline !== undefined && state.clock >= ctx.deadline)
        throw new DeadlineReached(ctx.deadline);
      if (!result.ok) {
        // bash prints the failed connect(2) first, then the redirection that failed.
        const text = ERRNO_TEXT[result.errno];
        throw new HoptraceError(
          `bash: connect: ${text}\n${this.errorPrefix}${path}: ${text}`,
          1,
          "usage",
        );
      }
      opened.push(result.socket);
      return { kind: "socket", socket: result.socket };
    }
    if (path === "/dev/null") return { kind: "null" };
    if (isProcPath(path)) {
      const key = openProcFileForWrite(state, this.options.nsId, path);
      if (key === undefined) throw this.fileError(path, "ENOENT");
      return { kind: "sysctl", nsId: this.options.nsId, key, isWritten: false };
    }
    checkPath(path);
    if (isDirectory(state, path))
      throw new HoptraceError(`${this.errorPrefix}${path}: Is a directory`, 1, "usage");
    if (!parentExists(state, path)) throw this.fileError(path, "ENOENT");
    if (!isAppend || readFile(state, path) === undefined) writeFile(state, path, "");
    return { kind: "file", path };
  }

  private fileError(path: string, errno: Errno): HoptraceError {
    return new HoptraceError(`${this.errorPrefix}${path}: ${ERRNO_TEXT[errno]}`, 1, "usage");
  }

  /**
   * Writes what a command printed to its streams. A failed write to a socket prints the write
   * error as bash's builtins do and makes the status 1.
   */
  private flush(
    state: NetState,
    program: string,
    out: string[],
    err: string[] | undefined,
    fds: Fds,
    status: number,
  ): number {
    const writeError = this.write(state, fds.stdout, out);
    if (err !== undefined) this.write(state, fds.stderr, err);
    if (writeError === undefined) return status;
    const prefix = WRITING_BUILTINS.has(program) ? this.errorPrefix : "";
    this.write(state, fds.stderr, [`${prefix}${program}: write error: ${ERRNO_TEXT[writeError]}`]);
    return 1;
  }

  /** Writes `lines` to `stream`; returns the errno of a failed socket write. */
  write(state: NetState, stream: Stream, lines: string[]): Errno | undefined {
    if (lines.length === 0) return undefined;
    if (stream.kind === "buffer") pushAll(stream.lines, lines);
    else if (stream.kind === "file")
      appendFile(state, stream.path, lines.map((line) => `${line}\n`).join(""));
    else if (stream.kind === "socket") {
      const ctx = this.context(state, [], undefined, undefined);
      return writeDevSocket(ctx, stream.socket, lines.map((line) => `${line}\n`).join(""));
    } else if (stream.kind === "sysctl" && !stream.isWritten) {
      const text = lines.map((line) => `${line}\n`).join("");
      const errno = writeProcSysctl(state, stream.nsId, stream.key, text);
      if (errno === undefined) stream.isWritten = true;
      return errno;
    }
    return undefined;
  }

  /** Prints an error of the shell itself (a redirection that failed) and returns its status. */
  private report(state: NetState, stream: Stream, error: unknown): number {
    const lines: string[] = [];
    const status = reportError(error, lines);
    this.write(state, stream, lines);
    return status;
  }
}

/** Returns the program a command line runs after the wrappers `ip netns exec NS` and `timeout`. */
function programName(argv: string[]): string {
  if (argv[0] === "ip" && argv[1] === "netns" && argv[2] === "exec")
    return programName(argv.slice(4));
  if (argv[0] === "timeout") {
    const rest = argv.slice(1);
    while (rest[0]?.startsWith("-") === true)
      rest.splice(0, rest[0] === "-s" || rest[0] === "-k" ? 2 : 1);
    return programName(rest.slice(1));
  }
  return argv[0] ?? "";
}

/**
 * Returns the text bash prints when `wait` reaps a job killed by a signal, as strsignal(3) names
 * it. A non-interactive bash built with DONT_REPORT_SIGTERM (Debian's) reports no SIGTERM, and no
 * SIGINT or SIGPIPE (jobs.c, notify_of_job_status).
 */
function jobStatusReport(status: number): string | undefined {
  const descriptions: Record<number, string> = {
    1: "Hangup",
    3: "Quit",
    9: "Killed",
    10: "User defined signal 1",
    12: "User defined signal 2",
  };
  return status > 128 ? descriptions[status - 128] : undefined;
}

/** Returns a redirection as bash prints it in a job report: `2> /dev/null`, `2>&1`. */
function redirectText(redirect: Redirect): string {
  const target = redirect.target.map(sourceText).join("");
  if (redirect.op === "&>" || redirect.op === "&>>") return `${redirect.op} ${target}`;
  const isDefault = redirect.fd === (redirect.op === "<" ? 0 : 1);
  const fd = isDefault ? "" : String(redirect.fd);
  return redirect.op === ">&" ? `${fd}>&${target}` : `${fd}${redirect.op} ${target}`;
}

/** Returns a word as it was written, for bash's messages about it. */
function sourceText(part: Word[number]): string {
  if (part.kind === "text") return part.text;
  if (part.kind === "param") return `$${part.name}`;
  return "$(...)";
}

function sinkOf(stream: Stream): Sink {
  if (stream.kind === "file") return { kind: "file", path: stream.path };
  if (stream.kind === "null") return { kind: "null" };
  if (stream.kind === "socket")
    throw new Unsupported("a background job writing into a /dev socket");
  if (stream.kind === "sysctl") throw new Unsupported("a background job writing into /proc/sys");
  return { kind: "terminal" };
}

/** Rejects relative paths: the model has no working directory. */
function checkPath(path: string): void {
  if (!path.startsWith("/")) throw new Unsupported(`relative paths (${path})`);
}

/** Runs `fn` atomically, or straight on `draft` in optimistic mode. */
function guarded<T>(draft: NetState, fn: (copy: NetState) => T): T {
  if (!isOptimistic) return atomically(draft, fn);
  try {
    return fn(draft);
  } catch (error) {
    // Unsupported fails the whole line in both modes, with the state left as it was.
    if (error instanceof Unsupported || error instanceof RetryAtomically) throw error;
    throw new RetryAtomically();
  }
}

/**
 * Runs `fn` on a copy of `draft` and applies its changes to `draft` only when it returns, so a
 * command that throws leaves `draft` as it was. Returns what `fn` returned.
 */
export function atomically<T>(draft: NetState, fn: (copy: NetState) => T): T {
  let result: T | undefined;
  const base = isDraft(draft) ? current(draft) : draft;
  const [, patches] = produceWithPatches(base, (copy: NetState) => {
    result = fn(copy);
  });
  applyPatches(draft, patches);
  return result as T;
}

/** Prints an error as the real tool would and returns its exit status. */
export function reportError(error: unknown, out: string[]): number {
  if (error instanceof HoptraceError) {
    out.push(...error.message.split("\n"));
    return error.exitCode;
  }
  // A bug in hoptrace: say so plainly instead of printing a stack trace into the transcript.
  const message = error instanceof Error ? error.message : String(error);
  out.push(`hoptrace: internal error: ${message}`);
  return 70;
}
