/**
 * Compares two transcripts of the same script command by command, after normalisation.
 *
 * Source of truth: the transcript grammar in `transcript.ts` (a block per `$ ` line) and the
 * volatile fields masked by `normalize.ts`. Typically the expected side is the real kernel and
 * the actual side is hoptrace.
 *
 * Pure: no Node APIs.
 */
import { unifiedDiff } from "./line-diff.js";
import { normalizeTranscript } from "./normalize.js";
import { type TranscriptBlock, splitTranscript } from "./transcript.js";

/** One command whose normalised blocks differ. */
export interface CommandMismatch {
  /** Position of the command in the transcript, counted from 0. */
  readonly index: number;
  /** The command as the expected side echoed it, or the actual side's when expected has none. */
  readonly command: string;
  /** The normalised expected block, `$ ` line included, or `""` when that side has no block. */
  readonly expected: string;
  /** The normalised actual block, `$ ` line included, or `""` when that side has no block. */
  readonly actual: string;
}

/** The outcome of comparing two transcripts. */
export interface TranscriptComparison {
  /** Whether the normalised transcripts are identical. */
  readonly agree: boolean;
  /** Unified diff of the normalised transcripts, `""` when they agree. */
  readonly diff: string;
  /** Number of commands on the expected side. */
  readonly commands: number;
  /** Number of commands whose normalised blocks are identical on both sides, at the same place. */
  readonly agreeing: number;
  /** The commands that differ, in transcript order. */
  readonly mismatches: readonly CommandMismatch[];
}

/** Labels for the two sides in the diff. */
export interface CompareLabels {
  /** Label of the expected side; `kernel` unless given. */
  readonly expected?: string;
  /** Label of the actual side; `hoptrace` unless given. */
  readonly actual?: string;
}

/**
 * Compares `expected` with `actual` after {@link normalizeTranscript}, block by block.
 *
 * Blocks are paired by position, so a missing or extra command shifts every later pair and makes
 * them count as mismatches. The first mismatch is still the place where the two transcripts
 * part. Text
 * before the first `$ ` line is compared as a block of its own, but is not counted as a command.
 */
export function compareTranscripts(
  expected: string,
  actual: string,
  labels: CompareLabels = {},
): TranscriptComparison {
  const normalizedExpected = normalizeTranscript(expected);
  const normalizedActual = normalizeTranscript(actual);
  const expectedBlocks = splitTranscript(normalizedExpected);
  const actualBlocks = splitTranscript(normalizedActual);
  const { mismatches, agreeing } = pairBlocks(expectedBlocks, actualBlocks);
  const commands = expectedBlocks.filter((block) => block.command !== null).length;
  const agree = normalizedExpected === normalizedActual;

  return {
    agree,
    diff: unifiedDiff(normalizedExpected, normalizedActual, {
      expectedLabel: labels.expected ?? "kernel",
      actualLabel: labels.actual ?? "hoptrace",
    }),
    commands,
    agreeing,
    mismatches,
  };
}

/**
 * Pairs the blocks of both sides by command position, and returns the pairs that differ and the
 * number of expected commands that match. A difference in the text before the first command gets
 * index -1.
 */
function pairBlocks(
  expected: readonly TranscriptBlock[],
  actual: readonly TranscriptBlock[],
): { mismatches: CommandMismatch[]; agreeing: number } {
  const mismatches: CommandMismatch[] = [];
  const preambleExpected = expected[0]?.command === null ? (expected[0]?.text ?? "") : "";
  const preambleActual = actual[0]?.command === null ? (actual[0]?.text ?? "") : "";
  if (preambleExpected !== preambleActual) {
    mismatches.push({ index: -1, command: "", expected: preambleExpected, actual: preambleActual });
  }

  const commandsExpected = expected.filter((block) => block.command !== null);
  const commandsActual = actual.filter((block) => block.command !== null);
  const count = Math.max(commandsExpected.length, commandsActual.length);
  let agreeing = 0;
  for (let index = 0; index < count; index++) {
    const left = commandsExpected[index];
    const right = commandsActual[index];
    if (left?.text === right?.text) {
      agreeing++;
      continue;
    }
    mismatches.push({
      index,
      command: left?.command ?? right?.command ?? "",
      expected: left?.text ?? "",
      actual: right?.text ?? "",
    });
  }
  return { mismatches, agreeing };
}
