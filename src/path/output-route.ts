/**
 * Output route resolution for locally generated packets, and source address selection.
 *
 * Sources: net/ipv4/route.c (`ip_route_output_key_hash_rcu`: a zero destination means the
 * loopback; with an output link set and no route, the destination is taken as on-link; a local
 * route sends the packet through lo), net/ipv4/devinet.c (`inet_select_addr`: the first primary
 * address of the link whose scope fits, else one from another link) and
 * net/ipv4/fib_semantics.c (`fib_info_update_nhc_saddr`).
 */
import type { Errno } from "../errors.js";
import type { Link, Netns, NetState } from "../netns/state.js";
import { linksOf } from "../netns/state.js";
import { containsIp4, isLoopback, isMulticast, networkOf } from "../addr/ip4.js";
import type { Route } from "../fib/route.js";
import { fibLookup, lookupRoutes, prefixesOf } from "../fib/lookup.js";
import { ADDR_SCOPE, SCOPE_LINK, TABLE_LOCAL, tableName } from "../fib/route.js";
import { isLocalSource } from "./netfilter-packet.js";

/** A resolved output route. */
export interface OutputRoute {
  /** The destination; a zero destination has been rewritten to the loopback address. */
  dst: number;
  src: number;
  /** The link the packet leaves by: lo for local destinations. */
  dev: Link;
  /** The neighbour to resolve: the gateway when one is used, else the destination. */
  nexthop: number;
  isLocal: boolean;
  isBroadcast: boolean;
  /** Whether the destination is a multicast group, sent to its group MAC. */
  isMulticast: boolean;
  /** The FIB entry that decided, absent when the destination was assumed on-link. */
  route?: Route;
  /** The priority of the policy rule whose lookup decided, once the namespace has rules. */
  rule?: number;
  /** The flow's mark, which a new lookup after nat OUTPUT (`ip_route_me_harder`) uses again. */
  mark?: number;
  /**
   * Whether the caller fixed the source, as a bound socket or a reply does, instead of the route
   * choosing it. `ip route get` prints such a source as `from`, and a chosen one as `src`.
   */
  isSourceGiven?: boolean;
}

/** A failed output route lookup: the errno, and the rule and table that decided, if known. */
export interface NoOutputRoute {
  ok: false;
  errno: Errno;
  rule?: number;
  table?: number;
  /**
   * The source the lookup rejected: not local (`__ip_dev_find`, ENETUNREACH), or a loopback
   * address for a route that leaves by another link (EINVAL).
   */
  badSource?: number;
}

/** The parts of a flow a caller may fix: source address, output link, TOS. */
export interface OutputQuery {
  dst: number;
  src?: number;
  oif?: number;
  tos?: number;
  /** The socket mark (`SO_MARK`), which `fwmark` rules select on. */
  mark?: number;
  /** Whether any source is accepted (`FLOWI_FLAG_ANYSRC`), as when netfilter routes again. */
  isAnySource?: boolean;
}

/**
 * Returns the source address the kernel picks on `link` for a route of `scope`: the first
 * primary address whose scope fits (preferring one in the subnet of `near`), else an address
 * from another link that is not link-scoped.
 */
export function selectSource(ns: Netns, link: Link, scope: number, near = 0): number | undefined {
  let chosen: number | undefined;
  for (const addr of ns.addrs) {
    if (addr.ifindex !== link.ifindex || addr.isSecondary) continue;
    if (ADDR_SCOPE[addr.scope] > scope) continue;
    if (near !== 0 && containsIp4(networkOf(addr.local, addr.bits), addr.bits, near))
      return addr.local;
    chosen ??= addr.local;
  }
  if (chosen !== undefined) return chosen;
  for (const other of linksOf(ns)) {
    for (const addr of ns.addrs) {
      if (addr.ifindex !== other.ifindex || addr.isSecondary) continue;
      if (addr.scope !== "link" && ADDR_SCOPE[addr.scope] <= scope) return addr.local;
    }
  }
  return undefined;
}

/**
 * Returns how a trace names the policy rule and table behind a route decision, such as
 * ` (rule 100, table 20)`. Empty while the namespace has no rules of its own, because then the
 * local and main tables decide together without rules.
 */
export function decisionText(decision: { rule?: number; table?: number }): string {
  if (decision.rule === undefined) return "";
  const table = decision.table === undefined ? "" : `, table ${tableName(decision.table)}`;
  return ` (rule ${decision.rule}${table})`;
}

/**
 * Returns the loopback link of `ns`. Every namespace gets lo as ifindex 1 when it is created
 * (`createNetns`), and lo can be neither deleted nor moved, so the search is only a fallback.
 */
export function loopbackOf(ns: Netns): Link {
  const first = ns.links[1];
  if (first?.kind === "loopback") return first;
  return linksOf(ns).find((link) => link.kind === "loopback")!;
}

/**
 * Resolves the output route for `query`, or the errno `connect()` would fail with. A given
 * source must be one of the namespace's addresses or local in its local table, unless
 * `isAnySource` is set: otherwise the lookup fails with ENETUNREACH before any table is read.
 */
export function outputRoute(
  state: NetState,
  ns: Netns,
  query: OutputQuery,
): { ok: true; route: OutputRoute } | NoOutputRoute {
  const result = lookupOutput(state, ns, query);
  // `__mkroute_output`: a loopback source leaves by a loopback device only.
  const { src } = query;
  const isLoopbackSource = src !== undefined && isLoopback(src);
  if (result.ok && isLoopbackSource && result.route.dev.kind !== "loopback") {
    return { ok: false, errno: "EINVAL", badSource: src };
  }
  if (result.ok && src !== undefined && src !== 0) result.route.isSourceGiven = true;
  return result;
}

/** Resolves the output route for `query` without `outputRoute`'s last check. */
function lookupOutput(
  state: NetState,
  ns: Netns,
  query: OutputQuery,
): { ok: true; route: OutputRoute } | NoOutputRoute {
  const { src } = query;
  if (src !== undefined && src !== 0 && query.isAnySource !== true && !isLocalSource(ns, src)) {
    return { ok: false, errno: "ENETUNREACH", badSource: src };
  }
  const lo = loopbackOf(ns);
  if (query.dst === 0) {
    const dst = query.src ?? 0x7f000001;
    const route = {
      dst,
      src: dst,
      dev: lo,
      nexthop: dst,
      isLocal: true,
      isBroadcast: false,
      isMulticast: false,
    };
    return { ok: true, route };
  }
  const oifLink = query.oif === undefined ? undefined : ns.links[query.oif];
  if (oifLink !== undefined && !oifLink.isAdminUp) return { ok: false, errno: "ENETUNREACH" };
  const isGroup = query.dst === 0xffffffff || isMulticast(query.dst);
  if (isGroup && oifLink !== undefined) return { ok: true, route: onLink(ns, oifLink, query) };
  // A group destination with a source and no output link leaves by the link that owns the
  // source, without a FIB lookup: the "special hack" of `ip_route_output_key_hash_rcu`.
  if (isGroup && query.src !== undefined && query.src !== 0) {
    const owner = sourceOwner(ns, query.src);
    if (owner === undefined) return { ok: false, errno: "ENETUNREACH" };
    return { ok: true, route: onLink(ns, owner, query) };
  }
  // Rules see the source, the mark and lo as the input link of a locally generated flow.
  const result = fibLookup(state, ns, {
    dst: query.dst,
    ...(query.src === undefined ? {} : { src: query.src }),
    ...(query.tos === undefined ? {} : { tos: query.tos }),
    ...(query.oif === undefined ? {} : { oif: query.oif }),
    ...(query.mark === undefined ? {} : { mark: query.mark }),
  });
  if (!result.ok) {
    if (oifLink === undefined) {
      const { errno, rule, table } = result;
      return {
        ok: false,
        errno,
        ...(rule === undefined ? {} : { rule }),
        ...(table === undefined ? {} : { table }),
      };
    }
    return { ok: true, route: onLink(ns, oifLink, query) };
  }
  const route = fromFib(ns, lo, query, result.route);
  if (result.rule !== undefined) route.rule = result.rule;
  if (query.mark !== undefined && query.mark !== 0) route.mark = query.mark;
  return { ok: true, route };
}

/**
 * Resolves the route of a socket's `connect()` (`ip_route_connect`): without a bound source, a
 * first lookup picks one and a second lookup from it gives the route, so a source that is not
 * local fails the connect. With `isSentUnbound` the socket only checks with the connect and
 * sends unbound, as ping's probe does, so a connect that succeeds gives the first route.
 */
export function connectRoute(
  state: NetState,
  ns: Netns,
  query: OutputQuery,
  isSentUnbound = false,
): { ok: true; route: OutputRoute } | NoOutputRoute {
  const first = outputRoute(state, ns, query);
  if (!first.ok || query.src !== undefined) return first;
  const { dst, src } = first.route;
  // Without rules of its own the lookup does not depend on the source, so only the check of
  // the source can tell the second lookup from the first.
  if (src === 0 || (!ns.hasCustomRules && isLocalSource(ns, src))) return first;
  const second = outputRoute(state, ns, { ...query, dst, src });
  if (!second.ok) return second;
  if (isSentUnbound) return first;
  // The first lookup chose this source; the second only checks it.
  second.route.isSourceGiven = false;
  return second;
}

/**
 * Returns the link that owns the local address `src` (`__ip_dev_find`): the link it is assigned
 * to, else the link of the local route that makes it local, such as lo for an AnyIP range.
 */
function sourceOwner(ns: Netns, src: number): Link | undefined {
  const assigned = ns.addrs.find((addr) => addr.local === src);
  if (assigned !== undefined) return ns.links[assigned.ifindex];
  const routes = lookupRoutes(ns, TABLE_LOCAL);
  if (routes === undefined) return undefined;
  for (const group of prefixesOf(routes, src)) {
    const route = group.find((candidate) => candidate.tos === 0);
    if (route === undefined) continue;
    return route.type === "local" && route.dev !== undefined ? ns.links[route.dev] : undefined;
  }
  return undefined;
}

/**
 * Returns the route the kernel makes up when an output link is given and the tables have
 * nothing for the destination, or it is a broadcast or group address: straight out of that link.
 */
function onLink(ns: Netns, dev: Link, query: OutputQuery): OutputRoute {
  const src = query.src ?? selectSource(ns, dev, SCOPE_LINK) ?? 0;
  const isBroadcast = query.dst === 0xffffffff;
  const isGroup = isMulticast(query.dst);
  return {
    dst: query.dst,
    src,
    dev,
    nexthop: query.dst,
    isLocal: false,
    isBroadcast,
    isMulticast: isGroup,
  };
}

function fromFib(ns: Netns, lo: Link, query: OutputQuery, route: Route): OutputRoute {
  const dev = ns.links[route.dev!]!;
  if (route.type === "local") {
    const src = query.src ?? route.prefsrc ?? query.dst;
    const flags = { isLocal: true, isBroadcast: false, isMulticast: false };
    return { dst: query.dst, src, dev: lo, nexthop: query.dst, ...flags, route };
  }
  // Without a preferred source, the kernel takes the link's primary address whose subnet contains
  // the gateway, else its first one (`fib_result_prefsrc`, `inet_select_addr`).
  const near = route.gateway ?? 0;
  const src = query.src ?? route.prefsrc ?? selectSource(ns, dev, route.scope, near) ?? 0;
  const isBroadcast = route.type === "broadcast" || query.dst === 0xffffffff;
  const isGroup = isMulticast(query.dst);
  // `__mkroute_output` drops the FIB entry's nexthop for a broadcast, and for a group that only
  // a route shorter than /4 (the default route, say) covers: neither goes to a gateway.
  const isNexthopDropped = isBroadcast || (isGroup && route.bits < 4);
  const usesGateway =
    route.gateway !== undefined && route.nexthopScope === SCOPE_LINK && !isNexthopDropped;
  const nexthop = usesGateway ? route.gateway! : query.dst;
  return {
    dst: query.dst,
    src,
    dev,
    nexthop,
    isLocal: false,
    isBroadcast,
    isMulticast: isGroup,
    route,
  };
}
