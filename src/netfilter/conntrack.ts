/**
 * Connection tracking for ICMP echo, TCP and UDP flows: the entries a namespace keeps once
 * something needs them, the state each packet gets (NEW, ESTABLISHED, RELATED or INVALID), the
 * TCP state machine, the timeouts, and the NAT bindings stored on each entry.
 *
 * Sources: net/netfilter/nf_conntrack_core.c (`nf_conntrack_in`: a packet either matches the
 * original or the reply tuple of an entry, or starts an unconfirmed one; `__nf_conntrack_confirm`
 * inserts it into the table once the packet leaves POSTROUTING or passes INPUT, so a packet
 * dropped earlier leaves no entry), net/netfilter/nf_conntrack_proto_icmp.c (only an echo,
 * timestamp, info or address-mask request starts an entry; an error is RELATED to the entry of
 * the packet it quotes, and INVALID when there is none; the default timeout is 30 s),
 * net/netfilter/nf_conntrack_proto_tcp.c (`tcp_conntracks`: the state table by direction,
 * flags and old state; a SYN or, with `nf_conntrack_tcp_loose=1`, an ACK starts an entry;
 * the default timeout of each state; ASSURED once a valid ACK follows SYN_RECV),
 * net/netfilter/nf_conntrack_proto_udp.c (`nf_conntrack_udp_packet`: 30 s until a reply, then
 * 120 s and ASSURED for traffic seen both ways after the first 2 s) and
 * net/netfilter/nf_conntrack_proto.c (`nf_ct_netns_get`: tracking starts in a namespace only
 * when a nat table or a conntrack or state match needs it).
 */
import type { Ruleset } from "./ruleset.js";

/** The transport protocols conntrack follows. */
export type CtProtocol = "icmp" | "tcp" | "udp";

/**
 * One direction of a flow. ICMP uses `id` (the echo id, which plays the part of a port) and
 * `type`; TCP and UDP use the two ports.
 */
export interface CtTuple {
  protocol: CtProtocol;
  src: number;
  dst: number;
  /** The ICMP echo id; 0 for TCP and UDP. */
  id: number;
  /** The ICMP type: 8 (echo request) in the original direction, 0 in the reply direction. */
  type: number;
  /** The TCP or UDP source port; 0 for ICMP. */
  sport: number;
  /** The TCP or UDP destination port; 0 for ICMP. */
  dport: number;
}

/** The TCP states conntrack tracks (`enum tcp_conntrack`), as `conntrack -L` prints them. */
export type TcpCtState =
  | "SYN_SENT"
  | "SYN_RECV"
  | "ESTABLISHED"
  | "FIN_WAIT"
  | "CLOSE_WAIT"
  | "LAST_ACK"
  | "TIME_WAIT"
  | "CLOSE"
  | "SYN_SENT2";

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
  /**
   * The ifindex of the link MASQUERADE bound the source on (`masq_index`): the entry goes when
   * that link goes down or loses the address.
   */
  masqIndex?: number;
  /** Virtual time in ms at which the entry expires. */
  expiresAt: number;
  /** Whether the flow is ASSURED (`[ASSURED]` in `conntrack -L`). */
  isAssured?: boolean;
  /** The TCP state; absent for ICMP and UDP. */
  tcpState?: TcpCtState;
  /** Virtual time in ms at which the entry was created, for UDP's 2 s stream rule. */
  createdAt?: number;
}

/** The TCP flags conntrack reads. */
export interface CtTcpFlags {
  syn?: boolean;
  ack?: boolean;
  fin?: boolean;
  rst?: boolean;
}

/**
 * The packet fields conntrack and NAT read: addresses and the transport header. An ICMP packet
 * may leave out `protocol`.
 */
export type CtPacket =
  | {
      protocol?: "icmp";
      src: number;
      dst: number;
      icmp: { type: number; id: number; quoted?: CtPacket };
    }
  | { protocol: "tcp"; src: number; dst: number; tcp: TcpPorts & { flags: CtTcpFlags } }
  | { protocol: "udp"; src: number; dst: number; udp: TcpPorts };

/** The two ports of a TCP or UDP header. */
interface TcpPorts {
  srcPort: number;
  dstPort: number;
}

/** The direction of a packet in its flow. */
export type CtDir = "orig" | "reply";

/**
 * The lookup result of one packet. `tcpState` is the TCP state the packet moves its entry to,
 * stored by {@link confirm}.
 */
export type CtLookup =
  /**
   * The first packet of a flow (an unconfirmed entry), or a later one in the original
   * direction while no reply was seen, which `resolve_normal_ct` also calls NEW.
   */
  | {
      state: "NEW";
      entry: CtEntry;
      dir: "orig";
      tcpState?: TcpCtState;
      /** A reset before any reply, after which the entry goes away at once. */
      isEarlyReset?: boolean;
    }
  | {
      state: "ESTABLISHED";
      entry: CtEntry;
      dir: CtDir;
      tcpState?: TcpCtState;
      /** A reset before any reply, after which the entry goes away at once. */
      isEarlyReset?: boolean;
    }
  /** An ICMP error about a packet of `entry`; it travels in direction `dir` of that flow. */
  | { state: "RELATED"; entry: CtEntry; dir: CtDir }
  | { state: "INVALID" };

/** nf_conntrack_icmp_timeout's default, in ms. */
export const ICMP_TIMEOUT_MS = 30_000;

/** nf_conntrack_udp_timeout and nf_conntrack_udp_timeout_stream defaults, in ms. */
export const UDP_TIMEOUT_MS = 30_000;
export const UDP_STREAM_TIMEOUT_MS = 120_000;

/** The time after which UDP traffic seen both ways counts as a stream (`stream_ts`), in ms. */
const UDP_STREAM_AFTER_MS = 2_000;

/** The default timeout of each TCP state (`tcp_timeouts`), in ms. */
export const TCP_TIMEOUTS_MS: Readonly<Record<TcpCtState, number>> = {
  SYN_SENT: 120_000,
  SYN_RECV: 60_000,
  ESTABLISHED: 5 * 24 * 3600_000,
  FIN_WAIT: 120_000,
  CLOSE_WAIT: 60_000,
  LAST_ACK: 30_000,
  TIME_WAIT: 120_000,
  CLOSE: 10_000,
  SYN_SENT2: 120_000,
};

const ICMP_ECHO = 8;
const ICMP_ECHO_REPLY = 0;
const ERROR_TYPES = [3, 4, 5, 11, 12];

/**
 * Reports whether connection tracking runs in a namespace with `ruleset`: while a rule in any
 * table has a NAT target or matches on conntrack state. Each such extension takes a reference
 * on conntrack for the namespace (`nf_ct_netns_get`). A nat chain alone does not, and without
 * conntrack its rules never see a packet.
 */
export function isTracking(ruleset: Ruleset | undefined): boolean {
  if (ruleset === undefined) return false;
  return Object.values(ruleset.tables).some((table) =>
    Object.values(table!.chains).some((chain) =>
      chain.rules.some(
        (rule) =>
          NAT_TARGETS.has(rule.spec.target?.kind ?? "") ||
          rule.spec.matches.some((match) => match.kind === "conntrack" || match.kind === "state"),
      ),
    ),
  );
}

const NAT_TARGETS: ReadonlySet<string> = new Set(["SNAT", "DNAT", "MASQUERADE"]);

/**
 * Finds the entry `packet` belongs to in `table` at time `now`, dropping expired entries first.
 * A packet that may start a flow and has no entry gets a new, unconfirmed one (not yet in
 * `table`).
 */
export function track(table: CtEntry[], packet: CtPacket, now: number): CtLookup {
  expire(table, now);
  if (packet.protocol === "tcp") return trackTcp(table, packet, now);
  if (packet.protocol === "udp") {
    const found = findByTuple(table, tupleOf(packet));
    if (found !== undefined) return existing(found.entry, found.dir);
    return { state: "NEW", entry: newEntry(packet, now), dir: "orig" };
  }
  const { type } = packet.icmp;
  if (ERROR_TYPES.includes(type)) return related(table, packet);
  const found = findByTuple(table, tupleOf(packet));
  if (found !== undefined) return existing(found.entry, found.dir);
  if (type !== ICMP_ECHO) return { state: "INVALID" };
  return { state: "NEW", entry: newEntry(packet, now), dir: "orig" };
}

/**
 * Returns the state of a packet of a confirmed entry: NEW in the original direction until a
 * reply was seen (`resolve_normal_ct`), ESTABLISHED otherwise.
 */
function existing(entry: CtEntry, dir: CtDir, tcpState?: TcpCtState): CtLookup {
  const extra = tcpState === undefined ? {} : { tcpState };
  if (dir === "orig" && !entry.isReplied) return { state: "NEW", entry, dir, ...extra };
  return { state: "ESTABLISHED", entry, dir, ...extra };
}

/**
 * Inserts `lookup`'s entry into `table` if it is not there yet (`__nf_conntrack_confirm`),
 * stores the TCP state the packet moved it to, and refreshes its timeout. A reply marks the
 * entry as replied.
 */
export function confirm(table: CtEntry[], lookup: CtLookup, now: number): void {
  if (lookup.state !== "NEW" && lookup.state !== "ESTABLISHED") return;
  const { entry, dir } = lookup;
  // `track` deleted the entry of a reset that came before any reply.
  if (lookup.isEarlyReset === true) return;
  if (!table.includes(entry)) table.push(entry);
  const wasReplied = entry.isReplied;
  if (dir === "reply") entry.isReplied = true;
  if (entry.orig.protocol === "icmp") {
    entry.expiresAt = now + ICMP_TIMEOUT_MS;
    return;
  }
  if (entry.orig.protocol === "udp") {
    const isStream = wasReplied && now > (entry.createdAt ?? 0) + UDP_STREAM_AFTER_MS;
    if (isStream) entry.isAssured = true;
    entry.expiresAt = now + (isStream ? UDP_STREAM_TIMEOUT_MS : UDP_TIMEOUT_MS);
    return;
  }
  const next = lookup.tcpState ?? entry.tcpState ?? "ESTABLISHED";
  const previous = entry.tcpState;
  if (next === "ESTABLISHED" && (previous === "SYN_RECV" || previous === "ESTABLISHED")) {
    entry.isAssured = true;
  }
  entry.tcpState = next;
  entry.expiresAt = now + TCP_TIMEOUTS_MS[next];
}

/** Reports whether `tuple` describes `packet`. */
export function isTupleOf(tuple: CtTuple, packet: CtPacket): boolean {
  return isSameTuple(tuple, tupleOf(packet));
}

/** Returns the tuple of `packet` in its own direction. */
export function tupleOf(packet: CtPacket): CtTuple {
  const base = { src: packet.src, dst: packet.dst, id: 0, type: 0, sport: 0, dport: 0 };
  if (packet.protocol === "tcp") {
    return { ...base, protocol: "tcp", sport: packet.tcp.srcPort, dport: packet.tcp.dstPort };
  }
  if (packet.protocol === "udp") {
    return { ...base, protocol: "udp", sport: packet.udp.srcPort, dport: packet.udp.dstPort };
  }
  return { ...base, protocol: "icmp", id: packet.icmp.id, type: packet.icmp.type };
}

/** Returns the tuple a reply to a packet with `tuple` carries, before any NAT. */
export function invertTuple(tuple: CtTuple): CtTuple {
  const type = tuple.type === ICMP_ECHO ? ICMP_ECHO_REPLY : ICMP_ECHO;
  return {
    protocol: tuple.protocol,
    src: tuple.dst,
    dst: tuple.src,
    id: tuple.id,
    type: tuple.protocol === "icmp" ? type : 0,
    sport: tuple.dport,
    dport: tuple.sport,
  };
}

function newEntry(packet: CtPacket, now: number): CtEntry {
  const orig = tupleOf(packet);
  return {
    orig,
    reply: invertTuple(orig),
    isReplied: false,
    isSnat: false,
    isDnat: false,
    expiresAt: 0,
    createdAt: now,
  };
}

/** The column of `tcp_conntracks` a segment selects (`get_conntrack_index`). */
type TcpIndex = "syn" | "synack" | "fin" | "ack" | "rst" | "none";

function tcpIndex(flags: CtTcpFlags): TcpIndex {
  if (flags.rst === true) return "rst";
  if (flags.syn === true) return flags.ack === true ? "synack" : "syn";
  if (flags.fin === true) return "fin";
  if (flags.ack === true) return "ack";
  return "none";
}

/** Short names of the table below: a state, "IV" (invalid) or "IG" (ignored, state kept). */
type Cell = TcpCtState | "IV" | "IG";

/** The TCP conntrack states in the kernel's order (`enum tcp_conntrack`), "no entry" first. */
export const STATE_ORDER: readonly (TcpCtState | "NONE")[] = [
  "NONE",
  "SYN_SENT",
  "SYN_RECV",
  "ESTABLISHED",
  "FIN_WAIT",
  "CLOSE_WAIT",
  "LAST_ACK",
  "TIME_WAIT",
  "CLOSE",
  "SYN_SENT2",
];

const [SS, SR, ES, FW, CW, LA, TW, CL, S2] = STATE_ORDER.slice(1) as TcpCtState[];

/**
 * `tcp_conntracks` of nf_conntrack_proto_tcp.c: the next state by direction, segment kind and
 * old state, with the old states in {@link STATE_ORDER} (no entry first).
 *
 * NOTE: the recordings confirm the path from SYN_SENT to TIME_WAIT of a normal close and the
 * deletion after an early reset; the other cells are not checked against a kernel yet.
 */
const TCP_TABLE: Readonly<Record<CtDir, Readonly<Record<TcpIndex, readonly Cell[]>>>> = {
  orig: {
    syn: [SS!, SS!, "IG", "IG", "IG", "IG", "IG", SS!, SS!, S2!],
    synack: ["IV", "IV", SR!, "IV", "IV", "IV", "IV", "IV", "IV", SR!],
    fin: ["IV", "IV", FW!, FW!, LA!, LA!, LA!, TW!, CL!, "IV"],
    ack: [ES!, "IV", ES!, ES!, CW!, CW!, TW!, TW!, CL!, "IV"],
    rst: ["IV", CL!, CL!, CL!, CL!, CL!, CL!, CL!, CL!, CL!],
    none: ["IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV"],
  },
  reply: {
    syn: ["IV", S2!, "IV", "IV", "IV", "IV", "IV", SS!, "IV", S2!],
    synack: ["IV", SR!, "IG", "IG", "IG", "IG", "IG", "IG", "IG", SR!],
    fin: ["IV", "IV", FW!, FW!, LA!, LA!, LA!, TW!, CL!, "IV"],
    ack: ["IV", "IG", SR!, ES!, CW!, CW!, TW!, TW!, CL!, "IG"],
    rst: ["IV", CL!, CL!, CL!, CL!, CL!, CL!, CL!, CL!, CL!],
    none: ["IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV"],
  },
};

/** Returns the state a TCP segment of `index` moves an entry in `old` to, in direction `dir`. */
export function nextTcpState(dir: CtDir, index: TcpIndex, old: TcpCtState | undefined): Cell {
  return TCP_TABLE[dir][index][STATE_ORDER.indexOf(old ?? "NONE")]!;
}

function trackTcp(
  table: CtEntry[],
  packet: Extract<CtPacket, { protocol: "tcp" }>,
  now: number,
): CtLookup {
  const index = tcpIndex(packet.tcp.flags);
  const found = findByTuple(table, tupleOf(packet));
  if (found === undefined) {
    const cell = nextTcpState("orig", index, undefined);
    if (cell === "IV" || cell === "IG") return { state: "INVALID" };
    return { state: "NEW", entry: newEntry(packet, now), dir: "orig", tcpState: cell };
  }
  const { entry, dir } = found;
  // NOTE: the kernel kills a TIME_WAIT or CLOSE entry that a new SYN hits and starts a fresh
  // one (so the nat table sees it); the model moves the old entry back to SYN_SENT instead.
  const cell = nextTcpState(dir, index, entry.tcpState);
  if (cell === "IV") return { state: "INVALID" };
  const lookup = existing(entry, dir, cell === "IG" ? entry.tcpState : cell);
  if (lookup.state !== "INVALID" && lookup.state !== "RELATED" && index === "rst") {
    // "If only reply is a RST, we can consider ourselves not to have an established
    // connection" (`nf_conntrack_tcp_packet`): the entry goes at once, whatever the filter
    // table then does with the reset.
    if (!entry.isReplied) {
      lookup.isEarlyReset = true;
      table.splice(table.indexOf(entry), 1);
    }
  }
  return lookup;
}

function isSameTuple(a: CtTuple, b: CtTuple): boolean {
  return (
    a.protocol === b.protocol &&
    a.src === b.src &&
    a.dst === b.dst &&
    a.id === b.id &&
    a.type === b.type &&
    a.sport === b.sport &&
    a.dport === b.dport
  );
}

function findByTuple(table: CtEntry[], tuple: CtTuple): { entry: CtEntry; dir: CtDir } | undefined {
  for (const entry of table) {
    if (isSameTuple(entry.orig, tuple)) return { entry, dir: "orig" };
    if (isSameTuple(entry.reply, tuple)) return { entry, dir: "reply" };
  }
  return undefined;
}

/**
 * An error quoting a packet travels back towards that packet's sender, so `icmp_error_message`
 * looks up the inverted quoted tuple: its direction is the error's.
 */
function related(table: CtEntry[], packet: CtPacket): CtLookup {
  const quoted =
    packet.protocol === undefined || packet.protocol === "icmp" ? packet.icmp.quoted : undefined;
  if (quoted === undefined) return { state: "INVALID" };
  const found = findByTuple(table, invertTuple(tupleOf(quoted)));
  if (found === undefined) return { state: "INVALID" };
  return { state: "RELATED", ...found };
}

function expire(table: CtEntry[], now: number): void {
  for (let index = table.length - 1; index >= 0; index--) {
    if (table[index]!.expiresAt <= now) table.splice(index, 1);
  }
}

/**
 * Reports whether `tuple` is already in use as a reply tuple: some entry has it as its reply
 * or its original tuple, because conntrack's hash holds both directions of every entry.
 */
export function isReplyTaken(table: CtEntry[], tuple: CtTuple): boolean {
  return table.some((entry) => isSameTuple(entry.reply, tuple) || isSameTuple(entry.orig, tuple));
}
