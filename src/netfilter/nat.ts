/**
 * NAT bindings on conntrack entries, and the address rewrites they imply for each packet.
 *
 * Sources: net/netfilter/nf_nat_core.c (`nf_nat_setup_info`: the binding is decided once, on a
 * flow's first packet, by changing the entry's reply tuple; a reply tuple already in use gets
 * another id, as `get_unique_tuple` picks another port; `nf_nat_packet`: a packet is rewritten
 * at PREROUTING and OUTPUT (destination) and at POSTROUTING and INPUT (source) when the
 * entry's status says that part was translated), net/netfilter/nf_nat_proto.c
 * (`nf_nat_icmp_reply_translation`: an ICMP error gets its outer header rewritten like a
 * packet of the direction it travels in, and the packet it quotes gets the inverse rewrite) and
 * net/netfilter/nf_nat_masquerade.c (MASQUERADE takes the source address the outgoing link
 * would choose for the nexthop).
 */
import type { CtDir, CtEntry } from "./conntrack.js";
import { isReplyTaken } from "./conntrack.js";

/** Which address a hook rewrites: the destination before routing, the source after it. */
export type ManipKind = "src" | "dst";

/** The address (and echo id) a packet gets from one rewrite. */
export interface Rewrite {
  addr: number;
  id?: number;
}

/** The parts of a packet NAT rewrites: its addresses, its echo id and a quoted packet. */
export interface NatPacket {
  src: number;
  dst: number;
  icmp: { type: number; id: number; quoted?: NatPacket };
}

/**
 * Binds the source of a new flow to `addr` (SNAT, MASQUERADE). When another entry already
 * replies to that tuple, the echo id moves up until the tuple is free.
 */
export function bindSource(table: CtEntry[], entry: CtEntry, addr: number): void {
  entry.reply.dst = addr;
  entry.isSnat = true;
  while (isReplyTaken(table, entry.reply)) entry.reply.id = (entry.reply.id + 1) & 0xffff;
}

/** Binds the destination of a new flow to `addr` (DNAT). */
export function bindDestination(table: CtEntry[], entry: CtEntry, addr: number): void {
  entry.reply.src = addr;
  entry.isDnat = true;
  while (isReplyTaken(table, entry.reply)) entry.reply.id = (entry.reply.id + 1) & 0xffff;
}

/**
 * Completes a new flow that no rule translated (`nf_nat_alloc_null_binding`): when another
 * entry already replies to its tuple, its echo id changes, which is a source translation.
 */
export function bindNull(table: CtEntry[], entry: CtEntry): void {
  if (isReplyTaken(table, entry.reply)) bindSource(table, entry, entry.reply.dst);
}

/**
 * Returns the rewrite a packet travelling in `dir` gets at a hook of `kind`, or undefined when
 * the entry has no binding for that part.
 */
export function rewriteFor(entry: CtEntry, dir: CtDir, kind: ManipKind): Rewrite | undefined {
  // The ICMP echo id is the one "port" of a flow, so when only DNAT made the reply tuple unique
  // by changing it, the DNAT rewrites carry the id too (`nf_nat_icmp_unique_tuple`).
  const dnatId = (id: number): { id?: number } => (entry.isSnat ? {} : { id });
  if (kind === "dst") {
    if (dir === "orig")
      return entry.isDnat ? { addr: entry.reply.src, ...dnatId(entry.reply.id) } : undefined;
    return entry.isSnat ? { addr: entry.orig.src, id: entry.orig.id } : undefined;
  }
  if (dir === "orig")
    return entry.isSnat ? { addr: entry.reply.dst, id: entry.reply.id } : undefined;
  return entry.isDnat ? { addr: entry.orig.dst, ...dnatId(entry.orig.id) } : undefined;
}

/** Returns `packet` with `rewrite` applied to its `kind` address and echo id. */
export function rewritePacket<P extends NatPacket>(
  packet: P,
  kind: ManipKind,
  rewrite: Rewrite,
): P {
  const icmp = rewrite.id === undefined ? packet.icmp : { ...packet.icmp, id: rewrite.id };
  return { ...packet, [kind]: rewrite.addr, icmp };
}

/**
 * Returns an ICMP error with `rewrite` applied: the outer `kind` address changes, and the
 * quoted packet, which went the other way, gets the other address and the echo id changed.
 */
export function rewriteError<P extends NatPacket>(packet: P, kind: ManipKind, rewrite: Rewrite): P {
  const quoted = packet.icmp.quoted;
  const inner = kind === "src" ? "dst" : "src";
  const rewrittenQuoted = quoted === undefined ? undefined : rewritePacket(quoted, inner, rewrite);
  return {
    ...packet,
    [kind]: rewrite.addr,
    icmp: { ...packet.icmp, ...(rewrittenQuoted === undefined ? {} : { quoted: rewrittenQuoted }) },
  };
}
