/**
 * Invariants over a network's reachability matrix, as reusable predicates: no forwarding loop,
 * no black hole for a covered destination, a set of namespaces reaches a set of targets,
 * replies return the way requests went, and reverse-path filtering never drops a legitimate
 * reply. Each one probes the pairs it needs and returns its violations with their traces.
 * A probe's packets all come from its own simulation, so a reply is recognised by its kind (an
 * echo reply or a SYN-ACK), also when NAT rewrote its addresses.
 */
import { formatIp4, isLoopback } from "../addr/ip4.js";
import { HoptraceError, UsageError } from "../errors.js";
import { nsLabel } from "../path/sim.js";
import type { PacketTrace } from "../path/verdict.js";
import { formatOutcome, formatPair, formatTrace } from "./format.js";
import type { Network } from "./network.js";
import { namespaces } from "./network.js";
import type { Trace } from "./probe.js";
import { isProbeReply } from "./probe.js";
import type { Reachability, ReachabilityOptions } from "./reachability.js";
import { reachability } from "./reachability.js";

/** One pair that breaks an invariant. */
export interface Violation {
  /** The invariant's name, such as `no forwarding loop`. */
  invariant: string;
  /** The failure, in one sentence. */
  message: string;
  trace: Trace;
}

/** A property of a network checked on the probes of one reachability matrix. */
export interface Invariant {
  readonly name: string;
  /**
   * The probes the invariant needs, or a function of the network that returns them; every
   * visible namespace to every configured address when absent.
   */
  readonly probes?: ReachabilityOptions | ((net: Network) => ReachabilityOptions);
  /** Returns the violations found in `matrix`, which was probed with `probes`. */
  check(matrix: Reachability, net: Network): Violation[];
}

function violation(invariant: string, trace: Trace, message: string): Violation {
  return { invariant, trace, message };
}

/** Returns the namespaces that forwarded `packet`, in order, with repeats. */
function forwarders(packet: PacketTrace): string[] {
  return packet.hops.filter((hop) => hop.step === "forward").map((hop) => hop.ns);
}

/**
 * Returns the invariant that no packet of any probe is forwarded twice by the same namespace,
 * which is how a routing loop shows up before the TTL runs out.
 */
export function noForwardingLoop(probes?: ReachabilityOptions): Invariant {
  const name = "no forwarding loop";
  return {
    name,
    ...(probes === undefined ? {} : { probes }),
    check: (matrix) =>
      matrix.traces.flatMap((trace) => {
        const looping = trace.packets.find(
          (packet) => new Set(forwarders(packet)).size < forwarders(packet).length,
        );
        if (looping === undefined) return [];
        const path = forwarders(looping).slice(0, 6).join(" -> ");
        return [violation(name, trace, `${looping.packet} loops: forwarded by ${path} ...`)];
      }),
  };
}

/**
 * Returns the invariant that every destination a source has a route to is delivered: when the
 * request (an echo request, a SYN or a datagram) leaves the source, it must reach the namespace
 * that owns the address. A TCP or UDP request that a closed port there refuses counts as reached.
 * Probes to addresses no namespace owns always end in an ARP failure, so use it with configured
 * addresses.
 */
export function noBlackHole(probes?: ReachabilityOptions): Invariant {
  const name = "no black hole";
  return {
    name,
    ...(probes === undefined ? {} : { probes }),
    check: (matrix) =>
      matrix.traces.flatMap((trace) => {
        const request = trace.packets[0]!.verdict!;
        if (!trace.isSent || request.kind === "delivered") return [];
        // A TCP SYN or UDP datagram to a closed port reached the address's owner, which replied.
        if (request.reason === "NO_SOCKET") return [];
        const place = request.link === undefined ? request.ns : `${request.ns}/${request.link}`;
        const what =
          trace.protocol === "icmp" ? "echo request" : `${trace.protocol.toUpperCase()} request`;
        const message = `${trace.from} has a route to ${trace.to}, but the ${what} dies at ${place} [${request.reason ?? "queued"}]: ${request.message}`;
        return [violation(name, trace, message)];
      }),
  };
}

/**
 * Returns the invariant that every namespace of `from` gets an echo reply from every target of
 * `to`, or with a `kind` of TCP or UDP, a reachable connect or datagram. Targets are addresses,
 * prefixes (sampled as `reachability` does) or namespace names, which stand for every address
 * configured in that namespace outside 127.0.0.0/8. Naming a namespace that has no such address
 * throws a usage error when the invariant is checked.
 */
export function reaches(
  from: readonly string[],
  to: readonly string[],
  kind: Pick<ReachabilityOptions, "protocol" | "port" | "listening"> = {},
): Invariant {
  const name = "reaches";
  return {
    name,
    probes: (net) => ({ ...kind, from, to: expandTargets(net, to) }),
    check: (matrix) =>
      matrix.traces
        .filter((trace) => trace.verdict !== "reachable")
        .map((trace) => {
          const message = `${formatPair(trace)} is ${formatOutcome(trace)}: ${trace.decisive.message}`;
          return violation(name, trace, message);
        }),
  };
}

/**
 * Replaces namespace names among `targets` with the addresses configured in them. Throws a usage
 * error for a namespace without an address outside 127.0.0.0/8, which no probe could reach, so
 * that the invariant does not hold vacuously, and for a target that is neither a namespace nor
 * an address or prefix.
 */
function expandTargets(net: Network, targets: readonly string[]): string[] {
  return targets.flatMap((target) => {
    const ns = Object.values(net.state.namespaces).find((space) => nsLabel(space) === target);
    if (ns === undefined) {
      // An IPv4 or IPv6 address or prefix has a dot or a colon; reachability checks it further.
      if (/[.:]/.test(target)) return [target];
      throw new UsageError(
        `hoptrace: reaches: "${target}" is neither a namespace of the network (${namespaces(net).join(", ")}) nor an IPv4 address or prefix`,
      );
    }
    const local = ns.addrs.filter((addr) => !isLoopback(addr.local));
    if (local.length === 0) {
      throw new UsageError(
        `hoptrace: reaches: namespace "${target}" has no IPv4 address outside 127.0.0.0/8, so no probe can reach it; give it an address, or name the addresses to probe`,
      );
    }
    return local.map((addr) => formatIp4(addr.local));
  });
}

/** One namespace a packet passed through and the links it used there. */
interface Visit {
  ns: string;
  links: string[];
}

/**
 * The hops where a namespace handles a packet at layer 3: it routes it out of a link, or
 * receives or forwards it on one. Bridging and transmission are left out, because a bridge
 * shows only the port a frame leaves by, which differs for the two directions of one path.
 */
const L3_STEPS = new Set(["route", "rcv", "forward"]);

/** Returns the namespaces that routed or received a packet, in order, with the links they used. */
function visits(packet: PacketTrace): Visit[] {
  const path: Visit[] = [];
  for (const hop of packet.hops) {
    if (!L3_STEPS.has(hop.step)) continue;
    let last = path.at(-1);
    if (last?.ns !== hop.ns) {
      last = { ns: hop.ns, links: [] };
      path.push(last);
    }
    if (hop.link !== undefined && !last.links.includes(hop.link)) last.links.push(hop.link);
  }
  return path.map((visit) => ({ ns: visit.ns, links: [...visit.links].sort() }));
}

function formatVisits(path: Visit[]): string {
  return path.map((visit) => `${visit.ns}(${visit.links.join(",")})`).join(" -> ");
}

/**
 * Returns the invariant that every answered probe's reply is routed by the namespaces that
 * routed its request, in reverse order, through the same links in each. Namespaces that only
 * bridge the packet are not compared.
 */
export function symmetricReplies(probes?: ReachabilityOptions): Invariant {
  const name = "symmetric replies";
  return {
    name,
    ...(probes === undefined ? {} : { probes }),
    check: (matrix) =>
      matrix.traces.flatMap((trace) => {
        const reply = trace.packets.find(
          (packet) => isProbeReply(packet) && packet.verdict?.kind === "delivered",
        );
        if (trace.verdict !== "reachable" || reply === undefined) return [];
        const there = formatVisits(visits(trace.packets[0]!));
        const back = formatVisits(visits(reply).reverse());
        if (there === back) return [];
        return [
          violation(
            name,
            trace,
            `the request went ${there}, but the reply came back ${back} (read backwards)`,
          ),
        ];
      }),
  };
}

/**
 * Returns the invariant that reverse-path filtering never drops the reply (an echo reply or a
 * SYN-ACK) to a request that was delivered.
 */
export function rpFilterKeepsReplies(probes?: ReachabilityOptions): Invariant {
  const name = "rp_filter keeps replies";
  return {
    name,
    ...(probes === undefined ? {} : { probes }),
    check: (matrix) =>
      matrix.traces.flatMap((trace) => {
        const filtered = trace.packets.find(
          (packet) => isProbeReply(packet) && packet.verdict?.reason === "IP_RPFILTER",
        );
        if (filtered === undefined) return [];
        return [
          violation(
            name,
            trace,
            `the reply to ${formatPair(trace)} is dropped by ${filtered.verdict!.ns}: ${filtered.verdict!.message}`,
          ),
        ];
      }),
  };
}

/** Returns the violations of every invariant; invariants with the same probes share one matrix. */
export function violations(net: Network, ...invariants: Invariant[]): Violation[] {
  const matrices = new Map<string, Reachability>();
  return invariants.flatMap((invariant) => {
    const probes =
      typeof invariant.probes === "function" ? invariant.probes(net) : invariant.probes;
    const key = JSON.stringify(probes ?? {});
    let matrix = matrices.get(key);
    if (matrix === undefined) {
      matrix = reachability(net, probes);
      matrices.set(key, matrix);
    }
    return invariant.check(matrix, net);
  });
}

/** Reports whether `net` satisfies every invariant. */
export function holds(net: Network, ...invariants: Invariant[]): boolean {
  return violations(net, ...invariants).length === 0;
}

/** Raised by `assertInvariants`: the violations with their traces and the script to reproduce them. */
export class InvariantError extends HoptraceError {
  declare readonly violations: readonly Violation[];
  declare readonly script: string;

  constructor(violations: readonly Violation[], script: string) {
    super(formatViolations(violations, script), 1, "invariant");
    // Not enumerable, so that a test runner that prints an error's own fields after its message
    // does not repeat every trace and the whole script, which the message already holds.
    Object.defineProperties(this, {
      violations: { value: violations, enumerable: false },
      script: { value: script, enumerable: false },
    });
  }
}

/** Throws `InvariantError` when `net` breaks any of `invariants`; returns nothing otherwise. */
export function assertInvariants(net: Network, ...invariants: Invariant[]): void {
  const found = violations(net, ...invariants);
  if (found.length > 0) throw new InvariantError(found, net.script);
}

/** Returns the report of `found`: each violation with its trace, then the script as commands. */
export function formatViolations(found: readonly Violation[], script: string): string {
  const lines = [`${found.length} violation${found.length === 1 ? "" : "s"}:`];
  for (const item of found) {
    lines.push(`${item.invariant}: ${item.message}`, ...formatTrace(item.trace));
  }
  lines.push("", "The network, as commands for a root shell:", script.trimEnd());
  return lines.join("\n");
}
