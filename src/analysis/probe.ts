/**
 * One probe: what `ip netns exec NS ping -c 1 ADDR` sends, followed through the packet walk
 * until the echo reply reaches the sender or every packet it caused has a verdict. TCP and UDP
 * probes are in transport-probe.ts.
 *
 * The probe runs on a private copy of the state (`probeState`), so it sees the neighbour caches
 * and bridge tables the script left behind but changes nothing: every probe of a reachability
 * matrix starts from the same state. It is built on the engine's own steps
 * (`outputRoute`, `sendLocal`, `Sim`), so its verdicts are the ones `ping` in a script gets.
 */
import { produce } from "immer";
import { formatIp4, parseIp4Strict } from "../addr/ip4.js";
import { rejectIp6 } from "../addr/ip6.js";
import { UsageError } from "../errors.js";
import type { Errno } from "../errors.js";
import type { Netns, NetState } from "../netns/state.js";
import { sendLocal } from "../path/engine.js";
import { explainUnsent } from "../path/explain.js";
import type { NoOutputRoute, OutputRoute } from "../path/output-route.js";
import { connectRoute } from "../path/output-route.js";
import { Sim, nsLabel, socketKey } from "../path/sim.js";
import type { PacketTrace, Verdict } from "../path/verdict.js";
import type { Packet } from "../wire/ipv4.js";
import { ICMP_ECHO, ICMP_ECHO_REPLY, describePacket } from "../wire/ipv4.js";
import { probeState } from "./probe-state.js";
import { sendTransport } from "./transport-probe.js";

/** The protocols a probe may name: an ICMP echo, a TCP connect or a UDP datagram. */
export type ProbeProtocol = "icmp" | "tcp" | "udp";

/** A namespace with a socket that listens on a port during a TCP or UDP probe. */
export interface ListeningPort {
  /** The namespace as `ip netns` names it; `host` is the initial namespace. */
  ns: string;
  port: number;
  /** The protocol of the socket; a TCP and a UDP socket both listen when absent. */
  protocol?: "tcp" | "udp";
}

/** A probe request: from a namespace to an IPv4 address. */
export interface Probe {
  /** The namespace as `ip netns` names it; `host` is the initial namespace. */
  from: string;
  /** The destination as a dotted quad. */
  to: string;
  /** The protocol, `icmp` when absent. */
  protocol?: ProbeProtocol;
  /** The destination port of a `tcp` or `udp` probe, from 1 to 65535; required for them. */
  port?: number;
  /**
   * The sockets that listen during a `tcp` or `udp` probe, besides those the script opened
   * itself (`nc -l`). When absent, every namespace listens on every port, as a
   * pre-flight check of a service assumes the service runs, wherever a DNAT rule sends the
   * probe. An empty list leaves only the script's own listeners.
   */
  listening?: readonly ListeningPort[];
}

/**
 * A probe's verdict. `reachable`: an echo reply, a SYN-ACK, or for UDP the delivery to a bound
 * socket. `refused`: the destination replied that nothing listens, with a TCP reset or an ICMP
 * port unreachable (`connect()` fails with ECONNREFUSED). `dropped`: anything else. ICMP
 * probes are never `refused`.
 */
export type ReachVerdict = "reachable" | "dropped" | "refused";

/** The result of one probe: its verdict and the hops of every packet it caused. */
export interface Trace {
  from: string;
  to: string;
  protocol: ProbeProtocol;
  /** The destination port of a `tcp` or `udp` probe. */
  port?: number;
  verdict: ReachVerdict;
  /** Whether the first packet left the sender; false when its output route lookup failed. */
  isSent: boolean;
  /**
   * The packet verdict that decided `verdict`: the reply's delivery to the sender, else the
   * drop of the request, else the drop of its reply.
   */
  decisive: Verdict;
  /** Every packet the probe caused, in the order they were sent; the request is first. */
  packets: PacketTrace[];
}

/**
 * The virtual time a probe waits for its answer, in ms: ping's default `-W` of 10 s, which is
 * longer than ARP's 3 probes 1 s apart, so every packet ends with a verdict.
 */
export const PROBE_TIMEOUT_MS = 10_000;

/** The ICMP payload of a probe in bytes, ping's default `-s`. */
const PAYLOAD = 56;

/** Returns the namespace a probe names, or throws a usage error listing the known ones. */
export function findNamespace(state: NetState, name: string): Netns {
  const found = Object.values(state.namespaces).find((ns) => nsLabel(ns) === name);
  if (found !== undefined) return found;
  const known = Object.values(state.namespaces).map(nsLabel).join(", ");
  throw new UsageError(`hoptrace: namespace "${name}" not found; the network has: ${known}`);
}

/**
 * Parses a probe's destination, or throws a usage error naming it; an IPv6 address throws
 * `Unsupported`, because only IPv4 is modelled.
 */
export function parseDestination(text: string): number {
  rejectIp6(text);
  const addr = parseIp4Strict(text);
  if (addr === undefined) {
    throw new UsageError(
      `hoptrace: invalid destination "${text}": expected an IPv4 address such as 192.0.2.1`,
    );
  }
  return addr;
}

/**
 * Sends `probe` through a copy of `state` and returns its trace. Throws a usage error for an
 * unknown namespace, a malformed address or a missing port. A broadcast destination is probed
 * as `ping -b` would: ping without `-b` refuses to send.
 */
export function sendProbe(state: NetState, probe: Probe): Trace {
  const kind = checkProbeKind(state, probe);
  const nsId = findNamespace(state, probe.from).id;
  return sendProbeFrom(state, nsId, parseDestination(probe.to), kind);
}

/** The part of a probe that every pair of a reachability matrix shares. */
export type ProbeKind = Pick<Probe, "protocol" | "port" | "listening">;

/**
 * Checks the protocol, port and listening sockets of a probe and returns them, or throws a
 * usage error for an unknown protocol, a port on an ICMP probe, a missing or invalid port, or an
 * unknown namespace in `listening`.
 */
export function checkProbeKind(state: NetState, kind: ProbeKind): ProbeKind {
  const protocol = kind.protocol ?? "icmp";
  if (protocol !== "icmp" && protocol !== "tcp" && protocol !== "udp") {
    throw new UsageError(`hoptrace: invalid protocol "${String(protocol)}": use icmp, tcp or udp`);
  }
  if (protocol === "icmp") {
    // A port without a protocol most likely means a forgotten `protocol: "tcp"`, which would
    // silently turn a check of a service into a ping.
    if (kind.port !== undefined) {
      throw new UsageError(
        `hoptrace: port ${kind.port} given for an ICMP probe; set protocol to "tcp" or "udp" to probe a port`,
      );
    }
    // A list of listeners would be ignored just as silently.
    if (kind.listening !== undefined) {
      throw new UsageError(
        `hoptrace: listening sockets given for an ICMP probe; set protocol to "tcp" or "udp" to probe a port`,
      );
    }
    return { protocol };
  }
  checkPort(kind.port);
  for (const entry of kind.listening ?? []) {
    findNamespace(state, entry.ns);
    checkPort(entry.port);
    const listenProtocol: unknown = entry.protocol;
    if (listenProtocol !== undefined && listenProtocol !== "tcp" && listenProtocol !== "udp") {
      throw new UsageError(
        `hoptrace: invalid listening protocol "${String(listenProtocol)}": use tcp or udp, or leave it out for both`,
      );
    }
  }
  return {
    protocol,
    port: kind.port,
    ...(kind.listening === undefined ? {} : { listening: kind.listening }),
  };
}

/** Throws a usage error unless `port` is a TCP or UDP port number. */
function checkPort(port: number | undefined): asserts port is number {
  if (port === undefined) {
    throw new UsageError("hoptrace: missing port: a TCP or UDP probe needs a port from 1 to 65535");
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(
      `hoptrace: invalid port "${port}": a TCP or UDP probe needs a port from 1 to 65535`,
    );
  }
}

/**
 * Sends a probe of `kind` (checked by `checkProbeKind`) from the namespace with id `nsId` to
 * the address `dst` (a 32-bit number). Callers that probe many pairs resolve each source and
 * destination once and call this.
 */
export function sendProbeFrom(state: NetState, nsId: number, dst: number, kind: ProbeKind): Trace {
  const protocol = kind.protocol ?? "icmp";
  if (protocol === "icmp") return sendEcho(state, nsId, dst);
  const listening = kind.listening === undefined ? {} : { listening: kind.listening };
  return sendTransport(state, nsId, dst, { protocol, port: kind.port!, ...listening });
}

/**
 * Sends an ICMP echo probe from the namespace with id `nsId` to the address `dst` (a 32-bit
 * number), as `sendProbe` does once it has checked the probe. Callers that probe many pairs
 * resolve each source and destination once and call this.
 */
export function sendEcho(state: NetState, nsId: number, dst: number): Trace {
  const copy = probeState(state);
  return runEcho(copy, copy.namespaces[nsId]!, dst);
}

/**
 * Sends `probe` as `sendProbe` does, but on a throwaway immer draft (`produce`), as every probe
 * ran before `probeState`. It is the reference for the equivalence test and the baseline of
 * `bench/reachability.ts`.
 */
export function sendProbeOnDraft(state: NetState, probe: Probe): Trace {
  const { nsId, dst } = checkProbe(state, probe);
  let trace: Trace | undefined;
  produce(state, (draft) => {
    trace = runEcho(draft, draft.namespaces[nsId]!, dst);
  });
  return trace!;
}

function checkProbe(state: NetState, probe: Probe): { nsId: number; dst: number } {
  if ((probe.protocol ?? "icmp") !== "icmp") {
    throw new UsageError("hoptrace: sendProbeOnDraft sends ICMP echo probes only");
  }
  return { nsId: findNamespace(state, probe.from).id, dst: parseDestination(probe.to) };
}

/** Sends one echo request from `ns` on a probe copy or draft and runs the simulation until it settles. */
function runEcho(draft: NetState, ns: Netns, dst: number): Trace {
  const from = nsLabel(ns);
  const to = formatIp4(dst);
  const rt = connectRoute(draft, ns, { dst }, true);
  if (!rt.ok) return unsentTrace(draft, ns, dst, rt, { protocol: "icmp" });

  const sim = new Sim(draft);
  const id = draft.nextEchoId++ & 0xffff;
  const inbox: { time: number; packet: Packet }[] = [];
  sim.inboxes.set(socketKey(ns.id, "icmp", id), inbox);
  const packet = echoRequest(rt.route, id);
  const request = sim.startTrace(describePacket(packet));
  sendLocal(sim, ns, packet, rt.route, request);

  const deadline = sim.now + PROBE_TIMEOUT_MS;
  while ((sim.nextEventTime() ?? Infinity) <= deadline) sim.runNext();
  settleTraces(sim.traces);

  const isAnswered = inbox.some(
    ({ packet }) => packet.protocol === "icmp" && packet.icmp.type === ICMP_ECHO_REPLY,
  );
  const decisive = decisiveVerdict(sim.traces, isAnswered);
  const verdict: ReachVerdict = isAnswered ? "reachable" : "dropped";
  return { from, to, protocol: "icmp", verdict, isSent: true, decisive, packets: sim.traces };
}

function echoRequest(rt: OutputRoute, id: number): Packet {
  const icmp = { type: ICMP_ECHO, code: 0, id, seq: 1 };
  return { protocol: "icmp", src: rt.src, dst: rt.dst, ttl: 64, tos: 0, payload: PAYLOAD, icmp };
}

/** Gives every packet still waiting when the probe gave up a `queued` verdict. */
export function settleTraces(traces: PacketTrace[]): void {
  for (const trace of traces) {
    if (trace.verdict !== undefined) continue;
    const last = trace.hops.at(-1);
    trace.verdict = {
      kind: "queued",
      ns: last?.ns ?? "host",
      ...(last?.link === undefined ? {} : { link: last.link }),
      message: `still waiting after ${PROBE_TIMEOUT_MS / 1000} s, when the probe gave up`,
    };
  }
}

/** Reports whether a packet trace is that of an echo reply. */
export function isEchoReply(trace: PacketTrace): boolean {
  return trace.packet.startsWith("ICMP echo reply");
}

/**
 * Reports whether a packet trace is that of the reply a probe waits for: an echo reply, or the
 * SYN-ACK of a TCP connect. A UDP probe expects no reply.
 */
export function isProbeReply(trace: PacketTrace): boolean {
  return (
    isEchoReply(trace) || (trace.packet.startsWith("TCP ") && trace.packet.includes("[SYN,ACK]"))
  );
}

/**
 * Picks the verdict that explains the probe: the delivered reply when it was answered, the
 * request's own verdict when the request did not arrive, else the first reply that did not.
 */
function decisiveVerdict(traces: PacketTrace[], isAnswered: boolean): Verdict {
  const replies = traces.filter(isEchoReply);
  if (isAnswered) return replies.find((reply) => reply.verdict?.kind === "delivered")!.verdict!;
  const request = traces[0]!.verdict!;
  if (request.kind !== "delivered") return request;
  const lost = replies.find((reply) => reply.verdict?.kind !== "delivered");
  if (lost !== undefined) return lost.verdict!;
  // The request arrived but no echo reply was sent, for example a broadcast that every receiver ignored.
  return {
    ...request,
    kind: "dropped",
    message: `${request.message}, but no echo reply came back`,
  };
}

/**
 * Returns the trace of a probe whose output route lookup failed, so nothing was sent. `failure`
 * is the errno and, once the namespace has rules, the rule and table that decided. `kind` names
 * the probe's protocol and, for TCP and UDP, its port.
 */
export function unsentTrace(
  state: NetState,
  ns: Netns,
  dst: number,
  failure: Errno | NoOutputRoute,
  kind: { protocol: ProbeProtocol; port?: number },
): Trace {
  const from = nsLabel(ns);
  const to = formatIp4(dst);
  const errno = typeof failure === "string" ? failure : failure.errno;
  const message = explainUnsent(state, ns, dst, failure);
  const hop = {
    time: state.clock,
    ns: from,
    step: "route",
    detail: `output route lookup for ${to} failed: ${errno}`,
  };
  const decisive: Verdict = { kind: "dropped", reason: "IP_OUTNOROUTES", ns: from, message };
  const request =
    kind.protocol === "icmp"
      ? `ICMP echo request to ${to}`
      : kind.protocol === "tcp"
        ? `TCP SYN to ${to}:${kind.port}`
        : `UDP datagram to ${to}:${kind.port}`;
  const packet: PacketTrace = {
    packet: `${request} (never sent)`,
    hops: [hop],
    verdict: decisive,
  };
  return {
    from,
    to,
    protocol: kind.protocol,
    ...(kind.port === undefined ? {} : { port: kind.port }),
    verdict: "dropped",
    isSent: false,
    decisive,
    packets: [packet],
  };
}
