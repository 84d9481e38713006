/**
 * `tcpdump` (4.99.3 with libpcap 1.10.3): captures the frames crossing one link of the
 * namespace it runs in and prints one line per frame that matches its filter.
 *
 * In the background (`ctx.background`) it registers a process that later simulations feed
 * (src/proc/capture.ts) and returns at once. In the foreground it captures while nothing but
 * pending kernel timers runs, until `-c N` packets or the `timeout` deadline, so it usually
 * ends with `0 packets captured`. Messages and exit statuses were recorded on Linux 6.18.
 */
import { Unsupported, UsageError } from "../../errors.js";
import { startSim } from "../../path/engine.js";
import { DRAIN_MS, captureStatistics, receivedCount } from "../../proc/capture.js";
import type { Proc, Sink } from "../../proc/jobs.js";
import { TIMEOUT_STATUS, spawnProcess, writeSink } from "../../proc/jobs.js";
import type { Link } from "../../netns/state.js";
import { findLink } from "../../netns/state.js";
import type { ToolContext } from "../context.js";
import { currentNs, errLines } from "../context.js";
import { admitsIcmp6, compileFilterText, parseFilter } from "./filter.js";
import type { TcpFlows } from "./format.js";
import type { Frame } from "../../wire/ipv4.js";
import { formatFrame } from "./format.js";

/** The usage text tcpdump prints to stderr after a command-line error, with exit status 1. */
const USAGE = `tcpdump version 4.99.3
libpcap version 1.10.3 (with TPACKET_V3)
OpenSSL 3.0.19 27 Jan 2026
Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]`;

/** Option letters of tcpdump 4.99.3 that take an argument (its getopt string). */
const LETTERS_WITH_ARGUMENT = "BcCEFGijmMQrsTVwWyzZ";
/** Option letters without an argument that tcpdump has and the model does not implement. */
const UNMODELLED_LETTERS = "aAbdDefhHIJKLNOpqStuUxXY#";

/** The parsed command line. */
interface TcpdumpOptions {
  interfaceName?: string;
  count?: number;
  showLinkHeader: boolean;
  isVerbose: boolean;
  /** `-n`: addresses and ports stay numeric. */
  isNumeric: boolean;
  filter: string;
}

function usageError(message: string): UsageError {
  return new UsageError(`${message}\n${USAGE}`, 1);
}

/** Parses options as getopt does: clustered letters (`-ln`), and `-c3` or `-c 3`. */
function parseOptions(args: string[]): TcpdumpOptions {
  const options: TcpdumpOptions = {
    showLinkHeader: false,
    isVerbose: false,
    isNumeric: false,
    filter: "",
  };
  const operands: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith("--")) throw new Unsupported(`tcpdump option ${arg}`);
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let position = 1; position < arg.length; position++) {
      const letter = arg[position]!;
      if (LETTERS_WITH_ARGUMENT.includes(letter)) {
        let value = arg.slice(position + 1);
        if (value === "") {
          const next = args[index + 1];
          if (next === undefined)
            throw usageError(`tcpdump: option requires an argument -- '${letter}'`);
          value = next;
          index++;
        }
        applyValueOption(options, letter, value);
        break;
      }
      if (letter === "l") continue;
      if (letter === "n") options.isNumeric = true;
      else if (letter === "e") options.showLinkHeader = true;
      else if (letter === "v") options.isVerbose = true;
      else if (UNMODELLED_LETTERS.includes(letter)) throw new Unsupported(`tcpdump -${letter}`);
      else throw usageError(`tcpdump: invalid option -- '${letter}'`);
    }
  }
  options.filter = operands.join(" ");
  return options;
}

function applyValueOption(options: TcpdumpOptions, letter: string, value: string): void {
  if (letter === "i") {
    options.interfaceName = value;
    return;
  }
  if (letter === "c") {
    if (!/^\d+$/.test(value) || Number(value) === 0) {
      throw new UsageError(`tcpdump: invalid packet count ${value}`, 1);
    }
    options.count = Number(value);
    return;
  }
  throw new Unsupported(`tcpdump -${letter}`);
}

/** Finds the captured link, failing as libpcap reports a missing or down interface. */
function captureLink(ctx: ToolContext, name: string | undefined): Link {
  if (name === undefined) throw new Unsupported("tcpdump without -i (the default interface)");
  if (name === "any") throw new Unsupported("tcpdump -i any");
  const link = findLink(currentNs(ctx), name);
  if (link === undefined) {
    throw new UsageError(`tcpdump: ${name}: No such device exists\n(No such device exists)`, 1);
  }
  if (!link.isAdminUp) throw new UsageError(`tcpdump: ${name}: That device is not up`, 1);
  return link;
}

/** Returns the lines tcpdump prints to stderr when it starts capturing on `link`. */
function headerLines(link: Link, isVerbose: boolean): string[] {
  const listening = `listening on ${link.name}, link-type EN10MB (Ethernet), snapshot length 262144 bytes`;
  if (isVerbose) return [`tcpdump: ${listening}`];
  return ["tcpdump: verbose output suppressed, use -v[v]... for full protocol decode", listening];
}

/** Runs `tcpdump ARGS`. */
export function tcpdump(ctx: ToolContext, args: string[]): number {
  const options = parseOptions(args);
  const link = captureLink(ctx, options.interfaceName);
  // Compiling first reports a bad expression before anything is printed, as tcpdump does.
  compileFilterText(options.filter);
  // Without -n tcpdump looks up host names (DNS) and prints service names for ports.
  if (!options.isNumeric) throw new Unsupported("tcpdump without -n (name resolution)");
  // Linux sends router solicitations and MLD reports on a link with IPv6, at times that back
  // off after the link comes up, and the model sends no IPv6 at all.
  if (link.kind !== "loopback" && admitsIcmp6(parseFilter(options.filter))) {
    const filterText =
      options.filter === "" ? "without a filter" : `with the filter "${options.filter}"`;
    throw new Unsupported(
      `tcpdump ${filterText}, which would show the IPv6 router solicitations and MLD reports Linux sends; a filter such as "icmp or arp" leaves them out`,
    );
  }
  if (ctx.background !== undefined) return startBackground(ctx, link, options);
  return captureForeground(ctx, link, options);
}

function startBackground(ctx: ToolContext, link: Link, options: TcpdumpOptions): number {
  // NOTE: -v decodes the IP header (id, flags, checksum), which the model does not keep.
  if (options.isVerbose) throw new Unsupported("tcpdump -v in the background");
  const background = ctx.background!;
  const terminal: Sink = { kind: "terminal" };
  const fields: Omit<Proc, "startedAt"> = {
    pid: background.pid,
    nsId: ctx.nsId,
    command: ctx.commandLine,
    stdout: background.stdout ?? terminal,
    stderr: background.stderr ?? terminal,
    program: {
      kind: "tcpdump",
      ifindex: link.ifindex,
      filter: options.filter,
      ...(options.count === undefined ? {} : { count: options.count }),
      showLinkHeader: options.showLinkHeader,
      captured: 0,
      received: 0,
      tcpFlows: {},
    },
  };
  if (ctx.deadline !== undefined) fields.killAt = ctx.deadline;
  const proc = spawnProcess(ctx.state, fields);
  writeSink(ctx.state, proc.stderr, headerLines(link, false));
  return 0;
}

/**
 * Captures until `-c N` packets or the deadline, whichever comes first. Returns 0 after N
 * packets and `timeout`'s status 124 when the deadline ends it.
 */
function captureForeground(ctx: ToolContext, link: Link, options: TcpdumpOptions): number {
  const { count } = options;
  const deadline = ctx.deadline;
  if (deadline === undefined) {
    throw new Unsupported(
      "tcpdump in the foreground without timeout: it would wait for packets forever",
    );
  }
  const err = errLines(ctx);
  err.push(...headerLines(link, options.isVerbose));
  const matches = compileFilterText(options.filter);
  const lines: string[] = [];
  let received = 0;
  const flows: TcpFlows = {};
  const sim = startSim(ctx.state);
  const show = (frame: Frame): void => {
    if (!matches(frame)) return;
    if (count !== undefined && lines.length >= count) {
      received += receivedCount(link.kind);
      return;
    }
    if (options.isVerbose) throw new Unsupported("tcpdump -v decoding of a captured packet");
    const formatOptions = { showLinkHeader: options.showLinkHeader, mtu: link.mtu };
    lines.push(formatFrame(frame, sim.now, formatOptions, flows));
    received += receivedCount(link.kind);
  };
  sim.addTap(ctx.nsId, link.ifindex, { matches, show });
  for (;;) {
    if (count !== undefined && lines.length >= count) break;
    const next = sim.nextEventTime();
    if (next === undefined || next > deadline) break;
    sim.runNext();
  }
  ctx.out.push(...lines);
  if (count !== undefined && lines.length >= count) {
    sim.runUntil(Math.min(sim.now + DRAIN_MS, deadline));
    err.push(...captureStatistics(lines.length, received));
    return 0;
  }
  sim.runUntil(deadline);
  // Killed by timeout's SIGTERM: tcpdump ends the line it may have been printing first.
  ctx.out.push("");
  err.push(...captureStatistics(lines.length, received));
  return TIMEOUT_STATUS;
}
