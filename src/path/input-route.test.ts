import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import { findNetns, findLink } from "../netns/state.js";
import { routeInput } from "./input-route.js";

// r routes between eth0 (10.0.1.1/24) and eth1 (10.0.2.1/24), with a third link eth2
// (10.0.3.1/24); 10.0.1.2 lives behind eth0, so a packet from it that arrives on eth2 is
// asymmetric.
const ROUTER = `
ip netns add r
ip netns add a
ip netns add b
ip netns exec r ip link set lo up
ip netns exec r ip link add eth0 type veth peer name eth0 netns a
ip netns exec r ip link add eth2 type veth peer name eth1 netns a
ip netns exec r ip link add eth1 type veth peer name eth0 netns b
ip netns exec r ip addr add 10.0.1.1/24 dev eth0
ip netns exec r ip addr add 10.0.3.1/24 dev eth2
ip netns exec r ip addr add 10.0.2.1/24 dev eth1
ip netns exec r ip link set eth0 up
ip netns exec r ip link set eth1 up
ip netns exec r ip link set eth2 up
ip netns exec a ip link set eth0 up
ip netns exec a ip link set eth1 up
ip netns exec b ip link set eth0 up
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
`;

const ADDR = { a: 0x0a000102, sym: 0x0a000302, far: 0x0a000202, own: 0x0a000301, doc: 0xc0000207 };

function verdict(settings: string, src: number, dst = ADDR.far): string {
  const { state } = runScript(ROUTER + settings);
  const r = findNetns(state, "r")!;
  const result = routeInput(state, r, { dst, src, iif: findLink(r, "eth2")!.ifindex });
  return result.ok ? result.kind : result.reason;
}

describe("routeInput reverse-path filter", () => {
  const table: [string, string, number, number, string][] = [
    ["off: asymmetric source forwarded", "", ADDR.a, ADDR.far, "forward"],
    ["off: source without route back forwarded", "", ADDR.doc, ADDR.far, "forward"],
    ["off: own address as source is a martian", "", ADDR.own, ADDR.far, "IP_LOCAL_SOURCE"],
    [
      "strict: asymmetric source dropped",
      "ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=1\n",
      ADDR.a,
      ADDR.far,
      "IP_RPFILTER",
    ],
    [
      "strict: symmetric source forwarded",
      "ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=1\n",
      ADDR.sym,
      ADDR.far,
      "forward",
    ],
    [
      "strict: local delivery checked too",
      "ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=1\n",
      ADDR.a,
      ADDR.own,
      "IP_RPFILTER",
    ],
    [
      "loose: asymmetric source forwarded",
      "ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=2\n",
      ADDR.a,
      ADDR.far,
      "forward",
    ],
    [
      "loose: no route back dropped",
      "ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=2\n",
      ADDR.doc,
      ADDR.far,
      "IP_RPFILTER",
    ],
    [
      "max of all=0 and link=1 is strict",
      "ip netns exec r sysctl -qw net.ipv4.conf.eth2.rp_filter=1\n",
      ADDR.a,
      ADDR.far,
      "IP_RPFILTER",
    ],
    [
      "max of all=1 and link=2 is loose",
      "ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=1\nip netns exec r sysctl -qw net.ipv4.conf.eth2.rp_filter=2\n",
      ADDR.a,
      ADDR.far,
      "forward",
    ],
  ];
  it.for(table)("%s", ([, settings, src, dst, expected]) => {
    expect(verdict(settings, src, dst)).toBe(expected);
  });
});

describe("routeInput martians and no route", () => {
  it("rejects a zero source", () => {
    expect(verdict("", 0)).toBe("IP_INVALID_SOURCE");
  });

  it("rejects a loopback destination", () => {
    expect(verdict("", ADDR.a, 0x7f000001)).toBe("IP_INVALID_DEST");
  });

  it("delivers the limited broadcast locally", () => {
    expect(verdict("", ADDR.sym, 0xffffffff)).toBe("broadcast");
  });

  it("sends a packet with no route to ip_error", () => {
    expect(verdict("", ADDR.sym, 0xcb007101)).toBe("unreachable");
  });

  it("does not forward with the ingress link's forwarding off", () => {
    expect(verdict("ip netns exec r sysctl -qw net.ipv4.conf.eth2.forwarding=0\n", ADDR.sym)).toBe(
      "unreachable",
    );
  });
});
