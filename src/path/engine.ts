/**
 * The packet walk, entry points: a simulation of the state with its pending kernel timers, and
 * the output of a locally generated packet. The walk goes on in the files named after its
 * steps: neighbour resolution (`neigh.ts`), links and bridges (`l2.ts`), input routing and
 * forwarding (`input-route.ts`, `input.ts`) and ICMP (`icmp.ts`). Each step either hands the
 * packet to the next one or ends its trace with a verdict.
 *
 * Sources: net/ipv4/ip_output.c (`ip_finish_output2`: unicast goes to the neighbour layer;
 * `ip_mc_output`: a broadcast or multicast also loops a copy back to the sender's own stack)
 * and drivers/net/loopback.c with net/ipv4/route.c (a packet to a local address leaves through
 * lo and comes back in; a non-local packet sent out lo comes back with a route whose input is
 * `dst_discard`, so it goes no further).
 */
import { formatIp4 } from "../addr/ip4.js";
import type { Netns, NetState } from "../netns/state.js";
import type { Packet } from "../wire/ipv4.js";
import { BROADCAST_MAC, multicastMac } from "../wire/ipv4.js";
import { localDeliver } from "./deliver.js";
import { sendFrame } from "./l2.js";
import { neighOutput, scheduleAllNeighTimers } from "./neigh.js";
import type { OutputRoute } from "./output-route.js";
import { decisionText, loopbackOf, outputRoute } from "./output-route.js";
import { runHook } from "./netfilter-hooks.js";
import { Sim, nsLabel } from "./sim.js";
import { attachCaptures } from "../proc/capture.js";
import { scheduleProcessTimers } from "../proc/programs.js";
import type { PacketTrace } from "./verdict.js";

/** Starts a simulation of `state` with the kernel timers that are still pending in it. */
export function startSim(state: NetState): Sim {
  const sim = new Sim(state);
  scheduleAllNeighTimers(sim);
  scheduleProcessTimers(sim);
  attachCaptures(sim);
  return sim;
}

/**
 * Runs every kernel timer that fell due by the state's clock, such as an ARP resolution that a
 * finished ping left behind, so that the state a command sees is the one the kernel would have.
 */
export function settleTimers(state: NetState): void {
  startSim(state).runUntil(state.clock);
}

/**
 * Reports whether a netfilter hook of `ns` dropped the packet of `trace` before it left, the
 * drop `ip_local_out` reports to the sender, so that its send call fails with EPERM.
 */
export function isDroppedOnTheWayOut(trace: PacketTrace, ns: Netns): boolean {
  const verdict = trace.verdict;
  if (verdict?.reason !== "NETFILTER_DROP" || verdict.ns !== nsLabel(ns)) return false;
  return !trace.hops.some((hop) => hop.step === "xmit");
}

/** Sends a locally generated packet along an already resolved output route. */
export function sendLocal(
  sim: Sim,
  ns: Netns,
  packet: Packet,
  rt: OutputRoute,
  trace: PacketTrace,
): void {
  const via = rt.route === undefined ? "assumed on-link (output link given)" : routeText(rt);
  sim.hop(trace, ns, "route", `output route to ${formatIp4(packet.dst)}: ${via}`, rt.dev.name);
  // netfilter: OUTPUT, a new route when nat OUTPUT moved the destination, then POSTROUTING.
  const filtered = localOutHooks(sim, ns, packet, rt, trace);
  if (filtered === undefined) return;
  [packet, rt] = filtered;
  if (rt.isLocal) {
    loopbackDeliver(sim, ns, packet, trace);
    return;
  }
  if (rt.dev.kind === "loopback") {
    const message = `${formatIp4(packet.dst)} is not a local address, and a packet sent out lo only comes back into ${nsLabel(ns)}, which discards it`;
    sim.drop(trace, ns, "NOT_SPECIFIED", message, rt.dev.name);
    return;
  }
  if (rt.isBroadcast || rt.isMulticast) {
    groupOutput(sim, ns, packet, rt, trace);
    return;
  }
  neighOutput(sim, ns, rt.dev, rt.nexthop, packet, trace);
}

function routeText(rt: OutputRoute): string {
  const route = rt.route!;
  const prefix = route.bits === 0 ? "default" : `${formatIp4(route.dst)}/${route.bits}`;
  const via = rt.nexthop !== rt.dst ? ` via ${formatIp4(rt.nexthop)}` : "";
  const decision = decisionText({
    table: route.table,
    ...(rt.rule === undefined ? {} : { rule: rt.rule }),
  });
  const sourceText = `${rt.isSourceGiven === true ? "from" : "src"} ${formatIp4(rt.src)}`;
  return `${route.type} ${prefix}${via} dev ${rt.dev.name} ${sourceText}${decision}`;
}

/** `ip_mc_output`: a copy loops back to the sender's own stack, the original goes on the wire. */
function groupOutput(
  sim: Sim,
  ns: Netns,
  packet: Packet,
  rt: OutputRoute,
  trace: PacketTrace,
): void {
  const cast = rt.isBroadcast ? "broadcast" : "multicast";
  const looped = sim.forkTrace(trace, "copy looped back to the sender");
  sim.hop(looped, ns, "xmit", `${cast} copy looped back to ${nsLabel(ns)}`, rt.dev.name);
  localDeliver(sim, ns, rt.dev, packet, looped, cast);
  const dstMac = rt.isBroadcast ? BROADCAST_MAC : multicastMac(packet.dst);
  sendFrame(sim, ns, rt.dev, { srcMac: rt.dev.mac, dstMac, body: { kind: "ip", packet } }, trace);
}

/** Every packet to a local address leaves through lo, whose no-op qdisc drops it while lo is down. */
function loopbackDeliver(sim: Sim, ns: Netns, packet: Packet, trace: PacketTrace): void {
  const lo = loopbackOf(ns);
  if (!lo.isAdminUp) {
    const message = `${formatIp4(packet.dst)} is a local address of ${nsLabel(ns)}, and local traffic goes through lo, which is down; "ip link set lo up" fixes it`;
    sim.drop(trace, ns, "QDISC_DROP", message, "lo");
    return;
  }
  sim.hop(trace, ns, "xmit", "looped back through lo", "lo");
  // A capture on lo prints each looped packet once (seen on Linux 6.18 with tcpdump 4.99.3):
  // the kernel passes both copies through the filter, and libpcap skips the outgoing one.
  if (sim.captures.size !== 0) {
    const zeroMac = "00:00:00:00:00:00";
    sim.tap(ns, lo, { srcMac: zeroMac, dstMac: zeroMac, body: { kind: "ip", packet } });
  }
  // netfilter: the looped packet passes PREROUTING and INPUT on lo.
  const prerouted = runHook(sim, ns, "PREROUTING", packet, trace, { in: lo });
  const admitted = prerouted && runHook(sim, ns, "INPUT", prerouted, trace, { in: lo });
  if (admitted === undefined) return;
  localDeliver(sim, ns, lo, admitted, trace, "unicast");
}

/**
 * `__ip_local_out` and `ip_output`: OUTPUT, a new route when nat OUTPUT changed the
 * destination (`ip_route_me_harder`), then POSTROUTING. Returns the packet and route to go on
 * with, or undefined when netfilter ended the trace.
 */
function localOutHooks(
  sim: Sim,
  ns: Netns,
  packet: Packet,
  rt: OutputRoute,
  trace: PacketTrace,
): [Packet, OutputRoute] | undefined {
  const out = runHook(sim, ns, "OUTPUT", packet, trace, { out: rt.dev });
  if (out === undefined) return undefined;
  let route = rt;
  if (out.dst !== packet.dst) {
    // `ip_route_me_harder` keeps the source and accepts it as it is (FLOWI_FLAG_ANYSRC).
    const mark = rt.mark === undefined ? {} : { mark: rt.mark };
    const again = outputRoute(sim.state, ns, {
      dst: out.dst,
      src: out.src,
      isAnySource: true,
      ...mark,
    });
    if (!again.ok) {
      const message = `${nsLabel(ns)} has no route to ${formatIp4(out.dst)}, the destination nat OUTPUT chose`;
      sim.drop(trace, ns, "IP_OUTNOROUTES", message);
      return undefined;
    }
    route = again.route;
    sim.hop(
      trace,
      ns,
      "route",
      `rerouted to ${formatIp4(out.dst)} out ${route.dev.name}`,
      route.dev.name,
    );
  }
  const links = { out: route.dev, nexthop: route.nexthop };
  const sent = runHook(sim, ns, "POSTROUTING", out, trace, links);
  return sent === undefined ? undefined : [sent, route];
}
