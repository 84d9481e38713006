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
import { macvlansOf, resolveRef } from "../netns/state.js";
import type { Link, Netns } from "../netns/state.js";
import { hasCarrier, isPortForwarding, portsOf } from "../link/carrier.js";
import type { Frame } from "../wire/ipv4.js";
import { ipLength, isGroupMac } from "../wire/ipv4.js";
import { formatIp4 } from "../addr/ip4.js";
import { Unsupported } from "../errors.js";
import { bridgeForwardHooks, bridgePrerouting } from "./bridge-netfilter.js";
import { ipReceive } from "./input.js";
import { copyPass } from "./netfilter-hooks.js";
import { arpReceive, neighOutput } from "./neigh.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
import { ipBytesWithMtu, pathMtu } from "./pmtu.js";
import type { PacketTrace } from "./verdict.js";

/**
 * Puts a frame on `link`: across a veth, into a bridge, or nowhere without carrier. A frame is
 * followed to its end synchronously, so a path of a few hundred links in a row can exhaust the
 * JavaScript stack. That fails as not supported, from the outermost call, not as a crash.
 */
export function sendFrame(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  sim.frameDepth++;
  const depth = sim.frameDepth;
  try {
    // Without carrier, link watch gives the link the noop qdisc (dev_deactivate), which drops every
    // frame before a capture shows it. A macvlan has its lower link's carrier, so without it its
    // bridge-mode siblings do not reach each other either.
    if (!hasCarrier(sim.state, ns, link)) {
      const reason = !link.isAdminUp
        ? "is down"
        : link.kind === "macvlan"
          ? "has no carrier (its lower link has none)"
          : "has no carrier (its peer or all its ports are down)";
      sim.drop(
        trace,
        ns,
        "NO_CARRIER",
        `${link.name} ${reason}, so the frame goes nowhere`,
        link.name,
      );
      return;
    }
    if (frame.body.kind === "ip" && frame.ipBytes === undefined) {
      const packet = frame.body.packet;
      const bytes = ipBytesWithMtu(packet, pathMtu(ns, packet.dst, link.mtu, sim.now));
      if (bytes !== undefined) frame.ipBytes = bytes;
      if (bytes !== undefined && bytes < ipLength(packet)) sim.fragmentedTraces.add(trace);
    }
    if (link.kind === "macvlan") {
      macvlanXmit(sim, ns, link, frame, trace);
      return;
    }
    // A capture shows an outgoing frame once the link can carry it.
    sim.tap(ns, link, frame, trace);
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
    const bytes = frame.ipBytes ?? 0;
    if (link.kind === "veth" && bytes > peer.mtu + VLAN_HLEN) {
      const message = `the ${bytes}-byte packet is too long for ${nsLabel(peerNs)}/${peer.name}, the other end of the veth, whose MTU is ${peer.mtu}, so the veth drops it`;
      sim.drop(trace, ns, "NOT_SPECIFIED", message, link.name, "ENOBUFS");
      return;
    }
    const medium = link.kind === "veth" ? "veth" : "wire";
    sim.hop(
      trace,
      ns,
      "xmit",
      `crosses the ${medium} to ${nsLabel(peerNs)}/${peer.name}`,
      link.name,
    );
    receiveFrame(sim, peerNs, peer, frame, trace);
  } catch (error) {
    if (depth === 1 && isStackOverflow(error)) {
      throw new Unsupported(
        `a frame path too long to follow: more links in a row than the simulator's stack holds, starting at ${nsLabel(ns)}/${link.name}`,
      );
    }
    throw error;
  } finally {
    sim.frameDepth--;
  }
}

/**
 * `is_skb_forwardable`: a veth hands its other end a frame of up to that end's MTU plus the
 * Ethernet header and one VLAN tag, and drops a longer one (`veth_xmit`).
 */
const VLAN_HLEN = 4;

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes("call stack");
}

/** Receives a frame on `link`: a bridge port hands it to its bridge, other links to IP or ARP. */
function receiveFrame(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  // A capture shows an incoming frame before the bridge or IP handles it, so a frame that is
  // dropped next still shows.
  sim.tap(ns, link, frame, trace);
  if (link.macvlans !== undefined) {
    macvlanReceive(sim, ns, link, frame, trace);
    return;
  }
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

/** Returns the macvlans of `lower` that are up: the ones in the port's hash, which frames can reach. */
function openMacvlans(sim: Sim, lower: Link): { ns: Netns; link: Link }[] {
  return macvlansOf(sim.state, lower).filter((macvlan) => macvlan.link.isAdminUp);
}

/**
 * `macvlan_queue_xmit` (drivers/net/macvlan.c). In bridge mode a group frame first goes to the
 * other bridge-mode macvlans of the lower link. A frame for one of their MACs goes to that one
 * alone, received on the lower link (`dev_forward_skb`), so a capture there shows it. Everything
 * else, and everything a vepa or private macvlan sends, leaves through the lower link, and the
 * lower link's own stack never receives it.
 */
function macvlanXmit(sim: Sim, ns: Netns, macvlan: Link, frame: Frame, trace: PacketTrace): void {
  const lowerNs = sim.state.namespaces[macvlan.lower!.ns]!;
  const lower = resolveRef(sim.state, macvlan.lower!)!;
  sim.tap(ns, macvlan, frame, trace);

  const lowerLabel = `${nsLabel(lowerNs)}/${lower.name}`;
  const isBridgeMode = macvlan.macvlanMode === "bridge";
  const siblings = isBridgeMode
    ? openMacvlans(sim, lower).filter(
        (other) => other.link !== macvlan && other.link.macvlanMode === "bridge",
      )
    : [];

  if (!isGroupMac(frame.dstMac)) {
    const dest = siblings.find((other) => other.link.mac === frame.dstMac);
    if (dest !== undefined) {
      sim.hop(
        trace,
        ns,
        "xmit",
        `bridge mode: for the macvlan ${nsLabel(dest.ns)}/${dest.link.name}, handed back in through ${lowerLabel}`,
        macvlan.name,
      );
      receiveFrame(sim, lowerNs, lower, frame, trace);
      return;
    }
  }

  // Only a group frame goes to the siblings as well: a unicast one for another MAC goes out.
  const receivers = isGroupMac(frame.dstMac) ? siblings : [];
  const copies: Copy[] = receivers.map((other) => ({
    note: `to ${other.link.name}`,
    run: (copy) => deliverToMacvlan(sim, other, frame, copy, "bridge mode: copied to"),
  }));
  copies.push({
    note: `out ${lower.name}`,
    run: (copy) => {
      sim.hop(copy, ns, "xmit", `leaves through its lower link ${lowerLabel}`, macvlan.name);
      sendFrame(sim, lowerNs, lower, frame, copy);
    },
  });
  const traces = copies.map((copy, index) => copyTrace(sim, trace, index, frame, copy.note));
  copies.forEach((copy, index) => copy.run(traces[index]!));
}

/**
 * `macvlan_handle_frame`, the receive handler of a link with macvlans. A frame for the MAC of a
 * macvlan that is up goes to that macvlan alone, and any other unicast frame stays with the lower
 * link. A group frame stays with the lower link and is also copied to macvlans. From outside it
 * goes to all of them. From a vepa macvlan (sent back by the switch) it goes to the other vepa
 * and bridge ones, and from a bridge one to the vepa ones only. From a private one it goes back
 * to that macvlan alone.
 */
function macvlanReceive(sim: Sim, ns: Netns, lower: Link, frame: Frame, trace: PacketTrace): void {
  const open = openMacvlans(sim, lower);
  if (!isGroupMac(frame.dstMac)) {
    const dest = open.find((macvlan) => macvlan.link.mac === frame.dstMac);
    if (dest === undefined) l3Receive(sim, ns, lower, frame, trace);
    else deliverToMacvlan(sim, dest, frame, trace, `for ${frame.dstMac}: handed to`);
    return;
  }
  const src = open.find((macvlan) => macvlan.link.mac === frame.srcMac);
  if (src !== undefined && src.link.macvlanMode === "private") {
    deliverToMacvlan(sim, src, frame, trace, "sent by a private macvlan: back to");
    return;
  }
  const modes =
    src === undefined
      ? ["bridge", "vepa", "private"]
      : src.link.macvlanMode === "vepa"
        ? ["vepa", "bridge"]
        : ["vepa"];
  const targets = open.filter(
    (macvlan) => macvlan !== src && modes.includes(macvlan.link.macvlanMode!),
  );
  const copies: Copy[] = [
    { note: `up to ${lower.name}`, run: (copy) => l3Receive(sim, ns, lower, frame, copy) },
    ...targets.map((macvlan) => ({
      note: `to ${macvlan.link.name}`,
      run: (copy: PacketTrace) => deliverToMacvlan(sim, macvlan, frame, copy, "copied to"),
    })),
  ];
  const traces = copies.map((copy, index) => copyTrace(sim, trace, index, frame, copy.note));
  copies.forEach((copy, index) => copy.run(traces[index]!));
}

/**
 * Explains an unanswered ARP request for `target` on `link` when the address sits across a
 * macvlan boundary that frames never cross: on the lower link of the macvlan `link`, or on a
 * macvlan of `link`. Returns "" otherwise.
 */
export function macvlanArpHint(sim: Sim, link: Link, target: number): string {
  const hasAddress = (ns: Netns, holder: Link): boolean =>
    ns.addrs.some((addr) => addr.ifindex === holder.ifindex && addr.local === target);
  const address = formatIp4(target);
  if (link.kind === "macvlan" && link.lower !== undefined) {
    const lowerNs = sim.state.namespaces[link.lower.ns]!;
    const lower = resolveRef(sim.state, link.lower)!;
    if (hasAddress(lowerNs, lower)) {
      return `; ${address} is on ${nsLabel(lowerNs)}/${lower.name}, the lower link of ${link.name}, and a macvlan never hands frames up to its lower link's own stack`;
    }
  }
  const owner = macvlansOf(sim.state, link).find((macvlan) => hasAddress(macvlan.ns, macvlan.link));
  if (owner === undefined) return "";
  return `; ${address} is on ${nsLabel(owner.ns)}/${owner.link.name}, a macvlan of ${link.name}, and frames ${link.name} sends never reach its macvlans; a bridge-mode macvlan on ${link.name} with an address here would reach the bridge-mode ones`;
}

/** Hands a frame to a macvlan, which receives it in its own namespace. */
function deliverToMacvlan(
  sim: Sim,
  macvlan: { ns: Netns; link: Link },
  frame: Frame,
  trace: PacketTrace,
  action: string,
): void {
  const lower = resolveRef(sim.state, macvlan.link.lower!)!;
  const lowerNs = sim.state.namespaces[macvlan.link.lower!.ns]!;
  sim.hop(
    trace,
    lowerNs,
    "macvlan",
    `${action} the macvlan ${nsLabel(macvlan.ns)}/${macvlan.link.name}`,
    lower.name,
  );
  receiveFrame(sim, macvlan.ns, macvlan.link, frame, trace);
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
 * group frame also goes up to the bridge's own stack. A frame that comes back to a bridge that
 * is still forwarding it went around a loop of links. Without STP, which the model does not
 * have, the kernel would forward it around and around (a broadcast storm), so the command fails
 * as not supported.
 */
function bridgeForward(
  sim: Sim,
  ns: Netns,
  bridge: Link,
  ingress: Link | undefined,
  frame: Frame,
  trace: PacketTrace,
): void {
  const body = frame.body.kind === "arp" ? frame.body.arp : frame.body.packet;
  const isLoop = sim.bridgedFrames.some((entry) => entry.bridge === bridge && entry.body === body);
  if (isLoop && ingress !== undefined) {
    throw new Unsupported(
      `a bridge loop: ${nsLabel(ns)}/${bridge.name} receives on ${ingress.name} a frame it is forwarding, which the kernel would send around the loop again and again (a broadcast storm)`,
    );
  }
  sim.bridgedFrames.push({ bridge, body });
  try {
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
    if (ingress !== undefined && !isGroup) sim.tap(ns, bridge, frame, trace);
    const isFlood = isGroup || entry === undefined;
    const candidates = isFlood ? portsOf(ns, bridge) : [ns.links[entry.port]!];
    const targets = candidates
      .filter((port) => isEgressAllowed(port, ingress) && isPortForwarding(sim.state, ns, port))
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
          if (out === undefined) return;
          // `br_dev_queue_push_xmit` drops a frame longer than the port takes
          // (`is_skb_forwardable`).
          const bytes = out.ipBytes ?? 0;
          if (bytes > port.mtu + VLAN_HLEN) {
            const message = `the ${bytes}-byte packet is longer than port ${port.name} of ${bridge.name} takes (MTU ${port.mtu}), so the bridge drops it`;
            sim.drop(copy, ns, "NOT_SPECIFIED", message, port.name);
            return;
          }
          sendFrame(sim, ns, port, out, copy);
        },
      });
    }

    if (copies.length === 0) {
      // A DNATed frame for a neighbour behind its own port ends here unless that port is in
      // hairpin mode (see isEgressAllowed).
      const isBackToIngress = !isFlood && ingress !== undefined && entry.port === ingress.ifindex;
      const message = isBackToIngress
        ? `${bridge.name} learned ${frame.dstMac} on ${ingress.name}, the port the frame came in on, and does not send a frame back out of its ingress port (hairpin mode is off)`
        : `${bridge.name} has no forwarding port for ${frame.dstMac}`;
      sim.drop(trace, ns, "BRIDGE_NO_EGRESS_PORT", message, bridge.name);
      return;
    }
    const traces = copies.map((copy, index) => copyTrace(sim, trace, index, frame, copy.note));
    copies.forEach((copy, index) => copy.run(traces[index]!));
  } finally {
    sim.bridgedFrames.pop();
  }
}

/**
 * Reports whether a bridged frame may leave by `port` (`should_deliver` in
 * net/bridge/br_forward.c): any port but the ingress one, which only hairpin mode allows. A
 * flooded frame is sent back out of a hairpin port too, so its sender receives its own
 * broadcasts.
 */
function isEgressAllowed(port: Link, ingress: Link | undefined): boolean {
  return port !== ingress || port.isHairpin === true;
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
  if (link.kind === "bridge") sim.tap(ns, link, frame, trace);
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
