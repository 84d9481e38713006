/**
 * `iptables` and `iptables-save` of iptables 1.8.9 on the nf_tables backend, against the
 * namespace's ruleset: rules and chains are changed with the kernel's checks, and listings
 * print byte for byte what the real tools print.
 *
 * Source of truth: iptables(8) and iptables-save(8) of iptables 1.8.9, and transcripts recorded
 * with it on Linux 6.18. The tables are filter and nat; mangle, raw and security can be listed
 * (empty, as on a fresh host) but not changed. Listings need `-n`, because without it iptables
 * resolves addresses, ports and protocols to names.
 */
import { HoptraceError, Unsupported } from "../errors.js";
import { readFile } from "../proc/vfs.js";
import { restoreRuleset } from "./iptables/restore.js";
import { IPTABLES_VERSION } from "../netfilter/nft-error.js";
import * as ops from "../netfilter/ops.js";
import type { Ruleset, Table, TableName } from "../netfilter/ruleset.js";
import {
  BUILTIN_CHAINS,
  MODELLED_TABLES,
  createRuleset,
  listedChains,
  viewTable,
} from "../netfilter/ruleset.js";
import type { Netns } from "../netns/state.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";
import type { IptablesCommand } from "./iptables/command-line.js";
import { parseIptables } from "./iptables/command-line.js";
import { listChains, listRule, ruleLines } from "./iptables/listing.js";
import { checkJumpTarget } from "./iptables/command-checks.js";
import { incompatibleChain, noSuchTable } from "./iptables/messages.js";
import { saveTables } from "./iptables/save.js";

/** Runs `iptables ARGS`. */
export function iptables(ctx: ToolContext, args: string[]): number {
  const command = parseIptables(args);
  if (command.isVersion) {
    ctx.out.push(IPTABLES_VERSION);
    return 0;
  }
  const table = tableName(command.table);
  const ns = currentNs(ctx);
  if (command.command === "L" || command.command === "S") {
    const view = viewTable(ns.netfilter, table);
    list(ctx, view, command);
    if (command.isZeroing) zeroAfterListing(ctx, ns, view, command);
    return 0;
  }
  if (command.isVerbose) throw new Unsupported(`iptables -v with -${command.command}`);
  // The other tables never hold rules here, so flushing, zeroing and deleting chains is exact.
  const isEmptying = command.command === "F" || command.command === "Z" || command.command === "X";
  if (!MODELLED_TABLES.includes(table) && !isEmptying) {
    throw new Unsupported(`iptables -t ${table} -${command.command}`);
  }
  modify(rulesetOf(ns), table, command);
  return 0;
}

/** Returns the table `-t` names, or throws iptables' "table does not exist" error. */
function tableName(name: string): TableName {
  if (name in BUILTIN_CHAINS) return name as TableName;
  throw noSuchTable(name);
}

/** Returns the namespace's ruleset, attaching an empty one on first use. */
function rulesetOf(ns: Netns): Ruleset {
  ns.netfilter ??= createRuleset();
  return ns.netfilter;
}

function list(ctx: ToolContext, table: Table, command: IptablesCommand): void {
  const chains = command.chain === undefined ? listedChains(table) : [table.chains[command.chain]];
  if (chains[0] === undefined) throw incompatibleChain(command.chain!, table.name);
  const present = chains as NonNullable<(typeof chains)[0]>[];
  if (command.command === "S") {
    if (command.ruleNumber === undefined) ctx.out.push(...ruleLines(present, command.isVerbose));
    else {
      const rule = present[0]!.rules[command.ruleNumber - 1];
      if (rule !== undefined)
        ctx.out.push(...ruleLines([{ ...present[0]!, rules: [rule] }], command.isVerbose).slice(1));
    }
    return;
  }
  if (command.ruleNumber === undefined) {
    ctx.out.push(...listChains(table, present, command));
    return;
  }
  const rule = present[0]!.rules[command.ruleNumber - 1];
  if (rule !== undefined) ctx.out.push(listRule(rule, command.ruleNumber, command));
}

/** Zeroes the listed chains (`-L -Z`); with `-v`, names each chain as iptables does. */
function zeroAfterListing(
  ctx: ToolContext,
  ns: Netns,
  view: Table,
  command: IptablesCommand,
): void {
  const names =
    command.chain === undefined ? listedChains(view).map((chain) => chain.name) : [command.chain];
  if (command.isVerbose) ctx.out.push(...names.map((name) => `Zeroing chain \`${name}'`));
  if (ns.netfilter !== undefined) ops.zeroCounters(ns.netfilter, view.name, command.chain);
}

function modify(ruleset: Ruleset, table: TableName, command: IptablesCommand): void {
  const chain = command.chain ?? "";
  checkJumpTarget(ruleset, table, command);
  switch (command.command) {
    case "A":
      for (const spec of command.specs)
        ops.appendRule(ruleset, table, chain, spec, command.counters);
      return;
    case "I":
      return ops.insertRule(
        ruleset,
        table,
        chain,
        command.ruleNumber ?? 1,
        singleSpec(command),
        command.counters,
      );
    case "R":
      return ops.replaceRule(
        ruleset,
        table,
        chain,
        command.ruleNumber!,
        singleSpec(command),
        command.counters,
      );
    case "D":
      if (command.ruleNumber !== undefined)
        return ops.deleteRuleAt(ruleset, table, chain, command.ruleNumber);
      for (const spec of command.specs) ops.deleteRule(ruleset, table, chain, spec);
      return;
    case "C":
      for (const spec of command.specs) ops.deleteRule(ruleset, table, chain, spec, true);
      return;
    default:
      return modifyChain(ruleset, table, command);
  }
}

function modifyChain(ruleset: Ruleset, table: TableName, command: IptablesCommand): void {
  switch (command.command) {
    case "N":
      return ops.newChain(ruleset, table, command.chain!);
    case "X":
      return ops.deleteChain(ruleset, table, command.chain);
    case "E":
      return ops.renameChain(ruleset, table, command.chain!, command.newName!);
    case "F":
      return ops.flushChain(ruleset, table, command.chain);
    case "Z":
      return ops.zeroCounters(ruleset, table, command.chain, command.ruleNumber);
    case "P":
      // iptables-nft accepts -c with -P but the policy counters stay as they were.
      return ops.setPolicy(ruleset, table, command.chain!, command.policy!);
  }
}

/** Returns the one rule `-I`/`-R` take; a list of addresses would make several. */
function singleSpec(command: IptablesCommand) {
  if (command.specs.length !== 1) {
    throw new Unsupported(`iptables -${command.command} with several -s/-d addresses`);
  }
  return command.specs[0]!;
}

/** Runs `iptables-save ARGS`. */
export function iptablesSave(ctx: ToolContext, args: string[]): number {
  const ns = currentNs(ctx);
  let table: string | undefined;
  let hasCounters = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "-c" || arg === "--counters") hasCounters = true;
    else if (arg === "-t" || arg === "--table") table = args[++index];
    else if (arg.startsWith("-t") && arg.length > 2) table = arg.slice(2);
    else if (arg.startsWith("-")) {
      errLines(ctx).push(`iptables-save: invalid option -- '${arg.slice(1, 2)}'`);
      errLines(ctx).push("Look at manual page `iptables-save.8' for more information.");
      return 1;
    } else {
      errLines(ctx).push("Unknown arguments found on commandline");
      return 1;
    }
  }
  if (table !== undefined && !(table in BUILTIN_CHAINS)) {
    errLines(ctx).push(`Table \`${table}' does not exist`);
    return 1;
  }
  const tables =
    table === undefined ? savedTables(ns.netfilter) : [viewTable(ns.netfilter, table as TableName)];
  ctx.out.push(...saveTables(tables, hasCounters, ctx.state.clock));
  return 0;
}

/** Returns the tables `iptables-save` prints without `-t`: those that exist, filter first. */
function savedTables(ruleset: Ruleset | undefined): Table[] {
  const order: TableName[] = ["filter", "nat", "mangle", "raw", "security"];
  return order.flatMap((name) =>
    ruleset?.tables[name] === undefined ? [] : [ruleset.tables[name]!],
  );
}

/**
 * Runs `iptables-restore [-n] [-c] [FILE]`: reads the rules from FILE of the virtual file system,
 * else from standard input (a pipe or `<` redirection), and applies them as one change.
 */
export function iptablesRestore(ctx: ToolContext, args: string[]): number {
  const options = { isNoflush: false, hasCounters: false };
  let file: string | undefined;
  for (const arg of args) {
    if (arg === "-n" || arg === "--noflush") options.isNoflush = true;
    else if (arg === "-c" || arg === "--counters") options.hasCounters = true;
    else if (arg.startsWith("-")) throw new Unsupported(`iptables-restore ${arg}`);
    else if (file === undefined) file = arg;
    else throw new Unsupported("iptables-restore with several files");
  }
  let input: string | undefined;
  if (file === undefined) {
    if (ctx.stdin === undefined) throw new Unsupported("iptables-restore reading the terminal");
    input = ctx.stdin;
  } else {
    input = readFile(ctx.state, file);
    if (input === undefined) {
      throw new HoptraceError(`Can't open ${file}: No such file or directory`, 1, "usage");
    }
  }
  restoreRuleset(rulesetOf(currentNs(ctx)), input, options);
  return 0;
}
