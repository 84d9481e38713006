/**
 * The socket side of `ping` before its first probe (iputils ping/ping.c, `ping4_run`): `-I`
 * binds to an address (`bind: Cannot assign requested address` when it is not local) or to a
 * link (`SO_BINDTODEVICE`), then a `connect()` on a probe socket picks the route and source.
 * Its errno is what ping reports (`connect: Network is unreachable` and friends), except
 * EACCES, a broadcast route without `-b`, which ping turns into its broadcast question.
 * `-I ADDR` already gives the source, so ping skips that `connect()`: without a route it goes on
 * and each probe's `sendmsg()` fails (recorded on the kernel in ping-bound-source).
 */
import { ERRNO_TEXT, HoptraceError } from "../errors.js";
import { formatIp4, parseIp4Strict } from "../addr/ip4.js";
import { count, findLink } from "../netns/state.js";
import type { RouteFailure } from "../path/explain.js";
import type { OutputRoute } from "../path/output-route.js";
import { connectRoute, loopbackOf } from "../path/output-route.js";
import type { Netns } from "../netns/state.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";
import type { PingOptions } from "./ping.js";
import { recordUnsent } from "./probe-traces.js";

/** The result of the probe socket's `connect()`: the route, and the `-I` link name if any. */
export interface Connected {
  rt: OutputRoute;
  ifaceName?: string;
  /**
   * The ifindex of the `-I` link, to which iputils binds the ICMP socket too. It unbinds that
   * socket again when the link carries the source and the source is the destination.
   */
  boundIfindex?: number;
  /** Whether the `-I` link carries the source that connect() chose. ping warns when it does not. */
  isSourceOnLink?: boolean;
}

/**
 * Sets the socket up before the first probe: `-I` binds to an address or a link, then the probe
 * `connect()` picks the route. Returns the errno when connect() fails.
 */
export function connectProbe(
  ctx: ToolContext,
  options: PingOptions,
  dst: number,
): Connected | RouteFailure {
  const ns = currentNs(ctx);
  let src: number | undefined;
  let oif: number | undefined;
  let ifaceName: string | undefined;
  if (options.iface !== undefined) {
    const addr = parseIp4Strict(options.iface);
    if (addr !== undefined) {
      if (!ns.addrs.some((a) => a.local === addr)) {
        throw new HoptraceError("ping: bind: Cannot assign requested address", 2, "kernel");
      }
      src = addr;
    } else {
      const link = findLink(ns, options.iface);
      if (link === undefined) {
        throw new HoptraceError(
          `ping: SO_BINDTODEVICE ${options.iface}: No such device`,
          2,
          "kernel",
        );
      }
      oif = link.ifindex;
      ifaceName = link.name;
    }
  }
  // A zero destination means this host: the probe connects to the bound source, else to
  // 127.0.0.1, and that address needs a route like any other.
  const target = dst === 0 ? (src ?? 0x7f000001) : dst;
  // The probe socket only checks the route: the ICMP socket sends unbound unless -I gave an
  // address, so its route comes from a lookup without a source.
  const query = {
    dst: target,
    ...(src === undefined ? {} : { src }),
    ...(oif === undefined ? {} : { oif }),
    ...(options.mark === undefined ? {} : { mark: options.mark }),
  };
  const result = connectRoute(ctx.state, ns, query, true);
  if (!result.ok) {
    if (src !== undefined) return { rt: unrouted(ns, target, src) };
    return result;
  }
  // connect() without SO_BROADCAST fails with EACCES on a broadcast route, which ping turns
  // into its question; a multicast group needs no such permission.
  if (result.route.isBroadcast && !options.isBroadcastAllowed) throw broadcastQuestion();
  if (oif === undefined || ifaceName === undefined) return { rt: result.route };
  const route = result.route;
  const isSourceOnLink = ns.addrs.some((addr) => addr.ifindex === oif && addr.local === route.src);
  const isUnbound = isSourceOnLink && route.src === dst;
  return { rt: route, ifaceName, isSourceOnLink, ...(isUnbound ? {} : { boundIfindex: oif }) };
}

/**
 * Returns the stand-in route of a socket bound to `src` that has no route to `dst`: ping prints
 * its header from it, and every probe's own lookup fails.
 */
function unrouted(ns: Netns, dst: number, src: number): OutputRoute {
  const flags = { isLocal: false, isBroadcast: false, isMulticast: false };
  return { dst, src, dev: loopbackOf(ns), nexthop: dst, ...flags };
}

/**
 * Reports a failed connect() as ping does and returns its exit status. ENETUNREACH counts
 * `IpOutNoRoutes` (`__ip4_datagram_connect`), so the command keeps that change of state.
 */
export function connectFailed(ctx: ToolContext, dst: number, failure: RouteFailure): number {
  const { errno } = failure;
  recordUnsent(ctx, `ICMP echo request to ${formatIp4(dst)}`, dst, failure);
  if (errno === "EACCES") throw broadcastQuestion();
  if (errno === "ENETUNREACH") count(currentNs(ctx), "IpOutNoRoutes");
  errLines(ctx).push(`ping: connect: ${ERRNO_TEXT[errno]}`);
  return 2;
}

export function broadcastQuestion(): HoptraceError {
  return new HoptraceError(
    "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules",
    2,
    "kernel",
  );
}
