/**
 * What a link gets without being asked: its hardware multicast list and its IPv6 link-local
 * address. hoptrace does not route IPv6; these exist because `ip addr`, `ip route show table all`
 * and `bridge fdb show` print them.
 *
 * Sources: net/ipv6/addrconf.c, where `ipv6_add_dev` joins the all-nodes group when a link
 * registers, `addrconf_notify` configures a link once it is up and operationally up
 * (`addrconf_link_ready`), and `addrconf_ifdown` drops the link-local address and every group
 * when it goes down. Also net/ipv6/mcast.c (`ipv6_mc_up`, `ipv6_mc_down`), net/ipv4/igmp.c
 * (`ip_mc_up` joins 224.0.0.1 on NETDEV_UP), net/bridge/br_multicast.c (an open bridge joins the
 * all-snoopers groups 224.0.0.106 and ff02::6a) and RFC 4291 appendix A (EUI-64 identifiers).
 * Orders were checked on Linux 6.18: a new link lists 33:33:00:00:00:01 first, because it joins
 * at registration, while a link brought up again lists 01:00:5e:00:00:01 first.
 */
import type { Link, Netns, NetState } from "../netns/state.js";
import { linksOf, macvlansOf, resolveRef } from "../netns/state.js";
import { isCarrierOn, isOperUp } from "./carrier.js";

/** The Ethernet group of ff02::1 (all nodes). */
const ALL_NODES_MAC = "33:33:00:00:00:01";
/** The Ethernet group of 224.0.0.1 (all hosts). */
const ALL_HOSTS_MAC = "01:00:5e:00:00:01";
/** The Ethernet groups of 224.0.0.106 and ff02::6a (all snoopers), which a bridge joins when it opens. */
const ALL_SNOOPERS_MACS = ["01:00:5e:00:00:6a", "33:33:00:00:00:6a"];
/** The minimum MTU of IPv6 (IPV6_MIN_MTU), below which a link gets no IPv6 at all. */
const IPV6_MIN_MTU = 1280;

/**
 * How long a new link-local address stays `tentative`: duplicate address detection waits a
 * random delay below `rtr_solicit_delay` (1 s), sends one probe and waits `retrans_time` (1 s).
 * The model takes the upper bound.
 */
export const DAD_MS = 2000;

/** Returns the EUI-64 link-local address of a MAC (RFC 4291 appendix A), as `ip` prints it. */
export function linkLocalOf(mac: string): string {
  const bytes = mac.split(":").map((part) => parseInt(part, 16));
  bytes[0] = bytes[0]! ^ 0x02;
  const words = [
    (bytes[0]! << 8) | bytes[1]!,
    (bytes[2]! << 8) | 0xff,
    (0xfe << 8) | bytes[3]!,
    (bytes[4]! << 8) | bytes[5]!,
  ];
  return `fe80::${words.map((word) => word.toString(16)).join(":")}`;
}

/** Returns the solicited-node group MAC of an EUI-64 address made from `mac`: 33:33:ff and its last 3 bytes. */
function solicitedNodeMac(mac: string): string {
  return `33:33:ff:${mac.split(":").slice(3).join(":")}`;
}

function join(link: Link, mac: string): void {
  link.mcast ??= [];
  if (!link.mcast.includes(mac)) link.mcast.push(mac);
  reorderMulticast(link);
}

function leave(link: Link, mac: string): void {
  link.mcast = (link.mcast ?? []).filter((group) => group !== mac);
  reorderMulticast(link);
}

/**
 * Updates `mcastOrder`, the order in which `bridge fdb show` prints the groups of a link whose
 * macvlans added groups to it. The kernel keeps the link's own groups and theirs in one list, so
 * a group keeps its place while either has it, and a group new to both goes last.
 */
function reorderMulticast(link: Link): void {
  if ((link.syncedMcast ?? []).length === 0) {
    // The own groups keep the places they had in the shared list.
    const own = link.mcast ?? [];
    if (link.mcastOrder !== undefined)
      link.mcast = link.mcastOrder.filter((mac) => own.includes(mac));
    delete link.mcastOrder;
    return;
  }
  const own = link.mcast ?? [];
  link.mcastOrder = keepOrder(link.mcastOrder ?? own, [...own, ...link.syncedMcast!]);
}

/** Gives a link that just registered (created or moved in) its first group, all-nodes. */
export function registerMulticast(link: Link): void {
  link.mcast = link.kind === "loopback" || link.mtu < IPV6_MIN_MTU ? [] : [ALL_NODES_MAC];
  reorderMulticast(link);
  delete link.linkLocal6;
  delete link.linkLocal6Since;
  delete link.isIpv6Flushed;
}

/** Joins the groups of NETDEV_UP: a bridge's snooper groups first (its open), then all-hosts. */
export function openMulticast(link: Link): void {
  if (link.kind === "loopback") return;
  if (link.kind === "bridge") ALL_SNOOPERS_MACS.forEach((mac) => join(link, mac));
  join(link, ALL_HOSTS_MAC);
}

/** Leaves every group and drops the link-local address, as a link going down does. */
export function closeMulticast(link: Link): void {
  link.mcast = [];
  reorderMulticast(link);
  delete link.linkLocal6;
  delete link.linkLocal6Since;
  delete link.isIpv6Flushed;
}

/**
 * Removes the IPv6 addresses of an up link, as `ip addr flush` does: lo's ::1, or the
 * link-local address with its solicited-node group. They stay away until the link comes up again.
 */
export function flushIpv6(link: Link): void {
  // A link that is not ready yet (no carrier) has no address to flush, and addrconf still
  // configures it once it becomes ready.
  if (!link.isAdminUp || (link.kind !== "loopback" && link.linkLocal6 === undefined)) return;
  link.isIpv6Flushed = true;
  if (link.linkLocal6 === undefined) return;
  // The group of the address, which keeps the MAC it was made from.
  const words = link.linkLocal6.split(":").map((word) => parseInt(word || "0", 16));
  const [third, last] = words.slice(-2) as [number, number];
  const hex = (byte: number): string => byte.toString(16).padStart(2, "0");
  const group = `33:33:ff:${hex(third & 0xff)}:${hex(last >> 8)}:${hex(last & 0xff)}`;
  leave(link, group);
  delete link.linkLocal6;
  delete link.linkLocal6Since;
}

/**
 * Copies the addresses of the up macvlans of a lower link into that link's lists, when `link` is
 * one of its macvlans. Each MAC goes into the unicast list (`dev_uc_add` in `macvlan_open`), and
 * each group into the multicast list (`dev_mc_sync` in `macvlan_set_mac_lists`). An entry keeps
 * its place while some macvlan still has it, and new ones go last, as in the kernel's
 * reference-counted lists.
 */
export function syncLowerAddresses(state: NetState, link: Link): void {
  if (link.kind !== "macvlan" || link.lower === undefined) return;
  const lower = resolveRef(state, link.lower);
  if (lower === undefined) return;
  const open = macvlansOf(state, lower).filter((macvlan) => macvlan.link.isAdminUp);
  const unicast = open.map((macvlan) => macvlan.link.mac).filter((mac) => mac !== lower.mac);
  const groups = open.flatMap((macvlan) => macvlan.link.mcast ?? []);
  lower.ucast = keepOrder(lower.ucast ?? [], unicast);
  lower.syncedMcast = keepOrder(lower.syncedMcast ?? [], groups);
  reorderMulticast(lower);
}

/** Returns the entries of `old` still in `current`, in their order, then the new ones of `current`. */
function keepOrder(old: readonly string[], current: readonly string[]): string[] {
  const order = old.filter((mac) => current.includes(mac));
  for (const mac of current) if (!order.includes(mac)) order.push(mac);
  return order;
}

/**
 * Returns the hardware multicast list of `link` as `bridge fdb show` prints it: its own groups
 * and those its macvlans added, each once, in the order they joined.
 */
export function multicastList(link: Link): string[] {
  return link.mcastOrder ?? link.mcast ?? [];
}

/** Reports whether an up lo has ::1, which `ip addr flush` removes until lo comes up again. */
export function hasLoopback6(link: Link): boolean {
  return link.kind === "loopback" && link.isAdminUp && link.isIpv6Flushed !== true;
}

/**
 * Configures IPv6 on `link` once it is up and ready: rejoins all-nodes, creates the EUI-64
 * link-local address from the current MAC and joins its solicited-node group. Does nothing for
 * lo (whose ::1 needs no configuration), a link below the IPv6 MTU, or one already configured.
 */
export function configureIpv6(state: NetState, link: Link): void {
  if (!needsIpv6(state, link)) return;
  join(link, ALL_NODES_MAC);
  link.linkLocal6 = linkLocalOf(link.mac);
  link.linkLocal6Since = state.clock;
  join(link, solicitedNodeMac(link.mac));
}

/**
 * Reports whether `configureIpv6` would configure `link` now: it has IPv6 (not lo, an MTU of at
 * least 1280), no link-local address yet, and is up, with carrier and operationally up.
 */
export function needsIpv6(state: NetState, link: Link): boolean {
  const isConfigured = link.linkLocal6 !== undefined || link.isIpv6Flushed === true;
  if (link.kind === "loopback" || link.mtu < IPV6_MIN_MTU || isConfigured) return false;
  return link.isAdminUp && isCarrierOn(state, link) && isOperUp(link);
}

/** Reports whether the link-local address of `link` is still in duplicate address detection. */
export function isTentative(state: NetState, link: Link): boolean {
  return link.linkLocal6Since !== undefined && state.clock < link.linkLocal6Since + DAD_MS;
}

/** An IPv6 `local` route of table local: an address of this host and its link. */
export interface Local6Route {
  addr: string;
  link: Link;
}

/**
 * Returns the IPv6 local routes of `ns` in the order the kernel's IPv6 FIB dumps them: `::1` on
 * an up lo, then each link-local address once duplicate address detection has finished, because
 * the kernel inserts an address's local route only then (net/ipv6/addrconf.c,
 * `__ipv6_ifa_notify`). Link-local addresses share their first 64 bits, so the FIB's address
 * order is the order of their interface identifiers.
 */
export function local6Routes(state: NetState, ns: Netns): Local6Route[] {
  const routes: Local6Route[] = [];
  const lo = linksOf(ns).find((link) => link.kind === "loopback");
  if (lo !== undefined && hasLoopback6(lo)) routes.push({ addr: "::1", link: lo });
  const linkLocals = linksOf(ns)
    .filter((link) => link.linkLocal6 !== undefined && !isTentative(state, link))
    .map((link) => ({ addr: link.linkLocal6!, link, key: interfaceIdOf(link.mac) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.link.ifindex - b.link.ifindex));
  return [...routes, ...linkLocals.map(({ addr, link }) => ({ addr, link }))];
}

/** Returns the EUI-64 interface identifier of `mac` as a sortable hex string. */
function interfaceIdOf(mac: string): string {
  const bytes = mac.split(":").map((part) => parseInt(part, 16));
  bytes[0] = bytes[0]! ^ 0x02;
  const id = [...bytes.slice(0, 3), 0xff, 0xfe, ...bytes.slice(3)];
  return id.map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
