/**
 * The programs and builtins that scripts use around their probes: `sleep`, `timeout`, `kill`,
 * `tail --pid`, `cat`, `mount -t tmpfs` and `bash -c`/`sh -c`. Their messages and exit statuses
 * are those of bash 5.2 and coreutils 9.1 (Debian 12), as the recorded shell cases show.
 */
import { HoptraceError, Unsupported } from "../errors.js";
import { SIGTERM_STATUS, TIMEOUT_STATUS, spawnProcess } from "../proc/jobs.js";
import { stopProcess } from "../proc/programs.js";
import { DeadlineReached, advanceClock, advanceUntil } from "../proc/time.js";
import { isProcPath, listProcDir, readProcFile } from "../proc/procfs.js";
import { isDirectory, listDirectory, mountEmpty, readFile } from "../proc/vfs.js";
import type { NetState } from "../netns/state.js";
import { findNetns } from "../netns/state.js";
import type { Tool, ToolContext } from "../tools/context.js";
import { errLines } from "../tools/context.js";
import { runArgv } from "../tools/index.js";
import { Shell } from "./shell-exec.js";
import type { Stream } from "./shell-exec.js";
import { parseCommandLine } from "./shell-syntax.js";
import { pushAll } from "../push-all.js";

/** The prefix of errors that bash's builtins print in a `bash -c` script. */
const BASH_PREFIX = "bash: line 1: ";

/** Signal numbers by name, for `kill` and `timeout -s`; the status of a killed process is 128 + N. */
const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  TERM: 15,
};

/**
 * Parses a coreutils duration (`sleep`, `timeout`): a non-negative number with an optional unit
 * `s`, `m`, `h` or `d`. Returns milliseconds, or undefined when it is invalid.
 */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  if (match === null) return undefined;
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2]!]!;
  return Math.round(Number(match[1]) * unit * 1000);
}

/**
 * bash's `echo`: leading words made only of `-n`, `-e` and `-E` are options (bash(1), "echo").
 * `-n` leaves the line open and `-e` expands escapes, which the line-based output does not model.
 */
export const echo: Tool = (ctx, args) => {
  let index = 0;
  for (; index < args.length && /^-[neE]+$/.test(args[index]!); index++) {
    const option = args[index]!;
    if (option.includes("n")) throw new Unsupported("echo -n");
    const hasEscapes = args.slice(index + 1).some((arg) => arg.includes("\\"));
    if (option.includes("e") && hasEscapes) throw new Unsupported("echo -e with backslash escapes");
  }
  ctx.out.push(args.slice(index).join(" "));
  return 0;
};

/** The backslash escapes bash's `printf` expands in its format. */
const PRINTF_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/**
 * bash's `printf FORMAT [ARGUMENT...]` for the conversions `%s`, `%d`, `%i` and `%%` and the
 * escapes `\n`, `\t`, `\\`. The format is reused while arguments remain, as bash does. Output
 * is kept as whole lines, so a result that does not end in a newline is not supported.
 */
export const printf: Tool = (ctx, args) => {
  const [format, ...values] = args;
  if (format === undefined) {
    throw new HoptraceError("printf: usage: printf [-v var] format [arguments]", 2, "usage");
  }
  if (format.startsWith("-")) throw new Unsupported(`printf option ${format}`);
  let text = "";
  let next = 0;
  do {
    const before = next;
    text += format.replace(/\\(.)|%(.)/gs, (whole, escape?: string, conversion?: string) => {
      if (escape !== undefined) {
        const expanded = PRINTF_ESCAPES[escape];
        if (expanded === undefined) throw new Unsupported(`printf escape \\${escape}`);
        return expanded;
      }
      if (conversion === "%") return "%";
      if (conversion === "s") return values[next++] ?? "";
      if (conversion === "d" || conversion === "i") {
        const value = values[next++] ?? "0";
        if (!/^-?\d+$/.test(value)) throw new Unsupported(`printf %d of "${value}"`);
        return String(Number(value));
      }
      throw new Unsupported(`printf conversion ${whole}`);
    });
    // A format without conversions prints once, whatever the arguments.
    if (next === before) break;
  } while (next < values.length);
  if (text === "") return 0;
  if (!text.endsWith("\n")) throw new Unsupported("printf output without a final newline");
  pushAll(ctx.out, text.slice(0, -1).split("\n"));
  return 0;
};

/** coreutils `sleep`: waits in virtual time; in the background it is a process that ends later. */
export const sleep: Tool = (ctx, args) => {
  if (args.length === 0) {
    throw new HoptraceError(
      "sleep: missing operand\nTry 'sleep --help' for more information.",
      1,
      "usage",
    );
  }
  let total = 0;
  for (const arg of args) {
    const ms = parseDuration(arg);
    if (ms === undefined) {
      throw new HoptraceError(
        `sleep: invalid time interval ‘${arg}’\nTry 'sleep --help' for more information.`,
        1,
        "usage",
      );
    }
    total += ms;
  }
  const until = ctx.state.clock + total;
  if (ctx.background !== undefined) {
    const fields = { pid: ctx.background.pid, nsId: ctx.nsId, command: `sleep ${args.join(" ")}` };
    spawnProcess(ctx.state, {
      ...fields,
      stdout: { kind: "null" },
      stderr: { kind: "null" },
      program: { kind: "sleep", until },
    });
    return 0;
  }
  advanceClock(ctx.state, until, ctx.deadline);
  return 0;
};

const TIMEOUT_USAGE = "Try 'timeout --help' for more information.";

/**
 * coreutils `timeout [-s SIG] DURATION COMMAND...`. In the foreground it sets `ctx.deadline`, and
 * a blocking tool that reaches it ends with {@link DeadlineReached}; in the background it sets
 * the `killAt` of the process the command registered. Returns 124 when it killed the command
 * (137 for `-s KILL`, as coreutils returns 128 + 9 then).
 */
export const timeout: Tool = (ctx, args) => {
  let signal = "TERM";
  let isForeground = false;
  let index = 0;
  for (; index < args.length && args[index]!.startsWith("-") && args[index] !== "-"; index++) {
    const arg = args[index]!;
    if (arg === "-s" || arg === "--signal") signal = args[++index] ?? "";
    else if (arg.startsWith("--signal=")) signal = arg.slice("--signal=".length);
    else if (arg.startsWith("-s")) signal = arg.slice(2);
    else if (arg === "--foreground") isForeground = true;
    else throw new Unsupported(`timeout option ${arg}`);
  }
  signal = signal.toUpperCase().replace(/^SIG/, "");
  if (SIGNALS[signal] === undefined) {
    throw new HoptraceError(`timeout: ‘${signal}’: invalid signal\n${TIMEOUT_USAGE}`, 125, "usage");
  }
  const [durationText, ...command] = args.slice(index);
  if (durationText === undefined || command.length === 0)
    throw new HoptraceError(TIMEOUT_USAGE, 125, "usage");
  const ms = parseDuration(durationText);
  if (ms === undefined) {
    throw new HoptraceError(
      `timeout: invalid time interval ‘${durationText}’\n${TIMEOUT_USAGE}`,
      125,
      "usage",
    );
  }

  const killedStatus = signal === "KILL" ? 128 + 9 : TIMEOUT_STATUS;
  // A duration of 0 disables the timeout.
  if (ms === 0) return runArgv(ctx, command);
  const deadline = ctx.state.clock + ms;

  if (ctx.background !== undefined) {
    const status = runArgv(ctx, command);
    const proc = ctx.state.processes[ctx.background.pid];
    if (proc !== undefined && proc.exit === undefined)
      proc.killAt = Math.min(proc.killAt ?? deadline, deadline);
    return status;
  }

  const inner = { ...ctx, deadline: Math.min(ctx.deadline ?? deadline, deadline) };
  try {
    const status = runArgv(inner, command);
    if (ctx.state.clock > deadline) {
      throw new Unsupported(`timeout of ${command[0]} (it ran past its deadline)`);
    }
    return status;
  } catch (error) {
    if (error instanceof DeadlineReached && error.deadline === deadline) {
      // Without --foreground timeout signals its whole process group. It catches every signal
      // but KILL, so only KILL ends timeout itself, which bash then reports.
      if (signal === "KILL" && !isForeground) ctx.killedBySignal = SIGNALS.KILL;
      return killedStatus;
    }
    throw error;
  }
};

/** bash's `kill [-s SIG | -SIG] PID...`: ends each process with 128 + the signal number. */
export const kill: Tool = (ctx, args) => {
  let signal = "TERM";
  const rest = [...args];
  if (rest[0] === "-s" || rest[0] === "-n") {
    signal = rest[1] ?? "";
    rest.splice(0, 2);
  } else if (rest[0]?.startsWith("-") === true && rest[0] !== "--") {
    signal = rest.shift()!.slice(1);
  }
  if (rest[0] === "--") rest.shift();
  if (rest.length === 0) {
    const usage =
      "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";
    throw new HoptraceError(usage, 2, "usage");
  }
  const name = signal.toUpperCase().replace(/^SIG/, "");
  const number = /^\d+$/.test(name) ? Number(name) : SIGNALS[name];
  if (number === undefined || !Object.values(SIGNALS).includes(number)) {
    throw new HoptraceError(
      `${BASH_PREFIX}kill: ${signal}: invalid signal specification`,
      1,
      "usage",
    );
  }
  let status = 0;
  for (const target of rest) {
    if (target.startsWith("%")) throw new Unsupported(`kill of the job spec ${target}`);
    const errors = errLines(ctx);
    if (!/^\d+$/.test(target)) {
      errors.push(`${BASH_PREFIX}kill: ${target}: arguments must be process or job IDs`);
      status = 1;
      continue;
    }
    const proc = ctx.state.processes[Number(target)];
    if (proc === undefined || proc.exit !== undefined) {
      errors.push(`${BASH_PREFIX}kill: (${target}) - No such process`);
      status = 1;
      continue;
    }
    // Without job control, bash starts background jobs with SIGINT and SIGQUIT ignored
    // (bash(1), "SIGNALS"), and every process here is such a job.
    // NOTE: on Linux a SIGINT sent right after `&` can still kill the job, because the child
    // may not have set the signal to ignored yet. The recorded runs saw both outcomes.
    if (number === SIGNALS["INT"] || number === SIGNALS["QUIT"]) continue;
    stopProcess(ctx.state, proc, number === 15 ? SIGTERM_STATUS : 128 + number);
  }
  return status;
};

/**
 * coreutils `tail -s SECS --pid=PID -f /dev/null`: returns once PID has ended, checking every
 * SECS of virtual time (1 s by default). Other uses of `tail` are not modelled.
 */
export const tail: Tool = (ctx, args) => {
  let pollMs = 1000;
  let pid: string | undefined;
  let follows = false;
  const files: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "-s" || arg === "--sleep-interval")
      pollMs = parseDuration(args[++index] ?? "") ?? Number.NaN;
    else if (arg.startsWith("--sleep-interval="))
      pollMs = parseDuration(arg.slice(17)) ?? Number.NaN;
    else if (arg.startsWith("--pid=")) pid = arg.slice(6);
    else if (arg === "-f" || arg === "--follow") follows = true;
    else if (arg.startsWith("-")) throw new Unsupported(`tail option ${arg}`);
    else files.push(arg);
  }
  if (!follows || pid === undefined || files.length !== 1 || files[0] !== "/dev/null") {
    throw new Unsupported("tail other than tail --pid=PID -f /dev/null");
  }
  if (!/^\d+$/.test(pid)) throw new HoptraceError(`tail: invalid PID: ‘${pid}’`, 1, "usage");
  if (!Number.isFinite(pollMs) || pollMs <= 0)
    throw new Unsupported("tail -s with an invalid or zero interval");
  const isEnded = () =>
    ctx.state.processes[Number(pid)]?.exit !== undefined ||
    ctx.state.processes[Number(pid)] === undefined;
  advanceUntil(ctx.state, isEnded, ctx.deadline, `tail --pid=${pid}`, pollMs);
  return 0;
};

/** coreutils `cat [FILE...]`: `-` or no file reads stdin; errors as coreutils prints them. */
export const cat: Tool = (ctx, args) => {
  const files = args.length === 0 ? ["-"] : args;
  let status = 0;
  for (const file of files) {
    if (file.startsWith("-") && file !== "-") throw new Unsupported(`cat option ${file}`);
    let text: string | undefined;
    if (file === "-") {
      if (ctx.stdin === undefined) throw new Unsupported("cat reading the terminal");
      text = ctx.stdin;
    } else if (!file.startsWith("/")) {
      throw new Unsupported(`relative paths (${file})`);
    } else if (isProcPath(file)) {
      text = readProcFile(ctx.state, ctx.nsId, file);
    } else if (file.startsWith("/sys/") || NETNS_FILE.test(file)) {
      throw new Unsupported(`reading ${file}`);
    } else if (isDirectory(ctx.state, file)) {
      errLines(ctx).push(`cat: ${file}: Is a directory`);
      status = 1;
      continue;
    } else {
      text = readFile(ctx.state, file);
    }
    if (text === undefined) {
      errLines(ctx).push(`cat: ${file}: No such file or directory`);
      status = 1;
      continue;
    }
    // NOTE: output is kept as whole lines, so a file that does not end in a newline prints as
    // if it did.
    if (text !== "") pushAll(ctx.out, text.replace(/\n$/, "").split("\n"));
  }
  return status;
};

/**
 * coreutils `ls [PATH...]` without options, as it prints into a pipe: one name per line, sorted.
 * It lists the directories of the virtual file system and the sysctl folders under /proc/sys/net.
 */
export const ls: Tool = (ctx, args) => {
  const option = args.find((arg) => arg.startsWith("-") && arg !== "-");
  if (option !== undefined) throw new Unsupported(`ls option ${option}`);
  const paths = args.length === 0 ? ["."] : args;
  if (paths.length > 1) throw new Unsupported("ls with several paths");
  const path = paths[0]!;
  if (!path.startsWith("/")) throw new Unsupported(`relative paths (${path})`);
  const names = isProcPath(path)
    ? listProcDir(ctx.state, ctx.nsId, path)
    : (netnsDirectory(ctx.state, path) ?? listDirectory(ctx.state, path));
  if (names === undefined) {
    errLines(ctx).push(`ls: cannot access '${path}': No such file or directory`);
    return 2;
  }
  ctx.out.push(...names);
  return 0;
};

/**
 * Returns the names in /run/netns (also reached as /var/run/netns), where `ip netns add` makes
 * a file for each namespace, or undefined for another path.
 *
 * @throws Unsupported for paths under /sys, which the model does not generate.
 */
function netnsDirectory(state: NetState, path: string): string[] | undefined {
  const trimmed = path.replace(/\/+$/, "");
  if (isSysPath(trimmed) || /^(\/var)?\/run$/.test(trimmed)) {
    throw new Unsupported(`listing ${path}`);
  }
  const visible = state.names.filter((name) => findNetns(state, name)?.isHidden !== true);
  if (trimmed === "/run/netns" || trimmed === "/var/run/netns") return visible.sort();
  // A namespace's file lists as its own path.
  const file = NETNS_FILE.exec(trimmed);
  const isWhole = file !== null && file[0] === trimmed;
  return isWhole && visible.includes(file[1]!) ? [path] : undefined;
}

/** The start of a path below /run/netns (or /var/run/netns): the file of a namespace. */
const NETNS_FILE = /^(?:\/var)?\/run\/netns\/([^/]+)/;

/** Reports whether `path` is /sys or lies below it, where the model generates no files. */
function isSysPath(path: string): boolean {
  return path === "/sys" || path.startsWith("/sys/");
}

/** `mount -t tmpfs tmpfs DIR`: an empty file system on an existing directory. */
export const mount: Tool = (ctx, args) => {
  const [typeFlag, type, , dir] = args;
  if (
    args.length !== 4 ||
    typeFlag !== "-t" ||
    type !== "tmpfs" ||
    dir === undefined ||
    !dir.startsWith("/")
  ) {
    throw new Unsupported(`mount ${args.join(" ")}`);
  }
  if (!isDirectory(ctx.state, dir)) {
    errLines(ctx).push(`mount: ${dir}: mount point does not exist.`);
    errLines(ctx).push("       dmesg(1) may have more information after failed mount system call.");
    return 32;
  }
  mountEmpty(ctx.state, dir);
  return 0;
};

/**
 * `bash -c SCRIPT` and `sh -c SCRIPT`: runs SCRIPT in a new shell in the caller's namespace,
 * with the caller's streams, stdin and `timeout` deadline.
 */
export function shellTool(name: "bash" | "sh"): Tool {
  return (ctx: ToolContext, args: string[]) => {
    if (args[0] !== "-c" || args[1] === undefined)
      throw new Unsupported(`${name} without -c SCRIPT`);
    if (args.length > 2) throw new Unsupported(`${name} -c with positional parameters`);
    if (ctx.background !== undefined) throw new Unsupported(`${name} -c in the background`);
    const list = parseCommandLine(args[1]);
    // NOTE: Debian's sh is dash, whose error messages differ from bash's; sh -c prints bash's.
    const shell = new Shell({
      nsId: ctx.nsId,
      commandLine: ctx.commandLine,
      probes: ctx.probes,
      ...(ctx.deadline === undefined ? {} : { deadline: ctx.deadline }),
    });
    const stdout: Stream = { kind: "buffer", lines: ctx.out };
    const stderr: Stream = ctx.err === undefined ? stdout : { kind: "buffer", lines: ctx.err };
    return shell.runList(ctx.state, list, { stdin: ctx.stdin, stdout, stderr });
  };
}
