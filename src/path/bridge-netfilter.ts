/**
 * Bridge netfilter: IPv4 frames that cross a bridge pass the IPv4 hooks of the bridge's
 * namespace while `net.bridge.bridge-nf-call-iptables` is 1 there, the default. Rules see the
 * bridge as the in and out link and the ports through `-m physdev`.
 *
 * Sources: net/bridge/br_netfilter_hooks.c (`br_nf_pre_routing` runs PREROUTING for every IPv4
 * frame entering a port; `ip_sabotage_in` keeps the bridge's own IP input from running it a
 * second time; `br_nf_forward_ip` runs FORWARD and `br_nf_post_routing` POSTROUTING for each
 * port a frame leaves by; frames the bridge itself sends already passed OUTPUT and POSTROUTING
 * in the IP stack; `br_nf_pre_routing_finish` routes a frame whose destination address the nat
 * table changed again).
 */
import { formatIp4 } from "../addr/ip4.js";
import { SCOPE_LINK } from "../fib/route.js";
import type { Link, Netns } from "../netns/state.js";
import type { Frame, Packet } from "../wire/ipv4.js";
import { ipLength } from "../wire/ipv4.js";
import { ipBytesWithMtu } from "./pmtu.js";
import type { InputRoute } from "./input-route.js";
import { routeInput } from "./input-route.js";
import { markPreroutedByBridge, runHook } from "./netfilter-hooks.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** Reports whether bridged IPv4 frames in `ns` pass the iptables hooks. */
function callsIptables(ns: Netns, frame: Frame): boolean {
  return frame.body.kind === "ip" && (ns.sysctl["net.bridge.bridge-nf-call-iptables"] ?? 1) > 0;
}

/**
 * The next step of a frame after the bridge's PREROUTING: `bridge` goes on bridging it as it is,
 * `up` passes it to the bridge's IP stack, and `resolve` bridges it to the MAC of `nexthop`,
 * which the bridge's neighbour table resolves.
 */
export type BridgeAdmission =
  | { kind: "bridge"; frame: Frame }
  | { kind: "up"; frame: Frame }
  | { kind: "resolve"; frame: Frame; packet: Packet; nexthop: number };

/**
 * Runs PREROUTING for a frame that entered `port` of `bridge`. Returns what happens to the
 * frame next, or undefined when netfilter ended its trace.
 */
export function bridgePrerouting(
  sim: Sim,
  ns: Netns,
  bridge: Link,
  port: Link,
  frame: Frame,
  trace: PacketTrace,
): BridgeAdmission | undefined {
  if (frame.body.kind !== "ip" || !callsIptables(ns, frame)) return { kind: "bridge", frame };
  const before = frame.body.packet;
  const packet = runHook(sim, ns, "PREROUTING", before, trace, { in: bridge, physIn: port });
  if (packet === undefined) return undefined;
  markPreroutedByBridge(trace, ns);
  const rewritten: Frame = { ...frame, body: { kind: "ip", packet } };
  if (packet.dst === before.dst) return { kind: "bridge", frame: rewritten };
  return rerouteDnat(sim, ns, bridge, rewritten, packet, trace);
}

/**
 * Routes a frame whose destination the bridge's nat PREROUTING changed, as
 * `br_nf_pre_routing_finish` does with `ip_route_input` on the bridge. A route out of the
 * bridge itself keeps the frame on layer 2 (`bridged_dnat`), with the destination MAC of the
 * nexthop and no TTL decrement. A martian is dropped here (`free_skb`). Any other result, a
 * local address, another link or an unreachable route, sends the frame up to the bridge's IP
 * stack, which acts on that route.
 */
function rerouteDnat(
  sim: Sim,
  ns: Netns,
  bridge: Link,
  frame: Frame,
  packet: Packet,
  trace: PacketTrace,
): BridgeAdmission | undefined {
  const dst = formatIp4(packet.dst);
  const input = routeInput(sim.state, ns, {
    dst: packet.dst,
    src: packet.src,
    iif: bridge.ifindex,
    tos: packet.tos,
  });
  if (input.ok && input.kind === "forward" && input.route.dev === bridge.ifindex) {
    const route = input.route;
    const usesGateway = route.gateway !== undefined && route.nexthopScope === SCOPE_LINK;
    const nexthop = usesGateway ? route.gateway! : packet.dst;
    const detail = `nat PREROUTING changed the destination to ${dst}, which is routed out of ${bridge.name} again: the frame stays bridged, to the MAC of ${formatIp4(nexthop)}`;
    sim.hop(trace, ns, "bridge", detail, bridge.name);
    return { kind: "resolve", frame, packet, nexthop };
  }
  if (!input.ok) {
    const message = `${nsLabel(ns)} drops the packet after nat PREROUTING changed its destination to ${dst}: ${input.why}`;
    sim.drop(trace, ns, input.reason, message, bridge.name);
    return undefined;
  }
  // The kernel writes the bridge's own MAC into the frame (PACKET_HOST) before passing it up.
  // With forwarding off, Linux 6.18 drops the frame silently even when the new destination is
  // behind the bridge (test/kernel/cases/nat-bridge-hairpin), as `ip_error` does here.
  const detail = `nat PREROUTING changed the destination to ${dst}, which ${routeText(ns, input)}: the frame goes up to the IP stack of ${bridge.name}`;
  sim.hop(trace, ns, "bridge", detail, bridge.name);
  return { kind: "up", frame: { ...frame, dstMac: bridge.mac } };
}

/** Returns how a trace names the input route of a DNATed frame that does not stay bridged. */
function routeText(ns: Netns, input: InputRoute & { ok: true }): string {
  switch (input.kind) {
    case "local":
      return "is a local address";
    case "broadcast":
    case "multicast":
      return `is a ${input.kind} address`;
    case "forward":
      return `is routed out of ${ns.links[input.route.dev!]?.name ?? "another link"}`;
    case "unreachable":
      return `has no route here (${input.errno})`;
  }
}

/**
 * Runs FORWARD and POSTROUTING for a frame that crosses `bridge` from `ingress` to `egress`.
 * Frames the bridge sends itself (no ingress port) pass unchanged. Returns the frame to send,
 * or undefined when netfilter ended its trace.
 */
export function bridgeForwardHooks(
  sim: Sim,
  ns: Netns,
  bridge: Link,
  ingress: Link | undefined,
  egress: Link,
  frame: Frame,
  trace: PacketTrace,
): Frame | undefined {
  if (ingress === undefined || frame.body.kind !== "ip" || !callsIptables(ns, frame)) return frame;
  const links = { in: bridge, out: bridge, physIn: ingress, physOut: egress };
  const forwarded = runHook(sim, ns, "FORWARD", frame.body.packet, trace, links);
  if (forwarded === undefined) return undefined;
  const out = { out: bridge, physIn: ingress, physOut: egress };
  const packet = runHook(sim, ns, "POSTROUTING", forwarded, trace, out);
  if (packet === undefined) return undefined;
  // `br_nf_dev_queue_xmit`: conntrack reassembled the packet, and one larger than the bridge's
  // MTU leaves in fragments no larger than those it came in, or is dropped when DF is set
  // (`br_nf_ip_fragment`). The port then checks the pieces.
  const bytes = ipLength(packet);
  const pieceBytes = ipBytesWithMtu(packet, bridge.mtu);
  if (bytes <= bridge.mtu || pieceBytes === undefined) {
    return { ...frame, body: { kind: "ip", packet } };
  }
  if (packet.isDontFragment === true) {
    const message = `the ${bytes}-byte packet has DF set and is larger than the MTU ${bridge.mtu} of ${bridge.name}, so br_netfilter drops it instead of fragmenting it`;
    sim.drop(trace, ns, "NOT_SPECIFIED", message, egress.name);
    return undefined;
  }
  const ipBytes = Math.min(frame.ipBytes ?? bytes, pieceBytes);
  return { ...frame, body: { kind: "ip", packet }, ipBytes };
}
