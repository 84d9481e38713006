/**
 * Topologies as data: namespaces (hosts and routers), layer 2 segments (a veth pair, or a bridge
 * with a veth to each member) and static routes, rendered into the `ip` commands that build
 * them. This is how a network is built programmatically, and what the fast-check arbitraries
 * generate, so that every generated case prints as a script a root shell can run.
 */
import { UsageError } from "../errors.js";
import { shellWord } from "../script/shell-word.js";
import type { RouteType } from "../fib/route.js";

/** A network to build: namespaces first, then segments, then routes. */
export interface Topology {
  /** Namespaces in creation order; `host` is the initial namespace and is never created. */
  namespaces: NamespaceSpec[];
  segments: SegmentSpec[];
}

/** One namespace: a host, or a router when it forwards. */
export interface NamespaceSpec {
  name: string;
  /** Whether it forwards (`net.ipv4.ip_forward=1`). */
  isRouter?: boolean;
  /** `net.ipv4.conf.all.rp_filter`: 0 off, 1 strict, 2 loose; the kernel default is 0. */
  rpFilter?: 0 | 1 | 2;
  /** Static routes, added after every segment exists. */
  routes?: RouteSpec[];
}

/** One static route of the main table. */
export interface RouteSpec {
  /** A prefix such as `10.0.2.0/24`, or `default`. */
  prefix: string;
  /** The gateway; it must lie in a subnet of one of the namespace's links. */
  via?: string;
  /** The output link, for a route without a gateway or to pin the gateway's link. */
  dev?: string;
  /** The route type; `unicast` when absent. The others take neither `via` nor `dev`. */
  type?: Extract<RouteType, "unicast" | "blackhole" | "unreachable" | "prohibit">;
}

/** A layer 2 segment and its IPv4 subnet. */
export interface SegmentSpec {
  /** The subnet every address on the segment belongs to, such as `10.0.1.0/24`. */
  prefix: string;
  /**
   * The bridge that joins the ends, in namespace `namespace`; each end gets a veth to a port
   * named `NAMEpN`. Without a bridge the segment is one veth pair and needs exactly two ends.
   */
  bridge?: { namespace: string; name: string; address?: string };
  ends: EndSpec[];
}

/** One member of a segment: a link in a namespace with its address (no prefix length). */
export interface EndSpec {
  namespace: string;
  link: string;
  address: string;
}

/** The name probes and topologies give the initial namespace. */
export const HOST = "host";

function at(namespace: string): string {
  return namespace === HOST ? "" : `ip netns exec ${shellWord(namespace)} `;
}

function bitsOf(prefix: string): string {
  return prefix.split("/")[1] ?? "32";
}

/**
 * Returns the commands that create a veth with end `aLink` in `aNs` and `bLink` in `bNs`. The
 * host namespace has no name to pass to `netns`, so a pair touching it is created from its side.
 */
function vethCommand(aNs: string, aLink: string, bNs: string, bLink: string): string {
  if (bNs === HOST && aNs !== HOST) return vethCommand(bNs, bLink, aNs, aLink);
  const peer = aNs === bNs ? "" : ` netns ${shellWord(bNs)}`;
  return `${at(aNs)}ip link add ${shellWord(aLink)} type veth peer name ${shellWord(bLink)}${peer}`;
}

function endCommands(segment: SegmentSpec, end: EndSpec): string[] {
  return [
    `${at(end.namespace)}ip addr add ${shellWord(`${end.address}/${bitsOf(segment.prefix)}`)} dev ${shellWord(end.link)}`,
    `${at(end.namespace)}ip link set ${shellWord(end.link)} up`,
  ];
}

function segmentCommands(segment: SegmentSpec): string[] {
  const { bridge } = segment;
  if (bridge === undefined) {
    const [a, b] = segment.ends;
    if (a === undefined || b === undefined || segment.ends.length !== 2) {
      throw new UsageError(
        `hoptrace: segment ${segment.prefix} has ${segment.ends.length} ends and no bridge; give it a bridge or exactly two ends`,
      );
    }
    return [
      vethCommand(a.namespace, a.link, b.namespace, b.link),
      ...endCommands(segment, a),
      ...endCommands(segment, b),
    ];
  }
  const lines = [
    `${at(bridge.namespace)}ip link add ${shellWord(bridge.name)} type bridge`,
    `${at(bridge.namespace)}ip link set ${shellWord(bridge.name)} up`,
  ];
  if (bridge.address !== undefined) {
    lines.push(
      `${at(bridge.namespace)}ip addr add ${shellWord(`${bridge.address}/${bitsOf(segment.prefix)}`)} dev ${shellWord(bridge.name)}`,
    );
  }
  segment.ends.forEach((end, index) => {
    const port = `${bridge.name}p${index}`;
    lines.push(vethCommand(bridge.namespace, port, end.namespace, end.link));
    lines.push(
      `${at(bridge.namespace)}ip link set ${shellWord(port)} master ${shellWord(bridge.name)}`,
      `${at(bridge.namespace)}ip link set ${shellWord(port)} up`,
    );
    lines.push(...endCommands(segment, end));
  });
  return lines;
}

/** Returns the `ip route add` command for `route` in `namespace`. */
export function routeCommand(namespace: string, route: RouteSpec): string {
  const type = route.type ?? "unicast";
  if (type !== "unicast")
    return `${at(namespace)}ip route add ${shellWord(type)} ${shellWord(route.prefix)}`;
  const via = route.via === undefined ? "" : ` via ${shellWord(route.via)}`;
  const dev = route.dev === undefined ? "" : ` dev ${shellWord(route.dev)}`;
  return `${at(namespace)}ip route add ${shellWord(route.prefix)}${via}${dev}`;
}

/**
 * Returns the commands that create a namespace and set its sysctls. A new namespace copies the
 * IPv4 sysctls of the machine's own, which may forward or filter (a Docker host has
 * ip_forward=1, and many distributions set rp_filter), so every created namespace gets both set
 * outright, before its links exist, and the script behaves the same on any machine. The host
 * namespace is the machine's own, so only a setting the topology asks for is written there.
 */
function namespaceCommands(spec: NamespaceSpec): string[] {
  const forward = spec.isRouter === true ? 1 : 0;
  const rpFilter = spec.rpFilter ?? 0;
  if (spec.name !== HOST) {
    const sysctls = `net.ipv4.ip_forward=${forward} net.ipv4.conf.all.rp_filter=${rpFilter} net.ipv4.conf.default.rp_filter=0`;
    return [
      `ip netns add ${shellWord(spec.name)}`,
      `${at(spec.name)}sysctl -qw ${sysctls}`,
      `${at(spec.name)}ip link set lo up`,
    ];
  }
  const lines: string[] = [];
  if (forward === 1) lines.push("sysctl -qw net.ipv4.ip_forward=1");
  if (rpFilter !== 0) lines.push(`sysctl -qw net.ipv4.conf.all.rp_filter=${rpFilter}`);
  return lines;
}

/**
 * Returns the script that builds `topology`, one command per line with a trailing newline.
 * Throws when a segment without a bridge does not have exactly two ends; every other mistake
 * (a clashing link name, a gateway off every subnet) shows up as the failing command when the
 * script runs.
 */
export function topologyScript(topology: Topology): string {
  const lines = [
    ...topology.namespaces.flatMap(namespaceCommands),
    ...topology.segments.flatMap(segmentCommands),
    ...topology.namespaces.flatMap((spec) =>
      (spec.routes ?? []).map((route) => routeCommand(spec.name, route)),
    ),
  ];
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
