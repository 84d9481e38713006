/// <reference types="node" />
/**
 * `hoptrace replay --host`: applies a script to the namespace this process runs in, records how
 * to undo it, rolls back when a command that changes the host fails, and undoes the last applied
 * script on request.
 *
 * Source of truth: `host-plan.ts` decides what may run and what undoes it. This module only runs
 * the commands, without a shell, one argv at a time and with `LC_ALL=C`. It keeps the record as
 * `last-replay.json` in `HOPTRACE_STATE_DIR` (default `/var/lib/hoptrace`). The record is written
 * after every line that changed the host, so that `--undo` works even after a crash. Node-only.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HoptraceError } from "../errors.js";
import { stateFromSnapshot } from "../script/run.js";
import { formatRecord } from "../script/transcript.js";
import type { NetState } from "../netns/state.js";
import type { HostPlan, PlannedLine, UndoStep } from "./host-plan.js";
import { formatPlan, planHostReplay } from "./host-plan.js";
import { readHost } from "./snapshot.js";
import { snapshotScript } from "./snapshot-script.js";

/** The folder of the replay record unless `HOPTRACE_STATE_DIR` names another. */
export const DEFAULT_STATE_DIR = "/var/lib/hoptrace";
const RECORD_FILE = "last-replay.json";

/** The record `--undo` reads: the script's name, the time it was applied, and the undo list. */
interface ReplayRecord {
  readonly script: string;
  readonly appliedAt: string;
  readonly status: "applying" | "applied" | "rolled back partly";
  readonly undo: readonly UndoStep[];
}

/** Options of {@link replayOnHost} and {@link undoLastReplay}. */
export interface HostReplayOptions {
  /** Receives the plan and the transcript. */
  readonly write: (text: string) => void;
  /** Folder of the replay record; `HOPTRACE_STATE_DIR` or {@link DEFAULT_STATE_DIR} unless given. */
  readonly stateDir?: string;
  /** Show the plan and stop. */
  readonly isDryRun?: boolean;
  /** Runs one command on the host; tests pass a fake. Runs the real program unless given. */
  readonly runCommand?: RunCommand;
  /** Returns the host's current state; a snapshot of the live host unless given. */
  readonly readState?: () => NetState;
}

/** Runs an argv on the host and returns its interleaved output and exit status. */
export type RunCommand = (argv: readonly string[]) => { output: string; status: number };

function stateDirOf(options: HostReplayOptions): string {
  return options.stateDir ?? process.env.HOPTRACE_STATE_DIR ?? DEFAULT_STATE_DIR;
}

function readRecord(dir: string): ReplayRecord | undefined {
  const path = join(dir, RECORD_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as ReplayRecord;
  } catch (error) {
    throw new HoptraceError(
      `hoptrace: cannot read the replay record ${path}: ${(error as Error).message}; ` +
        "undo by hand with the commands it lists, then delete it",
      1,
      "host-replay",
    );
  }
}

function writeRecord(dir: string, record: ReplayRecord): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Plans `script` against a fresh snapshot of this host, prints the plan, and unless
 * `isDryRun` applies it line by line. Returns the exit status: 0 when every line that changes
 * the host succeeded, 1 after a rollback.
 *
 * @throws HostReplayRejected when the plan rejects the script (nothing has run then), and
 * HoptraceError when an earlier replay is still recorded and not undone.
 */
export function replayOnHost(
  script: string,
  scriptName: string,
  options: HostReplayOptions,
): number {
  const dir = stateDirOf(options);
  const previous = readRecord(dir);
  if (previous !== undefined && !options.isDryRun) {
    throw new HoptraceError(
      `hoptrace: ${previous.script}, replayed at ${previous.appliedAt}, is not undone yet ` +
        `(${join(dir, RECORD_FILE)}); run "hoptrace replay --undo" first`,
      1,
      "host-replay",
    );
  }
  const readState = options.readState ?? readLiveState;
  const plan = planHostReplay(script, readState());
  options.write(formatPlan(plan, scriptName));
  if (options.isDryRun) return 0;
  options.write("Undo afterwards with: hoptrace replay --undo\n");
  return apply(plan, { scriptName, dir, write: options.write, run: options.runCommand ?? runArgv });
}

function readLiveState(): NetState {
  return stateFromSnapshot(snapshotScript(readHost()), "snapshot of this host");
}

interface ApplyContext {
  readonly scriptName: string;
  readonly dir: string;
  readonly write: (text: string) => void;
  readonly run: RunCommand;
}

function apply(plan: HostPlan, { scriptName, dir, write, run }: ApplyContext): number {
  const appliedAt = new Date().toISOString();
  writeRecord(dir, { script: scriptName, appliedAt, status: "applying", undo: [] });
  for (const line of plan.lines) {
    const status = runPlannedLine(line, write, run);
    if (line.isChange && status !== 0) {
      write(
        `hoptrace: line ${line.lineNumber} failed on the host; rolling back what the script did\n`,
      );
      const failed = runUndo(line.undoAfter, write, run);
      if (failed.length === 0) rmSync(join(dir, RECORD_FILE), { force: true });
      else
        writeRecord(dir, {
          script: scriptName,
          appliedAt,
          status: "rolled back partly",
          undo: failed,
        });
      return 1;
    }
    if (line.isChange)
      writeRecord(dir, { script: scriptName, appliedAt, status: "applying", undo: line.undoAfter });
  }
  writeRecord(dir, { script: scriptName, appliedAt, status: "applied", undo: plan.undo });
  return 0;
}

/** Runs one line's simple commands with `;`, `&&` and `||` as bash would, and prints its record. */
function runPlannedLine(line: PlannedLine, write: (text: string) => void, run: RunCommand): number {
  let status = 0;
  let output = "";
  for (const item of line.items) {
    if (item.connector === "&&" && status !== 0) continue;
    if (item.connector === "||" && status === 0) continue;
    const result = run(item.argv);
    output += result.output;
    status = result.status;
  }
  write(formatRecord({ command: line.text, output, exitCode: status }));
  return status;
}

/** Runs `argv` without a shell; stdout and stderr share one file, so their order is kept. */
function runArgv(argv: readonly string[]): ReturnType<RunCommand> {
  const folder = mkdtempSync(join(tmpdir(), "hoptrace-host-"));
  const path = join(folder, "output");
  const fd = openSync(path, "w+");
  try {
    const [program, ...args] = argv;
    const result = spawnSync(program!, args, {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, LC_ALL: "C", PATH: `${process.env.PATH ?? ""}:/usr/sbin:/sbin` },
      timeout: 120_000,
    });
    const output = readFileSync(path, "utf8");
    if (result.error !== undefined)
      return { output: `${output}hoptrace: ${result.error.message}\n`, status: 127 };
    return { output, status: result.status ?? 128 };
  } finally {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Output of an undo command whose object is already gone, which counts as undone. */
const ALREADY_GONE =
  /Cannot find device|does not exist|No such (file|process|device)|Cannot assign requested address/;

/** Runs the undo list and returns the steps that failed for another reason than "already gone". */
function runUndo(
  steps: readonly UndoStep[],
  write: (text: string) => void,
  run: RunCommand,
): UndoStep[] {
  const failed: UndoStep[] = [];
  for (const step of steps) {
    const result = run(step.argv);
    write(
      formatRecord({
        command: step.argv.join(" "),
        output: result.output,
        exitCode: result.status,
      }),
    );
    if (result.status !== 0 && !ALREADY_GONE.test(result.output)) failed.push(step);
  }
  return failed;
}

/**
 * Undoes the last script applied with {@link replayOnHost}, or with `isDryRun` prints what would
 * be undone. Returns 0 when everything was undone; otherwise 1, and the record keeps the steps
 * that failed so that a second `--undo` can retry them.
 *
 * @throws HoptraceError when no replay is recorded.
 */
export function undoLastReplay(options: HostReplayOptions): number {
  const dir = stateDirOf(options);
  const record = readRecord(dir);
  if (record === undefined) {
    throw new HoptraceError(
      `hoptrace: nothing to undo: no replay is recorded in ${dir} (set HOPTRACE_STATE_DIR if it was another folder)`,
      1,
      "host-replay",
    );
  }
  options.write(`Undoing ${record.script}, replayed at ${record.appliedAt} (${record.status}):\n`);
  for (const step of record.undo) options.write(`  ${step.change}\n`);
  if (options.isDryRun) return 0;
  const failed = runUndo(record.undo, options.write, options.runCommand ?? runArgv);
  if (failed.length === 0) {
    rmSync(join(dir, RECORD_FILE), { force: true });
    return 0;
  }
  writeRecord(dir, { ...record, status: "rolled back partly", undo: failed });
  options.write(
    `hoptrace: ${failed.length} undo commands failed; fix the cause and run --undo again\n`,
  );
  return 1;
}
