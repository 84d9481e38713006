/**
 * Bridge netfilter: IPv4 frames that cross a bridge pass the IPv4 hooks of the bridge's
 * namespace while `net.bridge.bridge-nf-call-iptables` is 1 there, the default. Rules see the
 * bridge as the in and out link and the ports through `-m physdev`.
 *
 * Sources: net/bridge/br_netfilter_hooks.c (`br_nf_pre_routing` runs PREROUTING for every IPv4
 * frame entering a port; `ip_sabotage_in` keeps the bridge's own IP input from running it a
 * second time; `br_nf_forward_ip` runs FORWARD and `br_nf_post_routing` POSTROUTING for each
 * port a frame leaves by; frames the bridge itself sends already passed OUTPUT and POSTROUTING
 * in the IP stack).
 */
import { Unsupported } from "../errors.js";
import type { Link, Netns } from "../netns/state.js";
import type { Frame } from "../wire/ipv4.js";
import { markPreroutedByBridge, runHook } from "./netfilter-hooks.js";
import type { Sim } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** Reports whether bridged IPv4 frames in `ns` pass the iptables hooks. */
function callsIptables(ns: Netns, frame: Frame): boolean {
  return frame.body.kind === "ip" && (ns.sysctl["net.bridge.bridge-nf-call-iptables"] ?? 1) > 0;
}

/**
 * Runs PREROUTING for a frame that entered `port` of `bridge`. Returns the frame to go on
 * with, or undefined when netfilter ended its trace.
 */
export function bridgePrerouting(
  sim: Sim,
  ns: Netns,
  bridge: Link,
  port: Link,
  frame: Frame,
  trace: PacketTrace,
): Frame | undefined {
  if (frame.body.kind !== "ip" || !callsIptables(ns, frame)) return frame;
  const before = frame.body.packet;
  const packet = runHook(sim, ns, "PREROUTING", before, trace, { in: bridge, physIn: port });
  if (packet === undefined) return undefined;
  if (packet.dst !== before.dst) {
    // br_nf_pre_routing_finish routes such a frame again and may hand it to the IP stack.
    throw new Unsupported("DNAT of a bridged packet (br_netfilter re-routing)");
  }
  markPreroutedByBridge(trace, ns);
  return { ...frame, body: { kind: "ip", packet } };
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
  return { ...frame, body: { kind: "ip", packet } };
}
