/**
 * The TCP and UDP socket tables of a namespace: listeners, connections with their state and
 * sequence numbers, and the ephemeral ports they take. The table is plain data in the state,
 * so a listener started in the background keeps accepting connections while later commands
 * run.
 *
 * Sources: include/net/tcp_states.h (the states), net/ipv4/inet_hashtables.c
 * (`__inet_hash_connect`: an ephemeral port comes from `ip_local_port_range`, 32768-60999 by
 * default; the kernel hashes its way through the range, the model walks it in order).
 */
import type { Errno } from "../errors.js";
import type { Netns } from "../netns/state.js";

/** The TCP states a socket of the model goes through (include/net/tcp_states.h). */
export type TcpState =
  | "SYN_SENT"
  | "SYN_RECV"
  | "ESTABLISHED"
  | "FIN_WAIT1"
  | "FIN_WAIT2"
  | "CLOSE_WAIT"
  | "LAST_ACK"
  | "CLOSED";

/** One TCP connection, from either end. */
export interface TcpSocket {
  /** Unique within its namespace, so timers and tools find it again. */
  id: number;
  local: number;
  localPort: number;
  remote: number;
  remotePort: number;
  state: TcpState;
  /** The next sequence number to send, and the next one expected from the peer. */
  sndNxt: number;
  rcvNxt: number;
  /** For a connection a listener accepted: the pid of the listening process. */
  listenerPid?: number;
  /** The error that ended the connection (`sk_err`), such as ECONNREFUSED. */
  error?: Errno;
  /** Whether data arrived on the connection. */
  hasReceivedData?: boolean;
  /** Whether the peer's FIN arrived (the application reads end of file). */
  isPeerClosed?: boolean;
  /** Virtual time in ms at which the first SYN left, for `tcp_syn_retries`. */
  connectStartedAt?: number;
}

/** A listening TCP socket, owned by a background `nc -l`. */
export interface TcpListener {
  /** The local address it is bound to; 0 for any. */
  addr: number;
  port: number;
  pid: number;
  /** `nc -l -k`: it accepts another connection after each one ends. */
  isKeepOpen: boolean;
  /**
   * Whether it takes a SYN for any port, `port` aside. Only the stand-in service of a TCP probe
   * in the analysis listens so, because a probe cannot know the port a DNAT rule sends it to.
   */
  isAnyPort?: boolean;
}

/**
 * A UDP socket of a running tool, of bash's /dev/udp, or of a background `nc -u -l`. It is
 * connected to `remote`:`remotePort`, or takes datagrams from anyone while `remote` is 0.
 */
export interface UdpSocket {
  id: number;
  local: number;
  localPort: number;
  remote: number;
  remotePort: number;
  /** For the socket of a background `nc -u -l`: its pid. */
  listenerPid?: number;
  /** Whether it takes datagrams for any port, as the stand-in service of a UDP probe does. */
  isAnyPort?: boolean;
}

/** The sockets of one namespace. */
export interface SocketTable {
  listeners: TcpListener[];
  tcp: TcpSocket[];
  udp: UdpSocket[];
  /** The next ephemeral port to try. */
  nextPort: number;
  nextSocketId: number;
}

/** First and last port of the kernel's default `net.ipv4.ip_local_port_range`. */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

/** Returns the socket table of `ns`, creating it on first use. */
export function socketTable(ns: Netns): SocketTable {
  ns.sockets ??= {
    listeners: [],
    tcp: [],
    udp: [],
    nextPort: EPHEMERAL_FIRST,
    nextSocketId: 1,
  };
  return ns.sockets;
}

/** Reports whether `port` of `protocol` is in use in `ns`. */
function isPortUsed(table: SocketTable, protocol: "tcp" | "udp", port: number): boolean {
  if (protocol === "udp") return table.udp.some((socket) => socket.localPort === port);
  return (
    table.listeners.some((listener) => listener.port === port) ||
    table.tcp.some((socket) => socket.localPort === port)
  );
}

/**
 * Takes the next free ephemeral port of `protocol` in `ns`, or returns undefined when the range
 * is exhausted (`connect()` fails with EADDRNOTAVAIL then).
 */
export function allocatePort(ns: Netns, protocol: "tcp" | "udp"): number | undefined {
  const table = socketTable(ns);
  const size = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
  for (let tries = 0; tries < size; tries++) {
    const port = table.nextPort;
    table.nextPort = port >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
    if (!isPortUsed(table, protocol, port)) return port;
  }
  return undefined;
}

/** Reports whether a TCP listener or connection already uses local `port` in `ns`. */
export function isTcpPortUsed(ns: Netns, port: number): boolean {
  return isPortUsed(socketTable(ns), "tcp", port);
}

/** Returns the connection of `ns` with the given ends, if there is one. */
export function findTcpSocket(
  ns: Netns,
  ends: { local: number; localPort: number; remote: number; remotePort: number },
): TcpSocket | undefined {
  return ns.sockets?.tcp.find(
    (socket) =>
      socket.local === ends.local &&
      socket.localPort === ends.localPort &&
      socket.remote === ends.remote &&
      socket.remotePort === ends.remotePort,
  );
}

/** Returns the connection of `ns` with `id`, if it still exists. */
export function tcpSocketById(ns: Netns, id: number): TcpSocket | undefined {
  return ns.sockets?.tcp.find((socket) => socket.id === id);
}

/** Removes a connection from its table, as the kernel frees a closed socket. */
export function removeTcpSocket(ns: Netns, socket: TcpSocket): void {
  const table = socketTable(ns);
  table.tcp = table.tcp.filter((candidate) => candidate.id !== socket.id);
}

/** Returns the listener of `ns` that takes a SYN for `addr`:`port`, if any. */
export function findListener(ns: Netns, addr: number, port: number): TcpListener | undefined {
  return ns.sockets?.listeners.find(
    (listener) =>
      (listener.port === port || listener.isAnyPort === true) &&
      (listener.addr === 0 || listener.addr === addr),
  );
}

/**
 * Opens a UDP socket connected to `remote`:`remotePort` from `local` and `localPort`, or an
 * ephemeral port when none is given. Returns undefined when the port is taken (EADDRINUSE)
 * or the range is exhausted.
 */
export function openUdpSocket(
  ns: Netns,
  ends: {
    local: number;
    localPort?: number;
    remote: number;
    remotePort: number;
    listenerPid?: number;
  },
): UdpSocket | undefined {
  const table = socketTable(ns);
  const localPort = ends.localPort ?? allocatePort(ns, "udp");
  if (localPort === undefined || isPortUsed(table, "udp", localPort)) return undefined;
  const socket = { ...ends, localPort, id: table.nextSocketId++ };
  table.udp.push(socket);
  return socket;
}

/**
 * Returns the UDP socket of `ns` that takes a datagram with these addresses and ports: bound
 * to its destination port (or to any port) and either unconnected or connected to its sender.
 */
export function findUdpSocket(
  ns: Netns,
  datagram: { src: number; dst: number; udp: { srcPort: number; dstPort: number } },
): UdpSocket | undefined {
  const { src, dst, udp } = datagram;
  return ns.sockets?.udp.find(
    (socket) =>
      (socket.localPort === udp.dstPort || socket.isAnyPort === true) &&
      (socket.local === 0 || socket.local === dst) &&
      (socket.remote === 0 || (socket.remote === src && socket.remotePort === udp.srcPort)),
  );
}

/** Closes a UDP socket, freeing its port. */
export function closeUdpSocket(ns: Netns, id: number): void {
  const table = socketTable(ns);
  table.udp = table.udp.filter((socket) => socket.id !== id);
}
