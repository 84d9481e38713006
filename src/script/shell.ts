/**
 * Script lines, the plain-command view of a line that host replays use, and the report of bash's
 * `time` keyword. The grammar itself is in shell-syntax.ts and its execution in shell-exec.ts.
 */
import { Unsupported } from "../errors.js";
import type { Word } from "./shell-syntax.js";
import { parseCommandLine } from "./shell-syntax.js";

/** One logical line of a script, with backslash continuations joined. */
export interface ScriptLine {
  /** The line as the transcript echoes it. */
  text: string;
  /** 1-based number of the script line it starts on. */
  lineNumber: number;
}

/**
 * Splits a script into the lines a root shell would run one by one: a line ending in a
 * backslash continues on the next, and blank and comment-only lines are skipped (the transcript
 * does not echo them).
 */
export function scriptLines(script: string): ScriptLine[] {
  // A UTF-8 byte-order mark, as some editors write, is no part of the first command.
  const raw = script.replace(/^\uFEFF/, "").split("\n");
  const lines: ScriptLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let text = raw[i]!.replace(/\r$/, "");
    while (continuesOnNextLine(text) && i + 1 < raw.length) {
      text = text.slice(0, -1) + raw[++i]!.replace(/\r$/, "");
    }
    if (text.replaceAll(" ", "") === "" || /^\s*#/.test(text)) continue;
    lines.push({ text, lineNumber: start + 1 });
  }
  return lines;
}

/** Reports whether `line` ends with an unescaped backslash, which joins the next line to it. */
export function continuesOnNextLine(line: string): boolean {
  return /(^|[^\\])(\\\\)*\\$/.test(line);
}

/** How a command of a list joins the one before it. */
export type Connector = ";" | "&&" | "||";

/** One simple command of a list. */
export interface ListItem {
  connector: Connector;
  argv: string[];
}

/**
 * Splits one line of plain commands into its simple commands and the connectors between them,
 * for callers that replay a line elsewhere (a real host) and accept only words, `;`, `&&` and
 * `||`.
 *
 * @throws HoptraceError with bash's syntax error (exit 2) for invalid input.
 * @throws Unsupported for pipes, redirections, background jobs and expansions.
 */
export function parseList(line: string): ListItem[] {
  const items: ListItem[] = [];
  for (const item of parseCommandLine(line).items) {
    if (item.background) throw new Unsupported('shell operator "&"');
    const pipelines = [{ op: ";" as Connector, pipeline: item.andOr.first }, ...item.andOr.rest];
    for (const { op, pipeline } of pipelines) {
      if (pipeline.commands.length > 1) throw new Unsupported('shell operator "|"');
      const command = pipeline.commands[0]!;
      if (command.redirects.length > 0) throw new Unsupported("shell redirections");
      const assignments = command.assignments.map(
        ({ name, value }) => `${name}=${plainWord(value)}`,
      );
      const words = command.words.map(plainWord);
      const time: string[] = [];
      if (pipeline.time !== undefined) time.push("time");
      if (pipeline.time === "posix") time.push("-p");
      items.push({ connector: op, argv: [...time, ...assignments, ...words] });
    }
  }
  return items.length === 0 ? [{ connector: ";", argv: [] }] : items;
}

/** Returns the text of a word that has no expansions. */
function plainWord(word: Word): string {
  return word
    .map((part) => {
      if (part.kind !== "text") throw new Unsupported("shell expansions ($...)");
      return part.text;
    })
    .join("");
}

/** The format bash's `time` keyword uses while `TIMEFORMAT` is unset (bash(1), "TIMEFORMAT"). */
export const DEFAULT_TIMEFORMAT = "\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS";

/** The format of `time -p`, fixed by POSIX: seconds with two decimals. */
export const POSIX_TIMEFORMAT = "real %2R\nuser %2U\nsys %2S";

/**
 * Formats the report of bash's `time` keyword for a command that took `realMs` milliseconds of
 * wall-clock time and no CPU time, as bash expands `TIMEFORMAT`: `%[p][l]R`, `U` and `S` print
 * real, user and system seconds with `p` decimals (default 3, at most 3; bash truncates, it does
 * not round), `l` selects the `MmS.FFFs` form, `%P` is the CPU share and `%%` a percent sign.
 * Returns the lines to print; an empty format prints nothing.
 */
export function formatTimeReport(format: string, realMs: number): string[] {
  if (format === "") return [];
  const text = format.replace(/%(%|P|([0-3]?)(l?)([RUS]))/g, (...groups: string[]) => {
    const [, whole, digits, long, which] = groups;
    if (whole === "%") return "%";
    // Virtual time spends no CPU, so the CPU share is always zero.
    if (whole === "P") return "0.00";
    const ms = which === "R" ? realMs : 0;
    return formatSeconds(ms, digits === "" ? 3 : Number(digits), long === "l");
  });
  return text.split("\n");
}

function formatSeconds(ms: number, precision: number, isLong: boolean): string {
  const fraction =
    precision === 0
      ? ""
      : `.${String(ms % 1000)
          .padStart(3, "0")
          .slice(0, precision)}`;
  if (!isLong) return `${Math.floor(ms / 1000)}${fraction}`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes}m${seconds}${fraction}s`;
}
