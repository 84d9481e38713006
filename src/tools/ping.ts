/**
 * `ping` from iputils 20221126, IPv4 only, in virtual time.
 *
 * Sources: iputils ping/ping.c (`ping4_run`: the probe socket's `connect()` decides the source
 * and reports ENETUNREACH and friends before anything is sent; EACCES becomes the broadcast
 * question) and ping/ping_common.c (`main_loop`, `finish`: the run ends once replies plus
 * errors reach `-c`, or `-W` after the last probe when nothing came back, or at the `-w`
 * deadline; the summary's second line holds the rtt figures and/or `pipe N`, and is blank
 * when neither applies).
 */
import { UsageError, Unsupported, HoptraceError } from "../errors.js";
import { formatIp4, isMulticast, parseIp4Strict } from "../addr/ip4.js";
import { rejectIp6 } from "../addr/ip6.js";
import { sendLocal, startSim } from "../path/engine.js";
import { countIcmpOut } from "../path/icmp.js";
import { pathMtu } from "../path/pmtu.js";
import type { OutputRoute } from "../path/output-route.js";
import { outputRoute } from "../path/output-route.js";
import type { Sim, SocketMessage } from "../path/sim.js";
import { nsLabel, socketKey } from "../path/sim.js";
import type { PacketTrace } from "../path/verdict.js";
import type { IcmpPacket, Packet } from "../wire/ipv4.js";
import {
  ICMP_ECHO,
  ICMP_ECHO_REPLY,
  ICMP_FRAG_NEEDED,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  describePacket,
  ipLength,
  unreachText,
} from "../wire/ipv4.js";
import type { PingStats } from "./ping-end.js";
import { connectFailed, connectProbe } from "./ping-socket.js";
import { explainUnsent } from "../path/explain.js";
import { markStillQueued } from "./probe-traces.js";
import {
  acknowledge,
  armExitTimer,
  exitStatus,
  isFinished,
  isLastSent,
  newStats,
  summaryLines,
} from "./ping-end.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";
import { DeadlineReached } from "../proc/time.js";

/** The parsed command line of one ping run. */
export interface PingOptions {
  count?: number;
  /** -W, in ms. */
  linger: number;
  /** -w, in ms. */
  deadline?: number;
  /** -i, in ms. */
  interval: number;
  iface?: string;
  /** -m: the socket mark (`SO_MARK`), which `fwmark` rules select on. */
  mark?: number;
  ttl: number;
  size: number;
  isBroadcastAllowed: boolean;
  isQuiet: boolean;
  /** -n: no name lookups of reply sources. */
  isNumeric: boolean;
  /**
   * -M: path MTU discovery (`IP_MTU_DISCOVER`). "do" sets DF on every probe and fails one
   * larger than the path MTU, "dont" never sets DF, and "want", the default, sets DF on the
   * probes that fit the path MTU.
   */
  pmtuDiscovery: "do" | "dont" | "want";
  target: string;
}

/** The usage text iputils 20221126 prints after an invalid option (recorded on Debian 12). */
const USAGE = [
  "Usage",
  "  ping [options] <destination>",
  "",
  "Options:",
  "  <destination>      dns name or ip address",
  "  -a                 use audible ping",
  "  -A                 use adaptive ping",
  "  -B                 sticky source address",
  "  -c <count>         stop after <count> replies",
  "  -C                 call connect() syscall on socket creation",
  "  -D                 print timestamps",
  "  -d                 use SO_DEBUG socket option",
  "  -e <identifier>    define identifier for ping session, default is random for",
  "                     SOCK_RAW and kernel defined for SOCK_DGRAM",
  "                     Imply using SOCK_RAW (for IPv4 only for identifier 0)",
  "  -f                 flood ping",
  "  -h                 print help and exit",
  "  -I <interface>     either interface name or address",
  "  -i <interval>      seconds between sending each packet",
  "  -L                 suppress loopback of multicast packets",
  "  -l <preload>       send <preload> number of packages while waiting replies",
  "  -m <mark>          tag the packets going out",
  "  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>",
  "  -n                 no dns name resolution",
  "  -O                 report outstanding replies",
  "  -p <pattern>       contents of padding byte",
  "  -q                 quiet output",
  "  -Q <tclass>        use quality of service <tclass> bits",
  "  -s <size>          use <size> as number of data bytes to be sent",
  "  -S <size>          use <size> as SO_SNDBUF socket option value",
  "  -t <ttl>           define time to live",
  "  -U                 print user-to-user latency",
  "  -v                 verbose output",
  "  -V                 print version and exit",
  "  -w <deadline>      reply wait <deadline> in seconds",
  "  -W <timeout>       time to wait for response",
  "",
  "IPv4 options:",
  "  -4                 use IPv4",
  "  -b                 allow pinging broadcast",
  "  -R                 record route",
  "  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>",
  "",
  "IPv6 options:",
  "  -6                 use IPv6",
  "  -F <flowlabel>     define flow label, default is random",
  "  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument",
  "",
  "For more details see ping(8).",
].join("\n");

/** The option letters of iputils ping; any other letter is an invalid option. */
const KNOWN_OPTIONS = "aABbcCdDefFhiIlLmMnNOpqQRsStTUvVwW46";

const MAX_COUNT = "9223372036854775807";

function outOfRange(value: string, low: string | number, high: string | number): UsageError {
  return new UsageError(
    `ping: invalid argument: '${value}': out of range: ${low} <= value <= ${high}`,
  );
}

/** The largest IPv4 packet: its 16-bit total length. */
const MAX_IP_LENGTH = 0xffff;

/** The largest `-s` whose reply fits the receive buffer ping gets (see the `-s` option). */
const MAX_BUFFERED_SIZE = 2 * 212_992 - 136;

function parseInteger(value: string, low: number, high: number, highText = String(high)): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`ping: invalid argument: '${value}'`);
  const number = Number(value);
  if (number < low || number > high) throw outOfRange(value, low, highText);
  return number;
}

/** Parses ping's options the way its getopt loop does; clustered flags such as `-qc1` work. */
function parseOptions(args: string[]): PingOptions {
  const options: PingOptions = {
    linger: 10_000,
    interval: 1000,
    ttl: 64,
    size: 56,
    isBroadcastAllowed: false,
    isQuiet: false,
    isNumeric: false,
    pmtuDiscovery: "want",
    target: "",
  };
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (!KNOWN_OPTIONS.includes(flag)) {
        throw new UsageError(`ping: invalid option -- '${flag}'\n\n${USAGE}`, 2);
      }
      const takesValue = "cWwiItsMm".includes(flag);
      let value = "";
      if (takesValue) {
        value = arg.slice(j + 1) || (args[++i] ?? "");
        if (value === "" && i >= args.length) {
          throw new UsageError(`ping: option requires an argument -- '${flag}'`, 2);
        }
        j = arg.length;
      }
      applyOption(options, flag, value);
    }
  }
  if (operands.length === 0)
    throw new UsageError("ping: usage error: Destination address required");
  if (operands.length > 1)
    throw new Unsupported(`ping with several destinations (${operands.join(" ")})`);
  // /etc/hosts matches names without regard to case, and ping prints the name it holds.
  const target = operands[0]!;
  options.target = target.toLowerCase() === "localhost" ? "localhost" : target;
  return options;
}

function applyOption(options: PingOptions, flag: string, value: string): void {
  switch (flag) {
    case "c":
      options.count = parseInteger(value, 1, Number.MAX_SAFE_INTEGER, MAX_COUNT);
      return;
    case "W": {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds < 0)
        throw new UsageError(`ping: bad linger time: ${value}`, 2);
      options.linger = Math.round(seconds * 1000);
      return;
    }
    case "w": {
      // iputils keeps the deadline in a counter where 0 means none.
      const seconds = parseInteger(value, 0, 2147483647);
      if (seconds > 0) options.deadline = seconds * 1000;
      else delete options.deadline;
      return;
    }
    case "i": {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds < 0)
        throw new UsageError(`ping: bad timing interval: ${value}`, 2);
      options.interval = Math.round(seconds * 1000);
      return;
    }
    case "I":
      options.iface = value;
      return;
    case "m":
      options.mark = parseInteger(value, 0, 4294967295);
      return;
    case "t":
      options.ttl = parseInteger(value, 0, 255);
      if (options.ttl === 0)
        throw new UsageError("ping: cannot set unicast time-to-live: Invalid argument", 2);
      return;
    case "s":
      options.size = parseInteger(value, 0, 2 ** 31 - 1);
      // Above this, the receive buffer the kernel grants (twice net.core.rmem_max, 212992 by
      // default) is smaller than the one ping requests, and ping warns before it starts.
      if (options.size > MAX_BUFFERED_SIZE) {
        throw new Unsupported(`ping -s above ${MAX_BUFFERED_SIZE} (a receive buffer warning)`);
      }
      return;
    case "M":
      if (value !== "do" && value !== "dont" && value !== "want") {
        throw new UsageError(`ping: invalid -M argument: ${value}`, 2);
      }
      options.pmtuDiscovery = value;
      return;
    case "b":
      options.isBroadcastAllowed = true;
      return;
    case "q":
      options.isQuiet = true;
      return;
    case "n":
      options.isNumeric = true;
      return;
    case "4":
      // IPv4 only, which is all the model has.
      return;
    default:
      throw new Unsupported(`ping option -${flag}`);
  }
}

/** Resolves the destination: numeric IPv4, `localhost` from /etc/hosts, or a resolver error. */
function resolveTarget(target: string): number {
  if (target === "localhost") return 0x7f000001;
  if (/^\d+$/.test(target)) return Number(target) >>> 0;
  const addr = parseIp4Strict(target);
  if (addr !== undefined) return addr;
  rejectIp6(target);
  throw new HoptraceError(`ping: ${target}: Temporary failure in name resolution`, 2, "resolver");
}

/**
 * Returns how ping names the source of a reply or error (iputils `pr_addr`): with a target
 * typed as a name, it looks each address up in /etc/hosts, where 127.0.0.1 is `localhost`, and
 * prints `NAME (ADDR)`. A numeric target or -n turns the lookups off.
 */
function sourceName(options: PingOptions, addr: number): string {
  const text = formatIp4(addr);
  const isNamed = options.target === "localhost" && !options.isNumeric;
  return isNamed && addr === 0x7f000001 ? `localhost (${text})` : text;
}

/** Runs ping and returns its exit status. */
export function ping(ctx: ToolContext, args: string[]): number {
  const options = parseOptions(args);
  // Without -c or -w, ping runs until it is interrupted (Ctrl-C), and only `timeout` can do that
  // in a script. An unbounded run would simulate forever, so it is rejected.
  if (options.count === undefined && options.deadline === undefined && ctx.deadline === undefined) {
    throw new Unsupported("ping without -c or -w (it runs until interrupted; add -c N)");
  }
  const dst = resolveTarget(options.target);
  const connected = connectProbe(ctx, options, dst);
  if (!("rt" in connected)) return connectFailed(ctx, dst, connected);
  const { rt, ifaceName, boundIfindex } = connected;
  if (rt.isBroadcast) errLines(ctx).push("WARNING: pinging broadcast address");
  // iputils (ping4_run) looks for the chosen source among the addresses of the -I link.
  if (ifaceName !== undefined && connected.isSourceOnLink === false) {
    errLines(ctx).push(
      `ping: Warning: source address might be selected on device other than: ${ifaceName}`,
    );
  }
  ctx.out.push(header(options, rt, ifaceName));

  const sim = startSim(ctx.state);
  const run: PingRun = {
    ctx,
    options,
    sim,
    rt,
    ...(ifaceName === undefined ? {} : { ifaceName }),
    ...(boundIfindex === undefined ? {} : { boundIfindex }),
    id: ctx.state.nextEchoId++ & 0xffff,
    inbox: [],
    stats: newStats(sim.now),
    replied: new Set(),
    isDone: false,
  };
  const key = socketKey(currentNs(ctx).id, "icmp", run.id);
  sim.inboxes.set(key, run.inbox);
  if (run.boundIfindex !== undefined) sim.boundDevices.set(key, run.boundIfindex);
  if (options.deadline !== undefined) {
    sim.schedule(sim.now + options.deadline, () => (run.isDone = true));
  }
  sim.schedule(sim.now, () => sendProbe(run));
  const isKilled = mainLoop(run);

  markStillQueued(sim, "ping");
  ctx.probes.push({ command: ctx.commandLine, packets: sim.traces });
  // ping handles no SIGTERM, so `timeout` ends it without the statistics (iputils 20221126).
  if (isKilled && ctx.deadline !== undefined) throw new DeadlineReached(ctx.deadline);
  ctx.out.push("");
  ctx.out.push(...summaryLines(options.target, run.stats, options.size >= TIMESTAMP_BYTES));
  return exitStatus(options, run.stats);
}

/** One ping run in progress. */
interface PingRun {
  ctx: ToolContext;
  options: PingOptions;
  sim: Sim;
  /** The route connect() chose; each probe looks its route up again. */
  rt: OutputRoute;
  /** The link `-I` named. */
  ifaceName?: string;
  /** The ifindex the ICMP socket stays bound to, whose route every probe takes. */
  boundIfindex?: number;
  id: number;
  inbox: SocketMessage[];
  stats: PingStats;
  /** Sequence numbers that got a reply, so that a second reply counts as a duplicate. */
  replied: Set<number>;
  isDone: boolean;
  /**
   * When ping next wakes after a send that failed locally. The error changes no socket state
   * that wakes ping's poll, so it checks whether it is done only once its poll times out, or
   * earlier if a message arrives.
   */
  sleepsUntil?: number;
}

/**
 * `main_loop` in virtual time: everything due at one instant runs (kernel timers first, then
 * ping's own send), and only then does ping read its socket, as its loop sends before it reads.
 *
 * NOTE: on a real host a probe due exactly when ARP gives up races the host unreachable
 * errors (timer slack against ping's drift). The kernel recordings went both ways: `-c 4 -W 1`
 * sent its 4th probe first (`pipe 4`), `-w 10` read the errors first. The model always sends
 * first, as the first recording shows.
 *
 * Returns true when the `timeout` deadline of `ctx` came before ping's own end.
 */
function mainLoop(run: PingRun): boolean {
  const { sim, options, stats } = run;
  const deadline = run.ctx.deadline;
  const isAsleep = (): boolean => run.sleepsUntil !== undefined && sim.now < run.sleepsUntil;
  while (!run.isDone && (!isFinished(options, stats) || isAsleep())) {
    const next = sim.nextEventTime();
    const exitAt = Math.min(stats.exitAt ?? Infinity, run.sleepsUntil ?? Infinity);
    const wake = Math.min(next ?? Infinity, exitAt);
    // The command starts a little after `timeout` armed its timer, so at a tie the kill wins.
    if (deadline !== undefined && wake !== Infinity && wake >= deadline) {
      sim.runUntil(deadline);
      return true;
    }
    if (next === undefined || next > exitAt) {
      if (exitAt !== Infinity) sim.runUntil(exitAt);
      break;
    }
    sim.runInstant();
    if (run.inbox.length > 0) delete run.sleepsUntil;
    drain(run);
  }
  return false;
}

/** `pinger`: sends the next probe and schedules the one after, or arms the exit timer. */
function sendProbe(run: PingRun): void {
  const { ctx, options, sim, rt, stats } = run;
  if (run.isDone || isLastSent(options, stats)) return;
  const ns = currentNs(ctx);
  const seq = stats.transmitted + 1;
  const packet: Packet = {
    protocol: "icmp",
    src: rt.src,
    dst: rt.dst,
    ttl: options.ttl,
    tos: 0,
    payload: options.size,
    icmp: { type: ICMP_ECHO, code: 0, id: run.id, seq },
  };
  stats.transmitted++;
  stats.lastSend = sim.now;
  const trace = sim.startTrace(describePacket(packet), seq);
  // -I with an address binds the ICMP socket to that source; otherwise each probe's lookup picks
  // the source. -I with a link binds it to the link, which every probe's lookup then keeps.
  const isBound = options.iface !== undefined && run.ifaceName === undefined;
  const fresh = outputRoute(ctx.state, ns, {
    dst: rt.dst,
    ...(isBound ? { src: rt.src } : {}),
    ...(options.mark === undefined ? {} : { mark: options.mark }),
    ...(run.boundIfindex === undefined ? {} : { oif: run.boundIfindex }),
  });
  if (fresh.ok) packet.src = fresh.route.src;
  if (!fresh.ok) {
    // `sendto()` fails in the route lookup. iputils then finds nothing in the socket's error
    // queue, so `pinger` counts the probe as sent and prints nothing (ping-bound-source).
    const message = explainUnsent(
      ctx.state,
      ns,
      rt.dst,
      fresh,
      "sendmsg() fails and nothing is sent",
    );
    sim.drop(trace, ns, "IP_OUTNOROUTES", message);
  } else if (!sendOrFail(run, packet, fresh.route, trace)) {
    // ping counts a local error only when it prints it, which -q suppresses.
    if (!options.isQuiet) stats.errors++;
    // `main_loop` then polls until the next probe or the exit timer is due.
    run.sleepsUntil = sim.now + options.interval;
  }
  if (isLastSent(options, stats)) armExitTimer(options, stats, sim.now);
  else sim.schedule(sim.now + options.interval, () => sendProbe(run));
  if (run.sleepsUntil !== undefined && stats.exitAt !== undefined) {
    run.sleepsUntil = Math.min(run.sleepsUntil, stats.exitAt);
  }
}

/**
 * Hands one probe to the kernel, and returns false when it fails with a local error that ping
 * prints. That happens in `ip_append_data` with EMSGSIZE for a probe over 65,535 bytes, or with
 * `-M do` for one larger than the route's MTU. An ICMP message over 65,535 bytes fails before,
 * with no error to print.
 */
function sendOrFail(run: PingRun, packet: Packet, route: OutputRoute, trace: PacketTrace): boolean {
  const { ctx, options, sim } = run;
  const ns = currentNs(ctx);
  if (options.size + 8 > MAX_IP_LENGTH) {
    const message = `the ICMP message is ${options.size + 8} bytes, more than the ${MAX_IP_LENGTH} bytes an IP packet can carry, so sendmsg() fails with EMSGSIZE and queues no error`;
    sim.drop(trace, ns, "PKT_TOO_BIG", message, route.dev.name);
    return true;
  }
  if (ipLength(packet) > MAX_IP_LENGTH) {
    const mtu = Math.min(route.dev.mtu, MAX_IP_LENGTH);
    const message = `the probe is ${ipLength(packet)} bytes, more than the ${MAX_IP_LENGTH} bytes an IP packet can carry, so sendmsg() fails with EMSGSIZE`;
    sim.drop(trace, ns, "PKT_TOO_BIG", message, route.dev.name);
    if (!options.isQuiet) errLines(ctx).push(`ping: local error: message too long, mtu=${mtu}`);
    return false;
  }
  // A path MTU learned from "fragmentation needed" lowers the route's MTU (ip_mtu_from_fib_result).
  const mtu = pathMtu(ns, packet.dst, route.dev.mtu, sim.now);
  if (options.pmtuDiscovery === "do" && ipLength(packet) > mtu) {
    const message = `the probe is ${ipLength(packet)} bytes with DF set (-M do), larger than the MTU ${mtu} of the route by ${route.dev.name}, so sendmsg() fails with EMSGSIZE`;
    sim.drop(trace, ns, "PKT_TOO_BIG", message, route.dev.name);
    if (!options.isQuiet) errLines(ctx).push(`ping: local error: message too long, mtu=${mtu}`);
    return false;
  }
  // IP_PMTUDISC_WANT, ping's default, sets DF on every probe that fits the route's MTU
  // (`__ip_make_skb`).
  const { pmtuDiscovery } = options;
  packet.isDontFragment =
    pmtuDiscovery === "do" || (pmtuDiscovery === "want" && ipLength(packet) <= mtu);
  countIcmpOut(ns, ICMP_ECHO);
  sendLocal(sim, ns, packet, route, trace);
  // The error reaches sendmsg() only from the probe's own link, and only when the probe was not
  // queued for ARP first.
  const verdict = trace.verdict;
  const isOwnLink = verdict?.ns === nsLabel(ns) && verdict.link === route.dev.name;
  if (verdict?.errno === "ENOBUFS" && isOwnLink && !sim.queuedTraces.has(packet)) {
    // iputils retries a probe that sendmsg() failed with ENOBUFS, on a schedule of its own.
    sim.state.unmodelledEffect ??= `ping after sendmsg() fails with ENOBUFS: ${verdict.message}`;
  }
  reportLocalReject(run, trace);
  return true;
}

/**
 * Prints what ping prints after a REJECT in the sender's own OUTPUT chain. The ICMP error is
 * queued before `sendmsg()` fails with EPERM, so iputils reads it (`receive_error_msg`) and then
 * reports the failed call too (`hard_local_error` in ping_common.c). A plain DROP queues no
 * error, and ping stays silent, as recorded on Linux 6.18.
 */
function reportLocalReject(run: PingRun, trace: PacketTrace): void {
  const { ctx, options, inbox } = run;
  const verdict = trace.verdict;
  const isLocalDrop =
    verdict?.kind === "dropped" &&
    verdict.reason === "NETFILTER_DROP" &&
    verdict.ns === nsLabel(currentNs(ctx));
  if (!isLocalDrop || inbox.length === 0) return;
  drain(run);
  if (!options.isQuiet) errLines(ctx).push("ping: sendmsg: Operation not permitted");
}

function header(options: PingOptions, rt: OutputRoute, ifaceName: string | undefined): string {
  const from = options.iface === undefined ? "" : ` from ${formatIp4(rt.src)} ${ifaceName ?? ""}:`;
  const sizes = `${options.size}(${options.size + 28}) bytes of data.`;
  // ping names the target as it was typed (`0`, `0.0.0.0`, `localhost`) and adds the address.
  return `PING ${options.target} (${formatIp4(rt.dst)})${from} ${sizes}`;
}

/** Simulated round-trip time of one reply in ms: a fixed small figure, normalised in transcripts. */
const SIMULATED_RTT = 0.05;
/** Payload bytes ping needs to carry its send time; smaller probes print no times. */
const TIMESTAMP_BYTES = 16;

/** Reads everything waiting on the socket: replies, duplicates and ICMP errors. */
function drain(run: PingRun): void {
  const { ctx, options, stats, inbox } = run;
  while (inbox.length > 0) {
    const { packet } = inbox.shift()!;
    if (packet.protocol !== "icmp") continue;
    const { icmp } = packet;
    if (icmp.type === ICMP_ECHO_REPLY) {
      acknowledge(stats, icmp.seq);
      const isDuplicate = run.replied.has(icmp.seq);
      if (isDuplicate) stats.duplicates++;
      else stats.received++;
      run.replied.add(icmp.seq);
      stats.rtts.push(SIMULATED_RTT);
      if (options.isQuiet) continue;
      const time = options.size >= TIMESTAMP_BYTES ? ` time=${SIMULATED_RTT.toFixed(3)} ms` : "";
      const dup = isDuplicate && !isMulticast(run.rt.dst) ? " (DUP!)" : "";
      ctx.out.push(
        `${options.size + 8} bytes from ${sourceName(options, packet.src)}: icmp_seq=${icmp.seq} ttl=${packet.ttl}${time}${dup}`,
      );
      continue;
    }
    const quoted = icmp.quoted;
    const seq = quoted?.protocol === "icmp" ? quoted.icmp.seq : 0;
    if (icmp.type === ICMP_REDIRECT) {
      // A redirect is no error: ping4_parse_reply prints it and leaves the probe outstanding.
      if (options.isQuiet) continue;
      const gateway = formatIp4(icmp.gateway ?? 0);
      ctx.out.push(
        `From ${sourceName(options, packet.src)}: icmp_seq=${seq} Redirect Host(New nexthop: ${gateway})`,
      );
      continue;
    }
    acknowledge(stats, seq);
    stats.errors++;
    if (options.isQuiet) continue;
    ctx.out.push(`From ${sourceName(options, packet.src)} icmp_seq=${seq} ${errorText(packet)}`);
  }
}

/** Returns the text ping prints after `From ADDR icmp_seq=N ` for an ICMP error (iputils `pr_icmph`). */
function errorText(packet: IcmpPacket): string {
  const { icmp } = packet;
  if (icmp.type === ICMP_TIME_EXCEEDED) return "Time to live exceeded";
  if (icmp.code === ICMP_FRAG_NEEDED) return `Frag needed and DF set (mtu = ${icmp.mtu ?? 0})`;
  return unreachText(icmp.code);
}
