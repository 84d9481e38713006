/**
 * Local delivery: the hand-over of a packet addressed to this namespace to its transport
 * protocol, as `ip_local_deliver_finish` picks the handler by the IP protocol number
 * (net/ipv4/ip_input.c).
 */
import type { Link, Netns } from "../netns/state.js";
import type { Packet } from "../wire/ipv4.js";
import type { Cast } from "./icmp.js";
import { icmpDeliver } from "./icmp.js";
import type { Sim } from "./sim.js";
import { tcpDeliver } from "./tcp.js";
import { udpDeliver } from "./udp.js";
import type { PacketTrace } from "./verdict.js";

/** Delivers `packet`, which arrived on `link`, to the namespace's ICMP, UDP or TCP layer. */
export function localDeliver(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: Packet,
  trace: PacketTrace,
  cast: Cast,
): void {
  if (packet.protocol === "udp") udpDeliver(sim, ns, link, packet, trace, cast);
  else if (packet.protocol === "icmp") icmpDeliver(sim, ns, link, packet, trace, cast);
  else tcpDeliver(sim, ns, link.name, packet, trace, cast === "unicast");
}
