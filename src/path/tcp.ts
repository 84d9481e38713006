/**
 * TCP in the engine: segments a namespace sends and receives, the handshake, data, the close
 * on both sides, resets, SYN retransmission and the ICMP errors that end a connect.
 *
 * Linux 6.18 showed this in the recorded cases tcp-connect-errors and tcp-listener. A segment
 * no socket wants gets a reset unless it is one itself. A connect retransmits its SYN 1 s
 * apart for `tcp_syn_linear_timeouts` (4) backoffs and one more, then doubles the interval,
 * so SYNs leave at 0, 1, 2, 3, 4 and 5 s (measured), then by the same rule at 7, 11, 19 s.
 * It gives up with ETIMEDOUT once `2^(tcp_syn_retries + 1) - 1` seconds have passed since
 * the first SYN (3 s for 1 retry and 7 s for 2, both measured; 127 s for the default 6). A SYN that OUTPUT drops is retransmitted all the same. Any
 * ICMP unreachable ends a connect in SYN_SENT with the errno nc prints for it. The kernel
 * code is in net/ipv4 (tcp_ipv4.c, tcp_input.c, tcp_output.c, tcp_timer.c); the counters are
 * those of the `Tcp:` line of /proc/net/snmp.
 *
 * NOTE: data always fits one segment, nothing is lost once a connection is established, and a
 * socket is freed when it would enter TIME_WAIT; the kernel keeps a timewait socket for 60 s.
 */
import { formatIp4 } from "../addr/ip4.js";
import type { Errno } from "../errors.js";
import type { Netns } from "../netns/state.js";
import { count } from "../netns/state.js";
import type { IcmpPacket, Tcp, TcpPacket } from "../wire/ipv4.js";
import { describePacket } from "../wire/ipv4.js";
import { sendLocal } from "./engine.js";
import type { NoOutputRoute } from "./output-route.js";
import { connectRoute, outputRoute } from "./output-route.js";
import { badSourceText } from "./explain.js";
import type { Sim } from "./sim.js";
import { nsLabel, socketKey } from "./sim.js";
import type { TcpSocket } from "./tcp-socket.js";
import {
  allocatePort,
  findListener,
  findTcpSocket,
  removeTcpSocket,
  socketTable,
  tcpSocketById,
} from "./tcp-socket.js";
import { onListenerClose, onListenerData } from "../proc/nc-listen.js";
import type { PacketTrace } from "./verdict.js";

/**
 * The windows Linux advertises on a SYN and on a SYN-ACK (`tcp_select_initial_window`, MSS
 * 1460 on Ethernet with timestamps), as the recorded captures show them.
 */
const SYN_WINDOW = 64240;
const SYN_ACK_WINDOW = 65160;
/**
 * The window field of every later segment: the same windows scaled down by the window scale
 * both SYNs offer, which is 7 in the model's captures (`wscale 7`). A capture on a machine with
 * that scale shows 502 from the side that connected and 509 from the side that accepted. The
 * scale follows the machine's memory (`tcp_rmem`), so transcripts mask both.
 */
const SCALED_CLIENT_WINDOW = 502;
const SCALED_SERVER_WINDOW = 509;
/** The initial retransmission timeout of a SYN (`TCP_TIMEOUT_INIT`), in ms. */
const RTO_INITIAL_MS = 1000;
/** The largest retransmission timeout (`TCP_RTO_MAX`), in ms. */
const RTO_MAX_MS = 120_000;

/**
 * The errno a connect gets from an ICMP destination-unreachable code (`icmp_err_convert` in
 * net/ipv4/icmp.c). The recordings confirm codes 0, 1, 3, 9, 10 and 13.
 */
const UNREACH_ERRNO: Readonly<Record<number, Errno>> = {
  0: "ENETUNREACH",
  1: "EHOSTUNREACH",
  2: "ENOPROTOOPT",
  3: "ECONNREFUSED",
  4: "EMSGSIZE",
  5: "EOPNOTSUPP",
  6: "ENETUNREACH",
  7: "EHOSTDOWN",
  8: "ENONET",
  9: "ENETUNREACH",
  10: "EHOSTUNREACH",
  11: "ENETUNREACH",
  12: "EHOSTUNREACH",
  13: "EHOSTUNREACH",
  14: "EHOSTUNREACH",
  15: "EHOSTUNREACH",
};

/** The control bits of a segment. */
type Flags = Tcp["flags"];

/** Returns the sequence space a segment takes: its data, plus one for SYN and for FIN. */
function segmentLength(tcp: Tcp): number {
  return (
    (tcp.data?.length ?? 0) + (tcp.flags.syn === true ? 1 : 0) + (tcp.flags.fin === true ? 1 : 0)
  );
}

/**
 * Sends one segment of `socket` with `flags` and optional `data`, on a trace of its own, and
 * returns that trace (undefined when no route leads to the peer).
 */
export function sendSegment(
  sim: Sim,
  ns: Netns,
  socket: TcpSocket,
  flags: Flags,
  data?: string,
  seq = socket.sndNxt,
): PacketTrace | undefined {
  const tcp: Tcp = {
    srcPort: socket.localPort,
    dstPort: socket.remotePort,
    seq,
    ack: flags.ack === true ? socket.rcvNxt : 0,
    flags,
    window: windowOf(socket, flags),
    ...(data === undefined || data === "" ? {} : { data }),
  };
  const packet: TcpPacket = {
    protocol: "tcp",
    src: socket.local,
    dst: socket.remote,
    ttl: 64,
    tos: 0,
    payload: data?.length ?? 0,
    tcp,
  };
  // A retransmission does not advance snd_nxt, and `tcp_transmit_skb` counts only new segments.
  const isNew = seq === socket.sndNxt;
  if (isNew) socket.sndNxt = (socket.sndNxt + segmentLength(tcp)) >>> 0;
  const trace = sim.startTrace(describePacket(packet));
  const rt = outputRoute(sim.state, ns, { dst: socket.remote, src: socket.local });
  if (!rt.ok) {
    const reason =
      rt.badSource === undefined
        ? `${nsLabel(ns)} has no route to ${formatIp4(socket.remote)} any more (${rt.errno})`
        : badSourceText(ns, rt.badSource);
    const message = `${reason}, so the segment is not sent`;
    sim.drop(trace, ns, "IP_OUTNOROUTES", message);
    return trace;
  }
  if (isNew) count(ns, "TcpOutSegs");
  sendLocal(sim, ns, packet, rt.route, trace);
  return trace;
}

/** A started connect, or its errno with the failed route lookup behind it, if one failed. */
export type ConnectStart =
  { ok: true; socket: TcpSocket } | { ok: false; errno: Errno; route?: NoOutputRoute };

/**
 * Starts a connect from `ns` to `dst`:`dport` (`tcp_v4_connect`): the route picks the source,
 * the socket takes an ephemeral port (or `sport`), and the SYN leaves with its retransmission
 * timer armed. A route lookup failure is the connect's errno, and nothing is sent.
 */
export function tcpConnect(
  sim: Sim,
  ns: Netns,
  dst: number,
  dport: number,
  sport?: number,
): ConnectStart {
  const rt = connectRoute(sim.state, ns, { dst });
  if (!rt.ok) {
    // `tcp_v4_connect` counts a connect that finds no route.
    if (rt.errno === "ENETUNREACH") count(ns, "IpOutNoRoutes");
    return { ok: false, errno: rt.errno, route: rt };
  }
  const localPort = sport ?? allocatePort(ns, "tcp");
  if (localPort === undefined) return { ok: false, errno: "EADDRNOTAVAIL" };
  const table = socketTable(ns);
  const id = table.nextSocketId++;
  const socket: TcpSocket = {
    id,
    local: rt.route.src,
    localPort,
    remote: rt.route.dst,
    remotePort: dport,
    state: "SYN_SENT",
    // Initial sequence numbers are random in the kernel and masked in transcripts.
    sndNxt: (id * 0x01000193 + 0x2f) >>> 0,
    rcvNxt: 0,
    connectStartedAt: sim.now,
  };
  table.tcp.push(socket);
  count(ns, "TcpActiveOpens");
  sendSegment(sim, ns, socket, { syn: true });
  scheduleSynRetransmit(sim, ns.id, id, RTO_INITIAL_MS, 0, socket.sndNxt - 1);
  return { ok: true, socket };
}

/**
 * Returns how long a connect may retransmit SYNs (`tcp_model_timeout`), in ms: the time
 * `retries` doubling backoffs from 1 s take, with each backoff capped at 120 s.
 */
export function synTimeoutMs(retries: number): number {
  const linearThreshold = Math.floor(Math.log2(RTO_MAX_MS / RTO_INITIAL_MS));
  if (retries <= linearThreshold) return ((2 << retries) - 1) * RTO_INITIAL_MS;
  return ((2 << linearThreshold) - 1) * RTO_INITIAL_MS + (retries - linearThreshold) * RTO_MAX_MS;
}

/** Arms the SYN retransmission timer of socket `id` in namespace `nsId`. */
function scheduleSynRetransmit(
  sim: Sim,
  nsId: number,
  id: number,
  rto: number,
  backoff: number,
  isn: number,
): void {
  sim.schedule(
    sim.now + rto,
    () => {
      const ns = sim.state.namespaces[nsId];
      const socket = ns === undefined ? undefined : tcpSocketById(ns, id);
      if (ns === undefined || socket === undefined || socket.state !== "SYN_SENT") return;
      const retries = ns.sysctl["net.ipv4.tcp_syn_retries"] ?? 6;
      if (sim.now - (socket.connectStartedAt ?? 0) >= synTimeoutMs(retries)) {
        failConnect(ns, socket, "ETIMEDOUT");
        return;
      }
      count(ns, "TcpRetransSegs");
      sendSegment(sim, ns, socket, { syn: true }, undefined, isn);
      const linear = ns.sysctl["net.ipv4.tcp_syn_linear_timeouts"] ?? 4;
      const next = backoff + 1 > linear ? Math.min(rto * 2, RTO_MAX_MS) : rto;
      scheduleSynRetransmit(sim, nsId, id, next, backoff + 1, isn);
    },
    true,
  );
}

/** Ends a connect that did not complete: the socket keeps its errno and leaves the table. */
function failConnect(ns: Netns, socket: TcpSocket, errno: Errno): void {
  socket.error = errno;
  socket.state = "CLOSED";
  count(ns, "TcpAttemptFails");
  removeTcpSocket(ns, socket);
}

/** Sends `data` on an established connection. */
export function tcpSend(sim: Sim, ns: Netns, socket: TcpSocket, data: string): void {
  if (data === "" || (socket.state !== "ESTABLISHED" && socket.state !== "CLOSE_WAIT")) return;
  sendSegment(sim, ns, socket, { psh: true, ack: true }, data);
}

/**
 * Closes `socket` from the application's side (`tcp_close`): a connection that is not
 * established yet just goes away, an open one sends its FIN.
 */
export function tcpClose(sim: Sim, ns: Netns, socket: TcpSocket): void {
  switch (socket.state) {
    case "SYN_SENT":
    case "SYN_RECV":
    case "CLOSED":
      socket.state = "CLOSED";
      removeTcpSocket(ns, socket);
      return;
    case "ESTABLISHED":
      socket.state = "FIN_WAIT1";
      sendSegment(sim, ns, socket, { fin: true, ack: true });
      return;
    case "CLOSE_WAIT":
      socket.state = "LAST_ACK";
      sendSegment(sim, ns, socket, { fin: true, ack: true });
      return;
    default:
      return;
  }
}

/** Returns the window field of a segment `socket` sends with `flags`. */
function windowOf(socket: TcpSocket, flags: Flags): number {
  if (flags.syn === true) return flags.ack === true ? SYN_ACK_WINDOW : SYN_WINDOW;
  return socket.listenerPid === undefined ? SCALED_CLIENT_WINDOW : SCALED_SERVER_WINDOW;
}

/**
 * Sends from `ns` the reset that `tcp_v4_send_reset` builds in reply to `packet`, or with
 * `isFromNetfilter` the one of a REJECT rule (`nf_send_reset`). The stack counts its reset in
 * TcpOutRsts even when no route takes it, and routes it only from a local source. Netfilter
 * routes it as `ip_route_me_harder` does, from any source, and counts nothing.
 */
export function sendReset(
  sim: Sim,
  ns: Netns,
  packet: TcpPacket,
  isFromNetfilter = false,
): PacketTrace | undefined {
  const { tcp } = packet;
  if (tcp.flags.rst === true) return undefined;
  const hasAck = tcp.flags.ack === true;
  const reset: TcpPacket = {
    protocol: "tcp",
    src: packet.dst,
    dst: packet.src,
    ttl: 64,
    tos: 0,
    payload: 0,
    tcp: {
      srcPort: tcp.dstPort,
      dstPort: tcp.srcPort,
      seq: hasAck ? tcp.ack : 0,
      ack: hasAck ? 0 : (tcp.seq + segmentLength(tcp)) >>> 0,
      flags: hasAck ? { rst: true } : { rst: true, ack: true },
      window: 0,
    },
  };
  const trace = sim.startTrace(describePacket(reset));
  if (!isFromNetfilter) {
    count(ns, "TcpOutRsts");
    count(ns, "TcpOutSegs");
  }
  const query = { dst: reset.dst, src: reset.src, isAnySource: isFromNetfilter };
  const rt = outputRoute(sim.state, ns, query);
  if (!rt.ok && rt.badSource !== undefined) {
    const message = `${nsLabel(ns)} never sends its reset: ${badSourceText(ns, rt.badSource)}`;
    sim.drop(trace, ns, "NOT_SPECIFIED", message);
    return trace;
  }
  if (!rt.ok) {
    const message = `${nsLabel(ns)} has no route back to ${formatIp4(reset.dst)}, so it never sends its reset`;
    sim.drop(trace, ns, "IP_OUTNOROUTES", message);
    return trace;
  }
  sendLocal(sim, ns, reset, rt.route, trace);
  return trace;
}

/**
 * Local delivery of a TCP segment: to its connection, to a listener (a SYN starts the
 * handshake), or a reset when no socket wants it.
 */
export function tcpDeliver(
  sim: Sim,
  ns: Netns,
  linkName: string,
  packet: TcpPacket,
  trace: PacketTrace,
  isUnicast: boolean,
): void {
  const { tcp } = packet;
  if (!isUnicast) {
    const message = `TCP accepts only segments addressed to one host, and this one went to a group address of ${nsLabel(ns)}`;
    sim.drop(trace, ns, "NOT_SPECIFIED", message, linkName);
    return;
  }
  // A raw socket that sent probes from this port (traceroute -T) gets a copy of every reply.
  // The TCP layer still handles the segment, so it resets a SYN-ACK that no connection expected.
  sim.inboxes.get(socketKey(ns.id, "tcp", tcp.dstPort))?.push({ time: sim.now, packet });
  count(ns, "TcpInSegs");
  const socket = findTcpSocket(ns, {
    local: packet.dst,
    localPort: tcp.dstPort,
    remote: packet.src,
    remotePort: tcp.srcPort,
  });
  if (socket !== undefined) {
    segmentArrived(sim, ns, linkName, socket, packet, trace);
    return;
  }
  const listener = findListener(ns, packet.dst, tcp.dstPort);
  const isSyn = tcp.flags.syn === true && tcp.flags.ack !== true && tcp.flags.rst !== true;
  if (listener !== undefined && isSyn) {
    const table = socketTable(ns);
    const child: TcpSocket = {
      id: table.nextSocketId++,
      local: packet.dst,
      localPort: tcp.dstPort,
      remote: packet.src,
      remotePort: tcp.srcPort,
      state: "SYN_RECV",
      sndNxt: (table.nextSocketId * 0x01000193 + 0x7a) >>> 0,
      rcvNxt: (tcp.seq + 1) >>> 0,
      listenerPid: listener.pid,
    };
    table.tcp.push(child);
    sim.deliver(
      trace,
      ns,
      `SYN to the listener on TCP port ${tcp.dstPort}, which answers with SYN-ACK`,
      linkName,
    );
    sendSegment(sim, ns, child, { syn: true, ack: true });
    return;
  }
  // A listener resets a segment that neither opens a connection nor belongs to one.
  const nobody =
    listener === undefined
      ? `nothing in ${nsLabel(ns)} listens on TCP port ${tcp.dstPort}`
      : `the listener on TCP port ${tcp.dstPort} in ${nsLabel(ns)} has no connection for this segment`;
  if (tcp.flags.rst === true) {
    sim.drop(trace, ns, "NO_SOCKET", `${nobody}, and a reset gets no answer`, linkName);
    return;
  }
  sim.drop(trace, ns, "NO_SOCKET", `${nobody}, so it answers with a reset`, linkName);
  sendReset(sim, ns, packet);
}

/** Moves one connection through its states for an arriving segment. */
function segmentArrived(
  sim: Sim,
  ns: Netns,
  linkName: string,
  socket: TcpSocket,
  packet: TcpPacket,
  trace: PacketTrace,
): void {
  const { flags } = packet.tcp;
  const where = `the connection ${formatIp4(socket.local)}:${socket.localPort} <> ${formatIp4(socket.remote)}:${socket.remotePort}`;
  if (flags.rst === true) {
    if (socket.state === "SYN_SENT") {
      failConnect(ns, socket, "ECONNREFUSED");
      sim.deliver(trace, ns, `reset for ${where}: connect() fails with ECONNREFUSED`, linkName);
      return;
    }
    if (socket.state === "ESTABLISHED" || socket.state === "CLOSE_WAIT")
      count(ns, "TcpEstabResets");
    socket.error = "ECONNRESET";
    socket.state = "CLOSED";
    removeTcpSocket(ns, socket);
    sim.deliver(trace, ns, `reset for ${where}: the connection is gone`, linkName);
    return;
  }
  if (socket.state === "SYN_SENT") {
    if (flags.syn !== true || flags.ack !== true) {
      sim.drop(
        trace,
        ns,
        "NOT_SPECIFIED",
        `${where} waits for a SYN-ACK and ignores this segment`,
        linkName,
      );
      return;
    }
    socket.rcvNxt = (packet.tcp.seq + 1) >>> 0;
    socket.state = "ESTABLISHED";
    sim.deliver(trace, ns, `SYN-ACK for ${where}: connected, it acknowledges`, linkName);
    sendSegment(sim, ns, socket, { ack: true });
    return;
  }
  if (flags.syn === true) {
    // A retransmitted SYN to a half-open connection gets its SYN-ACK again.
    if (socket.state === "SYN_RECV") {
      sim.deliver(trace, ns, `retransmitted SYN for ${where}: SYN-ACK again`, linkName);
      sendSegment(sim, ns, socket, { syn: true, ack: true }, undefined, socket.sndNxt - 1);
      return;
    }
    sim.drop(
      trace,
      ns,
      "NOT_SPECIFIED",
      `${where} is past its handshake and ignores the SYN`,
      linkName,
    );
    return;
  }
  if (socket.state === "SYN_RECV") {
    socket.state = "ESTABLISHED";
    count(ns, "TcpPassiveOpens");
  }
  dataArrived(sim, ns, linkName, socket, packet, trace, where);
}

/** Handles data, FIN and ACK once the handshake is done. */
function dataArrived(
  sim: Sim,
  ns: Netns,
  linkName: string,
  socket: TcpSocket,
  packet: TcpPacket,
  trace: PacketTrace,
  where: string,
): void {
  const { tcp } = packet;
  const data = tcp.data ?? "";
  const isFin = tcp.flags.fin === true;
  const acksOurFin = tcp.flags.ack === true && tcp.ack === socket.sndNxt;
  if (data !== "") socket.rcvNxt = (socket.rcvNxt + data.length) >>> 0;
  if (isFin) {
    socket.rcvNxt = (socket.rcvNxt + 1) >>> 0;
    socket.isPeerClosed = true;
  }

  const events: string[] = [];
  if (data !== "") events.push(`${data.length} bytes of data`);
  if (isFin) events.push("the peer's FIN");
  const what = events.length === 0 ? "an ACK" : events.join(" and ");
  sim.deliver(trace, ns, `${what} for ${where} (${socket.state})`, linkName);

  switch (socket.state) {
    case "FIN_WAIT1":
      if (isFin) {
        finishClose(sim, ns, socket);
        return;
      }
      if (acksOurFin) socket.state = "FIN_WAIT2";
      return;
    case "FIN_WAIT2":
      if (isFin) finishClose(sim, ns, socket);
      return;
    case "LAST_ACK":
      if (acksOurFin) {
        socket.state = "CLOSED";
        removeTcpSocket(ns, socket);
      }
      return;
    case "ESTABLISHED":
      if (isFin) socket.state = "CLOSE_WAIT";
      break;
    default:
      break;
  }
  const isOwnedByListener = socket.listenerPid !== undefined;
  if (data !== "" && isOwnedByListener) {
    socket.hasReceivedData = true;
    onListenerData(sim.state, socket.listenerPid!, data);
  }
  if (isFin && isOwnedByListener) {
    // nc reads end of file and closes its side. A FIN puts the socket in pingpong mode, so its
    // ACK waits (`tcp_fin`, delayed ACK) and leaves with nc's own FIN.
    tcpClose(sim, ns, socket);
    onListenerClose(sim.state, socket.listenerPid!);
    return;
  }
  // Linux acknowledges at once while in quick-ack mode, which covers the short exchanges here.
  if (data !== "" || isFin) sendSegment(sim, ns, socket, { ack: true });
}

/** FIN_WAIT: the peer's FIN completes the close; the last ACK goes out and TIME_WAIT frees it. */
function finishClose(sim: Sim, ns: Netns, socket: TcpSocket): void {
  socket.state = "CLOSED";
  removeTcpSocket(ns, socket);
  sendSegment(sim, ns, socket, { ack: true });
}

/**
 * Delivers an ICMP error about one of this namespace's TCP segments (`tcp_v4_err`). Returns
 * false when no connection sent the quoted segment.
 */
export function tcpError(
  sim: Sim,
  ns: Netns,
  linkName: string,
  packet: IcmpPacket,
  trace: PacketTrace,
): boolean {
  const quoted = packet.icmp.quoted;
  if (quoted?.protocol !== "tcp") return false;
  const socket = findTcpSocket(ns, {
    local: quoted.src,
    localPort: quoted.tcp.srcPort,
    remote: quoted.dst,
    remotePort: quoted.tcp.dstPort,
  });
  if (socket === undefined) return false;
  const errno = packet.icmp.type === 3 ? UNREACH_ERRNO[packet.icmp.code] : undefined;
  if (socket.state !== "SYN_SENT" || errno === undefined) {
    // NOTE: on an established connection the kernel keeps the error as a soft error and goes
    // on retransmitting; the model ignores the message there.
    sim.deliver(
      trace,
      ns,
      `ICMP error for a TCP connection of ${nsLabel(ns)}, which goes on`,
      linkName,
    );
    return true;
  }
  failConnect(ns, socket, errno);
  sim.deliver(
    trace,
    ns,
    `ICMP error for a connect of ${nsLabel(ns)}: it fails with ${errno}`,
    linkName,
  );
  return true;
}
