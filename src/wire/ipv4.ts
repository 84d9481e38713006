/**
 * The packets and frames the engine moves: IPv4 with ICMP (RFC 791, RFC 792) inside Ethernet
 * frames that carry either IPv4 or ARP (RFC 826). They are plain records, not bytes; sizes are
 * kept so that MTU and ping's byte counts come out right.
 */
import { formatIp4 } from "../addr/ip4.js";

/** ICMP types the model uses. */
export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** ICMP destination-unreachable codes. */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PKT_FILTERED = 13;

/** An ICMP message: an echo request or reply, or an error quoting the packet that caused it. */
export interface Icmp {
  type: number;
  code: number;
  id: number;
  seq: number;
  /** For errors: the offending packet. */
  quoted?: Packet;
}

/** An IPv4 packet carrying ICMP. */
export interface Packet {
  src: number;
  dst: number;
  ttl: number;
  tos: number;
  /** ICMP payload length in bytes, after the 8-byte ICMP header (ping's -s). */
  payload: number;
  icmp: Icmp;
}

/** An ARP request or reply. */
export interface Arp {
  op: "request" | "reply";
  senderMac: string;
  senderIp: number;
  targetMac: string;
  targetIp: number;
}

/** An Ethernet frame. */
export interface Frame {
  srcMac: string;
  dstMac: string;
  body: { kind: "ip"; packet: Packet } | { kind: "arp"; arp: Arp };
}

/** The broadcast MAC address. */
export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";

/** Returns a one-line description of `packet` for traces. */
export function describePacket(packet: Packet): string {
  const route = `${formatIp4(packet.src)} > ${formatIp4(packet.dst)}`;
  const { icmp } = packet;
  switch (icmp.type) {
    case ICMP_ECHO:
      return `ICMP echo request ${route} id ${icmp.id} seq ${icmp.seq} ttl ${packet.ttl}`;
    case ICMP_ECHO_REPLY:
      return `ICMP echo reply ${route} id ${icmp.id} seq ${icmp.seq} ttl ${packet.ttl}`;
    case ICMP_DEST_UNREACH:
      return `ICMP ${unreachText(icmp.code).toLowerCase()} ${route}`;
    case ICMP_TIME_EXCEEDED:
      return `ICMP time exceeded ${route}`;
    default:
      return `ICMP type ${icmp.type} code ${icmp.code} ${route}`;
  }
}

/** Returns what ping prints for a destination-unreachable code (iputils `pr_icmph`). */
export function unreachText(code: number): string {
  switch (code) {
    case ICMP_NET_UNREACH:
      return "Destination Net Unreachable";
    case ICMP_HOST_UNREACH:
      return "Destination Host Unreachable";
    case 2:
      return "Destination Protocol Unreachable";
    case 3:
      return "Destination Port Unreachable";
    case ICMP_PKT_FILTERED:
      return "Packet filtered";
    default:
      return `Dest Unreachable, Bad Code: ${code}`;
  }
}

/** Returns a one-line description of an ARP message for traces. */
export function describeArp(arp: Arp): string {
  return arp.op === "request"
    ? `ARP who-has ${formatIp4(arp.targetIp)} tell ${formatIp4(arp.senderIp)}`
    : `ARP reply ${formatIp4(arp.senderIp)} is-at ${arp.senderMac}`;
}
