/**
 * Layer 2: frames crossing a veth, bridge forwarding, and the hand-over to IPv4 or ARP at the
 * link that terminates a frame.
 *
 * Sources: drivers/net/veth.c (`veth_xmit`: the frame arrives on the peer at once, or is
 * dropped when the peer has no carrier), net/bridge/br_input.c (`br_handle_frame`: a port that
 * is not forwarding drops what arrives; source MAC learning; frames for the bridge's own MAC go
 * up to its IP stack, group frames go up and are flooded), net/bridge/br_forward.c (flooding
 * to every forwarding port but the ingress one, or forwarding to the FDB's port) and
 * net/core/dev.c with net/ethernet/eth.c (`eth_type_trans`: a frame for another unicast MAC is
 * PACKET_OTHERHOST, which IPv4 drops).
 */
import { resolveRef } from "../netns/state.js";
import type { Link, Netns } from "../netns/state.js";
import { hasCarrier, isPortForwarding, portsOf } from "../link/carrier.js";
import type { Frame } from "../wire/ipv4.js";
import { isGroupMac } from "../wire/ipv4.js";
import { bridgeForwardHooks, bridgePrerouting } from "./bridge-netfilter.js";
import { ipReceive } from "./input.js";
import { copyPass } from "./netfilter-hooks.js";
import { arpReceive, neighOutput } from "./neigh.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** Puts a frame on `link`: across a veth, into a bridge, or nowhere without carrier. */
export function sendFrame(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  if (!hasCarrier(sim.state, ns, link)) {
    const why = link.isAdminUp ? "has no carrier (its peer or all its ports are down)" : "is down";
    sim.drop(trace, ns, "NO_CARRIER", `${link.name} ${why}, so the frame goes nowhere`, link.name);
    return;
  }
  // A capture shows an outgoing frame once the link can carry it.
  sim.tap(ns, link, frame);
  if (link.kind === "bridge") {
    sim.hop(trace, ns, "xmit", `sent by the bridge to ${frame.dstMac}`, link.name);
    bridgeForward(sim, ns, link, undefined, frame, trace);
    return;
  }
  const peer = link.peer === undefined ? undefined : resolveRef(sim.state, link.peer);
  if (link.peer === undefined || peer === undefined) {
    sim.drop(trace, ns, "QDISC_DROP", `${link.name} is not connected to anything`, link.name);
    return;
  }
  const peerNs = sim.state.namespaces[link.peer.ns]!;
  const medium = link.kind === "veth" ? "veth" : "wire";
  sim.hop(trace, ns, "xmit", `crosses the ${medium} to ${nsLabel(peerNs)}/${peer.name}`, link.name);
  receiveFrame(sim, peerNs, peer, frame, trace);
}

/** Receives a frame on `link`: a bridge port hands it to its bridge, other links to IP or ARP. */
function receiveFrame(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  // A capture shows an incoming frame before the bridge or IP handles it, so a frame that is
  // dropped next still shows.
  sim.tap(ns, link, frame);
  if (link.master === undefined) {
    l3Receive(sim, ns, link, frame, trace);
    return;
  }
  const bridge = ns.links[link.master]!;
  if (!isPortForwarding(sim.state, ns, link)) {
    const why = bridge.isAdminUp ? "has no carrier" : `is a port of ${bridge.name}, which is down`;
    sim.drop(
      trace,
      ns,
      "BRIDGE_INGRESS_STP_STATE",
      `${link.name} ${why}, so the port is disabled and drops what arrives`,
      link.name,
    );
    return;
  }
  learn(bridge, frame.srcMac, link.ifindex);
  // netfilter: br_netfilter's PREROUTING (bridge-netfilter.ts).
  const admitted = bridgePrerouting(sim, ns, bridge, link, frame, trace);
  if (admitted === undefined) return;
  switch (admitted.kind) {
    case "bridge":
      bridgeForward(sim, ns, bridge, link, admitted.frame, trace);
      return;
    case "up":
      l3Receive(sim, ns, bridge, admitted.frame, trace);
      return;
    case "resolve": {
      // `br_nf_pre_routing_finish_bridge`: the bridge's neighbour entry gives the destination
      // MAC, and the frame keeps its source MAC and goes on from its ingress port. After ARP
      // the kernel does the same through `br_nf_pre_routing_finish_bridge_slow`.
      const srcMac = admitted.frame.srcMac;
      neighOutput(sim, ns, bridge, admitted.nexthop, admitted.packet, trace, (resolved, after) =>
        bridgeForward(sim, ns, bridge, link, { ...resolved, srcMac }, after),
      );
      return;
    }
  }
}

function learn(bridge: Link, mac: string, port: number): void {
  const fdb = bridge.fdb!;
  const entry = fdb.find((candidate) => candidate.mac === mac);
  // The kernel adds new entries at the head of the FDB hash chain, so dumps list them first.
  if (entry === undefined) fdb.unshift({ mac, port, isLocal: false });
  else if (!entry.isLocal) entry.port = port;
}

/**
 * Bridge forwarding: to the bridge itself, to the learned port, or flooded to every port. A
 * group frame also goes up to the bridge's own stack.
 */
function bridgeForward(
  sim: Sim,
  ns: Netns,
  bridge: Link,
  ingress: Link | undefined,
  frame: Frame,
  trace: PacketTrace,
): void {
  const entry = bridge.fdb!.find((candidate) => candidate.mac === frame.dstMac);
  const isGroup = isGroupMac(frame.dstMac);
  if (
    ingress !== undefined &&
    !isGroup &&
    (entry?.isLocal === true || frame.dstMac === bridge.mac)
  ) {
    sim.hop(
      trace,
      ns,
      "bridge",
      `addressed to ${bridge.name} itself: passed up to its IP stack`,
      bridge.name,
    );
    l3Receive(sim, ns, bridge, frame, trace);
    return;
  }

  // tcpdump puts the bridge into promiscuous mode, so every frame from a port also goes up to
  // the bridge device (seen on Linux 6.18: a capture on the bridge shows unicast pings between
  // two ports). That copy goes up before the forwarded frame moves on, so the capture shows it
  // first. A group frame goes up below anyway, through l3Receive.
  if (ingress !== undefined && !isGroup) sim.tap(ns, bridge, frame);
  const isFlood = isGroup || entry === undefined;
  const candidates = isFlood ? portsOf(ns, bridge) : [ns.links[entry.port]!];
  const targets = candidates
    .filter((port) => port !== ingress && isPortForwarding(sim.state, ns, port))
    .sort((a, b) => a.ifindex - b.ifindex);

  const copies: Copy[] = [];
  if (ingress !== undefined && isGroup) {
    copies.push({
      note: `up to ${bridge.name}`,
      run: (copy) => l3Receive(sim, ns, bridge, frame, copy),
    });
  }
  const how = isFlood ? "flooded" : "forwarded by the FDB";
  for (const port of targets) {
    copies.push({
      note: `out ${port.name}`,
      run: (copy) => {
        sim.hop(copy, ns, "bridge", `${how} out port ${port.name}`, bridge.name);
        // netfilter: br_netfilter's FORWARD and POSTROUTING (bridge-netfilter.ts).
        const out = bridgeForwardHooks(sim, ns, bridge, ingress, port, frame, copy);
        if (out !== undefined) sendFrame(sim, ns, port, out, copy);
      },
    });
  }

  if (copies.length === 0) {
    // `should_deliver` (net/bridge/br_forward.c) never sends a frame back out of its ingress
    // port unless the port is in hairpin mode, which hoptrace does not model (it is off by
    // default). A DNATed frame for a neighbour behind its own port ends here.
    const isBackToIngress = !isFlood && ingress !== undefined && entry.port === ingress.ifindex;
    const message = isBackToIngress
      ? `${bridge.name} learned ${frame.dstMac} on ${ingress.name}, the port the frame came in on, and does not send a frame back out of its ingress port (hairpin mode is off)`
      : `${bridge.name} has no forwarding port for ${frame.dstMac}`;
    sim.drop(trace, ns, "BRIDGE_NO_EGRESS_PORT", message, bridge.name);
    return;
  }
  const traces = copies.map((copy, index) => copyTrace(sim, trace, index, frame, copy.note));
  copies.forEach((copy, index) => copy.run(traces[index]!));
}

/** One copy of a bridged frame: a note for its trace, and the step that moves it on. */
interface Copy {
  note: string;
  run: (trace: PacketTrace) => void;
}

/**
 * Returns the trace a copy continues on: the original for the first copy, a fork for every
 * other copy of an IPv4 packet. ARP floods stay on one trace, because only the owner of the
 * target address answers and the other receivers only add a hop.
 */
function copyTrace(
  sim: Sim,
  trace: PacketTrace,
  index: number,
  frame: Frame,
  note: string,
): PacketTrace {
  if (index === 0 || frame.body.kind === "arp") return trace;
  const copy = sim.forkTrace(trace, `copy ${note}`);
  copyPass(trace, copy);
  return copy;
}

/** Layer 3 reception on `link`: ARP, or IPv4 addressed to this link's MAC or to a group. */
export function l3Receive(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  // A frame the bridge passes up is received again on the bridge device itself.
  if (link.kind === "bridge") sim.tap(ns, link, frame);
  const isGroup = isGroupMac(frame.dstMac);
  if (!isGroup && frame.dstMac !== link.mac) {
    sim.drop(
      trace,
      ns,
      "OTHERHOST",
      `the frame is for ${frame.dstMac}, not for ${link.name}`,
      link.name,
    );
    return;
  }
  if (frame.body.kind === "arp") {
    arpReceive(sim, ns, link, frame.body.arp, trace);
    return;
  }
  ipReceive(sim, ns, link, frame.body.packet, trace);
}
