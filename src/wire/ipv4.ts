/**
 * The packets and frames the engine moves: IPv4 carrying ICMP or UDP (RFC 791, RFC 792,
 * RFC 768) inside Ethernet frames that carry either IPv4 or ARP (RFC 826). They are plain
 * records, not bytes; sizes are kept so that MTU and the tools' byte counts come out right.
 */
import { formatIp4 } from "../addr/ip4.js";
import type { Udp } from "./udp.js";
import { describeUdp } from "./udp.js";

/** ICMP types the model uses. */
export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** ICMP destination-unreachable codes. */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_PKT_FILTERED = 13;

/** The ICMP redirect code for a redirect of one host's traffic, the only one Linux sends. */
export const ICMP_REDIR_HOST = 1;

/** An ICMP message: an echo request or reply, or an error quoting the packet that caused it. */
export interface Icmp {
  type: number;
  code: number;
  id: number;
  seq: number;
  /** For errors: the offending packet. */
  quoted?: Packet;
  /** For "fragmentation needed": the MTU of the next hop. */
  mtu?: number;
  /** For redirects: the better next hop for the quoted packet's destination. */
  gateway?: number;
}

/** The IPv4 header fields the model keeps, shared by every transport. */
interface IpFields {
  src: number;
  dst: number;
  ttl: number;
  tos: number;
  /**
   * Payload length in bytes after the ICMP, UDP or TCP header (ping's -s, traceroute's data, the
   * bytes of a TCP segment).
   */
  payload: number;
  /** Whether the DF bit is set, so that a router must not fragment the packet. */
  isDontFragment?: boolean;
}

/** An IPv4 packet carrying ICMP. */
export interface IcmpPacket extends IpFields {
  protocol: "icmp";
  icmp: Icmp;
}

/** An IPv4 packet carrying a UDP datagram. */
export interface UdpPacket extends IpFields {
  protocol: "udp";
  udp: Udp;
}

/** The TCP header fields the model keeps (RFC 9293, section 3.1). */
export interface Tcp {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The control bits that are set. */
  flags: { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean; psh?: boolean };
  window: number;
  /** The bytes of payload, as text (what `nc` or a `/dev/tcp` write sent). */
  data?: string;
}

/** An IPv4 packet carrying a TCP segment. */
export interface TcpPacket extends IpFields {
  protocol: "tcp";
  tcp: Tcp;
}

/** An IPv4 packet, told apart by its `protocol`. */
export type Packet = IcmpPacket | UdpPacket | TcpPacket;

/**
 * Returns the IPv4 total length of `packet`: a 20-byte header, the transport header and the
 * payload. The ICMP and UDP headers take 8 bytes. A Linux TCP header takes 40 bytes on a SYN
 * (MSS, SACK-permitted, timestamps and window scale options), 20 on a reset (no options) and
 * 32 otherwise (timestamps), as `tcp_syn_options`, `tcp_established_options` and
 * `tcp_v4_send_reset` in net/ipv4/tcp_output.c and tcp_ipv4.c build them.
 */
export function ipLength(packet: Packet): number {
  if (packet.protocol !== "tcp") return 20 + 8 + packet.payload;
  const { flags } = packet.tcp;
  const header = flags.rst === true ? 20 : flags.syn === true ? 40 : 32;
  return 20 + header + packet.payload;
}

/** Reports whether an ICMP type is an error message, about which no error is ever sent. */
export function isIcmpError(type: number): boolean {
  return (
    type === ICMP_DEST_UNREACH ||
    type === 4 ||
    type === 5 ||
    type === ICMP_TIME_EXCEEDED ||
    type === 12
  );
}

/**
 * Returns the name of the per-type counter in the `Icmp:` line of /proc/net/snmp for `type`, as
 * nstat prints it after `IcmpIn` or `IcmpOut` (net/ipv4/proc.c, `icmpmibmap`), if it has one.
 */
export function icmpCounterName(type: number): string | undefined {
  const names: Record<number, string> = {
    [ICMP_ECHO_REPLY]: "EchoReps",
    [ICMP_DEST_UNREACH]: "DestUnreachs",
    4: "SrcQuenchs",
    5: "Redirects",
    [ICMP_ECHO]: "Echos",
    [ICMP_TIME_EXCEEDED]: "TimeExcds",
    12: "ParmProbs",
    13: "Timestamps",
    14: "TimestampReps",
    17: "AddrMasks",
    18: "AddrMaskReps",
  };
  return names[type];
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
  /**
   * The bytes of the IPv4 packet's largest piece on the wire: the whole packet, or its first
   * fragment when the link IP sent it on, or the path MTU, is smaller. The model moves the
   * packet whole, so the links on the way check this size. Set by the first link the frame takes.
   */
  ipBytes?: number;
}

/** The broadcast MAC address. */
export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";

/** Reports whether `mac` is a group address (broadcast or multicast): its first octet is odd. */
export function isGroupMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** Returns the MAC an IPv4 multicast group maps to: 01:00:5e and its low 23 bits (RFC 1112). */
export function multicastMac(group: number): string {
  const low = [(group >>> 16) & 0x7f, (group >>> 8) & 255, group & 255];
  return ["01", "00", "5e", ...low.map((byte) => byte.toString(16).padStart(2, "0"))].join(":");
}

/** Returns a one-line description of `packet` for traces. */
export function describePacket(packet: Packet): string {
  if (packet.protocol === "udp") return describeUdp(packet.src, packet.dst, packet.udp, packet.ttl);
  if (packet.protocol === "tcp") return describeTcp(packet);
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
    case ICMP_REDIRECT: {
      const target = icmp.quoted === undefined ? "" : ` for ${formatIp4(icmp.quoted.dst)}`;
      return `ICMP redirect ${route}${target} to ${formatIp4(icmp.gateway ?? 0)}`;
    }
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
    case ICMP_FRAG_NEEDED:
      return "Frag needed and DF set";
    case 9:
      return "Destination Net Prohibited";
    case 10:
      return "Destination Host Prohibited";
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

function describeTcp(packet: TcpPacket): string {
  const { tcp } = packet;
  const flags = (["syn", "fin", "rst", "psh", "ack"] as const)
    .filter((flag) => tcp.flags[flag] === true)
    .map((flag) => flag.toUpperCase())
    .join(",");
  const from = `${formatIp4(packet.src)}:${tcp.srcPort}`;
  return `TCP ${from} > ${formatIp4(packet.dst)}:${tcp.dstPort} [${flags}] ttl ${packet.ttl}`;
}
