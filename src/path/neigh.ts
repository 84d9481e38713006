/**
 * Neighbour resolution on the output path: ARP requests, the queue of packets waiting for an
 * answer, and what happens when nobody answers.
 *
 * Sources: net/core/neighbour.c (`__neigh_event_send`: a new or FAILED entry turns INCOMPLETE,
 * sends a probe at once and queues the packet; `neigh_timer_handler`: another probe every
 * `retrans_time_ms` until `mcast_solicit` probes went out, then FAILED, and `neigh_invalidate`
 * hands every queued packet to `arp_error_report`) and net/ipv4/arp.c (`arp_solicit`: the
 * request's sender address is the packet's source when that is local, as `arp_announce=0`
 * allows; `arp_process`: requests are answered only for targets whose input route is local,
 * which applies rp_filter to ARP too, and never for loopback or multicast targets;
 * `arp_error_report` -> `ipv4_link_failure` sends the host unreachable).
 *
 * A STALE entry that sends turns DELAY. After `delay_first_probe_time` (5 s) it turns PROBE and
 * sends unicast ARP requests to the MAC it has, `ucast_solicit` (3) of them `retrans_time_ms`
 * apart, then turns FAILED unless a reply made it REACHABLE (`neigh_timer_handler`,
 * `neigh_update`). Entries that `ip neigh` made PERMANENT or NOARP never change by themselves.
 *
 * Entries and their queues live in the namespace state, so a resolution outlives the command
 * that started it: the next probe or the failure happens at its virtual time, in whichever
 * later command's simulation reaches that time.
 */
import { containsIp4, formatIp4, isLoopback, isMulticast, networkOf } from "../addr/ip4.js";
import { readView } from "../netns/view.js";
import type { Link, NeighEntry, NeighState, Netns } from "../netns/state.js";
import { isOwnAddress, primaryAddressOf } from "../netns/state.js";
import type { Arp, Frame, Packet } from "../wire/ipv4.js";
import {
  BROADCAST_MAC,
  ICMP_DEST_UNREACH,
  ICMP_HOST_UNREACH,
  describeArp,
  describePacket,
} from "../wire/ipv4.js";
import { answerText, sendIcmpError } from "./icmp.js";
import type { InputRoute } from "./input-route.js";
import { routeInput } from "./input-route.js";
import { macvlanArpHint, sendFrame } from "./l2.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

const DEFAULT_RETRANS_MS = 1000;
const DEFAULT_PROBES = 3;
/** `delay_first_probe_time`: how long a used STALE entry waits in DELAY before probing. */
const DELAY_FIRST_PROBE_MS = 5000;
/**
 * `reachable_time`: the time a confirmed entry stays REACHABLE. The kernel draws it between 15 s
 * and 45 s around `base_reachable_time_ms` (30 s). The model takes the base, so only a check
 * inside that window can differ from a kernel run.
 */
export const REACHABLE_MS = 30_000;
/** `ucast_solicit`: unicast probes a PROBE entry sends before it turns FAILED. */
const UCAST_PROBES = 3;
/**
 * `locktime` (1 s in `arp_tbl`): after an entry changed, ARP replies and overheard requests with
 * another MAC leave it alone for this long, so the first of several replies wins (`arp_process`).
 */
const LOCKTIME_MS = 1000;

/** The states in which an entry has a MAC that packets go to (`NUD_VALID`). */
const VALID_STATES: readonly NeighState[] = [
  "REACHABLE",
  "STALE",
  "DELAY",
  "PROBE",
  "NOARP",
  "PERMANENT",
];

function retransMs(ns: Netns): number {
  return ns.sysctl["net.ipv4.neigh.default.retrans_time_ms"] ?? DEFAULT_RETRANS_MS;
}

function maxProbes(ns: Netns): number {
  return ns.sysctl["net.ipv4.neigh.default.mcast_solicit"] ?? DEFAULT_PROBES;
}

/** Reports whether packets to `entry` go straight to its MAC, without resolving it first. */
export function hasUsableMac(entry: NeighEntry): boolean {
  return entry.mac !== undefined && VALID_STATES.includes(entry.state);
}

/** Returns the neighbour entry of `addr` on `link`, if there is one. */
export function findNeigh(ns: Netns, link: Link, addr: number): NeighEntry | undefined {
  return ns.neigh.find((entry) => entry.ifindex === link.ifindex && entry.addr === addr);
}

/**
 * Transmits a frame whose destination MAC the neighbour layer filled in, in place of putting it
 * on the link. br_netfilter uses one to go on bridging a DNATed frame from its ingress port.
 */
export type NeighTransmit = (frame: Frame, trace: PacketTrace) => void;

/** The transmit step of each queued packet that has one; other packets go out by `sendFrame`. */
const queuedTransmits = new WeakMap<Packet, NeighTransmit>();

/**
 * Sends `packet` to `nexthop` on `link`: at once when the MAC is known, else after ARP, with
 * the packet queued on the entry meanwhile. `transmit`, when given, takes the finished frame
 * in place of `sendFrame`.
 */
export function neighOutput(
  sim: Sim,
  ns: Netns,
  link: Link,
  nexthop: number,
  packet: Packet,
  trace: PacketTrace,
  transmit?: NeighTransmit,
): void {
  const entry = findNeigh(ns, link, nexthop);
  if (entry !== undefined && hasUsableMac(entry)) {
    const was = entry.state;
    entry.usedAt = sim.now;
    if (was === "STALE") delayNeigh(sim, ns, entry);
    const now = was === entry.state ? "" : `, now ${entry.state} until it is confirmed`;
    sim.hop(trace, ns, "neigh", `${formatIp4(nexthop)} is ${was} at ${entry.mac}${now}`, link.name);
    const frame: Frame = { srcMac: link.mac, dstMac: entry.mac!, body: { kind: "ip", packet } };
    if (transmit === undefined) sendFrame(sim, ns, link, frame, trace);
    else transmit(frame, trace);
    return;
  }
  if (entry?.state === "INCOMPLETE") {
    sim.hop(
      trace,
      ns,
      "neigh",
      `${formatIp4(nexthop)} is INCOMPLETE: queued until ARP answers`,
      link.name,
    );
    enqueue(sim, entry, packet, trace, transmit);
    return;
  }
  const fresh = startResolution(sim, ns, link, nexthop, entry);
  enqueue(sim, fresh, packet, trace, transmit);
  sim.hop(
    trace,
    ns,
    "neigh",
    `${formatIp4(nexthop)} unknown: ARP request sent, packet queued`,
    link.name,
  );
  sendArpRequest(sim, ns, link, nexthop, packet.src, trace.seq);
}

/**
 * Runs `neigh_event_send` without a packet, as a redirect's new gateway gets it. An entry that
 * is missing or FAILED starts resolving with a broadcast ARP request from the link's primary
 * address (`arp_solicit` without a packet). An INCOMPLETE one goes on resolving, and a STALE one
 * turns DELAY. Returns what happened, for traces.
 */
export function neighEventSend(
  sim: Sim,
  ns: Netns,
  link: Link,
  addr: number,
  seq?: number,
): string {
  const entry = findNeigh(ns, link, addr);
  if (entry?.state === "INCOMPLETE") return `${formatIp4(addr)} is already being resolved`;
  if (entry !== undefined && hasUsableMac(entry)) {
    if (entry.state === "STALE") delayNeigh(sim, ns, entry);
    return `${formatIp4(addr)} is ${entry.state} at ${entry.mac}`;
  }
  startResolution(sim, ns, link, addr, entry);
  sendArpRequest(sim, ns, link, addr, 0, seq);
  return `ARP request sent for ${formatIp4(addr)}`;
}

/**
 * Runs the REACHABLE timer (`neigh_timer_handler`): an entry used in the last 5 s goes on to
 * DELAY, and any other turns STALE until something sends to it again.
 */
function expireReachable(sim: Sim, ns: Netns, entry: NeighEntry): void {
  if (entry.usedAt !== undefined && sim.now - entry.usedAt <= DELAY_FIRST_PROBE_MS) {
    delayNeigh(sim, ns, entry);
    return;
  }
  entry.state = "STALE";
  entry.updatedAt = sim.now;
  delete entry.timerAt;
}

/** `neigh_event_send` on a STALE entry: send anyway, and check the MAC in 5 s. */
function delayNeigh(sim: Sim, ns: Netns, entry: NeighEntry): void {
  entry.state = "DELAY";
  entry.updatedAt = sim.now;
  entry.timerAt = sim.now + DELAY_FIRST_PROBE_MS;
  scheduleNeighTimer(sim, ns, entry);
}

function enqueue(
  sim: Sim,
  entry: NeighEntry,
  packet: Packet,
  trace: PacketTrace,
  transmit?: NeighTransmit,
): void {
  (entry.queue ??= []).push(packet);
  sim.queuedTraces.set(packet, trace);
  if (transmit !== undefined) queuedTransmits.set(packet, transmit);
}

/** Turns `entry` (or a new one) INCOMPLETE with a fresh probe count, and arms its timer. */
function startResolution(
  sim: Sim,
  ns: Netns,
  link: Link,
  addr: number,
  entry?: NeighEntry,
): NeighEntry {
  const retrans = retransMs(ns);
  const fields = {
    state: "INCOMPLETE" as const,
    updatedAt: sim.now,
    probes: 1,
    timerAt: sim.now + retrans,
    failsAt: sim.now + retrans * maxProbes(ns),
    queue: [],
  };
  let target = entry;
  if (target === undefined) {
    target = { ifindex: link.ifindex, addr, ...fields };
    ns.neigh.push(target);
  } else {
    Object.assign(target, fields);
    delete target.mac;
  }
  scheduleNeighTimer(sim, ns, target);
  return target;
}

/** Arms the kernel timer of an INCOMPLETE, DELAY or PROBE entry in `sim`. */
export function scheduleNeighTimer(sim: Sim, ns: Netns, entry: NeighEntry): void {
  const { ifindex, addr, timerAt } = entry;
  if (timerAt === undefined) return;
  sim.schedule(
    Math.max(timerAt, sim.now),
    () => neighTimer(sim, ns.id, ifindex, addr, timerAt),
    true,
  );
}

/** The states whose entries have a kernel timer running. */
const TIMED_STATES: readonly NeighState[] = ["INCOMPLETE", "REACHABLE", "DELAY", "PROBE"];

/** Arms the timers of every entry in the state that has one, for a new simulation. */
export function scheduleAllNeighTimers(sim: Sim): void {
  // The scan reads a plain view, so that only namespaces with a pending timer get drafted.
  for (const view of Object.values(readView(sim.state.namespaces))) {
    for (const entry of view.neigh) {
      if (TIMED_STATES.includes(entry.state))
        scheduleNeighTimer(sim, sim.state.namespaces[view.id]!, entry);
    }
  }
}

/** `neigh_timer_handler`: probe again, move DELAY to PROBE, or give up. */
function neighTimer(sim: Sim, nsId: number, ifindex: number, addr: number, due: number): void {
  const ns = sim.state.namespaces[nsId];
  const link = ns?.links[ifindex];
  const entry = ns === undefined || link === undefined ? undefined : findNeigh(ns, link, addr);
  // The entry was resolved, flushed or restarted since the timer was armed.
  if (
    ns === undefined ||
    link === undefined ||
    entry === undefined ||
    !TIMED_STATES.includes(entry.state) ||
    entry.timerAt !== due
  )
    return;
  if (entry.state === "REACHABLE") {
    expireReachable(sim, ns, entry);
    return;
  }
  if (entry.state !== "INCOMPLETE") {
    probeKnownMac(sim, ns, link, entry, due);
    return;
  }
  if ((entry.probes ?? 0) < maxProbes(ns)) {
    entry.probes = (entry.probes ?? 0) + 1;
    entry.timerAt = due + retransMs(ns);
    scheduleNeighTimer(sim, ns, entry);
    const source = entry.queue?.[0]?.src ?? 0;
    const note = `neighbour timer, no reply yet (probe ${entry.probes} of ${maxProbes(ns)})`;
    sendArpRequest(sim, ns, link, addr, source, undefined, undefined, note);
    return;
  }
  failNeigh(sim, ns, link, entry);
}

/**
 * Runs the DELAY and PROBE timer: sends a unicast ARP request to the entry's MAC, up to
 * `ucast_solicit` times, and fails the entry when no reply came.
 */
function probeKnownMac(sim: Sim, ns: Netns, link: Link, entry: NeighEntry, due: number): void {
  if (entry.state === "DELAY") {
    entry.state = "PROBE";
    entry.updatedAt = sim.now;
    entry.probes = 0;
  }
  if ((entry.probes ?? 0) >= UCAST_PROBES) {
    failNeigh(sim, ns, link, entry);
    return;
  }
  entry.probes = (entry.probes ?? 0) + 1;
  entry.timerAt = due + retransMs(ns);
  scheduleNeighTimer(sim, ns, entry);
  const note = `neighbour timer, checking the MAC of an entry used while STALE (probe ${entry.probes} of ${UCAST_PROBES})`;
  sendArpRequest(sim, ns, link, entry.addr, 0, undefined, entry.mac, note);
}

/** Fails `entry` once its probes ran out, and sends a host unreachable for each queued packet. */
function failNeigh(sim: Sim, ns: Netns, link: Link, entry: NeighEntry): void {
  const queued = entry.queue ?? [];
  entry.state = "FAILED";
  entry.updatedAt = sim.now;
  delete entry.timerAt;
  delete entry.failsAt;
  delete entry.probes;
  entry.queue = [];
  for (const packet of queued) {
    const trace =
      sim.queuedTraces.get(packet) ?? sim.startTrace(describePacket(packet), seqOf(packet));
    const request = { type: ICMP_DEST_UNREACH, code: ICMP_HOST_UNREACH, trace };
    const outcome = sendIcmpError(sim, ns, packet, request);
    const answer = answerText(outcome, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
    const message = `nobody on ${link.name} answered ARP for ${formatIp4(entry.addr)} after ${maxProbes(ns)} probes ${retransMs(ns)} ms apart in ${nsLabel(ns)}${answer}${macvlanArpHint(sim, link, entry.addr)}`;
    sim.drop(trace, ns, "NEIGH_FAILED", message, link.name);
  }
}

/** Returns the ping sequence number a packet belongs to, if it is an echo request. */
function seqOf(packet: Packet): number | undefined {
  return packet.protocol === "icmp" && packet.icmp.type === 8 ? packet.icmp.seq : undefined;
}

/**
 * Sends an ARP request for `target` on `link`: broadcast, or to `unicastMac` when probing. The
 * first hop of its trace ends with `note`, the reason a timer sent it, when no packet did.
 */
function sendArpRequest(
  sim: Sim,
  ns: Netns,
  link: Link,
  target: number,
  hint: number,
  seq?: number,
  unicastMac?: string,
  note?: string,
): void {
  const sender = arpSource(ns, link, hint);
  const arp: Arp = {
    op: "request",
    senderMac: link.mac,
    senderIp: sender,
    targetMac: "00:00:00:00:00:00",
    targetIp: target,
  };
  const trace = sim.startTrace(describeArp(arp), seq);
  const how = unicastMac === undefined ? "broadcast" : `unicast (to ${unicastMac})`;
  const reason = note === undefined ? "" : `: ${note}`;
  sim.hop(trace, ns, "arp", `${how} request for ${formatIp4(target)}${reason}`, link.name);
  const dstMac = unicastMac ?? BROADCAST_MAC;
  sendFrame(sim, ns, link, { srcMac: link.mac, dstMac, body: { kind: "arp", arp } }, trace);
  if (trace.verdict === undefined) {
    const failsAt = findNeigh(ns, link, target)?.failsAt;
    const when =
      failsAt === undefined ? "" : `; the entry turns FAILED at ${(failsAt / 1000).toFixed(3)}s`;
    sim.drop(
      trace,
      ns,
      "NEIGH_FAILED",
      `nobody answered ARP for ${formatIp4(target)} on ${link.name}${when}${macvlanArpHint(sim, link, target)}`,
      link.name,
    );
  }
}

/**
 * Returns the sender address of an ARP request (`arp_solicit` with `arp_announce=0`): the
 * queued packet's source when it is any local address, else the link's primary address.
 */
export function arpSource(ns: Netns, link: Link, hint: number): number {
  if (isOwnAddress(ns, hint)) return hint;
  return primaryAddressOf(ns, link.ifindex) ?? hint;
}

/** Sends every packet queued on `entry` now that its MAC is known. */
function flushQueue(sim: Sim, ns: Netns, link: Link, entry: NeighEntry): void {
  const queued = entry.queue ?? [];
  entry.queue = [];
  for (const packet of queued) {
    const trace =
      sim.queuedTraces.get(packet) ?? sim.startTrace(describePacket(packet), seqOf(packet));
    sim.hop(trace, ns, "neigh", `${formatIp4(entry.addr)} resolved to ${entry.mac}`, link.name);
    const frame: Frame = { srcMac: link.mac, dstMac: entry.mac!, body: { kind: "ip", packet } };
    const transmit = queuedTransmits.get(packet);
    if (transmit === undefined) sendFrame(sim, ns, link, frame, trace);
    else transmit(frame, trace);
  }
}

/** `arp_process`: answer requests for local addresses, learn from senders, complete entries. */
export function arpReceive(sim: Sim, ns: Netns, link: Link, arp: Arp, trace: PacketTrace): void {
  if (arp.op === "reply") {
    arpReplyReceive(sim, ns, link, arp, trace);
    return;
  }
  if (isMulticast(arp.targetIp) || isLoopback(arp.targetIp)) {
    sim.hop(trace, ns, "arp", `${formatIp4(arp.targetIp)} is never answered by ARP`, link.name);
    return;
  }
  const input = routeInput(sim.state, ns, {
    dst: arp.targetIp,
    src: arp.senderIp,
    iif: link.ifindex,
  });
  if (!answersArp(ns, link, arp, input)) {
    const why = !input.ok ? `, because ${input.why}` : "";
    sim.hop(trace, ns, "arp", `${formatIp4(arp.targetIp)} is not answered here${why}`, link.name);
    // A request for a local address that arp_ignore keeps unanswered teaches nothing.
    const isLocal = input.ok && input.kind === "local";
    if (!isLocal && arp.senderIp !== 0 && learnSender(sim, ns, link, arp, "overheard")) {
      const message = `learned from the request: ${formatIp4(arp.senderIp)} is at ${arp.senderMac}, STALE`;
      sim.hop(trace, ns, "arp", message, link.name);
    }
    return;
  }
  if (arp.senderIp !== 0) learnSender(sim, ns, link, arp, "answered");
  const reply: Arp = {
    op: "reply",
    senderMac: link.mac,
    senderIp: arp.targetIp,
    targetMac: arp.senderMac,
    targetIp: arp.senderIp,
  };
  sim.hop(trace, ns, "arp", `${formatIp4(arp.targetIp)} is ours: replying`, link.name);
  const replyTrace = sim.startTrace(describeArp(reply), trace.seq);
  sendFrame(
    sim,
    ns,
    link,
    { srcMac: link.mac, dstMac: arp.senderMac, body: { kind: "arp", arp: reply } },
    replyTrace,
  );
  trace.verdict ??= {
    kind: "delivered",
    ns: nsLabel(ns),
    link: link.name,
    message: `answered by ${nsLabel(ns)}`,
  };
}

function arpReplyReceive(sim: Sim, ns: Netns, link: Link, arp: Arp, trace: PacketTrace): void {
  const entry = findNeigh(ns, link, arp.senderIp);
  if (entry === undefined || entry.state === "FAILED") {
    sim.drop(trace, ns, "NOT_SPECIFIED", "an ARP reply nobody asked for is ignored", link.name);
    return;
  }
  if (entry.state === "PERMANENT" || entry.state === "NOARP") {
    const message = `${formatIp4(arp.senderIp)} has a ${entry.state} entry, which ARP does not change`;
    sim.deliver(trace, ns, message, link.name);
    return;
  }
  if (isLockedAgainst(sim, entry, arp)) {
    const message = `${formatIp4(arp.senderIp)} stays at ${entry.mac}: a reply with another MAC within ${LOCKTIME_MS} ms of the entry's last change is ignored (locktime), so the first reply wins`;
    sim.deliver(trace, ns, message, link.name);
    return;
  }
  entry.state = "REACHABLE";
  entry.mac = arp.senderMac;
  entry.updatedAt = sim.now;
  delete entry.failsAt;
  delete entry.probes;
  entry.timerAt = sim.now + REACHABLE_MS;
  scheduleNeighTimer(sim, ns, entry);
  sim.deliver(trace, ns, `${formatIp4(arp.senderIp)} is at ${arp.senderMac}`, link.name);
  flushQueue(sim, ns, link, entry);
}

/**
 * Reports whether `arp_process` leaves `entry` as it is for `arp`, a reply or a request for
 * another host. That happens when the entry has a MAC and `arp` brings another within `locktime`
 * of the entry's last change. Gratuitous ARP (`arp_is_garp`: equal sender and target addresses,
 * and for a reply equal MACs too) always applies.
 */
function isLockedAgainst(sim: Sim, entry: NeighEntry, arp: Arp): boolean {
  if (!hasUsableMac(entry) || entry.mac === arp.senderMac) return false;
  const isGratuitous =
    arp.senderIp === arp.targetIp && (arp.op === "request" || arp.senderMac === arp.targetMac);
  const isLocked = entry.updatedAt !== undefined && sim.now <= entry.updatedAt + LOCKTIME_MS;
  return isLocked && !isGratuitous;
}

/**
 * Learns the sender of an ARP request and reports whether its entry changed. For a request that
 * it replies to, a host learns through `neigh_event_ns`, which creates the entry if needed. For any
 * other request, `arp_process` only updates an entry that exists ("Update our ARP tables"), and
 * leaves one that changed within `locktime` as it is. An entry that was still resolving becomes
 * STALE and sends what it had queued. A valid entry keeps its state when the MAC is the one it
 * has, and turns STALE with the new MAC otherwise (`neigh_update` with NUD_STALE).
 */
function learnSender(
  sim: Sim,
  ns: Netns,
  link: Link,
  arp: Arp,
  how: "answered" | "overheard",
): boolean {
  const existing = findNeigh(ns, link, arp.senderIp);
  if (existing === undefined) {
    if (how === "overheard") return false;
    ns.neigh.push({
      ifindex: link.ifindex,
      addr: arp.senderIp,
      state: "STALE",
      mac: arp.senderMac,
      updatedAt: sim.now,
    });
    return true;
  }
  if (existing.state === "PERMANENT" || existing.state === "NOARP") return false;
  if (how === "overheard" && isLockedAgainst(sim, existing, arp)) return false;
  const wasResolving = existing.state === "INCOMPLETE";
  const isNewMac = existing.mac !== arp.senderMac;
  existing.mac = arp.senderMac;
  if (existing.state !== "FAILED" && !wasResolving && !isNewMac) return false;
  existing.state = "STALE";
  existing.updatedAt = sim.now;
  delete existing.failsAt;
  delete existing.timerAt;
  delete existing.probes;
  if (wasResolving) flushQueue(sim, ns, link, existing);
  return true;
}

/**
 * Reports whether `ns` replies to the ARP request `arp` that arrived on `link`, given the input
 * route of its target from its sender: a local target, and an `arp_ignore` mode that lets
 * `link` reply.
 */
export function answersArp(
  ns: Netns,
  link: Link,
  arp: Pick<Arp, "senderIp" | "targetIp">,
  input: InputRoute,
): boolean {
  const isLocal =
    arp.senderIp === 0 ? isLocalTarget(ns, arp.targetIp) : input.ok && input.kind === "local";
  return isLocal && arpIgnoreAllows(ns, link, arp.targetIp, arp.senderIp);
}

function isLocalTarget(ns: Netns, addr: number): boolean {
  return isOwnAddress(ns, addr);
}

/**
 * Reports whether `arp_ignore` lets the link reply (net/ipv4/arp.c, `arp_ignore` and
 * `inet_confirm_addr`). The mode is the larger of `all` and the link's value. Modes 0 and the
 * reserved 4-7 reply for any local address, and 1 only for an address on the receiving link.
 * Mode 2 also needs the sender in that address's subnet, 3 skips host-scope addresses, and 8
 * never replies.
 */
function arpIgnoreAllows(ns: Netns, link: Link, target: number, sender: number): boolean {
  const mode = Math.max(ns.confAll.arp_ignore, link.conf.arp_ignore);
  const onLink = ns.addrs.filter((addr) => addr.ifindex === link.ifindex && addr.local === target);
  switch (mode) {
    case 1:
      return onLink.length > 0;
    case 2:
      return onLink.some((addr) =>
        containsIp4(networkOf(addr.local, addr.bits), addr.bits, sender),
      );
    case 3:
      return ns.addrs.some((addr) => addr.local === target && addr.scope !== "host");
    case 8:
      return false;
    default:
      return true;
  }
}
