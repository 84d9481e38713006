/**
 * Carrier and operational state of links, derived from admin state and topology.
 *
 * Sources: drivers/net/veth.c (`veth_open`, `veth_close`: a veth has carrier only while both
 * ends are up), net/bridge/br_stp.c (`br_port_state_selection`: a bridge with ports has carrier
 * only while some port forwards; with STP off an enabled port forwards at once),
 * net/bridge/br_stp_if.c (closing a bridge disables every port) and net/core/link_watch.c for
 * the operstate words `ip link` prints.
 */
import type { Link, Netns, NetState } from "../netns/state.js";
import { resolveRef } from "../netns/state.js";

/** Returns the ports of the bridge `bridge` in ifindex order. */
export function portsOf(ns: Netns, bridge: Link): Link[] {
  return Object.values(ns.links)
    .filter((link) => link.master === bridge.ifindex)
    .sort((a, b) => a.ifindex - b.ifindex);
}

/** Reports whether a bridge port forwards frames: it, its carrier and its bridge are up. */
export function isPortForwarding(state: NetState, ns: Netns, port: Link): boolean {
  const bridge = port.master === undefined ? undefined : ns.links[port.master];
  if (bridge === undefined || !bridge.isAdminUp) return false;
  return hasCarrier(state, ns, port);
}

/** Reports whether `link` has carrier (`LOWER_UP`). */
export function hasCarrier(state: NetState, ns: Netns, link: Link): boolean {
  if (!link.isAdminUp) return false;
  switch (link.kind) {
    case "loopback":
      return true;
    case "veth":
    case "ether": {
      if (link.peer === undefined) return link.kind === "ether";
      return resolveRef(state, link.peer)?.isAdminUp === true;
    }
    case "bridge": {
      const ports = portsOf(ns, link);
      if (ports.length === 0) return link.hasHadPorts !== true;
      return ports.some((port) => isPortForwarding(state, ns, port));
    }
  }
}

/** The `state` word of `ip link show`. */
export type OperState = "UP" | "DOWN" | "UNKNOWN" | "LOWERLAYERDOWN";

/** Returns the operational state `ip link show` prints for `link`. */
export function operState(state: NetState, ns: Netns, link: Link): OperState {
  if (!link.isAdminUp) return "DOWN";
  if (link.kind === "loopback") return "UNKNOWN";
  if (!hasCarrier(state, ns, link)) return "DOWN";
  // A bridge that never had a port never saw a carrier event, so link_watch never set its state.
  if (link.kind === "bridge" && link.hasHadPorts !== true) {
    return "UNKNOWN";
  }
  return "UP";
}

/** Returns the flags between angle brackets in `ip link show`, such as `BROADCAST,UP`. */
export function linkFlags(state: NetState, ns: Netns, link: Link): string[] {
  const carrier = hasCarrier(state, ns, link);
  const flags: string[] = [];
  if (link.isAdminUp && !carrier) flags.push("NO-CARRIER");
  flags.push(...(link.kind === "loopback" ? ["LOOPBACK"] : ["BROADCAST", "MULTICAST"]));
  if (link.isAdminUp) flags.push("UP");
  if (carrier) flags.push("LOWER_UP");
  const master = link.master === undefined ? undefined : ns.links[link.master];
  if (master !== undefined && !master.isAdminUp) flags.push("M-DOWN");
  return flags;
}
