/**
 * Path MTU exceptions: what a host learns from an ICMP "fragmentation needed" message about one
 * of its own packets (`ipv4_update_pmtu` and `__ip_rt_update_pmtu` in net/ipv4/route.c).
 */
import type { Netns, PmtuException } from "../netns/state.js";
import type { Packet } from "../wire/ipv4.js";
import { ipLength } from "../wire/ipv4.js";

/** `ip_rt_mtu_expires`: how long a learned path MTU lasts, 10 minutes. */
export const PMTU_EXPIRES_MS = 600_000;

/** `ip_rt_min_pmtu`: the smallest path MTU a message can teach. */
const MIN_PMTU = 552;

/** Returns the live path MTU exception of `ns` for `dst`, if it has one at `now`. */
export function pmtuException(ns: Netns, dst: number, now: number): PmtuException | undefined {
  return ns.pmtu?.find((entry) => entry.dst === dst && entry.expiresAt > now);
}

/** Returns the MTU a packet from `ns` to `dst` may use on a link of MTU `linkMtu`. */
export function pathMtu(ns: Netns, dst: number, linkMtu: number, now: number): number {
  const learned = pmtuException(ns, dst, now);
  return learned === undefined ? linkMtu : Math.min(learned.mtu, linkMtu);
}

/**
 * Learns the path MTU `mtu` for `dst` from a "fragmentation needed" message, as
 * `__ip_rt_update_pmtu` does. A message never raises the route's MTU. A value below 552 becomes
 * 552, unless the route's MTU is smaller. The same MTU again renews an exception only once it is
 * past half its life.
 */
export function learnPmtu(ns: Netns, dst: number, mtu: number, linkMtu: number, now: number): void {
  const current = pathMtu(ns, dst, linkMtu, now);
  if (current < mtu) return;
  const learned = mtu < MIN_PMTU ? Math.min(current, MIN_PMTU) : mtu;
  const existing = pmtuException(ns, dst, now);
  const isFresh = existing !== undefined && now < existing.expiresAt - PMTU_EXPIRES_MS / 2;
  if (existing?.mtu === learned && isFresh) return;
  const others = (ns.pmtu ?? []).filter((entry) => entry.dst !== dst);
  ns.pmtu = [...others, { dst, mtu: learned, expiresAt: now + PMTU_EXPIRES_MS }];
}

/** The bytes of an IPv4 header without options. */
const IP_HEADER_BYTES = 20;

/**
 * Returns the bytes of the largest piece of IPv4 packet `packet` sent with MTU `mtu`: all of
 * it, or its first fragment when it is larger. IP fragments such a packet before the link (a
 * packet with DF set never gets this far), but the model moves it whole. Returns undefined for
 * TCP, which cuts its data into segments that fit the path (the MSS): the model makes no
 * segments either, so its sizes are not checked.
 */
export function ipBytesWithMtu(packet: Packet, mtu: number): number | undefined {
  if (packet.protocol === "tcp") return undefined;
  const bytes = ipLength(packet);
  return bytes <= mtu ? bytes : IP_HEADER_BYTES + ((mtu - IP_HEADER_BYTES) & ~7);
}
