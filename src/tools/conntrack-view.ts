/**
 * The conntrack table as `conntrack -L` (conntrack-tools 1.4.7) and `/proc/net/nf_conntrack`
 * print it. Entries are first turned into a protocol-neutral view, so that only the adapter
 * {@link viewOfEntry} depends on how `CtEntry` stores a flow.
 *
 * The layout follows transcripts recorded on Linux 6.18. A `conntrack -L` line is the protocol
 * name padded to 8 columns, its number, the seconds left, the TCP state, the original tuple,
 * `[UNREPLIED]`, the reply tuple, `[ASSURED]`, then `mark=0 use=1`. The /proc line adds an
 * `ipv4     2 ` prefix and `zone=0`, and counts the reader's own reference (`use=2`).
 */
import { formatIp4 } from "../addr/ip4.js";
import type { CtEntry, CtTuple } from "../netfilter/conntrack.js";
import { isTracking } from "../netfilter/conntrack.js";
import type { NetState } from "../netns/state.js";

/** The layer-4 part of one direction of a flow: ports, or the ICMP type, code and echo id. */
export type CtViewL4 =
  | { kind: "ports"; srcPort: number; dstPort: number }
  | { kind: "icmp"; type: number; code: number; id: number };

/** One direction of a flow, as conntrack prints it. */
export interface CtViewTuple {
  src: number;
  dst: number;
  l4: CtViewL4;
}

/** A conntrack entry as the tools print it. */
export interface CtView {
  protocol: "icmp" | "tcp" | "udp";
  /** The IP protocol number printed after the name (1, 6 or 17). */
  protocolNumber: number;
  /** Seconds left until the entry expires, rounded down as the kernel divides by HZ. */
  timeoutSeconds: number;
  /** The TCP state name (`ESTABLISHED`, `TIME_WAIT`...); absent for other protocols. */
  tcpState?: string;
  orig: CtViewTuple;
  reply: CtViewTuple;
  /** Whether a reply was seen; `[UNREPLIED]` is printed when it was not. */
  isReplied: boolean;
  /** Whether the entry is `[ASSURED]` (kept under table pressure). */
  isAssured: boolean;
  /** Whether the source (SNAT, MASQUERADE) or destination (DNAT) was translated. */
  isSnat: boolean;
  isDnat: boolean;
}

const PROTOCOL_NUMBERS = { icmp: 1, tcp: 6, udp: 17 } as const;

/**
 * Converts a model entry into its printed view at time `now` (ms). ICMP entries track echo
 * flows only, so their code is always 0; TCP and UDP entries carry ports, and TCP its state.
 */
export function viewOfEntry(entry: CtEntry, now: number): CtView {
  const protocol = entry.orig.protocol;
  const tuple = (side: CtTuple): CtViewTuple => {
    const l4: CtViewL4 =
      protocol === "icmp"
        ? { kind: "icmp", type: side.type, code: 0, id: side.id }
        : { kind: "ports", srcPort: side.sport, dstPort: side.dport };
    return { src: side.src, dst: side.dst, l4 };
  };
  const view: CtView = {
    protocol,
    protocolNumber: PROTOCOL_NUMBERS[protocol],
    timeoutSeconds: Math.max(0, Math.floor((entry.expiresAt - now) / 1000)),
    orig: tuple(entry.orig),
    reply: tuple(entry.reply),
    isReplied: entry.isReplied,
    // No recorded ICMP entry shows [ASSURED], whether it was replied or not.
    isAssured: protocol !== "icmp" && entry.isAssured === true,
    isSnat: entry.isSnat,
    isDnat: entry.isDnat,
  };
  if (entry.tcpState !== undefined) view.tcpState = entry.tcpState;
  return view;
}

/**
 * Returns the live entries of namespace `nsId` in table order. A namespace that does not track
 * connections (no nat table, no conntrack or state match) shows none, because the kernel never
 * confirmed an entry there.
 */
export function liveEntries(state: NetState, nsId: number): CtEntry[] {
  const ns = state.namespaces[nsId]!;
  if (!isTracking(ns.netfilter)) return [];
  return (ns.conntrack ?? []).filter((entry) => entry.expiresAt > state.clock);
}

/** Returns the views of the live entries of namespace `nsId` (see {@link liveEntries}). */
export function conntrackViews(state: NetState, nsId: number): CtView[] {
  return liveEntries(state, nsId).map((entry) => viewOfEntry(entry, state.clock));
}

function formatTuple(tuple: CtViewTuple): string {
  const addresses = `src=${formatIp4(tuple.src)} dst=${formatIp4(tuple.dst)}`;
  const { l4 } = tuple;
  if (l4.kind === "icmp") return `${addresses} type=${l4.type} code=${l4.code} id=${l4.id}`;
  return `${addresses} sport=${l4.srcPort} dport=${l4.dstPort}`;
}

/** Formats the part of an entry both outputs share, up to and including `mark=0`. */
function formatFlow(view: CtView): string {
  const parts = [`${view.protocol.padEnd(8)} ${view.protocolNumber} ${view.timeoutSeconds}`];
  if (view.tcpState !== undefined) parts.push(view.tcpState);
  parts.push(formatTuple(view.orig));
  if (!view.isReplied) parts.push("[UNREPLIED]");
  parts.push(formatTuple(view.reply));
  if (view.isAssured) parts.push("[ASSURED]");
  parts.push("mark=0");
  return parts.join(" ");
}

/** Formats an entry as one line of `conntrack -L`. */
export function formatConntrackLine(view: CtView): string {
  return `${formatFlow(view)} use=1`;
}

/** Formats an entry as one line of `/proc/net/nf_conntrack`. */
export function formatProcLine(view: CtView): string {
  // The reader of the /proc file holds a second reference while it prints the entry.
  return `${"ipv4".padEnd(8)} 2 ${formatFlow(view)} zone=0 use=2`;
}

/** Returns the text of `/proc/net/nf_conntrack` in namespace `nsId`, one entry per line. */
export function procNfConntrack(state: NetState, nsId: number): string {
  return conntrackViews(state, nsId)
    .map((view) => `${formatProcLine(view)}\n`)
    .join("");
}
