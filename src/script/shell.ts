/**
 * The slice of shell syntax a script line may use: words with quoting and escapes, comments,
 * and lists joined by `;`, `&&` and `||` (bash(1), "Lists"). Tokenising is done by the
 * shell-quote package; pipes, redirections, background jobs, subshells, globs and variables
 * are valid bash that hoptrace does not model yet, so they fail with `Unsupported`.
 */
import { parse } from "shell-quote";
import { Unsupported } from "../errors.js";

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
  const raw = script.split("\n");
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

/** Splits one line into its simple commands and the connectors between them. */
export function parseList(line: string): ListItem[] {
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
