/**
 * Candidate fixes for a dropped probe: small edits, each a list of ordinary commands, read off
 * the network itself (its namespaces, links, addresses and segments) and the drops in the
 * probe's trace. A candidate is only a guess; `suggestFixes` keeps those that re-simulate to a
 * reachable probe.
 */
import { containsIp4, formatIp4, networkOf, parseIp4Strict } from "../addr/ip4.js";
import { portsOf } from "../link/carrier.js";
import { segmentOf } from "../link/segment.js";
import { tableRoutes } from "../fib/route-table.js";
import type { IfAddr, Link, Netns, NetState } from "../netns/state.js";
import { macvlansOf, resolveRef } from "../netns/state.js";
import { freeAddress } from "../path/explain.js";
import { nsLabel } from "../path/sim.js";
import type { Verdict } from "../path/verdict.js";
import type { Network } from "./network.js";
import type { Trace } from "./probe.js";

/** The kinds of edit the search tries, in the order it prefers them among equally short fixes. */
export type FixKind =
  | "default-route"
  | "ip-forward"
  | "masquerade"
  | "forward-accept"
  | "rp-filter"
  | "link-up"
  | "bridge-address"
  | "macvlan-shim"
  | "address-length";

/** One candidate edit: commands to append to the network's script, and what they change. */
export interface FixCandidate {
  kind: FixKind;
  /** The commands, as a root shell on the initial namespace runs them. */
  commands: string[];
}

const MAIN_TABLE = 254;

/** RFC 1918 private ranges, as [network, bits]; replies to these need NAT to cross the internet. */
const PRIVATE_RANGES: readonly [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
];

/** Returns `command` as run inside namespace `ns`: `ip netns exec NS` unless it is the host. */
function inNs(ns: Netns, command: string): string {
  return ns.name === undefined ? command : `ip netns exec ${ns.name} ${command}`;
}

function isPrivate(addr: IfAddr): boolean {
  return PRIVATE_RANGES.some(
    ([net, bits]) => addr.bits >= bits && containsIp4(net, bits, addr.local),
  );
}

function hasDefaultRoute(ns: Netns): boolean {
  return tableRoutes(ns.tables[MAIN_TABLE]).some((route) => route.bits === 0);
}

function ownAddrs(ns: Netns): IfAddr[] {
  return ns.addrs.filter((addr) => ns.links[addr.ifindex]?.kind !== "loopback");
}

/** Returns the visible namespace a trace names, if any; hidden ones cannot be edited. */
function byLabel(state: NetState, label: string): Netns | undefined {
  const ns = Object.values(state.namespaces).find((space) => nsLabel(space) === label);
  return ns === undefined || ns.isHidden ? undefined : ns;
}

/** Returns the namespaces the probe's packets passed through, the sender first. */
function pathNamespaces(state: NetState, trace: Trace): Netns[] {
  const labels = new Set([trace.from]);
  for (const packet of trace.packets) for (const hop of packet.hops) labels.add(hop.ns);
  return [...labels].flatMap((label) => byLabel(state, label) ?? []);
}

/** Returns every drop verdict of the probe's packets, the echo request's first. */
function drops(trace: Trace): Verdict[] {
  return trace.packets.flatMap((packet) =>
    packet.verdict?.kind === "dropped" ? [packet.verdict] : [],
  );
}

/** Default routes via an address on the same segment and subnet, for namespaces without one. */
function defaultRoutes(state: NetState, path: readonly Netns[]): FixCandidate[] {
  const found: FixCandidate[] = [];
  for (const ns of path.filter((space) => !hasDefaultRoute(space))) {
    for (const own of ownAddrs(ns)) {
      const link = ns.links[own.ifindex]!;
      const subnet = networkOf(own.local, own.bits);
      for (const end of segmentOf(state, ns, link)) {
        for (const addr of end.ns.addrs) {
          if (addr.ifindex !== end.link.ifindex || addr.local === own.local) continue;
          if (!containsIp4(subnet, own.bits, addr.local)) continue;
          const command = `ip route add default via ${formatIp4(addr.local)}`;
          found.push({ kind: "default-route", commands: [inNs(ns, command)] });
        }
      }
    }
  }
  return found;
}

/** `ip_forward=1` where a packet for another host was dropped because forwarding is off. */
function forwarding(state: NetState, dropped: readonly Verdict[]): FixCandidate[] {
  return dropped.flatMap((verdict) => {
    const ns = byLabel(state, verdict.ns);
    const isOff = ns !== undefined && (ns.sysctl["net.ipv4.ip_forward"] ?? 0) === 0;
    if (!isOff || verdict.reason !== "IP_INADDRERRORS") return [];
    return [{ kind: "ip-forward", commands: [inNs(ns, "sysctl -w net.ipv4.ip_forward=1")] }];
  });
}

/**
 * MASQUERADE in each namespace on the path, apart from the sender, that has an address on a
 * private subnet holding the sender's address. Such a namespace is the subnet's gateway, and
 * the rest of the network may have no route back to the subnet. The candidate is offered even
 * while forwarding is still off, so that a pair with `ip-forward` can be found.
 */
function masquerades(path: readonly Netns[], sender: Netns): FixCandidate[] {
  const sources = ownAddrs(sender).map((addr) => addr.local);
  const found: FixCandidate[] = [];
  for (const ns of path.filter((space) => space !== sender)) {
    for (const addr of ownAddrs(ns).filter(isPrivate)) {
      const subnet = networkOf(addr.local, addr.bits);
      if (!sources.some((src) => containsIp4(subnet, addr.bits, src))) continue;
      const link = ns.links[addr.ifindex]!.name;
      const command = `iptables -t nat -A POSTROUTING -s ${formatIp4(subnet)}/${addr.bits} ! -o ${link} -j MASQUERADE`;
      found.push({ kind: "masquerade", commands: [inNs(ns, command)] });
    }
  }
  return found;
}

/** An ACCEPT pair at the top of FORWARD where the filter table's FORWARD chain dropped. */
function forwardAccepts(state: NetState, dropped: readonly Verdict[]): FixCandidate[] {
  return dropped.flatMap((verdict) => {
    const ns = byLabel(state, verdict.ns);
    // The verdict names the chain only in its message; netfilter-hooks.ts writes "FORWARD chain".
    const isForward = verdict.message.includes(" FORWARD chain");
    if (ns === undefined || verdict.reason !== "NETFILTER_DROP" || !isForward) return [];
    if (verdict.link === undefined) return [];
    const link = verdict.link;
    const commands = [
      `iptables -I FORWARD -i ${link} -j ACCEPT`,
      `iptables -I FORWARD -o ${link} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    ].map((command) => inNs(ns, command));
    return [{ kind: "forward-accept", commands }];
  });
}

/** Loose reverse-path filtering (mode 2) on the namespace and link that dropped with IP_RPFILTER. */
function looseRpFilter(state: NetState, dropped: readonly Verdict[]): FixCandidate[] {
  return dropped.flatMap((verdict) => {
    const ns = byLabel(state, verdict.ns);
    if (ns === undefined || verdict.reason !== "IP_RPFILTER" || verdict.link === undefined)
      return [];
    // The kernel uses the larger of conf.all and conf.LINK, so both must be lowered to 2.
    const commands = [
      "sysctl -w net.ipv4.conf.all.rp_filter=2",
      `sysctl -w net.ipv4.conf.${verdict.link}.rp_filter=2`,
    ].map((command) => inNs(ns, command));
    return [{ kind: "rp-filter", commands }];
  });
}

/**
 * `ip link set LINK up` for each admin-down link of the path's namespaces, and for each link
 * their links reach at layer 2 (veth peers, bridges and bridge ports, macvlans' lower links), in
 * any namespace.
 */
function linksUp(state: NetState, path: readonly Netns[]): FixCandidate[] {
  const seen = new Set<string>();
  const found: FixCandidate[] = [];
  const visit = (ns: Netns, link: Link): void => {
    const key = `${ns.id}/${link.ifindex}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (!link.isAdminUp && !ns.isHidden) {
      found.push({ kind: "link-up", commands: [inNs(ns, `ip link set ${link.name} up`)] });
    }
    if (link.kind === "bridge") for (const port of portsOf(ns, link)) visit(ns, port);
    const bridge = link.master === undefined ? undefined : ns.links[link.master];
    if (bridge !== undefined) visit(ns, bridge);
    const peerNs = link.peer === undefined ? undefined : state.namespaces[link.peer.ns];
    const peer = link.peer === undefined ? undefined : resolveRef(state, link.peer);
    if (peerNs !== undefined && peer !== undefined) visit(peerNs, peer);
    const lowerNs = link.lower === undefined ? undefined : state.namespaces[link.lower.ns];
    const lower = link.lower === undefined ? undefined : resolveRef(state, link.lower);
    if (lowerNs !== undefined && lower !== undefined) visit(lowerNs, lower);
  };
  for (const ns of path) for (const link of Object.values(ns.links)) visit(ns, link);
  return found;
}

/**
 * An address for each bridge on the sender's segment that has none, so the segment gets a
 * gateway; when the sender has no default route, also the address followed by a default route
 * via it.
 */
function bridgeAddresses(state: NetState, sender: Netns): FixCandidate[] {
  const found: FixCandidate[] = [];
  for (const own of ownAddrs(sender)) {
    const link = sender.links[own.ifindex]!;
    for (const end of segmentOf(state, sender, link)) {
      if (end.link.kind !== "bridge" || end.ns.isHidden) continue;
      if (end.ns.addrs.some((addr) => addr.ifindex === end.link.ifindex)) continue;
      const address = freeAddress(state, sender, own);
      const add = inNs(end.ns, `ip addr add ${address} dev ${end.link.name}`);
      found.push({ kind: "bridge-address", commands: [add] });
      if (hasDefaultRoute(sender)) continue;
      const route = inNs(sender, `ip route add default via ${address.split("/")[0]}`);
      found.push({ kind: "bridge-address", commands: [add, route] });
    }
  }
  return found;
}

/**
 * Returns the sender's /32 addresses (`ip addr add` without a length) again with the length of a
 * neighbour's subnet on the same segment that contains them, which gives the sender a route to
 * its neighbours.
 */
function addressLengths(state: NetState, sender: Netns): FixCandidate[] {
  const found: FixCandidate[] = [];
  for (const own of ownAddrs(sender).filter((addr) => addr.bits === 32)) {
    const link = sender.links[own.ifindex]!;
    for (const end of segmentOf(state, sender, link)) {
      for (const addr of end.ns.addrs) {
        if (addr.ifindex !== end.link.ifindex || addr.bits === 32) continue;
        if (!containsIp4(networkOf(addr.local, addr.bits), addr.bits, own.local)) continue;
        const command = `ip addr add ${formatIp4(own.local)}/${addr.bits} dev ${link.name}`;
        found.push({ kind: "address-length", commands: [inNs(sender, command)] });
      }
    }
  }
  return found;
}

/**
 * Returns shims where the probe crosses between a link and one of its macvlans, which frames
 * never do. A shim is a bridge-mode macvlan of the namespace's own on the link, with the
 * namespace's address as a /32 and a route to the other side through it, as Docker's macvlan
 * documentation sets one up for a host to reach its containers.
 */
function macvlanShims(state: NetState, sender: Netns, to: string): FixCandidate[] {
  const dst = parseIp4Strict(to);
  if (dst === undefined) return [];
  const hasAddress = (ns: Netns, link: Link): boolean =>
    ns.addrs.some((addr) => addr.ifindex === link.ifindex && addr.local === dst);
  const found: FixCandidate[] = [];
  for (const own of ownAddrs(sender)) {
    const link = sender.links[own.ifindex]!;
    // The destination is on a macvlan of the sender's link.
    if (macvlansOf(state, link).some((macvlan) => hasAddress(macvlan.ns, macvlan.link))) {
      found.push({ kind: "macvlan-shim", commands: shim(sender, link, own.local, dst) });
    }
    // The sender is a macvlan and the destination is on its lower link.
    const lowerNs = link.lower === undefined ? undefined : state.namespaces[link.lower.ns];
    const lower = link.lower === undefined ? undefined : resolveRef(state, link.lower);
    if (lowerNs === undefined || lower === undefined || lowerNs.isHidden) continue;
    if (hasAddress(lowerNs, lower)) {
      found.push({ kind: "macvlan-shim", commands: shim(lowerNs, lower, dst, own.local) });
    }
  }
  return found;
}

/** Returns the commands that give `ns` a shim on `link` with `address` and a route to `peer`. */
function shim(ns: Netns, link: Link, address: number, peer: number): string[] {
  let n = 0;
  while (Object.values(ns.links).some((other) => other.name === `shim${n}`)) n++;
  const name = `shim${n}`;
  return [
    `ip link add ${name} link ${link.name} type macvlan mode bridge`,
    `ip addr add ${formatIp4(address)}/32 dev ${name}`,
    `ip link set ${name} up`,
    `ip route add ${formatIp4(peer)}/32 dev ${name}`,
  ].map((command) => inNs(ns, command));
}

/**
 * Returns the candidate edits for the probe whose trace is `trace` in `net`, without
 * duplicates, grouped by kind in {@link FixKind} order. Namespaces a preset hides are never
 * edited. Returns candidates even for a reachable probe; the caller decides whether to search.
 */
export function fixCandidates(net: Network, trace: Trace): FixCandidate[] {
  const state = net.state;
  const sender = byLabel(state, trace.from);
  if (sender === undefined) return [];
  const path = pathNamespaces(state, trace);
  const dropped = drops(trace);
  const all = [
    ...defaultRoutes(state, path),
    ...forwarding(state, dropped),
    ...masquerades(path, sender),
    ...forwardAccepts(state, dropped),
    ...looseRpFilter(state, dropped),
    ...linksUp(state, path),
    ...bridgeAddresses(state, sender),
    ...macvlanShims(state, sender, trace.to),
    ...addressLengths(state, sender),
  ];
  const seen = new Set<string>();
  return all.filter((candidate) => {
    const key = candidate.commands.join("\n");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
