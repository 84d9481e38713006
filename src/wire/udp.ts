/**
 * UDP datagrams (RFC 768) as the engine carries them: the two ports and the text a tool sent,
 * with no checksums to verify. The IPv4 side lives in `ipv4.ts`.
 */
import { formatIp4 } from "../addr/ip4.js";

/** The UDP header fields the model keeps. */
export interface Udp {
  srcPort: number;
  dstPort: number;
  /** The bytes of payload, as text, when a tool sent some (nc, a `/dev/udp` write). */
  data?: string;
}

/** Returns a one-line description of a UDP datagram for traces, in tcpdump's address.port form. */
export function describeUdp(src: number, dst: number, udp: Udp, ttl: number): string {
  return `UDP ${formatIp4(src)}.${udp.srcPort} > ${formatIp4(dst)}.${udp.dstPort} ttl ${ttl}`;
}
