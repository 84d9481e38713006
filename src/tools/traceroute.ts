/**
 * `traceroute` 2.1.2 (Debian 12) for IPv4, in virtual time: UDP probes to ports 33434 and up by
 * default, ICMP echo probes with `-I`, sent up to `-N` at a time with growing TTLs. A hop is the
 * address that sends time exceeded, and the trace ends at the hop where the destination replies
 * (port unreachable or echo reply) or an unreachable error comes back.
 *
 * Sources: traceroute.c (`do_it`: the send, wait and print loop; `print_header` leaves its line
 * open, each hop starts with a newline, `print_end` closes the last line; `error` prints a
 * newline and `perror`, then exits 1) and mod-udp.c / mod-icmp.c (a UDP socket per probe whose
 * `connect()` picks the route when the probe is sent, so a missing route fails after the
 * header; one raw ICMP socket connected before the header). traceroute exits 0 whatever the
 * probes met.
 */
import { ERRNO_TEXT, Unsupported } from "../errors.js";
import { formatIp4 } from "../addr/ip4.js";
import { count } from "../netns/state.js";
import { isDroppedOnTheWayOut, sendLocal, startSim } from "../path/engine.js";
import { countIcmpOut } from "../path/icmp.js";
import type { NoOutputRoute, OutputRoute } from "../path/output-route.js";
import { connectRoute } from "../path/output-route.js";
import type { Sim, SocketMessage } from "../path/sim.js";
import { socketKey } from "../path/sim.js";
import { allocatePort } from "../path/tcp-socket.js";
import type { IcmpPacket, Packet } from "../wire/ipv4.js";
import { ICMP_ECHO, ICMP_ECHO_REPLY, ICMP_REDIRECT, describePacket } from "../wire/ipv4.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";
import { markStillQueued, recordUnsent } from "./probe-traces.js";
import type { TracerouteOptions } from "./traceroute-options.js";
import { parseTracerouteArgs } from "./traceroute-options.js";
import type { Probe } from "./traceroute-probes.js";
import {
  checkExpired,
  classifyAnswer,
  formatProbe,
  newProbe,
  timeoutOf,
} from "./traceroute-probes.js";
import { TRACEROUTE_USAGE } from "./traceroute-usage.js";

/** The first destination port of UDP probes (`DEF_START_PORT`). */
const FIRST_UDP_PORT = 33434;
/** The destination port of every `-U` probe unless `-p` gives one (the udp module's default). */
const FIXED_UDP_PORT = 53;
/** The destination port of `-T` probes unless `-p` gives one (the tcp module's default). */
const TCP_PORT = 80;
/** Simulated wire time added to every reply, in ms. Transcripts mask the printed times. */
const SIMULATED_RTT = 0.05;

/** One traceroute run in progress. */
interface TraceRun {
  ctx: ToolContext;
  options: TracerouteOptions;
  sim: Sim;
  probes: Probe[];
  /** The route of the ICMP socket's connect(); UDP probes connect one by one. */
  rt?: OutputRoute;
  /** `-I`: the echo id of the raw socket. */
  echoId: number;
  /** Every open socket's inbox, with the probe it belongs to (any probe for the ICMP socket). */
  sockets: Map<string, { inbox: SocketMessage[]; index: number }>;
  /** What traceroute printed so far; its lines are cut at the end. */
  text: string;
  /** When the last probe went out, for `-z`. */
  lastSend: number;
}

/** Runs traceroute and returns its exit status. */
export function traceroute(ctx: ToolContext, args: string[]): number {
  const parsed = parseTracerouteArgs(args);
  if (parsed.kind === "usage") {
    errLines(ctx).push(...TRACEROUTE_USAGE.split("\n"));
    return 0;
  }
  const run = startRun(ctx, parsed.options);
  const status = runProbes(run);
  markStillQueued(run.sim, "traceroute");
  ctx.probes.push({ command: ctx.commandLine, packets: run.sim.traces });
  ctx.out.push(...run.text.replace(/\n$/, "").split("\n"));
  return status;
}

function startRun(ctx: ToolContext, options: TracerouteOptions): TraceRun {
  const count = options.maxHops * options.perHop;
  return {
    ctx,
    options,
    sim: startSim(ctx.state),
    probes: Array.from({ length: count }, newProbe),
    echoId: options.isIcmp ? ctx.state.nextEchoId++ & 0xffff : 0,
    sockets: new Map(),
    text: "",
    lastSend: Number.NEGATIVE_INFINITY,
  };
}

/** Connects the ICMP socket, prints the header and runs `do_it`; returns the exit status. */
function runProbes(run: TraceRun): number {
  const { options } = run;
  if (options.isIcmp) {
    const connected = connect(run);
    if (!connected.ok) return connectFailed(run, connected);
    run.rt = connected.route;
    const key = socketKey(currentNs(run.ctx).id, "icmp", run.echoId);
    run.sockets.set(key, { inbox: [], index: -1 });
  }
  run.text += `traceroute to ${options.target} (${formatIp4(options.dst)}), ${options.maxHops} hops max, ${options.packetLen} byte packets`;
  for (const [key, socket] of run.sockets) run.sim.inboxes.set(key, socket.inbox);
  const status = doIt(run);
  if (status === 0) run.text += "\n";
  return status;
}

/**
 * `do_it`: keeps up to `-N` probes in flight from the first unprinted one, prints probes in
 * order as they are answered or expire, and stops after the hop of a final answer.
 */
function doIt(run: TraceRun): number {
  const { options, probes } = run;
  const perHop = options.perHop;
  let start = (options.firstHop - 1) * perHop;
  let end = probes.length;
  while (start < end) {
    let nextTime: number | undefined;
    let inFlight = 0;
    const now = run.sim.now;
    for (let n = start; n < end; n++) {
      const probe = probes[n]!;
      if (n === start && !probe.isDone && probe.sendTime !== undefined) {
        const expireAt = probe.sendTime + timeoutOf(probes, n, perHop, options);
        if (expireAt > now) nextTime = expireAt;
        else expire(run, n);
      }
      if (probe.isDone) {
        if (n === start) {
          run.text += formatProbe(probes, n, perHop, options.isNumeric);
          start++;
        }
        if (probe.isFinal) end = (Math.floor(n / perHop) + 1) * perHop;
        continue;
      }
      if (probe.sendTime === undefined) {
        const sendAt = run.lastSend + options.sendWaitMs;
        if (options.sendWaitMs > 0 && sendAt > now) {
          nextTime = sendAt;
          break;
        }
        const failure = sendProbe(run, n);
        if (failure === "EPERM") return sendFailed(run);
        if (failure !== undefined) return connectFailed(run, failure);
      }
      nextTime ??= probe.sendTime! + timeoutOf(probes, n, perHop, options);
      if (++inFlight >= options.simProbes) break;
    }
    if (nextTime !== undefined) poll(run, nextTime);
  }
  return 0;
}

/** Gives up on probe `index` (`expire_probe`), then lets `check_expired` move a late answer. */
function expire(run: TraceRun, index: number): void {
  run.probes[index]!.isDone = true;
  closeSocket(run, index);
  checkExpired(run.probes, index, run.options.perHop);
}

/** Connects the probe socket: returns the route to the destination, or why the connect fails. */
function connect(run: TraceRun): { ok: true; route: OutputRoute } | NoOutputRoute {
  const ns = currentNs(run.ctx);
  const result = connectRoute(run.ctx.state, ns, { dst: run.options.dst });
  if (!result.ok) {
    if (result.errno === "ENETUNREACH") count(ns, "IpOutNoRoutes");
    return result;
  }
  // A broadcast route needs SO_BROADCAST, which traceroute never sets.
  if (result.route.isBroadcast) return { ok: false, errno: "EACCES" };
  return result;
}

/** `error("connect")`: a newline and perror's line on stderr, then exit status 1. */
function connectFailed(run: TraceRun, failure: NoOutputRoute): number {
  recordUnsent(run.ctx, `probe to ${formatIp4(run.options.dst)}`, run.options.dst, failure);
  run.text += `\nconnect: ${ERRNO_TEXT[failure.errno]}\n`;
  return 1;
}

/**
 * `error("send")`: a netfilter hook of the sender dropped a probe, so its send call failed
 * with EPERM, and traceroute stops.
 */
function sendFailed(run: TraceRun): number {
  run.text += `\nsend: ${ERRNO_TEXT.EPERM}\n`;
  return 1;
}

/**
 * Sends probe `index` with its hop's TTL. Returns why its UDP or TCP socket cannot connect, or
 * EPERM when a netfilter hook of the sender dropped it.
 */
function sendProbe(run: TraceRun, index: number): NoOutputRoute | "EPERM" | undefined {
  const { options, sim } = run;
  const ns = currentNs(run.ctx);
  const connected = options.isIcmp ? { ok: true as const, route: run.rt! } : connect(run);
  if (!connected.ok) return connected;
  const packet = buildProbe(run, index, connected.route);
  if (packet.protocol === "udp" || packet.protocol === "tcp") {
    const ports = packet.protocol === "udp" ? packet.udp : packet.tcp;
    const key = socketKey(ns.id, packet.protocol, ports.srcPort);
    const socket = { inbox: [], index };
    run.sockets.set(key, socket);
    sim.inboxes.set(key, socket.inbox);
  } else {
    countIcmpOut(ns, ICMP_ECHO);
  }
  run.probes[index]!.sendTime = sim.now;
  run.lastSend = sim.now;
  const trace = sim.startTrace(describePacket(packet), index + 1);
  sendLocal(sim, ns, packet, connected.route, trace);
  if (isDroppedOnTheWayOut(trace, ns)) return "EPERM";
  // `udp_send_skb` counts a datagram once `ip_send_skb` accepted it.
  if (packet.protocol === "udp") count(ns, "UdpOutDatagrams");
  return undefined;
}

/** Returns probe `index`: a UDP datagram to the next port, or an echo request with the next seq. */
function buildProbe(run: TraceRun, index: number, rt: OutputRoute): Packet {
  const { options } = run;
  const ttl = Math.floor(index / options.perHop) + 1;
  const ip = { src: rt.src, dst: rt.dst, ttl, tos: 0, payload: options.dataLen };
  if (options.isIcmp) {
    const seq = (options.port || 1) + index;
    return { ...ip, protocol: "icmp", icmp: { type: ICMP_ECHO, code: 0, id: run.echoId, seq } };
  }
  if (options.isTcp) {
    // The tcp module binds a new socket per probe for its source port and sends a bare SYN.
    const srcPort = allocatePort(currentNs(run.ctx), "tcp");
    if (srcPort === undefined) throw new Unsupported("traceroute with every ephemeral port taken");
    const tcp = { srcPort, dstPort: options.port || TCP_PORT, seq: index, ack: 0, window: 5840 };
    // The SYN carries no data: its 40-byte header with options makes the 60 bytes traceroute
    // announces, and the 60 bytes iptables counts on the kernel.
    return { ...ip, payload: 0, protocol: "tcp", tcp: { ...tcp, flags: { syn: true } } };
  }
  const dstPort = options.isFixedUdp
    ? options.port || FIXED_UDP_PORT
    : (options.port || FIRST_UDP_PORT) + index;
  // Each probe's socket takes an ephemeral port, so a later run does not reuse the ports (and
  // so the conntrack entries and NAT bindings) of an earlier one, as the kernel's random choice
  // does not.
  const srcPort = allocatePort(currentNs(run.ctx), "udp");
  if (srcPort === undefined) throw new Unsupported("traceroute with every ephemeral port taken");
  return { ...ip, protocol: "udp", udp: { srcPort, dstPort } };
}

/**
 * `do_poll` in virtual time: runs the simulation until an answer is waiting on a socket or
 * `until` passes, then reads every waiting answer. The clock stays in whole milliseconds.
 */
function poll(run: TraceRun, until: number): void {
  const { sim } = run;
  const deadline = Math.ceil(until);
  while (!hasAnswers(run)) {
    const next = sim.nextEventTime();
    if (next === undefined || next > deadline) {
      sim.runUntil(deadline);
      break;
    }
    sim.runInstant();
  }
  for (const [key, socket] of run.sockets) {
    while (socket.inbox.length > 0) receive(run, key, socket.index, socket.inbox.shift()!);
  }
}

function hasAnswers(run: TraceRun): boolean {
  return [...run.sockets.values()].some((socket) => socket.inbox.length > 0);
}

/** Matches one answer to its probe and records it (`recv_reply`), unless that probe is done. */
function receive(run: TraceRun, key: string, socketIndex: number, message: SocketMessage): void {
  const { packet } = message;
  if (packet.protocol === "tcp") {
    // A SYN-ACK or a reset: the destination itself answered the probe.
    const probe = run.probes[socketIndex];
    if (probe === undefined || probe.isDone || probe.sendTime === undefined) return;
    Object.assign(
      probe,
      { annotation: "", isFinal: true, isDone: true },
      {
        recvTime: message.time + SIMULATED_RTT,
        from: packet.src,
        recvTtl: packet.ttl,
      },
    );
    closeSocketByKey(run, key);
    return;
  }
  if (packet.protocol !== "icmp") return;
  if (packet.icmp.type === ICMP_REDIRECT) {
    // NOTE: what traceroute -I makes of a redirect on its raw socket is not recorded yet.
    run.sim.state.unmodelledEffect ??= "traceroute -I reading an ICMP redirect";
    return;
  }
  const index = run.options.isIcmp ? echoProbeIndex(run, packet) : socketIndex;
  const probe = index === undefined ? undefined : run.probes[index];
  if (probe === undefined || probe.isDone || probe.sendTime === undefined) return;
  const { icmp } = packet;
  const answer =
    icmp.type === ICMP_ECHO_REPLY
      ? { annotation: "", isFinal: true }
      : classifyAnswer(icmp.type, icmp.code, icmp.mtu);
  Object.assign(probe, answer, {
    recvTime: message.time + SIMULATED_RTT,
    from: packet.src,
    recvTtl: packet.ttl,
    isDone: true,
  });
  if (!run.options.isIcmp) closeSocketByKey(run, key);
}

/** Returns the probe an echo reply or an error about an echo request answers, by its seq. */
function echoProbeIndex(run: TraceRun, packet: IcmpPacket): number | undefined {
  const { icmp } = packet;
  const quoted = icmp.quoted;
  let echo = undefined;
  if (icmp.type === ICMP_ECHO_REPLY) echo = icmp;
  else if (quoted?.protocol === "icmp") echo = quoted.icmp;
  if (echo === undefined || echo.id !== run.echoId) return undefined;
  return echo.seq - (run.options.port || 1);
}

/** Closes the UDP socket of probe `index` (`probe_done`); later answers find no socket. */
function closeSocket(run: TraceRun, index: number): void {
  if (run.options.isIcmp) return;
  for (const [key, socket] of run.sockets) if (socket.index === index) closeSocketByKey(run, key);
}

function closeSocketByKey(run: TraceRun, key: string): void {
  run.sockets.delete(key);
  run.sim.inboxes.delete(key);
}
