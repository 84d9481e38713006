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
 * counts only what is sent), net/ipv4/proc.c for the counter names.
 */
import { formatIp4, isMulticast } from "../addr/ip4.js";
import type { Link, Netns } from "../netns/state.js";
import { count } from "../netns/state.js";
import type { Packet } from "../wire/ipv4.js";
import {
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  describePacket,
  icmpCounterName,
  isIcmpError,
} from "../wire/ipv4.js";
import { sendLocal } from "./engine.js";
import { outputRoute } from "./output-route.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
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

/** Local delivery of ICMP: echo requests are answered, replies and errors go to ping sockets. */
export function localDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: Packet,
  trace: PacketTrace,
  cast: Cast,
): void {
  const { icmp } = packet;
  countIn(ns, icmp.type);
  if (icmp.type === ICMP_ECHO) {
    echoDeliver(sim, ns, link, packet, trace, cast);
    return;
  }
  const id = icmp.type === ICMP_ECHO_REPLY ? icmp.id : icmp.quoted?.icmp.id;
  const inbox = id === undefined ? undefined : sim.inboxes.get(`${ns.id}/${id}`);
  if (inbox === undefined) {
    sim.drop(
      trace,
      ns,
      "NO_SOCKET",
      "no ping socket is waiting for this message any more",
      link.name,
    );
    return;
  }
  inbox.push({ time: sim.now, packet });
  sim.deliver(trace, ns, `delivered to ping in ${nsLabel(ns)}`, link.name);
}

function echoDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: Packet,
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
function echoReply(sim: Sim, ns: Netns, request: Packet, cast: Cast): void {
  const reply: Packet = {
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
  const rt = back.ok ? outputRoute(sim.state, ns, { dst: reply.dst, src: reply.src }) : back;
  if (!rt.ok) {
    const message = `${nsLabel(ns)} has no route back to ${formatIp4(reply.dst)}, so it never sends its echo reply`;
    sim.drop(trace, ns, "IP_OUTNOROUTES", message);
    return;
  }
  countIcmpOut(ns, ICMP_ECHO_REPLY);
  sendLocal(sim, ns, reply, rt.route, trace);
}

/**
 * `icmp_send`: an error about `offending` goes back to its source, from the address the route
 * back selects. `mtu` goes with "fragmentation needed". Returns whether an error was sent.
 */
export function sendIcmpError(
  sim: Sim,
  ns: Netns,
  offending: Packet,
  type: number,
  code: number,
  ingress: Link | undefined,
  mtu?: number,
): boolean {
  if (isIcmpError(offending.icmp.type)) return false;
  if (isMulticast(offending.dst) || offending.dst === 0xffffffff) return false;
  const rt = outputRoute(sim.state, ns, { dst: offending.src });
  if (!rt.ok) return false;
  const error: Packet = {
    src: rt.route.src,
    dst: offending.src,
    ttl: 64,
    tos: 0xc0,
    payload: 28,
    icmp: { type, code, id: 0, seq: 0, quoted: offending, ...(mtu === undefined ? {} : { mtu }) },
  };
  countIcmpOut(ns, type);
  const seq = offending.icmp.type === ICMP_ECHO ? offending.icmp.seq : undefined;
  const trace = sim.startTrace(describePacket(error), seq);
  if (ingress !== undefined) {
    sim.hop(
      trace,
      ns,
      "icmp",
      `error about a packet that arrived on ${ingress.name}`,
      ingress.name,
    );
  }
  // NOTE: the kernel rate-limits these errors per destination (icmp_ratelimit and ip_error's own
  // token bucket). The model sends every one, which differs only past a burst of five or six.
  sendLocal(sim, ns, error, rt.route, trace);
  return true;
}
