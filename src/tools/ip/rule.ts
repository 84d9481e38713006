/**
 * `ip rule`: add, delete, flush and show IPv4 policy routing rules (iproute2 ip/iprule.c,
 * `iprule_modify`, `iprule_list_flush_or_save`, `print_rule`). `ip rule add` without a table
 * looks up main; a type word (`unreachable`, `prohibit`, `blackhole`, `goto N`, `nop`) replaces
 * the table. `flush` deletes every rule that matches its selectors and has a priority other than
 * 0, so a plain `flush` deletes the kernel's default rules too.
 */
import { UsageError, Unsupported } from "../../errors.js";
import { formatIp4 } from "../../addr/ip4.js";
import type { FibRule, RuleAction, RuleMatch } from "../../fib/rules.js";
import { addRule, automaticPriority, blankRule, deleteRule, gotoTarget } from "../../fib/rules.js";
import { TABLE_MAIN } from "../../fib/route.js";
import type { Netns } from "../../netns/state.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import { Args, invalidArgument, matches, parsePrefix, parseU32 } from "./args.js";
import type { IpOptions } from "./options.js";
import { protocolName, tableName } from "./route-print.js";
import { isUnspecTable, parseTable } from "./route.js";
import { formatDsfield, parseTos } from "./dsfield.js";

/** Runs `ip rule ARGS`. */
export function ipRule(ctx: ToolContext, args: string[], options: IpOptions): number {
  const [verb = "show", ...rest] = args;
  if (matches(verb, "add")) return add(ctx, rest);
  if (matches(verb, "delete")) return remove(ctx, rest);
  if (matches(verb, "flush")) return flush(ctx, rest);
  if (matches(verb, "show") || matches(verb, "list") || verb === "lst") {
    return show(ctx, rest, options);
  }
  if (matches(verb, "save") || matches(verb, "restore")) throw new Unsupported(`ip rule ${verb}`);
  throw new UsageError(`Command "${verb}" is unknown, try "ip rule help".`, 255);
}

/** The attributes parsed from an `ip rule add/del` command line; unset fields were not given. */
interface RuleArgs extends RuleMatch {
  isInverted: boolean;
  gotoPriority?: number;
}

const NOT_MODELLED = ["realms", "l3mdev", "uidrange", "ipproto", "sport", "dport", "tun_id"];

function parseRuleArgs(words: string[]): RuleArgs {
  const args = new Args(words);
  const parsed: RuleArgs = { isInverted: false };
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "not") parsed.isInverted = true;
    else if (word === "from" || word === "to") parsePrefixSelector(parsed, word, args.value(word));
    else if (["preference", "order", "priority"].some((key) => matches(word, key))) {
      parsed.priority = parseU32(args.value(word), "preference value is invalid\n");
    } else if (word === "tos" || matches(word, "dsfield")) {
      parsed.tos = parseTos(args.value(word), "TOS value is invalid");
    } else if (word === "fwmark") parseFwmark(parsed, args.value(word));
    else if (matches(word, "table") || word === "lookup")
      parsed.table = parseRuleTable(args.value(word));
    else if (matches(word, "suppress_prefixlength") || word === "sup_pl") {
      parsed.suppressPrefixLength = parseU32(
        args.value(word),
        "suppress_prefixlength value is invalid\n",
      );
    } else if (word === "dev" || word === "iif") parsed.iif = args.value(word);
    else if (word === "oif") parsed.oif = args.value(word);
    else if (
      matches(word, "protocol") ||
      matches(word, "suppress_ifgroup") ||
      matches(word, "nat")
    ) {
      throw new Unsupported(`ip rule selector "${word}"`);
    } else if (NOT_MODELLED.includes(word) || matches(word, "map-to")) {
      throw new Unsupported(`ip rule selector "${word}"`);
    } else parseType(parsed, word === "type" ? args.value(word) : word, args);
  }
  return parsed;
}

function parsePrefixSelector(parsed: RuleArgs, word: "from" | "to", text: string): void {
  const prefix = parsePrefix(text);
  if (word === "from") {
    parsed.src = prefix.addr;
    parsed.srcBits = prefix.bits;
  } else {
    parsed.dst = prefix.addr;
    parsed.dstBits = prefix.bits;
  }
}

function parseFwmark(parsed: RuleArgs, text: string): void {
  const [markText = "", maskText] = text.split("/");
  parsed.fwmark = parseU32(markText, "fwmark value is invalid\n");
  if (maskText !== undefined) parsed.fwmask = parseU32(maskText, "fwmask value is invalid\n");
}

/** Parses a type word: `goto N`, `nop`, or a route type that names a rule action. */
function parseType(parsed: RuleArgs, word: string, args: Args): void {
  const actions: Record<string, RuleAction> = {
    unreachable: "unreachable",
    prohibit: "prohibit",
    blackhole: "blackhole",
  };
  if (matches(word, "goto")) {
    parsed.action = "goto";
    parsed.gotoPriority = parseU32(args.value(word), "invalid target\n");
  } else if (matches(word, "nop")) parsed.action = "nop";
  else if (actions[word] !== undefined) parsed.action = actions[word];
  else if (
    ["unicast", "local", "broadcast", "anycast", "multicast", "throw", "nat", "xresolve"].includes(
      word,
    )
  ) {
    throw new Unsupported(`ip rule type "${word}"`);
  } else throw invalidArgument("Failed to parse rule type", word, false);
  parsed.table = 0;
}

/** Parses a table name or id as `ip rule` does, with its own error text. */
function parseRuleTable(text: string): number {
  if (isUnspecTable(text)) return 0;
  try {
    return parseTable(text);
  } catch {
    throw invalidArgument("invalid table ID", text);
  }
}

function add(ctx: ToolContext, words: string[]): number {
  if (words.length === 0) throw new UsageError(`"ip rule add" requires arguments.`);
  const parsed = parseRuleArgs(words);
  const ns = currentNs(ctx);
  const rule = blankRule(
    parsed.priority ?? automaticPriority(ns.rules),
    parsed.table ?? TABLE_MAIN,
  );
  rule.action = parsed.action ?? "lookup";
  rule.src = parsed.src ?? 0;
  rule.srcBits = parsed.srcBits ?? 0;
  rule.dst = parsed.dst ?? 0;
  rule.dstBits = parsed.dstBits ?? 0;
  rule.tos = parsed.tos ?? 0;
  rule.fwmark = parsed.fwmark ?? 0;
  // A non-zero mark without a mask compares every bit (`fib_nl2rule`).
  rule.fwmask = parsed.fwmask ?? (rule.fwmark !== 0 ? 0xffffffff : 0);
  rule.isInverted = parsed.isInverted;
  rule.suppressPrefixLength = parsed.suppressPrefixLength ?? -1;
  if (parsed.iif !== undefined) rule.iif = parsed.iif;
  if (parsed.oif !== undefined) rule.oif = parsed.oif;
  if (parsed.gotoPriority !== undefined) rule.gotoPriority = parsed.gotoPriority;
  addRule(ns, rule);
  return 0;
}

function remove(ctx: ToolContext, words: string[]): number {
  if (words.length === 0) throw new UsageError(`"ip rule del" requires arguments.`);
  const { isInverted, gotoPriority, ...match } = parseRuleArgs(words);
  void isInverted;
  void gotoPriority;
  deleteRule(currentNs(ctx), match);
  return 0;
}

/**
 * The selection of `ip rule show` and `ip rule flush` (iproute2 `filter_nlmsg`). A rule must
 * match every selector given. `from` and `to` select rules whose prefix lies inside the given
 * one, and `not` selects inverted rules only.
 */
interface RuleFilter {
  priority?: number;
  isInverted: boolean;
  src?: { addr: number; bits: number };
  dst?: { addr: number; bits: number };
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  iif?: string;
  oif?: string;
  table?: number;
}

function parseRuleFilter(words: string[]): RuleFilter {
  const args = new Args(words);
  const filter: RuleFilter = { isInverted: false };
  while (args.hasMore) {
    const word = args.next()!;
    if (["preference", "order", "priority"].some((key) => matches(word, key))) {
      filter.priority = parseU32(args.value(word), "preference value is invalid\n");
    } else if (word === "not") filter.isInverted = true;
    else if (word === "tos" || matches(word, "dsfield")) {
      filter.tos = parseTos(args.value(word), "TOS value is invalid");
    } else if (word === "fwmark") {
      const [markText = "", maskText] = args.value(word).split("/");
      filter.fwmark = parseU32(markText, "fwmark value is invalid\n");
      if (maskText !== undefined) filter.fwmask = parseU32(maskText, "fwmask value is invalid\n");
    } else if (word === "dev" || word === "iif") filter.iif = args.value(word);
    else if (word === "oif") filter.oif = args.value(word);
    else if (matches(word, "lookup") || matches(word, "table")) {
      const value = args.value(word);
      try {
        filter.table = parseTable(value);
      } catch {
        throw invalidArgument("table id value is invalid", value);
      }
    } else if (matches(word, "from") || matches(word, "src")) {
      filter.src = parseInetPrefix(args.value(word));
    } else if (
      ["l3mdev", "uidrange", "ipproto", "sport", "dport"].includes(word) ||
      matches(word, "protocol")
    ) {
      throw new Unsupported(`ip rule filter "${word}"`);
    } else {
      const isKeyword = matches(word, "dst") || matches(word, "to");
      filter.dst = parseInetPrefix(isKeyword ? args.value(word) : word);
    }
  }
  return filter;
}

/** Parses a prefix as `get_prefix` does for family inet, with its "inet prefix" error. */
function parseInetPrefix(text: string): { addr: number; bits: number } {
  try {
    const { addr, bits } = parsePrefix(text);
    return { addr, bits };
  } catch {
    throw new UsageError(`Error: inet prefix is expected rather than "${text}".`);
  }
}

/** Reports whether `rule` passes `filter`, as iproute2's `filter_nlmsg` decides. */
function isSelected(rule: FibRule, filter: RuleFilter): boolean {
  if (filter.priority !== undefined && rule.priority !== filter.priority) return false;
  if (filter.isInverted && !rule.isInverted) return false;
  if (filter.src !== undefined && !isInside(rule.src, rule.srcBits, filter.src)) return false;
  if (filter.dst !== undefined && !isInside(rule.dst, rule.dstBits, filter.dst)) return false;
  if (filter.tos !== undefined && rule.tos !== filter.tos) return false;
  // A zero mark or mask in the filter is no selector, as iproute2 tests them for non-zero.
  if (filter.fwmark && rule.fwmark !== filter.fwmark) return false;
  if (filter.fwmask && rule.fwmask !== filter.fwmask) return false;
  if (filter.iif !== undefined && rule.iif !== filter.iif) return false;
  if (filter.oif !== undefined && rule.oif !== filter.oif) return false;
  if (filter.table && rule.table !== filter.table) return false;
  return true;
}

/** Reports whether the rule prefix `addr/bits` lies inside `outer` (`inet_addr_match`). */
function isInside(addr: number, bits: number, outer: { addr: number; bits: number }): boolean {
  if (outer.bits === 0) return true;
  if (bits < outer.bits) return false;
  const mask = (0xffffffff << (32 - outer.bits)) >>> 0;
  return (addr & mask) >>> 0 === (outer.addr & mask) >>> 0;
}

function flush(ctx: ToolContext, words: string[]): number {
  const filter = parseRuleFilter(words);
  const ns = currentNs(ctx);
  // iproute2 deletes each dumped rule that passes the filter and carries a priority attribute,
  // which the kernel leaves out for priority 0. The request repeats every attribute of the rule.
  const doomed = ns.rules.filter((rule) => rule.priority !== 0 && isSelected(rule, filter));
  for (const rule of doomed) {
    const match: RuleMatch = {
      priority: rule.priority,
      table: rule.table,
      action: rule.action,
      src: rule.src,
      srcBits: rule.srcBits,
      dst: rule.dst,
      dstBits: rule.dstBits,
      tos: rule.tos,
      fwmark: rule.fwmark,
      fwmask: rule.fwmask,
      suppressPrefixLength: rule.suppressPrefixLength,
    };
    if (rule.iif !== undefined) match.iif = rule.iif;
    if (rule.oif !== undefined) match.oif = rule.oif;
    deleteRule(ns, match);
  }
  return 0;
}

function show(ctx: ToolContext, words: string[], options: IpOptions): number {
  const filter = parseRuleFilter(words);
  const ns = currentNs(ctx);
  for (const rule of ns.rules) {
    if (isSelected(rule, filter)) ctx.out.push(formatRule(ns, rule, options.isDetailed));
  }
  return 0;
}

/** Returns one `ip rule show` line for `rule`: `PRIO:<TAB>SELECTORS ACTION`. */
export function formatRule(ns: Netns, rule: FibRule, isDetailed: boolean): string {
  let line = `${rule.priority}:\t${rule.isInverted ? "not " : ""}`;
  line += rule.srcBits === 0 ? "from all" : `from ${formatPrefix(rule.src, rule.srcBits)}`;
  if (rule.dstBits !== 0) line += ` to ${formatPrefix(rule.dst, rule.dstBits)}`;
  if (rule.tos !== 0) line += ` tos ${formatDsfield(rule.tos)}`;
  if (rule.fwmark !== 0 || rule.fwmask !== 0) {
    line += ` fwmark 0x${rule.fwmark.toString(16)}`;
    if (rule.fwmask !== 0xffffffff) line += `/0x${rule.fwmask.toString(16)}`;
  }
  if (rule.iif !== undefined) line += ` iif ${rule.iif}${detached(ns, rule.iif)}`;
  if (rule.oif !== undefined) line += ` oif ${rule.oif}${detached(ns, rule.oif)}`;
  if (rule.table !== 0) line += ` lookup ${tableName(rule.table)}`;
  if (rule.table !== 0 && rule.suppressPrefixLength !== -1) {
    line += ` suppress_prefixlength ${rule.suppressPrefixLength}`;
  }
  line += actionText(ns, rule);
  if ((rule.protocol !== 0 && rule.protocol !== 2) || isDetailed) {
    line += ` proto ${protocolName(rule.protocol)}`;
  }
  return line;
}

function actionText(ns: Netns, rule: FibRule): string {
  if (rule.action === "goto") {
    const isResolved = gotoTarget(ns.rules, rule.gotoPriority ?? 0) >= 0;
    return ` goto ${rule.gotoPriority}${isResolved ? "" : " [unresolved]"}`;
  }
  if (rule.action === "nop") return " nop";
  return rule.action === "lookup" ? "" : ` ${rule.action}`;
}

function formatPrefix(addr: number, bits: number): string {
  return bits === 32 ? formatIp4(addr) : `${formatIp4(addr)}/${bits}`;
}

function detached(ns: Netns, name: string): string {
  return Object.values(ns.links).some((link) => link.name === name) ? "" : " [detached]";
}
