/**
 * NAT bindings on conntrack entries, and the address and port rewrites they imply for each
 * packet.
 *
 * Sources: net/netfilter/nf_nat_core.c (`nf_nat_setup_info`: the binding is decided once, on a
 * flow's first packet, by changing the entry's reply tuple; `get_unique_tuple`: a source
 * translation keeps the source port while the resulting reply tuple is free, else it picks
 * another one, as it picks another echo id for ICMP; `nf_nat_packet`: a packet is rewritten
 * at PREROUTING and OUTPUT (destination) and at POSTROUTING and INPUT (source) when the
 * entry's status says that part was translated), net/netfilter/nf_nat_proto.c
 * (`nf_nat_icmp_reply_translation`: an ICMP error gets its outer header rewritten like a
 * packet of the direction it travels in, and the packet it quotes gets the inverse rewrite) and
 * net/netfilter/nf_nat_masquerade.c (MASQUERADE takes the source address the outgoing link
 * would choose for the nexthop).
 */
import type { CtDir, CtEntry, CtPacket, CtTuple } from "./conntrack.js";
import { isReplyTaken } from "./conntrack.js";

/** Which address a hook rewrites: the destination before routing, the source after it. */
export type ManipKind = "src" | "dst";

/** The address, and the port or ICMP echo id, a packet gets from one rewrite. */
export interface Rewrite {
  addr: number;
  /** The TCP or UDP port, or for ICMP the echo id; absent keeps it. */
  port?: number;
}

/** The parts of a packet NAT rewrites: addresses, ports or echo id, and a quoted packet. */
export type NatPacket = CtPacket;

/** The first port `get_unique_tuple` tries for a source port of 1024 and above. */
const FIRST_UNPRIVILEGED = 1024;

/**
 * Moves the source side of the reply tuple (its destination port, or for ICMP the echo id)
 * until no other entry replies to that tuple.
 */
function makeUnique(table: CtEntry[], entry: CtEntry): void {
  const tuple = entry.reply;
  while (isReplyTaken(table, tuple)) {
    if (tuple.protocol === "icmp") tuple.id = (tuple.id + 1) & 0xffff;
    else tuple.dport = tuple.dport >= 0xffff ? FIRST_UNPRIVILEGED : tuple.dport + 1;
  }
}

/**
 * Binds the source of a new flow to `addr` and, for TCP and UDP, `port` when a rule gave one
 * (SNAT, MASQUERADE). When another entry already replies to that tuple, the port or echo id
 * moves up until the tuple is free.
 */
export function bindSource(table: CtEntry[], entry: CtEntry, addr: number, port?: number): void {
  entry.reply.dst = addr;
  if (port !== undefined && entry.reply.protocol !== "icmp") entry.reply.dport = port;
  entry.isSnat = true;
  makeUnique(table, entry);
}

/**
 * Binds the destination of a new flow to `addr` and, for TCP and UDP, `port` (DNAT). An ICMP
 * flow whose reply tuple is taken gets another echo id at once; a TCP or UDP flow gets another
 * source port from the source binding that follows at POSTROUTING or INPUT.
 */
export function bindDestination(
  table: CtEntry[],
  entry: CtEntry,
  addr: number,
  port?: number,
): void {
  entry.reply.src = addr;
  if (port !== undefined && entry.reply.protocol !== "icmp") entry.reply.sport = port;
  entry.isDnat = true;
  if (entry.reply.protocol === "icmp") makeUnique(table, entry);
}

/**
 * Completes a new flow that no rule translated (`nf_nat_alloc_null_binding`): when another
 * entry already replies to its tuple, its port or echo id changes, which is a source
 * translation.
 */
export function bindNull(table: CtEntry[], entry: CtEntry): void {
  if (isReplyTaken(table, entry.reply)) bindSource(table, entry, entry.reply.dst);
}

/** Returns the port of `tuple` on `side`, or for ICMP its echo id. */
function portOf(tuple: CtTuple, side: "src" | "dst"): number {
  if (tuple.protocol === "icmp") return tuple.id;
  return side === "src" ? tuple.sport : tuple.dport;
}

/**
 * Returns the rewrite a packet travelling in `dir` gets at a hook of `kind`, or undefined when
 * the entry has no binding for that part.
 */
export function rewriteFor(entry: CtEntry, dir: CtDir, kind: ManipKind): Rewrite | undefined {
  // The ICMP echo id is the one "port" of a flow, so when only DNAT made the reply tuple unique
  // by changing it, the DNAT rewrites carry the id too (`nf_nat_icmp_unique_tuple`).
  const isIcmp = entry.orig.protocol === "icmp";
  const dnatPort = (port: number): { port?: number } => (isIcmp && entry.isSnat ? {} : { port });
  const { orig, reply } = entry;
  if (kind === "dst") {
    if (dir === "orig") {
      return entry.isDnat ? { addr: reply.src, ...dnatPort(portOf(reply, "src")) } : undefined;
    }
    return entry.isSnat ? { addr: orig.src, port: portOf(orig, "src") } : undefined;
  }
  if (dir === "orig") {
    return entry.isSnat ? { addr: reply.dst, port: portOf(reply, "dst") } : undefined;
  }
  return entry.isDnat ? { addr: orig.dst, ...dnatPort(portOf(orig, "dst")) } : undefined;
}

/** Returns `packet` with `rewrite` applied to its `kind` address and port (or echo id). */
export function rewritePacket<P extends NatPacket>(
  packet: P,
  kind: ManipKind,
  rewrite: Rewrite,
): P {
  const port = rewrite.port;
  const moved = { ...packet, [kind]: rewrite.addr };
  if (port === undefined) return moved;
  const field = kind === "src" ? "srcPort" : "dstPort";
  if (packet.protocol === "tcp") return { ...moved, tcp: { ...packet.tcp, [field]: port } };
  if (packet.protocol === "udp") return { ...moved, udp: { ...packet.udp, [field]: port } };
  return { ...moved, icmp: { ...packet.icmp, id: port } };
}

/**
 * Returns an ICMP error with `rewrite` applied: the outer `kind` address changes, and the
 * quoted packet, which went the other way, gets the other address and its port (or echo id)
 * changed.
 */
export function rewriteError<P extends NatPacket>(packet: P, kind: ManipKind, rewrite: Rewrite): P {
  if (packet.protocol === "tcp" || packet.protocol === "udp") return packet;
  const quoted = packet.icmp.quoted;
  const inner = kind === "src" ? "dst" : "src";
  const rewrittenQuoted = quoted === undefined ? undefined : rewritePacket(quoted, inner, rewrite);
  return {
    ...packet,
    [kind]: rewrite.addr,
    icmp: { ...packet.icmp, ...(rewrittenQuoted === undefined ? {} : { quoted: rewrittenQuoted }) },
  };
}
