/**
 * fast-check generators for small random network topologies, rendered as the `ip`, `sysctl` and
 * `ping` commands a root user would type to build and probe them.
 *
 * A topology is plain data whose references are indices taken modulo the number of things they
 * point to, so that every value fast-check generates or shrinks still renders to a well-formed
 * script: shrinking a segment away never leaves a route pointing at a missing namespace. Each
 * namespace `nK` is built from scratch and sets every sysctl the probes depend on, because a new
 * namespace copies its `conf/all` and `conf/default` values from the machine's own namespace.
 *
 * Addresses come only from private and documentation ranges. Probes only target addresses the
 * topology assigned, so a failed ARP resolution, which costs a probe its whole wait, happens
 * only when the owner is down or cut off at layer 2.
 */
import fc from "fast-check";

/** Subnets handed to segments in order; all private or documentation ranges, all /24. */
export const SEGMENT_SUBNETS = [
  "10.0.0",
  "10.0.1",
  "192.168.7",
  "172.16.5",
  "198.51.100",
  "203.0.113",
  "192.0.2",
] as const;

/** A veth pair: end `a` lives in namespace `a`, end `b` in namespace `b` (possibly the same). */
export interface VethSegment {
  readonly kind: "veth";
  readonly a: number;
  readonly b: number;
  /** Whether each end gets an address (`.1` for `a`, `.2` for `b`). */
  readonly isAddressed: readonly [boolean, boolean];
}

/**
 * A bridge in namespace `home` with one veth pair per member: the port end stays in `home` and
 * is enslaved, the other end goes to the member's namespace and gets `.(10 + j)`.
 */
export interface BridgeSegment {
  readonly kind: "bridge";
  readonly home: number;
  readonly members: readonly number[];
  /** Whether the bridge itself gets `.1`. */
  readonly isBridgeAddressed: boolean;
}

/**
 * A veth pair from namespace `home` (end `u`, the macvlans' lower link) to namespace `far` (end
 * `w`, `.1`), with one macvlan of `u` per member, moved to the member's namespace with
 * `.(10 + j)`. The lower link gets `.2` when `isLowerAddressed`.
 */
export interface MacvlanSegment {
  readonly kind: "macvlan";
  readonly home: number;
  readonly far: number;
  readonly members: readonly number[];
  readonly mode: "bridge" | "vepa" | "private";
  readonly isLowerAddressed: boolean;
}

/** One layer-2 domain of the topology. */
export type Segment = VethSegment | BridgeSegment | MacvlanSegment;

/**
 * A static route in namespace `ns` towards a segment's subnet (or default) via a neighbour. It
 * is left out when `ns` forwards at any time of the script (see {@link renderTopology}).
 */
export interface RouteSpec {
  readonly ns: number;
  /** Index of the destination segment; `undefined` routes `default`. */
  readonly dst: number | undefined;
  /** Index into the gateways namespace `ns` can reach on-link (all addresses if none). */
  readonly via: number;
}

/** Something done after the topology is built, in order. */
export type Action =
  | { readonly kind: "ping"; readonly from: number; readonly to: number }
  /** A TCP connect as `nc -z` makes it; nothing listens, so it is refused or times out. */
  | { readonly kind: "connect"; readonly from: number; readonly to: number }
  | { readonly kind: "down" | "up"; readonly link: number }
  | { readonly kind: "forward"; readonly ns: number; readonly isOn: boolean };

/** A whole random scenario. References are indices taken modulo their target's count. */
export interface Topology {
  /** Per namespace: `net.ipv4.ip_forward`. The length is the number of namespaces (2 to 4). */
  readonly forwarding: readonly boolean[];
  /** Per namespace: `net.ipv4.conf.{all,default}.rp_filter`, cycled when shorter. */
  readonly rpFilter: readonly (0 | 1 | 2)[];
  /** Per namespace: whether `lo` is brought up, cycled when shorter. */
  readonly isLoUp: readonly boolean[];
  readonly segments: readonly Segment[];
  readonly routes: readonly RouteSpec[];
  /** Links (by index into {@link renderTopology}'s link list) never brought up. */
  readonly downLinks: readonly number[];
  readonly actions: readonly Action[];
}

const index = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });

/** Generates `value` four times in five and its opposite otherwise; shrinks towards `value`. */
const mostly = (value: boolean): fc.Arbitrary<boolean> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(value) },
    { weight: 1, arbitrary: fc.constant(!value) },
  );

const vethSegment: fc.Arbitrary<Segment> = fc.record({
  kind: fc.constant("veth" as const),
  a: index(3),
  b: index(3),
  // Mostly both ends; never neither, which would only make pings fail at connect().
  isAddressed: fc.oneof(
    { weight: 4, arbitrary: fc.constant([true, true] as const) },
    { weight: 1, arbitrary: fc.constantFrom([true, false] as const, [false, true] as const) },
  ),
});

const bridgeSegment: fc.Arbitrary<Segment> = fc.record({
  kind: fc.constant("bridge" as const),
  home: index(3),
  members: fc.array(index(3), { minLength: 1, maxLength: 3 }),
  isBridgeAddressed: fc.boolean(),
});

const macvlanSegment: fc.Arbitrary<Segment> = fc.record({
  kind: fc.constant("macvlan" as const),
  home: index(3),
  far: index(3),
  members: fc.array(index(3), { minLength: 1, maxLength: 3 }),
  mode: fc.constantFrom("bridge" as const, "vepa" as const, "private" as const),
  isLowerAddressed: fc.boolean(),
});

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("ping" as const), from: index(3), to: index(15) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("connect" as const), from: index(3), to: index(15) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("down" as const, "up" as const),
      link: index(15),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("forward" as const),
      ns: index(3),
      isOn: fc.boolean(),
    }),
  },
);

/**
 * Generates a topology of 2 to 4 namespaces joined by up to 4 segments, with up to 4 static
 * routes and 1 to 6 actions, at least one of them a ping.
 */
export function topology(): fc.Arbitrary<Topology> {
  return fc.record({
    forwarding: fc.array(fc.boolean(), { minLength: 2, maxLength: 4 }),
    rpFilter: fc.array(fc.constantFrom(0 as const, 1 as const, 2 as const), {
      minLength: 1,
      maxLength: 4,
    }),
    isLoUp: fc.array(mostly(true), { minLength: 1, maxLength: 4 }),
    segments: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: vethSegment },
        { weight: 1, arbitrary: bridgeSegment },
        { weight: 1, arbitrary: macvlanSegment },
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    routes: fc.array(
      fc.record({ ns: index(3), dst: fc.option(index(6), { nil: undefined }), via: index(7) }),
      { maxLength: 4 },
    ),
    downLinks: fc.array(index(15), { maxLength: 1 }),
    actions: fc
      .array(action, { minLength: 1, maxLength: 6 })
      .filter((actions) => actions.some((item) => item.kind === "ping")),
  });
}

/** One link the topology creates, with the address it gets, if any. */
export interface TopologyLink {
  readonly ns: number;
  readonly name: string;
  readonly address?: string;
  /** Index of the segment the link belongs to. */
  readonly segment: number;
}

/** A topology as the commands that build and probe it. */
export interface RenderedTopology {
  /** The commands, one shell line each. */
  readonly lines: readonly string[];
  /** Every link, in creation order; `downLinks` and `up`/`down` actions index into it. */
  readonly links: readonly TopologyLink[];
  /** Number of `ping` lines. */
  readonly probes: number;
}

/**
 * Waits out the kernel's deferred carrier events. A veth's carrier change reaches a bridge, and
 * the bridge's own carrier and `linkdown` routes, only when linkwatch runs, up to a second
 * later (net/core/link_watch.c, `linkwatch_schedule_work`), while the simulator applies it at
 * once. Without the wait, a route listing right after `link set up` races with linkwatch.
 *
 * The half second keeps pings off ARP's deadline: ARP gives up a whole number of seconds after
 * a ping starts, and a failed ping lasts a whole number of seconds, so a whole-second wait could
 * start the next ping exactly when an earlier resolution fails. On the kernel that moment is a
 * race between the command overheads and the timer wheel's lateness (a 1 s timer fires up to
 * tens of milliseconds late); seed 541315361 hit it with `sleep 1`.
 */
const SETTLE = "sleep 1.5";

/**
 * Seconds a ping waits for its reply. ARP gives up 3 s after its first request, and every other
 * duration in a script is a whole number of seconds. So with `-W 1`, a ping that starts 2 s
 * after a failed one ends in the same virtual millisecond as the earlier ARP resolution fails.
 * On the kernel that is a race, decided by the milliseconds the commands in between take: runs
 * of one script printed "Destination Host Unreachable" in some runs and not in others. With
 * `-W 2` a failed ping lasts 2 s, so no later ping can end at that moment.
 */
const PING_WAIT_S = 2;

const ns = (k: number): string => `n${k}`;
const at = <T>(list: readonly T[], k: number): T => list[k % list.length]!;

/**
 * Renders `topology` as the lines of a script, in build order: namespaces and their sysctls,
 * links, addresses, links up, routes, the actions, and last every namespace's main table.
 */
export function renderTopology(topology: Topology): RenderedTopology {
  const count = topology.forwarding.length;
  const segments = topology.segments.slice(0, SEGMENT_SUBNETS.length);
  const lines: string[] = [];
  for (let k = 0; k < count; k++) {
    lines.push(
      `ip netns add ${ns(k)}`,
      `ip netns exec ${ns(k)} sysctl -qw net.ipv4.ip_forward=${topology.forwarding[k] ? 1 : 0}`,
      `ip netns exec ${ns(k)} sysctl -qw net.ipv4.conf.all.rp_filter=${at(topology.rpFilter, k)}`,
      `ip netns exec ${ns(k)} sysctl -qw net.ipv4.conf.default.rp_filter=${at(topology.rpFilter, k)}`,
    );
    if (at(topology.isLoUp, k)) lines.push(`ip -n ${ns(k)} link set lo up`);
  }

  const links: TopologyLink[] = [];
  segments.forEach((segment, s) => lines.push(...renderSegment(segment, s, count, links)));
  for (const link of links) {
    if (link.address !== undefined) {
      lines.push(`ip -n ${ns(link.ns)} addr add ${link.address}/24 dev ${link.name}`);
    }
  }
  const down = new Set(topology.downLinks.map((k) => k % links.length));
  links.forEach((link, k) => {
    if (!down.has(k)) lines.push(`ip -n ${ns(link.ns)} link set ${link.name} up`);
  });
  lines.push(SETTLE);

  // A router whose route leads back out of the link a packet came in on sends an ICMP redirect.
  // The simulator does not model redirects yet, so only namespaces that never forward get routes.
  // TODO: drop this filter once the packet path sends redirects and models `send_redirects`.
  const routers = new Set(topology.forwarding.flatMap((isOn, k) => (isOn ? [k] : [])));
  for (const item of topology.actions) {
    if (item.kind === "forward" && item.isOn) routers.add(item.ns % count);
  }
  for (const route of topology.routes) {
    if (!routers.has(route.ns % count)) lines.push(renderRoute(route, count, segments, links));
  }
  let probes = 0;
  for (const item of topology.actions) {
    lines.push(renderAction(item, count, links));
    if (item.kind === "ping" || item.kind === "connect") probes++;
  }
  for (let k = 0; k < count; k++) lines.push(`ip -n ${ns(k)} route show`);
  return { lines, links, probes };
}

function renderSegment(
  segment: Segment,
  s: number,
  count: number,
  links: TopologyLink[],
): string[] {
  const subnet = SEGMENT_SUBNETS[s]!;
  if (segment.kind === "veth") {
    const [a, b] = [segment.a % count, segment.b % count];
    const [hasA, hasB] = segment.isAddressed;
    links.push({ ns: b, name: `b${s}`, segment: s, ...(hasB ? { address: `${subnet}.2` } : {}) });
    links.push({ ns: a, name: `a${s}`, segment: s, ...(hasA ? { address: `${subnet}.1` } : {}) });
    const peerNs = a === b ? "" : ` netns ${ns(b)}`;
    return [`ip -n ${ns(a)} link add a${s} type veth peer name b${s}${peerNs}`];
  }
  if (segment.kind === "macvlan") return renderMacvlanSegment(segment, s, count, links);
  const home = segment.home % count;
  const bridge = `br${s}`;
  const lines = [`ip -n ${ns(home)} link add ${bridge} type bridge`];
  links.push({
    ns: home,
    name: bridge,
    segment: s,
    ...(segment.isBridgeAddressed ? { address: `${subnet}.1` } : {}),
  });
  const members = segment.members.map((member) => member % count);
  members.forEach((m, j) => {
    const peerNs = m === home ? "" : ` netns ${ns(m)}`;
    lines.push(
      `ip -n ${ns(home)} link add p${s}x${j} type veth peer name e${s}x${j}${peerNs}`,
      `ip -n ${ns(home)} link set p${s}x${j} master ${bridge}`,
    );
    links.push({ ns: m, name: `e${s}x${j}`, segment: s, address: `${subnet}.${10 + j}` });
    links.push({ ns: home, name: `p${s}x${j}`, segment: s });
  });
  return lines;
}

function renderMacvlanSegment(
  segment: MacvlanSegment,
  s: number,
  count: number,
  links: TopologyLink[],
): string[] {
  const subnet = SEGMENT_SUBNETS[s]!;
  const [home, far] = [segment.home % count, segment.far % count];
  const peerNs = far === home ? "" : ` netns ${ns(far)}`;
  const lines = [`ip -n ${ns(home)} link add u${s} type veth peer name w${s}${peerNs}`];
  links.push({ ns: far, name: `w${s}`, segment: s, address: `${subnet}.1` });
  links.push({
    ns: home,
    name: `u${s}`,
    segment: s,
    ...(segment.isLowerAddressed ? { address: `${subnet}.2` } : {}),
  });
  segment.members.forEach((member, j) => {
    const m = member % count;
    const name = `m${s}x${j}`;
    lines.push(`ip -n ${ns(home)} link add ${name} link u${s} type macvlan mode ${segment.mode}`);
    if (m !== home) lines.push(`ip -n ${ns(home)} link set ${name} netns ${ns(m)}`);
    links.push({ ns: m, name, segment: s, address: `${subnet}.${10 + j}` });
  });
  return lines;
}

function renderRoute(
  route: RouteSpec,
  count: number,
  segments: readonly Segment[],
  links: readonly TopologyLink[],
): string {
  const k = route.ns % count;
  // Gateways on a segment that namespace k is attached to; the kernel refuses any other.
  const attached = new Set(links.filter((link) => link.ns === k).map((link) => link.segment));
  const addressed = links.filter((link) => link.address !== undefined);
  const onLink = addressed.filter((link) => link.ns !== k && attached.has(link.segment));
  const candidates = onLink.length > 0 ? onLink : addressed;
  const via = candidates.length === 0 ? "10.0.0.1" : at(candidates, route.via).address!;
  const dst =
    route.dst === undefined ? "default" : `${SEGMENT_SUBNETS[route.dst % segments.length]!}.0/24`;
  return `ip -n ${ns(k)} route add ${dst} via ${via}`;
}

function renderAction(item: Action, count: number, links: readonly TopologyLink[]): string {
  if (item.kind === "forward") {
    return `ip netns exec ${ns(item.ns % count)} sysctl -qw net.ipv4.ip_forward=${item.isOn ? 1 : 0}`;
  }
  if (item.kind === "ping" || item.kind === "connect") {
    const targets = links.filter((link) => link.address !== undefined);
    const target = targets.length === 0 ? "10.0.0.1" : at(targets, item.to).address!;
    const from = `ip netns exec ${ns(item.from % count)}`;
    if (item.kind === "connect") return `${from} nc -z -v -w ${PING_WAIT_S} ${target} 80`;
    return `${from} ping -c 1 -W ${PING_WAIT_S} ${target}`;
  }
  const link = at(links, item.link);
  return `ip -n ${ns(link.ns)} link set ${link.name} ${item.kind}; ${SETTLE}`;
}
