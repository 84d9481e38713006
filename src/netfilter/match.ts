/**
 * The `-m` matches the model knows, and the name tables they print with.
 *
 * Source of truth: iptables-extensions(8) of iptables 1.8.9 (tcp, udp, icmp, multiport,
 * conntrack, state, physdev, addrtype), the kernel's `IP_CT_*`/`IPS_*` bits behind conntrack
 * states (include/uapi/linux/netfilter/nf_conntrack_common.h), the route types behind addrtype
 * (include/uapi/linux/rtnetlink.h, `RTN_*`), ICMP types and codes of RFC 792 with the names
 * iptables accepts, and Debian 12's /etc/protocols for protocol names.
 */
import type { IfaceMatch } from "./ruleset.js";

/** An inclusive port range, optionally inverted; `min` may exceed `max` (it then never matches). */
export interface PortMatch {
  min: number;
  max: number;
  isInverted: boolean;
}

/** `-m tcp` or `-m udp`: source and destination port ranges; absent means any port. */
export interface PortsMatch {
  kind: "tcp" | "udp";
  sport?: PortMatch;
  dport?: PortMatch;
  /** `--tcp-flags MASK COMP` (or `--syn`): the flags in `mask` must equal `comp`. TCP only. */
  tcpFlags?: TcpFlagsMatch;
}

/** A `--tcp-flags` test on the flag bits of the TCP header (FIN 0x01 up to URG 0x20). */
export interface TcpFlagsMatch {
  mask: number;
  comp: number;
  isInverted: boolean;
}

/** The TCP flag names iptables reads and prints, in its order (libxt_tcp `tcp_flag_names`). */
export const TCP_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ["FIN", 0x01],
  ["SYN", 0x02],
  ["RST", 0x04],
  ["PSH", 0x08],
  ["ACK", 0x10],
  ["URG", 0x20],
  ["ALL", 0x3f],
  ["NONE", 0],
];

/**
 * Returns `flags` as libxt_tcp's `print_tcpf` names them: the first name that covers each
 * remaining bit, in {@link TCP_FLAG_NAMES} order, comma-separated, or NONE.
 */
export function tcpFlagsText(flags: number): string {
  const names: string[] = [];
  let rest = flags;
  while (rest !== 0) {
    const [name, bit] = TCP_FLAG_NAMES.find(([, candidate]) => (rest & candidate) !== 0)!;
    names.push(name);
    rest &= ~bit;
  }
  return names.length === 0 ? "NONE" : names.join(",");
}

/** `-m icmp --icmp-type`: type 255 with codes 0-255 is `any`. */
export interface IcmpMatch {
  kind: "icmp";
  type: number;
  codeMin: number;
  codeMax: number;
  isInverted: boolean;
}

/** `-m multiport`: up to 15 ports or ranges (a range takes two slots) in one direction. */
export interface MultiportMatch {
  kind: "multiport";
  direction: "sports" | "dports" | "ports";
  ports: { min: number; max: number }[];
  isInverted: boolean;
}

/** The conntrack states in the order iptables prints them. */
export const CT_STATES = [
  "INVALID",
  "NEW",
  "RELATED",
  "ESTABLISHED",
  "UNTRACKED",
  "SNAT",
  "DNAT",
] as const;

/** A conntrack state or status as `--ctstate` names it; SNAT and DNAT are status bits. */
export type CtState = (typeof CT_STATES)[number];

/** `-m conntrack --ctstate` or `-m state --state` (which takes no SNAT or DNAT). */
export interface StateMatch {
  kind: "conntrack" | "state";
  states: CtState[];
  isInverted: boolean;
}

/** A `--physdev-is-*` test, present when the rule uses it. */
export interface FlagTest {
  isInverted: boolean;
}

/** `-m physdev`: the bridge ports a bridged packet came in on and goes out of. */
export interface PhysdevMatch {
  kind: "physdev";
  isIn?: FlagTest;
  in?: IfaceMatch;
  isOut?: FlagTest;
  out?: IfaceMatch;
  isBridged?: FlagTest;
}

/** Route types as addrtype names them, in the order iptables prints them. */
export const ADDR_TYPES = [
  "UNSPEC",
  "UNICAST",
  "LOCAL",
  "BROADCAST",
  "ANYCAST",
  "MULTICAST",
  "BLACKHOLE",
  "UNREACHABLE",
  "PROHIBIT",
  "THROW",
  "NAT",
  "XRESOLVE",
] as const;

/** The route type of an address, as the kernel's address-type lookup returns it. */
export type AddrType = (typeof ADDR_TYPES)[number];

/** One side of an addrtype match. */
export interface AddrTypeTest {
  types: AddrType[];
  isInverted: boolean;
}

/** `-m addrtype --src-type/--dst-type`. */
export interface AddrTypeMatch {
  kind: "addrtype";
  src?: AddrTypeTest;
  dst?: AddrTypeTest;
}

/** `-m comment --comment`: matches every packet. */
export interface CommentMatch {
  kind: "comment";
  text: string;
}

/** Every match the model knows. */
export type Match =
  | PortsMatch
  | IcmpMatch
  | MultiportMatch
  | StateMatch
  | PhysdevMatch
  | AddrTypeMatch
  | CommentMatch;

/** ICMP type 255 with every code: what `--icmp-type any` stores. */
export const ICMP_ANY = 255;

/** The ICMP names iptables accepts: type, and code range when the name fixes the code. */
export const ICMP_NAMES: Readonly<Record<string, readonly [number, number, number]>> = {
  any: [255, 0, 255],
  "echo-reply": [0, 0, 255],
  pong: [0, 0, 255],
  "destination-unreachable": [3, 0, 255],
  "network-unreachable": [3, 0, 0],
  "host-unreachable": [3, 1, 1],
  "protocol-unreachable": [3, 2, 2],
  "port-unreachable": [3, 3, 3],
  "fragmentation-needed": [3, 4, 4],
  "source-route-failed": [3, 5, 5],
  "network-unknown": [3, 6, 6],
  "host-unknown": [3, 7, 7],
  "network-prohibited": [3, 9, 9],
  "host-prohibited": [3, 10, 10],
  "TOS-network-unreachable": [3, 11, 11],
  "TOS-host-unreachable": [3, 12, 12],
  "communication-prohibited": [3, 13, 13],
  "host-precedence-violation": [3, 14, 14],
  "precedence-cutoff": [3, 15, 15],
  "source-quench": [4, 0, 255],
  redirect: [5, 0, 255],
  "network-redirect": [5, 0, 0],
  "host-redirect": [5, 1, 1],
  "TOS-network-redirect": [5, 2, 2],
  "TOS-host-redirect": [5, 3, 3],
  "echo-request": [8, 0, 255],
  ping: [8, 0, 255],
  "router-advertisement": [9, 0, 255],
  "router-solicitation": [10, 0, 255],
  "time-exceeded": [11, 0, 255],
  "ttl-exceeded": [11, 0, 255],
  "ttl-zero-during-transit": [11, 0, 0],
  "ttl-zero-during-reassembly": [11, 1, 1],
  "parameter-problem": [12, 0, 255],
  "ip-header-bad": [12, 0, 0],
  "required-option-missing": [12, 1, 1],
  "timestamp-request": [13, 0, 255],
  "timestamp-reply": [14, 0, 255],
  "address-mask-request": [17, 0, 255],
  "address-mask-reply": [18, 0, 255],
};

/** Protocol numbers by name, from Debian 12's /etc/protocols (first name per number wins). */
export const PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ggp: 3,
  ipencap: 4,
  st: 5,
  tcp: 6,
  egp: 8,
  igp: 9,
  pup: 12,
  udp: 17,
  hmp: 20,
  "xns-idp": 22,
  rdp: 27,
  "iso-tp4": 29,
  dccp: 33,
  xtp: 36,
  ddp: 37,
  "idpr-cmtp": 38,
  ipv6: 41,
  "ipv6-route": 43,
  "ipv6-frag": 44,
  idrp: 45,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  skip: 57,
  "ipv6-icmp": 58,
  "ipv6-nonxt": 59,
  "ipv6-opts": 60,
  rspf: 73,
  vmtp: 81,
  eigrp: 88,
  ospf: 89,
  "ax.25": 93,
  ipip: 94,
  etherip: 97,
  encap: 98,
  pim: 103,
  ipcomp: 108,
  vrrp: 112,
  l2tp: 115,
  isis: 124,
  sctp: 132,
  fc: 133,
  "mobility-header": 135,
  udplite: 136,
  "mpls-in-ip": 137,
  manet: 138,
  hip: 139,
  shim6: 140,
  wesp: 141,
  rohc: 142,
  ethernet: 143,
};

/** Returns the name `iptables -S` prints for protocol `number`, or the number when it has none. */
export function protocolName(number: number): string {
  const entry = Object.entries(PROTOCOLS).find(([, value]) => value === number);
  return entry === undefined ? String(number) : entry[0];
}
