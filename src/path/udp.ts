/**
 * UDP input: a datagram for a local address goes to the socket bound to its port. Without such
 * a socket the sender gets ICMP port unreachable.
 *
 * Sources: net/ipv4/udp.c (`__udp4_lib_rcv`: no socket for a unicast datagram counts
 * `UdpNoPorts` and sends ICMP port unreachable, then drops with `NO_SOCKET`;
 * `__udp4_lib_mcast_deliver`: a broadcast or multicast datagram nobody wants counts
 * `UdpIgnoredMulti` and gets no answer).
 */
import type { Link, Netns } from "../netns/state.js";
import { count } from "../netns/state.js";
import type { UdpPacket } from "../wire/ipv4.js";
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, describePacket } from "../wire/ipv4.js";
import { isDroppedOnTheWayOut, sendLocal } from "./engine.js";
import type { OutputRoute } from "./output-route.js";
import type { Cast } from "./icmp.js";
import { answerText, sendIcmpError } from "./icmp.js";
import type { Sim } from "./sim.js";
import { findUdpSocket } from "./tcp-socket.js";
import { receiveDatagram } from "../proc/nc-listen.js";
import { nsLabel, socketKey } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** Delivers a UDP datagram that arrived on `link` to its socket, or sends port unreachable. */
export function udpDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: UdpPacket,
  trace: PacketTrace,
  cast: Cast,
): void {
  const port = packet.udp.dstPort;
  const inbox = sim.inboxes.get(socketKey(ns.id, "udp", port));
  if (inbox !== undefined) {
    count(ns, "UdpInDatagrams");
    inbox.push({ time: sim.now, packet });
    sim.deliver(trace, ns, `delivered to the UDP socket on port ${port}`, link.name);
    return;
  }
  const bound = findUdpSocket(ns, packet);
  if (bound !== undefined) {
    count(ns, "UdpInDatagrams");
    receiveDatagram(sim.state, bound, packet);
    sim.deliver(trace, ns, `delivered to the UDP socket on port ${port}`, link.name);
    return;
  }
  const nobody = `nothing in ${nsLabel(ns)} listens on UDP port ${port}`;
  if (cast !== "unicast") {
    count(ns, "UdpIgnoredMulti");
    sim.drop(trace, ns, "NO_SOCKET", `${nobody}, and a ${cast} gets no answer`, link.name);
    return;
  }
  count(ns, "UdpNoPorts");
  const request = {
    type: ICMP_DEST_UNREACH,
    code: ICMP_PORT_UNREACH,
    ingress: link,
    trace,
    isDelivered: true,
  };
  const outcome = sendIcmpError(sim, ns, packet, request);
  const answer = answerText(outcome, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
  sim.drop(trace, ns, "NO_SOCKET", `${nobody}${answer}`, link.name);
}

/** A datagram a local socket sends. */
export interface Datagram {
  src: number;
  sport: number;
  dst: number;
  dport: number;
  data: string;
}

/**
 * Sends a datagram from a local socket along `route` (`udp_sendmsg`). Returns EPERM when a
 * netfilter hook dropped it on the way out, because `ip_local_out` reports that drop to the
 * sender and `sendmsg` fails. A drop further on is silent.
 */
export function sendDatagram(
  sim: Sim,
  ns: Netns,
  datagram: Datagram,
  route: OutputRoute,
): "EPERM" | undefined {
  const packet: UdpPacket = {
    protocol: "udp",
    src: datagram.src,
    dst: datagram.dst,
    ttl: 64,
    tos: 0,
    payload: datagram.data.length,
    udp: { srcPort: datagram.sport, dstPort: datagram.dport, data: datagram.data },
  };
  const trace = sim.startTrace(describePacket(packet));
  sendLocal(sim, ns, packet, route, trace);
  if (isDroppedOnTheWayOut(trace, ns)) return "EPERM";
  // `udp_send_skb` counts a datagram once `ip_send_skb` accepted it.
  count(ns, "UdpOutDatagrams");
  return undefined;
}
