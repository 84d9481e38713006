/**
 * IPv4 addresses and the routes the kernel derives from them.
 *
 * Sources: net/ipv4/devinet.c (`__inet_insert_ifa`: an address in the subnet of an existing
 * primary with the same prefix length becomes secondary; `inet_rtm_deladdr`; deleting a primary
 * deletes its secondaries unless `promote_secondaries` is set) and net/ipv4/fib_frontend.c
 * (`fib_add_ifaddr`: a `local` route in table local even while the link is down; once it is up,
 * the prefix route in main and the subnet broadcast route in local, except for a zero network or
 * a /31 or /32).
 */
import { rtnetlinkError } from "../errors.js";
import { ALL_ONES, broadcastOf, networkOf, isZeronet } from "../addr/ip4.js";
import type { Route } from "../fib/route.js";
import {
  ADDR_SCOPE,
  PROTO_KERNEL,
  SCOPE_HOST,
  SCOPE_LINK,
  SCOPE_NOWHERE,
  TABLE_LOCAL,
  TABLE_MAIN,
} from "../fib/route.js";
import { insertChecked, removeRoutes } from "../fib/route-ops.js";
import { tableRoutes } from "../fib/route-table.js";
import { addrType } from "../path/netfilter-packet.js";
import type { CtEntry } from "../netfilter/conntrack.js";
import type { IfAddr, Link, Netns } from "./state.js";
import { CONF_KEYS } from "./state.js";

/** Returns the addresses of `link` in the order `ip addr` lists them. */
export function addrsOf(ns: Netns, ifindex: number): IfAddr[] {
  return ns.addrs.filter((addr) => addr.ifindex === ifindex);
}

/**
 * Adds `addr` to its link, as `ip addr add` does; throws `KernelError` on a duplicate. The link's
 * conf keys are pinned first, as `rtm_to_ifaddr` and lo's NETDEV_UP call `ipv4_devconf_setall`.
 */
export function addAddress(ns: Netns, addr: IfAddr): void {
  const link = ns.links[addr.ifindex]!;
  link.confPinned = [...CONF_KEYS];
  let isSecondary = false;
  let firstOfLink = -1;
  let lastPrimary = -1;
  ns.addrs.forEach((other, index) => {
    if (other.ifindex !== addr.ifindex) return;
    if (firstOfLink < 0) firstOfLink = index;
    // A primary goes after the last primary of the same or a narrower scope, else first
    // (`__inet_insert_ifa`): a link-scope address goes before global ones.
    if (!other.isSecondary && ADDR_SCOPE[addr.scope] <= ADDR_SCOPE[other.scope]) {
      lastPrimary = index;
    }
    if (
      other.bits !== addr.bits ||
      networkOf(other.local, other.bits) !== networkOf(addr.local, addr.bits)
    ) {
      return;
    }
    if (other.local === addr.local)
      throw rtnetlinkError("EEXIST", "ipv4: Address already assigned");
    if (other.scope !== addr.scope) throw rtnetlinkError("EINVAL", "ipv4: Invalid scope value");
    if (!other.isSecondary) isSecondary = true;
  });
  const added = { ...addr, isSecondary };
  const lastOfLink = ns.addrs.map((a) => a.ifindex).lastIndexOf(addr.ifindex);
  let at = lastPrimary + 1;
  if (isSecondary) at = lastOfLink + 1;
  else if (lastPrimary < 0) at = firstOfLink;
  ns.addrs.splice(at >= 0 && firstOfLink >= 0 ? at : ns.addrs.length, 0, added);
  addKernelRoutes(ns, link, added);
}

/**
 * Deletes the address of `ifindex` that `isTarget` selects first. Deleting a primary also
 * deletes the secondaries of its subnet unless `promote_secondaries` is set, in which case the
 * first of them becomes primary.
 */
export function deleteAddress(
  ns: Netns,
  ifindex: number,
  isTarget: (addr: IfAddr) => boolean,
): IfAddr {
  const index = ns.addrs.findIndex((addr) => addr.ifindex === ifindex && isTarget(addr));
  if (index < 0) throw rtnetlinkError("EADDRNOTAVAIL", "ipv4: Address not found");
  const link = ns.links[ifindex]!;
  const removed = ns.addrs[index]!;
  // The secondaries of a deleted primary go with it, or with promote_secondaries the first of
  // them becomes primary, and all of them derive their routes again from it (`__inet_del_ifa`).
  const inSubnet = (addr: IfAddr): boolean =>
    !removed.isSecondary &&
    addr.ifindex === ifindex &&
    addr.isSecondary &&
    addr.bits === removed.bits &&
    networkOf(addr.local, addr.bits) === networkOf(removed.local, removed.bits);
  const secondaries = ns.addrs.filter(inSubnet);
  const isPromoting = Math.max(ns.confAll.promote_secondaries, link.conf.promote_secondaries) > 0;
  const isPromoted = isPromoting && secondaries.length > 0;
  const deleted = isPromoted ? [removed] : [removed, ...secondaries];
  // What the changed addresses derived, with the primary they had, before any of them goes.
  const before = new Set(
    [removed, ...secondaries].flatMap((addr) => derivedRoutes(ns, link, addr).map(routeKeyOf)),
  );
  if (isPromoted) promote(ns, removed, secondaries[0]!);
  ns.addrs = ns.addrs.filter((addr) => !deleted.includes(addr));
  // A derived route goes unless an address that stays derives it too (`fib_del_ifaddr`). A
  // route the user deleted by hand does not come back.
  const after = new Set(
    addrsOf(ns, ifindex).flatMap((addr) => derivedRoutes(ns, link, addr).map(routeKeyOf)),
  );
  removeRoutes(ns, (route) => {
    const key = routeKeyOf(route);
    return route.protocol === PROTO_KERNEL && before.has(key) && !after.has(key);
  });
  if (isPromoted) for (const addr of secondaries) addKernelRoutes(ns, link, addr);
  // Main-table routes that use a deleted address as their source go too, whatever their
  // protocol and link.
  const deletedLocals = deleted.map((addr) => addr.local);
  flushSourceRoutes(ns, deletedLocals);
  // The flows MASQUERADE bound to a deleted address on this link are dropped (`masq_inet_event`).
  dropConntrack(
    ns,
    (entry) => entry.masqIndex === ifindex && deletedLocals.includes(entry.reply.dst),
  );
  if (addrsOf(ns, ifindex).length === 0) disableIp(ns, link);
  return removed;
}

/**
 * Removes the main-table routes whose preferred source was one of `locals`, for each address
 * that is no longer local once it is gone (`fib_del_ifaddr`, then `fib_sync_down_addr`).
 */
function flushSourceRoutes(ns: Netns, locals: readonly number[]): void {
  for (const local of locals) {
    if (addrType(ns, local) === "LOCAL") continue;
    removeRoutes(ns, (route) => route.table === TABLE_MAIN && route.prefsrc === local);
  }
}

/**
 * Removes the addresses of `link` and every route through it, as when the link leaves the
 * namespace, and then the main-table routes that used one of its addresses as their source.
 */
export function dropLinkAddresses(ns: Netns, link: Link): void {
  const locals = addrsOf(ns, link.ifindex).map((addr) => addr.local);
  ns.addrs = ns.addrs.filter((addr) => addr.ifindex !== link.ifindex);
  removeRoutes(ns, (route) => route.dev === link.ifindex);
  flushSourceRoutes(ns, locals);
}

/**
 * Makes `secondary` primary in place of `removed`, which is still listed. It moves after the
 * last primary between the two of the same or a narrower scope than `removed`, else to the
 * place of `removed` (`__inet_del_ifa`).
 */
function promote(ns: Netns, removed: IfAddr, secondary: IfAddr): void {
  secondary.isSecondary = false;
  const from = ns.addrs.indexOf(secondary);
  let to = ns.addrs.indexOf(removed);
  for (let i = to + 1; i < from; i++) {
    const addr = ns.addrs[i]!;
    if (addr.ifindex !== secondary.ifindex || addr.isSecondary) continue;
    if (ADDR_SCOPE[removed.scope] <= ADDR_SCOPE[addr.scope]) to = i + 1;
  }
  ns.addrs.splice(from, 1);
  ns.addrs.splice(to, 0, secondary);
}

/** Returns what identifies a kernel-derived route: table, type, prefix, link and source. */
function routeKeyOf(route: Route): string {
  return `${route.table} ${route.type} ${route.dst}/${route.bits} ${route.dev} ${route.prefsrc}`;
}

/**
 * Removes every route through `link`, whatever its scope, and the link's neighbour entries,
 * permanent ones included, as `fib_disable_ip` does once the link's last IPv4 address is gone
 * (`fib_inetaddr_event` in net/ipv4/fib_frontend.c, then `arp_ifdown`).
 */
function disableIp(ns: Netns, link: Link): void {
  removeRoutes(ns, (route) => route.dev === link.ifindex);
  ns.neigh = ns.neigh.filter((entry) => entry.ifindex !== link.ifindex);
}

/** Returns the primary address whose subnet holds `addr` on its link (itself if primary). */
function primaryOf(ns: Netns, addr: IfAddr): IfAddr {
  if (!addr.isSecondary) return addr;
  const primary = ns.addrs.find(
    (other) =>
      other.ifindex === addr.ifindex &&
      !other.isSecondary &&
      other.bits === addr.bits &&
      networkOf(other.local, other.bits) === networkOf(addr.local, addr.bits),
  );
  return primary ?? addr;
}

function kernelRoute(
  table: number,
  type: Route["type"],
  dst: number,
  bits: number,
  link: Link,
  src: number,
): Route {
  const isLocal = type === "local";
  return {
    table,
    type,
    dst,
    bits,
    tos: 0,
    metric: 0,
    protocol: PROTO_KERNEL,
    scope: isLocal ? SCOPE_HOST : SCOPE_LINK,
    prefsrc: src,
    dev: link.ifindex,
    nexthopScope: isLocal ? SCOPE_NOWHERE : SCOPE_HOST,
  };
}

function insertKernelRoute(ns: Netns, route: Route): void {
  const exists = tableRoutes(ns.tables[route.table]).some(
    (other) =>
      other.dst === route.dst &&
      other.bits === route.bits &&
      other.type === route.type &&
      other.dev === route.dev &&
      other.prefsrc === route.prefsrc &&
      other.metric === route.metric,
  );
  if (!exists) insertChecked(ns, route, "append");
}

/** Returns the routes `fib_add_ifaddr` derives from one address, with its current primary. */
function derivedRoutes(ns: Netns, link: Link, addr: IfAddr): Route[] {
  const prim = primaryOf(ns, addr).local;
  const routes = [kernelRoute(TABLE_LOCAL, "local", addr.local, 32, link, prim)];
  if (!link.isAdminUp) return routes;
  if (addr.broadcast !== undefined && addr.broadcast !== ALL_ONES) {
    routes.push(kernelRoute(TABLE_LOCAL, "broadcast", addr.broadcast, 32, link, prim));
  }
  const prefix = networkOf(addr.local, addr.bits);
  if (isZeronet(prefix) || addr.isSecondary || (prefix === addr.local && addr.bits === 32)) {
    return routes;
  }
  const prefixType = link.kind === "loopback" ? "local" : "unicast";
  const prefixTable = prefixType === "local" ? TABLE_LOCAL : TABLE_MAIN;
  routes.push(kernelRoute(prefixTable, prefixType, prefix, addr.bits, link, prim));
  if (addr.bits < 31) {
    const broadcast = broadcastOf(prefix, addr.bits);
    routes.push(kernelRoute(TABLE_LOCAL, "broadcast", broadcast, 32, link, prim));
  }
  return routes;
}

/** Adds the routes `fib_add_ifaddr` derives from one address. */
export function addKernelRoutes(ns: Netns, link: Link, addr: IfAddr): void {
  for (const route of derivedRoutes(ns, link, addr)) insertKernelRoute(ns, route);
}

/**
 * Removes every route through `link` except host-scope ones, as `fib_disable_ip` does when a
 * link goes admin-down: local routes stay, prefix, broadcast and gateway routes go for good.
 */
export function flushRoutesOnDown(ns: Netns, link: Link): void {
  removeRoutes(ns, (route) => route.dev === link.ifindex && route.nexthopScope !== SCOPE_NOWHERE);
  ns.neigh = ns.neigh.filter((entry) => entry.ifindex !== link.ifindex);
  // The flows MASQUERADE bound on the link are dropped (`masq_device_event`).
  dropConntrack(ns, (entry) => entry.masqIndex === link.ifindex);
}

/** Removes the conntrack entries that `isStale` selects, keeping an absent table absent. */
function dropConntrack(ns: Netns, isStale: (entry: CtEntry) => boolean): void {
  if (ns.conntrack?.some(isStale) === true) ns.conntrack = ns.conntrack.filter((e) => !isStale(e));
}
