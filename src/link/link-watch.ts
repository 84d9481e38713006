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
import type { Link, Netns, NetState } from "../netns/state.js";
import { linksOf } from "../netns/state.js";
import { configureIpv6 } from "./addrconf.js";
import { defaultOperstate, isCarrierOn, isOperUp, portsOf } from "./carrier.js";

/** The maximum number of settling passes. Each pass moves a bridge at most one step further. */
const MAX_PASSES = 8;

/**
 * Brings every derived link state up to date after links changed: carrier events, then bridge
 * port transitions (which may switch a bridge's carrier and so cause more events), until
 * nothing changes.
 */
export function syncLinks(state: NetState): void {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let isChanged = false;
    for (const ns of Object.values(state.namespaces)) {
      for (const link of linksOf(ns)) isChanged = watchCarrier(state, ns, link) || isChanged;
      for (const link of linksOf(ns)) {
        if (link.kind === "bridge") isChanged = updatePorts(ns, link) || isChanged;
      }
    }
    if (!isChanged) break;
  }
  for (const ns of Object.values(state.namespaces)) {
    for (const link of linksOf(ns)) configureIpv6(state, link);
  }
}

/** Runs link watch for `link` if its carrier flipped since the last event; reports whether it did. */
function watchCarrier(state: NetState, ns: Netns, link: Link): boolean {
  const carrier = isCarrierOn(state, link);
  if (carrier === (link.watchedCarrier ?? true)) return false;
  link.watchedCarrier = carrier;
  link.operstate = defaultOperstate(state, ns, link);
  if (!carrier) {
    ns.neigh = ns.neigh.filter(
      (entry) => entry.ifindex !== link.ifindex || entry.state === "PERMANENT",
    );
  }
  return true;
}

/**
 * Enables the ports of `bridge` that became eligible (bridge up, port up and operationally up)
 * and disables those that stopped being so, running the port state selection after each
 * change, as `br_stp_enable_port` and `br_stp_disable_port` do. Reports whether anything changed.
 */
function updatePorts(ns: Netns, bridge: Link): boolean {
  let isChanged = false;
  for (const port of portsOf(ns, bridge)) {
    const isEligible = bridge.isAdminUp && port.isAdminUp && isOperUp(port);
    const next = isEligible ? "forwarding" : "disabled";
    if ((port.portState ?? "disabled") === next) continue;
    port.portState = next;
    selectPortStates(ns, bridge);
    isChanged = true;
  }
  return isChanged;
}

/** Sets the bridge's carrier from its ports, as `br_port_state_selection` does: on while one forwards. */
export function selectPortStates(ns: Netns, bridge: Link): void {
  bridge.bridgeCarrier = portsOf(ns, bridge).some((port) => port.portState === "forwarding");
}
