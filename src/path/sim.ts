/**
 * The simulation context a probe runs in: the state draft it changes, a virtual-time event queue
 * for what happens later (ARP giving up, the next ping), the sockets waiting for answers, and the
 * traces of every packet.
 */
import type { Link, Netns, NetState } from "../netns/state.js";
import type { Hop, PacketTrace, Verdict } from "./verdict.js";
import type { Frame, Packet } from "../wire/ipv4.js";

/** Something that happens at a virtual time. */
interface SimEvent {
  time: number;
  order: number;
  run: () => void;
}

/**
 * A message a socket received: for a ping or raw ICMP socket an echo reply or an ICMP error about
 * one of its requests, for a UDP socket an ICMP error about one of its datagrams.
 */
export interface SocketMessage {
  time: number;
  packet: Packet;
}

/** A packet capture on one link, shown every frame that crosses the link either way. */
export interface CaptureTap {
  /** Reports whether the capture would count `frame`: it still runs and its filter matches. */
  matches(frame: Frame): boolean;
  show(frame: Frame): void;
}

/** The running simulation of one command. */
export class Sim {
  readonly traces: PacketTrace[] = [];
  private readonly events: SimEvent[] = [];
  private nextOrder = 0;
  /** Messages for the sockets of the running tool, keyed by {@link socketKey}. */
  readonly inboxes = new Map<string, SocketMessage[]>();
  /**
   * The ifindex each bound socket of {@link inboxes} is bound to (`SO_BINDTODEVICE`), by the
   * same key. Such a socket only receives what arrives on that link (`raw_v4_match`).
   */
  readonly boundDevices = new Map<string, number>();
  /**
   * The trace of each packet this simulation put on a neighbour's queue. A queued packet that an
   * earlier command left behind has no trace here and gets a new one when it moves on.
   */
  readonly queuedTraces = new Map<Packet, PacketTrace>();
  /**
   * The captures (tcpdump) on each link, by {@link captureKey}. The map is empty unless a
   * capture runs, so the frame path pays one size check per frame otherwise.
   */
  readonly captures = new Map<string, CaptureTap[]>();
  /**
   * The frames that bridges are forwarding right now, innermost last, each with its bridge. A
   * frame is forwarded synchronously, so one that reaches a bridge on this list again went
   * around a loop.
   */
  readonly bridgedFrames: { bridge: Link; body: object }[] = [];
  /** How many `sendFrame` calls are running, one inside the other. */
  frameDepth = 0;
  /**
   * The traces of packets that left a link whose MTU they exceed. IP sends such a packet in
   * fragments, which the model does not make, so a capture must not print it whole.
   */
  readonly fragmentedTraces = new WeakSet<PacketTrace>();

  constructor(readonly state: NetState) {}

  /** The current virtual time in ms. */
  get now(): number {
    return this.state.clock;
  }

  /**
   * Schedules `run` at `time`. Events at the same time run in the order they were scheduled,
   * except that kernel timers (`isKernel`) run before user actions at that time.
   */
  schedule(time: number, run: () => void, isKernel = false): void {
    const order = (isKernel ? 0 : 1e9) + this.nextOrder++;
    this.events.push({ time, order, run });
    this.events.sort((a, b) => a.time - b.time || a.order - b.order);
  }

  /** Runs every event up to and including `time`, then sets the clock to `time`. */
  runUntil(time: number): void {
    for (;;) {
      const next = this.events[0];
      if (next === undefined || next.time > time) break;
      this.events.shift();
      this.state.clock = Math.max(this.state.clock, next.time);
      next.run();
    }
    this.state.clock = Math.max(this.state.clock, time);
  }

  /** Runs the next pending event, advancing the clock to it; returns false when none is left. */
  runNext(): boolean {
    const next = this.events.shift();
    if (next === undefined) return false;
    this.state.clock = Math.max(this.state.clock, next.time);
    next.run();
    return true;
  }

  /** Returns the time of the next pending event, if any. */
  nextEventTime(): number | undefined {
    return this.events[0]?.time;
  }

  /** Starts the trace of a new packet; `seq` ties it to the ping request it belongs to. */
  startTrace(description: string, seq?: number): PacketTrace {
    const trace: PacketTrace = {
      packet: description,
      hops: [],
      ...(seq === undefined ? {} : { seq }),
    };
    this.traces.push(trace);
    return trace;
  }

  /**
   * Starts the trace of a copy of a packet, such as one of several flooded out of a bridge: it
   * repeats the hops of `trace` so far, and goes on separately.
   */
  forkTrace(trace: PacketTrace, note: string): PacketTrace {
    const copy = this.startTrace(`${trace.packet} (${note})`, trace.seq);
    copy.hops.push(...trace.hops);
    return copy;
  }

  /** Runs every event due at the time of the next one, including those they schedule for then. */
  runInstant(): boolean {
    const time = this.nextEventTime();
    if (time === undefined) return false;
    while (this.nextEventTime() === time) this.runNext();
    return true;
  }

  /**
   * Shows `frame`, which crosses `link` of `ns` now, to the captures on that link. A capture of
   * a packet that travels in fragments fails the command as not supported.
   */
  tap(ns: Netns, link: Link, frame: Frame, trace?: PacketTrace): void {
    if (this.captures.size === 0) return;
    const taps = this.captures.get(captureKey(ns.id, link.ifindex));
    if (taps === undefined) return;
    if (trace !== undefined && this.fragmentedTraces.has(trace)) {
      if (taps.some((tap) => tap.matches(frame))) {
        this.state.unmodelledEffect ??= `a capture on ${nsLabel(ns)}/${link.name} of ${trace.packet}, which IP sends in fragments`;
      }
      return;
    }
    for (const tap of taps) tap.show(frame);
  }

  /** Adds a capture on the link `ifindex` of namespace `nsId`. */
  addTap(nsId: number, ifindex: number, tap: CaptureTap): void {
    const key = captureKey(nsId, ifindex);
    const taps = this.captures.get(key) ?? [];
    taps.push(tap);
    this.captures.set(key, taps);
  }

  /** Appends a hop to `trace`. */
  hop(trace: PacketTrace, ns: Netns, step: string, detail: string, link?: string): void {
    const hop: Hop = { time: this.now, ns: nsLabel(ns), step, detail };
    if (link !== undefined) hop.link = link;
    trace.hops.push(hop);
  }

  /** Ends `trace` with a drop; `errno` is what a local sender's send call returns for it. */
  drop(
    trace: PacketTrace,
    ns: Netns,
    reason: Verdict["reason"],
    message: string,
    link?: string,
    errno?: Verdict["errno"],
  ): void {
    this.finish(trace, {
      kind: "dropped",
      reason,
      ns: nsLabel(ns),
      message,
      ...(link ? { link } : {}),
      ...(errno === undefined ? {} : { errno }),
    });
  }

  /** Ends `trace` with a delivery. */
  deliver(trace: PacketTrace, ns: Netns, message: string, link?: string): void {
    this.finish(trace, { kind: "delivered", ns: nsLabel(ns), message, ...(link ? { link } : {}) });
  }

  private finish(trace: PacketTrace, verdict: Verdict): void {
    trace.verdict = verdict;
  }
}

/**
 * Returns the key of a socket in {@link Sim.inboxes}: its namespace, its protocol, and its ICMP
 * echo id or local UDP port.
 */
export function socketKey(nsId: number, protocol: "icmp" | "udp" | "tcp", port: number): string {
  return `${nsId}/${protocol}/${port}`;
}

/** Returns the key of a link in {@link Sim.captures}. */
export function captureKey(nsId: number, ifindex: number): string {
  return `${nsId}/${ifindex}`;
}

/** The name traces, messages and the library give the initial namespace, which has none. */
export const HOST_LABEL = "host";

/** Returns how traces and messages name a namespace: its `ip netns` name, or "host". */
export function nsLabel(ns: Netns): string {
  return ns.name ?? HOST_LABEL;
}
