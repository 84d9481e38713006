/**
 * Transcript grammar shared by the kernel recordings and by hoptrace.
 *
 * A transcript lists each command of a script as `$ CMD`, then everything the command printed
 * (stdout and stderr interleaved, byte for byte), then `[exit N]` when N is not 0. Comment and
 * blank lines of the script are not echoed. This is the format in which the real-kernel cases
 * were recorded, so hoptrace's own transcripts use it too.
 */

/** One executed command: the script line, what it printed, and how it ended. */
export interface CommandRecord {
  /** The script line exactly as written, without the `$ ` prefix. */
  readonly command: string;
  /** Everything the command printed, stdout and stderr interleaved in arrival order. */
  readonly output: string;
  /** The exit status, or `null` when the command was still running when the run was stopped. */
  readonly exitCode: number | null;
}

/** A slice of a transcript that starts at one `$ ` line and runs up to the next. */
export interface TranscriptBlock {
  /** The command after `$ `, or `null` for text that precedes the first command line. */
  readonly command: string | null;
  /** The whole slice, including its `$ ` line and, when present, its `[exit N]` line. */
  readonly text: string;
}

/**
 * Formats one command as transcript text: `$ CMD`, the output, and `[exit N]` when N is not 0.
 *
 * The exit line follows the output directly, so output without a final newline shares its line
 * with `[exit N]`, as it does when a shell prints the two in turn.
 */
export function formatRecord(record: CommandRecord): string {
  const exitLine =
    record.exitCode === null || record.exitCode === 0 ? "" : `[exit ${record.exitCode}]\n`;
  return `$ ${record.command}\n${record.output}${exitLine}`;
}

/** Formats a whole run as transcript text, one {@link formatRecord} block after another. */
export function formatTranscript(records: readonly CommandRecord[]): string {
  return records.map(formatRecord).join("");
}

/**
 * Splits a transcript into per-command blocks at every line that starts with `$ `.
 *
 * Text before the first such line becomes a block whose command is `null`; an empty transcript
 * gives no blocks. A command whose output itself contains a line starting with `$ ` is split
 * there too, because the text alone cannot tell the two apart.
 */
export function splitTranscript(text: string): TranscriptBlock[] {
  const blocks: TranscriptBlock[] = [];
  const starts: number[] = [];

  for (let at = 0; at < text.length;) {
    if (text.startsWith("$ ", at)) starts.push(at);
    const newline = text.indexOf("\n", at);
    if (newline === -1) break;
    at = newline + 1;
  }

  if (starts.length === 0 || starts[0] !== 0) {
    const end = starts[0] ?? text.length;
    if (end > 0) blocks.push({ command: null, text: text.slice(0, end) });
  }
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const slice = text.slice(start, end);
    const newline = slice.indexOf("\n");
    const command = newline === -1 ? slice.slice(2) : slice.slice(2, newline);
    blocks.push({ command, text: slice });
  });
  return blocks;
}

/**
 * Returns the lines of a script that a transcript echoes: every line except blank ones and
 * comments.
 *
 * Blank means empty or spaces only, and a comment starts with `#` after optional whitespace, as
 * the recording driver decides. A line holding only tabs is therefore run as a command.
 */
export function scriptCommands(script: string): string[] {
  const lines = script.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.filter((line) => line.replaceAll(" ", "") !== "" && !/^[ \t\n\v\f\r]*#/.test(line));
}
