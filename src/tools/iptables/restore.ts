/**
 * `iptables-restore` input: table blocks of `*TABLE`, chain lines `:CHAIN POLICY [PKTS:BYTES]`,
 * rule lines in iptables syntax (optionally after `[PKTS:BYTES]`), and `COMMIT`.
 *
 * Source of truth: iptables-restore(8) of iptables 1.8.9 and transcripts recorded with it on
 * Linux 6.18. Without `--noflush` every table named in the input starts empty, with default
 * policies and no user chains. A rule line runs as `iptables -t TABLE ARGS` would, and its errors
 * name the input line.
 */
import { parse } from "shell-quote";
import { HoptraceError, Unsupported } from "../../errors.js";
import { IptablesError, IPTABLES_VERSION } from "../../netfilter/nft-error.js";
import * as ops from "../../netfilter/ops.js";
import type { Counters, Ruleset, TableName } from "../../netfilter/ruleset.js";
import {
  BUILTIN_CHAINS,
  MODELLED_TABLES,
  createTable,
  isBuiltin,
} from "../../netfilter/ruleset.js";
import type { IptablesCommand } from "./command-line.js";
import { parseIptables } from "./command-line.js";
import { checkJumpTarget } from "./command-checks.js";
import { XtablesError } from "./messages.js";

/** The switches of `iptables-restore`. */
export interface RestoreOptions {
  /** `-n`: keep what the tables hold and add to it. */
  isNoflush: boolean;
  /** `-c`: take the `[PKTS:BYTES]` counters of the input. */
  hasCounters: boolean;
}

const RESTORE_VERSION = IPTABLES_VERSION.replace(/^iptables/, "iptables-restore");
const RESTORE_TRY = "Try `iptables-restore -h' or 'iptables-restore --help' for more information.";

/**
 * Applies iptables-restore input to `ruleset` (an immer draft).
 *
 * @throws HoptraceError with iptables-restore's text and exit status for the first bad line.
 */
export function restoreRuleset(ruleset: Ruleset, input: string, options: RestoreOptions): void {
  const lines = input.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let table: TableName | undefined;
  /** Jumps of the open block to chains that did not exist yet, with the error each gets. */
  const pendingJumps = new Map<string, XtablesError>();
  lines.forEach((text, index) => {
    const lineNumber = index + 1;
    const line = text.trim();
    if (line === "" || line.startsWith("#")) return;
    if (line === "COMMIT") {
      for (const [chain, error] of pendingJumps) {
        if (table !== undefined && ruleset.tables[table]?.chains[chain] === undefined) {
          throw atLine(error, lineNumber);
        }
        // The model has set the rule aside; placing it now would change the chain's order.
        throw new Unsupported(
          `iptables-restore: a jump to chain ${chain} declared later in its block`,
        );
      }
      pendingJumps.clear();
      table = undefined;
    } else if (line.startsWith("*"))
      table = startTable(ruleset, line.slice(1), lineNumber, options);
    else if (table === undefined)
      throw new HoptraceError(`iptables-restore: line ${lineNumber} failed`, 1, "usage");
    else if (line.startsWith(":")) chainLine(ruleset, table, line, lineNumber, options);
    else ruleLine(ruleset, table, line, lineNumber, options, pendingJumps);
  });
  if (table !== undefined) {
    throw new HoptraceError(
      `iptables-restore: COMMIT expected at line ${lines.length + 1}`,
      1,
      "usage",
    );
  }
}

function startTable(
  ruleset: Ruleset,
  name: string,
  lineNumber: number,
  options: RestoreOptions,
): TableName {
  if (!(name in BUILTIN_CHAINS)) {
    const detail = `iptables-restore: line ${lineNumber} table name '${name}' invalid`;
    throw atLine(new XtablesError(detail), lineNumber);
  }
  const table = name as TableName;
  if (!MODELLED_TABLES.includes(table)) throw new Unsupported(`iptables-restore *${table}`);
  if (!options.isNoflush) ruleset.tables[table] = createTable(table);
  return table;
}

function chainLine(
  ruleset: Ruleset,
  table: TableName,
  line: string,
  lineNumber: number,
  options: RestoreOptions,
): void {
  const [name = "", policy = "", counterText] = line.slice(1).split(/\s+/);
  try {
    if (isBuiltin(table, name)) {
      ops.setPolicy(ruleset, table, name, policy);
      const counters = parseCounters(counterText);
      if (options.hasCounters && counters !== undefined) {
        ruleset.tables[table]!.chains[name]!.counters = counters;
      }
    } else if (ruleset.tables[table]?.chains[name] === undefined)
      ops.newChain(ruleset, table, name);
    else ops.flushChain(ruleset, table, name);
  } catch (error) {
    throw atLine(error, lineNumber);
  }
}

function ruleLine(
  ruleset: Ruleset,
  table: TableName,
  line: string,
  lineNumber: number,
  options: RestoreOptions,
  pendingJumps: Map<string, XtablesError>,
): void {
  const counterMatch = /^\[(\d+):(\d+)\]\s+/.exec(line);
  const rest = counterMatch === null ? line : line.slice(counterMatch[0].length);
  const words = parse(rest).map((token) => {
    if (typeof token !== "string")
      throw new Unsupported(`iptables-restore shell syntax in "${rest}"`);
    return token;
  });
  try {
    const command = parseIptables(["-t", table, ...words]);
    if (options.hasCounters && counterMatch !== null) {
      command.counters = { packets: Number(counterMatch[1]), bytes: Number(counterMatch[2]) };
    }
    try {
      checkJumpTarget(ruleset, table, command);
    } catch (error) {
      // nf_tables checks a jump's chain when the batch commits, so a later line of the block
      // may still create it, and a missing one is reported at the COMMIT line.
      if (!(error instanceof XtablesError) || command.jumpChain === undefined) throw error;
      pendingJumps.set(command.jumpChain, error);
      return;
    }
    runRestoredCommand(ruleset, table, command);
  } catch (error) {
    throw atLine(error, lineNumber);
  }
}

/** Runs the commands iptables-restore takes inside a table block. */
function runRestoredCommand(ruleset: Ruleset, table: TableName, command: IptablesCommand): void {
  const chain = command.chain ?? "";
  const spec = command.specs[0]!;
  switch (command.command) {
    case "A":
      for (const each of command.specs)
        ops.appendRule(ruleset, table, chain, each, command.counters);
      return;
    case "I":
      return ops.insertRule(ruleset, table, chain, command.ruleNumber ?? 1, spec, command.counters);
    case "D":
      if (command.ruleNumber !== undefined)
        return ops.deleteRuleAt(ruleset, table, chain, command.ruleNumber);
      return ops.deleteRule(ruleset, table, chain, spec);
    case "R":
      return ops.replaceRule(ruleset, table, chain, command.ruleNumber!, spec, command.counters);
    case "N":
      return ops.newChain(ruleset, table, chain);
    case "X":
      return ops.deleteChain(ruleset, table, command.chain);
    case "F":
      return ops.flushChain(ruleset, table, command.chain);
    case "P":
      return ops.setPolicy(ruleset, table, chain, command.policy!);
    default:
      throw new Unsupported(`iptables-restore -${command.command}`);
  }
}

function parseCounters(text: string | undefined): Counters | undefined {
  const match = /^\[(\d+):(\d+)\]$/.exec(text ?? "");
  return match === null ? undefined : { packets: Number(match[1]), bytes: Number(match[2]) };
}

/** Rewrites an iptables error as iptables-restore prints it for input line `lineNumber`. */
function atLine(error: unknown, lineNumber: number): unknown {
  if (error instanceof IptablesError) {
    return new HoptraceError(
      `iptables-restore: line ${lineNumber} failed: ${error.reason}.`,
      1,
      "kernel",
    );
  }
  if (error instanceof XtablesError) {
    const text = error.isBare ? error.detail : `${RESTORE_VERSION}: ${error.detail}`;
    const tail = error.hasTryLine ? `\n${RESTORE_TRY}` : "";
    return new HoptraceError(
      `${text}\nError occurred at line: ${lineNumber}${tail}`,
      error.exitCode,
      "usage",
    );
  }
  // NOTE: how iptables-restore words a batch the kernel rejects was not recorded; the iptables
  // text is kept as it is.
  return error;
}
