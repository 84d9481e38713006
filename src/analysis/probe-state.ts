/**
 * The state a probe runs on: a copy of a frozen network state that shares everything a probe
 * only reads and copies, per namespace and on first access, everything the packet walk writes.
 * It replaces a throwaway immer draft, whose proxies, shallow copies and finalisation made up
 * most of a probe's time.
 *
 * A probe writes the clock and the next echo id, and in each namespace it passes through the
 * neighbour table, the SNMP counters, conntrack, the ICMP rate-limit buckets, the iptables
 * counters and the bridges' forwarding databases. Everything else stays shared with the frozen
 * state, so a write this list misses throws a TypeError (modules run in strict mode) instead of
 * leaking into the next probe.
 */
import type { CtEntry } from "../netfilter/conntrack.js";
import type { Ruleset } from "../netfilter/ruleset.js";
import type { Link, NeighEntry, Netns, NetState, PeerRate } from "../netns/state.js";

/**
 * Returns a probe's private view of `state`. Reading a namespace through it copies that
 * namespace's writable parts once; the namespaces the probe never reaches are not copied.
 * `Object.values` over the namespaces copies every namespace, which is correct but slow.
 */
export function probeState(state: NetState): NetState {
  return { ...state, namespaces: lazyNamespaces(state.namespaces) };
}

function lazyNamespaces(source: Record<number, Netns>): Record<number, Netns> {
  const copies = new Map<string, Netns>();
  const copyOf = (key: string): Netns | undefined => {
    let copy = copies.get(key);
    if (copy === undefined && Object.hasOwn(source, key)) {
      copy = copyNamespace(source[Number(key)]!);
      copies.set(key, copy);
    }
    return copy;
  };
  // The target is a plain empty object: a frozen target would make the proxy return the
  // frozen namespaces themselves, because a proxy must report a frozen property unchanged.
  return new Proxy({} as Record<number, Netns>, {
    get: (_target, key) => (typeof key === "string" ? copyOf(key) : undefined),
    set: (_target, key, value: Netns) => {
      copies.set(String(key), value);
      return true;
    },
    has: (_target, key) => typeof key === "string" && (copies.has(key) || key in source),
    ownKeys: () => [...new Set([...Object.keys(source), ...copies.keys()])],
    getOwnPropertyDescriptor: (_target, key) => {
      const value = typeof key === "string" ? copyOf(key) : undefined;
      if (value === undefined) return undefined;
      return { value, writable: true, enumerable: true, configurable: true };
    },
  });
}

function copyNamespace(ns: Netns): Netns {
  const copy: Netns = {
    ...ns,
    links: copyLinks(ns.links),
    neigh: ns.neigh.map(copyNeigh),
    counters: { ...ns.counters },
  };
  if (ns.conntrack !== undefined) copy.conntrack = ns.conntrack.map(copyCtEntry);
  if (ns.icmpPeers !== undefined) copy.icmpPeers = copyPeers(ns.icmpPeers);
  if (ns.netfilter !== undefined) copy.netfilter = copyRuleset(ns.netfilter);
  return copy;
}

/** Copies the bridges, whose forwarding databases learn; other links are shared. */
function copyLinks(links: Record<number, Link>): Record<number, Link> {
  let copy: Record<number, Link> | undefined;
  for (const key in links) {
    const link = links[key]!;
    if (link.fdb === undefined) continue;
    copy ??= { ...links };
    copy[key] = { ...link, fdb: link.fdb.map((entry) => ({ ...entry })) };
  }
  return copy ?? links;
}

function copyNeigh(entry: NeighEntry): NeighEntry {
  const copy = { ...entry };
  if (entry.queue !== undefined) copy.queue = [...entry.queue];
  return copy;
}

function copyCtEntry(entry: CtEntry): CtEntry {
  return { ...entry, orig: { ...entry.orig }, reply: { ...entry.reply } };
}

function copyPeers(peers: Record<number, PeerRate>): Record<number, PeerRate> {
  const copy: Record<number, PeerRate> = {};
  for (const key in peers) copy[key] = { ...peers[key]! };
  return copy;
}

function copyRuleset(ruleset: Ruleset): Ruleset {
  return structuredClone(ruleset);
}
