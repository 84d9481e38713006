/**
 * IPv4 input: what a namespace does with a packet that arrived on one of its links. Input
 * routing decides (see `routeInput`); this file carries the decision out: local delivery, the
 * forward path with its TTL and MTU checks, or `ip_error` for packets with no route.
 *
 * Sources: net/ipv4/ip_input.c (`ip_rcv_finish_core`: a reverse-path failure counts
 * `TcpExtIPReversePathFilter`), net/ipv4/route.c (`ip_error`: with forwarding off on the
 * ingress link the packet is only counted, as `IpInAddrErrors` or `IpExtInNoRoutes`; with it
 * on, the sender gets a net, host or filtered unreachable, after a charge of its own on the
 * sender's rate-limit bucket) and net/ipv4/ip_forward.c
 * (`ip_forward`: TTL expiry counts `IpInHdrErrors` and sends time exceeded; a DF packet larger
 * than the next link's MTU sends fragmentation needed; `ip_forward_finish` counts
 * `IpForwDatagrams`).
 */
import { formatIp4 } from "../addr/ip4.js";
import type { Route } from "../fib/route.js";
import { SCOPE_LINK } from "../fib/route.js";
import type { Errno } from "../errors.js";
import { fibLookup } from "../fib/lookup.js";
import type { Link, Netns } from "../netns/state.js";
import { count } from "../netns/state.js";
import type { Packet } from "../wire/ipv4.js";
import {
  ICMP_DEST_UNREACH,
  ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_REDIRECT,
  ICMP_REDIR_HOST,
  ICMP_TIME_EXCEEDED,
  describePacket,
  ipLength,
} from "../wire/ipv4.js";
import { localDeliver } from "./deliver.js";
import { answerText, errorName, sendIcmpError } from "./icmp.js";
import {
  ROUTE_ERROR_BURST_MS,
  ROUTE_ERROR_COST_MS,
  takeRedirectSlot,
  takeRouteErrorToken,
} from "./icmp-ratelimit.js";
import { routeInput } from "./input-route.js";
import { neighOutput } from "./neigh.js";
import { decisionText } from "./output-route.js";
import { runHook } from "./netfilter-hooks.js";
import type { Sim } from "./sim.js";
import { nsLabel } from "./sim.js";
import type { PacketTrace } from "./verdict.js";

/** IPv4 input on `link`: local delivery, forwarding, or the reason neither happens. */
export function ipReceive(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: Packet,
  trace: PacketTrace,
): void {
  sim.hop(trace, ns, "rcv", `received ${describePacket(packet)}`, link.name);
  // netfilter: PREROUTING (netfilter-hooks.ts) may rewrite the destination before routing.
  const prerouted = runHook(sim, ns, "PREROUTING", packet, trace, { in: link });
  if (prerouted === undefined) return;
  packet = prerouted;
  const input = routeInput(sim.state, ns, {
    dst: packet.dst,
    src: packet.src,
    iif: link.ifindex,
    tos: packet.tos,
  });
  if (!input.ok) {
    if (input.reason === "IP_RPFILTER") count(ns, "TcpExtIPReversePathFilter");
    const message = `${nsLabel(ns)} drops the packet from ${formatIp4(packet.src)} on ${link.name}: ${input.why}${rpFilterHint(ns, link, input.reason)}`;
    sim.drop(trace, ns, input.reason, message, link.name);
    return;
  }
  switch (input.kind) {
    case "local":
    case "broadcast":
    case "multicast": {
      const what = input.kind === "local" ? "a local address" : `a ${input.kind} address`;
      sim.hop(trace, ns, "route", `${formatIp4(packet.dst)} is ${what}: local delivery`, link.name);
      // netfilter: INPUT.
      const admitted = runHook(sim, ns, "INPUT", packet, trace, { in: link });
      if (admitted === undefined) return;
      localDeliver(sim, ns, link, admitted, trace, input.kind === "local" ? "unicast" : input.kind);
      return;
    }
    case "unreachable": {
      const table = input.table ?? input.route?.table;
      const decision = decisionText({
        ...(input.rule === undefined ? {} : { rule: input.rule }),
        ...(table === undefined ? {} : { table }),
      });
      ipError(sim, ns, link, packet, trace, input.errno, decision);
      return;
    }
    case "forward": {
      const rule = input.rule === undefined ? {} : { rule: input.rule };
      const decision = decisionText({ table: input.route.table, ...rule });
      forward(sim, ns, link, input.route, packet, trace, decision);
      return;
    }
  }
}

function rpFilterHint(ns: Netns, link: Link, reason: string): string {
  if (reason !== "IP_RPFILTER") return "";
  const mode = Math.max(ns.confAll.rp_filter, link.conf.rp_filter);
  return ` (reverse-path filter, rp_filter=${mode}: the larger of conf.all and conf.${link.name})`;
}

/**
 * `ip_error`: with forwarding off on the ingress link the packet is only counted; with it on,
 * the sender gets an ICMP unreachable whose code follows the errno of the failed lookup.
 * `decision` names the rule and table of that lookup (`decisionText`).
 */
function ipError(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: Packet,
  trace: PacketTrace,
  errno: Errno,
  decision: string,
): void {
  const dst = formatIp4(packet.dst);
  const who = nsLabel(ns);
  if (link.conf.forwarding === 0) {
    if (errno === "EHOSTUNREACH") count(ns, "IpInAddrErrors");
    if (errno === "ENETUNREACH") count(ns, "IpExtInNoRoutes");
    const reason =
      errno === "EHOSTUNREACH"
        ? "IP_INADDRERRORS"
        : errno === "ENETUNREACH"
          ? "IP_INNOROUTES"
          : "NOT_SPECIFIED";
    const message = `${who} received a packet for ${dst}, which is not its own address, and does not forward it: ${forwardingHint(ns, link)}`;
    sim.drop(trace, ns, reason, message, link.name);
    return;
  }

  const codes: Partial<Record<Errno, number>> = {
    ENETUNREACH: ICMP_NET_UNREACH,
    EHOSTUNREACH: ICMP_HOST_UNREACH,
    EACCES: ICMP_PKT_FILTERED,
  };
  const code = codes[errno];
  if (errno === "ENETUNREACH") count(ns, "IpExtInNoRoutes");
  const reason = errno === "ENETUNREACH" ? "IP_INNOROUTES" : "NOT_SPECIFIED";
  const why: Partial<Record<Errno, string>> = {
    ENETUNREACH: `has no route to ${dst}`,
    EHOSTUNREACH: `routes ${dst} to an unreachable route`,
    EACCES: `routes ${dst} to a prohibit route`,
  };

  const route = `${who} forwards, but ${why[errno] ?? `routes ${dst} to a blackhole route`}${decision}`;
  if (code === undefined) {
    sim.drop(trace, ns, reason, `${route}, so it drops the packet silently`, link.name);
    return;
  }
  const answer = routeErrorAnswer(sim, ns, link, packet, trace, code);
  sim.drop(trace, ns, reason, `${route}${answer}`, link.name);
}

/**
 * Sends `ip_error`'s unreachable with `code`, after its own charge on the sender's rate-limit
 * bucket, and returns how the drop message ends.
 */
function routeErrorAnswer(
  sim: Sim,
  ns: Netns,
  link: Link,
  packet: Packet,
  trace: PacketTrace,
  code: number,
): string {
  if (!takeRouteErrorToken(ns, packet.src, sim.now)) {
    const name = errorName(ICMP_DEST_UNREACH, code);
    const detail = `${nsLabel(ns)} did not send ${name} to ${formatIp4(packet.src)}: ip_error's rate limit for unroutable packets (${ROUTE_ERROR_COST_MS} ms each, burst ${ROUTE_ERROR_BURST_MS / ROUTE_ERROR_COST_MS})`;
    sim.hop(trace, ns, "icmp", detail, link.name);
    return answerText("rate-limited", ICMP_DEST_UNREACH, code);
  }
  const request = { type: ICMP_DEST_UNREACH, code, ingress: link, trace };
  return answerText(sendIcmpError(sim, ns, packet, request), ICMP_DEST_UNREACH, code);
}

/** Names the switch that keeps `ns` from forwarding what arrives on `link`, and how to flip it. */
function forwardingHint(ns: Netns, link: Link): string {
  if ((ns.sysctl["net.ipv4.ip_forward"] ?? 0) === 0) {
    return `net.ipv4.ip_forward=0 ("sysctl -w net.ipv4.ip_forward=1" turns routing on)`;
  }
  return `net.ipv4.conf.${link.name}.forwarding=0 on the link it arrived on`;
}

/**
 * Sends the source of a forwarded packet an ICMP redirect where the kernel does.
 * `__mkroute_input` sets IPSKB_DOREDIRECT when the packet leaves by the link it arrived on,
 * send_redirects is on for that link or conf.all, and the route back to the source is connected
 * on that link (`fib_validate_source` returns 1, and shared_media defaults to 1). `ip_forward`
 * then calls `ip_rt_send_redirect` after the TTL and MTU checks and before the FORWARD hook,
 * which holds redirects to one host back with a growing gap (`takeRedirectSlot`), and
 * `icmp_send` quotes the packet with its TTL already lowered (net/ipv4/route.c,
 * net/ipv4/ip_forward.c).
 */
function sendRedirect(
  sim: Sim,
  ns: Netns,
  link: Link,
  route: Route,
  packet: Packet,
  trace: PacketTrace,
): void {
  if (route.dev !== link.ifindex) return;
  if (ns.confAll.send_redirects === 0 && link.conf.send_redirects === 0) return;
  const back = fibLookup(sim.state, ns, { dst: packet.src });
  if (!back.ok || back.route.type !== "unicast" || back.route.dev !== link.ifindex) return;
  if (back.route.gateway !== undefined && back.route.nexthopScope === SCOPE_LINK) return;
  const usesGateway = route.gateway !== undefined && route.nexthopScope === SCOPE_LINK;
  const nexthop = usesGateway ? route.gateway! : packet.dst;
  const about = `${formatIp4(packet.src)} to reach ${formatIp4(packet.dst)} via ${formatIp4(nexthop)}`;
  if (!takeRedirectSlot(ns, packet.src, sim.now)) {
    const detail = `no ICMP redirect telling ${about}: too soon after the last one to that host`;
    sim.hop(trace, ns, "icmp", detail, link.name);
    return;
  }
  const offending = { ...packet, ttl: packet.ttl - 1 };
  const request = { type: ICMP_REDIRECT, code: ICMP_REDIR_HOST, gateway: nexthop, ingress: link };
  const outcome = sendIcmpError(sim, ns, offending, { ...request, trace });
  if (outcome === "not-due") return;
  sim.hop(trace, ns, "icmp", `ICMP redirect telling ${about}`, link.name);
}

/**
 * `ip_forward`: TTL, MTU, then out through the route's link to its nexthop. `decision` names
 * the rule and table the route came from (`decisionText`).
 */
function forward(
  sim: Sim,
  ns: Netns,
  link: Link,
  route: Route,
  packet: Packet,
  trace: PacketTrace,
  decision: string,
): void {
  if (packet.ttl <= 1) {
    count(ns, "IpInHdrErrors");
    const request = { type: ICMP_TIME_EXCEEDED, code: 0, ingress: link, trace };
    const answer = answerText(sendIcmpError(sim, ns, packet, request), ICMP_TIME_EXCEEDED, 0);
    sim.drop(trace, ns, "IP_INHDR", `the TTL ran out in ${nsLabel(ns)}${answer}`, link.name);
    return;
  }
  const out = ns.links[route.dev!]!;
  if (packet.isDontFragment === true && ipLength(packet) > out.mtu) {
    count(ns, "IpFragFails");
    const code = ICMP_FRAG_NEEDED;
    const request = { type: ICMP_DEST_UNREACH, code, ingress: link, mtu: out.mtu, trace };
    const answer = answerText(sendIcmpError(sim, ns, packet, request), ICMP_DEST_UNREACH, code);
    const message = `the packet (${ipLength(packet)} bytes, DF set) is larger than the MTU ${out.mtu} of ${out.name} in ${nsLabel(ns)}${answer}`;
    sim.drop(trace, ns, "PKT_TOO_BIG", message, link.name);
    return;
  }
  sendRedirect(sim, ns, link, route, packet, trace);
  const usesGateway = route.gateway !== undefined && route.nexthopScope === SCOPE_LINK;
  const nexthop = usesGateway ? route.gateway! : packet.dst;
  const via = usesGateway ? ` via ${formatIp4(nexthop)}` : "";
  const ttl = packet.ttl - 1;
  // The hop names the route's choice; the FORWARD chain below may still drop the packet.
  sim.hop(trace, ns, "forward", `routed out ${out.name}${via}, ttl ${ttl}${decision}`, out.name);
  // netfilter: FORWARD, then POSTROUTING once ip_forward_finish counted the packet.
  const links = { in: link, out, nexthop };
  const filtered = runHook(sim, ns, "FORWARD", { ...packet, ttl }, trace, links);
  if (filtered === undefined) return;
  count(ns, "IpForwDatagrams");
  const forwarded = runHook(sim, ns, "POSTROUTING", filtered, trace, { out, nexthop });
  if (forwarded === undefined) return;
  neighOutput(sim, ns, out, nexthop, forwarded, trace);
}
