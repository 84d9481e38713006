/**
 * A recursive-descent parser for the part of bash's grammar that scripts of networking commands
 * use (bash(1), "SHELL GRAMMAR", "QUOTING", "EXPANSION", "REDIRECTION"). It reads lists joined by
 * `;`, `&`, `&&` and `||`, pipelines, and simple commands with `NAME=value` assignments. It also
 * reads the redirections `<`, `>`, `>>`, `N>`, `N>&M`, `&>` and `&>>`, quoting, `$NAME`,
 * `${NAME}`, `$!`, `$?` and `$(...)`. Other valid bash (subshells, here-documents, backquotes,
 * arithmetic, other parameters) fails with `Unsupported`, and invalid input fails with bash's
 * syntax error, exit 2.
 */
import { HoptraceError, Unsupported } from "../errors.js";

/** A piece of a word before expansion. */
export type WordPart =
  | { kind: "text"; text: string; quoted: boolean }
  /** `$NAME`, `${NAME}`, `$!` or `$?`. */
  | { kind: "param"; name: string; quoted: boolean }
  /** `$(...)`. */
  | { kind: "command"; list: CommandList; quoted: boolean };

/** A shell word: its parts in order. */
export type Word = WordPart[];

/** The redirection operators, as bash(1) writes them. */
export type RedirectOp = "<" | ">" | ">>" | ">&" | "&>" | "&>>";

/** One redirection of a simple command. */
export interface Redirect {
  /** The file descriptor it changes; `&>` and `&>>` change 1 and 2, and carry fd 1 here. */
  fd: number;
  op: RedirectOp;
  target: Word;
}

/** A simple command: assignments, words and redirections in the order they were written. */
export interface SimpleCommand {
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

/** Commands joined by `|`, optionally timed by bash's `time` keyword. */
export interface Pipeline {
  commands: SimpleCommand[];
  /** Set when the pipeline starts with the `time` keyword; `posix` for `time -p`. */
  time?: "bash" | "posix";
}

/** Pipelines joined by `&&` and `||`. */
export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
}

/** A list: and-or lists, each ended by `;` (or nothing) or by `&` to run in the background. */
export interface CommandList {
  items: { andOr: AndOr; background: boolean }[];
}

type Token =
  | { kind: "word"; word: Word }
  | { kind: "op"; op: string }
  | { kind: "redirect"; fd: number | undefined; op: RedirectOp }
  | { kind: "end" };

/** Characters that end an unquoted word (bash(1), "DEFINITIONS": metacharacter). */
const METACHARACTERS = new Set([" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]);

/**
 * The parameters that `$` expands besides names: `$!` (the last background job's pid) and `$?`
 * (the last status). The others (`$$`, `$#`, `$@`, `$0`...) are not modelled.
 */
const SPECIAL_PARAMETERS = new Set(["!", "?"]);

/** Returns a syntax error in the two lines bash prints for `bash -c LINE`, exit status 2. */
function unexpectedToken(token: string, line: string): HoptraceError {
  const message =
    `bash: -c: line 1: syntax error near unexpected token \`${token}'\n` +
    `bash: -c: line 1: \`${line}'`;
  return new HoptraceError(message, 2, "usage");
}

/** Returns the error bash prints when the input ends after `|`, `&&` or `||`. */
function unexpectedEnd(): HoptraceError {
  return new HoptraceError("bash: -c: line 2: syntax error: unexpected end of file", 2, "usage");
}

function unclosed(quote: string): HoptraceError {
  const message = `bash: -c: line 1: unexpected EOF while looking for matching \`${quote}'`;
  return new HoptraceError(message, 2, "usage");
}

/** A lexer that the parser pulls tokens from one at a time, so `$(` can recurse into it. */
class Lexer {
  private index = 0;
  private peeked: Token | undefined;

  constructor(readonly source: string) {}

  peek(): Token {
    this.peeked ??= this.lex();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private lex(): Token {
    const src = this.source;
    while (this.index < src.length && (src[this.index] === " " || src[this.index] === "\t")) {
      this.index++;
    }
    if (this.index >= src.length) return { kind: "end" };
    const char = src[this.index]!;
    if (char === "#") {
      // A comment runs to the end of its line, and the newline still separates commands.
      const newline = src.indexOf("\n", this.index);
      this.index = newline < 0 ? src.length : newline;
      return this.lex();
    }
    if (char === "\n") {
      // A newline separates commands like `;` does (inside `bash -c` and `$(...)` scripts).
      this.index++;
      return { kind: "op", op: "\n" };
    }
    const ioNumber = /^(\d+)(?=[<>])/.exec(src.slice(this.index));
    if (ioNumber !== null) {
      this.index += ioNumber[1]!.length;
      const op = this.lexOperator();
      if (op.kind !== "redirect")
        throw new Unsupported(`shell redirection "${ioNumber[1]}${src[this.index - 1]}"`);
      return { ...op, fd: Number(ioNumber[1]) };
    }
    if (METACHARACTERS.has(char)) return this.lexOperator();
    return { kind: "word", word: this.lexWord() };
  }

  private lexOperator(): Token {
    const rest = this.source.slice(this.index);
    for (const unsupported of ["<<", "<(", ">(", "|&", ">|", "<>", "<&"]) {
      if (rest.startsWith(unsupported)) throw new Unsupported(`shell operator "${unsupported}"`);
    }
    for (const op of [
      "&>>",
      "&&",
      "||",
      ";;",
      "&>",
      ">>",
      ">&",
      ";",
      "&",
      "|",
      "<",
      ">",
      "(",
      ")",
    ]) {
      if (!rest.startsWith(op)) continue;
      this.index += op.length;
      if (op === "<" || op === ">" || op === ">>" || op === ">&" || op === "&>" || op === "&>>") {
        return { kind: "redirect", fd: undefined, op };
      }
      return { kind: "op", op };
    }
    throw new Error(`no operator at ${rest}`);
  }

  /** Reads one word, with its quotes and expansions, up to the next unquoted metacharacter. */
  private lexWord(): Word {
    const src = this.source;
    const parts: Word = [];
    const text = (value: string, quoted: boolean) => {
      const last = parts.at(-1);
      if (last?.kind === "text" && last.quoted === quoted) last.text += value;
      else parts.push({ kind: "text", text: value, quoted });
    };
    while (this.index < src.length && !METACHARACTERS.has(src[this.index]!)) {
      const char = src[this.index]!;
      if (char === "'") {
        const close = src.indexOf("'", this.index + 1);
        if (close < 0) throw unclosed("'");
        text(src.slice(this.index + 1, close), true);
        this.index = close + 1;
      } else if (char === '"') {
        this.index++;
        this.lexDoubleQuoted(parts, text);
      } else if (char === "\\") {
        // A backslash keeps the next character literal; at the very end it stays itself.
        text(src[this.index + 1] ?? "\\", true);
        this.index += 2;
      } else if (char === "$") {
        this.lexDollar(parts, text, false);
      } else if (char === "`") {
        throw new Unsupported("backquote command substitution");
      } else {
        // `a{1,2}` and `{1..3}` expand to several words in bash. Taken as text they would be
        // silently wrong.
        if (char === "{" && BRACE_EXPANSION.test(src.slice(this.index))) {
          throw new Unsupported(
            `shell brace expansion ${BRACE_EXPANSION.exec(src.slice(this.index))![0]}`,
          );
        }
        text(char, false);
        this.index++;
      }
    }
    return parts;
  }

  private lexDoubleQuoted(parts: Word, text: (value: string, quoted: boolean) => void): void {
    const src = this.source;
    // An empty pair of quotes still makes a word ("" is one empty argument).
    text("", true);
    for (;;) {
      if (this.index >= src.length) throw unclosed('"');
      const char = src[this.index]!;
      if (char === '"') {
        this.index++;
        return;
      }
      if (char === "\\" && '$`"\\\n'.includes(src[this.index + 1] ?? "")) {
        text(src[this.index + 1]!, true);
        this.index += 2;
      } else if (char === "$") {
        this.lexDollar(parts, text, true);
      } else if (char === "`") {
        throw new Unsupported("backquote command substitution");
      } else {
        text(char, true);
        this.index++;
      }
    }
  }

  /** Reads an expansion that starts with `$` at the current index. */
  private lexDollar(
    parts: Word,
    text: (value: string, quoted: boolean) => void,
    quoted: boolean,
  ): void {
    const src = this.source;
    const after = src[this.index + 1] ?? "";
    if (src.startsWith("$((", this.index)) throw new Unsupported("shell arithmetic $((...))");
    if (!quoted && (after === "'" || after === '"')) {
      throw new Unsupported(after === "'" ? "ANSI-C quoting $'...'" : 'locale quoting $"..."');
    }
    if (after === "(") {
      this.index += 2;
      const list = parseListUntil(this, ")");
      const close = this.next();
      if (close.kind !== "op" || close.op !== ")") throw unclosed("(");
      parts.push({ kind: "command", list, quoted });
      return;
    }
    if (after === "{") {
      const match = /^\$\{([A-Za-z_][A-Za-z0-9_]*|[!?])\}/.exec(src.slice(this.index));
      if (match === null) {
        if (src.indexOf("}", this.index) < 0) throw unclosed("}");
        throw new Unsupported(
          `shell parameter expansion ${src.slice(this.index, src.indexOf("}", this.index) + 1)}`,
        );
      }
      parts.push({ kind: "param", name: match[1]!, quoted });
      this.index += match[0].length;
      return;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(this.index + 1));
    if (name !== null) {
      parts.push({ kind: "param", name: name[0], quoted });
      this.index += 1 + name[0].length;
      return;
    }
    if (SPECIAL_PARAMETERS.has(after)) {
      parts.push({ kind: "param", name: after, quoted });
      this.index += 2;
      return;
    }
    if (/^[0-9$#@*\-]$/.test(after)) throw new Unsupported(`shell parameter $${after}`);
    // A `$` that starts no expansion is an ordinary character.
    text("$", quoted);
    this.index++;
  }
}

/** A brace expansion at the start of the text: a list `{a,b}` or a sequence `{1..3}`. */
const BRACE_EXPANSION = /^\{[^\s{}'"`$;&|<>()]*(?:,|\.\.)[^\s{}'"`;&|<>()]*\}/;

/** Returns the text of a token as bash names it in a syntax error. */
function tokenText(token: Token): string {
  if (token.kind === "end") return "newline";
  if (token.kind === "op") return token.op;
  if (token.kind === "redirect") return token.op;
  return "word";
}

function isStop(token: Token, stop: string | undefined): boolean {
  return token.kind === "end" || (stop !== undefined && token.kind === "op" && token.op === stop);
}

function parseListUntil(lexer: Lexer, stop: string | undefined): CommandList {
  const items: CommandList["items"] = [];
  for (;;) {
    const token = lexer.peek();
    if (isStop(token, stop)) break;
    // An empty line is no command.
    if (token.kind === "op" && token.op === "\n") {
      lexer.next();
      continue;
    }
    const andOr = parseAndOr(lexer, stop);
    const separator = lexer.peek();
    if (separator.kind === "op" && [";", "\n", "&"].includes(separator.op)) {
      lexer.next();
      items.push({ andOr, background: separator.op === "&" });
      continue;
    }
    items.push({ andOr, background: false });
    if (isStop(separator, stop)) break;
    throw unexpectedToken(tokenText(separator), lexer.source);
  }
  return { items };
}

function parseAndOr(lexer: Lexer, stop: string | undefined): AndOr {
  const first = parsePipeline(lexer, stop);
  const rest: AndOr["rest"] = [];
  for (;;) {
    const token = lexer.peek();
    if (token.kind !== "op" || (token.op !== "&&" && token.op !== "||")) break;
    lexer.next();
    if (lexer.peek().kind === "end") throw unexpectedEnd();
    rest.push({ op: token.op, pipeline: parsePipeline(lexer, stop) });
  }
  return { first, rest };
}

function parsePipeline(lexer: Lexer, stop: string | undefined): Pipeline {
  const commands = [parseSimple(lexer, stop)];
  let time: Pipeline["time"];
  const name = commands[0]!.words[0];
  if (commands[0]!.assignments.length === 0 && name !== undefined && isLiteral(name, "time")) {
    const option = commands[0]!.words[1];
    time = option !== undefined && isLiteral(option, "-p") ? "posix" : "bash";
    commands[0]!.words.splice(0, time === "posix" ? 2 : 1);
  }
  for (;;) {
    const token = lexer.peek();
    if (token.kind !== "op" || token.op !== "|") break;
    lexer.next();
    if (lexer.peek().kind === "end") throw unexpectedEnd();
    commands.push(parseSimple(lexer, stop));
  }
  return time === undefined ? { commands } : { commands, time };
}

function isLiteral(word: Word, text: string): boolean {
  return (
    word.length === 1 && word[0]!.kind === "text" && !word[0]!.quoted && word[0]!.text === text
  );
}

function parseSimple(lexer: Lexer, stop: string | undefined): SimpleCommand {
  const command: SimpleCommand = { assignments: [], words: [], redirects: [] };
  for (;;) {
    const token = lexer.peek();
    if (token.kind === "word") {
      lexer.next();
      const assignment = command.words.length === 0 ? asAssignment(token.word) : undefined;
      if (assignment !== undefined) command.assignments.push(assignment);
      else command.words.push(token.word);
      continue;
    }
    if (token.kind === "redirect") {
      lexer.next();
      const target = lexer.next();
      if (target.kind !== "word") throw unexpectedToken(tokenText(target), lexer.source);
      command.redirects.push({
        fd: token.fd ?? (token.op === "<" ? 0 : 1),
        op: token.op,
        target: target.word,
      });
      continue;
    }
    break;
  }
  const empty =
    command.words.length === 0 &&
    command.assignments.length === 0 &&
    command.redirects.length === 0;
  const token = lexer.peek();
  if (token.kind === "op" && token.op === "(") {
    throw new Unsupported(empty ? "subshells ( ... )" : "shell functions");
  }
  if (empty && !isStop(token, stop)) throw unexpectedToken(tokenText(token), lexer.source);
  if (empty && token.kind === "op" && token.op === ")") throw unexpectedToken(")", lexer.source);
  return command;
}

/** Splits `NAME=value` off a word that starts with an unquoted valid name and `=`. */
function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word[0];
  if (first?.kind !== "text" || first.quoted) return undefined;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (match === null) return undefined;
  const rest = first.text.slice(match[0].length);
  const value: Word = rest === "" ? [] : [{ kind: "text", text: rest, quoted: false }];
  return { name: match[1]!, value: [...value, ...word.slice(1)] };
}

/**
 * Parses one script line (or the script of `bash -c`).
 *
 * @throws HoptraceError with bash's syntax error text and exit status 2.
 * @throws Unsupported for valid bash that hoptrace does not model.
 */
export function parseCommandLine(line: string): CommandList {
  const lexer = new Lexer(line);
  const list = parseListUntil(lexer, undefined);
  const token = lexer.peek();
  if (token.kind !== "end") throw unexpectedToken(tokenText(token), line);
  return list;
}
