/**
 * `nc` from netcat-openbsd 1.219 (Debian 12), IPv4 and numeric addresses only, in virtual time.
 *
 * Sources: netcat.c of that package. A TCP client connects (`timeout_connect`: with `-w` a
 * poll that gives up with `connect to H port P (tcp) timed out: Operation now in progress`),
 * reports a failure as `connect to H port P (tcp) failed: STRERROR` only with `-v`, and exits 1
 * on every failure. `-z` closes right after the connect and with `-v` prints `Connection to H
 * P port [tcp/SERVICE] succeeded!`; these messages go to stderr. Otherwise it sends its stdin,
 * shuts the sending side down after end of file with `-N`, and returns once the peer closes or
 * `-w` passes without traffic. `-u` sends stdin as one datagram from `-p PORT` or an ephemeral
 * port and waits `-w` seconds. `-l [-k] PORT` listens in the background (src/proc/nc-listen.ts).
 */
import type { Netns } from "../netns/state.js";
import { count } from "../netns/state.js";
import { parseIp4Strict } from "../addr/ip4.js";
import { rejectIp6 } from "../addr/ip6.js";
import { ERRNO_TEXT, Unsupported } from "../errors.js";
import { startSim } from "../path/engine.js";
import { connectRoute } from "../path/output-route.js";
import type { Sim } from "../path/sim.js";
import { socketKey } from "../path/sim.js";
import type { TcpSocket } from "../path/tcp-socket.js";
import { closeUdpSocket, isTcpPortUsed, openUdpSocket } from "../path/tcp-socket.js";
import { sendDatagram } from "../path/udp.js";
import { TIMEOUT_STATUS, spawnProcess, writeSink } from "../proc/jobs.js";
import { listenTcp, listenUdp } from "../proc/nc-listen.js";
import { stopProcess } from "../proc/programs.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";
import type { NcOptions } from "./nc-options.js";
import { parseNcOptions, serviceName } from "./nc-options.js";
import { markStillQueued, recordUnsent } from "./probe-traces.js";
import { connectAndWait, converse, deadlineOf, waitFor } from "./tcp-client.js";

/** Runs nc and returns its exit status. */
export function nc(ctx: ToolContext, args: string[]): number {
  const options = parseNcOptions(args);
  if (options.isListen) return listen(ctx, options);
  const dst = resolveHost(options.host!);
  const sim = startSim(ctx.state);
  try {
    if (options.ports !== undefined) {
      // nc tries every port of the range and exits 0 when any connect succeeded.
      const statuses = options.ports.map((port) => tcpClient(ctx, sim, { ...options, port }, dst));
      if (statuses.includes(TIMEOUT_STATUS)) return TIMEOUT_STATUS;
      return statuses.includes(0) ? 0 : 1;
    }
    return options.isUdp ? udpClient(ctx, sim, options, dst) : tcpClient(ctx, sim, options, dst);
  } finally {
    markStillQueued(sim, "nc");
    if (sim.traces.length > 0) ctx.probes.push({ command: ctx.commandLine, packets: sim.traces });
  }
}

/** Resolves a numeric IPv4 address or `localhost`; name lookups are not modelled. */
function resolveHost(host: string): number {
  if (host === "localhost") return 0x7f000001;
  const addr = parseIp4Strict(host);
  rejectIp6(host);
  if (addr === undefined) throw new Unsupported(`nc with a host name (${host})`);
  return addr;
}

function tcpClient(ctx: ToolContext, sim: Sim, options: NcOptions, dst: number): number {
  const ns = currentNs(ctx);
  const port = options.port!;
  const what = `connect to ${options.host} port ${port} (tcp)`;
  if (options.sourcePort !== undefined && isTcpPortUsed(ns, options.sourcePort)) {
    errLines(ctx).push("nc: bind failed: Address already in use");
    return 1;
  }

  const target = {
    dst,
    port,
    ...(options.sourcePort === undefined ? {} : { sourcePort: options.sourcePort }),
  };
  const end = connectAndWait(ctx, sim, ns, target, options.timeout);
  if (end.kind === "failed") {
    if (sim.traces.length === 0) {
      recordUnsent(ctx, `TCP SYN to ${options.host}:${port}`, dst, end.errno);
    }
    if (options.isVerbose) errLines(ctx).push(`nc: ${what} failed: ${ERRNO_TEXT[end.errno]}`);
    return 1;
  }
  if (end.kind === "timed-out") {
    if (end.byCommandDeadline) return TIMEOUT_STATUS;
    if (options.isVerbose) errLines(ctx).push(`nc: ${what} timed out: ${ERRNO_TEXT.EINPROGRESS}`);
    return 1;
  }

  if (options.isVerbose) {
    const service = serviceName("tcp", port);
    errLines(ctx).push(`Connection to ${options.host} ${port} port [tcp/${service}] succeeded!`);
  }
  return exchange(ctx, sim, options, end.socket);
}

/**
 * Runs the part after a connect. With `-z` nc closes at once, and the peer receives a shutdown.
 * Otherwise nc sends stdin and waits for the peer to close, or for `-w` to pass.
 */
function exchange(ctx: ToolContext, sim: Sim, options: NcOptions, socket: TcpSocket): number {
  const ns = currentNs(ctx);
  const timeoutMs = options.isZero ? 0 : options.timeout;
  const wait = converse(ctx, sim, ns, socket, {
    data: options.isZero ? "" : (ctx.stdin ?? ""),
    isShutdownOnEof: options.isShutdownOnEof || options.isZero,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  if (wait === "idle") {
    // Without -w, nc waits for the peer to close, and an idle peer never does.
    throw new Unsupported("nc without -w to a peer that keeps the connection open");
  }
  const isKilled = ctx.deadline !== undefined && sim.now >= ctx.deadline;
  return wait === "deadline" && isKilled ? TIMEOUT_STATUS : 0;
}

function udpClient(ctx: ToolContext, sim: Sim, options: NcOptions, dst: number): number {
  const ns = currentNs(ctx);
  const port = options.port!;
  const rt = connectRoute(ctx.state, ns, { dst });
  if (!rt.ok) {
    // `__ip4_datagram_connect` counts a connect that finds no route.
    if (rt.errno === "ENETUNREACH") count(ns, "IpOutNoRoutes");
    if (options.isVerbose) {
      errLines(ctx).push(
        `nc: connect to ${options.host} port ${port} (udp) failed: ${ERRNO_TEXT[rt.errno]}`,
      );
    }
    return 1;
  }
  // After a connect() that succeeds, -v and -z write test datagrams ("X") and fail on an error
  // they draw. The recordings show that this depends on when the port unreachable arrives.
  if (options.isZero || options.isVerbose) throw new Unsupported("nc -u with -z or -v");

  const socket = openUdpSocket(ns, {
    local: rt.route.src,
    ...(options.sourcePort === undefined ? {} : { localPort: options.sourcePort }),
    remote: rt.route.dst,
    remotePort: port,
  });
  if (socket === undefined) {
    errLines(ctx).push("nc: bind failed: Address already in use");
    return 1;
  }
  const sport = socket.localPort;

  // Errors about the datagram (port unreachable) reach the socket; nc reads them as a failed
  // read and still exits 0 once -w passes.
  sim.inboxes.set(socketKey(ns.id, "udp", sport), []);
  try {
    const data = ctx.stdin ?? "";
    if (data !== "") {
      const datagram = { src: rt.route.src, sport, dst: rt.route.dst, dport: port, data };
      // NOTE: a datagram a netfilter hook drops makes nc's write fail with EPERM; the model
      // does not print nc's message for that, which no recorded case shows.
      sendDatagram(sim, ns, datagram, rt.route);
    }

    const own = deadlineOf({ ...ctx, deadline: Infinity }, sim, options.timeout);
    const deadline = deadlineOf(ctx, sim, options.timeout);
    if (deadline === Infinity) {
      throw new Unsupported("nc -u without -w or timeout (it waits for input forever)");
    }
    waitFor(sim, () => false, deadline);
    return deadline === own ? 0 : TIMEOUT_STATUS;
  } finally {
    closeUdpSocket(ns, socket.id);
  }
}

/**
 * Reports whether a new `nc -l` on TCP `port` shares it with listeners only: netcat-openbsd sets
 * SO_REUSEPORT on its listening socket, so a second one binds where another nc listens
 * (recorded in nc-listen-reuseport). A connection on the port still blocks it here.
 */
function isSharedListen(ns: Netns, port: number): boolean {
  const sockets = ns.sockets;
  if (sockets === undefined || sockets.tcp.some((socket) => socket.localPort === port))
    return false;
  return sockets.listeners.some((listener) => listener.port === port);
}

/**
 * `nc -l [-k] PORT`: in the background it becomes a process that owns a listening socket. In
 * the foreground nothing else can connect while it blocks, so only a `timeout` ends it.
 */
function listen(ctx: ToolContext, options: NcOptions): number {
  if (options.isUdp && options.isKeepOpen) throw new Unsupported("nc -u -l -k");
  if (options.host !== undefined) throw new Unsupported("nc -l with a local address");
  const port = options.port!;
  const ns = currentNs(ctx);

  if (ctx.background === undefined) {
    if (ctx.deadline === undefined) {
      throw new Unsupported("nc -l in the foreground without timeout (it waits forever)");
    }
    if (isTcpPortUsed(ns, port) && !(options.isUdp !== true && isSharedListen(ns, port))) {
      errLines(ctx).push("nc: Address already in use");
      return 1;
    }
    ctx.state.clock = Math.max(ctx.state.clock, ctx.deadline);
    return TIMEOUT_STATUS;
  }
  if (options.isUdp !== true && isSharedListen(ns, port)) {
    // Both sockets would bind, and the kernel's hash of each connection would pick the one
    // that accepts it.
    throw new Unsupported(`nc -l on port ${port}, where another nc already listens`);
  }

  const pid = ctx.background.pid;
  const program = {
    kind: "nc-listen" as const,
    port,
    isKeepOpen: options.isKeepOpen,
    ...(options.isUdp ? { isUdp: true } : {}),
  };
  const existing = ctx.state.processes[pid];
  const proc =
    existing ??
    spawnProcess(ctx.state, {
      pid,
      nsId: ns.id,
      command: ctx.commandLine,
      ...(ctx.deadline === undefined ? {} : { killAt: ctx.deadline }),
      stdout: { kind: "terminal" },
      stderr: { kind: "terminal" },
      program,
    });
  proc.program = program;

  const isBound = options.isUdp
    ? listenUdp(ctx.state, ns.id, pid, port)
    : listenTcp(ctx.state, ns.id, pid, port, options.isKeepOpen);
  if (!isBound) {
    writeSink(ctx.state, proc.stderr, ["nc: Address already in use"]);
    stopProcess(ctx.state, proc, 1);
    return 1;
  }
  return 0;
}
