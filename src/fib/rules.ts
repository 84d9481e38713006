/**
 * Policy routing rules: which tables a lookup consults, in which order, and for which flows.
 *
 * Sources: net/core/fib_rules.c and net/ipv4/fib_rules.c. A rule added without a priority gets
 * the priority of the rule after the first one, minus 1 (`fib_default_rule_pref`). A new rule
 * goes after every rule of lower or equal priority, and an identical one is rejected with
 * EEXIST (`rule_exists`). `ip rule del` deletes the first rule that matches every given
 * attribute (`rule_find`). A lookup walks the rules in order (`fib_rules_lookup`): iif, oif and
 * fwmark, then source, destination and TOS (`fib4_rule_match`) select a rule, and `not` inverts
 * the result. `goto` jumps to the first rule of the target priority and `nop` does nothing.
 * Unreachable, prohibit and blackhole rules fail with ENETUNREACH, EACCES and EINVAL
 * (`fib4_rule_action`). Adding or deleting the first rule splits the local table from main for
 * good (`fib4_rule_configure`, `fib4_rule_delete`).
 */
import { rtnetlinkError } from "../errors.js";
import { containsIp4 } from "../addr/ip4.js";
import type { Netns } from "../netns/state.js";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from "./route.js";
import { EMPTY_TABLE } from "./route-table.js";

/** The action of a matching rule (`FR_ACT_*`). */
export type RuleAction = "lookup" | "goto" | "nop" | "blackhole" | "unreachable" | "prohibit";

/** The ifindex of lo, which the kernel uses as the input link of locally generated flows. */
export const LOOPBACK_IFINDEX = 1;

/** Route protocol of the three rules every namespace starts with (`RTPROT_KERNEL`). */
const PROTO_KERNEL = 2;

/** One IPv4 policy routing rule. */
export interface FibRule {
  priority: number;
  action: RuleAction;
  /** The table a lookup rule consults; 0 for the other actions. */
  table: number;
  /** The source prefix; bits 0 matches every source. */
  src: number;
  srcBits: number;
  /** The destination prefix; bits 0 matches every destination. */
  dst: number;
  dstBits: number;
  /** The TOS to match; 0 matches any. */
  tos: number;
  fwmark: number;
  /** Mark bits compared; 0 compares none. */
  fwmask: number;
  /** Input link name; the rule never matches while no link has this name ("detached"). */
  iif?: string;
  /** Output link name, with the same detached rule as `iif`. */
  oif?: string;
  /** `not`: the rule applies to flows that do NOT match its selectors. */
  isInverted: boolean;
  /** The priority a `goto` rule jumps to. */
  gotoPriority?: number;
  /** A lookup result whose prefix is this long or shorter is ignored; -1 disables it. */
  suppressPrefixLength: number;
  /** `rtm_protocol` of the rule: 0 (unspec) for user rules, kernel for the defaults. */
  protocol: number;
}

/** The flow fields rules select on (a subset of `struct flowi4`). */
export interface RuleFlow {
  dst: number;
  /** The source address; 0 when the caller has not chosen one yet. */
  src?: number;
  tos?: number;
  /** The input link: lo for locally generated flows, which is the default. */
  iif?: number;
  oif?: number;
  mark?: number;
}

/** Returns a lookup rule with every selector empty. */
export function blankRule(priority: number, table: number, protocol = 0): FibRule {
  return {
    priority,
    action: "lookup",
    table,
    src: 0,
    srcBits: 0,
    dst: 0,
    dstBits: 0,
    tos: 0,
    fwmark: 0,
    fwmask: 0,
    isInverted: false,
    suppressPrefixLength: -1,
    protocol,
  };
}

/** Returns the rules a new namespace starts with: local at 0, main at 32766, default at 32767. */
export function defaultRules(): FibRule[] {
  return [
    blankRule(0, TABLE_LOCAL, PROTO_KERNEL),
    blankRule(32766, TABLE_MAIN, PROTO_KERNEL),
    blankRule(32767, TABLE_DEFAULT, PROTO_KERNEL),
  ];
}

/** Returns the priority a rule added without one gets: the second rule's priority minus 1. */
export function automaticPriority(rules: readonly FibRule[]): number {
  const second = rules[1];
  return second !== undefined && second.priority > 0 ? second.priority - 1 : 0;
}

/**
 * Adds `rule` to `ns`, as `ip rule add` does. Throws `KernelError`: EEXIST for an identical
 * rule, EINVAL for a backward goto or a TOS with low bits set.
 */
export function addRule(ns: Netns, rule: FibRule): void {
  if ((rule.tos & 0x03) !== 0) {
    throw rtnetlinkError("EINVAL", "Invalid dsfield (tos): ECN bits must be 0");
  }
  if ((rule.tos & ~0x1e) !== 0) throw rtnetlinkError("EINVAL", "Invalid tos");
  if (rule.action === "goto" && (rule.gotoPriority ?? 0) <= rule.priority) {
    throw rtnetlinkError("EINVAL", "Backward goto not supported");
  }
  if (ns.rules.some((other) => isSameRule(other, rule))) throw rtnetlinkError("EEXIST");
  // `fib4_rule_configure`: a lookup in table 0 (unspec) gets a new table, the first unused id.
  if (rule.action === "lookup" && rule.table === 0) rule.table = newTable(ns);
  const after = ns.rules.findIndex((other) => other.priority > rule.priority);
  ns.rules.splice(after < 0 ? ns.rules.length : after, 0, rule);
  // The first rule splits the merged local/main table, and the kernel never merges it again.
  ns.hasCustomRules = true;
}

/** Creates the empty table with the lowest id that no table has yet (`fib_empty_table`). */
function newTable(ns: Netns): number {
  let id = 1;
  while (ns.tables[id] !== undefined) id++;
  ns.tables[id] = EMPTY_TABLE;
  return id;
}

/**
 * Reports whether `existing` blocks adding `added` (`rule_exists`). Source, destination and TOS
 * are compared only when `added` sets them, so a rule without `from` collides with a rule of
 * the same priority and table that has one. `not` is not compared at all.
 */
function isSameRule(existing: FibRule, added: FibRule): boolean {
  return (
    existing.priority === added.priority &&
    existing.action === added.action &&
    existing.table === added.table &&
    existing.iif === added.iif &&
    existing.oif === added.oif &&
    existing.fwmark === added.fwmark &&
    existing.fwmask === added.fwmask &&
    existing.suppressPrefixLength === added.suppressPrefixLength &&
    (added.srcBits === 0 || (existing.srcBits === added.srcBits && existing.src === added.src)) &&
    (added.dstBits === 0 || (existing.dstBits === added.dstBits && existing.dst === added.dst)) &&
    (added.tos === 0 || existing.tos === added.tos)
  );
}

/** The attributes `ip rule del` sent; unset ones match any rule. */
export interface RuleMatch {
  priority?: number;
  action?: RuleAction;
  table?: number;
  src?: number;
  srcBits?: number;
  dst?: number;
  dstBits?: number;
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  iif?: string;
  oif?: string;
  suppressPrefixLength?: number;
}

/** Deletes the first rule that `match` selects and returns it; throws ENOENT when none does. */
export function deleteRule(ns: Netns, match: RuleMatch): FibRule {
  const index = ns.rules.findIndex((rule) => isDeleteMatch(rule, match));
  if (index < 0) throw rtnetlinkError("ENOENT");
  const [removed] = ns.rules.splice(index, 1);
  ns.hasCustomRules = true;
  return removed!;
}

/** `rule_find`: every attribute the request sets must be equal; a zero source length is unset. */
function isDeleteMatch(rule: FibRule, match: RuleMatch): boolean {
  const isUnsetOrEqual = (wanted: number | string | undefined, actual: unknown): boolean =>
    wanted === undefined || wanted === actual;
  return (
    isUnsetOrEqual(match.action, rule.action) &&
    (!match.table || match.table === rule.table) &&
    isUnsetOrEqual(match.priority, rule.priority) &&
    isUnsetOrEqual(match.iif, rule.iif) &&
    isUnsetOrEqual(match.oif, rule.oif) &&
    (!match.fwmark || match.fwmark === rule.fwmark) &&
    (!match.fwmask || match.fwmask === rule.fwmask) &&
    isUnsetOrEqual(match.suppressPrefixLength, rule.suppressPrefixLength) &&
    (!match.tos || match.tos === rule.tos) &&
    (!match.srcBits || (rule.srcBits === match.srcBits && rule.src === match.src)) &&
    (!match.dstBits || (rule.dstBits === match.dstBits && rule.dst === match.dst))
  );
}

/** Reports whether `rule` selects `flow`, as `fib_rule_match` and `fib4_rule_match` do. */
export function ruleMatches(ns: Netns, rule: FibRule, flow: RuleFlow): boolean {
  return rule.isInverted !== selectorsMatch(ns, rule, flow);
}

function selectorsMatch(ns: Netns, rule: FibRule, flow: RuleFlow): boolean {
  if (rule.iif !== undefined && linkIndex(ns, rule.iif) !== (flow.iif ?? LOOPBACK_IFINDEX)) {
    return false;
  }
  if (rule.oif !== undefined && linkIndex(ns, rule.oif) !== (flow.oif ?? 0)) return false;
  if (((rule.fwmark ^ (flow.mark ?? 0)) & rule.fwmask) >>> 0 !== 0) return false;
  if (!containsIp4(rule.src, rule.srcBits, flow.src ?? 0)) return false;
  if (!containsIp4(rule.dst, rule.dstBits, flow.dst)) return false;
  // Rule TOS compares the three legacy TOS bits only (`fib_dscp_masked_match`).
  return rule.tos === 0 || rule.tos === ((flow.tos ?? 0) & 0x1c);
}

/** Returns the ifindex of the link called `name`, or -1 while none exists (a detached rule). */
function linkIndex(ns: Netns, name: string): number {
  return Object.values(ns.links).find((link) => link.name === name)?.ifindex ?? -1;
}

/**
 * Returns the index of the first rule whose priority is `priority`, the rule a goto lands on,
 * or -1 while there is none (the kernel prints such a goto as `[unresolved]`).
 */
export function gotoTarget(rules: readonly FibRule[], priority: number): number {
  return rules.findIndex((rule) => rule.priority === priority);
}
