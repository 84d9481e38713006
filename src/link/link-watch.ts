/**
 * What follows a carrier change: link watch's operstate, bridge port states and the bridge's
 * own carrier, the neighbour flush, and IPv6 autoconfiguration once a link is ready.
 *
 * The kernel does this asynchronously: net/core/link_watch.c queues an event per link and runs
 * `rfc2863_policy`, then the NETDEV_CHANGE notifiers. The model runs it at the end of every link
 * operation, which is what a script observes when its next command starts. Sources:
 * net/core/link_watch.c (an event only when the carrier bit flips, so the stored state goes
 * stale when other links change), net/bridge/br_if.c (`br_port_carrier_check`),
 * net/bridge/br_stp_if.c (`br_stp_enable_port`, `br_stp_disable_port`), net/bridge/br_stp.c
 * (`br_port_state_selection` switches the bridge's carrier) and net/ipv4/arp.c
 * (`arp_netdev_event`: losing carrier flushes the link's non-permanent neighbour entries).
 */
import type { Link, LinkRef, Netns, NetState } from "../netns/state.js";
import { linksOf, resolveRef } from "../netns/state.js";
import { readView } from "../netns/view.js";
import { configureIpv6, needsIpv6, syncLowerAddresses } from "./addrconf.js";
import { defaultOperstate, isCarrierOn, isOperUp, portsOf } from "./carrier.js";

/** The maximum number of settling passes. Each pass moves a bridge at most one step further. */
const MAX_PASSES = 8;

/**
 * Brings every derived link state up to date after links changed: carrier events, then bridge
 * port transitions (which may switch a bridge's carrier and so cause more events), until
 * nothing changes.
 *
 * Each pass reads a plain view of the state and writes only the links that change, through the
 * draft. Reading every link of a large draft through immer's proxies made this scan most of the
 * cost of every link command. The view of a namespace is exact when the namespace
 * is visited: the other namespaces' writes in a pass (carrier events, port states) are never
 * read across namespaces, which read only `isAdminUp` (a macvlan's lower link is never a
 * bridge, so its carrier follows admin states alone), and a namespace is viewed again after
 * its own carrier events, because the port states read the operstate those events wrote.
 */
export function syncLinks(state: NetState): void {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let isChanged = false;
    const view = readView(state);
    for (const key in view.namespaces) {
      const nsView = view.namespaces[key]!;
      if (isKnownSettled(view, nsView)) continue;
      let isWatched = false;
      for (const link of linksOf(nsView)) {
        if (isCarrierOn(view, link) === (link.watchedCarrier ?? true)) continue;
        const ns = state.namespaces[nsView.id]!;
        watchCarrier(state, ns, ns.links[link.ifindex]!);
        isWatched = true;
      }
      const portsView = isWatched ? readView(state.namespaces[nsView.id]!) : nsView;
      isChanged = updateAllPorts(state, portsView) || isWatched || isChanged;
    }
    if (!isChanged) break;
  }
  const view = readView(state);
  for (const key in view.namespaces) {
    const nsView = view.namespaces[key]!;
    if (isKnownSettled(view, nsView)) continue;
    let isConfigured = false;
    for (const link of linksOf(nsView)) {
      if (!needsIpv6(view, link)) continue;
      const draft = state.namespaces[nsView.id]!.links[link.ifindex]!;
      configureIpv6(state, draft);
      syncLowerAddresses(state, draft);
      isConfigured = true;
    }
    // Frozen means no pass wrote it, so the last pass found nothing to change there.
    if (!isConfigured && Object.isFrozen(nsView)) recordSettled(view, nsView);
  }
}

/**
 * A value a settled namespace read from a link elsewhere: the admin state of a link's peer, or
 * the carrier of a macvlan's lower link.
 */
interface OutsideRead {
  ref: LinkRef;
  isLower: boolean;
  value: boolean | undefined;
}

/**
 * Frozen namespaces that `syncLinks` found settled: no carrier event, port transition or IPv6
 * configuration pending. A frozen namespace never changes. From other namespaces the checks
 * read only the admin state of its links' peers and the carrier of its macvlans' lower links, so
 * it stays settled while those keep the values recorded here.
 * Skipping such namespaces keeps a link command from checking every link of a large network.
 */
const settledNamespaces = new WeakMap<Netns, OutsideRead[]>();

/** Returns the value a namespace reads from `ref` now: a peer's admin state, or a lower link's carrier. */
function readOutside(view: NetState, ref: LinkRef, isLower: boolean): boolean | undefined {
  const link = resolveRef(view, ref);
  if (link === undefined) return undefined;
  return isLower ? isCarrierOn(view, link) : link.isAdminUp;
}

function recordSettled(view: NetState, ns: Netns): void {
  const reads: OutsideRead[] = [];
  for (const link of linksOf(ns)) {
    if (link.peer !== undefined) {
      reads.push({ ref: link.peer, isLower: false, value: readOutside(view, link.peer, false) });
    }
    if (link.lower !== undefined) {
      reads.push({ ref: link.lower, isLower: true, value: readOutside(view, link.lower, true) });
    }
  }
  settledNamespaces.set(ns, reads);
}

function isKnownSettled(view: NetState, ns: Netns): boolean {
  const reads = settledNamespaces.get(ns);
  if (reads === undefined) return false;
  return reads.every(({ ref, isLower, value }) => readOutside(view, ref, isLower) === value);
}

/**
 * Runs `updatePorts` for every bridge of the namespace `nsView` shows, reading the view and
 * writing the draft. Reports whether a port state changed.
 */
function updateAllPorts(state: NetState, nsView: Netns): boolean {
  const ports = portsByBridge(nsView);
  let isChanged = false;
  for (const bridge of linksOf(nsView)) {
    if (bridge.kind !== "bridge") continue;
    isChanged = updatePorts(state, nsView.id, bridge, ports.get(bridge.ifindex) ?? []) || isChanged;
  }
  return isChanged;
}

/** Returns the ports of every bridge of `ns` in ifindex order, as `portsOf` lists them. */
function portsByBridge(ns: Netns): Map<number, Link[]> {
  const ports = new Map<number, Link[]>();
  for (const link of linksOf(ns)) {
    if (link.master === undefined) continue;
    let list = ports.get(link.master);
    if (list === undefined) ports.set(link.master, (list = []));
    list.push(link);
  }
  return ports;
}

/** Runs link watch for `link` if its carrier flipped since the last event; reports whether it did. */
function watchCarrier(state: NetState, ns: Netns, link: Link): boolean {
  const carrier = isCarrierOn(state, link);
  if (carrier === (link.watchedCarrier ?? true)) return false;
  fireLinkEvent(state, ns, link);
  return true;
}

/**
 * Runs link watch for `link` whether or not its carrier flipped, as a driver's own
 * `linkwatch_fire_event` call does (`macvlan_common_newlink` makes one for every new macvlan):
 * the stored operstate is computed afresh, and losing carrier flushes the neighbour entries.
 */
export function fireLinkEvent(state: NetState, ns: Netns, link: Link): void {
  const carrier = isCarrierOn(state, link);
  link.watchedCarrier = carrier;
  link.operstate = defaultOperstate(state, ns, link);
  if (!carrier) {
    ns.neigh = ns.neigh.filter(
      (entry) => entry.ifindex !== link.ifindex || entry.state === "PERMANENT",
    );
  }
}

/**
 * Enables the ports of `bridge` that became eligible (bridge up, port up and operationally up)
 * and disables those that stopped being so, running the port state selection after each
 * change, as `br_stp_enable_port` and `br_stp_disable_port` do. `bridge` and `ports` are views;
 * the changes go to the draft namespace `nsId` of `state`. Reports whether anything changed.
 */
function updatePorts(state: NetState, nsId: number, bridge: Link, ports: Link[]): boolean {
  let isChanged = false;
  const portStates = ports.map((port) => port.portState ?? "disabled");
  ports.forEach((port, index) => {
    const isEligible = bridge.isAdminUp && port.isAdminUp && isOperUp(port);
    const next = isEligible ? "forwarding" : "disabled";
    if (portStates[index] === next) return;
    portStates[index] = next;
    const ns = state.namespaces[nsId]!;
    ns.links[port.ifindex]!.portState = next;
    if (next === "disabled") {
      // `br_stp_disable_port` deletes the entries the port learned (`br_fdb_delete_by_port`).
      const draft = ns.links[bridge.ifindex]!;
      draft.fdb = (draft.fdb ?? []).filter((entry) => entry.isLocal || entry.port !== port.ifindex);
    }
    // What `selectPortStates` computes, from the port states this loop has set so far.
    ns.links[bridge.ifindex]!.bridgeCarrier = portStates.includes("forwarding");
    isChanged = true;
  });
  return isChanged;
}

/** Sets the bridge's carrier from its ports, as `br_port_state_selection` does: on while one forwards. */
export function selectPortStates(ns: Netns, bridge: Link): void {
  bridge.bridgeCarrier = portsOf(ns, bridge).some((port) => port.portState === "forwarding");
}
