/// <reference types="node" />
/**
 * Runs a command script on the real Linux kernel inside a throwaway network and mount namespace,
 * and records the transcript that the real tools print.
 *
 * Source of truth: the procedure that recorded hoptrace's kernel cases, rebuilt here. The script
 * runs under `unshare --net --mount --propagation private --fork` (unshare(1)), so its "host" is
 * a fresh network namespace. A private tmpfs on `/run/netns` keeps the names that
 * `ip netns add` creates (ip-netns(8)) inside the sandbox, and `lo` is brought up first. Each
 * line that is neither blank nor a comment then runs as `bash -c LINE 2>&1`, with the script
 * file as its standard input. Nothing touches the machine's own network namespace or sysctls.
 *
 * Node-only: spawns processes and writes a temporary file.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { type CommandRecord, formatRecord } from "../script/transcript.js";

/** Options of {@link runInSandbox}. */
export interface SandboxOptions {
  /** Wall-clock limit for the whole script in milliseconds; 120 000 unless given. */
  readonly timeoutMs?: number;
}

/** What a script printed on the real kernel. */
export interface SandboxResult {
  /** The transcript: `$ CMD`, the output, and `[exit N]` when N is not 0, for each command. */
  readonly transcript: string;
  /** One record per command that started, in script order. */
  readonly commands: readonly CommandRecord[];
  /** Whether the time limit stopped the script; the last record then has a `null` exit code. */
  readonly timedOut: boolean;
  /** Wall-clock time of the whole run in milliseconds, sandbox setup included. */
  readonly elapsedMs: number;
}

/** The answer of {@link canUseSandbox}: usable, or the reason why not. */
export type SandboxCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Failure to set up or run the sandbox itself, as opposed to a command failing inside it. */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** Time between SIGTERM and SIGKILL when the limit is reached. */
const KILL_GRACE_MS = 5_000;
/** Time to wait for the output pipes to close after the sandbox exits. */
const CLOSE_GRACE_MS = 2_000;
const UNSHARE_ARGS = ["--net", "--mount", "--propagation", "private", "--fork"] as const;
const EXIT_MOUNT_FAILED = 90;
const EXIT_LO_FAILED = 91;

/**
 * The driver runs as root inside the sandbox. Around each command it prints marker lines that
 * carry a random token, so that the output can be cut into records without guessing. The `\n`
 * before the end marker lets output without a final newline be recovered exactly. After the
 * last command it waits on standard input, so that the caller can end the whole process group,
 * stray background jobs included, while the group is known to be its own.
 */
const DRIVER = String.raw`
set -u
script=$1 mark=$2 blank='^ *$'
if ! { mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns; }; then
  echo "cannot mount a private tmpfs on /run/netns" >&2
  exit ${EXIT_MOUNT_FAILED}
fi
ip link set lo up || exit ${EXIT_LO_FAILED}
# An empty resolver configuration makes glibc ask 127.0.0.1, the sandbox's own lo, so a name
# lookup (iptables -L without -n, traceroute without -n) never reaches the host's DNS server.
if [[ -e /etc/resolv.conf ]]; then mount --bind /dev/null /etc/resolv.conf || exit ${EXIT_MOUNT_FAILED}; fi
while IFS= read -r line || [[ -n $line ]]; do
  [[ $line =~ $blank || $line =~ ^[[:space:]]*# ]] && continue
  printf '%s B\n' "$mark"
  echo "\$ $line"
  bash -c "$line" 2>&1
  code=$?
  printf '\n%s E %d\n' "$mark" "$code"
done <"$script"
printf '%s DONE\n' "$mark"
read -r _
`;

/**
 * Runs `script` on the real kernel in a throwaway sandbox and returns its transcript.
 *
 * Needs root and Linux (see {@link canUseSandbox}). Commands run one after another with the
 * script file as their standard input, as the cases were recorded, so a command that reads
 * standard input consumes the lines after it. Tools run with `LC_ALL=C`, so they print their
 * untranslated messages, and with the sbin folders on `PATH`. When the time limit passes, every
 * process of the sandbox gets SIGTERM, then SIGKILL, and the result is marked `timedOut`.
 * Background jobs still running after the last command are killed unless they moved to a process
 * group of their own (as `timeout` does).
 *
 * @throws SandboxError when the sandbox cannot be created or its driver fails before the script.
 */
export async function runInSandbox(
  script: string,
  options: SandboxOptions = {},
): Promise<SandboxResult> {
  const started = performance.now();
  const folder = await mkdtemp(join(tmpdir(), "hoptrace-sandbox-"));
  try {
    const scriptPath = join(folder, "script.sh");
    await writeFile(scriptPath, script);
    const mark = `hoptrace-${randomBytes(16).toString("hex")}`;
    const run = await spawnDriver(scriptPath, mark, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (!run.sawDone && !run.timedOut) {
      throw new SandboxError(describeDriverFailure(run));
    }
    const parsed = parseDriverOutput(run.stdout, mark);
    return { ...parsed, timedOut: run.timedOut, elapsedMs: performance.now() - started };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

interface DriverRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly sawDone: boolean;
  readonly timedOut: boolean;
}

/**
 * The process groups of the sandboxes running now, each with the function that kills it. A
 * sandbox leads a process group of its own, so a Ctrl-C on the terminal does not reach it, and
 * it would outlive this process. These handlers kill every running sandbox when this process is
 * interrupted or exits, then let the signal do what it would have done.
 */
const runningSandboxes = new Set<() => void>();
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function killRunningSandboxes(): void {
  for (const kill of runningSandboxes) kill();
}

function onStopSignal(signal: NodeJS.Signals): void {
  killRunningSandboxes();
  removeStopHandlers();
  process.kill(process.pid, signal);
}

function addSandbox(kill: () => void): void {
  if (runningSandboxes.size === 0) {
    for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
    process.on("exit", killRunningSandboxes);
  }
  runningSandboxes.add(kill);
}

function removeSandbox(kill: () => void): void {
  runningSandboxes.delete(kill);
  if (runningSandboxes.size === 0) removeStopHandlers();
}

function removeStopHandlers(): void {
  for (const signal of STOP_SIGNALS) process.removeListener(signal, onStopSignal);
  process.removeListener("exit", killRunningSandboxes);
}

function spawnDriver(scriptPath: string, mark: string, timeoutMs: number): Promise<DriverRun> {
  return new Promise((resolve, reject) => {
    // detached: unshare leads a new process group that every sandbox process joins.
    const child = spawn(
      "unshare",
      [...UNSHARE_ARGS, "bash", "-c", DRIVER, "hoptrace-sandbox", scriptPath, mark],
      { detached: true, stdio: ["pipe", "pipe", "pipe"], env: sandboxEnv() },
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const doneMarker = `${mark} DONE\n`;
    let tail = "";
    let sawDone = false;
    let timedOut = false;
    let exited = false;
    const timers: NodeJS.Timeout[] = [];

    // Signal the group only while unshare is alive, so that its id cannot have been reused.
    const killGroup = (signal: NodeJS.Signals): void => {
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    };

    const killOnStop = (): void => killGroup("SIGKILL");
    addSandbox(killOnStop);

    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      if (sawDone) return;
      tail = (tail + chunk.toString("latin1")).slice(-2 * doneMarker.length);
      if (tail.includes(doneMarker)) {
        sawDone = true;
        killGroup("SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on("error", () => {}); // the driver may be gone before stdin closes
    child.on("error", (error) => {
      timers.forEach(clearTimeout);
      removeSandbox(killOnStop);
      reject(new SandboxError(`cannot start unshare: ${error.message}`));
    });

    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup("SIGTERM");
        timers.push(setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS));
      }, timeoutMs),
    );
    child.on("exit", () => {
      exited = true;
      // A background job in a process group of its own may still hold the pipes open.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, CLOSE_GRACE_MS),
      );
    });
    child.on("close", (exitCode, signal) => {
      timers.forEach(clearTimeout);
      removeSandbox(killOnStop);
      resolve({
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        exitCode,
        signal,
        sawDone,
        timedOut,
      });
    });
  });
}

function describeDriverFailure(run: DriverRun): string {
  const ending = run.signal === null ? `exit ${run.exitCode}` : `signal ${run.signal}`;
  const detail = run.stderr.trim() === "" ? "" : `: ${run.stderr.trim()}`;
  switch (run.exitCode) {
    case EXIT_MOUNT_FAILED:
      return `sandbox setup failed (${ending})${detail}`;
    case EXIT_LO_FAILED:
      return `"ip link set lo up" failed in the sandbox (${ending})${detail}`;
    default:
      return `sandbox ended before the script finished (${ending})${detail}`;
  }
}

/**
 * Cuts the driver's output into command records at the marker lines and rebuilds the transcript.
 * Text that a background job printed between two commands stays in the transcript at its place
 * but belongs to no record.
 */
function parseDriverOutput(
  stream: string,
  mark: string,
): { transcript: string; commands: CommandRecord[] } {
  const begin = `${mark} B\n`;
  const end = `\n${mark} E `;
  const doneAt = stream.indexOf(`${mark} DONE\n`);
  const body = doneAt === -1 ? stream : stream.slice(0, doneAt);
  const commands: CommandRecord[] = [];
  let transcript = "";
  let at = 0;

  while (at < body.length) {
    const beginAt = body.indexOf(begin, at);
    transcript += body.slice(at, beginAt === -1 ? body.length : beginAt);
    if (beginAt === -1) break;

    // The driver echoes the line as "$ LINE"; the command is what follows the "$ ".
    const lineStart = beginAt + begin.length;
    const lineEnd = body.indexOf("\n", lineStart);
    const command = body.slice(lineStart + 2, lineEnd === -1 ? body.length : lineEnd);
    const outputStart = lineEnd === -1 ? body.length : lineEnd + 1;
    const endAt = body.indexOf(end, outputStart);
    if (endAt === -1) {
      // Stopped by the time limit while this command was running.
      const record = { command, output: body.slice(outputStart), exitCode: null };
      commands.push(record);
      transcript += formatRecord(record);
      break;
    }

    const codeEnd = body.indexOf("\n", endAt + end.length);
    const exitCode = Number(body.slice(endAt + end.length, codeEnd));
    const record = { command, output: body.slice(outputStart, endAt), exitCode };
    commands.push(record);
    transcript += formatRecord(record);
    at = codeEnd + 1;
  }
  return { transcript, commands };
}

/**
 * Reports whether {@link runInSandbox} can work on this machine: Linux, root, `bash`, `unshare`,
 * `mount` and `ip` on the path, and a trial `unshare --net --mount --propagation private --fork
 * true` that succeeds. It does not check the tools a particular script needs; use
 * {@link findMissingTools} for those.
 */
export function canUseSandbox(): SandboxCheck {
  if (process.platform !== "linux") {
    return { ok: false, reason: `network namespaces need Linux, this is ${process.platform}` };
  }
  const uid = process.getuid?.();
  if (uid !== 0) {
    return { ok: false, reason: `creating namespaces needs root, this process runs as uid ${uid}` };
  }
  const missing = findMissingTools(["bash", "unshare", "mount", "ip"]);
  if (missing.length > 0) {
    return { ok: false, reason: `missing tools: ${missing.join(", ")}` };
  }

  const trial = spawnSync("unshare", [...UNSHARE_ARGS, "true"], {
    encoding: "utf8",
    env: sandboxEnv(),
    timeout: 10_000,
  });
  if (trial.error !== undefined || trial.status !== 0) {
    const detail = trial.error?.message ?? (trial.stderr.trim() || `exit ${trial.status}`);
    return {
      ok: false,
      reason: `trial "unshare ${UNSHARE_ARGS.join(" ")} true" failed: ${detail}`,
    };
  }
  return { ok: true };
}

/**
 * Returns the names among `tools` that are not executable files in any folder of the sandbox's
 * `PATH` (the caller's `PATH` plus the sbin folders).
 */
export function findMissingTools(tools: readonly string[]): string[] {
  const folders = sandboxPath().split(delimiter).filter(Boolean);
  return tools.filter((tool) => !folders.some((folder) => isExecutable(join(folder, tool))));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function sandboxPath(): string {
  const folders = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const folder of ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]) {
    if (!folders.includes(folder)) folders.push(folder);
  }
  return folders.join(delimiter);
}

function sandboxEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: sandboxPath(), LC_ALL: "C" };
}
