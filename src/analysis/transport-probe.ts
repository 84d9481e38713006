/**
 * TCP and UDP probes: a connect as `nc -z -w 2 ADDR PORT` makes it, and a datagram as
 * `nc -u -w 2 ADDR PORT` sends it, on the engine's own socket code (`tcpConnect`, `waitFor`,
 * `sendDatagram`), so a probe's verdict is what nc in a script gets.
 *
 * The sender decides after `CONNECT_TIMEOUT_MS`, as nc's `-w 2` does. The probe then lets the
 * packets still in flight run to `PROBE_TIMEOUT_MS`, so that a SYN waiting for ARP ends with
 * the neighbour failure that dropped it rather than as still queued.
 *
 * NOTE: like the ICMP probe, it runs without the state's pending timers, so a background
 * listener whose `timeout` ends during the probe's 2 s still accepts it.
 */
import { formatIp4 } from "../addr/ip4.js";
import type { Netns, NetState } from "../netns/state.js";
import { connectRoute } from "../path/output-route.js";
import { Sim, nsLabel, socketKey } from "../path/sim.js";
import { openUdpSocket, socketTable } from "../path/tcp-socket.js";
import { tcpClose, tcpConnect } from "../path/tcp.js";
import { sendDatagram } from "../path/udp.js";
import type { PacketTrace, Verdict } from "../path/verdict.js";
import { waitFor } from "../tools/tcp-client.js";
import type { Packet } from "../wire/ipv4.js";
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from "../wire/ipv4.js";
import type { ListeningPort, ReachVerdict, Trace } from "./probe.js";
import { PROBE_TIMEOUT_MS, settleTraces, unsentTrace } from "./probe.js";
import { probeState } from "./probe-state.js";

/** How long the sender waits for a reply, in ms: nc's `-w 2`. */
export const CONNECT_TIMEOUT_MS = 2000;

/** A TCP or UDP probe once `sendProbe` has checked it. */
export interface TransportProbe {
  protocol: "tcp" | "udp";
  port: number;
  /** See `Probe.listening`: absent means every namespace listens on every port. */
  listening?: readonly ListeningPort[];
}

/**
 * Sends a TCP or UDP probe from the namespace with id `nsId` to the address `dst` (a 32-bit
 * number) on a private copy of `state`, and returns its trace.
 */
export function sendTransport(
  state: NetState,
  nsId: number,
  dst: number,
  probe: TransportProbe,
): Trace {
  const copy = probeState(state, (ns) => openListener(ns, probe));
  const ns = copy.namespaces[nsId]!;
  return probe.protocol === "tcp"
    ? runConnect(copy, ns, dst, probe.port)
    : runDatagram(copy, ns, dst, probe.port);
}

/**
 * Opens the probe's listening sockets in a namespace copy. Without a `listening` list the
 * namespace listens on every port, so that a probe a DNAT rule sends to another port still
 * finds its service. With one, it listens on each port the list gives it for the probe's
 * protocol, unless a socket of the script has that port already.
 */
function openListener(ns: Netns, probe: TransportProbe): void {
  const table = socketTable(ns);
  // pid 0 names no process (pids start at 1000), so accepted connections write their data nowhere.
  const listener = { addr: 0, port: 0, pid: 0, isKeepOpen: true };
  if (probe.listening === undefined) {
    if (probe.protocol === "tcp") table.listeners.push({ ...listener, isAnyPort: true });
    else table.udp.push({ ...anyPortUdp, id: table.nextSocketId++ });
    return;
  }
  const name = nsLabel(ns);
  const isOpen = (entry: ListeningPort): boolean =>
    entry.ns === name && (entry.protocol === undefined || entry.protocol === probe.protocol);
  for (const { port } of probe.listening.filter(isOpen)) {
    if (probe.protocol === "udp") {
      // openUdpSocket returns undefined when a socket of the script is bound to the port already.
      openUdpSocket(ns, { local: 0, localPort: port, remote: 0, remotePort: 0 });
    } else if (!table.listeners.some((entry) => entry.port === port)) {
      table.listeners.push({ ...listener, port });
    }
  }
}

/** The UDP socket that takes datagrams for any port, less its id. */
const anyPortUdp = { local: 0, localPort: 0, remote: 0, remotePort: 0, isAnyPort: true };

/** Connects from `ns` to `dst`:`port` as `nc -z -w 2` does. */
function runConnect(state: NetState, ns: Netns, dst: number, port: number): Trace {
  const sim = new Sim(state);
  const start = sim.now;
  const started = tcpConnect(sim, ns, dst, port);
  if (!started.ok) {
    return unsentTrace(state, ns, dst, started.route ?? started.errno, { protocol: "tcp", port });
  }
  const socket = started.socket;
  waitFor(sim, () => socket.state !== "SYN_SENT", start + CONNECT_TIMEOUT_MS);

  let verdict: ReachVerdict = "dropped";
  if (socket.state === "ESTABLISHED") verdict = "reachable";
  else if (socket.error === "ECONNREFUSED") verdict = "refused";
  // nc gives up on a connect still in SYN_SENT: the socket goes away without a segment. An
  // established connection stays open, because nc's FIN would reach the script's listener
  // process, which the probe must not change.
  if (socket.state === "SYN_SENT") tcpClose(sim, ns, socket);
  settle(sim, start);

  const decisive =
    verdict === "reachable"
      ? answerVerdict(sim.traces, nsLabel(ns), "[SYN,ACK]")
      : failureVerdict(sim.traces, verdict);
  return transportTrace(ns, dst, { protocol: "tcp", port }, verdict, decisive, sim.traces);
}

/** Sends one datagram from `ns` to `dst`:`port` as `nc -u -w 2` does. */
function runDatagram(state: NetState, ns: Netns, dst: number, port: number): Trace {
  const sim = new Sim(state);
  const start = sim.now;
  const kind = { protocol: "udp" as const, port };
  const rt = connectRoute(state, ns, { dst });
  if (!rt.ok) return unsentTrace(state, ns, dst, rt, kind);
  const socket = openUdpSocket(ns, { local: rt.route.src, remote: rt.route.dst, remotePort: port });
  if (socket === undefined) {
    // Only a script that uses every port of ip_local_port_range gets here.
    throw new Error(`no free ephemeral UDP port in ${nsLabel(ns)} for the probe`);
  }
  const inbox: { time: number; packet: Packet }[] = [];
  sim.inboxes.set(socketKey(ns.id, "udp", socket.localPort), inbox);
  const datagram = { src: rt.route.src, sport: socket.localPort, dst: rt.route.dst, dport: port };
  // The datagram carries no data, because no step of the path reads it and the probe's copies
  // of the script's UDP sockets have no process to hand it to.
  sendDatagram(sim, ns, { ...datagram, data: "" }, rt.route);
  waitFor(sim, () => false, start + CONNECT_TIMEOUT_MS);

  const isRefused = inbox.some(
    ({ packet }) =>
      packet.protocol === "icmp" &&
      packet.icmp.type === ICMP_DEST_UNREACH &&
      packet.icmp.code === ICMP_PORT_UNREACH,
  );
  const first = sim.traces[0]!;
  // udpDeliver gives a datagram the `delivered` verdict only when a socket takes it.
  const isDelivered = first.verdict?.kind === "delivered";
  let verdict: ReachVerdict = "dropped";
  if (isDelivered) verdict = "reachable";
  else if (isRefused) verdict = "refused";
  settle(sim, start);
  const decisive = isDelivered ? first.verdict! : failureVerdict(sim.traces, verdict);
  return transportTrace(ns, dst, kind, verdict, decisive, sim.traces);
}

/** Runs what is still in flight up to the probe's end, then marks what still waits. */
function settle(sim: Sim, start: number): void {
  const deadline = start + PROBE_TIMEOUT_MS;
  while ((sim.nextEventTime() ?? Infinity) <= deadline) sim.runNext();
  settleTraces(sim.traces);
}

/** Returns the verdict of the reply (`[SYN,ACK]`) that reached the sender `from`. */
function answerVerdict(traces: PacketTrace[], from: string, flags: string): Verdict {
  const answer = traces.find(
    (trace) =>
      trace.packet.includes(flags) &&
      trace.verdict?.kind === "delivered" &&
      trace.verdict.ns === from,
  );
  return answer?.verdict ?? traces[0]!.verdict!;
}

/**
 * Picks the verdict that explains a probe that was not reachable. A refused probe is
 * explained by its request's end: the closed port (NO_SOCKET) or the rule that rejected it.
 * Otherwise the first packet that did not arrive explains it, except that a request dropped
 * for NO_SOCKET drew a reply, so the loss of that reply (a reset or a port unreachable)
 * comes first.
 */
function failureVerdict(traces: PacketTrace[], verdict: ReachVerdict): Verdict {
  const request = traces[0]!.verdict!;
  if (verdict === "refused") return request;
  const lost = traces.filter((trace) => trace.verdict?.kind !== "delivered");
  const [first, next] = lost;
  if (first === undefined) {
    // Every packet arrived and none was the reply, as when a listener ignores the segment.
    return { ...request, kind: "dropped", message: `${request.message}, but no reply came back` };
  }
  if (first.verdict!.reason === "NO_SOCKET" && next !== undefined) return next.verdict!;
  return first.verdict!;
}

function transportTrace(
  ns: Netns,
  dst: number,
  kind: { protocol: "tcp" | "udp"; port: number },
  verdict: ReachVerdict,
  decisive: Verdict,
  packets: PacketTrace[],
): Trace {
  return {
    from: nsLabel(ns),
    to: formatIp4(dst),
    ...kind,
    verdict,
    isSent: true,
    decisive,
    packets,
  };
}
