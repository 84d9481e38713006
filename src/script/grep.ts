/**
 * GNU grep 3.8 (Debian 12) for the lines that tutorials pipe into it: `ip addr | grep inet`,
 * `iptables-save | grep -v '^#'`, `conntrack -L | grep -c 8080`.
 *
 * Patterns are POSIX basic (the default), extended (`-E`) or fixed strings (`-F`), translated to
 * JavaScript regular expressions. A construct whose translation could differ from GNU's
 * matcher fails loudly as not supported: back-references, equivalence classes, a malformed
 * pattern (whose error message the model does not know) and patterns JavaScript cannot compile.
 * Messages and exit statuses (0 a line selected, 1 none, 2 an error) were recorded with
 * grep 3.8.
 */
import { HoptraceError, Unsupported } from "../errors.js";
import { isProcPath, readProcFile } from "../proc/procfs.js";
import { isDirectory, readFile } from "../proc/vfs.js";
import type { Tool, ToolContext } from "../tools/context.js";
import { errLines } from "../tools/context.js";

/** The parsed command line. */
interface GrepOptions {
  patterns: string[];
  files: string[];
  syntax: "basic" | "extended" | "fixed";
  isInverted: boolean;
  isIgnoreCase: boolean;
  isCount: boolean;
  isLineNumber: boolean;
  isWord: boolean;
  isWholeLine: boolean;
  isQuiet: boolean;
  isOnlyMatching: boolean;
  isNoMessages: boolean;
  /** `-H` (true) or `-h` (false); absent means a prefix only with more than one file. */
  withFileName?: boolean;
}

/** Short options without a value, by letter: the field they set and to what. */
const FLAGS: Record<string, (options: GrepOptions) => void> = {
  v: (options) => (options.isInverted = true),
  i: (options) => (options.isIgnoreCase = true),
  c: (options) => (options.isCount = true),
  n: (options) => (options.isLineNumber = true),
  w: (options) => (options.isWord = true),
  x: (options) => (options.isWholeLine = true),
  q: (options) => (options.isQuiet = true),
  o: (options) => (options.isOnlyMatching = true),
  s: (options) => (options.isNoMessages = true),
  E: (options) => (options.syntax = "extended"),
  F: (options) => (options.syntax = "fixed"),
  G: (options) => (options.syntax = "basic"),
  H: (options) => (options.withFileName = true),
  h: (options) => (options.withFileName = false),
};

/** Long options without a value, as the letter they stand for. */
const LONG_FLAGS: Record<string, string> = {
  "invert-match": "v",
  "ignore-case": "i",
  count: "c",
  "line-number": "n",
  "word-regexp": "w",
  "line-regexp": "x",
  quiet: "q",
  silent: "q",
  "only-matching": "o",
  "no-messages": "s",
  "extended-regexp": "E",
  "fixed-strings": "F",
  "basic-regexp": "G",
  "with-filename": "H",
  "no-filename": "h",
};

const USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";

/** Runs `grep ARGS`. */
export const grep: Tool = (ctx, args) => {
  const options = parseOptions(args);
  const matcher = compile(options);
  const files = options.files.length === 0 ? ["-"] : options.files;
  const isPrefixed = options.withFileName ?? files.length > 1;
  let isSelected = false;
  let isFailed = false;
  for (const file of files) {
    const text = readInput(ctx, file, options);
    if (text === undefined) {
      isFailed = true;
      continue;
    }
    const name = file === "-" ? "(standard input)" : file;
    const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
    let count = 0;
    lines.forEach((line, index) => {
      if (matcher.test(line) === options.isInverted) return;
      count++;
      if (options.isQuiet || options.isCount) return;
      const prefix = `${isPrefixed ? `${name}:` : ""}${options.isLineNumber ? `${index + 1}:` : ""}`;
      if (!options.isOnlyMatching) ctx.out.push(prefix + line);
      else if (!options.isInverted) {
        for (const part of matcher.parts(line)) ctx.out.push(prefix + part);
      }
    });
    if (options.isCount && !options.isQuiet)
      ctx.out.push(`${isPrefixed ? `${name}:` : ""}${count}`);
    if (count > 0) isSelected = true;
  }
  // -q exits 0 on a selected line even after an error.
  if (isSelected && (options.isQuiet || !isFailed)) return 0;
  return isFailed ? 2 : 1;
};

/** Parses options as GNU getopt does: options may follow operands, until `--`. */
function parseOptions(args: string[]): GrepOptions {
  const options: GrepOptions = {
    patterns: [],
    files: [],
    syntax: "basic",
    isInverted: false,
    isIgnoreCase: false,
    isCount: false,
    isLineNumber: false,
    isWord: false,
    isWholeLine: false,
    isQuiet: false,
    isOnlyMatching: false,
    isNoMessages: false,
  };
  const operands: string[] = [];
  let hasPatternOption = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const letter = LONG_FLAGS[arg.slice(2)];
      if (letter === undefined) throw new Unsupported(`grep option ${arg}`);
      FLAGS[letter]!(options);
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let position = 1; position < arg.length; position++) {
      const letter = arg[position]!;
      if (letter === "e") {
        const value = arg.slice(position + 1) || args[++index];
        if (value === undefined) {
          throw new HoptraceError(`grep: option requires an argument -- 'e'\n${USAGE}`, 2, "usage");
        }
        options.patterns.push(value);
        hasPatternOption = true;
        break;
      }
      const flag = FLAGS[letter];
      if (flag === undefined) throw new Unsupported(`grep -${letter}`);
      flag(options);
    }
  }
  if (!hasPatternOption) {
    const pattern = operands.shift();
    if (pattern === undefined) throw new HoptraceError(USAGE, 2, "usage");
    options.patterns.push(pattern);
  }
  options.files = operands;
  return options;
}

/** Reads FILE (`-` is stdin), printing grep's message and returning undefined on an error. */
function readInput(ctx: ToolContext, file: string, options: GrepOptions): string | undefined {
  if (file === "-") {
    if (ctx.stdin === undefined) throw new Unsupported("grep reading the terminal");
    return ctx.stdin;
  }
  if (!file.startsWith("/")) throw new Unsupported(`relative paths (${file})`);
  if (isProcPath(file)) {
    const text = readProcFile(ctx.state, ctx.nsId, file);
    if (text !== undefined) return text;
  } else if (isDirectory(ctx.state, file)) {
    if (!options.isNoMessages) errLines(ctx).push(`grep: ${file}: Is a directory`);
    return undefined;
  } else {
    const text = readFile(ctx.state, file);
    if (text !== undefined) return text;
  }
  if (!options.isNoMessages) errLines(ctx).push(`grep: ${file}: No such file or directory`);
  return undefined;
}

/** A compiled set of patterns: whether a line matches, and the matched parts for `-o`. */
interface Matcher {
  test(line: string): boolean;
  parts(line: string): string[];
}

function compile(options: GrepOptions): Matcher {
  for (const pattern of options.patterns) {
    if (pattern.includes("\n")) throw new Unsupported("grep patterns separated by newlines");
  }
  const sources = options.patterns.map((pattern) => {
    if (options.syntax === "fixed") return escapeLiteral(pattern);
    return translate(pattern, options.syntax === "extended");
  });
  let source = sources.map((translated) => `(?:${translated})`).join("|");
  // GNU's -w also tries later matches when the first one is not a whole word, as the lookarounds
  // do here: a match must not touch a word character (letter, digit or underscore).
  if (options.isWord) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  if (options.isWholeLine) source = `^(?:${source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, options.isIgnoreCase ? "gi" : "g");
  } catch {
    throw new Unsupported(`grep pattern ${options.patterns.join(" ")}`);
  }
  return {
    test: (line) => {
      regex.lastIndex = 0;
      return regex.test(line);
    },
    parts: (line) => {
      regex.lastIndex = 0;
      return [...line.matchAll(regex)].map((found) => found[0]).filter((part) => part !== "");
    },
  };
}

/** Characters that a JavaScript regular expression treats as operators. */
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function escapeLiteral(text: string): string {
  return text.replace(JS_SPECIAL, "\\$&");
}

/** The POSIX character classes and their JavaScript equivalents in the C locale. */
const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
};

/**
 * Translates a POSIX basic or extended regular expression (with GNU's `\|`, `\+`, `\?`,
 * `\w`, `\W`, `\s`, `\S`, `\b`, `\B`, `\<` and `\>`) to JavaScript. In a basic one, `+ ? | ( ) { }` are
 * literal and their backslashed forms are operators; `*` at the start and `^` or `$` away from
 * the ends are literal.
 */
function translate(pattern: string, isExtended: boolean): string {
  let out = "";
  let index = 0;
  // Whether the next character starts an expression (the pattern, a group or an alternative),
  // where `*` is literal and a basic `^` is an anchor.
  let isExpressionStart = true;
  while (index < pattern.length) {
    const char = pattern[index]!;
    // GNU reads `{,N}` as {0,N}, which JavaScript reads as literal text.
    const isOpenBrace = isExtended ? char === "{" : char === "\\" && pattern[index + 1] === "{";
    if (isOpenBrace && pattern[index + (isExtended ? 1 : 2)] === ",") {
      throw new Unsupported(`grep interval without a minimum in ${pattern}`);
    }
    const wasExpressionStart = isExpressionStart;
    isExpressionStart = false;
    if (char === "\\") {
      const next = pattern[index + 1];
      if (next === undefined) throw new Unsupported("grep pattern ending in a backslash");
      index += 2;
      if (".*[]^$\\/".includes(next)) out += `\\${next}`;
      else if ("+?|(){}".includes(next)) {
        out += isExtended ? `\\${next}` : next;
        isExpressionStart = !isExtended && (next === "(" || next === "|");
      } else if ("wWsSbB".includes(next)) out += `\\${next}`;
      else if (next === "<") out += "\\b(?=\\w)";
      else if (next === ">") out += "\\b(?<=\\w)";
      else if (/[0-9]/.test(next)) throw new Unsupported(`grep back-reference \\${next}`);
      // grep 3.8 reads any other escaped character as itself, without a warning.
      else out += escapeLiteral(next);
      continue;
    }
    if (char === "[") {
      const [bracket, end] = translateBracket(pattern, index);
      out += bracket;
      index = end;
      continue;
    }
    index++;
    if (char === "*" && wasExpressionStart) out += "\\*";
    else if (char === "^" && !isExtended) {
      // Only the first `^` of an expression is an anchor; a `*` after it is still literal.
      const isAnchor = wasExpressionStart && !out.endsWith("^");
      out += isAnchor ? "^" : "\\^";
      isExpressionStart = isAnchor;
    } else if (char === "$" && !isExtended && !isAtEnd(pattern, index)) out += "\\$";
    else if ("+?|(){}".includes(char) && !isExtended) out += `\\${char}`;
    else {
      out += char === "/" ? "\\/" : char;
      isExpressionStart = isExtended && (char === "(" || char === "|" || char === "^");
    }
  }
  return out;
}

/** Reports whether a basic expression's `$` just before `index` ends the pattern or a group. */
function isAtEnd(pattern: string, index: number): boolean {
  const rest = pattern.slice(index);
  return rest === "" || rest.startsWith("\\)") || rest.startsWith("\\|");
}

/** Translates the bracket expression at `start`; returns it and the index after its `]`. */
function translateBracket(pattern: string, start: number): [string, number] {
  let index = start + 1;
  let out = "[";
  if (pattern[index] === "^") {
    out += "^";
    index++;
  }
  // A `]` first in the list is a member, not the end.
  if (pattern[index] === "]") {
    out += "\\]";
    index++;
  }
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === "]") return [`${out}]`, index + 1];
    if (char === "[" && pattern[index + 1] === ":") {
      const close = pattern.indexOf(":]", index + 2);
      const name = close < 0 ? undefined : pattern.slice(index + 2, close);
      const members = name === undefined ? undefined : CLASSES[name];
      if (members === undefined) throw new Unsupported(`grep bracket expression in ${pattern}`);
      out += members;
      index = close + 2;
      continue;
    }
    if (char === "[" && (pattern[index + 1] === "=" || pattern[index + 1] === ".")) {
      throw new Unsupported(`grep bracket expression in ${pattern}`);
    }
    // A backslash is a plain member inside brackets.
    out += char === "\\" || char === "]" || char === "[" ? `\\${char}` : char;
    index++;
  }
  throw new Unsupported(`grep pattern with an unmatched [ (${pattern})`);
}
