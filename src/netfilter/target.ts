/**
 * The `-j`/`-g` targets the model knows.
 *
 * Source of truth: iptables(8) for ACCEPT, DROP, RETURN and jumps; iptables-extensions(8) of
 * iptables 1.8.9 for REJECT, LOG, MASQUERADE, SNAT and DNAT. REJECT's default type is
 * icmp-port-unreachable, and `-S` always prints it (extensions/libipt_REJECT.c).
 */

/** The ICMP errors and TCP reset REJECT can send, as `--reject-with` names them. */
export const REJECT_TYPES = [
  "icmp-net-unreachable",
  "icmp-host-unreachable",
  "icmp-port-unreachable",
  "icmp-proto-unreachable",
  "icmp-net-prohibited",
  "icmp-host-prohibited",
  "tcp-reset",
  "icmp-admin-prohibited",
] as const;

/** A `--reject-with` type. */
export type RejectWith = (typeof REJECT_TYPES)[number];

/** Short spellings iptables accepts for the reject types. */
export const REJECT_ALIASES: Readonly<Record<string, RejectWith>> = {
  "net-unreach": "icmp-net-unreachable",
  "icmp-net-unreach": "icmp-net-unreachable",
  "host-unreach": "icmp-host-unreachable",
  "icmp-host-unreach": "icmp-host-unreachable",
  "port-unreach": "icmp-port-unreachable",
  "icmp-port-unreach": "icmp-port-unreachable",
  "proto-unreach": "icmp-proto-unreachable",
  "icmp-proto-unreach": "icmp-proto-unreachable",
  "net-prohib": "icmp-net-prohibited",
  "host-prohib": "icmp-host-prohibited",
  "tcp-rst": "tcp-reset",
  "admin-prohib": "icmp-admin-prohibited",
};

/** LOG's `--log-*` flag bits, in the order `-S` prints them (include/uapi/linux/netfilter/xt_LOG.h). */
export const LOG_FLAGS = [
  ["--log-tcp-sequence", 0x01],
  ["--log-tcp-options", 0x02],
  ["--log-ip-options", 0x04],
  ["--log-uid", 0x08],
  ["--log-macdecode", 0x20],
] as const;

/** Syslog level names LOG accepts, with their numbers. */
export const LOG_LEVELS: Readonly<Record<string, number>> = {
  emerg: 0,
  panic: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

/** The level LOG uses when none is given. */
export const LOG_DEFAULT_LEVEL = 4;

/** The address and port range a SNAT or DNAT rewrites to; absent fields stay unchanged. */
export interface NatRange {
  minAddr?: number;
  maxAddr?: number;
  minPort?: number;
  maxPort?: number;
}

/** A rule's target. */
export type Target =
  | { kind: "ACCEPT" }
  | { kind: "DROP" }
  | { kind: "RETURN" }
  /** `-j CHAIN`, or `-g CHAIN` when `isGoto`. */
  | { kind: "jump"; chain: string; isGoto: boolean }
  | { kind: "REJECT"; with: RejectWith }
  | { kind: "LOG"; prefix?: string; level: number; flags: number }
  | {
      kind: "MASQUERADE";
      minPort?: number;
      maxPort?: number;
      isRandom: boolean;
      isRandomFully: boolean;
    }
  | {
      kind: "SNAT" | "DNAT";
      range: NatRange;
      isRandom: boolean;
      isRandomFully: boolean;
      isPersistent: boolean;
    };

/** Returns the name the target column of `iptables -L` shows. */
export function targetName(target: Target | undefined): string {
  if (target === undefined) return "";
  return target.kind === "jump" ? target.chain : target.kind;
}
