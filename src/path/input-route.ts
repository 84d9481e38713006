/**
 * Input routing: what the kernel decides for a packet that arrives on a link, before it is
 * delivered, forwarded or dropped. `ip route get ... iif` asks the same question, so the engine
 * and that command share this function.
 *
 * Sources: net/ipv4/route.c (`ip_route_input_rcu`: multicast groups first;
 * `ip_route_input_slow`: martian sources and destinations, the limited broadcast, the FIB
 * lookup, broadcast and local input, the ingress link's `forwarding`, and `no_route`, whose
 * errno `ip_error` later turns into a count or an ICMP error) and net/ipv4/fib_frontend.c
 * (`fib_validate_source`, `__fib_validate_source`: reverse-path filtering with
 * rp_filter = max(conf.all, conf.LINK), where 1 wants the route back to leave by the arrival
 * link and 2 any unicast route back; a local source address is a martian unless
 * `accept_local` is set).
 */
import type { Errno } from "../errors.js";
import { isLoopback, isMulticast, isZeronet } from "../addr/ip4.js";
import { fibLookup } from "../fib/lookup.js";
import type { Route } from "../fib/route.js";
import type { Link, Netns, NetState } from "../netns/state.js";
import { isOwnAddress } from "../netns/state.js";
import type { DropReason } from "./verdict.js";

/** An arrived packet as input routing sees it: its addresses, TOS and arrival link. */
export interface InputQuery {
  dst: number;
  src: number;
  iif: number;
  tos?: number;
  /** The packet's mark, which `fwmark` rules select on. */
  mark?: number;
}

/** The fate input routing gives a packet. */
export type InputRoute =
  | { ok: true; kind: "local" | "broadcast" | "multicast"; route?: Route }
  | { ok: true; kind: "forward"; route: Route; isRedirect: boolean; rule?: number }
  /** `no_route`: the packet goes to `ip_error`, which counts it or answers with ICMP. */
  | { ok: true; kind: "unreachable"; errno: Errno; route?: Route; rule?: number; table?: number }
  /** A martian or a reverse-path failure: dropped on arrival, `EINVAL` for `ip route get`. */
  | { ok: false; errno: "EINVAL"; reason: DropReason; why: string };

const LIMITED_BROADCAST = 0xffffffff;
/** 224.0.0.1, the all-hosts group every multicast-capable IPv4 link joins when it comes up. */
export const ALL_HOSTS_GROUP = 0xe0000001;

/** Returns `Math.max` of the `all` and per-link values of a `conf` key, as `IN_DEV_*` macros do. */
function confMax(ns: Netns, link: Link, key: "rp_filter" | "accept_local"): number {
  return Math.max(ns.confAll[key], link.conf[key]);
}

function martian(reason: DropReason, why: string): InputRoute {
  return { ok: false, errno: "EINVAL", reason, why };
}

/** Routes a packet that arrived on `query.iif`, as `ip_route_input_rcu` does. */
export function routeInput(state: NetState, ns: Netns, query: InputQuery): InputRoute {
  const link = ns.links[query.iif]!;
  const { dst, src } = query;
  if (isMulticast(dst)) return routeMulticast(state, ns, link, query);
  if (isMulticast(src) || src === LIMITED_BROADCAST) {
    return martian("IP_INVALID_SOURCE", "its source is a broadcast or multicast address");
  }
  if (dst === LIMITED_BROADCAST || (src === 0 && dst === 0))
    return broadcastInput(state, ns, link, src);
  if (isZeronet(src)) return martian("IP_INVALID_SOURCE", "its source lies in 0.0.0.0/8");
  if (isZeronet(dst)) return martian("IP_INVALID_DEST", "its destination lies in 0.0.0.0/8");
  if (isLoopback(dst)) return martian("IP_INVALID_DEST", "its destination is a loopback address");
  if (isLoopback(src)) return martian("IP_INVALID_SOURCE", "its source is a loopback address");

  // Rules select arriving packets by their source, arrival link and mark as well.
  const result = fibLookup(state, ns, {
    dst,
    src,
    iif: query.iif,
    ...(query.tos === undefined ? {} : { tos: query.tos }),
    ...(query.mark === undefined ? {} : { mark: query.mark }),
  });
  const forwards = link.conf.forwarding > 0;
  // The policy rule that decided, for traces that name it.
  const rule = result.rule === undefined ? {} : { rule: result.rule };
  if (!result.ok) {
    const errno = forwards ? result.errno : "EHOSTUNREACH";
    return {
      ok: true,
      kind: "unreachable",
      errno,
      ...(result.route ? { route: result.route } : {}),
      ...(result.table === undefined ? {} : { table: result.table }),
      ...rule,
    };
  }
  const route = result.route;
  if (route.type === "broadcast") return broadcastInput(state, ns, link, src);
  if (route.type === "local") {
    const check = validateSource(state, ns, link, src, 0);
    return check ?? { ok: true, kind: "local", route };
  }
  if (!forwards) return { ok: true, kind: "unreachable", errno: "EHOSTUNREACH", route, ...rule };
  if (route.type !== "unicast")
    return martian("IP_INVALID_DEST", `it matches a ${route.type} route`);
  const check = validateSource(state, ns, link, src, route.dev ?? 0);
  return (
    check ?? { ok: true, kind: "forward", route, isRedirect: route.dev === link.ifindex, ...rule }
  );
}

/** `brd_input`: broadcasts are delivered locally once a nonzero source passes validation. */
function broadcastInput(state: NetState, ns: Netns, link: Link, src: number): InputRoute {
  const check = src === 0 ? undefined : validateSource(state, ns, link, src, 0);
  return check ?? { ok: true, kind: "broadcast" };
}

/**
 * Multicast input: only groups the link joined are delivered (the model joins every link to
 * all-hosts, 224.0.0.1, and to nothing else), after `ip_mc_validate_source`.
 */
function routeMulticast(state: NetState, ns: Netns, link: Link, query: InputQuery): InputRoute {
  if (query.dst !== ALL_HOSTS_GROUP) {
    return martian("NOT_SPECIFIED", "it is sent to a multicast group this link has not joined");
  }
  if (isMulticast(query.src) || query.src === LIMITED_BROADCAST || isLoopback(query.src)) {
    return martian("IP_INVALID_SOURCE", "its source is not a valid unicast address");
  }
  const check = isZeronet(query.src) ? undefined : validateSource(state, ns, link, query.src, 0);
  return check ?? { ok: true, kind: "multicast" };
}

/**
 * `fib_validate_source`: returns undefined when `src` may arrive on `link`, else the martian or
 * reverse-path verdict. `oif` is the output link of a forwarded packet (0 for local input); a
 * packet that would leave by its arrival link always gets the full check, because the kernel
 * may have to send a redirect.
 */
export function validateSource(
  state: NetState,
  ns: Netns,
  link: Link,
  src: number,
  oif: number,
): InputRoute | undefined {
  const rpf = confMax(ns, link, "rp_filter");
  const acceptsLocal = confMax(ns, link, "accept_local") > 0;
  if (rpf === 0 && link.ifindex !== oif) {
    if (acceptsLocal) return undefined;
    return isOwnAddress(ns, src)
      ? martian("IP_LOCAL_SOURCE", "its source is one of this namespace's own addresses")
      : undefined;
  }
  const back = fibLookup(state, ns, { dst: src });
  if (!back.ok) return lastResort(rpf, "there is no route back to its source");
  if (back.route.type !== "unicast") {
    if (back.route.type !== "local")
      return martian("IP_INVALID_SOURCE", `the route back is ${back.route.type}`);
    if (!acceptsLocal)
      return martian("IP_LOCAL_SOURCE", "its source is one of this namespace's own addresses");
  }
  const isLoopbackLink = link.kind === "loopback";
  if (back.route.dev === link.ifindex || (back.route.type === "local" && isLoopbackLink))
    return undefined;
  const hasAddress = ns.addrs.some((addr) => addr.ifindex === link.ifindex);
  if (!hasAddress) return lastResort(rpf, "the arrival link has no address");
  if (rpf === 1) {
    const out = ns.links[back.route.dev ?? 0]?.name ?? "another link";
    return rpFilterDrop(
      `strict mode: the route back to the source leaves by ${out}, not the arrival link`,
    );
  }
  return undefined;
}

function lastResort(rpf: number, why: string): InputRoute | undefined {
  return rpf === 0 ? undefined : rpFilterDrop(why);
}

function rpFilterDrop(why: string): InputRoute {
  return { ok: false, errno: "EINVAL", reason: "IP_RPFILTER", why };
}
