/**
 * `ip route`: add, delete, replace, prepend, append, change, show, flush and get (iproute2
 * ip/iproute.c, `iproute_modify`, `iproute_list_flush_or_save`, `iproute_get`). The defaults
 * iproute2 fills in matter. A new route is `proto boot`. Its scope is host for local routes, link
 * for broadcast routes and for unicast routes without a gateway, and global otherwise. Local and
 * broadcast routes go to table local.
 */
import { UsageError, Unsupported } from "../../errors.js";
import type { Route, RouteType } from "../../fib/route.js";
import {
  PROTO_BOOT,
  PROTO_KERNEL,
  SCOPE_HOST,
  SCOPE_LINK,
  SCOPE_NOWHERE,
  SCOPE_UNIVERSE,
  TABLE_DEFAULT,
  TABLE_LOCAL,
  TABLE_MAIN,
} from "../../fib/route.js";
import type { AddMode, RouteMatch } from "../../fib/route-ops.js";
import { addRoute, deleteRoute, removeRoutes, routesOf } from "../../fib/route-ops.js";
import type { Netns } from "../../netns/state.js";
import { linksOf } from "../../netns/state.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import {
  Args,
  garbage,
  invalidArgument,
  matches,
  parseAddress,
  parsePrefix,
  parseU32,
  requireLink,
} from "./args.js";
import type { IpOptions } from "./options.js";
import {
  formatLocal6Route,
  formatRoute,
  formatRouteTable,
  parseProtocol,
  parseRouteType,
  parseScopeName,
} from "./route-print.js";
import { local6Routes } from "../../link/addrconf.js";
import { routeGet, secondsLeft } from "./route-get.js";
import { formatIp4 } from "../../addr/ip4.js";
import { outputRoute } from "../../path/output-route.js";
import { pushAll } from "../../push-all.js";
import { parseTos } from "./dsfield.js";
import { ROUTE_USAGE } from "./route-usage.js";

const ROUTE_TYPES: RouteType[] = [
  "unicast",
  "local",
  "broadcast",
  "multicast",
  "throw",
  "unreachable",
  "prohibit",
  "blackhole",
  "nat",
  "anycast",
];

/** Runs `ip route ARGS`. */
export function ipRoute(ctx: ToolContext, args: string[], options: IpOptions): number {
  const [verb = "show", ...rest] = args;
  if (matches(verb, "add")) return modify(ctx, rest, "add");
  if (matches(verb, "change")) return modify(ctx, rest, "change");
  if (matches(verb, "replace")) return modify(ctx, rest, "replace");
  if (matches(verb, "prepend")) return modify(ctx, rest, "prepend");
  if (matches(verb, "append")) return modify(ctx, rest, "append");
  if (matches(verb, "delete")) return remove(ctx, rest);
  if (matches(verb, "show") || matches(verb, "list") || verb === "lst")
    return show(ctx, rest, options);
  if (matches(verb, "get")) return routeGet(ctx, rest, options);
  if (matches(verb, "flush")) return flush(ctx, rest);
  if (matches(verb, "save") || matches(verb, "restore") || matches(verb, "showdump")) {
    throw new Unsupported(`ip route ${verb}`);
  }
  if (matches(verb, "help")) throw new UsageError(ROUTE_USAGE, 255);
  throw new UsageError(`Command "${verb}" is unknown, try "ip route help".`, 255);
}

/** Reports whether `text` names table 0, `unspec` in rt_tables. */
export function isUnspecTable(text: string): boolean {
  return text === "unspec" || /^0+$/.test(text);
}

/** Parses the table of a listing or flush, with the error text of `iproute_list_flush_or_save`. */
function parseFilterTable(text: string): number {
  try {
    return parseTable(text);
  } catch {
    throw invalidArgument("table id value is invalid", text);
  }
}

/** Parses a table name or number. */
export function parseTable(text: string): number {
  if (text === "local") return TABLE_LOCAL;
  if (text === "main") return TABLE_MAIN;
  if (text === "default") return TABLE_DEFAULT;
  if (/^\d+$/.test(text) && Number(text) > 0 && Number(text) <= 0xffffffff) return Number(text);
  throw invalidArgument(`"table" value is invalid`, text);
}

/** The fields `ip route add/del` collected from the command line. */
interface RouteArgs {
  type?: RouteType;
  dst?: { addr: number; bits: number };
  gateway?: number;
  dev?: string;
  src?: number;
  metric?: number;
  table?: number;
  protocol?: number;
  scope?: number;
  tos?: number;
  isOnlink: boolean;
}

/**
 * Options of `iproute_modify` that hoptrace does not model, each with whether iproute2 also
 * takes an abbreviation (`matches`). No abbreviation of one is also an abbreviation of a modelled
 * keyword that iproute2 checks later, so checking them after the modelled ones keeps its order.
 */
const UNMODELLED_OPTIONS: readonly (readonly [string, boolean])[] = [
  ["as", false],
  ["from", false],
  ["expires", false],
  ["mtu", false],
  ["hoplimit", false],
  ["advmss", false],
  ["reordering", true],
  ["rtt", false],
  ["rto_min", false],
  ["window", true],
  ["cwnd", true],
  ["initcwnd", true],
  ["initrwnd", true],
  ["features", true],
  ["quickack", true],
  ["congctl", true],
  ["rttvar", true],
  ["ssthresh", true],
  ["realms", true],
  ["nexthop", false],
  ["nhid", false],
  ["ttl-propagate", false],
  ["fastopen_no_cookie", true],
  ["vrf", true],
  ["pref", true],
  ["encap", false],
];

/**
 * Parses the words of `ip route add/del/...` as `iproute_modify` does, with its keywords and
 * their abbreviations. Any other word is the destination, optionally after `to` and a type.
 */
function parseRouteArgs(words: string[]): RouteArgs {
  const args = new Args(words);
  const result: RouteArgs = { isOnlink: false };
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "src") result.src = parseAddress(args.value(word));
    else if (word === "via") {
      if (result.gateway !== undefined)
        throw invalidArgument("use nexthop syntax to specify multiple via", "via");
      const value = args.value(word);
      if (value === "inet6") throw new Unsupported(`ip route "via inet6" (only IPv4 is modelled)`);
      result.gateway = value === "inet" ? parseAddress(args.value(word)) : parseAddress(value);
    } else if (word === "tos" || matches(word, "dsfield")) {
      result.tos = parseTos(args.value(word), `"tos" value is invalid`);
    } else if (matches(word, "metric") || matches(word, "priority") || word === "preference") {
      result.metric = parseU32(args.value(word), `"metric" value is invalid\n`);
    } else if (word === "scope") {
      const value = args.value(word);
      const scope = parseScopeName(value);
      if (scope === undefined) throw invalidArgument(`invalid "scope" value`, value);
      result.scope = scope;
    } else if (word === "onlink") result.isOnlink = true;
    else if (matches(word, "protocol")) {
      const value = args.value(word);
      const protocol = parseProtocol(value);
      if (protocol === undefined) throw invalidArgument(`"protocol" value is invalid`, value);
      result.protocol = protocol;
    } else if (matches(word, "table")) {
      // Table 0 (unspecified) is main for an add or delete (`fib_new_table`, `fib_get_table`).
      const value = args.value(word);
      result.table = isUnspecTable(value) ? TABLE_MAIN : parseTable(value);
    } else if (word === "dev" || word === "oif") result.dev = args.value(word);
    else {
      const unmodelled = UNMODELLED_OPTIONS.find(([option, isAbbreviable]) =>
        isAbbreviable ? matches(word, option) : word === option,
      );
      if (unmodelled !== undefined) throw new Unsupported(`ip route option "${unmodelled[0]}"`);
      parseDestination(word, args, result);
    }
  }
  return result;
}

/** Reads `[to] [TYPE] PREFIX` into `result`, as the last branch of `iproute_modify` does. */
function parseDestination(word: string, args: Args, result: RouteArgs): void {
  let text = word === "to" ? args.value(word) : word;
  const type = /^[0-9]/.test(text) ? undefined : parseRouteType(text);
  if (type === "unmodelled") throw new Unsupported(`ip route type "${text}"`);
  if (type !== undefined) {
    result.type = type;
    text = args.value(text);
  }
  if (matches(text, "help")) throw new UsageError(ROUTE_USAGE, 255);
  if (result.dst !== undefined) throw garbage("to", text);
  const { addr, bits } = parsePrefix(text);
  result.dst = { addr, bits };
}

function defaultScope(type: RouteType, parsed: RouteArgs): number {
  if (type === "local" || type === "nat") return SCOPE_HOST;
  if (type === "broadcast" || type === "multicast" || type === "anycast") return SCOPE_LINK;
  if (type === "unicast" && parsed.gateway === undefined) return SCOPE_LINK;
  return SCOPE_UNIVERSE;
}

/**
 * Returns the scope iproute2 sends with `ip route del`: host for local and nat routes, link for
 * broadcast, multicast and anycast, else "nowhere", which the kernel reads as "any scope".
 */
function deleteScope(type: RouteType | undefined): number {
  if (type === "local" || type === "nat") return SCOPE_HOST;
  if (type === "broadcast" || type === "multicast" || type === "anycast") return SCOPE_LINK;
  return SCOPE_NOWHERE;
}

function modify(ctx: ToolContext, words: string[], mode: AddMode): number {
  const parsed = parseRouteArgs(words);
  const ns = currentNs(ctx);
  const dev = parsed.dev === undefined ? undefined : requireLink(ns, parsed.dev);
  // Without a destination iproute2 prints its usage (`if (!dst_ok) usage()`).
  if (parsed.dst === undefined) throw new UsageError(ROUTE_USAGE, 255);
  const type = parsed.type ?? "unicast";
  const isLocalTable = ["local", "broadcast", "nat", "anycast"].includes(type);
  const route: Route = {
    table: parsed.table ?? (isLocalTable ? TABLE_LOCAL : TABLE_MAIN),
    type,
    dst: parsed.dst.addr,
    bits: parsed.dst.bits,
    tos: parsed.tos ?? 0,
    metric: parsed.metric ?? 0,
    protocol: parsed.protocol ?? PROTO_BOOT,
    scope: parsed.scope ?? defaultScope(type, parsed),
  };
  // A zero gateway is no gateway: the kernel treats `via 0.0.0.0 dev X` as a device route.
  if (parsed.gateway !== undefined && parsed.gateway !== 0) route.gateway = parsed.gateway;
  if (dev !== undefined) route.dev = dev.ifindex;
  if (parsed.src !== undefined) route.prefsrc = parsed.src;
  if (parsed.isOnlink) route.isOnlink = true;
  addRoute(ctx.state, ns, route, mode);
  return 0;
}

function remove(ctx: ToolContext, words: string[]): number {
  const parsed = parseRouteArgs(words);
  const ns = currentNs(ctx);
  const dev = parsed.dev === undefined ? undefined : requireLink(ns, parsed.dev);
  // Without a destination iproute2 prints its usage (`if (!dst_ok) usage()`).
  if (parsed.dst === undefined) throw new UsageError(ROUTE_USAGE, 255);
  const isLocalTable =
    parsed.type !== undefined && ["local", "broadcast", "nat", "anycast"].includes(parsed.type);
  const match: RouteMatch = {
    table: parsed.table ?? (isLocalTable ? TABLE_LOCAL : TABLE_MAIN),
    dst: parsed.dst.addr,
    bits: parsed.dst.bits,
    tos: parsed.tos ?? 0,
    scope: parsed.scope ?? deleteScope(parsed.type),
  };
  if (parsed.type !== undefined) match.type = parsed.type;
  // Metric 0 is "any metric" to the kernel (`fib_nh_match` compares a non-zero priority only).
  if (parsed.metric !== undefined && parsed.metric !== 0) match.metric = parsed.metric;
  if (parsed.protocol !== undefined) match.protocol = parsed.protocol;
  if (parsed.src !== undefined) match.prefsrc = parsed.src;
  if (parsed.gateway !== undefined) match.gateway = parsed.gateway;
  if (dev !== undefined) match.dev = dev.ifindex;
  deleteRoute(ns, match);
  return 0;
}

/** The selection of `ip route show` and `ip route flush`. */
interface RouteFilter {
  /** A table id, or "all". */
  table: number | "all";
  type?: RouteType;
  dev?: number;
  protocol?: number;
  scope?: number;
  tos?: number;
  /** `root`, `match` or `exact` with a prefix, or a bare prefix (exact). */
  prefix?: { addr: number; bits: number; how: "root" | "match" | "exact" };
}

function parseFilter(ns: Netns, words: string[]): RouteFilter {
  const args = new Args(words);
  const filter: RouteFilter = { table: TABLE_MAIN };
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "table") {
      const value = args.value(word);
      // Table 0 (unspecified) selects every table, as `all` does, and `cache` the route cache.
      if (value === "cache") filter.table = -1;
      else filter.table = value === "all" || isUnspecTable(value) ? "all" : parseFilterTable(value);
    } else if (word === "type") filter.type = parseFilterType(args.value(word));
    else if (word === "dev" || word === "oif")
      filter.dev = requireLink(ns, args.value(word)).ifindex;
    else if (word === "proto" || word === "protocol") {
      // iproute2 reads "all" as no filter and rejects other unknown names.
      const value = args.value(word);
      const protocol = parseProtocol(value);
      if (protocol !== undefined) filter.protocol = protocol;
      else if (value === "all") delete filter.protocol;
      else throw invalidArgument(`invalid "protocol"`, value);
    } else if (word === "scope") {
      const value = args.value(word);
      const scope = parseScopeName(value);
      if (scope !== undefined) filter.scope = scope;
      else if (value === "all") delete filter.scope;
      else throw invalidArgument(`invalid "scope"`, value);
    } else if (word === "root" || word === "match" || word === "exact") {
      const { addr, bits } = parsePrefix(args.value(word));
      filter.prefix = { addr, bits, how: word };
    } else if (ROUTE_TYPES.includes(word as RouteType)) filter.type = word as RouteType;
    else if (word === "cache") filter.table = -1;
    else if (word === "tos" || matches(word, "dsfield")) {
      filter.tos = parseTos(args.value(word), "TOS value is invalid");
    } else if (["via", "src", "from", "realm", "vrf", "iif"].includes(word)) {
      throw new Unsupported(`ip route show filter "${word}"`);
    } else {
      const { addr, bits } = parsePrefix(word);
      filter.prefix = { addr, bits, how: "exact" };
    }
  }
  return filter;
}

/** Parses the value of a `type` filter, throwing iproute2's "node type" error for a bad name. */
function parseFilterType(text: string): RouteType {
  const type = parseRouteType(text);
  if (type === undefined) throw invalidArgument("node type value is invalid", text);
  if (type === "unmodelled") throw new Unsupported(`ip route filter "type ${text}"`);
  return type;
}

/** Returns the routes `filter` selects, in the order a listing prints them when `isListing`. */
function selectRoutes(ns: Netns, filter: RouteFilter, isListing: boolean): Route[] {
  const tables = filter.table === "all" ? tablesInDumpOrder(ns, isListing) : [filter.table];
  const routes: Route[] = [];
  for (const table of tables) {
    if (ns.tables[table] === undefined) {
      if (filter.table === "all") continue;
      throw new UsageError("Error: ipv4: FIB table does not exist.\nDump terminated", 2);
    }
    pushAll(routes, routesOf(ns, table));
  }
  return routes.filter((route) => matchesFilter(route, filter));
}

/**
 * Returns the namespace's table ids in the order the kernel dumps them: by hash bucket, the id's
 * low 8 bits (`fib_table_hash` has 256 buckets), so table 300 comes before table 100. Within a
 * bucket the newest table comes first, and hoptrace does not keep the order tables were made in,
 * so a listing of two tables in one bucket fails as not supported.
 */
function tablesInDumpOrder(ns: Netns, isListing: boolean): number[] {
  const ids = Object.keys(ns.tables)
    .map(Number)
    .sort((a, b) => (a & 255) - (b & 255) || a - b);
  for (let i = 1; isListing && i < ids.length; i++) {
    if ((ids[i]! & 255) === (ids[i - 1]! & 255)) {
      throw new Unsupported(
        `ip route show table all with tables ${ids[i - 1]} and ${ids[i]}, ` +
          "whose dump order depends on which was made first",
      );
    }
  }
  return ids;
}

function matchesFilter(route: Route, filter: RouteFilter): boolean {
  if (filter.type !== undefined && route.type !== filter.type) return false;
  if (filter.dev !== undefined && route.dev !== filter.dev) return false;
  if (filter.protocol !== undefined && route.protocol !== filter.protocol) return false;
  if (filter.scope !== undefined && route.scope !== filter.scope) return false;
  if (filter.tos !== undefined && route.tos !== filter.tos) return false;
  const prefix = filter.prefix;
  if (prefix === undefined) return true;
  if (prefix.how === "exact") return route.dst === prefix.addr && route.bits === prefix.bits;
  if (prefix.how === "root")
    return route.bits >= prefix.bits && covers(prefix.addr, prefix.bits, route.dst);
  return route.bits <= prefix.bits && covers(route.dst, route.bits, prefix.addr);
}

function covers(net: number, bits: number, addr: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (addr & mask) >>> 0 === net;
}

/**
 * Returns what `ip route show cache` lists: each path MTU exception that ICMP taught the
 * namespace, with the gateway and link of the route that leads to its destination, as a reply
 * of `ip route get` shows them. Exceptions for a destination outside a `root`, `match` or exact
 * prefix of `filter` are left out, and so are those of another link than `dev`.
 *
 * NOTE: the kernel lists exceptions in the order of its hash buckets, and the model by address.
 * No recorded case has two exceptions at once, so the order of several is unverified.
 */
function cacheLines(ctx: ToolContext, ns: Netns, filter: RouteFilter): string[] {
  const now = ctx.state.clock;
  const live = (ns.pmtu ?? []).filter((entry) => entry.expiresAt > now);
  const lines: string[] = [];
  for (const entry of live.sort((a, b) => a.dst - b.dst)) {
    const { prefix } = filter;
    if (prefix !== undefined && !covers(prefix.addr, prefix.bits, entry.dst)) continue;
    if (prefix?.how === "exact" && prefix.bits !== 32) continue;
    const result = outputRoute(ctx.state, ns, { dst: entry.dst });
    if (!result.ok || (filter.dev !== undefined && result.route.dev.ifindex !== filter.dev)) {
      continue;
    }
    const { nexthop, dev } = result.route;
    const via = nexthop === entry.dst ? "" : `via ${formatIp4(nexthop)} `;
    lines.push(`${formatIp4(entry.dst)} ${via}dev ${dev.name} `);
    lines.push(`    cache expires ${secondsLeft(entry, now)}sec mtu ${entry.mtu} `);
  }
  return lines;
}

function show(ctx: ToolContext, words: string[], options: IpOptions): number {
  const ns = currentNs(ctx);
  const filter = parseFilter(ns, words);
  if (filter.table === -1) {
    pushAll(ctx.out, cacheLines(ctx, ns, filter));
    return 0;
  }
  const print = {
    isTableShown: filter.table === "all",
    isDetailed: options.isDetailed,
    isProtocolFiltered: filter.protocol !== undefined,
    isScopeFiltered: filter.scope !== undefined,
    isDevFiltered: filter.dev !== undefined,
    isTosFiltered: filter.tos !== undefined,
  };
  const ipv6 = filter.table === "all" && !options.isIpv4Only ? ipv6Lines(ctx, ns, filter) : [];
  for (const route of selectRoutes(ns, filter, true))
    ctx.out.push(formatRoute(ctx.state, ns, route, print));
  ctx.out.push(...ipv6);
  return 0;
}

/** Route types that no IPv6 route of a link has. */
const IPV4_ONLY_TYPES: readonly RouteType[] = [
  "broadcast",
  "throw",
  "unreachable",
  "prohibit",
  "blackhole",
  "nat",
];

/**
 * Returns the IPv6 lines `ip route show table all` adds, since a dump of all tables is not
 * limited to IPv4. Only local routes are modelled; other IPv6 routes exist once a link has an
 * IPv6 address, so a selection that would include them is unsupported.
 */
function ipv6Lines(ctx: ToolContext, ns: Netns, filter: RouteFilter): string[] {
  // Every IPv6 route has scope global (`rtm_scope` is RT_SCOPE_UNIVERSE in `rt6_fill_node`).
  if (filter.scope !== undefined && filter.scope !== SCOPE_UNIVERSE) return [];
  // A link's IPv6 routes are unicast, local, multicast and anycast ones, none of another type.
  if (filter.type !== undefined && IPV4_ONLY_TYPES.includes(filter.type)) return [];
  const routes = local6Routes(ctx.state, ns);
  const isLocalOnly =
    filter.type === "local" && filter.prefix === undefined && filter.scope === undefined;
  if (!isLocalOnly) {
    const hasIpv6 = routes.length > 0 || linksOf(ns).some((link) => link.linkLocal6 !== undefined);
    if (hasIpv6) throw new Unsupported("ip route show table all with IPv6 routes (use -4)");
    return [];
  }
  return routes
    .filter((route) => filter.dev === undefined || route.link.ifindex === filter.dev)
    .filter((route) => filter.protocol === undefined || filter.protocol === PROTO_KERNEL)
    .map((route) =>
      formatLocal6Route(
        route.addr,
        route.link.name,
        filter.protocol !== undefined,
        filter.dev !== undefined,
      ),
    );
}

function flush(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  // Writing /proc/sys/net/ipv4/route/flush also bumps the exceptions' generation
  // (`ipv4_sysctl_rtcache_flush`), so the path MTUs that ICMP taught are forgotten.
  if (words.length === 0) throw new UsageError(`"ip route flush" requires arguments.`);
  const filter = parseFilter(ns, words);
  if (filter.table === -1) {
    delete ns.pmtu;
    return 0;
  }
  // Both sides are the tables' plain route objects (see `routesOf`), so identity selects them.
  const doomed = new Set(selectRoutes(ns, filter, false));
  removeRoutes(ns, (route) => doomed.has(route));
  return 0;
}

/** Runs `route -n` for the main table of the current namespace. */
export function routeN(ctx: ToolContext, args: string[]): number {
  if (!args.every((arg) => arg === "-n" || arg === "-e" || arg === "-4")) {
    throw new Unsupported(`route ${args.join(" ")}`);
  }
  const ns = currentNs(ctx);
  pushAll(ctx.out, formatRouteTable(ns, routesOf(ns, TABLE_MAIN)));
  return 0;
}
