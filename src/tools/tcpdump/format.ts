/**
 * One line of tcpdump 4.99.3 output per frame, with `-n`: the timestamp, then `IP a > b: ...`
 * or `ARP, ...`, and with `-e` the link-level header before them.
 *
 * Every shape here was checked against tcpdump 4.99.3 reading crafted capture files: echo
 * requests and replies, each destination-unreachable code the model sends (`ICMP net X
 * unreachable`, `ICMP X udp port N unreachable`, `... - need to frag (mtu N)`), time exceeded,
 * UDP, TCP with relative sequence numbers and ARP.
 */
import { formatIp4 } from "../../addr/ip4.js";
import { Unsupported } from "../../errors.js";
import type { Arp, Frame, IcmpPacket, Packet, TcpPacket } from "../../wire/ipv4.js";
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  ICMP_REDIRECT,
  ICMP_REDIR_HOST,
  ICMP_TIME_EXCEEDED,
} from "../../wire/ipv4.js";

/** The first sequence numbers of each direction of a TCP flow, for relative numbering. */
export interface TcpFlowBase {
  /** Initial sequence number of the direction named first in the key. */
  forward: number;
  /** Initial sequence number of the other direction. */
  backward: number;
}

/** The TCP flows a capture has seen so far, by flow key. */
export type TcpFlows = Record<string, TcpFlowBase>;

/** Output switches of one capture. */
export interface FormatOptions {
  /** `-e`: print the Ethernet header first. */
  showLinkHeader: boolean;
  /** The MTU of the capturing link, from which the MSS option of a SYN follows. */
  mtu: number;
}

/** Formats virtual time `ms` as tcpdump's `HH:MM:SS.ffffff` time of day. */
export function formatTimestamp(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const seconds = totalSeconds % 60;
  const micros = Math.round((ms - totalSeconds * 1000) * 1000);
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(hours)}:${two(minutes)}:${two(seconds)}.${String(micros).padStart(6, "0")}`;
}

/**
 * Formats `frame`, captured at virtual time `ms`, as tcpdump prints it. `flows` is updated
 * with the TCP flows the frame starts.
 */
export function formatFrame(
  frame: Frame,
  ms: number,
  options: FormatOptions,
  flows: TcpFlows,
): string {
  const body =
    frame.body.kind === "arp"
      ? formatArp(frame.body.arp)
      : formatIp(frame.body.packet, ms, options, flows);
  if (!options.showLinkHeader) {
    return `${formatTimestamp(ms)} ${frame.body.kind === "arp" ? "ARP, " : "IP "}${body}`;
  }
  const type = frame.body.kind === "arp" ? "ARP (0x0806)" : "IPv4 (0x0800)";
  const length = 14 + (frame.body.kind === "arp" ? 28 : ipTotalLength(frame.body.packet));
  return `${formatTimestamp(ms)} ${frame.srcMac} > ${frame.dstMac}, ethertype ${type}, length ${length}: ${body}`;
}

function formatArp(arp: Arp): string {
  if (arp.op === "request") {
    return `Request who-has ${formatIp4(arp.targetIp)} tell ${formatIp4(arp.senderIp)}, length 28`;
  }
  return `Reply ${formatIp4(arp.senderIp)} is-at ${arp.senderMac}, length 28`;
}

function formatIp(packet: Packet, ms: number, options: FormatOptions, flows: TcpFlows): string {
  const src = formatIp4(packet.src);
  const dst = formatIp4(packet.dst);
  switch (packet.protocol) {
    case "icmp":
      return `${src} > ${dst}: ICMP ${formatIcmp(packet)}, length ${icmpLength(packet)}`;
    case "udp": {
      const { udp } = packet;
      checkNoDecoder("UDP", udp.srcPort, udp.dstPort);
      return `${src}.${udp.srcPort} > ${dst}.${udp.dstPort}: UDP, length ${packet.payload}`;
    }
    case "tcp":
      return formatTcp(packet, ms, options, flows);
  }
}

/**
 * Ports above 1023 that tcpdump 4.99 decodes (print-udp.c): mDNS, VXLAN, Geneve, L2TP, RADIUS,
 * IPsec NAT traversal, SIP, BFD, LISP, CAPWAP, HSRP, NFS, OTV.
 */
const HIGH_DECODED_PORTS = new Set([
  5353, 4789, 6081, 1701, 1812, 1813, 1645, 1646, 4500, 5060, 5061, 3784, 3785, 4341, 4342, 5246,
  5247, 1985, 2049, 8472,
]);

/** Ports below 1024 that tcpdump prints as plain UDP or TCP (seen: discard on 9). */
const UNDECODED_LOW_PORTS = new Set([9]);

/**
 * tcpdump decodes the payload of well-known ports (DNS on 53, NTP on 123, mDNS on 5353...),
 * which this model does not. NOTE: the lists are best effort: a port below 1024 counts as
 * decoded unless it is known not to be, so a mistake is a loud "not supported", not a wrong line.
 */
function checkNoDecoder(protocol: string, srcPort: number, dstPort: number): void {
  for (const port of [srcPort, dstPort]) {
    const isDecoded =
      HIGH_DECODED_PORTS.has(port) || (port < 1024 && !UNDECODED_LOW_PORTS.has(port));
    if (isDecoded) throw new Unsupported(`tcpdump decoding of ${protocol} port ${port}`);
  }
}

/** Returns the size of the ICMP message: its 8-byte header and the echo data or the quote. */
function icmpLength(packet: IcmpPacket): number {
  return 8 + packet.payload;
}

function formatIcmp(packet: IcmpPacket): string {
  const { icmp } = packet;
  switch (icmp.type) {
    case ICMP_ECHO:
      return `echo request, id ${icmp.id}, seq ${icmp.seq}`;
    case ICMP_ECHO_REPLY:
      return `echo reply, id ${icmp.id}, seq ${icmp.seq}`;
    case ICMP_DEST_UNREACH:
      return formatUnreachable(packet);
    case ICMP_TIME_EXCEEDED:
      return icmp.code === 1 ? "ip reassembly time exceeded" : "time exceeded in-transit";
    case ICMP_REDIRECT:
      // The model sends host redirects only; tcpdump 4.99 prints "redirect DST to host GATEWAY".
      if (icmp.code !== ICMP_REDIR_HOST || icmp.quoted === undefined) break;
      return `redirect ${formatIp4(icmp.quoted.dst)} to host ${formatIp4(icmp.gateway ?? 0)}`;
    default:
      break;
  }
  throw new Unsupported(`tcpdump decoding of ICMP type ${icmp.type} code ${icmp.code}`);
}

/** tcpdump 4.99.3's wording of the unreachable codes that name only the address. */
const UNREACH_TEXTS: Record<number, string> = {
  0: "net ADDR unreachable",
  1: "host ADDR unreachable",
  5: "ADDR unreachable - source route failed",
  6: "net ADDR unreachable - unknown",
  7: "host ADDR unreachable - unknown",
  8: "ADDR unreachable - source host isolated",
  9: "net ADDR unreachable - admin prohibited",
  10: "host ADDR unreachable - admin prohibited",
  11: "net ADDR unreachable - tos prohibited",
  12: "host ADDR unreachable - tos prohibited",
  13: "host ADDR unreachable - admin prohibited filter",
  14: "host ADDR unreachable - host precedence violation",
  15: "host ADDR unreachable - precedence cutoff",
};

/** Formats a destination unreachable by the destination of the packet it quotes. */
function formatUnreachable(packet: IcmpPacket): string {
  const { icmp } = packet;
  const quoted = icmp.quoted;
  if (quoted === undefined)
    throw new Unsupported("tcpdump decoding of an ICMP error without a quoted packet");
  const addr = formatIp4(quoted.dst);
  if (icmp.code === 2) return `${addr} protocol ${protocolNumber(quoted)} unreachable`;
  if (icmp.code === 3) {
    // tcpdump reads the "port" of a quoted ICMP message from its checksum, which is not kept.
    if (quoted.protocol === "icmp")
      throw new Unsupported("tcpdump decoding of a port unreachable about ICMP");
    const port = quoted.protocol === "udp" ? quoted.udp.dstPort : quoted.tcp.dstPort;
    return `${addr} ${quoted.protocol} port ${port} unreachable`;
  }
  if (icmp.code === 4) {
    const mtu = icmp.mtu ?? 0;
    return `${addr} unreachable - need to frag${mtu === 0 ? "" : ` (mtu ${mtu})`}`;
  }
  const text = UNREACH_TEXTS[icmp.code];
  if (text === undefined) return `${addr} unreachable - #${icmp.code}`;
  return text.replace("ADDR", addr);
}

function protocolNumber(packet: Packet): number {
  if (packet.protocol === "icmp") return 1;
  return packet.protocol === "tcp" ? 6 : 17;
}

/** Returns the size of the TCP options Linux sends: 20 bytes on a SYN, 12 (timestamps) later. */
function tcpOptionsLength(isSyn: boolean): number {
  return isSyn ? 20 : 12;
}

/** Returns the IPv4 total length of `packet` as it is on the wire. */
export function ipTotalLength(packet: Packet): number {
  if (packet.protocol === "icmp") return 20 + icmpLength(packet);
  if (packet.protocol === "udp") return 20 + 8 + packet.payload;
  const { tcp } = packet;
  const options = tcp.flags.rst === true ? 0 : tcpOptionsLength(tcp.flags.syn === true);
  return 20 + 20 + options + tcpDataLength(packet);
}

function tcpDataLength(packet: TcpPacket): number {
  return new TextEncoder().encode(packet.tcp.data ?? "").length;
}

/** tcpdump's flag letters, in the order it prints them (checked with tcpdump 4.99.3). */
const FLAG_LETTERS = [
  ["fin", "F"],
  ["syn", "S"],
  ["rst", "R"],
  ["psh", "P"],
  ["ack", "."],
] as const;

/**
 * Formats a TCP segment. The fields the model does not keep get the values Linux uses: the
 * SYN options `mss MTU-40,sackOK,TS val T ecr 0,nop,wscale 7`, `nop,nop,TS val T ecr T` on
 * later segments, none on a reset. T is the virtual clock in ms, standing in for the
 * timestamp clock.
 *
 * Sequence numbers are relative as tcpdump prints them: a segment with ACK set that starts a
 * flow (or has SYN set) stores both initial numbers and prints absolute ones, and later
 * segments with ACK print numbers relative to them. A segment without ACK stays absolute.
 */
function formatTcp(packet: TcpPacket, ms: number, options: FormatOptions, flows: TcpFlows): string {
  const { tcp } = packet;
  const src = `${formatIp4(packet.src)}.${tcp.srcPort}`;
  const dst = `${formatIp4(packet.dst)}.${tcp.dstPort}`;
  const length = tcpDataLength(packet);
  if (
    length > 0 &&
    tcp.srcPort !== 80 &&
    tcp.dstPort !== 80 &&
    tcp.srcPort !== 8080 &&
    tcp.dstPort !== 8080
  ) {
    checkNoDecoder("TCP", tcp.srcPort, tcp.dstPort);
  }
  const flags = FLAG_LETTERS.filter(([name]) => tcp.flags[name] === true)
    .map(([, letter]) => letter)
    .join("");
  let seq = tcp.seq >>> 0;
  let ack = tcp.ack >>> 0;
  if (tcp.flags.ack === true) [seq, ack] = relativeNumbers(packet, flows);

  const parts = [`Flags [${flags}]`];
  if (length > 0 || tcp.flags.syn === true || tcp.flags.fin === true || tcp.flags.rst === true) {
    parts.push(length > 0 ? `seq ${seq}:${(seq + length) >>> 0}` : `seq ${seq}`);
  }
  if (tcp.flags.ack === true) parts.push(`ack ${ack}`);
  parts.push(`win ${tcp.window}`);
  if (tcp.flags.rst !== true) parts.push(`options [${formatTcpOptions(packet, ms, options)}]`);
  parts.push(`length ${length}${applicationText(packet, length)}`);
  return `${src} > ${dst}: ${parts.join(", ")}`;
}

function formatTcpOptions(packet: TcpPacket, ms: number, options: FormatOptions): string {
  const clock = Math.floor(ms) >>> 0;
  if (packet.tcp.flags.syn === true) {
    const echo = packet.tcp.flags.ack === true ? clock : 0;
    return `mss ${options.mtu - 40},sackOK,TS val ${clock} ecr ${echo},nop,wscale 7`;
  }
  return `nop,nop,TS val ${clock} ecr ${clock}`;
}

/** Returns what tcpdump prints after the length of an HTTP payload (ports 80 and 8080). */
function applicationText(packet: TcpPacket, length: number): string {
  if (length === 0) return "";
  const { tcp } = packet;
  const ports = [tcp.srcPort, tcp.dstPort];
  if (!ports.includes(80) && !ports.includes(8080)) return "";
  const firstLine = (tcp.data ?? "").split(/\r?\n/)[0]!;
  const isHttpLine =
    /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|TRACE|CONNECT|PATCH) \S+ HTTP\/\d/.test(firstLine) ||
    /^HTTP\/\d/.test(firstLine);
  return isHttpLine ? `: HTTP: ${firstLine}` : ": HTTP";
}

/** Returns the key of a flow, the same for both directions, and whether `packet` goes forward. */
function flowKey(packet: TcpPacket): { key: string; isForward: boolean } {
  const here = `${packet.src}.${packet.tcp.srcPort}`;
  const there = `${packet.dst}.${packet.tcp.dstPort}`;
  return here < there
    ? { key: `${here}>${there}`, isForward: true }
    : { key: `${there}>${here}`, isForward: false };
}

function relativeNumbers(packet: TcpPacket, flows: TcpFlows): [number, number] {
  const { tcp } = packet;
  const { key, isForward } = flowKey(packet);
  const seq = tcp.seq >>> 0;
  const ack = tcp.ack >>> 0;
  const base = flows[key];
  if (base === undefined || tcp.flags.syn === true) {
    const peerBase = (ack - 1) >>> 0;
    flows[key] = isForward
      ? { forward: seq, backward: peerBase }
      : { forward: peerBase, backward: seq };
    return [seq, ack];
  }
  const own = isForward ? base.forward : base.backward;
  const peer = isForward ? base.backward : base.forward;
  return [(seq - own) >>> 0, (ack - peer) >>> 0];
}
