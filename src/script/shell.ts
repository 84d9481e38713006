/**
 * The slice of shell syntax a script line may use: words with quoting and escapes, comments,
 * and lists joined by `;`, `&&` and `||` (bash(1), "Lists"). Tokenising is done by the
 * shell-quote package; pipes, redirections, background jobs, subshells, globs and variables
 * are valid bash that hoptrace does not model yet, so they fail with `Unsupported`.
 */
import { parse } from "shell-quote";
import { HoptraceError, Unsupported } from "../errors.js";

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
    while (/(^|[^\\])(\\\\)*\\$/.test(text) && i + 1 < raw.length) {
      text = text.slice(0, -1) + raw[++i]!.replace(/\r$/, "");
    }
    if (text.replaceAll(" ", "") === "" || /^\s*#/.test(text)) continue;
    lines.push({ text, lineNumber: start + 1 });
  }
  return lines;
}

/** How a command of a list joins the one before it. */
export type Connector = ";" | "&&" | "||";

/** One simple command of a list. */
export interface ListItem {
  connector: Connector;
  argv: string[];
}

/**
 * Splits one line into its simple commands and the connectors between them.
 *
 * @throws HoptraceError with bash's syntax error (exit 2) when a quote is left open, because
 * shell-quote would accept the line.
 */
export function parseList(line: string): ListItem[] {
  const open = unclosedQuote(line);
  if (open !== undefined) {
    const message = `bash: -c: line 1: unexpected EOF while looking for matching \`${open}'`;
    throw new HoptraceError(message, 2, "usage");
  }
  const tokens = parse(line, (name: string) => {
    throw new Unsupported(`shell variables ($${name})`);
  });
  const items: ListItem[] = [];
  let current: ListItem = { connector: ";", argv: [] };
  for (const token of tokens) {
    if (typeof token === "string") {
      current.argv.push(token);
      continue;
    }
    if ("comment" in token) break;
    if ("op" in token && (token.op === ";" || token.op === "&&" || token.op === "||")) {
      items.push(current);
      current = { connector: token.op, argv: [] };
      continue;
    }
    if ("op" in token && token.op === "glob") {
      current.argv.push((token as { pattern: string }).pattern);
      continue;
    }
    const op = "op" in token ? token.op : "?";
    throw new Unsupported(`shell operator "${op}"`);
  }
  items.push(current);
  return items.filter((item, index) => item.argv.length > 0 || index === 0);
}

/**
 * Returns the quote character a line leaves open, if any. Backslash escapes the next character
 * outside single quotes, and `#` at the start of a word begins a comment.
 */
function unclosedQuote(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
    } else if (char === "\\") {
      i++;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "#" && (i === 0 || /[\s;&|()<>]/.test(line[i - 1]!))) {
      break;
    }
  }
  return quote;
}

/** The shell variables a script has set with plain `NAME=value` words, by name. */
export type ShellVariables = Record<string, string>;

/** The format bash's `time` keyword uses while `TIMEFORMAT` is unset (bash(1), "TIMEFORMAT"). */
export const DEFAULT_TIMEFORMAT = "\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS";

/** The format of `time -p`, fixed by POSIX: seconds with two decimals. */
export const POSIX_TIMEFORMAT = "real %2R\nuser %2U\nsys %2S";

/**
 * Splits the leading `NAME=value` words off a simple command, as bash does before it looks for
 * the command name. Returns the assignments and the remaining words.
 */
export function splitAssignments(argv: string[]): {
  assignments: [string, string][];
  rest: string[];
} {
  const assignments: [string, string][] = [];
  let index = 0;
  for (; index < argv.length; index++) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(argv[index]!);
    if (match === null) break;
    assignments.push([match[1]!, match[2]!]);
  }
  return { assignments, rest: argv.slice(index) };
}

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
