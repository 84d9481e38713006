/**
 * ICMP in the engine: local delivery of ICMP messages, echo replies, the errors a namespace
 * sends about packets it cannot deliver, and the SNMP counters all of that moves.
 *
 * Sources: net/ipv4/icmp.c (`icmp_rcv`: every message counts `InMsgs` and its type, and an echo
 * to a broadcast or multicast address is dropped as an input error while
 * `icmp_echo_ignore_broadcasts` is set; `icmp_echo` and `icmp_reply`: the reply leaves from
 * the pinged address, or for a broadcast from the preferred source of the route back, and is
 * silently not sent when there is no route back; `__icmp_send`: no error about an ICMP error,
 * a broadcast or a multicast, the source comes from the route back, and `icmp_out_count`
 * counts only what is sent, and `icmpv4_xrlim_allow` holds back what the per-peer rate limit
 * refuses, counting `IcmpOutRateLimitHost`), net/ipv4/udp.c (`__udp4_lib_err`: an error about a
 * datagram whose socket is gone counts `IcmpInErrors`), net/ipv4/proc.c for the counter names.
 *
 * NOTE: the namespace-wide limit (`icmp_msgs_per_sec`, 1000 per second with a burst of 50, each
 * error taking a random 0 to 2 credits) is not modelled; it only bites past dozens of errors in
 * one instant.
 */
import { formatIp4, isMulticast } from "../addr/ip4.js";
import type { Link, Netns } from "../netns/state.js";
import { count, isOwnAddress } from "../netns/state.js";
import type { IcmpPacket, Packet } from "../wire/ipv4.js";
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_PORT_UNREACH,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  describePacket,
  icmpCounterName,
  ipLength,
  isIcmpError,
} from "../wire/ipv4.js";
import { sendLocal } from "./engine.js";
import { findNeigh, hasUsableMac, neighEventSend } from "./neigh.js";
import { tcpError } from "./tcp.js";
import { findTcpSocket } from "./tcp-socket.js";
import { BURST_FACTOR, isMasked, ratelimitMs, takeIcmpToken } from "./icmp-ratelimit.js";
import { addrType } from "./netfilter-packet.js";
import { badSourceText, narrowAddressHint } from "./explain.js";
import { outputRoute } from "./output-route.js";
import { learnPmtu, pathMtu } from "./pmtu.js";
import type { Sim } from "./sim.js";
import { nsLabel, socketKey } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** The addressing of an arrived packet: to one host, to a broadcast, or to a group. */
export type Cast = "unicast" | "broadcast" | "multicast";

/** Counts one received ICMP message of `type`, as `icmp_rcv` does before it looks further. */
function countIn(ns: Netns, type: number): void {
  count(ns, "IcmpInMsgs");
  count(ns, `IcmpMsgInType${type}`);
  const name = icmpCounterName(type);
  if (name !== undefined) count(ns, `IcmpIn${name}`);
}

/** Counts one sent ICMP message of `type` (`icmp_out_count`). */
export function countIcmpOut(ns: Netns, type: number): void {
  count(ns, "IcmpOutMsgs");
  count(ns, `IcmpMsgOutType${type}`);
  const name = icmpCounterName(type);
  if (name !== undefined) count(ns, `IcmpOut${name}`);
}

/**
 * Local delivery of ICMP: echo requests are answered; echo replies go to the ping socket with
 * their echo id, and errors to the socket that sent the packet they quote (`ping_err`,
 * `__udp4_lib_err`).
 */
export function icmpDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: IcmpPacket,
  trace: PacketTrace,
  cast: Cast,
): void {
  const { icmp } = packet;
  countIn(ns, icmp.type);
  if (icmp.type === ICMP_ECHO) {
    echoDeliver(sim, ns, link, packet, trace, cast);
    return;
  }
  if (icmp.type === ICMP_REDIRECT) {
    redirectDeliver(sim, ns, link, packet, trace);
    return;
  }
  if (icmp.type === ICMP_DEST_UNREACH && icmp.code === ICMP_FRAG_NEEDED) {
    learnFromFragNeeded(sim, ns, link, packet, trace);
  }
  if (icmp.quoted?.protocol === "tcp" && tcpError(sim, ns, link.name, packet, trace)) return;
  const key = ownerKey(ns, packet);
  const inbox = key === undefined ? undefined : sim.inboxes.get(key);
  if (inbox === undefined) {
    // A UDP error nobody waits for counts as an input error; ping_err drops it uncounted.
    if (icmp.quoted?.protocol === "udp") count(ns, "IcmpInErrors");
    sim.drop(trace, ns, "NO_SOCKET", "no socket is waiting for this message any more", link.name);
    return;
  }
  const boundIfindex = key === undefined ? undefined : sim.boundDevices.get(key);
  if (boundIfindex !== undefined && boundIfindex !== link.ifindex) {
    // NOTE: for a packet that a namespace sends itself, the kernel matches the output link its
    // route was looked up with (`inet_iif`, `rt_iif`), where this matches lo. The two differ
    // only for a packet sent to this namespace's own address with a fixed output link.
    const bound = ns.links[boundIfindex]?.name ?? `ifindex ${boundIfindex}`;
    const message = `${socketName(packet)} is bound to ${bound} and takes nothing that arrives on ${link.name}`;
    sim.drop(trace, ns, "NO_SOCKET", message, link.name);
    return;
  }
  inbox.push({ time: sim.now, packet });
  sim.deliver(trace, ns, `delivered to ${socketName(packet)} in ${nsLabel(ns)}`, link.name);
}

/**
 * Delivers a redirect. About an echo request, ping's raw socket reads the message itself
 * (`raw_local_deliver`), and `icmp_err` hands it to `__ip_do_redirect` whether a socket is left
 * or not. About TCP or UDP, `tcp_v4_err` and `__udp4_lib_err` first look the socket up: without
 * one the message counts as an input error, with one it goes to `__ip_do_redirect` and the
 * socket gets no error.
 */
function redirectDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: IcmpPacket,
  trace: PacketTrace,
): void {
  const quoted = packet.icmp.quoted;
  if (quoted === undefined) return;
  if (quoted.protocol === "icmp") {
    sim.inboxes.get(socketKey(ns.id, "icmp", quoted.icmp.id))?.push({ time: sim.now, packet });
  } else if (!hasSocketFor(ns, sim, quoted)) {
    count(ns, "IcmpInErrors");
    sim.drop(trace, ns, "NO_SOCKET", "no socket is waiting for this message any more", link.name);
    return;
  }
  sim.deliver(trace, ns, followRedirect(sim, ns, link, packet, quoted), link.name);
}

/** Reports whether the TCP connection or UDP socket that sent `quoted` still exists. */
function hasSocketFor(ns: Netns, sim: Sim, quoted: Packet): boolean {
  if (quoted.protocol === "tcp") {
    const { src, dst, tcp } = quoted;
    const ends = { local: src, localPort: tcp.srcPort, remote: dst, remotePort: tcp.dstPort };
    return findTcpSocket(ns, ends) !== undefined;
  }
  if (quoted.protocol === "udp")
    return sim.inboxes.has(socketKey(ns.id, "udp", quoted.udp.srcPort));
  return false;
}

/**
 * `__ip_do_redirect` (net/ipv4/route.c) for a redirect that arrived on `link`: it applies only
 * to a destination routed through the gateway that sent it, when the link accepts redirects
 * and the new gateway is another unicast address. A new gateway without a usable neighbour entry
 * is resolved (`neigh_event_send`), and the destination keeps its route. Only once the entry is
 * usable does a redirect install a nexthop exception, which the model does not have, so that
 * case marks the command as not supported. Returns what happened, for the trace.
 */
function followRedirect(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: IcmpPacket,
  quoted: Packet,
): string {
  const oldGateway = packet.src;
  const newGateway = packet.icmp.gateway ?? 0;
  const ignored = `redirect to ${formatIp4(newGateway)} for ${formatIp4(quoted.dst)} ignored`;
  const rt = outputRoute(sim.state, ns, { dst: quoted.dst, src: quoted.src });
  if (!rt.ok || rt.route.nexthop === quoted.dst || rt.route.nexthop !== oldGateway) {
    return `${ignored}: ${nsLabel(ns)} does not route it through ${formatIp4(oldGateway)}`;
  }
  // IN_DEV_RX_REDIRECTS: a forwarding link needs accept_redirects in conf.all and on the link, any
  // other link in either. conf.all.accept_redirects is the opposite of the last forwarding value
  // written to conf.all (`inet_forward_change`), and the model keeps the link's at its default, 1.
  const acceptsAll = ns.confAll.forwarding === 0;
  if (link.conf.forwarding > 0 && !acceptsAll) {
    return `${ignored}: ${link.name} forwards, and conf.all.accept_redirects is 0`;
  }
  if (newGateway === oldGateway || addrType(ns, newGateway) !== "UNICAST") {
    return `${ignored}: the new gateway is not another unicast address`;
  }
  const entry = findNeigh(ns, rt.route.dev, newGateway);
  if (entry === undefined || !hasUsableMac(entry)) {
    const seq = quoted.protocol === "icmp" ? quoted.icmp.seq : undefined;
    const what = neighEventSend(sim, ns, rt.route.dev, newGateway, seq);
    return `redirect to ${formatIp4(newGateway)} for ${formatIp4(quoted.dst)} noted: ${what}`;
  }
  const effect = `a nexthop exception that ${nsLabel(ns)} installs from an ICMP redirect (${formatIp4(quoted.dst)} via ${formatIp4(newGateway)})`;
  sim.state.unmodelledEffect ??= effect;
  return `not modelled: ${effect}`;
}

/**
 * `icmp_unreach` with ICMP_FRAG_NEEDED: the host learns the MTU the message names for the
 * destination of the packet it quotes, when this host sent that packet.
 */
function learnFromFragNeeded(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: IcmpPacket,
  trace: PacketTrace,
): void {
  const { quoted, mtu } = packet.icmp;
  // NOTE: the kernel learns through the quoted protocol's error handler. icmp_err always does,
  // while TCP and UDP do only when a socket still matches the quoted packet.
  if (quoted === undefined || mtu === undefined || !isOwnAddress(ns, quoted.src)) return;
  const route = outputRoute(sim.state, ns, { dst: quoted.dst, src: quoted.src });
  if (!route.ok) return;
  learnPmtu(ns, quoted.dst, mtu, route.route.dev.mtu, sim.now);
  const learned = pathMtu(ns, quoted.dst, route.route.dev.mtu, sim.now);
  sim.hop(trace, ns, "icmp", `path MTU to ${formatIp4(quoted.dst)} is now ${learned}`, link.name);
}

/** Returns the socket key an echo reply or an ICMP error belongs to, if it names one. */
function ownerKey(ns: Netns, packet: IcmpPacket): string | undefined {
  const { icmp } = packet;
  if (icmp.type === ICMP_ECHO_REPLY) return socketKey(ns.id, "icmp", icmp.id);
  const quoted = icmp.quoted;
  if (quoted === undefined) return undefined;
  if (quoted.protocol === "udp") return socketKey(ns.id, "udp", quoted.udp.srcPort);
  // A quoted TCP segment that no connection claimed may be a raw probe's (traceroute -T).
  if (quoted.protocol === "tcp") return socketKey(ns.id, "tcp", quoted.tcp.srcPort);
  return socketKey(ns.id, "icmp", quoted.icmp.id);
}

/** Names the socket a message goes to: a UDP socket, or ping's ICMP socket. */
function socketName(packet: IcmpPacket): string {
  const quoted = packet.icmp.quoted?.protocol;
  if (quoted === "udp") return "a UDP socket";
  return quoted === "tcp" ? "a raw TCP probe socket" : "ping";
}

function echoDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: IcmpPacket,
  trace: PacketTrace,
  cast: Cast,
): void {
  if (cast !== "unicast" && (ns.sysctl["net.ipv4.icmp_echo_ignore_broadcasts"] ?? 1) > 0) {
    count(ns, "IcmpInErrors");
    const message = `${nsLabel(ns)} ignores pings to ${cast} addresses (net.ipv4.icmp_echo_ignore_broadcasts=1)`;
    sim.drop(trace, ns, "INVALID_PROTO", message, link.name);
    return;
  }
  if ((ns.sysctl["net.ipv4.icmp_echo_ignore_all"] ?? 0) > 0) {
    // icmp_echo consumes the request without a drop reason, so the trace ends as delivered.
    sim.deliver(
      trace,
      ns,
      `${nsLabel(ns)} ignores every ping (net.ipv4.icmp_echo_ignore_all=1)`,
      link.name,
    );
    return;
  }
  sim.deliver(trace, ns, `echo request delivered to ${nsLabel(ns)}, which replies`, link.name);
  echoReply(sim, ns, packet, cast);
}

/** `icmp_reply`: the answer needs a route back from the right source address. */
function echoReply(sim: Sim, ns: Netns, request: IcmpPacket, cast: Cast): void {
  const reply: Packet = {
    protocol: "icmp",
    src: request.dst,
    dst: request.src,
    ttl: 64,
    tos: request.tos,
    payload: request.payload,
    icmp: { type: ICMP_ECHO_REPLY, code: 0, id: request.icmp.id, seq: request.icmp.seq },
  };
  const trace = sim.startTrace(describePacket(reply), request.icmp.seq);
  const back = outputRoute(sim.state, ns, { dst: reply.dst });
  // fib_compute_spec_dst: a reply to a broadcast or group comes from the route back's source.
  if (cast !== "unicast" && back.ok) reply.src = back.route.src;
  // The reply leaves from the address the request went to, which the lookup may reject.
  const rt = back.ok ? outputRoute(sim.state, ns, { dst: reply.dst, src: reply.src }) : back;
  if (!rt.ok && rt.badSource !== undefined) {
    const message = `${nsLabel(ns)} never sends its echo reply: ${badSourceText(ns, rt.badSource)}`;
    sim.drop(trace, ns, "NOT_SPECIFIED", message);
    return;
  }
  if (!rt.ok) {
    const hint = narrowAddressHint(sim.state, ns, reply.dst);
    const message = `${nsLabel(ns)} has no route back to ${formatIp4(reply.dst)}, so it never sends its echo reply${hint === undefined ? "" : `; ${hint}`}`;
    sim.drop(trace, ns, "IP_OUTNOROUTES", message);
    return;
  }
  // `icmpv4_xrlim_allow`: once icmp_ratemask has the echo reply's bit, replies to each host
  // draw on the same token bucket as errors to it.
  if (isMasked(ns, ICMP_ECHO_REPLY, 0) && !takeIcmpToken(ns, reply.dst, sim.now)) {
    const message = `${nsLabel(ns)} does not send its echo reply to ${formatIp4(reply.dst)}: net.ipv4.icmp_ratemask includes echo replies, and that host's bucket (icmp_ratelimit=${ratelimitMs(ns)} ms, burst ${BURST_FACTOR}) is empty`;
    sim.drop(trace, ns, "NOT_SPECIFIED", message);
    return;
  }
  countIcmpOut(ns, ICMP_ECHO_REPLY);
  sendLocal(sim, ns, reply, rt.route, trace);
}

/** An ICMP error the namespace wants to send about an offending packet. */
export interface IcmpErrorRequest {
  type: number;
  code: number;
  /** The link the offending packet arrived on; absent for a packet of the namespace's own. */
  ingress?: Link;
  /** The next hop's MTU, for "fragmentation needed". */
  mtu?: number;
  /** The better next hop, for a redirect. */
  gateway?: number;
  /** The offending packet's trace, which gets a hop when the error is not sent. */
  trace?: PacketTrace;
  /** Whether the offending packet was being delivered to this namespace (`RTCF_LOCAL`). */
  isDelivered?: boolean;
}

/**
 * What became of an ICMP error: sent, or sent but lost before it reached its destination host
 * (such as on lo while lo is down). It may also be never due, because it would be about an ICMP
 * error, a broadcast or a multicast, or have no route back, or be held back by the rate limit.
 */
export type IcmpErrorOutcome = "sent" | "lost" | "not-due" | "no-route" | "rate-limited";

/**
 * `icmp_send`: an error about `offending` goes back to its source, from the address the route
 * back selects, unless the peer's token bucket is empty (see `icmp-ratelimit.ts`).
 */
export function sendIcmpError(
  sim: Sim,
  ns: Netns,
  offending: Packet,
  request: IcmpErrorRequest,
): IcmpErrorOutcome {
  const { type, code, ingress, mtu, gateway, trace } = request;
  if (offending.protocol === "icmp" && isIcmpError(offending.icmp.type)) return "not-due";
  if (isMulticast(offending.dst) || offending.dst === 0xffffffff) return "not-due";
  // `__icmp_send`: an error about a packet addressed to this namespace comes from that
  // address (a traceroute to an address on lo gets its answer from it), else from the route.
  const isLocal = request.isDelivered === true || addrType(ns, offending.dst) === "LOCAL";
  const query = isLocal ? { dst: offending.src, src: offending.dst } : { dst: offending.src };
  const rt = outputRoute(sim.state, ns, query);
  if (!rt.ok) return "no-route";
  const isLimited = rt.route.dev.kind !== "loopback" && isMasked(ns, type, code);
  if (isLimited && !takeIcmpToken(ns, offending.src, sim.now)) {
    count(ns, "IcmpOutRateLimitHost");
    if (trace !== undefined) {
      const detail = `${nsLabel(ns)} did not send ${errorName(type, code)} to ${formatIp4(offending.src)}: ICMP rate limit (icmp_ratelimit=${ratelimitMs(ns)} ms, burst ${BURST_FACTOR})`;
      sim.hop(trace, ns, "icmp", detail, ingress?.name);
    }
    return "rate-limited";
  }
  const error: Packet = {
    protocol: "icmp",
    src: rt.route.src,
    dst: offending.src,
    ttl: 64,
    tos: 0xc0,
    // `__icmp_send` quotes as much of the packet as fits in an error of at most 576 bytes.
    payload: Math.min(ipLength(offending), Math.min(rt.route.dev.mtu, 576) - 28),
    icmp: {
      type,
      code,
      id: 0,
      seq: 0,
      quoted: offending,
      ...(mtu === undefined ? {} : { mtu }),
      ...(gateway === undefined ? {} : { gateway }),
    },
  };
  countIcmpOut(ns, type);
  const errorTrace = sim.startTrace(describePacket(error), trace?.seq);
  if (ingress !== undefined) {
    const detail = `error about a packet that arrived on ${ingress.name}`;
    sim.hop(errorTrace, ns, "icmp", detail, ingress.name);
  }
  sendLocal(sim, ns, error, rt.route, errorTrace);
  return isLost(errorTrace) ? "lost" : "sent";
}

/**
 * Reports whether an error was dropped before it reached its destination host. Only drops that
 * happen at once are seen, so an error queued for ARP still counts as sent. A NO_SOCKET drop
 * means that it arrived.
 */
function isLost(errorTrace: PacketTrace): boolean {
  const verdict = errorTrace.verdict;
  return verdict?.kind === "dropped" && verdict.reason !== "NO_SOCKET";
}

/**
 * Returns the end of a drop message that says whether the namespace answered with the error
 * `type`/`code`, given the outcome of `sendIcmpError`.
 */
export function answerText(outcome: IcmpErrorOutcome, type: number, code: number): string {
  const name = errorName(type, code);
  switch (outcome) {
    case "sent":
      return `, so it answers with ICMP ${name}`;
    case "lost":
      return `; its ICMP ${name} is itself dropped, as its own trace shows`;
    case "rate-limited":
      return `; its ICMP ${name} is held back by the rate limit`;
    case "no-route":
      return `; it has no route back to send ICMP ${name}`;
    case "not-due":
      return `; no ICMP ${name} is due, because the packet is itself an ICMP error or is sent to a group`;
  }
}

/** Returns the name of an ICMP error in traces, such as "time exceeded" or "port unreachable". */
export function errorName(type: number, code: number): string {
  if (type === ICMP_TIME_EXCEEDED) return "time exceeded";
  if (type === ICMP_REDIRECT) return "redirect";
  const names: Record<number, string> = {
    [ICMP_NET_UNREACH]: "net unreachable",
    [ICMP_HOST_UNREACH]: "host unreachable",
    [ICMP_PORT_UNREACH]: "port unreachable",
    [ICMP_FRAG_NEEDED]: "fragmentation needed",
    [ICMP_PKT_FILTERED]: "packet filtered",
  };
  return names[code] ?? `destination unreachable code ${code}`;
}
