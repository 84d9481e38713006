/**
 * The background `nc -l [-k] PORT` of netcat-openbsd 1.219: a listening TCP socket whose
 * accepted connections write what they receive to the process's stdout. Without `-k` nc takes
 * one connection and exits once the peer closes it, because `readwrite` returns on end of
 * file. With `-k` it goes back to `accept`. The kernel side (handshake, ACKs, FIN) is in
 * src/path/tcp.ts, which calls the hooks below. `nc -u -l PORT` binds a UDP socket instead.
 *
 * NOTE: the kernel completes the handshake of a second connection that arrives while a
 * one-shot nc still serves its first, and nc never reads it; the model hands its data to nc.
 */
import type { NetState } from "../netns/state.js";
import type { UdpSocket } from "../path/tcp-socket.js";
import { openUdpSocket, socketTable } from "../path/tcp-socket.js";
import type { Proc, Sink } from "./jobs.js";
import { stopProcess } from "./programs.js";
import { appendFile } from "./vfs.js";

/**
 * Registers the listener of the background process `pid` in namespace `nsId`; returns false
 * when another socket already listens on `port` (bind fails with EADDRINUSE).
 */
export function listenTcp(
  state: NetState,
  nsId: number,
  pid: number,
  port: number,
  isKeepOpen: boolean,
): boolean {
  const table = socketTable(state.namespaces[nsId]!);
  if (table.listeners.some((listener) => listener.port === port)) return false;
  table.listeners.push({ addr: 0, port, pid, isKeepOpen });
  return true;
}

/** Writes `text` to `sink` as it arrived, partial lines included. */
function writeText(state: NetState, sink: Sink, text: string): void {
  if (sink.kind === "file") appendFile(state, sink.path, text);
  else if (sink.kind === "terminal") {
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    state.terminal.push(...lines);
  }
}

/** Hands data a connection of listener `pid` received to its process's stdout. */
export function onListenerData(state: NetState, pid: number, data: string): void {
  const proc = state.processes[pid];
  if (proc === undefined || proc.exit !== undefined) return;
  writeText(state, proc.stdout, data);
}

/**
 * Reacts to the end of a connection of listener `pid`: without -k the process exits with
 * status 0; with -k it keeps listening.
 */
export function onListenerClose(state: NetState, pid: number): void {
  const proc = state.processes[pid];
  if (proc === undefined || proc.exit !== undefined) return;
  if (proc.program.kind === "nc-listen" && !proc.program.isKeepOpen) stopProcess(state, proc, 0);
}

/**
 * The exit handler of `nc -l`: the listening socket and the connections it accepted close.
 *
 * NOTE: the kernel sends a FIN (or a reset, with unread data) on each accepted connection
 * that is still open; the model frees them without a segment.
 */
export function releaseListener(state: NetState, proc: Proc): void {
  const ns = state.namespaces[proc.nsId];
  if (ns?.sockets === undefined) return;
  ns.sockets.listeners = ns.sockets.listeners.filter((listener) => listener.pid !== proc.pid);
  ns.sockets.tcp = ns.sockets.tcp.filter((socket) => socket.listenerPid !== proc.pid);
  ns.sockets.udp = ns.sockets.udp.filter((socket) => socket.listenerPid !== proc.pid);
}

/**
 * Binds the UDP socket of the background `nc -u -l` `pid` in namespace `nsId`; returns false
 * when `port` is taken.
 */
export function listenUdp(state: NetState, nsId: number, pid: number, port: number): boolean {
  const ends = { local: 0, localPort: port, remote: 0, remotePort: 0, listenerPid: pid };
  return openUdpSocket(state.namespaces[nsId]!, ends) !== undefined;
}

/**
 * Hands a datagram to its socket. A background `nc -u -l` connects to the sender of its first
 * datagram, so later ones from elsewhere find no socket, and writes the data to its stdout.
 */
export function receiveDatagram(
  state: NetState,
  socket: UdpSocket,
  datagram: { src: number; udp: { srcPort: number; data?: string } },
): void {
  if (socket.listenerPid === undefined) return;
  if (socket.remote === 0) {
    socket.remote = datagram.src;
    socket.remotePort = datagram.udp.srcPort;
  }
  onListenerData(state, socket.listenerPid, datagram.udp.data ?? "");
}
