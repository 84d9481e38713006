/**
 * The client side of a TCP or UDP socket for a blocking tool (nc, bash's /dev/tcp): connect
 * and wait in virtual time, send, close, and let the peer's segments arrive.
 *
 * A wait ends at the first of: the condition holding, the tool's own timeout, or the
 * `timeout` deadline of the command. Events due exactly at a deadline do not run first: a
 * kernel timer fires a little after its nominal time (the recordings show SYN retransmissions
 * 1.02 s apart), so a poll() timeout of the same length wins.
 */
import type { Errno } from "../errors.js";
import type { Netns } from "../netns/state.js";
import type { Sim } from "../path/sim.js";
import type { TcpSocket } from "../path/tcp-socket.js";
import { tcpClose, tcpConnect, tcpSend } from "../path/tcp.js";
import type { ToolContext } from "./context.js";

/** The end of a wait: its condition held, a deadline passed, or nothing was left to run. */
export type WaitEnd = "done" | "deadline" | "idle";

/**
 * Runs `sim` until `isDone` holds, or up to (not including) `deadline`, whose time the clock
 * then shows. Returns "idle" when nothing is left to happen and there is no deadline.
 */
export function waitFor(sim: Sim, isDone: () => boolean, deadline: number): WaitEnd {
  for (;;) {
    if (isDone()) return "done";
    const next = sim.nextEventTime();
    if (next === undefined || next >= deadline) {
      if (deadline === Infinity) return "idle";
      sim.runUntil(deadline - 1);
      sim.state.clock = Math.max(sim.state.clock, deadline);
      return isDone() ? "done" : "deadline";
    }
    sim.runInstant();
  }
}

/** Returns the earlier of a tool's own timeout (from now) and the command's `timeout` deadline. */
export function deadlineOf(ctx: ToolContext, sim: Sim, timeoutMs: number | undefined): number {
  const own = timeoutMs === undefined ? Infinity : sim.now + timeoutMs;
  return Math.min(own, ctx.deadline ?? Infinity);
}

/** The outcome of a blocking connect. */
export type ConnectEnd =
  | { kind: "connected"; socket: TcpSocket }
  | { kind: "failed"; errno: Errno }
  /** The tool's timeout or the command's deadline came first; the attempt was abandoned. */
  | { kind: "timed-out"; byCommandDeadline: boolean };

/**
 * Connects from `ns` to `dst`:`port` and waits for the outcome (`connect()` on a blocking
 * socket, or nc's poll with `-w`).
 */
export function connectAndWait(
  ctx: ToolContext,
  sim: Sim,
  ns: Netns,
  target: { dst: number; port: number; sourcePort?: number },
  timeoutMs: number | undefined,
): ConnectEnd {
  const deadline = deadlineOf(ctx, sim, timeoutMs);
  const started = tcpConnect(sim, ns, target.dst, target.port, target.sourcePort);
  if (!started.ok) return { kind: "failed", errno: started.errno };
  const socket = started.socket;
  const end = waitFor(sim, () => socket.state !== "SYN_SENT", deadline);
  if (socket.state === "ESTABLISHED") return { kind: "connected", socket };
  if (socket.error !== undefined) return { kind: "failed", errno: socket.error };
  // A SYN_SENT socket always has its retransmission timer pending, so "idle" means a bug.
  if (end === "idle") throw new Error("a TCP connect in SYN_SENT has no timer pending");
  // The application gives up: the socket closes without a segment.
  tcpClose(sim, ns, socket);
  return { kind: "timed-out", byCommandDeadline: deadline === ctx.deadline };
}

/**
 * Sends `data`, optionally shuts the sending side (`-N`), waits for the peer to close or for
 * the deadline, then closes. Returns how the wait ended.
 */
export function converse(
  ctx: ToolContext,
  sim: Sim,
  ns: Netns,
  socket: TcpSocket,
  exchange: { data: string; isShutdownOnEof: boolean; timeoutMs?: number },
): WaitEnd {
  tcpSend(sim, ns, socket, exchange.data);
  if (exchange.isShutdownOnEof) tcpClose(sim, ns, socket);
  const deadline = deadlineOf(ctx, sim, exchange.timeoutMs);
  const isOver = (): boolean => socket.isPeerClosed === true || socket.state === "CLOSED";
  const end = waitFor(sim, isOver, deadline);
  tcpClose(sim, ns, socket);
  sim.runUntil(sim.now);
  return end;
}
