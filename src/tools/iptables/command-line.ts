/**
 * The iptables command line: commands, options in getopt's manner, `!` before an option, and
 * the options each loaded extension adds, read into one {@link IptablesCommand}.
 *
 * Source of truth: iptables(8) of iptables 1.8.9 and transcripts recorded with it on Linux
 * 6.18; the parsing rules follow iptables/xshared.c (`do_parse`): words are read left to right
 * and a stray word fails at once ("Bad argument"); a command's chain and rule number are the
 * words right after it; a long option may be abbreviated while the abbreviation is unique among
 * the options known at that point; an option no one knows loads the match of `-p` (tcp, udp,
 * icmp) and is tried again. Extensions loaded later see their options first.
 */
import { Unsupported } from "../../errors.js";
import type { AddrMatch, Counters, IfaceMatch, RuleSpec } from "../../netfilter/ruleset.js";
import type { Target } from "../../netfilter/target.js";
import type { ExtensionParser, ParseContext } from "./extension.js";
import type { MatchParser } from "./match-parsers.js";
import { implicitMatchFor, loadMatch } from "./match-parsers.js";
import { badArgument, parameterProblem } from "./messages.js";
import { checkCommandOptions, checkRule, validateChainName } from "./command-checks.js";
import { compact, mergePortMatches } from "./rule-build.js";
import type { TargetParser } from "./target-parsers.js";
import { loadTarget } from "./target-parsers.js";
import { parseAddrList, parseIface, parseProtocol } from "./values.js";

/** Every short option of iptables 1.8.9 (its getopt string); any other letter is unknown. */
const ALL_SHORT_OPTIONS = "ACDRILSMFZNXEPVhopsdjifbvwWntmxcg46";
/** The command letters of iptables. */
export type CommandLetter =
  "A" | "C" | "D" | "I" | "R" | "L" | "S" | "F" | "Z" | "N" | "X" | "P" | "E";

/** A parsed iptables command line. */
export interface IptablesCommand {
  /** The command; `-L` wins over `-Z` when both are given, with `isZeroing` set. */
  command?: CommandLetter;
  isZeroing: boolean;
  isVersion: boolean;
  table: string;
  chain?: string;
  ruleNumber?: number;
  policy?: string;
  newName?: string;
  /** `-c PKTS BYTES`: the counters a new rule or a policy starts with. */
  counters?: Counters;
  isNumeric: boolean;
  isVerbose: boolean;
  isExact: boolean;
  hasLineNumbers: boolean;
  /** The option letters given, for the per-command legality check (`0` is --line-numbers). */
  options: Set<string>;
  /** The rules the command names, one per source and destination address pair. */
  specs: RuleSpec[];
  /** The chain a `-j`/`-g` names when it is not a target, which must exist. */
  jumpChain?: string;
}

/** Long options of iptables itself and the short option each stands for. */
const LONG_OPTIONS: Record<string, string> = {
  append: "A",
  check: "C",
  delete: "D",
  insert: "I",
  replace: "R",
  list: "L",
  "list-rules": "S",
  flush: "F",
  zero: "Z",
  "new-chain": "N",
  "delete-chain": "X",
  "rename-chain": "E",
  policy: "P",
  source: "s",
  src: "s",
  destination: "d",
  dst: "d",
  protocol: "p",
  "in-interface": "i",
  "out-interface": "o",
  jump: "j",
  goto: "g",
  match: "m",
  numeric: "n",
  table: "t",
  verbose: "v",
  exact: "x",
  "line-numbers": "0",
  wait: "w",
  "wait-interval": "W",
  version: "V",
  help: "h",
  fragment: "f",
  "set-counters": "c",
  ipv4: "4",
  ipv6: "6",
  modprobe: "M",
};

/** Short options that take a value, and those whose value is optional (attached only). */
const REQUIRED_VALUE = new Set("ACDRINEPtsdpiojgmcM".split(""));
const OPTIONAL_VALUE = new Set("LSFZXwWh".split(""));
/** Options `!` may precede. */
const INVERTIBLE = new Set("sdpiof".split(""));
/** Options that may be given once. */
const SINGLE = new Set("sdpijc".split(""));

type Resolved = { letter: string } | { parser: ExtensionParser<unknown>; option: string };

/** Parses iptables' arguments (without the program name). */
export function parseIptables(argv: readonly string[]): IptablesCommand {
  return new CommandLineParser(argv).parse();
}

class CommandLineParser {
  private index = 0;
  private isInverted = false;
  private readonly command: IptablesCommand = {
    isZeroing: false,
    isVersion: false,
    table: "filter",
    isNumeric: false,
    isVerbose: false,
    isExact: false,
    hasLineNumbers: false,
    options: new Set(),
    specs: [],
  };
  /** `-s`/`-d` values; iptables parses them only after the whole line. */
  private srcText?: { text: string; isInverted: boolean };
  private dstText?: { text: string; isInverted: boolean };
  private inIface?: IfaceMatch;
  private outIface?: IfaceMatch;
  private readonly context: ParseContext = {};
  private readonly matches: MatchParser[] = [];
  private target?: TargetParser;
  private jumpName?: string;
  private isGoto = false;

  constructor(private readonly argv: readonly string[]) {}

  parse(): IptablesCommand {
    while (this.index < this.argv.length) {
      const word = this.argv[this.index++]!;
      if (word === "!") {
        if (this.isInverted) throw parameterProblem("multiple consecutive ! not allowed");
        this.isInverted = true;
        continue;
      }
      if (word.startsWith("--") && word.length > 2) this.longOption(word);
      else if (word.startsWith("-") && word.length > 1) this.shortOptions(word);
      else throw badArgument(word);
      this.isInverted = false;
    }
    return this.finish();
  }

  private shortOptions(word: string): void {
    for (let at = 1; at < word.length; at++) {
      const letter = word[at]!;
      const rest = word.slice(at + 1);
      if (REQUIRED_VALUE.has(letter)) {
        this.option(letter, rest !== "" ? rest : this.requiredValue(`-${letter}`));
        return;
      }
      if (OPTIONAL_VALUE.has(letter)) {
        this.option(letter, rest === "" ? undefined : rest);
        return;
      }
      this.option(letter, undefined);
    }
  }

  private longOption(word: string): void {
    const eq = word.indexOf("=");
    const name = word.slice(2, eq < 0 ? undefined : eq);
    const attached = eq < 0 ? undefined : word.slice(eq + 1);
    const resolved = this.resolve(name);
    if ("letter" in resolved) {
      const letter = resolved.letter;
      const value = REQUIRED_VALUE.has(letter)
        ? (attached ?? this.requiredValue(`--${name}`))
        : attached;
      this.option(letter, value);
      return;
    }
    const arity = resolved.parser.options[resolved.option];
    const value = arity !== false ? (attached ?? this.requiredValue(`--${name}`)) : "";
    const second = arity === 2 ? this.secondValue(resolved.option) : undefined;
    resolved.parser.parse(resolved.option, value, this.isInverted, this.context, second);
  }

  /** Finds the owner of long option `name`: exact first, then a unique abbreviation. */
  private resolve(name: string): Resolved {
    const candidates: [string, Resolved][] = Object.entries(LONG_OPTIONS).map(
      ([option, letter]) => [option, { letter }],
    );
    const extensions: ExtensionParser<unknown>[] = [...this.matches];
    if (this.target !== undefined) extensions.push(this.target);
    for (const parser of extensions.reverse()) {
      for (const option of Object.keys(parser.options))
        candidates.push([option, { parser, option }]);
    }
    const exact = candidates.find(([option]) => option === name);
    if (exact !== undefined) return exact[1];
    const prefixed = candidates.filter(([option]) => option.startsWith(name));
    const owners = new Set(prefixed.map(([, owner]) => ("letter" in owner ? owner.letter : owner)));
    if (owners.size === 1) return prefixed[0]![1];
    if (owners.size > 1) throw new Unsupported(`ambiguous iptables option --${name}`);
    const implicit = implicitMatchFor(this.context.proto?.number ?? 0);
    if (implicit !== undefined && !this.matches.some((parser) => parser.name === implicit)) {
      this.matches.push(loadMatch(implicit));
      return this.resolve(name);
    }
    throw parameterProblem(`unknown option "--${name}"`);
  }

  private requiredValue(option: string): string {
    const value = this.argv[this.index++];
    if (value === undefined) throw parameterProblem(`option "${option}" requires an argument`);
    return value;
  }

  /**
   * Consumes the second value of `--OPTION`, which libxt_tcp takes from the next word unless it
   * is missing or starts with `-` or `!`.
   */
  private secondValue(option: string): string {
    const next = this.argv[this.index];
    if (next === undefined || next.startsWith("-") || next.startsWith("!")) {
      throw parameterProblem(`--${option} requires two args.`);
    }
    this.index++;
    return next;
  }

  /** Returns the next word when it is not an option or `!`, consuming it. */
  private optionalWord(): string | undefined {
    const next = this.argv[this.index];
    if (next === undefined || next.startsWith("-") || next === "!") return undefined;
    this.index++;
    return next;
  }

  private option(letter: string, value: string | undefined): void {
    if (this.isInverted && !INVERTIBLE.has(letter)) {
      throw parameterProblem(`cannot have ! before -${letter === "0" ? "-line-numbers" : letter}`);
    }
    if ("ACDIRLSFZNXPE".includes(letter)) return this.commandOption(letter as CommandLetter, value);
    // -g is a kind of -j for the once-only and legality checks.
    const key = letter === "g" ? "j" : letter;
    if (SINGLE.has(key)) this.setOnce(key);
    this.command.options.add(key);
    this.ruleOption(letter, value ?? "");
  }

  private setOnce(letter: string): void {
    if (this.command.options.has(letter)) {
      throw parameterProblem(`multiple -${letter} flags not allowed`);
    }
  }

  private ruleOption(letter: string, value: string): void {
    const command = this.command;
    switch (letter) {
      case "t":
        command.table = value;
        return;
      case "s":
        this.srcText = { text: value, isInverted: this.isInverted };
        return;
      case "d":
        this.dstText = { text: value, isInverted: this.isInverted };
        return;
      case "i":
      case "o":
        return this.ifaceOption(letter, value);
      case "p":
        return this.protoOption(value);
      case "j":
      case "g":
        return this.jumpOption(letter, value);
      case "m":
        this.matches.push(loadMatch(value));
        return;
      case "c":
        return this.countersOption(value);
      default:
        return this.flagOption(letter, value);
    }
  }

  private flagOption(letter: string, value: string): void {
    const command = this.command;
    if (letter === "n") command.isNumeric = true;
    else if (letter === "v") command.isVerbose = true;
    else if (letter === "x") command.isExact = true;
    else if (letter === "0") command.hasLineNumbers = true;
    else if (letter === "V") command.isVersion = true;
    else if (letter === "w") {
      if (value === "" && /^\d+$/.test(this.argv[this.index] ?? "")) this.index++;
    } else if (!ALL_SHORT_OPTIONS.includes(letter)) {
      throw parameterProblem(`unknown option "-${letter}"`);
    } else if (letter !== "4") throw new Unsupported(`iptables option -${letter}`);
  }

  private ifaceOption(letter: "i" | "o", value: string): void {
    const match = parseIface(value, this.isInverted);
    // "+" matches every link, so iptables drops it unless it is inverted.
    const stored = match.name === "+" && !match.isInverted ? undefined : match;
    if (letter === "i") this.inIface = stored;
    else this.outIface = stored;
  }

  private protoOption(value: string): void {
    const number = parseProtocol(value);
    if (number === 0 && this.isInverted) throw parameterProblem("rule would never match protocol");
    if (number !== 0) this.context.proto = { number, isInverted: this.isInverted };
  }

  private jumpOption(letter: "j" | "g", value: string): void {
    this.isGoto = letter === "g";
    this.jumpName = value;
    if (!this.isGoto) this.target = loadTarget(value);
  }

  private countersOption(packets: string): void {
    const bytes = this.requiredValue("-c");
    if (!/^\d+$/.test(packets) || !/^\d+$/.test(bytes)) {
      throw parameterProblem("-c packet counter not numeric");
    }
    this.command.counters = { packets: Number(packets), bytes: Number(bytes) };
  }

  private commandOption(letter: CommandLetter, value: string | undefined): void {
    const command = this.command;
    if (command.command !== undefined) {
      const isListZero =
        (letter === "Z" && command.command === "L") || (letter === "L" && command.command === "Z");
      if (!isListZero) throw parameterProblem(`Cannot use -${letter} with -${command.command}`);
      command.isZeroing = true;
      command.command = "L";
    } else {
      command.command = letter;
      if (letter === "Z") command.isZeroing = true;
    }
    command.chain = value ?? this.optionalWord();
    this.commandArguments(letter);
  }

  private commandArguments(letter: CommandLetter): void {
    const command = this.command;
    if (letter === "N") validateChainName(command.chain ?? "");
    if (letter === "D" || letter === "I" || letter === "L" || letter === "S" || letter === "Z") {
      const word = command.chain === undefined ? undefined : this.optionalWord();
      if (word !== undefined) command.ruleNumber = parseRuleNumber(word);
    }
    if (letter === "R") {
      const word = this.optionalWord();
      if (word === undefined) throw parameterProblem("-R requires a rule number");
      command.ruleNumber = parseRuleNumber(word);
    }
    if (letter === "P") {
      command.policy = this.optionalWord();
      if (command.policy === undefined) throw parameterProblem("-P requires a chain and a policy");
    }
    if (letter === "E") {
      command.newName = this.optionalWord();
      if (command.newName === undefined) {
        throw parameterProblem("-E requires old-chain-name and new-chain-name");
      }
    }
  }

  private finish(): IptablesCommand {
    const command = this.command;
    if (command.isVersion) return command;
    if (command.command === undefined) throw parameterProblem("no command specified");
    const matches = mergePortMatches(this.matches.map((parser) => parser.finish(this.context)));
    let target: Target | undefined = this.target?.finish(this.context);
    if (this.jumpName !== undefined && this.target === undefined) {
      target = { kind: "jump", chain: this.jumpName, isGoto: this.isGoto };
      command.jumpChain = this.jumpName;
    }
    const srcs = addrList(this.srcText);
    const dsts = addrList(this.dstText);
    checkCommandOptions(command);
    const base = {
      inIface: this.inIface,
      outIface: this.outIface,
      proto: this.context.proto,
      matches,
      target,
    };
    checkRule(command, base);
    command.specs = [];
    for (const src of srcs) {
      for (const dst of dsts) command.specs.push(compact({ src, dst, ...base }));
    }
    return command;
  }
}

/** Parses a deferred `-s`/`-d` value; no value means one rule without that match. */
function addrList(
  given: { text: string; isInverted: boolean } | undefined,
): (AddrMatch | undefined)[] {
  return given === undefined ? [undefined] : parseAddrList(given.text, given.isInverted);
}

/** Parses a rule number: a positive decimal integer. */
function parseRuleNumber(word: string): number {
  if (!/^\d+$/.test(word) || Number(word) < 1)
    throw parameterProblem(`Invalid rule number \`${word}'`);
  return Number(word);
}
