/**
 * Explanations for probes that never left: what the learner can change so that the kernel finds
 * a route. The suggestions look only at the namespace's own links and at the addresses on the
 * same layer 2 segment, so they name gateways that exist, and they say when a candidate would
 * not forward.
 */
import { containsIp4, formatIp4, isLoopback, networkOf } from "../addr/ip4.js";
import type { Errno } from "../errors.js";
import type { NoOutputRoute } from "./output-route.js";
import { fibLookup } from "../fib/lookup.js";
import { tableName } from "../fib/route.js";
import type { PlacedLink } from "../link/segment.js";
import { segmentOf } from "../link/segment.js";
import type { IfAddr, Netns, NetState } from "../netns/state.js";

/** A possible gateway: an address on the sender's segment, in the sender's subnet. */
interface Candidate {
  end: PlacedLink;
  addr: IfAddr;
  /** Whether the candidate would deliver or forward a packet for the destination. */
  isUseful: boolean;
}

function ownerName(ns: Netns): string {
  return ns.name ?? "the host";
}

function describeEnd(end: PlacedLink): string {
  const owner = ownerName(end.ns);
  return end.link.kind === "bridge"
    ? `the bridge ${end.link.name} on ${owner}`
    : `${owner} (${end.link.name})`;
}

function candidatesFor(state: NetState, ns: Netns, own: IfAddr, dst: number): Candidate[] {
  const link = ns.links[own.ifindex]!;
  const subnet = networkOf(own.local, own.bits);
  const candidates: Candidate[] = [];
  for (const end of segmentOf(state, ns, link)) {
    for (const addr of end.ns.addrs) {
      if (addr.ifindex !== end.link.ifindex || !containsIp4(subnet, own.bits, addr.local)) continue;
      const lookup = fibLookup(state, end.ns, { dst });
      const isLocal = lookup.ok && lookup.route.type === "local";
      candidates.push({ end, addr, isUseful: isLocal || end.link.conf.forwarding > 0 });
    }
  }
  return candidates;
}

/**
 * Explains a /32 address where a neighbour on the same segment has a wider subnet that contains
 * both that address and `dst`. `ip addr add` makes a /32 of an address written without a
 * length, and a /32 brings no route to the neighbours. Returns undefined otherwise.
 */
export function narrowAddressHint(state: NetState, ns: Netns, dst: number): string | undefined {
  for (const addr of ns.addrs.filter((candidate) => candidate.bits === 32)) {
    const link = ns.links[addr.ifindex]!;
    if (link.kind === "loopback") continue;
    for (const end of segmentOf(state, ns, link)) {
      const wide = end.ns.addrs.find(
        (other) =>
          other.ifindex === end.link.ifindex &&
          other.bits < 32 &&
          containsIp4(networkOf(other.local, other.bits), other.bits, addr.local) &&
          containsIp4(networkOf(other.local, other.bits), other.bits, dst),
      );
      if (wide === undefined) continue;
      const local = formatIp4(addr.local);
      return `its address ${local}/32 on ${link.name} covers no neighbour (an address written without a length is a /32), while ${describeEnd(end)} has ${formatIp4(wide.local)}/${wide.bits}: "ip addr add ${local}/${wide.bits} dev ${link.name}" gives it a route to that subnet`;
    }
  }
  return undefined;
}

/** Returns the first free host address of a subnet on a segment, as a suggestion. */
export function freeAddress(state: NetState, ns: Netns, own: IfAddr): string {
  const subnet = networkOf(own.local, own.bits);
  const used = new Set<number>();
  for (const space of Object.values(state.namespaces))
    for (const addr of space.addrs) used.add(addr.local);
  for (let host = 1; host < 255; host++) {
    const candidate = (subnet + host) >>> 0;
    if (!used.has(candidate)) return `${formatIp4(candidate)}/${own.bits}`;
  }
  return `${formatIp4(subnet + 1)}/${own.bits}`;
}

/**
 * Returns a sentence explaining why `ns` has no route to `dst` and what would give it one.
 * `consequence` is the clause that ends it.
 */
export function explainNoRoute(
  state: NetState,
  ns: Netns,
  dst: number,
  consequence = "nothing is sent",
): string {
  const base = `${ownerName(ns)} has no route to ${formatIp4(dst)}, so ${consequence}`;
  // 127.0.0.0/8 has only lo's local route, which comes with lo's address when lo comes up.
  const lo = Object.values(ns.links).find((link) => link.kind === "loopback");
  if (isLoopback(dst) && lo !== undefined && !lo.isAdminUp) {
    return `${base}; 127.0.0.0/8 is routed through lo, which is down ("ip link set lo up" fixes it)`;
  }
  const own = ns.addrs.filter((addr) => ns.links[addr.ifindex]?.kind !== "loopback");
  if (own.length === 0) return `${base}; it has no address outside lo`;
  for (const addr of own) {
    const useful = candidatesFor(state, ns, addr, dst).find((candidate) => candidate.isUseful);
    if (useful !== undefined) {
      return `${base}; a default route via ${formatIp4(useful.addr.local)} would send it to ${describeEnd(useful.end)}`;
    }
  }
  for (const addr of own) {
    const link = ns.links[addr.ifindex]!;
    const bare = segmentOf(state, ns, link).find(
      (end) =>
        end.link.kind === "bridge" && !end.ns.addrs.some((a) => a.ifindex === end.link.ifindex),
    );
    if (bare !== undefined) {
      const suggestion = freeAddress(state, ns, addr);
      return `${base}; ${describeEnd(bare)} has no address, so there is no gateway yet: "ip addr add ${suggestion} dev ${bare.link.name}" on ${ownerName(bare.ns)}, then a default route via ${suggestion.split("/")[0]}`;
    }
  }
  const narrow = narrowAddressHint(state, ns, dst);
  if (narrow !== undefined) return `${base}; ${narrow}`;
  const idle = own.flatMap((addr) => candidatesFor(state, ns, addr, dst))[0];
  if (idle !== undefined) {
    return `${base}; ${describeEnd(idle.end)} (${formatIp4(idle.addr.local)}) shares the subnet but does not forward, so a route via it would not help until it does`;
  }
  return `${base}; nothing on its links shares a subnet with it that could act as a gateway`;
}

/**
 * Returns why a route lookup rejects `src` as a source of `ns`. Either it is a loopback address
 * and the route leaves by another link, or it is not one of the addresses of `ns` and its local
 * table does not find it local. An AnyIP prefix in main fails this once `ip rule` has split the
 * local and main tables, although packets to it are delivered.
 */
export function badSourceText(ns: Netns, src: number): string {
  if (isLoopback(src)) {
    return `${ownerName(ns)} cannot send from the loopback address ${formatIp4(src)} by a link other than lo`;
  }
  return `${ownerName(ns)} cannot send from ${formatIp4(src)}, which is neither one of its addresses nor local in its local table`;
}

/** A failed output route lookup: its errno, and the rule and table that decided, if known. */
export type RouteFailure = Pick<NoOutputRoute, "errno" | "rule" | "table" | "badSource">;

/** The route type behind each errno of a failed lookup (`fib_props`). */
const FAILED_TYPES: Partial<Record<Errno, string>> = {
  EHOSTUNREACH: "unreachable",
  EINVAL: "blackhole",
  EACCES: "prohibit",
};

/**
 * Returns a sentence saying why `ns` sends nothing to `dst` after `failure`, ending with
 * `consequence` (such as "nothing is sent"). A typed route names its table and rule once the
 * namespace has rules; a rule whose own action is unreachable, blackhole or prohibit is named
 * as the rule. A missing route gets the hints of `explainNoRoute`.
 */
export function explainUnsent(
  state: NetState,
  ns: Netns,
  dst: number,
  failure: Errno | RouteFailure,
  consequence = "nothing is sent",
): string {
  const { errno, rule, table } = typeof failure === "string" ? { errno: failure } : failure;
  if (typeof failure !== "string" && failure.badSource !== undefined) {
    return `${badSourceText(ns, failure.badSource)}, so ${consequence}`;
  }
  const type = FAILED_TYPES[errno];
  if (type === undefined) {
    return explainNoRoute(state, ns, dst, consequence);
  }
  const owner = ownerName(ns);
  const to = formatIp4(dst);
  if (rule !== undefined && table === undefined) {
    return `rule ${rule} of ${owner} has the action ${type} for ${to}, so ${consequence}`;
  }
  const decision = rule === undefined ? "" : ` (rule ${rule}, table ${tableName(table!)})`;
  return `${owner} routes ${to} to ${type === "unreachable" ? "an" : "a"} ${type} route${decision}, so ${consequence}`;
}
