/**
 * The iptables ruleset of one namespace, as iptables 1.8.9 on the nf_tables backend presents it:
 * tables, their built-in chains with policies and policy counters, user chains, and rules with
 * per-rule counters.
 *
 * Source of truth: iptables(8) and iptables-extensions(8) of iptables 1.8.9, and transcripts
 * recorded with that version on Linux 6.18. A table exists in the kernel only once a command
 * wrote to it (`-A`, `-I`, `-N`, `-P`). Listing, `-F`, `-Z` and `-X` do not create it, so
 * `iptables-save` without `-t` prints only the tables that exist. User chains list in byte order
 * of their names after the built-in chains, but the kernel keeps them in creation order, which
 * decides which chain `-X` without a name reports first.
 */
import type { Match } from "./match.js";
import type { Target } from "./target.js";

/** The tables of iptables. Only `filter` and `nat` take rules in this model. */
export type TableName = "filter" | "nat" | "mangle" | "raw" | "security";

/** The netfilter hooks of IPv4, named as the built-in chains that sit on them. */
export type Hook = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

/** The policy of a built-in chain; iptables accepts no other. */
export type Policy = "ACCEPT" | "DROP";

/** The built-in chains of each table, in the order iptables lists them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

/** The tables whose rules this model stores and evaluates. */
export const MODELLED_TABLES: readonly TableName[] = ["filter", "nat"];

/** A packet and byte count, which the packet engine adds through `addCounters`. */
export interface Counters {
  packets: number;
  bytes: number;
}

/** An address match, `-s` or `-d`: the packet's address masked with `mask` equals `addr`. */
export interface AddrMatch {
  /** The network address, already masked. */
  addr: number;
  /** The mask as an unsigned integer; it need not be contiguous. */
  mask: number;
  isInverted: boolean;
}

/** A link name match, `-i` or `-o`; a name ending in `+` matches every name with that prefix. */
export interface IfaceMatch {
  name: string;
  isInverted: boolean;
}

/** The selector and target of a rule, independent of its chain and position. */
export interface RuleSpec {
  src?: AddrMatch;
  dst?: AddrMatch;
  inIface?: IfaceMatch;
  outIface?: IfaceMatch;
  /** `-p`: the protocol number; absent for every protocol. */
  proto?: { number: number; isInverted: boolean };
  /** The `-m` matches, in the order iptables loaded them. */
  matches: Match[];
  /** The `-j` or `-g` target; a rule without one only counts. */
  target?: Target;
}

/** A rule in a chain. */
export interface Rule {
  spec: RuleSpec;
  counters: Counters;
}

/** A chain: built-in chains have a policy, user chains do not. */
export interface Chain {
  name: string;
  policy?: Policy;
  /** For a built-in chain, the packets its policy decided. */
  counters: Counters;
  /**
   * Whether the kernel chain carries policy counters. iptables-nft 1.8.9 creates built-in
   * chains without them and adds them with `-P`, so until then the policy counts nothing.
   */
  hasPolicyCounters?: boolean;
  rules: Rule[];
  /** Creation order within the table; the kernel walks chains in this order. */
  serial: number;
}

/** One table. */
export interface Table {
  name: TableName;
  chains: Record<string, Chain>;
  nextSerial: number;
}

/** The iptables state of a namespace; a table that is absent does not exist in the kernel. */
export interface Ruleset {
  tables: Partial<Record<TableName, Table>>;
}

/** Returns a ruleset with no tables, as a new namespace starts. */
export function createRuleset(): Ruleset {
  return { tables: {} };
}

/** Returns a table with its built-in chains, policies ACCEPT, no rules and zero counters. */
export function createTable(name: TableName): Table {
  const chains: Record<string, Chain> = {};
  BUILTIN_CHAINS[name].forEach((hook, serial) => {
    chains[hook] = { name: hook, policy: "ACCEPT", counters: zero(), rules: [], serial };
  });
  return { name, chains, nextSerial: BUILTIN_CHAINS[name].length };
}

/** Returns a zero counter pair. */
export function zero(): Counters {
  return { packets: 0, bytes: 0 };
}

/** Reports whether `name` is a built-in chain of table `table`. */
export function isBuiltin(table: TableName, name: string): boolean {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(name);
}

/**
 * Returns the table as listings show it: the stored one, or a fresh one when the kernel has
 * none yet (iptables-nft shows the built-in chains of a missing table with default policies).
 */
export function viewTable(ruleset: Ruleset | undefined, name: TableName): Table {
  return ruleset?.tables[name] ?? createTable(name);
}

/** Returns the table, creating it as the first write to it does. */
export function ensureTable(ruleset: Ruleset, name: TableName): Table {
  ruleset.tables[name] ??= createTable(name);
  return ruleset.tables[name]!;
}

/** Returns the chains in listing order: built-in chains first, then user chains by name. */
export function listedChains(table: Table): Chain[] {
  const builtins = BUILTIN_CHAINS[table.name].map((hook) => table.chains[hook]!);
  const users = Object.values(table.chains)
    .filter((chain) => chain.policy === undefined)
    .sort(byName);
  return [...builtins, ...users];
}

/** Orders chains by name in code-unit order, iptables-nft's byte order for ASCII names. */
function byName(a: Chain, b: Chain): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** Returns the number of rules in `table` that jump or go to chain `name`. */
export function referencesTo(table: Table, name: string): number {
  let count = 0;
  for (const chain of Object.values(table.chains)) {
    for (const rule of chain.rules) {
      if (rule.spec.target?.kind === "jump" && rule.spec.target.chain === name) count++;
    }
  }
  return count;
}
