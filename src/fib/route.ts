/**
 * IPv4 routes and the order the kernel keeps them in.
 *
 * Source of truth: net/ipv4/fib_trie.c (`fib_table_insert`, `fib_table_delete`,
 * `fib_insert_alias`) and include/uapi/linux/rtnetlink.h for the numbers of types, scopes,
 * protocols and tables. Within one table the kernel keys routes by destination; routes that
 * share an address are ordered longer prefix first, then by TOS (higher first), then by metric
 * (lower first); equal keys keep insertion order, which `prepend` and `append` steer.
 */

/** Route types (`rtm_type`). */
export type RouteType =
  | "unicast"
  | "local"
  | "broadcast"
  | "anycast"
  | "multicast"
  | "blackhole"
  | "unreachable"
  | "prohibit"
  | "throw"
  | "nat";

/** The reserved table ids. */
export const TABLE_LOCAL = 255;
export const TABLE_MAIN = 254;
export const TABLE_DEFAULT = 253;

/** Route scopes (`rtm_scope`): lower is wider. */
export const SCOPE_UNIVERSE = 0;
export const SCOPE_LINK = 253;
export const SCOPE_HOST = 254;
export const SCOPE_NOWHERE = 255;

/** The scope number of each address scope name: a higher number is a narrower scope. */
export const ADDR_SCOPE = { global: SCOPE_UNIVERSE, link: SCOPE_LINK, host: SCOPE_HOST } as const;

/** Route protocols (`rtm_protocol`). */
export const PROTO_KERNEL = 2;
export const PROTO_BOOT = 3;
export const PROTO_STATIC = 4;

/** One IPv4 route in one table. */
export interface Route {
  table: number;
  type: RouteType;
  dst: number;
  bits: number;
  tos: number;
  metric: number;
  protocol: number;
  scope: number;
  prefsrc?: number;
  gateway?: number;
  /** The nexthop's link; absent for blackhole, unreachable, prohibit and throw. */
  dev?: number;
  isOnlink?: boolean;
  /**
   * The scope of the nexthop as the kernel validated it: link when the gateway is on-link,
   * host when the "gateway" is a local address (then the kernel ignores it), unset without one.
   */
  nexthopScope?: number;
}

/** Returns the errno a lookup that lands on a route of this type fails with, if any. */
export function typeErrno(
  type: RouteType,
): "EINVAL" | "EHOSTUNREACH" | "EACCES" | "EAGAIN" | undefined {
  switch (type) {
    case "blackhole":
      return "EINVAL";
    case "unreachable":
      return "EHOSTUNREACH";
    case "prohibit":
      return "EACCES";
    case "throw":
      return "EAGAIN";
    default:
      return undefined;
  }
}

/**
 * Compares two routes of one table in dump order: address, then longer prefix, higher TOS and
 * lower metric first. Returns 0 for routes under the same key.
 */
export function compareRoutes(a: Route, b: Route): number {
  if (a.table !== b.table) return b.table - a.table;
  if (a.dst !== b.dst) return a.dst - b.dst;
  if (a.bits !== b.bits) return b.bits - a.bits;
  if (a.tos !== b.tos) return b.tos - a.tos;
  return a.metric - b.metric;
}

/** Returns the name iproute2 prints for a table id (rt_tables). */
export function tableName(table: number): string {
  if (table === TABLE_LOCAL) return "local";
  if (table === TABLE_MAIN) return "main";
  if (table === TABLE_DEFAULT) return "default";
  return String(table);
}
