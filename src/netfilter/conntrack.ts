/**
 * Connection tracking for ICMP echo flows: the entries a namespace keeps once something needs
 * them, the state each packet gets (NEW, ESTABLISHED, RELATED or INVALID), and the NAT bindings
 * stored on each entry.
 *
 * Sources: net/netfilter/nf_conntrack_core.c (`nf_conntrack_in`: a packet either matches the
 * original or the reply tuple of an entry, or starts an unconfirmed one; `__nf_conntrack_confirm`
 * inserts it into the table once the packet leaves POSTROUTING or passes INPUT, so a packet
 * dropped earlier leaves no entry), net/netfilter/nf_conntrack_proto_icmp.c (only an echo,
 * timestamp, info or address-mask request starts an entry; an error is RELATED to the entry of
 * the packet it quotes, and INVALID when there is none; the default timeout is 30 s) and
 * net/netfilter/nf_conntrack_proto.c (`nf_ct_netns_get`: tracking starts in a namespace only
 * when a nat table or a conntrack or state match needs it).
 */
import type { Ruleset } from "./ruleset.js";

/** One direction of an ICMP echo flow: addresses, echo id and the ICMP type it carries. */
export interface CtTuple {
  src: number;
  dst: number;
  /** The ICMP echo id, which plays the part of a port. */
  id: number;
  /** 8 (echo request) in the original direction, 0 (echo reply) in the reply direction. */
  type: number;
}

/** One conntrack entry. */
export interface CtEntry {
  /** The flow as its first packet saw it, before any NAT. */
  orig: CtTuple;
  /** The tuple replies carry; it differs from the inverted original when NAT applies. */
  reply: CtTuple;
  /** Whether a reply was seen (conntrack lists the entry without `[UNREPLIED]` then). */
  isReplied: boolean;
  /** Whether the source (SNAT, MASQUERADE) or destination (DNAT) was translated. */
  isSnat: boolean;
  isDnat: boolean;
  /** Virtual time in ms at which the entry expires. */
  expiresAt: number;
}

/** The packet fields conntrack reads: addresses and the ICMP header. */
export interface CtPacket {
  src: number;
  dst: number;
  icmp: { type: number; id: number; quoted?: CtPacket };
}

/** The direction of a packet in its flow. */
export type CtDir = "orig" | "reply";

/** What conntrack found for one packet. */
export type CtLookup =
  | { state: "NEW"; entry: CtEntry; dir: "orig" }
  | { state: "ESTABLISHED"; entry: CtEntry; dir: CtDir }
  /** An ICMP error about a packet of `entry`; it travels in direction `dir` of that flow. */
  | { state: "RELATED"; entry: CtEntry; dir: CtDir }
  | { state: "INVALID" };

/** nf_conntrack_icmp_timeout's default, in ms. */
export const ICMP_TIMEOUT_MS = 30_000;

const ICMP_ECHO = 8;
const ICMP_ECHO_REPLY = 0;
const ERROR_TYPES = [3, 4, 5, 11, 12];

/**
 * Reports whether connection tracking runs in a namespace with `ruleset`: once its nat table
 * exists, or while a rule in any table matches on conntrack state.
 */
export function isTracking(ruleset: Ruleset | undefined): boolean {
  if (ruleset === undefined) return false;
  if (ruleset.tables.nat !== undefined) return true;
  return Object.values(ruleset.tables).some((table) =>
    Object.values(table!.chains).some((chain) =>
      chain.rules.some((rule) =>
        rule.spec.matches.some((match) => match.kind === "conntrack" || match.kind === "state"),
      ),
    ),
  );
}

/**
 * Finds the entry `packet` belongs to in `table` at time `now`, dropping expired entries first.
 * A request with no entry gets a new, unconfirmed one (not yet in `table`).
 */
export function track(table: CtEntry[], packet: CtPacket, now: number): CtLookup {
  expire(table, now);
  const { type } = packet.icmp;
  if (ERROR_TYPES.includes(type)) return related(table, packet);
  const found = findByPacket(table, packet);
  if (found !== undefined) return { state: "ESTABLISHED", ...found };
  if (type !== ICMP_ECHO) return { state: "INVALID" };
  const orig = tupleOf(packet);
  const reply = { src: packet.dst, dst: packet.src, id: packet.icmp.id, type: ICMP_ECHO_REPLY };
  const entry = { orig, reply, isReplied: false, isSnat: false, isDnat: false, expiresAt: 0 };
  return { state: "NEW", entry, dir: "orig" };
}

/**
 * Inserts `entry` into `table` if it is not there yet (`__nf_conntrack_confirm`) and refreshes
 * its timeout. A reply marks the entry as replied.
 */
export function confirm(table: CtEntry[], entry: CtEntry, dir: CtDir, now: number): void {
  if (!table.includes(entry)) table.push(entry);
  if (dir === "reply") entry.isReplied = true;
  entry.expiresAt = now + ICMP_TIMEOUT_MS;
}

/** Reports whether `tuple` describes `packet`. */
export function isTupleOf(tuple: CtTuple, packet: CtPacket): boolean {
  return (
    tuple.src === packet.src &&
    tuple.dst === packet.dst &&
    tuple.id === packet.icmp.id &&
    tuple.type === packet.icmp.type
  );
}

function tupleOf(packet: CtPacket): CtTuple {
  return { src: packet.src, dst: packet.dst, id: packet.icmp.id, type: packet.icmp.type };
}

function findByPacket(
  table: CtEntry[],
  packet: CtPacket,
): { entry: CtEntry; dir: CtDir } | undefined {
  for (const entry of table) {
    if (isTupleOf(entry.orig, packet)) return { entry, dir: "orig" };
    if (isTupleOf(entry.reply, packet)) return { entry, dir: "reply" };
  }
  return undefined;
}

/**
 * An error quoting a packet travels back towards that packet's sender, so `icmp_error_message`
 * looks up the inverted quoted tuple: its direction is the error's.
 */
function related(table: CtEntry[], packet: CtPacket): CtLookup {
  const quoted = packet.icmp.quoted;
  if (quoted === undefined) return { state: "INVALID" };
  const type = quoted.icmp.type === ICMP_ECHO ? ICMP_ECHO_REPLY : ICMP_ECHO;
  const inverted = { src: quoted.dst, dst: quoted.src, icmp: { type, id: quoted.icmp.id } };
  const found = findByPacket(table, inverted);
  if (found === undefined) return { state: "INVALID" };
  return { state: "RELATED", ...found };
}

function expire(table: CtEntry[], now: number): void {
  for (let index = table.length - 1; index >= 0; index--) {
    if (table[index]!.expiresAt <= now) table.splice(index, 1);
  }
}

/** Reports whether some entry already uses `tuple` as its reply tuple. */
export function isReplyTaken(table: CtEntry[], tuple: CtTuple): boolean {
  return table.some(
    (entry) =>
      entry.reply.src === tuple.src &&
      entry.reply.dst === tuple.dst &&
      entry.reply.id === tuple.id &&
      entry.reply.type === tuple.type,
  );
}
