/**
 * The sockets behind bash's `/dev/tcp/HOST/PORT` and `/dev/udp/HOST/PORT` redirections: the
 * shell opens one when it sets up the redirection, the command writes its stdout into it, and
 * the shell closes it when the command ends. A TCP open is a connect, which can be refused,
 * time out or find no route. A UDP open only binds, and each write sends a datagram.
 *
 * Sources: bash lib/sh/netopen.c (`_netopen4`: a blocking `connect()` after `socket()`, the
 * errno goes to the caller, which prints `bash: connect: STRERROR` and then the redirection
 * error) and net/ipv4/udp.c (`udp_sendmsg`: a datagram a netfilter hook drops on the way out
 * makes the write fail with EPERM).
 */
import type { Errno } from "../errors.js";
import { parseIp4Strict } from "../addr/ip4.js";
import { startSim } from "../path/engine.js";
import { connectRoute, outputRoute } from "../path/output-route.js";
import type { Sim } from "../path/sim.js";
import { closeUdpSocket, openUdpSocket, socketTable, tcpSocketById } from "../path/tcp-socket.js";
import { tcpClose, tcpSend } from "../path/tcp.js";
import { sendDatagram } from "../path/udp.js";
import type { ToolContext } from "../tools/context.js";
import { currentNs } from "../tools/context.js";
import { connectAndWait } from "../tools/tcp-client.js";
import { markStillQueued } from "../tools/probe-traces.js";

/** An open /dev/tcp or /dev/udp socket. */
export interface DevSocket {
  protocol: "tcp" | "udp";
  id: number;
}

/** The result of opening a /dev/tcp or /dev/udp path. */
export type OpenResult = { ok: true; socket: DevSocket } | { ok: false; errno: Errno };

/** Runs `step` in a simulation of its own and records its packets as the command's probes. */
function simulate<T>(ctx: ToolContext, step: (sim: Sim) => T): T {
  const sim = startSim(ctx.state);
  try {
    return step(sim);
  } finally {
    markStillQueued(sim, "bash");
    if (sim.traces.length > 0) ctx.probes.push({ command: ctx.commandLine, packets: sim.traces });
  }
}

/**
 * Opens a socket to `host` (a dotted IPv4 address) and `port` in the namespace of `ctx`; a TCP
 * connect runs in virtual time until the peer responds, the kernel gives up, or reaches `ctx.deadline`. When
 * the deadline cuts the connect short, the clock shows the deadline and the errno is EINTR:
 * `timeout` killed the shell, which prints nothing more.
 *
 * NOTE: bash resolves host names too; the model takes only dotted addresses and fails others
 * with EHOSTUNREACH, which is not what bash prints for an unknown name.
 */
export function openDevSocket(
  ctx: ToolContext,
  protocol: "tcp" | "udp",
  host: string,
  port: number,
): OpenResult {
  const dst = parseIp4Strict(host);
  if (dst === undefined) return { ok: false, errno: "EHOSTUNREACH" };
  const ns = currentNs(ctx);
  if (protocol === "udp") {
    const rt = connectRoute(ctx.state, ns, { dst });
    if (!rt.ok) return { ok: false, errno: rt.errno };
    const ends = { local: rt.route.src, remote: rt.route.dst, remotePort: port };
    const socket = openUdpSocket(ns, ends);
    if (socket === undefined) return { ok: false, errno: "EADDRNOTAVAIL" };
    return { ok: true, socket: { protocol, id: socket.id } };
  }
  return simulate(ctx, (sim): OpenResult => {
    const end = connectAndWait(ctx, sim, ns, { dst, port }, undefined);
    if (end.kind === "connected") return { ok: true, socket: { protocol, id: end.socket.id } };
    if (end.kind === "failed") return { ok: false, errno: end.errno };
    return { ok: false, errno: "EINTR" };
  });
}

/** Sends `data` over `socket`; returns the errno of a failed write. */
export function writeDevSocket(
  ctx: ToolContext,
  socket: DevSocket,
  data: string,
): Errno | undefined {
  const ns = currentNs(ctx);
  if (socket.protocol === "tcp") {
    const tcp = tcpSocketById(ns, socket.id);
    if (tcp === undefined) return "EPIPE";
    const error = tcp.error;
    if (error !== undefined) return error;
    if (tcp.state !== "ESTABLISHED" && tcp.state !== "CLOSE_WAIT") return "EPIPE";
    return simulate(ctx, (sim) => {
      tcpSend(sim, ns, tcp, data);
      sim.runUntil(sim.now);
      return undefined;
    });
  }
  const udp = socketTable(ns).udp.find((candidate) => candidate.id === socket.id);
  if (udp === undefined) return "EPIPE";
  const rt = outputRoute(ctx.state, ns, { dst: udp.remote, src: udp.local });
  if (!rt.ok) return rt.errno;
  const datagram = {
    src: udp.local,
    sport: udp.localPort,
    dst: udp.remote,
    dport: udp.remotePort,
    data,
  };
  return simulate(ctx, (sim) => {
    const errno = sendDatagram(sim, ns, datagram, rt.route);
    sim.runUntil(sim.now);
    return errno;
  });
}

/** Closes `socket` (a TCP close sends FIN and the rest of the close runs at once). */
export function closeDevSocket(ctx: ToolContext, socket: DevSocket): void {
  const ns = currentNs(ctx);
  if (socket.protocol === "udp") {
    closeUdpSocket(ns, socket.id);
    return;
  }
  const tcp = tcpSocketById(ns, socket.id);
  if (tcp === undefined) return;
  simulate(ctx, (sim) => {
    tcpClose(sim, ns, tcp);
    sim.runUntil(sim.now);
  });
}
