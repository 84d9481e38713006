/**
 * Creating, changing and deleting links, with the side effects the kernel attaches to each.
 *
 * Sources: drivers/net/veth.c (`veth_newlink` registers the peer first, so the peer gets the
 * lower ifindex), net/core/dev.c (a moved link keeps its ifindex when the target namespace has
 * it free), net/bridge/br_if.c (`br_add_if`, `br_del_if`), net/bridge/br_stp_if.c
 * (`br_stp_recalculate_bridge_id`: a bridge takes the numerically lowest port MAC unless one was
 * set by hand), net/ipv4/devinet.c (lo gets 127.0.0.1/8 the first time it comes up) and
 * net/ipv4/fib_frontend.c (`fib_disable_ip` on admin-down, `fib_add_ifaddr` on admin-up).
 * Every exported operation ends by settling carrier, operstate and bridge port states
 * (`syncLinks`), as the kernel's link watch does before the next command can look.
 */
import { Unsupported, rtnetlinkError } from "../errors.js";
import {
  addAddress,
  addrsOf,
  addKernelRoutes,
  dropLinkAddresses,
  flushRoutesOnDown,
} from "./addr-ops.js";
import type { FdbEntry, Link, LinkKind, LinkRef, MacvlanMode, Netns, NetState } from "./state.js";
import { findLink, macFor, macvlansOf, resolveRef } from "./state.js";
import {
  closeMulticast,
  openMulticast,
  registerMulticast,
  syncLowerAddresses,
} from "../link/addrconf.js";
import { portsOf } from "../link/carrier.js";
import { fireLinkEvent, selectPortStates, syncLinks } from "../link/link-watch.js";

/** The longest link name the kernel accepts (IFNAMSIZ - 1). */
export const MAX_LINK_NAME = 15;

/** The MAC a bridge without ports takes when its id is recalculated (`br_mac_zero`). */
const ZERO_MAC = "00:00:00:00:00:00";

/** Allocates the next deterministic MAC of the machine. */
function nextMac(state: NetState): string {
  return macFor(state.nextMac++);
}

/**
 * Takes the lowest ifindex not in use from the namespace's cursor on, and moves the cursor past
 * it (`dev_index_reserve`, an `xa_alloc_cyclic` from `net->ifindex`). A link that moved in with
 * its own index does not move the cursor, so a later link may take a lower index.
 */
function allocateIfindex(ns: Netns): number {
  let ifindex = ns.nextIfindex;
  while (ns.links[ifindex] !== undefined) ifindex++;
  ns.nextIfindex = ifindex + 1;
  return ifindex;
}

/** Creates a link of `kind` in `ns` and returns it; the caller has checked the name. */
export function createLink(state: NetState, ns: Netns, name: string, kind: LinkKind): Link {
  const ifindex = allocateIfindex(ns);
  const link: Link = {
    ifindex,
    name,
    kind,
    mtu: 1500,
    mac: nextMac(state),
    isAdminUp: false,
    conf: { ...ns.confDefault },
    ...defaultPins(ns),
  };
  registerMulticast(link);
  ns.links[ifindex] = link;
  return link;
}

/**
 * Returns the conf pins a link registering in `ns` starts with: `inetdev_init` copies
 * conf.default whole, forwarding and the state bits of the keys written on it included.
 */
function defaultPins(ns: Netns): Pick<Link, "confPinned"> {
  const pinned = ns.confDefaultPinned;
  return pinned === undefined ? {} : { confPinned: [...pinned] };
}

/** Throws EEXIST when `name` is taken in `ns`, as register_netdevice does. */
export function checkFreeName(ns: Netns, name: string): void {
  if (findLink(ns, name) !== undefined) throw rtnetlinkError("EEXIST");
}

/**
 * Creates a veth pair: `peerName` in `peerNs` first, then `name` in `ns`. Each namespace that
 * sees a peer in another namespace gives that namespace an id. Both ends start without carrier,
 * and that first carrier event fixes their operstate until the next one.
 */
export function createVeth(
  state: NetState,
  ns: Netns,
  name: string,
  peerNs: Netns,
  peerName: string,
): Link {
  checkFreeName(ns, name);
  checkFreeName(peerNs, peerName);
  if (ns === peerNs && name === peerName) throw rtnetlinkError("EEXIST");
  const peer = createLink(state, peerNs, peerName, "veth");
  const link = createLink(state, ns, name, "veth");
  link.peer = { ns: peerNs.id, ifindex: peer.ifindex };
  peer.peer = { ns: ns.id, ifindex: link.ifindex };
  assignNsids(ns, peerNs);
  syncLinks(state);
  return link;
}

/** Gives each of two different namespaces an id for the other, if it has none yet. */
export function assignNsids(a: Netns, b: Netns): void {
  assignNsid(a, b);
  assignNsid(b, a);
}

/** Gives namespace `from` the lowest free id for namespace `to`, if it has none yet. */
function assignNsid(from: Netns, to: Netns): void {
  if (from.id === to.id || from.nsids[to.id] !== undefined) return;
  const used = new Set(Object.values(from.nsids));
  let id = 0;
  while (used.has(id)) id++;
  from.nsids[to.id] = id;
}

/**
 * Creates a bridge, down and without ports. It starts with carrier on and its random MAC in
 * its forwarding database as a local entry.
 */
export function createBridge(state: NetState, ns: Netns, name: string): Link {
  checkFreeName(ns, name);
  const bridge = createLink(state, ns, name, "bridge");
  bridge.fdb = [{ mac: bridge.mac, port: bridge.ifindex, isLocal: true }];
  syncLinks(state);
  return bridge;
}

/**
 * Creates a macvlan on `lower` (`macvlan_common_newlink`, drivers/net/macvlan.c). A macvlan on
 * a macvlan goes on that one's lower link. It takes its lower link's MTU and carrier, and a MAC
 * of its own.
 *
 * @throws KernelError EINVAL on lo, EBUSY on a bridge port (the port already has the bridge's
 * receive handler), and EEXIST for a taken name.
 */
export function createMacvlan(
  state: NetState,
  ns: Netns,
  name: string,
  lowerNs: Netns,
  lower: Link,
  mode: MacvlanMode,
): Link {
  let rootNs = lowerNs;
  let root = lower;
  if (root.kind === "macvlan" && root.lower !== undefined) {
    rootNs = state.namespaces[root.lower.ns]!;
    root = resolveRef(state, root.lower)!;
  }
  if (root.kind === "loopback") throw rtnetlinkError("EINVAL");
  if (root.kind === "bridge") throw new Unsupported("a macvlan on a bridge");
  if (root.master !== undefined) throw rtnetlinkError("EBUSY");
  checkFreeName(ns, name);
  const link = createLink(state, ns, name, "macvlan");
  link.mtu = root.mtu;
  link.lower = { ns: rootNs.id, ifindex: root.ifindex };
  link.macvlanMode = mode;
  root.macvlans = [...(root.macvlans ?? []), { ns: ns.id, ifindex: link.ifindex }];
  assignNsids(ns, rootNs);
  fireLinkEvent(state, ns, link);
  syncLinks(state);
  return link;
}

/**
 * Sets the MTU of `link`. A macvlan cannot exceed its lower link's MTU, and a lower link that
 * shrinks below its macvlans' MTU shrinks them too (`macvlan_device_event`, NETDEV_CHANGEMTU).
 */
export function setLinkMtu(state: NetState, ns: Netns, link: Link, mtu: number): void {
  const max = link.kind === "loopback" ? 2147483647 : 65535;
  if (mtu > max) throw rtnetlinkError("EINVAL", "mtu greater than device maximum");
  if (mtu < 68) throw rtnetlinkError("EINVAL", "mtu less than device minimum");
  const lower = link.lower === undefined ? undefined : resolveRef(state, link.lower);
  if (lower !== undefined && mtu > lower.mtu) throw rtnetlinkError("EINVAL");
  // `br_change_mtu` marks the MTU as set by hand, which stops `br_mtu_auto_adjust`.
  if (link.kind === "bridge") link.hasFixedMtu = true;
  applyMtu(state, ns, link, mtu);
}

/**
 * Gives `link` the MTU `mtu` with what the NETDEV_CHANGEMTU notifiers do: its macvlans shrink
 * to it, and its bridge takes its ports' smallest MTU again.
 */
function applyMtu(state: NetState, ns: Netns, link: Link, mtu: number): void {
  if (link.mtu === mtu) return;
  link.mtu = mtu;
  for (const macvlan of macvlansOf(state, link)) {
    if (macvlan.link.mtu > mtu) applyMtu(state, macvlan.ns, macvlan.link, mtu);
  }
  const bridge = link.master === undefined ? undefined : ns.links[link.master];
  if (bridge !== undefined) adjustBridgeMtu(state, ns, bridge);
}

/**
 * `br_mtu_auto_adjust` (net/bridge/br_if.c): unless its MTU was set by hand, a bridge takes the
 * smallest MTU of its ports, and 1500 without ports. It runs when a port joins or leaves and
 * when a port's MTU changes.
 */
function adjustBridgeMtu(state: NetState, ns: Netns, bridge: Link): void {
  if (bridge.hasFixedMtu === true) return;
  const mtus = portsOf(ns, bridge).map((port) => port.mtu);
  applyMtu(state, ns, bridge, mtus.length === 0 ? 1500 : Math.min(...mtus));
}

/**
 * Throws EADDRINUSE when the macvlan `link` cannot take `mac` as an up macvlan: its lower link
 * or another up macvlan of that link has it (`macvlan_addr_busy`, checked in `macvlan_open` and,
 * while up, in `macvlan_set_mac_address`).
 */
function checkMacvlanMac(state: NetState, link: Link, mac: string): void {
  if (link.kind !== "macvlan" || link.lower === undefined) return;
  const lower = resolveRef(state, link.lower);
  if (lower === undefined) return;
  const isTaken = macvlansOf(state, lower).some(
    (other) => other.link !== link && other.link.isAdminUp && other.link.mac === mac,
  );
  if (lower.mac === mac || isTaken) throw rtnetlinkError("EADDRINUSE");
}

/** Brings `link` up or down with the kernel's side effects on routes, addresses and ARP. */
export function setAdminState(state: NetState, ns: Netns, link: Link, isUp: boolean): void {
  if (isUp && !link.isAdminUp) checkMacvlanMac(state, link, link.mac);
  applyAdminState(ns, link, isUp);
  syncLowerAddresses(state, link);
  syncLinks(state);
}

function applyAdminState(ns: Netns, link: Link, isUp: boolean): void {
  if (link.isAdminUp === isUp) return;
  link.isAdminUp = isUp;
  if (!isUp) {
    flushRoutesOnDown(ns, link);
    closeMulticast(link);
    return;
  }
  link.wasUp = true;
  openMulticast(link);
  // Every NETDEV_UP of a loopback inserts 127.0.0.1/8; a second insert is a silent duplicate.
  if (link.kind === "loopback") {
    const hasLoopback = addrsOf(ns, link.ifindex).some((addr) => addr.local === 0x7f000001);
    if (!hasLoopback) {
      addAddress(ns, {
        ifindex: link.ifindex,
        local: 0x7f000001,
        bits: 8,
        scope: "host",
        isSecondary: false,
        label: link.name,
      });
    }
  }
  for (const addr of addrsOf(ns, link.ifindex)) addKernelRoutes(ns, link, addr);
}

/**
 * Makes `link` a port of `bridge`. The port joins disabled, its MAC becomes a local FDB entry,
 * the bridge id is recalculated and the port states are selected again, which takes a bridge's
 * carrier away until a port forwards.
 *
 * @throws KernelError EOPNOTSUPP when `bridge` is not a bridge (no `ndo_add_slave`), EINVAL for
 * lo and ELOOP with an extended ack for a bridge, as `br_add_if` (net/bridge/br_if.c) checks.
 */
export function setMaster(state: NetState, ns: Netns, link: Link, bridge: Link): void {
  if (bridge.kind !== "bridge") throw rtnetlinkError("EOPNOTSUPP");
  if (link.kind === "loopback") throw rtnetlinkError("EINVAL");
  if (link.kind === "bridge") throw rtnetlinkError("ELOOP", "Can not enslave a bridge to a bridge");
  if (link.master === bridge.ifindex) return;
  // The macvlan handler takes the link's only receive handler slot (`netdev_rx_handler_register`).
  if ((link.macvlans ?? []).length > 0) throw rtnetlinkError("EBUSY");
  if (link.master !== undefined) detachPort(state, ns, link);
  link.master = bridge.ifindex;
  link.portState = "disabled";
  // The FDB hash chain lists the newest entry first.
  bridge.fdb!.unshift({ mac: link.mac, port: link.ifindex, isLocal: true });
  updateBridgeMac(ns, bridge);
  adjustBridgeMtu(state, ns, bridge);
  syncLinks(state);
}

/** Detaches `link` from its bridge, if it has one. */
export function removeFromBridge(state: NetState, ns: Netns, link: Link): void {
  detachPort(state, ns, link);
  syncLinks(state);
}

/** `br_del_if`: disable the port, forget its FDB entries, recalculate the bridge id. */
function detachPort(state: NetState, ns: Netns, link: Link): void {
  const bridge = link.master === undefined ? undefined : ns.links[link.master];
  delete link.master;
  delete link.portState;
  delete link.isHairpin;
  if (bridge === undefined) return;
  bridge.fdb = bridge.fdb!.filter((entry) => entry.port !== link.ifindex);
  selectPortStates(ns, bridge);
  updateBridgeMac(ns, bridge);
  adjustBridgeMtu(state, ns, bridge);
}

/**
 * Recalculates a bridge's id as `br_stp_recalculate_bridge_id` does: unless its MAC was set by
 * hand, the bridge takes the numerically lowest port MAC, and 00:00:00:00:00:00 once it has no
 * ports left. Only a change has effects (see `changeBridgeId`).
 */
export function updateBridgeMac(ns: Netns, bridge: Link): void {
  if (bridge.hasFixedMac === true) return;
  const macs = portsOf(ns, bridge).map((port) => port.mac);
  const lowest = macs.sort()[0] ?? ZERO_MAC;
  if (lowest !== bridge.mac) changeBridgeId(ns, bridge, lowest);
}

/**
 * Gives `bridge` the MAC `mac` as `br_stp_change_bridge_id` does: its own local FDB entry moves
 * along (none for the zero MAC, nor when a port's entry has that MAC), and the port states are
 * selected again, which switches the bridge's carrier to "some port forwards".
 */
function changeBridgeId(ns: Netns, bridge: Link, mac: string): void {
  bridge.fdb = bridge.fdb!.filter((entry) => !(entry.port === bridge.ifindex && entry.isLocal));
  bridge.mac = mac;
  if (mac !== ZERO_MAC && !bridge.fdb.some((entry) => entry.mac === mac)) {
    bridge.fdb.unshift({ mac, port: bridge.ifindex, isLocal: true });
  }
  selectPortStates(ns, bridge);
}

/**
 * Sets the MAC of `link` by hand (`ip link set LINK address MAC`). A bridge then keeps that MAC
 * whatever its ports do; a port's local FDB entry is replaced and its bridge recalculates its id.
 * The IPv6 link-local address keeps the MAC it was made from.
 */
export function setLinkMac(state: NetState, ns: Netns, link: Link, mac: string): void {
  if ((parseInt(mac.slice(0, 2), 16) & 1) === 1) throw rtnetlinkError("EADDRNOTAVAIL");
  if (link.kind === "bridge") {
    link.hasFixedMac = true;
    if (mac !== link.mac) changeBridgeId(ns, link, mac);
    syncLinks(state);
    return;
  }
  if (link.isAdminUp && mac !== link.mac) checkMacvlanMac(state, link, mac);
  link.mac = mac;
  syncLowerAddresses(state, link);
  const bridge = link.master === undefined ? undefined : ns.links[link.master];
  if (bridge !== undefined) {
    const isOwn = (entry: FdbEntry): boolean => entry.port === link.ifindex && entry.isLocal;
    bridge.fdb = bridge.fdb!.filter((entry) => !isOwn(entry));
    bridge.fdb.unshift({ mac, port: link.ifindex, isLocal: true });
    updateBridgeMac(ns, bridge);
  }
  syncLinks(state);
}

/**
 * Moves `link` to `target`. It keeps its ifindex when that is free there, else it gets the next
 * free one; it goes down on the way and loses its addresses, routes, bridge, multicast groups,
 * qdisc and `net.ipv4.conf` settings, and registers anew. Its stored operstate moves along
 * unchanged. Bridges and lo cannot move (NETIF_F_NETNS_LOCAL).
 */
export function moveLink(
  state: NetState,
  ns: Netns,
  link: Link,
  target: Netns,
  newName = link.name,
): Link {
  if (ns.id === target.id) return link;
  // Both set NETIF_F_NETNS_LOCAL, so `__dev_change_net_namespace` refuses to move them.
  if (link.kind === "bridge" || link.kind === "loopback") {
    throw rtnetlinkError("EINVAL", "The interface netns is immutable");
  }
  if (findLink(target, newName) !== undefined) {
    throw rtnetlinkError("EEXIST", "An interface with the same name exists in the target netns");
  }
  applyAdminState(ns, link, false);
  detachPort(state, ns, link);
  // Leaving the namespace unregisters the link there, with its addresses and routes.
  dropLinkAddresses(ns, link);
  ns.neigh = ns.neigh.filter((entry) => entry.ifindex !== link.ifindex);
  delete ns.links[link.ifindex];
  // The link keeps its index where it is free there, else takes a new one.
  const ifindex = target.links[link.ifindex] === undefined ? link.ifindex : allocateIfindex(target);
  // The move shuts the qdisc down, so the link shows `qdisc noop` until it comes up again. It
  // also unregisters the link's IPv4 settings (`inetdev_destroy`) and registers new ones, which
  // `inetdev_init` copies from the target's conf.default, so nothing set before the move stays.
  const { confPinned: _pinned, ...kept } = link;
  const moved: Link = {
    ...kept,
    name: newName,
    ifindex,
    wasUp: false,
    conf: { ...target.confDefault },
    ...defaultPins(target),
  };
  registerMulticast(moved);
  target.links[ifindex] = moved;
  // The old namespace announces where the link went, by an id it allocates for the target
  // (`__dev_change_net_namespace` calls `peernet2id_alloc`).
  assignNsid(ns, target);
  if (moved.peer !== undefined) {
    const peer = resolveRef(state, moved.peer);
    if (peer !== undefined) peer.peer = { ns: target.id, ifindex };
    const peerNs = state.namespaces[moved.peer.ns];
    if (peerNs !== undefined) assignNsids(target, peerNs);
  }
  syncLowerAddresses(state, moved);
  const isMoved = (ref: LinkRef): boolean => ref.ns === ns.id && ref.ifindex === link.ifindex;
  const newRef: LinkRef = { ns: target.id, ifindex };
  if (moved.lower !== undefined) {
    const lower = resolveRef(state, moved.lower);
    if (lower !== undefined) {
      lower.macvlans = (lower.macvlans ?? []).map((ref) => (isMoved(ref) ? newRef : ref));
    }
    assignNsids(target, state.namespaces[moved.lower.ns]!);
  }
  for (const macvlan of macvlansOf(state, moved)) {
    macvlan.link.lower = newRef;
    assignNsids(macvlan.ns, target);
  }
  syncLinks(state);
  return target.links[ifindex]!;
}

/**
 * Deletes `link`. Deleting one end of a veth deletes the other end too, and deleting a link
 * deletes the macvlans on it, in whatever namespace (`macvlan_port_destroy`).
 */
export function deleteLink(state: NetState, ns: Netns, link: Link): void {
  if (link.kind === "loopback") throw rtnetlinkError("EOPNOTSUPP");
  if (link.peer !== undefined) {
    const peerNs = state.namespaces[link.peer.ns];
    const peer = peerNs?.links[link.peer.ifindex];
    if (peerNs !== undefined && peer !== undefined) {
      delete peer.peer;
      deleteOne(state, peerNs, peer);
    }
  }
  deleteOne(state, ns, link);
  syncLinks(state);
}

function deleteOne(state: NetState, ns: Netns, link: Link): void {
  for (const macvlan of macvlansOf(state, link)) deleteOne(state, macvlan.ns, macvlan.link);
  const lower = link.lower === undefined ? undefined : resolveRef(state, link.lower);
  if (lower !== undefined) {
    lower.macvlans = (lower.macvlans ?? []).filter(
      (ref) => ref.ns !== ns.id || ref.ifindex !== link.ifindex,
    );
    if (lower.macvlans.length === 0) delete lower.macvlans;
  }
  applyAdminState(ns, link, false);
  detachPort(state, ns, link);
  if (link.kind === "bridge") {
    for (const port of portsOf(ns, link)) {
      delete port.master;
      delete port.portState;
      delete port.isHairpin;
    }
  }
  dropLinkAddresses(ns, link);
  ns.neigh = ns.neigh.filter((entry) => entry.ifindex !== link.ifindex);
  delete ns.links[link.ifindex];
  syncLowerAddresses(state, link);
}
