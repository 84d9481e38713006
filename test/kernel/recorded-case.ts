/// <reference types="node" />
/**
 * Access to the recorded kernel cases, shared by the tests that compare hoptrace and the live
 * kernel with the recordings.
 *
 * The recordings live in `shared/kernel` next to the repository, in this checkout and in CI: a
 * script `NAME.sh` and its transcript `NAME.out`, recorded on the real kernel. A few more,
 * recorded the same way for one model at a time, live in `test/kernel/cases`. Locally the folder
 * may be absent, so tests skip with the reason; under `CI=true` a skip is a failure instead.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TranscriptComparison } from "../../src/script/compare.js";

const repoRoot = resolve(fileURLToPath(import.meta.url), "../../..");

/** Folder of the recorded kernel cases: `kernel` inside the `shared` folder next to the repository. */
export const kernelCasesFolder = join(resolve(repoRoot, "../shared"), "kernel");

/** Folder of the cases recorded alongside the code, in the same `NAME.sh` / `NAME.out` form. */
export const localCasesFolder = join(repoRoot, "test", "kernel", "cases");

/** Returns the folder that contains case `name`: the shared folder first, then the local one. */
function folderOf(name: string): string {
  const isLocal =
    !existsSync(join(kernelCasesFolder, `${name}.sh`)) &&
    existsSync(join(localCasesFolder, `${name}.sh`));
  return isLocal ? localCasesFolder : kernelCasesFolder;
}

/** One recorded case: the script and the transcript the real kernel printed for it. */
export interface RecordedCase {
  readonly name: string;
  readonly script: string;
  readonly transcript: string;
}

/** Returns why the recorded cases cannot be read, or `undefined` when the folder exists. */
export function findMissingCasesFolder(): string | undefined {
  return existsSync(kernelCasesFolder)
    ? undefined
    : `recorded kernel cases not found: ${kernelCasesFolder} does not exist`;
}

/** Returns the names of all cases in both folders that have a script and a transcript, sorted. */
export function listRecordedCases(): string[] {
  const names = [kernelCasesFolder, localCasesFolder]
    .filter((folder) => existsSync(folder))
    .flatMap((folder) =>
      readdirSync(folder)
        .filter((file) => file.endsWith(".sh"))
        .map((file) => file.slice(0, -".sh".length))
        .filter((name) => existsSync(join(folder, `${name}.out`))),
    );
  return [...new Set(names)].sort();
}

/**
 * Reads the script and the kernel transcript of case `name`.
 *
 * @throws Error naming the missing file when either file is absent.
 */
export function readRecordedCase(name: string): RecordedCase {
  const folder = folderOf(name);
  const scriptPath = join(folder, `${name}.sh`);
  const transcriptPath = join(folder, `${name}.out`);
  for (const path of [scriptPath, transcriptPath]) {
    if (!existsSync(path)) throw new Error(`recorded kernel case "${name}": ${path} is missing`);
  }
  return {
    name,
    script: readFileSync(scriptPath, "utf8"),
    transcript: readFileSync(transcriptPath, "utf8"),
  };
}

/**
 * Skips the current test with `reason`, printed so that it shows in the test log; under
 * `CI=true` throws instead, because CI must run every kernel test.
 */
export function skipUnlessCI(skip: (note?: string) => never, reason: string): never {
  if (process.env.CI === "true") throw new Error(`${reason} (a skip is a failure under CI=true)`);
  console.warn(`skipped: ${reason}`);
  return skip(reason);
}

/**
 * Describes how a transcript differs from the recording: the agreement count, then the first
 * differing command with both normalised blocks, then the unified diff of the whole transcripts.
 */
export function describeMismatch(
  name: string,
  comparison: TranscriptComparison,
  actualLabel: string,
): string {
  const first = comparison.mismatches[0];
  const lines = [
    `${name}: ${comparison.agreeing}/${comparison.commands} commands agree ` +
      `(${comparison.mismatches.length} differ)`,
  ];
  if (first !== undefined) {
    const where = first.index < 0 ? "before the first command" : `at command ${first.index + 1}`;
    lines.push(
      `first difference ${where}: $ ${first.command}`,
      "----- kernel -----",
      first.expected === "" ? "(no such command)" : first.expected.trimEnd(),
      `----- ${actualLabel} -----`,
      first.actual === "" ? "(no such command)" : first.actual.trimEnd(),
      "----- diff of the whole transcripts -----",
    );
  }
  lines.push(comparison.diff);
  return lines.join("\n");
}
