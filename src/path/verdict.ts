/**
 * Hops and verdicts: the trace every simulated packet leaves behind.
 *
 * Drop reasons are named after the kernel's `enum skb_drop_reason`
 * (include/net/dropreason-core.h), so a user can match them with what `perf trace` or
 * `dropwatch` shows on a real host.
 */

/**
 * The drop reasons the model uses, as the kernel's `SKB_DROP_REASON_*` names them. `NOT_SPECIFIED` is the
 * kernel's own name for a plain `kfree_skb`, such as a packet looped back through lo that has
 * nowhere to go.
 */
export const DROP_REASONS = [
  "NOT_SPECIFIED",
  "IP_OUTNOROUTES",
  "IP_INNOROUTES",
  "IP_INADDRERRORS",
  "IP_RPFILTER",
  "IP_INHDR",
  "IP_INVALID_SOURCE",
  "IP_LOCAL_SOURCE",
  "IP_INVALID_DEST",
  "NEIGH_FAILED",
  "NEIGH_QUEUEFULL",
  "NEIGH_DEAD",
  "OTHERHOST",
  "QDISC_DROP",
  "NO_CARRIER",
  "BRIDGE_INGRESS_STP_STATE",
  "BRIDGE_NO_EGRESS_PORT",
  "INVALID_PROTO",
  "NO_SOCKET",
  "PKT_TOO_BIG",
  "NETFILTER_DROP",
] as const;

/** Why the kernel dropped a packet: one of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/** One step of a packet's journey. */
export interface Hop {
  /** Virtual time in ms. */
  time: number;
  /** The namespace, as the user names it ("host" for the initial one). */
  ns: string;
  /** The link the step happened on, if any. */
  link?: string;
  /** A short name of the kernel step: `route`, `neigh`, `xmit`, `bridge`, `rcv`, `forward`, ... */
  step: string;
  /** What happened, in words. */
  detail: string;
}

/** How a packet's journey ended. */
export interface Verdict {
  kind: "delivered" | "dropped" | "queued";
  reason?: DropReason;
  ns: string;
  link?: string;
  /** One sentence a learner understands. */
  message: string;
  /**
   * The error that the send call of a local sender returns when the drop happens inside that
   * call: ENOBUFS when a veth drops a frame too long for its other end.
   */
  errno?: "ENOBUFS";
}

/** The journey of one packet. */
export interface PacketTrace {
  /**
   * The ping sequence number this packet belongs to: an echo request's own, and for the ARP
   * requests, replies and ICMP errors it causes, the request's. Absent for other packets.
   */
  seq?: number;
  /** A one-line description such as `ICMP echo request 172.18.0.2 > 172.18.0.3 seq 1`. */
  packet: string;
  hops: Hop[];
  verdict?: Verdict;
}

/** The probe-level record of a tool run: every packet the probe caused. */
export interface ProbeTrace {
  command: string;
  packets: PacketTrace[];
}
