/**
 * The network state: every namespace with its links, addresses, routes, neighbours, sysctls and
 * counters, plus the virtual clock.
 *
 * The state is plain data so that immer can produce a new immutable version per command; a
 * command that fails inside `produce` leaves the previous version untouched. Functions in this
 * folder take a draft and change it in place. Defaults follow a freshly booted Linux 6.x with no
 * sysctl.d overrides (ip_forward=0, rp_filter=0, promote_secondaries=0, arp_ignore=0,
 * icmp_echo_ignore_broadcasts=1), which a new namespace copies from `conf/all` and
 * `conf/default` of the initial namespace (net/ipv4/devinet.c, `devinet_init_net`).
 */
import { EMPTY_TABLE, type RouteTable } from "../fib/route-table.js";
import type { CtEntry } from "../netfilter/conntrack.js";
import type { Ruleset } from "../netfilter/ruleset.js";
import type { Packet } from "../wire/ipv4.js";
import type { FibRule } from "../fib/rules.js";
import type { Proc } from "../proc/jobs.js";
import type { SocketTable } from "../path/tcp-socket.js";
import { defaultRules } from "../fib/rules.js";
import { readView } from "./view.js";

/** The kinds of link the model knows. `ether` is a physical NIC of a host preset. */
export type LinkKind = "loopback" | "veth" | "bridge" | "ether" | "macvlan";

/**
 * The macvlan modes the model follows (drivers/net/macvlan.c). `bridge` delivers frames between
 * bridge-mode siblings directly. `vepa` and `private` send everything out through the lower link,
 * and `private` also ignores the broadcasts of its siblings that the switch sends back.
 */
export type MacvlanMode = "bridge" | "vepa" | "private";

/** A reference to a link in some namespace. */
export interface LinkRef {
  ns: number;
  ifindex: number;
}

/** One forwarding database entry of a bridge: where a MAC address was last seen. */
export interface FdbEntry {
  mac: string;
  /** The port's ifindex; for the bridge's own address, the bridge's ifindex. */
  port: number;
  /** A permanent local entry (a port's or the bridge's own MAC) rather than a learned one. */
  isLocal: boolean;
}

/** The per-link IPv4 settings under `net.ipv4.conf.<link>`. */
export type LinkConf = Record<ConfKey, number>;

/**
 * The `net.ipv4.conf.*` keys the model stores. `log_martians` only logs, and the keys of
 * `DEFAULT_ONLY_CONF` (in src/tools/sysctl.ts) accept only their default value.
 */
export const CONF_KEYS = [
  "forwarding",
  "rp_filter",
  "arp_ignore",
  "promote_secondaries",
  "ignore_routes_with_linkdown",
  "accept_local",
  "send_redirects",
  "log_martians",
  "proxy_arp",
  "arp_announce",
  "arp_filter",
  "route_localnet",
] as const;

/** One of the modelled `net.ipv4.conf.*` keys. */
export type ConfKey = (typeof CONF_KEYS)[number];

/**
 * The conf keys that a write to `conf.default` copies to every link that has not pinned them
 * (net/ipv4/devinet.c, `devinet_conf_proc` and `devinet_copy_dflt_conf`). The handlers of
 * `forwarding`, `promote_secondaries` and `route_localnet` copy nothing.
 */
export const DEFAULT_COPIED_CONF_KEYS: readonly ConfKey[] = CONF_KEYS.filter(
  (key) => key !== "forwarding" && key !== "promote_secondaries" && key !== "route_localnet",
);

/** A path MTU that an ICMP "fragmentation needed" message taught for one destination. */
export interface PmtuException {
  dst: number;
  mtu: number;
  /** Virtual time in ms at which the kernel drops it (`ip_rt_mtu_expires`, 10 minutes). */
  expiresAt: number;
}

/** A network link (a "device" in kernel terms). */
export interface Link {
  ifindex: number;
  name: string;
  kind: LinkKind;
  mtu: number;
  mac: string;
  isAdminUp: boolean;
  /** The other end of a veth, or the far end of a preset's physical wire. */
  peer?: LinkRef;
  /** A macvlan's lower link: the device it sends through and receives from. */
  lower?: LinkRef;
  /** A macvlan's mode. */
  macvlanMode?: MacvlanMode;
  /**
   * The macvlans on this link, in creation order (the kernel's `macvlan_port`): while it has
   * one, the link's received frames pass through the macvlan handler first.
   */
  macvlans?: LinkRef[];
  /** The ifindex of the bridge this link is a port of. */
  master?: number;
  /** A bridge's forwarding database. */
  fdb?: FdbEntry[];
  /** Whether a bridge's MAC was set by hand, which stops it following its ports. */
  hasFixedMac?: boolean;
  /** Whether a bridge's MTU was set by hand, which stops it following its ports' smallest. */
  hasFixedMtu?: boolean;
  conf: LinkConf;
  /**
   * The conf keys that a write to `conf.default` no longer copies to this link (the kernel's
   * `cnf.state` bits): those written on the link, and every key once an IPv4 address was added
   * to it (`ipv4_devconf_setall`). Absent when none is pinned.
   */
  confPinned?: ConfKey[];
  /** Whether the link has been up since it was created or moved, which attaches its qdisc. */
  wasUp?: boolean;
  /**
   * The RFC 2863 operational state link watch stored at the link's last carrier event
   * (net/core/link_watch.c, `rfc2863_policy`); absent until the first event, which the kernel
   * reports as UNKNOWN. `ip link` prints DOWN instead while the link is admin-down.
   */
  operstate?: "UNKNOWN" | "DOWN" | "LOWERLAYERDOWN" | "UP";
  /** The carrier link watch saw at the last event; absent means on, as a new device starts. */
  watchedCarrier?: boolean;
  /**
   * A bridge's carrier as `br_port_state_selection` last set it: on while some port forwards.
   * A new bridge starts with carrier on and keeps it until the first selection runs.
   */
  bridgeCarrier?: boolean;
  /** A bridge port's STP state; with STP off a port is either forwarding or disabled. */
  portState?: "forwarding" | "disabled";
  /**
   * A bridge port's hairpin mode (`BR_HAIRPIN_MODE`): the bridge may send a frame back out of
   * the port it came in on. Off for a new port.
   */
  isHairpin?: boolean;
  /**
   * The link's hardware multicast list in insertion order (`dev->mc`), which `bridge fdb show`
   * prints as `self permanent` entries.
   */
  mcast?: string[];
  /** The unicast addresses its macvlans added to this link's list (`dev->uc`), in insertion order. */
  ucast?: string[];
  /** The multicast groups its macvlans added to this link's list, in insertion order. */
  syncedMcast?: string[];
  /** The groups of `mcast` and `syncedMcast` in the order they joined, while there are the latter. */
  mcastOrder?: string[];
  /** The autoconfigured IPv6 link-local address, made from the MAC the link had at the time. */
  linkLocal6?: string;
  /** Virtual time in ms at which `linkLocal6` was created; duplicate address detection runs from there. */
  linkLocal6Since?: number;
  /**
   * Whether `ip addr flush` removed the link's IPv6 addresses (lo's ::1 too) while it was up.
   * Addrconf adds them again only when the link next comes up, not on a carrier change.
   */
  isIpv6Flushed?: boolean;
}

/** An IPv4 address on a link, as `ip addr` shows it. */
export interface IfAddr {
  ifindex: number;
  local: number;
  bits: number;
  broadcast?: number;
  scope: "host" | "link" | "global";
  isSecondary: boolean;
  label: string;
}

/** The state of a neighbour entry (include/uapi/linux/neighbour.h, NUD_*). */
export type NeighState =
  "INCOMPLETE" | "REACHABLE" | "STALE" | "DELAY" | "PROBE" | "FAILED" | "NOARP" | "PERMANENT";

/** One neighbour (ARP) entry. */
export interface NeighEntry {
  ifindex: number;
  addr: number;
  state: NeighState;
  mac?: string;
  /** Virtual time in ms at which an INCOMPLETE entry runs out of probes and turns FAILED. */
  failsAt?: number;
  /** ARP probes an INCOMPLETE entry has sent so far. */
  probes?: number;
  /**
   * Virtual time in ms of the entry's next timer: for INCOMPLETE and PROBE another probe or
   * FAILED, for DELAY the move to PROBE.
   */
  timerAt?: number;
  /** Virtual time in ms at which a packet last went out through the entry (`neigh->used`). */
  usedAt?: number;
  /**
   * Virtual time in ms of the entry's last change of state or MAC (`neigh->updated`). For one
   * second after it, ARP replies with another MAC are ignored (`locktime`).
   */
  updatedAt?: number;
  /** IPv4 packets waiting for an INCOMPLETE entry to resolve (`arp_queue`), oldest first. */
  queue?: Packet[];
}

/**
 * The ICMP rate-limit token bucket a namespace keeps for one peer (the rate fields of the
 * kernel's `struct inet_peer`): tokens in ms, and the virtual time of the last refill.
 */
export interface PeerRate {
  tokens: number;
  last: number;
  /** The redirects sent to this host since it was last silent (`n_redirects`); absent for none. */
  redirects?: number;
}

/** One network namespace. The initial ("host") namespace has no name. */
export interface Netns {
  id: number;
  name?: string;
  /** A namespace a host preset created for the outside world; `ip netns list` hides it. */
  isHidden: boolean;
  links: Record<number, Link>;
  nextIfindex: number;
  addrs: IfAddr[];
  /**
   * IPv4 routes by table id, each table in the kernel's dump order. A table exists once it got
   * its first route and is never freed, so an emptied table stays as an empty table.
   */
  tables: Record<number, RouteTable>;
  /** Policy routing rules in the order the kernel walks them (priority, then age). */
  rules: FibRule[];
  /**
   * Whether a rule was ever added. Until then the kernel keeps the local and main tables in one
   * trie and skips the rules (`fib_has_custom_rules`, `fib_unmerge`); afterwards it walks them.
   */
  hasCustomRules: boolean;
  neigh: NeighEntry[];
  /**
   * Path MTUs learned from ICMP "fragmentation needed" messages (the kernel's nexthop exceptions,
   * `__ip_rt_update_pmtu`), one per destination.
   */
  pmtu?: PmtuException[];
  /** `net.ipv4.conf.all` and `net.ipv4.conf.default`. */
  confAll: LinkConf;
  confDefault: LinkConf;
  /**
   * The keys written on `conf.default` (its `cnf.state` bits), which a new link starts with
   * pinned, because `inetdev_init` copies the bits along with the values. Absent when none was.
   */
  confDefaultPinned?: ConfKey[];
  /** Namespace-wide sysctls other than `conf.*`, by dotted name. */
  sysctl: Record<string, number>;
  /** The ids this namespace gave other namespaces (peer namespace id -> nsid). */
  nsids: Record<number, number>;
  /** SNMP counters as `nstat` names them. */
  counters: Record<string, number>;
  /** The iptables tables; absent until the first iptables command that writes. */
  netfilter?: Ruleset;
  /**
   * The ICMP rate-limit bucket of each host this namespace sent errors to, by IPv4 address
   * (the kernel's inet_peer entries); absent until the first error.
   */
  icmpPeers?: Record<number, PeerRate>;
  /**
   * `net.ipv4.ping_group_range`: the gids that may open ICMP sockets; absent means the kernel's
   * default `1 0`, an empty range. The model sends the same probes from either socket kind.
   */
  pingGroupRange?: [number, number];
  /** Confirmed conntrack entries; absent until tracking first confirms one. */
  conntrack?: CtEntry[];
  /** TCP listeners and connections and bound UDP ports; absent until the first socket. */
  sockets?: SocketTable;
}

/** The whole simulated machine. */
export interface NetState {
  /** Virtual time in milliseconds since the script started. */
  clock: number;
  namespaces: Record<number, Netns>;
  /** `ip netns` names, newest last. */
  names: string[];
  nextNsId: number;
  /** A counter that makes link MAC addresses unique and deterministic. */
  nextMac: number;
  /** The ICMP echo id the next ping socket gets. */
  nextEchoId: number;
  /** The virtual file system: regular files by absolute path (src/proc/vfs.ts). */
  files: Record<string, string>;
  /** Processes started in the background, ended ones included, by pid (src/proc/jobs.ts). */
  processes: Record<number, Proc>;
  /** The pid the next process gets. */
  nextPid: number;
  /**
   * Lines background processes printed to the terminal since the last command finished; the
   * shell adds them to the output of the command during which they were printed.
   */
  terminal: string[];
  /**
   * Something the kernel would have done during the current command that the model leaves out,
   * such as the nexthop exception an ICMP redirect installs. A script line that sets it fails as
   * not supported, so that its transcript is never silently wrong. A probe runs on a copy, which
   * is thrown away with it.
   */
  unmodelledEffect?: string;
}

/** The id of the initial namespace, where a script's commands run by default. */
export const HOST_NS = 0;

const DEFAULT_CONF: LinkConf = {
  forwarding: 0,
  rp_filter: 0,
  arp_ignore: 0,
  promote_secondaries: 0,
  ignore_routes_with_linkdown: 0,
  accept_local: 0,
  send_redirects: 1,
  log_martians: 0,
  proxy_arp: 0,
  arp_announce: 0,
  arp_filter: 0,
  route_localnet: 0,
};

/** The namespace-wide sysctls and their kernel defaults. */
export const DEFAULT_SYSCTL: Record<string, number> = {
  "net.ipv4.ip_forward": 0,
  "net.ipv4.icmp_echo_ignore_broadcasts": 1,
  "net.ipv4.icmp_echo_ignore_all": 0,
  "net.ipv4.icmp_ratelimit": 1000,
  "net.ipv4.icmp_ratemask": 6168,
  "net.ipv4.neigh.default.mcast_solicit": 3,
  "net.ipv4.neigh.default.retrans_time_ms": 1000,
  "net.ipv4.tcp_syn_retries": 6,
  "net.ipv4.tcp_syn_linear_timeouts": 4,
  // br_netfilter is built into the recorded kernel, and each namespace starts with it on. The
  // model has no arptables or ip6tables rules, so the other two switches change nothing.
  "net.bridge.bridge-nf-call-iptables": 1,
  "net.bridge.bridge-nf-call-arptables": 1,
  "net.bridge.bridge-nf-call-ip6tables": 1,
};

/**
 * Returns a deterministic, locally administered unicast MAC for the n-th link created.
 * Real veth and bridge MACs are random; transcripts normalise them.
 */
export function macFor(serial: number): string {
  const bytes = [0x02, 0x42, 0xac, (serial >> 16) & 255, (serial >> 8) & 255, serial & 255];
  return bytes.map((byte) => byte.toString(16).padStart(2, "0")).join(":");
}

/** Returns a new namespace holding only a down loopback link, as `ip netns add` creates it. */
export function createNetns(id: number, name?: string, isHidden = false): Netns {
  const lo: Link = {
    ifindex: 1,
    name: "lo",
    kind: "loopback",
    mtu: 65536,
    mac: "00:00:00:00:00:00",
    isAdminUp: false,
    conf: { ...DEFAULT_CONF },
  };
  return {
    id,
    ...(name === undefined ? {} : { name }),
    isHidden,
    links: { 1: lo },
    nextIfindex: 2,
    addrs: [],
    // The kernel creates main with the namespace; local appears with the first local route.
    tables: { 254: EMPTY_TABLE },
    rules: defaultRules(),
    hasCustomRules: false,
    neigh: [],
    confAll: { ...DEFAULT_CONF },
    confDefault: { ...DEFAULT_CONF },
    sysctl: { ...DEFAULT_SYSCTL },
    nsids: {},
    counters: {},
  };
}

/** Returns a blank machine: the initial namespace with only `lo`, still down. */
export function createState(): NetState {
  return {
    clock: 0,
    namespaces: { [HOST_NS]: createNetns(HOST_NS) },
    names: [],
    nextNsId: 1,
    nextMac: 1,
    nextEchoId: 0x1000,
    files: {},
    processes: {},
    nextPid: 1000,
    terminal: [],
  };
}

/** An index of a namespace's addresses for the packet path, built once per frozen address list. */
interface AddressIndex {
  locals: Set<number>;
  /** The first primary address of each link, by ifindex. */
  primaries: Map<number, number>;
}

const addressIndexes = new WeakMap<readonly IfAddr[], AddressIndex>();

/**
 * Returns the index of a frozen address list, or undefined for one a command may still change.
 * The index pays off because V8 runs array builtins such as `some` and `find` on frozen arrays
 * through a slow path. On the 41 addresses of the reachability benchmark's host namespace,
 * `some` took 1.4 µs against 0.04 µs on an unfrozen copy.
 */
function addressIndex(addrs: readonly IfAddr[]): AddressIndex | undefined {
  if (!Object.isFrozen(addrs)) return undefined;
  let index = addressIndexes.get(addrs);
  if (index === undefined) {
    index = { locals: new Set(), primaries: new Map() };
    for (const addr of addrs) {
      index.locals.add(addr.local);
      if (!addr.isSecondary && !index.primaries.has(addr.ifindex)) {
        index.primaries.set(addr.ifindex, addr.local);
      }
    }
    addressIndexes.set(addrs, index);
  }
  return index;
}

/** Reports whether `addr` is one of the IPv4 addresses of `ns`, on any link. */
export function isOwnAddress(ns: Netns, addr: number): boolean {
  const index = addressIndex(ns.addrs);
  if (index !== undefined) return index.locals.has(addr);
  return ns.addrs.some((candidate) => candidate.local === addr);
}

/** Returns the first primary IPv4 address of the link with `ifindex` in `ns`, if it has one. */
export function primaryAddressOf(ns: Netns, ifindex: number): number | undefined {
  const index = addressIndex(ns.addrs);
  if (index !== undefined) return index.primaries.get(ifindex);
  return ns.addrs.find((addr) => addr.ifindex === ifindex && !addr.isSecondary)?.local;
}

/** Returns the link with `name` in `ns`, or undefined. */
export function findLink(ns: Netns, name: string): Link | undefined {
  // Searching a plain view keeps a draft's other links from being drafted on the way.
  const found = Object.values(readView(ns.links)).find((link) => link.name === name);
  return found === undefined ? undefined : ns.links[found.ifindex];
}

/**
 * Returns the links of `ns` in ifindex order. `Object.values` already lists them so, because
 * ifindexes are integer keys, which ECMAScript orders ascending (OrdinaryOwnPropertyKeys).
 */
export function linksOf(ns: Netns): Link[] {
  return Object.values(ns.links);
}

/** Returns the namespace with `name`, or undefined. */
export function findNetns(state: NetState, name: string): Netns | undefined {
  const found = Object.values(readView(state.namespaces)).find((ns) => ns.name === name);
  return found === undefined ? undefined : state.namespaces[found.id];
}

/** Returns the link `ref` points to, or undefined when it no longer exists. */
export function resolveRef(state: NetState, ref: LinkRef): Link | undefined {
  return state.namespaces[ref.ns]?.links[ref.ifindex];
}

/** Returns the macvlans on `link` that exist, with their namespaces, in creation order. */
export function macvlansOf(state: NetState, link: Link): { ns: Netns; link: Link }[] {
  const found: { ns: Netns; link: Link }[] = [];
  for (const ref of link.macvlans ?? []) {
    const ns = state.namespaces[ref.ns];
    const macvlan = ns?.links[ref.ifindex];
    if (ns !== undefined && macvlan !== undefined) found.push({ ns, link: macvlan });
  }
  return found;
}

/**
 * Returns the link `ip link` names after `@` (the kernel's `dev_get_iflink`): a veth's peer or a
 * macvlan's lower link.
 */
export function iflinkOf(link: Link): LinkRef | undefined {
  if (link.kind === "veth") return link.peer;
  if (link.kind === "macvlan") return link.lower;
  return undefined;
}

/** Adds `amount` to the SNMP counter `name` of `ns`. */
export function count(ns: Netns, name: string, amount = 1): void {
  ns.counters[name] = (ns.counters[name] ?? 0) + amount;
}
