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
import { UsageError, Unsupported, HoptraceError, ERRNO_TEXT } from "../errors.js";
import type { Errno } from "../errors.js";
import { explainNoRoute } from "../path/explain.js";
import { formatIp4, parseIp4Strict } from "../addr/ip4.js";
import { findLink } from "../netns/state.js";
import { sendLocal } from "../path/engine.js";
import type { OutputRoute } from "../path/output-route.js";
import { outputRoute } from "../path/output-route.js";
import { Sim, nsLabel } from "../path/sim.js";
import type { Packet } from "../wire/ipv4.js";
import { ICMP_ECHO, ICMP_ECHO_REPLY, ICMP_TIME_EXCEEDED, describePacket, unreachText } from "../wire/ipv4.js";
import type { ToolContext } from "./context.js";
import { currentNs } from "./context.js";

/** The parsed command line of one ping run. */
interface PingOptions {
  count?: number;
  /** -W, in ms. */
  linger: number;
  /** -w, in ms. */
  deadline?: number;
  /** -i, in ms. */
  interval: number;
  iface?: string;
  ttl: number;
  size: number;
  isBroadcastAllowed: boolean;
  isQuiet: boolean;
  isDontFragment: boolean;
  target: string;
}

const MAX_COUNT = "9223372036854775807";

function outOfRange(value: string, low: string | number, high: string | number): UsageError {
  return new UsageError(`ping: invalid argument: '${value}': out of range: ${low} <= value <= ${high}`);
}

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
    isDontFragment: false,
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
      const takesValue = "cWwiItsM".includes(flag);
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
  if (operands.length === 0) throw new UsageError("ping: usage error: Destination address required");
  if (operands.length > 1) throw new Unsupported(`ping with several destinations (${operands.join(" ")})`);
  options.target = operands[0]!;
  return options;
}

function applyOption(options: PingOptions, flag: string, value: string): void {
  switch (flag) {
    case "c":
      options.count = parseInteger(value, 1, Number.MAX_SAFE_INTEGER, MAX_COUNT);
      return;
    case "W": {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`ping: bad linger time: ${value}`, 2);
      options.linger = Math.round(seconds * 1000);
      return;
    }
    case "w":
      options.deadline = parseInteger(value, 0, 2147483647) * 1000;
      return;
    case "i": {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`ping: bad timing interval: ${value}`, 2);
      options.interval = Math.round(seconds * 1000);
      return;
    }
    case "I":
      options.iface = value;
      return;
    case "t":
      options.ttl = parseInteger(value, 0, 255);
      if (options.ttl === 0) throw new UsageError("ping: cannot set unicast time-to-live: Invalid argument", 2);
      return;
    case "s":
      options.size = parseInteger(value, 0, 65507);
      return;
    case "M":
      if (value !== "do" && value !== "dont" && value !== "want") {
        throw new UsageError(`ping: invalid -M argument: ${value}`, 2);
      }
      options.isDontFragment = value === "do";
      return;
    case "b":
      options.isBroadcastAllowed = true;
      return;
    case "q":
      options.isQuiet = true;
      return;
    case "n":
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
  throw new HoptraceError(`ping: ${target}: Temporary failure in name resolution`, 2, "resolver");
}

/** The socket-level setup before the first probe: binding, then the probe `connect()`. */
function connectProbe(ctx: ToolContext, options: PingOptions, dst: number): { rt: OutputRoute; ifaceName?: string } {
  const ns = currentNs(ctx);
  let src: number | undefined;
  let oif: number | undefined;
  let ifaceName: string | undefined;
  if (options.iface !== undefined) {
    const addr = parseIp4Strict(options.iface);
    if (addr !== undefined) {
      if (!ns.addrs.some((a) => a.local === addr)) {
        throw new HoptraceError("ping: bind: Cannot assign requested address", 2, "kernel");
      }
      src = addr;
    } else {
      const link = findLink(ns, options.iface);
      if (link === undefined) {
        throw new HoptraceError(`ping: SO_BINDTODEVICE ${options.iface}: No such device`, 2, "kernel");
      }
      oif = link.ifindex;
      ifaceName = link.name;
    }
  }
  // A zero destination means this host: the probe connects to the bound source, else to
  // 127.0.0.1, and that address needs a route like any other.
  const target = dst === 0 ? (src ?? 0x7f000001) : dst;
  const result = outputRoute(ctx.state, ns, {
    dst: target,
    ...(src === undefined ? {} : { src }),
    ...(oif === undefined ? {} : { oif }),
  });
  if (!result.ok) {
    recordUnsent(ctx, dst, result.errno);
    if (result.errno === "EACCES") throw broadcastQuestion();
    throw new HoptraceError(`ping: connect: ${ERRNO_TEXT[result.errno]}`, 2, "kernel");
  }
  if (result.route.isBroadcast && !options.isBroadcastAllowed) throw broadcastQuestion();
  return { rt: result.route, ...(ifaceName === undefined ? {} : { ifaceName }) };
}

/** Records why the probe socket's connect() failed: nothing was sent, and what would fix it. */
function recordUnsent(ctx: ToolContext, dst: number, errno: Errno): void {
  const ns = currentNs(ctx);
  const where = nsLabel(ns);
  const reasons: Partial<Record<Errno, string>> = {
    EHOSTUNREACH: `${where} routes ${formatIp4(dst)} to an unreachable route, so connect() fails and nothing is sent`,
    EINVAL: `${where} routes ${formatIp4(dst)} to a blackhole route, so connect() fails and nothing is sent`,
    EACCES: `${where} routes ${formatIp4(dst)} to a prohibit route (EACCES), which ping reports as a broadcast question`,
  };
  const message = reasons[errno] ?? explainNoRoute(ctx.state, ns, dst);
  ctx.probes.push({
    command: ctx.commandLine,
    packets: [
      {
        packet: `ICMP echo request to ${formatIp4(dst)} (never sent)`,
        hops: [{ time: ctx.state.clock, ns: where, step: "route", detail: `output route lookup for ${formatIp4(dst)} failed: ${errno}` }],
        verdict: { kind: "dropped", reason: "IP_OUTNOROUTES", ns: where, message },
      },
    ],
  });
}

function broadcastQuestion(): HoptraceError {
  return new HoptraceError(
    "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules",
    2,
    "kernel",
  );
}

/** The counters `finish()` prints. */
interface PingStats {
  transmitted: number;
  received: number;
  errors: number;
  pipe: number;
  rtts: number[];
  firstSend: number;
  lastSend: number;
}

/** Runs ping and returns its exit status. */
export function ping(ctx: ToolContext, args: string[]): number {
  const options = parseOptions(args);
  const dst = resolveTarget(options.target);
  const { rt, ifaceName } = connectProbe(ctx, options, dst);
  const ns = currentNs(ctx);
  if (rt.isBroadcast) ctx.out.push("WARNING: pinging broadcast address");
  if (options.iface !== undefined && ifaceName === "lo" && !rt.isLocal) {
    ctx.out.splice(ctx.out.length, 0, "ping: Warning: source address might be selected on device other than: lo");
  }
  ctx.out.push(header(options, rt, ifaceName));

  const sim = new Sim(ctx.state);
  const id = ctx.state.nextEchoId++ & 0xffff;
  const inbox: { time: number; packet: Packet }[] = [];
  sim.inboxes.set(`${ns.id}/${id}`, inbox);
  const stats: PingStats = { transmitted: 0, received: 0, errors: 0, pipe: 0, rtts: [], firstSend: sim.now, lastSend: sim.now };
  const start = sim.now;
  let isDone = false;
  let endAt = Infinity;

  const sendProbe = (): void => {
    if (isDone) return;
    const seq = stats.transmitted + 1;
    const packet: Packet = {
      src: rt.src,
      dst: rt.dst,
      ttl: options.ttl,
      tos: 0,
      payload: options.size,
      icmp: { type: ICMP_ECHO, code: 0, id, seq },
    };
    stats.transmitted++;
    stats.lastSend = sim.now;
    const trace = sim.startTrace(describePacket(packet));
    const fresh = outputRoute(ctx.state, ns, { dst: rt.dst, src: rt.src, ...(rt.route === undefined ? { oif: rt.dev.ifindex } : {}) });
    sendLocal(sim, ns, packet, fresh.ok ? fresh.route : rt, trace);
    const isLast = options.count !== undefined && stats.transmitted >= options.count;
    if (!isLast) sim.schedule(sim.now + options.interval, sendProbe);
  };

  if (options.deadline !== undefined) {
    sim.schedule(start + options.deadline, () => {
      isDone = true;
      endAt = sim.now;
    });
  }
  sim.schedule(start, sendProbe);

  while (!isDone) {
    const next = sim.nextEventTime();
    const lingerEnd = lingerDeadline(options, stats, endAt);
    if (next === undefined || next > lingerEnd) {
      sim.runUntil(Math.min(lingerEnd, next ?? lingerEnd));
      break;
    }
    sim.runNext();
    drain(ctx, options, stats, inbox, sim.now);
    if (options.count !== undefined && stats.received + stats.errors >= options.count && stats.transmitted >= options.count) {
      break;
    }
    if (options.count !== undefined && stats.transmitted >= options.count && stats.received > 0 && sim.nextEventTime() !== sim.now) {
      break;
    }
  }
  drain(ctx, options, stats, inbox, sim.now);
  finishTraces(sim);
  ctx.probes.push({ command: ctx.commandLine, packets: sim.traces });
  summary(ctx, options, stats);
  const isShort = options.deadline !== undefined && options.count !== undefined && stats.received < options.count;
  return stats.received === 0 || isShort ? 1 : 0;
}

/** Returns when the run ends if nothing else ends it: `-W` after the last probe. */
function lingerDeadline(options: PingOptions, stats: PingStats, endAt: number): number {
  if (endAt !== Infinity) return endAt;
  if (options.count === undefined || stats.transmitted < options.count) return Infinity;
  return stats.lastSend + options.linger;
}

function header(options: PingOptions, rt: OutputRoute, ifaceName: string | undefined): string {
  const from = options.iface === undefined ? "" : ` from ${formatIp4(rt.src)} ${ifaceName ?? ""}:`;
  const sizes = `${options.size}(${options.size + 28}) bytes of data.`;
  // ping names the target as it was typed (`0`, `0.0.0.0`, `localhost`) and adds the address.
  const name = options.target;
  return `PING ${name} (${formatIp4(rt.dst)})${from}${from === "" ? " " : " "}${sizes}`;
}

/** Simulated round-trip time of one reply in ms: a fixed small figure, normalised in transcripts. */
const SIMULATED_RTT = 0.05;

function drain(ctx: ToolContext, options: PingOptions, stats: PingStats, inbox: { time: number; packet: Packet }[], now: number): void {
  while (inbox.length > 0) {
    const { packet } = inbox.shift()!;
    stats.pipe = Math.max(stats.pipe, stats.transmitted - stats.received - stats.errors);
    const { icmp } = packet;
    if (icmp.type === ICMP_ECHO_REPLY) {
      stats.received++;
      stats.rtts.push(SIMULATED_RTT);
      if (options.isQuiet) continue;
      const time = options.size >= 16 ? ` time=${SIMULATED_RTT.toFixed(3)} ms` : "";
      ctx.out.push(`${options.size + 8} bytes from ${formatIp4(packet.src)}: icmp_seq=${icmp.seq} ttl=${packet.ttl}${time}`);
      continue;
    }
    stats.errors++;
    if (options.isQuiet) continue;
    const text = icmp.type === ICMP_TIME_EXCEEDED ? "Time to live exceeded" : unreachText(icmp.code);
    ctx.out.push(`From ${formatIp4(packet.src)} icmp_seq=${icmp.quoted?.icmp.seq ?? 0} ${text}`);
  }
  void now;
}

/** Gives every packet that was still waiting when ping exited a verdict that says so. */
function finishTraces(sim: Sim): void {
  for (const trace of sim.traces) {
    if (trace.verdict !== undefined) continue;
    const last = trace.hops[trace.hops.length - 1];
    trace.verdict = {
      kind: "queued",
      ns: last?.ns ?? "host",
      ...(last?.link === undefined ? {} : { link: last.link }),
      message: "still waiting for an ARP answer when ping exited; the kernel gives up after 3 probes, 1 s apart",
    };
  }
}

function summary(ctx: ToolContext, options: PingOptions, stats: PingStats): void {
  const { transmitted, received, errors } = stats;
  ctx.out.push("");
  ctx.out.push(`--- ${options.target === "localhost" ? "localhost" : options.target} ping statistics ---`);
  const loss = transmitted === 0 ? 0 : Math.trunc(((transmitted - received) * 100) / transmitted);
  const errorText = errors > 0 ? `, +${errors} errors` : "";
  const time = stats.lastSend - stats.firstSend;
  ctx.out.push(`${transmitted} packets transmitted, ${received} received${errorText}, ${loss}% packet loss, time ${time}ms`);
  const parts: string[] = [];
  if (received > 0 && options.size >= 16) {
    const min = Math.min(...stats.rtts);
    const max = Math.max(...stats.rtts);
    const avg = stats.rtts.reduce((a, b) => a + b, 0) / stats.rtts.length;
    const mdev = Math.sqrt(stats.rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / stats.rtts.length);
    parts.push(`rtt min/avg/max/mdev = ${[min, avg, max, mdev].map((v) => v.toFixed(3)).join("/")} ms`);
  }
  if (stats.pipe > 1) parts.push(`pipe ${stats.pipe}`);
  ctx.out.push(parts.join(", "));
}
