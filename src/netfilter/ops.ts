/**
 * Changes to a namespace's ruleset, one per iptables command, with the errors iptables-nft
 * 1.8.9 reports for each. Every function changes its argument in place (an immer draft) and
 * throws before changing anything it cannot complete.
 *
 * Source of truth: transcripts of iptables 1.8.9 (nf_tables) on Linux 6.18, with the messages of
 * iptables/nft.c's errno table. A chain whose name is not found gives "No chain/target/match by
 * that name". The kernel rejects deleting a chain that still has rules or references (EBUSY).
 * Renaming keeps the chain's rules and rewrites the jumps to it.
 */
import { IptablesError, NftBatchError, noSuchChain } from "./nft-error.js";
import { formatRuleSpec } from "./rule-text.js";
import type {
  Chain,
  Counters,
  Policy,
  Rule,
  RuleSpec,
  Ruleset,
  Table,
  TableName,
} from "./ruleset.js";
import { ensureTable, isBuiltin, referencesTo, zero } from "./ruleset.js";
import { validateRule, validateTable } from "./validate.js";

/** Returns chain `name` of `table`, or throws iptables' "No chain/target/match" error. */
export function chainOf(table: Table | undefined, name: string): Chain {
  const chain = table?.chains[name];
  if (chain === undefined) throw noSuchChain();
  return chain;
}

/** Appends a rule to a chain (`-A`), with zero counters unless `counters` is given. */
export function appendRule(
  ruleset: Ruleset,
  tableName: TableName,
  chainName: string,
  spec: RuleSpec,
  counters: Counters = zero(),
): void {
  const table = ensureTable(ruleset, tableName);
  const chain = chainOf(table, chainName);
  validateRule(table, chainName, spec, "RULE_APPEND");
  chain.rules.push({ spec, counters: { ...counters } });
  validateTable(table, chainName, "RULE_APPEND");
}

/** Inserts a rule at 1-based `position` (`-I`); one past the end appends. */
export function insertRule(
  ruleset: Ruleset,
  tableName: TableName,
  chainName: string,
  position: number,
  spec: RuleSpec,
  counters: Counters = zero(),
): void {
  const table = ensureTable(ruleset, tableName);
  const chain = chainOf(table, chainName);
  if (position > chain.rules.length + 1) {
    throw new IptablesError("E2BIG", "Index of insertion too big");
  }
  validateRule(table, chainName, spec, "RULE_INSERT");
  chain.rules.splice(position - 1, 0, { spec, counters: { ...counters } });
  validateTable(table, chainName, "RULE_INSERT");
}

/** Replaces the rule at 1-based `position` (`-R`); the new rule starts with `counters`. */
export function replaceRule(
  ruleset: Ruleset,
  tableName: TableName,
  chainName: string,
  position: number,
  spec: RuleSpec,
  counters: Counters = zero(),
): void {
  const table = ruleset.tables[tableName];
  const chain = chainOf(table, chainName);
  // NOTE: iptables-nft creates a built-in chain only when a rule or policy needs it, and
  // `iptables -F` deletes it again. The model keeps every built-in chain, so it takes an empty
  // one for a chain never created. An empty user chain exists, so -R finds the index too big.
  if (chain.rules.length === 0 && isBuiltin(tableName, chainName)) throw noSuchChain();
  if (position > chain.rules.length) {
    throw new IptablesError("E2BIG", "Index of replacement too big");
  }
  validateRule(table!, chainName, spec, "RULE_REPLACE");
  chain.rules[position - 1] = { spec, counters: { ...counters } };
  validateTable(table!, chainName, "RULE_REPLACE");
}

/** Deletes the rule at 1-based `position` (`-D CHAIN N`). */
export function deleteRuleAt(
  ruleset: Ruleset,
  tableName: TableName,
  chainName: string,
  position: number,
): void {
  const chain = chainOf(ruleset.tables[tableName], chainName);
  if (position > chain.rules.length) {
    throw new IptablesError("E2BIG", "Index of deletion too big");
  }
  chain.rules.splice(position - 1, 1);
}

/** Returns the 0-based index of the first rule equal to `spec`, or -1. */
export function findRule(chain: Chain, spec: RuleSpec): number {
  const text = formatRuleSpec(spec);
  return chain.rules.findIndex((rule: Rule) => formatRuleSpec(rule.spec) === text);
}

/**
 * Deletes the first rule equal to `spec` (`-D CHAIN RULE`); with `isCheckOnly`, only reports
 * that it exists (`-C`). Rules are equal when `iptables -S` prints them alike.
 */
export function deleteRule(
  ruleset: Ruleset,
  tableName: TableName,
  chainName: string,
  spec: RuleSpec,
  isCheckOnly = false,
): void {
  // A chain that does not exist has no matching rule either, so it gets the same message.
  const chain = ruleset.tables[tableName]?.chains[chainName];
  const index = chain === undefined ? -1 : findRule(chain, spec);
  if (chain === undefined || index < 0) {
    throw new IptablesError("ENOENT", "Bad rule (does a matching rule exist in that chain?)");
  }
  if (!isCheckOnly) chain.rules.splice(index, 1);
}

/** Creates user chain `name` (`-N`). Name syntax is the caller's to check. */
export function newChain(ruleset: Ruleset, tableName: TableName, name: string): void {
  const table = ensureTable(ruleset, tableName);
  if (table.chains[name] !== undefined) throw new IptablesError("EEXIST", "Chain already exists");
  table.chains[name] = { name, counters: zero(), rules: [], serial: table.nextSerial++ };
}

/**
 * Deletes user chain `name` (`-X NAME`), or every user chain when `name` is undefined (`-X`).
 * A chain with rules or references is busy; deleting every chain fails as a whole on the first
 * busy one in creation order.
 */
export function deleteChain(ruleset: Ruleset, tableName: TableName, name?: string): void {
  const table = ruleset.tables[tableName];
  const named = name === undefined ? undefined : table?.chains[name];
  // The kernel refuses to delete a base chain that contains rules.
  if (name !== undefined && isBuiltin(tableName, name) && (named?.rules.length ?? 0) > 0) {
    throw new NftBatchError("CHAIN_DEL", "EBUSY", `chain ${name}`);
  }
  // NOTE: an empty built-in chain that exists in the kernel is deleted there, and listings show
  // it again with policy ACCEPT; the model keeps it and reports that it does not exist.
  if (name !== undefined && (isBuiltin(tableName, name) || named === undefined)) {
    throw noSuchChain();
  }
  if (table === undefined) return;
  const doomed = Object.values(table.chains)
    .filter((chain) => chain.policy === undefined && (name === undefined || chain.name === name))
    .sort((a, b) => a.serial - b.serial);
  const busy = doomed.find(
    (chain) => chain.rules.length > 0 || referencesTo(table, chain.name) > 0,
  );
  if (busy !== undefined) throw new NftBatchError("CHAIN_DEL", "EBUSY", `chain ${busy.name}`);
  for (const chain of doomed) delete table.chains[chain.name];
}

/** Renames user chain `from` to `to` (`-E`) and points every jump to it at the new name. */
export function renameChain(
  ruleset: Ruleset,
  tableName: TableName,
  from: string,
  to: string,
): void {
  const table = ruleset.tables[tableName];
  const chain = table?.chains[from];
  if (table === undefined || chain === undefined || chain.policy !== undefined) throw noSuchChain();
  if (table.chains[to] !== undefined) throw new IptablesError("EEXIST", "File exists");
  // The kernel limits chain names to 28 characters and rejects a longer one with ENOENT.
  if (to.length > 28) throw noSuchChain();
  delete table.chains[from];
  table.chains[to] = { ...chain, name: to };
  for (const other of Object.values(table.chains)) {
    for (const rule of other.rules) {
      const target = rule.spec.target;
      if (target?.kind === "jump" && target.chain === from) target.chain = to;
    }
  }
}

/** Deletes every rule of chain `name` (`-F NAME`), or of every chain (`-F`). */
export function flushChain(ruleset: Ruleset, tableName: TableName, name?: string): void {
  for (const chain of selectChains(ruleset, tableName, name)) chain.rules = [];
}

/**
 * Zeroes the counters of chain `name` and its policy (`-Z NAME`), of every chain (`-Z`), or of
 * one rule (`-Z NAME N`). A position past the end does nothing, as in iptables.
 */
export function zeroCounters(
  ruleset: Ruleset,
  tableName: TableName,
  name?: string,
  position?: number,
): void {
  for (const chain of selectChains(ruleset, tableName, name)) {
    if (position !== undefined) {
      const rule = chain.rules[position - 1];
      if (rule !== undefined) rule.counters = zero();
      continue;
    }
    chain.counters = zero();
    // iptables-nft zeroes a built-in chain by writing it back with its policy counters.
    if (chain.policy !== undefined) chain.hasPolicyCounters = true;
    for (const rule of chain.rules) rule.counters = zero();
  }
}

/** Sets the policy of built-in chain `name` (`-P`); its counters stay. */
export function setPolicy(
  ruleset: Ruleset,
  tableName: TableName,
  name: string,
  policy: string,
): void {
  if (!isBuiltin(tableName, name)) throw new IptablesError("ENOENT", "Bad built-in chain name");
  if (policy !== "ACCEPT" && policy !== "DROP") {
    throw new IptablesError("EINVAL", "Bad policy name");
  }
  const chain = ensureTable(ruleset, tableName).chains[name]!;
  chain.policy = policy as Policy;
  chain.hasPolicyCounters = true;
}

/** Returns chain `name`, or every chain when undefined; a missing table has only built-ins. */
function selectChains(ruleset: Ruleset, tableName: TableName, name?: string): Chain[] {
  const table = ruleset.tables[tableName];
  if (name === undefined) return table === undefined ? [] : Object.values(table.chains);
  if (table === undefined && isBuiltin(tableName, name)) return [];
  return [chainOf(table, name)];
}
