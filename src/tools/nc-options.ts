/**
 * The command line of netcat-openbsd 1.219 (Debian 12): its getopt string, the usage text it
 * prints after an invalid option, and the checks `main` makes on ports and the timeout
 * (`strtonum` errors as `nc: port number too large: N` and `nc: timeout invalid: X`). Service
 * names resolve from the netbase /etc/services entries below.
 */
import { UsageError, Unsupported } from "../errors.js";
import { serviceName as netbaseServiceName, servicePort } from "../netfilter/services.js";

/** The parsed options of one nc run that the model acts on. */
export interface NcOptions {
  isListen: boolean;
  isKeepOpen: boolean;
  isZero: boolean;
  isVerbose: boolean;
  isUdp: boolean;
  /** -N: shut the connection down for writing after end of file on stdin. */
  isShutdownOnEof: boolean;
  /** -w, in ms. */
  timeout?: number;
  /** -p: the source port. */
  sourcePort?: number;
  host?: string;
  port?: number;
  /** A `LOW-HIGH` port operand of a TCP `-z` scan: every port from LOW to HIGH, in order. */
  ports?: number[];
}

/** nc's usage text, printed after `nc: invalid option -- 'X'`. */
export const NC_USAGE = [
  "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]",
  "\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]",
  "\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]",
  "\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]",
  "\t  [destination] [port]",
];

/** Options that take no argument, and those that take one (Debian's getopt string). */
const FLAGS = "46bCDdFhklNnrStUuvZz";
const WITH_ARGUMENT = "IiMmOPpqsTVWwXx";

/** Returns the service name of `port` in /etc/services, or `*` when it has none. */
export function serviceName(protocol: "tcp" | "udp", port: number): string {
  return netbaseServiceName(port, protocol) ?? "*";
}

function usageError(first: string): UsageError {
  return new UsageError([first, ...NC_USAGE].join("\n"), 1);
}

/** Parses a port as nc's `strtonum(p, 1, PORT_MAX)` does, after a service-name lookup. */
export function parsePort(text: string, protocol: "tcp" | "udp"): number {
  if (/^\d+-\d+$/.test(text)) throw new Unsupported(`nc port ranges (${text})`);
  const named = servicePort(text, protocol);
  if (named !== undefined) return named;
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`nc: port number invalid: ${text}`, 1);
  const value = Number(text);
  if (value < 1) throw new UsageError(`nc: port number too small: ${text}`, 1);
  if (value > 65535) throw new UsageError(`nc: port number too large: ${text}`, 1);
  return value;
}

/** Parses `-w`: whole seconds from 0 to INT_MAX / 1000. */
function parseTimeout(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`nc: timeout invalid: ${text}`, 1);
  const value = Number(text);
  if (value < 0) throw new UsageError(`nc: timeout too small: ${text}`, 1);
  if (value > 2147483) throw new UsageError(`nc: timeout too large: ${text}`, 1);
  return value * 1000;
}

/** Parses nc's command line; options the model does not act on fail with `Unsupported`. */
export function parseNcOptions(args: string[]): NcOptions {
  const options: NcOptions = {
    isListen: false,
    isKeepOpen: false,
    isZero: false,
    isVerbose: false,
    isUdp: false,
    isShutdownOnEof: false,
  };
  const operands: string[] = [];
  let sourcePort: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (WITH_ARGUMENT.includes(flag)) {
        const value = arg.slice(j + 1) || args[++i];
        if (value === undefined) throw usageError(`nc: option requires an argument -- '${flag}'`);
        if (flag === "w") options.timeout = parseTimeout(value);
        else if (flag === "p") sourcePort = value;
        else throw new Unsupported(`nc option -${flag}`);
        break;
      }
      if (!FLAGS.includes(flag)) throw usageError(`nc: invalid option -- '${flag}'`);
      applyFlag(options, flag);
    }
  }
  const protocol = options.isUdp ? "udp" : "tcp";
  if (sourcePort !== undefined) options.sourcePort = parsePort(sourcePort, protocol);
  if (options.isListen) {
    // Debian's netcat-openbsd takes the listening port from -p when no port operand is given.
    if (operands.length === 0 && options.sourcePort !== undefined) {
      options.port = options.sourcePort;
      delete options.sourcePort;
      return options;
    }
    if (operands.length === 0) throw new UsageError("nc: missing port number", 1);
    options.port = parsePort(operands[operands.length - 1]!, protocol);
    if (operands.length > 1) options.host = operands[0]!;
    return options;
  }
  if (operands.length === 0) throw new UsageError(NC_USAGE.join("\n"), 1);
  options.host = operands[0]!;
  if (operands.length < 2) throw new UsageError("nc: missing port number", 1);
  if (operands.length > 2) throw new Unsupported("nc with several ports");
  const range = /^(\d+)-(\d+)$/.exec(operands[1]!);
  if (range !== null && options.isZero && !options.isUdp) {
    // build_ports: each end is a port of its own, and a range given backwards is swapped.
    const [low, high] = [parsePort(range[1]!, protocol), parsePort(range[2]!, protocol)].sort(
      (a, b) => a - b,
    );
    options.ports = Array.from({ length: high! - low! + 1 }, (_, index) => low! + index);
    options.port = low!;
    return options;
  }
  options.port = parsePort(operands[1]!, protocol);
  return options;
}

function applyFlag(options: NcOptions, flag: string): void {
  switch (flag) {
    case "l":
      options.isListen = true;
      return;
    case "k":
      options.isKeepOpen = true;
      return;
    case "z":
      options.isZero = true;
      return;
    case "v":
      options.isVerbose = true;
      return;
    case "u":
      options.isUdp = true;
      return;
    case "N":
      options.isShutdownOnEof = true;
      return;
    case "n":
    case "4":
      // Numeric addresses only and IPv4 only: what the model does anyway.
      return;
    default:
      throw new Unsupported(`nc option -${flag}`);
  }
}
