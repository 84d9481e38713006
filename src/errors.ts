/**
 * The errors hoptrace raises. Each subclass says who is speaking, because the transcript prints
 * them in different shapes: a `UsageError` is the tool's own complaint about its command line, a
 * `KernelError` is what Linux answered (iproute2 prints it as `RTNETLINK answers: ...` or
 * `Error: ...`), and `Unsupported` is a valid Linux command that hoptrace does not model yet.
 * A dropped packet is never an error: it is a verdict in the trace.
 */

/** The base of every error hoptrace raises on purpose; `code` is stable for callers. */
export class HoptraceError extends Error {
  /**
   * @param message the exact text the real tool prints, possibly several lines
   * @param exitCode the exit status the real tool returns
   */
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command line the tool itself rejects before asking the kernel; the text is the tool's. */
export class UsageError extends HoptraceError {
  constructor(message: string, exitCode = 1) {
    super(message, exitCode, "usage");
  }
}

/** An error the kernel returns; `errno` names it, `message` is what the tool prints for it. */
export class KernelError extends HoptraceError {
  constructor(
    readonly errno: Errno,
    message: string,
    exitCode = 2,
  ) {
    super(message, exitCode, "kernel");
  }
}

/** A command that Linux accepts but hoptrace does not model; the message names the feature. */
export class Unsupported extends HoptraceError {
  constructor(readonly feature: string) {
    super(`hoptrace: not supported: ${feature}`, 1, "unsupported");
  }
}

/** The errno values the model returns, with the strerror text glibc prints for each. */
export const ERRNO_TEXT = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EEXIST: "File exists",
  EBUSY: "Device or resource busy",
  ENODEV: "No such device",
  EINVAL: "Invalid argument",
  ENETDOWN: "Network is down",
  ENETUNREACH: "Network is unreachable",
  EHOSTUNREACH: "No route to host",
  EACCES: "Permission denied",
  EAGAIN: "Resource temporarily unavailable",
  EOPNOTSUPP: "Operation not supported",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ENOBUFS: "No buffer space available",
  ERANGE: "Numerical result out of range",
  EMSGSIZE: "Message too long",
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ETIMEDOUT: "Connection timed out",
  EINPROGRESS: "Operation now in progress",
  ENOPROTOOPT: "Protocol not available",
  EHOSTDOWN: "Host is down",
  ENONET: "Machine is not on the network",
  EADDRINUSE: "Address already in use",
  EPIPE: "Broken pipe",
  EINTR: "Interrupted system call",
  ELOOP: "Too many levels of symbolic links",
} as const;

/** An errno name the model can return. */
export type Errno = keyof typeof ERRNO_TEXT;

/**
 * Returns the error iproute2 prints for a netlink failure: `Error: TEXT.` when the kernel sent
 * an extended message, `RTNETLINK answers: STRERROR` when it did not.
 */
export function rtnetlinkError(errno: Errno, extack?: string): KernelError {
  const text =
    extack === undefined ? `RTNETLINK answers: ${ERRNO_TEXT[errno]}` : `Error: ${extack}.`;
  return new KernelError(errno, text);
}
