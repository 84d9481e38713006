/**
 * The state a probe runs on: a copy of a frozen network state that shares everything a probe
 * only reads and copies, per namespace and on first access, everything the packet walk writes.
 * It replaces a throwaway immer draft, whose proxies, shallow copies and finalisation made up
 * most of a probe's time.
 *
 * A probe writes the clock and the next echo id, and in each namespace it passes through the
 * neighbour table, the SNMP counters, conntrack, the ICMP rate-limit buckets, the iptables
 * counters, the socket table and the bridges' forwarding databases. Everything else stays shared with the frozen
 * state, so a write this list misses throws a TypeError (modules run in strict mode) instead of
 * leaking into the next probe. A bridge is shared too, as a frozen stand-in whose forwarding
 * database is copied once per probe.
 */
import type { CtEntry } from "../netfilter/conntrack.js";
import type { Ruleset } from "../netfilter/ruleset.js";
import type { SocketTable } from "../path/tcp-socket.js";
import type { FdbEntry, Link, NeighEntry, Netns, NetState, PeerRate } from "../netns/state.js";

/**
 * Returns a probe's private view of `state`. Reading a namespace through it copies that
 * namespace's writable parts once, then calls `prepare` on the copy (a TCP or UDP probe opens
 * its listening sockets there); the namespaces the probe never reaches are not copied.
 * `Object.values` over the namespaces copies every namespace, which is correct but slow.
 *
 * NOTE: only the newest probe state is usable. Bridges hand out the forwarding database copies
 * of the newest one, so a state used after a newer one was made reads that state's databases.
 */
export function probeState(state: NetState, prepare?: (ns: Netns) => void): NetState {
  currentProbe = {};
  return { ...state, namespaces: lazyNamespaces(state.namespaces, prepare) };
}

/**
 * The probe whose copies the shared bridges hand out (see `sharedLinks`). A probe runs to the
 * end inside one synchronous `sendProbe` call, so a new probe state marks the previous probe's
 * copies as stale.
 */
let currentProbe: object = {};

function lazyNamespaces(
  source: Record<number, Netns>,
  prepare?: (ns: Netns) => void,
): Record<number, Netns> {
  const copies = new Map<string, Netns>();
  const copyOf = (key: string): Netns | undefined => {
    let copy = copies.get(key);
    if (copy === undefined && Object.hasOwn(source, key)) {
      copy = copyNamespace(source[Number(key)]!);
      copies.set(key, copy);
      prepare?.(copy);
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
    links: sharedLinks(ns.links),
    neigh: ns.neigh.map(copyNeigh),
    counters: { ...ns.counters },
  };
  if (ns.conntrack !== undefined) copy.conntrack = ns.conntrack.map(copyCtEntry);
  if (ns.icmpPeers !== undefined) copy.icmpPeers = copyPeers(ns.icmpPeers);
  if (ns.netfilter !== undefined) copy.netfilter = copyRuleset(ns.netfilter);
  if (ns.sockets !== undefined) copy.sockets = copySockets(ns.sockets);
  return copy;
}

/**
 * Copies a socket table for a probe. The copies of UDP sockets lose their process, because a
 * datagram for a background `nc -u -l` would otherwise be written to that process's output,
 * which the frozen state shares. The probe only needs the socket to be bound.
 */
function copySockets(table: SocketTable): SocketTable {
  return {
    ...table,
    listeners: [...table.listeners],
    tcp: table.tcp.map((socket) => ({ ...socket })),
    udp: table.udp.map(({ listenerPid: _process, ...socket }) => socket),
  };
}

/**
 * The links record each frozen links record is replaced by in every probe: the same links,
 * except that each bridge is a frozen stand-in whose `fdb` is the current probe's own copy.
 */
const sharedRecords = new WeakMap<Record<number, Link>, Record<number, Link>>();

/**
 * Returns the links a probe reads in place of the frozen `links`. Only the bridges' forwarding
 * databases change during a probe (they learn), so the record and every other link are shared, and
 * a bridge's database is copied when the probe first reads it. Copying the whole record per probe
 * cost time in proportion to the namespace's links, which grew with the network.
 */
function sharedLinks(links: Record<number, Link>): Record<number, Link> {
  let shared = sharedRecords.get(links);
  if (shared !== undefined) return shared;
  shared = links;
  for (const key in links) {
    const link = links[key]!;
    if (link.fdb === undefined) continue;
    if (shared === links) shared = { ...links };
    shared[key] = bridgeStandIn(link);
  }
  Object.freeze(shared);
  sharedRecords.set(links, shared);
  return shared;
}

/** Returns a frozen copy of `bridge` whose `fdb` getter copies the database once per probe. */
function bridgeStandIn(bridge: Link): Link {
  const base = bridge.fdb!;
  let owner: object | undefined;
  let fdb: FdbEntry[] = [];
  const standIn = { ...bridge };
  Object.defineProperty(standIn, "fdb", {
    get: (): FdbEntry[] => {
      if (owner !== currentProbe) {
        owner = currentProbe;
        fdb = base.map((entry) => ({ ...entry }));
      }
      return fdb;
    },
    enumerable: true,
  });
  return Object.freeze(standIn);
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
