/**
 * ICMP error rate limiting: the per-peer token bucket every namespace keeps for the hosts it
 * sends errors to, in virtual milliseconds.
 *
 * Sources: net/ipv4/icmp.c (`icmpv4_mask_allow`: only types selected by `icmp_ratemask` are
 * limited, except "fragmentation needed" and types past 18. `icmpv4_xrlim_allow`: an error
 * routed out through lo, to one of the namespace's own addresses, is never limited, others cost
 * `icmp_ratelimit` from the bucket of their destination), net/ipv4/inetpeer.c
 * (`inet_peer_xrlim_allow`: the bucket fills by elapsed time up to 6 costs, `XRLIM_BURST_FACTOR`,
 * and a new peer starts with a full bucket, because its last refill is set 60 s in the past) and
 * net/ipv4/route.c (`ip_error`: an unroutable forwarded packet is first charged
 * `ip_rt_error_cost`, 1 s, against a burst of 5 s, on the entry of its source, the same entry
 * the ICMP limit charges again).
 */
import type { Netns, PeerRate } from "../netns/state.js";
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED } from "../wire/ipv4.js";

/** The maximum number of costs a peer's bucket contains (`XRLIM_BURST_FACTOR`). */
export const BURST_FACTOR = 6;
/** The default of `net.ipv4.icmp_ratelimit`, in ms per error. */
export const DEFAULT_RATELIMIT_MS = 1000;
/**
 * The default of `net.ipv4.icmp_ratemask`: destination unreachable (3), source quench (4), time
 * exceeded (11) and parameter problem (12).
 */
export const DEFAULT_RATEMASK = 6168;
/** What `ip_error` charges per unroutable packet (`ip_rt_error_cost`, one second). */
export const ROUTE_ERROR_COST_MS = 1000;
/** The most `ip_error`'s charge may draw on (`ip_rt_error_burst`, five seconds). */
export const ROUTE_ERROR_BURST_MS = 5000;
/** The gap `ip_rt_send_redirect` keeps after the first redirect to a host (`ip_rt_redirect_load`, HZ / 50). */
const REDIRECT_LOAD_MS = 20;
/** How many redirects a host gets before it gets none (`ip_rt_redirect_number`). */
const REDIRECT_NUMBER = 9;
/** How long a host must send nothing to redirect before it starts over (`ip_rt_redirect_silence`). */
const REDIRECT_SILENCE_MS = REDIRECT_LOAD_MS << (REDIRECT_NUMBER + 1);
/** How far in the past a new peer's last refill lies, which fills its bucket (`inet_getpeer`). */
const NEW_PEER_AGE_MS = 60_000;
/** The highest ICMP type the mask covers (`NR_ICMP_TYPES`). */
const MAX_MASKED_TYPE = 18;

/** Returns the `icmp_ratelimit` of `ns` in ms. */
export function ratelimitMs(ns: Netns): number {
  return ns.sysctl["net.ipv4.icmp_ratelimit"] ?? DEFAULT_RATELIMIT_MS;
}

/** Reports whether `icmp_ratemask` of `ns` puts errors of `type` and `code` under the limit. */
export function isMasked(ns: Netns, type: number, code: number): boolean {
  if (type > MAX_MASKED_TYPE) return false;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) return false;
  const mask = ns.sysctl["net.ipv4.icmp_ratemask"] ?? DEFAULT_RATEMASK;
  return ((1 << type) & mask) !== 0;
}

/** Returns the bucket of `peer` in `ns`, creating a full one, refilled to `now` up to `cap`. */
function refill(ns: Netns, peer: number, now: number, cap: number): PeerRate {
  const peers = (ns.icmpPeers ??= {});
  const rate = (peers[peer] ??= { tokens: 0, last: now - NEW_PEER_AGE_MS });
  rate.tokens = Math.min(rate.tokens + (now - rate.last), cap);
  rate.last = now;
  return rate;
}

/**
 * Takes one `icmp_ratelimit` from the bucket of `dst` at `now` (`inet_peer_xrlim_allow`) and
 * reports whether the error may go. A bucket that holds less than one cost stays as it is.
 */
export function takeIcmpToken(ns: Netns, dst: number, now: number): boolean {
  const cost = ratelimitMs(ns);
  const rate = refill(ns, dst, now, BURST_FACTOR * cost);
  if (rate.tokens < cost) return false;
  rate.tokens -= cost;
  return true;
}

/**
 * Takes `ip_error`'s own charge from the bucket of `src`, the sender of an unroutable packet, and
 * reports whether an unreachable may be sent at all.
 */
export function takeRouteErrorToken(ns: Netns, src: number, now: number): boolean {
  const rate = refill(ns, src, now, ROUTE_ERROR_BURST_MS);
  if (rate.tokens < ROUTE_ERROR_COST_MS) return false;
  rate.tokens -= ROUTE_ERROR_COST_MS;
  return true;
}

/**
 * Reports whether a redirect to `dst` may be sent at `now`, and counts it if so
 * (`ip_rt_send_redirect`, net/ipv4/route.c). The first goes at once, and each further one waits
 * `REDIRECT_LOAD_MS` doubled for every redirect already sent, until 9 were sent. A host that
 * sent nothing for `REDIRECT_SILENCE_MS` starts over. The state is the inet_peer entry the ICMP
 * rate limit uses, so an error to the host also moves the time of its last redirect, and starting
 * over empties that host's ICMP bucket too.
 */
export function takeRedirectSlot(ns: Netns, dst: number, now: number): boolean {
  const peers = (ns.icmpPeers ??= {});
  const rate = (peers[dst] ??= { tokens: 0, last: now - NEW_PEER_AGE_MS });
  if (now > rate.last + REDIRECT_SILENCE_MS) {
    rate.tokens = 0;
    delete rate.redirects;
  }
  const sent = rate.redirects ?? 0;
  if (sent >= REDIRECT_NUMBER) {
    rate.last = now;
    return false;
  }
  if (sent > 0 && now <= rate.last + (REDIRECT_LOAD_MS << sent)) return false;
  rate.last = now;
  rate.redirects = sent + 1;
  return true;
}
