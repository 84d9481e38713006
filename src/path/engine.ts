/**
 * The packet walk: output, neighbour resolution, transmission, the veth crossing, bridge
 * forwarding, reception, then forwarding or local delivery, and the ICMP answers all of that
 * provokes. Each step either hands the packet to the next one or ends its trace with a verdict.
 *
 * Sources, in the order a packet meets them: net/ipv4/ip_output.c (`ip_finish_output2`),
 * net/core/neighbour.c (`__neigh_event_send`, `neigh_timer_handler`: `mcast_solicit` probes
 * `retrans_time_ms` apart, then FAILED and an ICMP host unreachable for each queued packet),
 * drivers/net/veth.c (`veth_xmit`), net/bridge/br_input.c and br_forward.c (learning, local
 * delivery, flooding), net/ipv4/arp.c (`arp_process`), net/ipv4/route.c
 * (`ip_route_input_slow`, `ip_error`), net/ipv4/ip_forward.c and net/ipv4/icmp.c
 * (`icmp_echo`, `icmp_reply`, `icmp_send`).
 */
import { formatIp4 } from "../addr/ip4.js";
import { fibLookup } from "../fib/lookup.js";
import { SCOPE_LINK } from "../fib/route.js";
import { hasCarrier, isPortForwarding } from "../link/carrier.js";
import type { Link, NeighEntry, Netns } from "../netns/state.js";
import { count, resolveRef } from "../netns/state.js";
import type { Arp, Frame, Packet } from "../wire/ipv4.js";
import {
  BROADCAST_MAC,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_TIME_EXCEEDED,
  describeArp,
  describePacket,
} from "../wire/ipv4.js";
import type { OutputRoute } from "./output-route.js";
import { loopbackOf, outputRoute } from "./output-route.js";
import type { Sim } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** Returns the namespace with id `id` from the simulation's state. */
function nsById(sim: Sim, id: number): Netns {
  return sim.state.namespaces[id]!;
}

/** Sends a locally generated packet along an already resolved output route. */
export function sendLocal(sim: Sim, ns: Netns, packet: Packet, rt: OutputRoute, trace: PacketTrace): void {
  const via = rt.route === undefined ? "assumed on-link (output link given)" : routeText(rt);
  sim.hop(trace, ns, "route", `output route to ${formatIp4(packet.dst)}: ${via}`, rt.dev.name);
  if (rt.isLocal) {
    loopbackDeliver(sim, ns, packet, trace);
    return;
  }
  neighOutput(sim, ns, rt.dev, rt.nexthop, rt.isBroadcast, packet, trace);
}

function routeText(rt: OutputRoute): string {
  const route = rt.route!;
  const prefix = route.bits === 0 ? "default" : `${formatIp4(route.dst)}/${route.bits}`;
  const via = rt.nexthop !== rt.dst ? ` via ${formatIp4(rt.nexthop)}` : "";
  return `${route.type} ${prefix}${via} dev ${rt.dev.name} src ${formatIp4(rt.src)}`;
}

/** Every packet to a local address leaves through lo, whose no-op qdisc drops it while lo is down. */
function loopbackDeliver(sim: Sim, ns: Netns, packet: Packet, trace: PacketTrace): void {
  const lo = loopbackOf(ns);
  if (!lo.isAdminUp) {
    sim.drop(
      trace,
      ns,
      "QDISC_DROP",
      `${formatIp4(packet.dst)} is a local address of ${nsName(ns)}, and local traffic goes through lo, which is down; "ip link set lo up" fixes it`,
      "lo",
    );
    return;
  }
  sim.hop(trace, ns, "xmit", "looped back through lo", "lo");
  localDeliver(sim, ns, lo, packet, trace);
}

function nsName(ns: Netns): string {
  return ns.name === undefined ? "the host" : ns.name;
}

function neighKey(ns: Netns, link: Link, addr: number): string {
  return `${ns.id}/${link.ifindex}/${addr}`;
}

/** Returns the neighbour entry of `addr` on `link`, turning an expired INCOMPLETE into FAILED. */
export function findNeigh(sim: Sim, ns: Netns, link: Link, addr: number): NeighEntry | undefined {
  const entry = ns.neigh.find((n) => n.ifindex === link.ifindex && n.addr === addr);
  if (entry?.state === "INCOMPLETE" && entry.failsAt !== undefined && sim.now >= entry.failsAt) {
    entry.state = "FAILED";
    delete entry.failsAt;
  }
  return entry;
}

/** Resolves the nexthop's MAC, then transmits; queues the packet while ARP is pending. */
function neighOutput(
  sim: Sim,
  ns: Netns,
  link: Link,
  nexthop: number,
  isBroadcast: boolean,
  packet: Packet,
  trace: PacketTrace,
): void {
  if (isBroadcast) {
    sendFrame(sim, ns, link, { srcMac: link.mac, dstMac: BROADCAST_MAC, body: { kind: "ip", packet } }, trace);
    return;
  }
  let entry = findNeigh(sim, ns, link, nexthop);
  if (entry?.mac !== undefined && entry.state !== "FAILED" && entry.state !== "INCOMPLETE") {
    sim.hop(trace, ns, "neigh", `${formatIp4(nexthop)} is ${entry.state} at ${entry.mac}`, link.name);
    sendFrame(sim, ns, link, { srcMac: link.mac, dstMac: entry.mac, body: { kind: "ip", packet } }, trace);
    return;
  }
  const key = neighKey(ns, link, nexthop);
  if (entry?.state === "INCOMPLETE") {
    sim.hop(trace, ns, "neigh", `${formatIp4(nexthop)} is INCOMPLETE: queued until ARP answers`, link.name);
    sim.neighQueues.get(key)?.push({ packet, trace });
    return;
  }
  const retrans = ns.sysctl["net.ipv4.neigh.default.retrans_time_ms"] ?? 1000;
  const probes = ns.sysctl["net.ipv4.neigh.default.mcast_solicit"] ?? 3;
  const failsAt = sim.now + retrans * probes;
  if (entry === undefined) {
    entry = { ifindex: link.ifindex, addr: nexthop, state: "INCOMPLETE", failsAt };
    ns.neigh.push(entry);
  } else {
    entry.state = "INCOMPLETE";
    entry.failsAt = failsAt;
    delete entry.mac;
  }
  sim.neighQueues.set(key, [{ packet, trace }]);
  sim.hop(trace, ns, "neigh", `${formatIp4(nexthop)} unknown: ARP request sent, packet queued`, link.name);
  sendArpRequest(sim, ns, link, nexthop, packet.src);
  const resolved = findNeigh(sim, ns, link, nexthop);
  if (resolved?.state === "REACHABLE") {
    flushNeighQueue(sim, ns, link, resolved);
    return;
  }
  sim.schedule(failsAt, () => failNeigh(sim, ns.id, link.ifindex, nexthop), true);
}

function sendArpRequest(sim: Sim, ns: Netns, link: Link, target: number, hint: number): void {
  const sender = arpSource(ns, link, hint);
  const arp: Arp = { op: "request", senderMac: link.mac, senderIp: sender, targetMac: "00:00:00:00:00:00", targetIp: target };
  const trace = sim.startTrace(describeArp(arp));
  sim.hop(trace, ns, "arp", `broadcast request for ${formatIp4(target)}`, link.name);
  sendFrame(sim, ns, link, { srcMac: link.mac, dstMac: BROADCAST_MAC, body: { kind: "arp", arp } }, trace);
  if (trace.verdict === undefined) {
    sim.drop(trace, ns, "NEIGH_FAILED", `nobody answered ARP for ${formatIp4(target)} on ${link.name}`, link.name);
  }
}

/** The sender address of an ARP request: the packet's source if it is on the link, else the link's primary. */
function arpSource(ns: Netns, link: Link, hint: number): number {
  const onLink = ns.addrs.some((addr) => addr.ifindex === link.ifindex && addr.local === hint);
  if (onLink) return hint;
  return ns.addrs.find((addr) => addr.ifindex === link.ifindex && !addr.isSecondary)?.local ?? hint;
}

function flushNeighQueue(sim: Sim, ns: Netns, link: Link, entry: NeighEntry): void {
  const key = neighKey(ns, link, entry.addr);
  const queued = sim.neighQueues.get(key) ?? [];
  sim.neighQueues.delete(key);
  for (const { packet, trace } of queued) {
    sim.hop(trace, ns, "neigh", `${formatIp4(entry.addr)} resolved to ${entry.mac}`, link.name);
    sendFrame(sim, ns, link, { srcMac: link.mac, dstMac: entry.mac!, body: { kind: "ip", packet } }, trace);
  }
}

/** ARP ran out of probes: the entry fails and every queued packet gets a host unreachable. */
function failNeigh(sim: Sim, nsId: number, ifindex: number, addr: number): void {
  const ns = nsById(sim, nsId);
  const link = ns.links[ifindex];
  if (link === undefined) return;
  const entry = findNeigh(sim, ns, link, addr);
  if (entry === undefined || entry.state !== "FAILED") return;
  const key = neighKey(ns, link, addr);
  const queued = sim.neighQueues.get(key) ?? [];
  sim.neighQueues.delete(key);
  for (const { packet, trace } of queued) {
    sim.drop(
      trace,
      ns,
      "NEIGH_FAILED",
      `nobody on ${link.name} answered ARP for ${formatIp4(addr)} after ${ns.sysctl["net.ipv4.neigh.default.mcast_solicit"] ?? 3} probes, so ${nsName(ns)} reports the host unreachable`,
      link.name,
    );
    sendIcmpError(sim, ns, packet, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, undefined);
  }
}

/** Puts a frame on `link`: across a veth, into a bridge, or nowhere without carrier. */
function sendFrame(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  if (!hasCarrier(sim.state, ns, link)) {
    const why = link.isAdminUp ? "has no carrier (its peer or all its ports are down)" : "is down";
    sim.drop(trace, ns, "NO_CARRIER", `${link.name} ${why}, so the frame goes nowhere`, link.name);
    return;
  }
  if (link.kind === "bridge") {
    sim.hop(trace, ns, "xmit", `sent by the bridge to ${frame.dstMac}`, link.name);
    bridgeForward(sim, ns, link, undefined, frame, trace);
    return;
  }
  if (link.peer === undefined) {
    sim.drop(trace, ns, "QDISC_DROP", `${link.name} is not connected to anything`, link.name);
    return;
  }
  const peerNs = nsById(sim, link.peer.ns);
  const peer = resolveRef(sim.state, link.peer)!;
  sim.hop(trace, ns, "xmit", `crosses the ${link.kind === "veth" ? "veth" : "wire"} to ${nsLabelOf(peerNs)}/${peer.name}`, link.name);
  receiveFrame(sim, peerNs, peer, frame, trace);
}

function nsLabelOf(ns: Netns): string {
  return ns.name ?? "host";
}

/** A frame arrives on `link`: a bridge port hands it to its bridge, other links to IP or ARP. */
function receiveFrame(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  if (link.master !== undefined) {
    const bridge = ns.links[link.master]!;
    if (!isPortForwarding(sim.state, ns, link)) {
      sim.drop(trace, ns, "BRIDGE_PORT_DISABLED", `${link.name} is a port of ${bridge.name}, which is down, so the port is disabled`, link.name);
      return;
    }
    learn(bridge, frame.srcMac, link.ifindex);
    bridgeForward(sim, ns, bridge, link, frame, trace);
    return;
  }
  l3Receive(sim, ns, link, frame, trace);
}

function learn(bridge: Link, mac: string, port: number): void {
  const fdb = bridge.fdb!;
  const entry = fdb.find((e) => e.mac === mac);
  // The kernel adds new entries at the head of the FDB hash chain, so dumps list them first.
  if (entry === undefined) fdb.unshift({ mac, port, isLocal: false });
  else if (!entry.isLocal) entry.port = port;
}

/** Bridge forwarding: to the bridge itself, to the learned port, or flooded to every port. */
function bridgeForward(sim: Sim, ns: Netns, bridge: Link, ingress: Link | undefined, frame: Frame, trace: PacketTrace): void {
  const entry = bridge.fdb!.find((e) => e.mac === frame.dstMac);
  const isFlood = frame.dstMac === BROADCAST_MAC || entry === undefined;
  if (ingress !== undefined && (entry?.isLocal === true || frame.dstMac === bridge.mac)) {
    sim.hop(trace, ns, "bridge", `addressed to ${bridge.name} itself: passed up to the host stack`, bridge.name);
    l3Receive(sim, ns, bridge, frame, trace);
    return;
  }
  const targets = isFlood
    ? Object.values(ns.links).filter((port) => port.master === bridge.ifindex && port !== ingress)
    : [ns.links[entry!.port]!].filter((port) => port !== ingress);
  const how = isFlood ? "flooded" : "forwarded by FDB";
  if (ingress !== undefined && frame.dstMac === BROADCAST_MAC) {
    sim.hop(trace, ns, "bridge", `broadcast: ${how} and passed up to ${bridge.name}`, bridge.name);
    receiveBroadcastCopy(sim, ns, bridge, frame, trace);
  }
  const live = targets.filter((port) => isPortForwarding(sim.state, ns, port)).sort((a, b) => a.ifindex - b.ifindex);
  if (live.length === 0 && trace.verdict === undefined && ingress !== undefined && frame.dstMac !== BROADCAST_MAC) {
    sim.drop(trace, ns, "BRIDGE_PORT_DISABLED", `${bridge.name} has no forwarding port for ${frame.dstMac}`, bridge.name);
    return;
  }
  for (const port of live) {
    sim.hop(trace, ns, "bridge", `${how} out port ${port.name}`, bridge.name);
    sendFrame(sim, ns, port, frame, trace);
  }
}

/** The host side of a bridge sees broadcasts arriving on its ports. */
function receiveBroadcastCopy(sim: Sim, ns: Netns, bridge: Link, frame: Frame, trace: PacketTrace): void {
  if (frame.body.kind === "arp") arpReceive(sim, ns, bridge, frame.body.arp, trace);
}

/** Layer 3 reception on `link`: ARP, or IPv4 addressed to this link's MAC or broadcast. */
function l3Receive(sim: Sim, ns: Netns, link: Link, frame: Frame, trace: PacketTrace): void {
  if (frame.dstMac !== BROADCAST_MAC && frame.dstMac !== link.mac) {
    sim.drop(trace, ns, "OTHERHOST", `frame for ${frame.dstMac} is not addressed to ${link.name}`, link.name);
    return;
  }
  if (frame.body.kind === "arp") {
    arpReceive(sim, ns, link, frame.body.arp, trace);
    return;
  }
  ipReceive(sim, ns, link, frame.body.packet, trace, frame.dstMac === BROADCAST_MAC);
}

/** ARP: answer requests for local addresses, learn from senders, complete pending entries. */
function arpReceive(sim: Sim, ns: Netns, link: Link, arp: Arp, trace: PacketTrace): void {
  if (arp.op === "reply") {
    const entry = findNeigh(sim, ns, link, arp.senderIp);
    if (entry === undefined || entry.state === "FAILED") {
      sim.drop(trace, ns, "NEIGH_FAILED", "unsolicited ARP reply ignored", link.name);
      return;
    }
    entry.state = "REACHABLE";
    entry.mac = arp.senderMac;
    delete entry.failsAt;
    sim.deliver(trace, ns, `${formatIp4(arp.senderIp)} is at ${arp.senderMac}`, link.name);
    return;
  }
  const isLocal = isLocalAddress(sim, ns, arp.targetIp);
  if (!isLocal || !arpIgnoreAllows(ns, link, arp.targetIp)) {
    sim.hop(trace, ns, "arp", `${formatIp4(arp.targetIp)} is not ours: no answer`, link.name);
    return;
  }
  if (arp.senderIp !== 0) {
    const existing = ns.neigh.find((n) => n.ifindex === link.ifindex && n.addr === arp.senderIp);
    if (existing === undefined) {
      ns.neigh.push({ ifindex: link.ifindex, addr: arp.senderIp, state: "STALE", mac: arp.senderMac });
    } else if (existing.state !== "PERMANENT") {
      existing.mac = arp.senderMac;
      if (existing.state === "FAILED" || existing.state === "INCOMPLETE") existing.state = "STALE";
    }
  }
  const reply: Arp = { op: "reply", senderMac: link.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp };
  sim.hop(trace, ns, "arp", `${formatIp4(arp.targetIp)} is ours: replying`, link.name);
  const replyTrace = sim.startTrace(describeArp(reply));
  sendFrame(sim, ns, link, { srcMac: link.mac, dstMac: arp.senderMac, body: { kind: "arp", arp: reply } }, replyTrace);
  trace.verdict ??= { kind: "delivered", ns: nsLabelOf(ns), link: link.name, message: `answered by ${nsLabelOf(ns)}` };
}

/** `arp_ignore`: 0 answers for any local address, 1 only for addresses on the receiving link. */
function arpIgnoreAllows(ns: Netns, link: Link, target: number): boolean {
  const mode = Math.max(ns.confAll.arp_ignore, link.conf.arp_ignore);
  if (mode === 0) return true;
  return ns.addrs.some((addr) => addr.ifindex === link.ifindex && addr.local === target);
}

function isLocalAddress(sim: Sim, ns: Netns, addr: number): boolean {
  const result = fibLookup(sim.state, ns, { dst: addr });
  return result.ok && result.route.type === "local";
}

/** IPv4 input: local delivery, forwarding, or the reason neither happens. */
function ipReceive(sim: Sim, ns: Netns, link: Link, packet: Packet, trace: PacketTrace, isL2Broadcast: boolean): void {
  sim.hop(trace, ns, "rcv", `received ${describePacket(packet)}`, link.name);
  const forwarding = link.conf.forwarding > 0;
  if (ns.addrs.some((addr) => addr.local === packet.src) && ns.confAll.accept_local === 0 && link.conf.accept_local === 0) {
    sim.drop(trace, ns, "IP_INVALID_SOURCE", `source ${formatIp4(packet.src)} is one of ${nsName(ns)}'s own addresses (martian source)`, link.name);
    return;
  }
  const result = fibLookup(sim.state, ns, { dst: packet.dst, tos: packet.tos });
  if (!result.ok) {
    routeInputError(sim, ns, link, packet, trace, forwarding ? result.errno : "EHOSTUNREACH");
    return;
  }
  const route = result.route;
  if (route.type === "local" || route.type === "broadcast") {
    if (!validateSource(sim, ns, link, packet, trace)) return;
    sim.hop(trace, ns, "route", `${formatIp4(packet.dst)} is ${route.type === "local" ? "a local address" : "a broadcast address"}: local delivery`, link.name);
    localDeliver(sim, ns, link, packet, trace, route.type === "broadcast" || isL2Broadcast);
    return;
  }
  if (!forwarding) {
    routeInputError(sim, ns, link, packet, trace, "EHOSTUNREACH");
    return;
  }
  if (!validateSource(sim, ns, link, packet, trace)) return;
  forward(sim, ns, link, packet, trace);
}

/**
 * `ip_error`: with forwarding off on the ingress link the packet is only counted; with it on, the
 * sender gets a net or host unreachable.
 */
function routeInputError(sim: Sim, ns: Netns, link: Link, packet: Packet, trace: PacketTrace, errno: string): void {
  const dst = formatIp4(packet.dst);
  if (link.conf.forwarding === 0) {
    if (errno === "EHOSTUNREACH") {
      count(ns, "IpInAddrErrors");
      sim.drop(
        trace,
        ns,
        "IP_INADDRERRORS",
        `${nsName(ns)} received a packet for ${dst}, which is not its own address, and does not forward: ${forwardingHint(ns, link)}`,
        link.name,
      );
    } else {
      count(ns, "IpInNoRoutes");
      sim.drop(trace, ns, "IP_INNOROUTES", `${nsName(ns)} has no route to ${dst}`, link.name);
    }
    return;
  }
  if (errno === "ENETUNREACH") {
    count(ns, "IpInNoRoutes");
    sim.drop(trace, ns, "IP_INNOROUTES", `${nsName(ns)} forwards, but has no route to ${dst}; it answers with ICMP net unreachable`, link.name);
    sendIcmpError(sim, ns, packet, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, link);
    return;
  }
  if (errno === "EHOSTUNREACH" || errno === "EACCES") {
    const code = errno === "EACCES" ? ICMP_PKT_FILTERED : ICMP_HOST_UNREACH;
    sim.drop(trace, ns, "IP_INNOROUTES", `${nsName(ns)} routes ${dst} to an ${errno === "EACCES" ? "prohibit" : "unreachable"} route`, link.name);
    sendIcmpError(sim, ns, packet, ICMP_DEST_UNREACH, code, link);
    return;
  }
  sim.drop(trace, ns, "IP_BLACKHOLE", `${nsName(ns)} routes ${dst} to a blackhole route`, link.name);
}

/** Names the switch that keeps `ns` from forwarding what arrives on `link`, and how to flip it. */
function forwardingHint(ns: Netns, link: Link): string {
  if ((ns.sysctl["net.ipv4.ip_forward"] ?? 0) === 0) {
    return `net.ipv4.ip_forward=0 ("sysctl -w net.ipv4.ip_forward=1" turns routing on)`;
  }
  return `net.ipv4.conf.${link.name}.forwarding=0 on the link it arrived on`;
}

/** Reverse-path filtering (`fib_validate_source`): rp_filter is the larger of `all` and the link's. */
function validateSource(sim: Sim, ns: Netns, link: Link, packet: Packet, trace: PacketTrace): boolean {
  const mode = Math.max(ns.confAll.rp_filter, link.conf.rp_filter);
  if (mode === 0) return true;
  const back = fibLookup(sim.state, ns, { dst: packet.src });
  const isValid = back.ok && back.route.type === "unicast" && (mode === 2 || back.route.dev === link.ifindex);
  if (isValid) return true;
  count(ns, "TcpExtIPReversePathFilter");
  const how = mode === 1 ? "strict" : "loose";
  sim.drop(
    trace,
    ns,
    "IP_RPFILTER",
    `reverse-path filter (${how}) on ${link.name}: the route back to ${formatIp4(packet.src)} ${back.ok ? `leaves by another link` : "does not exist"}`,
    link.name,
  );
  return false;
}

/** `ip_forward`: TTL, then out through the route's link. */
function forward(sim: Sim, ns: Netns, link: Link, packet: Packet, trace: PacketTrace): void {
  if (packet.ttl <= 1) {
    sim.drop(trace, ns, "IP_INHDR", `TTL expired in ${nsName(ns)}; it answers with ICMP time exceeded`, link.name);
    sendIcmpError(sim, ns, packet, ICMP_TIME_EXCEEDED, 0, link);
    return;
  }
  const rt = outputRoute(sim.state, ns, { dst: packet.dst, tos: packet.tos });
  if (!rt.ok) return;
  count(ns, "IpForwDatagrams");
  const forwarded = { ...packet, ttl: packet.ttl - 1 };
  sim.hop(trace, ns, "forward", `forwarded, ttl ${forwarded.ttl}`, link.name);
  sim.hop(trace, ns, "route", `route to ${formatIp4(packet.dst)}: ${routeText(rt.route)}`, rt.route.dev.name);
  neighOutput(sim, ns, rt.route.dev, rt.route.nexthop, rt.route.isBroadcast, forwarded, trace);
}

/** Local delivery of ICMP: echo requests are answered, replies and errors go to ping sockets. */
function localDeliver(sim: Sim, ns: Netns, link: Link, packet: Packet, trace: PacketTrace, isBroadcast = false): void {
  const { icmp } = packet;
  if (icmp.type === ICMP_ECHO) {
    if (isBroadcast && (ns.sysctl["net.ipv4.icmp_echo_ignore_broadcasts"] ?? 1) > 0) {
      sim.drop(trace, ns, "ICMP_ECHO_IGNORED", `${nsName(ns)} ignores broadcast pings (net.ipv4.icmp_echo_ignore_broadcasts=1)`, link.name);
      return;
    }
    count(ns, "IcmpInEchos");
    sim.deliver(trace, ns, `echo request delivered to ${nsName(ns)}, which replies`, link.name);
    echoReply(sim, ns, packet, isBroadcast);
    return;
  }
  const id = icmp.type === ICMP_ECHO_REPLY ? icmp.id : icmp.quoted?.icmp.id;
  const inbox = id === undefined ? undefined : sim.inboxes.get(`${ns.id}/${id}`);
  if (inbox === undefined) {
    sim.drop(trace, ns, "SOCKET_CLOSED", "no ping socket is waiting for this message", link.name);
    return;
  }
  inbox.push({ time: sim.now, packet });
  sim.deliver(trace, ns, `delivered to ping in ${nsName(ns)}`, link.name);
}

/** `icmp_reply`: the answer leaves from the address that was pinged and needs its own route. */
function echoReply(sim: Sim, ns: Netns, request: Packet, isBroadcast: boolean): void {
  const reply: Packet = {
    src: request.dst,
    dst: request.src,
    ttl: 64,
    tos: request.tos,
    payload: request.payload,
    icmp: { type: ICMP_ECHO_REPLY, code: 0, id: request.icmp.id, seq: request.icmp.seq },
  };
  const trace = sim.startTrace(describePacket(reply));
  const isOwn = !isBroadcast && isLocalAddress(sim, ns, request.dst);
  const rt = outputRoute(sim.state, ns, { dst: reply.dst, ...(isOwn ? { src: reply.src } : {}) });
  if (!rt.ok) {
    sim.drop(
      trace,
      ns,
      "IP_OUTNOROUTES",
      `${nsName(ns)} has no route back to ${formatIp4(reply.dst)}, so its echo reply is dropped`,
    );
    count(ns, "IpOutNoRoutes");
    return;
  }
  if (!isOwn) reply.src = rt.route.src;
  count(ns, "IcmpOutEchoReps");
  sendLocal(sim, ns, reply, rt.route, trace);
}

/**
 * `icmp_send`: an error about `offending` goes back to its source. A router picks its source
 * address by the route back; an error about a local packet goes to the local sender over lo.
 */
function sendIcmpError(sim: Sim, ns: Netns, offending: Packet, type: number, code: number, ingress: Link | undefined): void {
  if (offending.icmp.type !== ICMP_ECHO) return;
  const rt = outputRoute(sim.state, ns, { dst: offending.src });
  if (!rt.ok) return;
  const error: Packet = {
    src: rt.route.src,
    dst: offending.src,
    ttl: 64,
    tos: 0xc0,
    payload: 28,
    icmp: { type, code, id: 0, seq: 0, quoted: offending },
  };
  count(ns, type === ICMP_DEST_UNREACH ? "IcmpOutDestUnreachs" : "IcmpOutTimeExcds");
  const trace = sim.startTrace(describePacket(error));
  if (ingress !== undefined) sim.hop(trace, ns, "icmp", `error about a packet that arrived on ${ingress.name}`, ingress.name);
  sendLocal(sim, ns, error, rt.route, trace);
}

/** Scope used when a router looks up the way back; exported for tools that print it. */
export const REPLY_SCOPE = SCOPE_LINK;
