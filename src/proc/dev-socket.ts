/**
 * The sockets behind bash's `/dev/tcp/HOST/PORT` and `/dev/udp/HOST/PORT` redirections: the
 * shell opens one when it sets up the redirection, the command writes its stdout into it, and
 * the shell closes it when the command ends. A TCP open is a connect (it can be refused, time
 * out or find no route); a UDP open only binds, and the write is what sends.
 */
import type { Errno } from "../errors.js";
import { Unsupported } from "../errors.js";
import type { ToolContext } from "../tools/context.js";

/** An open /dev/tcp or /dev/udp socket. */
export interface DevSocket {
  protocol: "tcp" | "udp";
  id: number;
}

/** The result of opening a /dev/tcp or /dev/udp path. */
export type OpenResult = { ok: true; socket: DevSocket } | { ok: false; errno: Errno };

/**
 * Opens a socket to `host` (a dotted IPv4 address) and `port` in the namespace of `ctx`; a TCP
 * connect runs in virtual time until it is answered, gives up, or reaches `ctx.deadline`.
 */
export function openDevSocket(
  _ctx: ToolContext,
  protocol: "tcp" | "udp",
  _host: string,
  _port: number,
): OpenResult {
  throw new Unsupported(`/dev/${protocol} redirections`);
}

/** Sends `data` over `socket`; returns the errno of a failed write. */
export function writeDevSocket(
  _ctx: ToolContext,
  socket: DevSocket,
  _data: string,
): Errno | undefined {
  throw new Unsupported(`/dev/${socket.protocol} redirections`);
}

/** Closes `socket` (a TCP close sends FIN and lingers in virtual time as the kernel does). */
export function closeDevSocket(_ctx: ToolContext, socket: DevSocket): void {
  throw new Unsupported(`/dev/${socket.protocol} redirections`);
}
