/**
 * Carrier and operational state of links: what `LOWER_UP`, `NO-CARRIER` and the `state` word of
 * `ip link` mean, and which bridge ports forward.
 *
 * Sources: drivers/net/veth.c (`veth_open`, `veth_close`: a veth has carrier only while both
 * ends are up), net/bridge/br_stp.c (`br_port_state_selection` sets a bridge's carrier, and with
 * STP off an enabled port forwards at once), net/bridge/br_if.c (`br_port_carrier_check`: a port
 * is enabled while it runs and is operationally up) and net/core/link_watch.c
 * (`default_operstate`, `rfc2863_policy`). In net/core/dev.c, `dev_get_flags` reports `LOWER_UP`
 * for the carrier and `RUNNING` for "operationally up", both only while the link is admin-up.
 */
import type { Link, Netns, NetState } from "../netns/state.js";
import { iflinkOf, resolveRef } from "../netns/state.js";
import { readView } from "../netns/view.js";

/** The ports of each bridge of a frozen links record, by the bridge's ifindex. */
const portIndexes = new WeakMap<Record<number, Link>, Map<number, Link[]>>();

/**
 * Returns the ports of the bridge `bridge` in ifindex order. A frozen links record's ports are
 * indexed once, because a probe floods through the same bridges again and again. A draft's are
 * found in a plain view, so that its other links are not drafted.
 */
export function portsOf(ns: Netns, bridge: Link): Link[] {
  if (!Object.isFrozen(ns.links)) {
    // Object.values lists integer keys (ifindexes) in ascending order.
    const view = Object.values(readView(ns.links));
    const ports = view.filter((link) => link.master === bridge.ifindex);
    return ports.map((port) => ns.links[port.ifindex]!);
  }
  let index = portIndexes.get(ns.links);
  if (index === undefined) {
    index = new Map();
    for (const link of Object.values(ns.links)) {
      if (link.master === undefined) continue;
      const ports = index.get(link.master) ?? [];
      ports.push(link);
      index.set(link.master, ports);
    }
    portIndexes.set(ns.links, index);
  }
  return [...(index.get(bridge.ifindex) ?? [])];
}

/**
 * Reports whether the driver reports carrier on `link` (`netif_carrier_ok`), up or not. lo always
 * has it and a veth while both ends are up. A bridge has what its last port state selection
 * left, a preset's physical NIC has it while it and its far end are up, and a macvlan has its
 * lower link's.
 */
export function isCarrierOn(state: NetState, link: Link): boolean {
  switch (link.kind) {
    case "loopback":
      return true;
    case "bridge":
      return link.bridgeCarrier ?? true;
    case "veth":
    case "ether": {
      if (link.peer === undefined) return link.kind === "ether";
      return link.isAdminUp && resolveRef(state, link.peer)?.isAdminUp === true;
    }
    case "macvlan": {
      // `netif_stacked_transfer_operstate` copies the lower link's carrier, up or not.
      const lower = link.lower === undefined ? undefined : resolveRef(state, link.lower);
      return lower !== undefined && isCarrierOn(state, lower);
    }
  }
}

/** Reports whether `link` has carrier and is up, which `ip link` prints as `LOWER_UP`. */
export function hasCarrier(state: NetState, ns: Netns, link: Link): boolean {
  void ns;
  return link.isAdminUp && isCarrierOn(state, link);
}

/**
 * Reports whether `link` is operationally up (`netif_oper_up`): its stored state is UP, or
 * UNKNOWN because no carrier event ever computed one.
 */
export function isOperUp(link: Link): boolean {
  return link.operstate === undefined || link.operstate === "UP" || link.operstate === "UNKNOWN";
}

/** Reports whether a bridge port forwards frames: it and its bridge are up, and it is operationally up. */
export function isPortForwarding(state: NetState, ns: Netns, port: Link): boolean {
  void state;
  const bridge = port.master === undefined ? undefined : ns.links[port.master];
  if (bridge === undefined || !bridge.isAdminUp) return false;
  return port.isAdminUp && isOperUp(port);
}

/** The `state` word of `ip link show`. */
export type OperState = "UP" | "DOWN" | "UNKNOWN" | "LOWERLAYERDOWN";

/**
 * Returns the state link watch computes for `link` at a carrier event. Without carrier the
 * kernel looks the link's `iflink` (a veth's peer or a macvlan's lower ifindex) up in the link's OWN namespace: its
 * own index, no such link, or a link there that has carrier give DOWN; a link there without
 * carrier gives LOWERLAYERDOWN. So the word depends on unrelated ifindexes, not on the peer.
 */
export function defaultOperstate(state: NetState, ns: Netns, link: Link): OperState {
  if (isCarrierOn(state, link)) return "UP";
  const iflink = iflinkOf(link)?.ifindex ?? link.ifindex;
  if (iflink === link.ifindex) return "DOWN";
  const namesake = ns.links[iflink];
  if (namesake === undefined) return "DOWN";
  return isCarrierOn(state, namesake) ? "DOWN" : "LOWERLAYERDOWN";
}

/**
 * Returns the operational state `ip link show` prints for `link`: DOWN while it is admin-down,
 * else the state stored at its last carrier event, which may be stale (link watch does not
 * recompute it when other links change).
 */
export function operState(state: NetState, ns: Netns, link: Link): OperState {
  void state;
  void ns;
  if (!link.isAdminUp) return "DOWN";
  return link.operstate ?? "UNKNOWN";
}

/**
 * Returns the flags between angle brackets in `ip link show`, such as `BROADCAST,UP`.
 * `NO-CARRIER` means up but not operationally up. `isLinkDown` adds iproute2's `M-DOWN`, which
 * the caller decides (see `linkedLink`).
 */
export function linkFlags(state: NetState, ns: Netns, link: Link, isLinkDown = false): string[] {
  const flags: string[] = [];
  if (link.isAdminUp && !isOperUp(link)) flags.push("NO-CARRIER");
  flags.push(...(link.kind === "loopback" ? ["LOOPBACK"] : ["BROADCAST", "MULTICAST"]));
  if (link.isAdminUp) flags.push("UP");
  if (hasCarrier(state, ns, link)) flags.push("LOWER_UP");
  if (isLinkDown) flags.push("M-DOWN");
  return flags;
}

/**
 * Returns the link of `ns` whose ifindex equals the `iflink` of `link` (a veth's peer or a
 * macvlan's lower index), as iproute2 resolves it in its own namespace, or undefined when `link`
 * has no iflink. `name` is that link's name or `ifN` when the namespace has no such index.
 */
export function linkedLink(ns: Netns, link: Link): { name: string; link?: Link } | undefined {
  const iflink = iflinkOf(link);
  if (iflink === undefined) return undefined;
  const found = ns.links[iflink.ifindex];
  return found === undefined ? { name: `if${iflink.ifindex}` } : { name: found.name, link: found };
}
