/**
 * The checks iptables makes once the whole command line is read: which options each command
 * allows, `-i`/`-o` on built-in chains that cannot see them, DROP in the nat table, and the
 * syntax of new chain names.
 *
 * Source of truth: iptables/xshared.c of iptables 1.8.9 (the command/option legality table,
 * `assert_valid_chain_name`) and transcripts recorded with iptables 1.8.9 on Linux 6.18.
 */
import type { RuleSpec, Ruleset, TableName } from "../../netfilter/ruleset.js";
import { isBuiltin } from "../../netfilter/ruleset.js";
import type { IptablesCommand } from "./command-line.js";
import { NAT_DROP, parameterProblem } from "./messages.js";
import { TARGET_NAMES } from "./target-parsers.js";

/** Option letters in the order iptables checks them; `0` is --line-numbers. */
const CHECK_ORDER = "nsdpjvxio0cf".split("");

/** The options each command forbids (a letter per option). */
const ILLEGAL: Record<string, string> = {
  I: "nx0",
  D: "nx0c",
  DNUM: "nsdpjxio0cf",
  R: "nx0",
  A: "nx0",
  L: "sdpjiocf",
  F: "nsdpjxio0cf",
  Z: "nsdpjxio0cf",
  N: "nsdpjxio0cf",
  X: "nsdpjxio0cf",
  P: "nsdpjxio0f",
  E: "nsdpjxio0cf",
  S: "nsdpjxio0cf",
  C: "nx0c",
};

/** The longest chain name plus one: names must stay under it. */
const CHAIN_NAME_LIMIT = 29;

/**
 * Checks that every option given is allowed with the command.
 *
 * @throws XtablesError "Illegal option `-X' with this command" for the first one that is not.
 */
export function checkCommandOptions(command: IptablesCommand): void {
  let key: string = command.command!;
  if (key === "D" && command.ruleNumber !== undefined) key = "DNUM";
  const isListZero = command.command === "L" && command.isZeroing;
  for (const letter of CHECK_ORDER) {
    if (!command.options.has(letter)) continue;
    const isIllegal =
      ILLEGAL[key]!.includes(letter) && (!isListZero || ILLEGAL.Z!.includes(letter));
    if (isIllegal) throw parameterProblem(`Illegal option \`-${letter}' with this command`);
  }
}

/** Checks a rule against its chain and table: `-i`/`-o` visibility and DROP in nat. */
export function checkRule(command: IptablesCommand, spec: Omit<RuleSpec, "src" | "dst">): void {
  const chain = command.chain ?? "";
  if ("ACDIR".includes(command.command!)) {
    if (spec.outIface !== undefined && (chain === "PREROUTING" || chain === "INPUT")) {
      throw parameterProblem(`Can't use -o with ${chain}\n`);
    }
    if (spec.inIface !== undefined && (chain === "POSTROUTING" || chain === "OUTPUT")) {
      throw parameterProblem(`Can't use -i with ${chain}\n`);
    }
  }
  const isDrop =
    spec.target?.kind === "DROP" || (command.command === "P" && command.policy === "DROP");
  if (command.table === "nat" && isDrop) throw parameterProblem(NAT_DROP);
}

/**
 * Checks the name `-N` gives a new chain.
 *
 * @throws XtablesError when it is too long, starts with `-` or `!`, is a target's name, or
 *   contains white space.
 */
export function validateChainName(name: string): void {
  if (name.length >= CHAIN_NAME_LIMIT) {
    throw parameterProblem(
      `chain name \`${name}' too long (must be under ${CHAIN_NAME_LIMIT} chars)`,
    );
  }
  if (name.startsWith("-") || name.startsWith("!")) {
    throw parameterProblem(`chain name not allowed to start with \`${name[0]}'`);
  }
  if (TARGET_NAMES.has(name)) throw parameterProblem("chain name may not clash with target name");
  if (/\s/.test(name)) throw parameterProblem(`Invalid chain name \`${name}'`);
}

/**
 * Checks that a `-j`/`-g` chain exists, as iptables does before it builds the rule; a jump to a
 * built-in chain passes here and fails in the kernel.
 */
export function checkJumpTarget(
  ruleset: Ruleset,
  table: TableName,
  command: IptablesCommand,
): void {
  const name = command.jumpChain;
  if (name === undefined || isBuiltin(table, name)) return;
  if (ruleset.tables[table]?.chains[name] === undefined) {
    throw parameterProblem(`Chain '${name}' does not exist`);
  }
}
