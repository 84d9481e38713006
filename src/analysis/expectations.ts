/**
 * Expectations about reachability, one per line, as an operator writes them before a change:
 *
 * ```
 * # FROM -> TO PROTOCOL: VERDICT [REASON]
 * ns1 -> 203.0.113.8 icmp: reachable
 * ns2 -> 10.0.0.5 icmp: dropped
 * ns2 -> 10.0.0.6 icmp: dropped IP_RPFILTER
 * ns1 -> 10.0.0.5 tcp/22: reachable
 * ns1 -> 10.0.0.5 udp/53: refused
 * ```
 *
 * FROM is a namespace (`host` for the initial one), TO an IPv4 address, PROTOCOL `icmp`,
 * `tcp/PORT` or `udp/PORT`, VERDICT `reachable`, `dropped` or `refused` (see `ReachVerdict`),
 * and REASON an optional drop reason the decisive packet verdict must carry. Unless
 * `checkExpectations` gets a `listening` list, a TCP or UDP probe runs with every namespace
 * listening on its port (see `Probe.listening`), so `refused` then holds only where a rule
 * rejects the probe.
 */
import { isIp6Text } from "../addr/ip6.js";
import { parseIp4Strict } from "../addr/ip4.js";
import { HoptraceError, Unsupported, UsageError } from "../errors.js";
import { DROP_REASONS } from "../path/verdict.js";
import { formatOutcome } from "./format.js";
import type { Network } from "./network.js";
import type { ListeningPort, Probe, ProbeProtocol, ReachVerdict, Trace } from "./probe.js";
import { trace } from "./trace.js";

/** One parsed expectation line. */
export interface Expectation {
  /** The 1-based line number in its file. */
  lineNumber: number;
  /** The line as written, without its comment. */
  text: string;
  from: string;
  to: string;
  protocol: ProbeProtocol;
  port?: number;
  verdict: ReachVerdict;
  /** The drop reason the probe must end with, such as `IP_RPFILTER`. */
  reason?: string;
}

/** The result of checking one expectation. */
export interface ExpectationResult {
  expectation: Expectation;
  status: "held" | "violated" | "unsupported";
  /** The probe's trace; absent when no probe could be sent. */
  trace?: Trace;
  /** The probe's outcome, or the error that stopped it, such as `dropped at host/docker1 [IP_INADDRERRORS]`. */
  message: string;
}

const LINE =
  /^(\S+)\s*->\s*(\S+)\s+(icmp|tcp\/\d+|udp\/\d+)\s*:\s*(reachable|dropped|refused)(?:\s+(?:\[([A-Za-z]\w*)\]|([A-Za-z]\w*)))?$/;

/** Exit status of `check` for an expectations file it cannot use, apart from a violation's 1. */
export const BAD_INPUT_STATUS = 2;

/**
 * Parses an expectations file; blank lines and `#` comments are skipped. Throws a usage error
 * naming the file, the line and the expected shape at the first line that does not parse.
 */
export function parseExpectations(text: string, source = "expectations"): Expectation[] {
  const found: Expectation[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    found.push(parseLine(line, index + 1, source));
  });
  return found;
}

function parseLine(line: string, lineNumber: number, source: string): Expectation {
  const match = LINE.exec(line);
  const where = `${source} line ${lineNumber}`;
  if (match === null) {
    throw new UsageError(
      `hoptrace: ${where}: cannot parse "${line}"; expected "NS -> ADDRESS PROTOCOL: VERDICT [DROP_REASON]" with PROTOCOL icmp, tcp/PORT or udp/PORT and VERDICT reachable, dropped or refused`,
      BAD_INPUT_STATUS,
    );
  }
  const [, from = "", to = "", proto = "", verdict = "", bracketed, bare] = match;
  const reason = bracketed ?? bare;
  // An IPv6 destination parses, and its probe is then reported as not supported.
  if (parseIp4Strict(to) === undefined && !isIp6Text(to)) {
    throw new UsageError(
      `hoptrace: ${where}: invalid address "${to}"; write an IPv4 address such as 192.0.2.1`,
      BAD_INPUT_STATUS,
    );
  }
  if (reason !== undefined && verdict === "reachable") {
    throw new UsageError(
      `hoptrace: ${where}: a drop reason (${reason}) only goes with "dropped" or "refused"`,
      BAD_INPUT_STATUS,
    );
  }
  if (reason !== undefined && !(DROP_REASONS as readonly string[]).includes(reason)) {
    throw new UsageError(
      `hoptrace: ${where}: unknown drop reason "${reason}"; use one of ${DROP_REASONS.join(", ")}`,
      BAD_INPUT_STATUS,
    );
  }
  const [protocol = "icmp", portText] = proto.split("/");
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new UsageError(
      `hoptrace: ${where}: port ${port} is out of range; use 1 to 65535`,
      BAD_INPUT_STATUS,
    );
  }
  if (protocol === "icmp" && verdict === "refused") {
    throw new UsageError(
      `hoptrace: ${where}: an icmp probe is never "refused", because only a TCP reset or an ICMP port unreachable refuses a connect or a datagram; expect "dropped" for a ping that gets an ICMP error`,
      BAD_INPUT_STATUS,
    );
  }
  return {
    lineNumber,
    text: line,
    from,
    to,
    protocol: protocol as ProbeProtocol,
    ...(port === undefined ? {} : { port }),
    verdict: verdict as ReachVerdict,
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Probes each expectation in `net` and returns how each fared, in order. `listening` names the
 * sockets of TCP and UDP probes as `Probe.listening` does: every namespace listens when absent.
 */
export function checkExpectations(
  net: Network,
  expectations: readonly Expectation[],
  listening?: readonly ListeningPort[],
): ExpectationResult[] {
  return expectations.map((expectation) => checkOne(net, expectation, listening));
}

/** Returns the probe that checks `expectation`, with the listening sockets of `listening`. */
export function expectationProbe(
  expectation: Expectation,
  listening?: readonly ListeningPort[],
): Probe {
  const { from, to, protocol, port } = expectation;
  return {
    from,
    to,
    protocol,
    ...(port === undefined ? {} : { port }),
    // The listeners only matter to connects and datagrams, and a ping rejects them.
    ...(listening === undefined || protocol === "icmp" ? {} : { listening }),
  };
}

function checkOne(
  net: Network,
  expectation: Expectation,
  listening: readonly ListeningPort[] | undefined,
): ExpectationResult {
  let found: Trace;
  try {
    found = trace(net, expectationProbe(expectation, listening));
  } catch (error) {
    if (error instanceof Unsupported) {
      return { expectation, status: "unsupported", message: `not supported: ${error.feature}` };
    }
    if (error instanceof HoptraceError)
      return { expectation, status: "violated", message: error.message };
    throw error;
  }
  const outcome = formatOutcome(found);
  const isHeld =
    found.verdict === expectation.verdict &&
    (expectation.reason === undefined || expectation.reason === found.decisive.reason);
  return { expectation, status: isHeld ? "held" : "violated", trace: found, message: outcome };
}
