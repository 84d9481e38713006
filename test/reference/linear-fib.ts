/**
 * A slow, obviously correct model of IPv4 route selection, used as the reference in property
 * tests of `src/fib/lookup.ts`.
 *
 * It states the kernel's rules directly instead of grouping and sorting: try every prefix
 * length from 32 down to 0; at each length scan the table's routes in order and take the first
 * that covers the destination, has TOS 0 or the flow's TOS masked to its legacy bits (0x1c), and
 * is either typed (its errno ends the lookup) or has a usable nexthop. Before any rule was added, "main" means the local routes
 * followed by the main routes, then the default table; afterwards the rules are walked in order.
 */
import type { Errno } from "../../src/errors.js";
import type { Route } from "../../src/fib/route.js";
import type { FibRule } from "../../src/fib/rules.js";

/** The reference's answer: the chosen route and the table searched, or an errno. */
export type ReferenceResult =
  { ok: true; route: Route; table: number } | { ok: false; errno: Errno };

/** What the reference needs to know about a namespace. */
export interface ReferenceFib {
  tables: Record<number, readonly Route[]>;
  rules: FibRule[];
  hasCustomRules: boolean;
  /** Reports whether the nexthop of an untyped route can be used. */
  isUsable: (route: Route) => boolean;
}

const TYPE_ERRNO: Partial<Record<Route["type"], Errno>> = {
  blackhole: "EINVAL",
  unreachable: "EHOSTUNREACH",
  prohibit: "EACCES",
  throw: "EAGAIN",
};

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Looks `dst` up in one list of routes; EAGAIN means the list had nothing to say. */
export function referenceLookupRoutes(
  fib: ReferenceFib,
  routes: readonly Route[],
  dst: number,
  tos = 0,
): ReferenceResult | { ok: false; errno: "EAGAIN" } {
  for (let bits = 32; bits >= 0; bits--) {
    for (const route of routes) {
      if (route.bits !== bits || (dst & mask(bits)) >>> 0 !== route.dst) continue;
      if (route.tos !== 0 && route.tos !== (tos & 0x1c)) continue;
      const errno = TYPE_ERRNO[route.type];
      if (errno !== undefined) return { ok: false, errno };
      if (fib.isUsable(route)) return { ok: true, route, table: route.table };
    }
  }
  return { ok: false, errno: "EAGAIN" };
}

function lookupTable(fib: ReferenceFib, table: number, dst: number): ReferenceResult {
  let routes = fib.tables[table];
  if (!fib.hasCustomRules && (table === 254 || table === 255)) {
    routes = [...(fib.tables[255] ?? []), ...(fib.tables[254] ?? [])];
  }
  if (routes === undefined) return { ok: false, errno: "EAGAIN" };
  const result = referenceLookupRoutes(fib, routes, dst);
  return result.ok ? { ...result, table } : result;
}

/** Looks `dst` up as `fib_lookup` does for a locally generated flow without mark or source. */
export function referenceFibLookup(fib: ReferenceFib, dst: number): ReferenceResult {
  if (!fib.hasCustomRules) {
    const main = lookupTable(fib, 254, dst);
    const result = main.ok || main.errno !== "EAGAIN" ? main : lookupTable(fib, 253, dst);
    return !result.ok && result.errno === "EAGAIN" ? { ok: false, errno: "ENETUNREACH" } : result;
  }
  for (const rule of fib.rules) {
    if (rule.dstBits > 0 && (dst & mask(rule.dstBits)) >>> 0 !== rule.dst) continue;
    if (rule.action === "unreachable") return { ok: false, errno: "ENETUNREACH" };
    if (rule.action === "prohibit") return { ok: false, errno: "EACCES" };
    if (rule.action === "blackhole") return { ok: false, errno: "EINVAL" };
    const result = lookupTable(fib, rule.table, dst);
    if (result.ok || result.errno !== "EAGAIN") return result;
  }
  return { ok: false, errno: "ENETUNREACH" };
}
