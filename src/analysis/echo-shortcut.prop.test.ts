import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTopology, topology } from "../../test/arbitraries/topology.js";
import { bridgedScript } from "../../bench/reach-topology.js";
import { parseIp4Strict } from "../addr/ip4.js";
import { EchoShortcut } from "./echo-shortcut.js";
import type { Network } from "./network.js";
import { addresses, namespaces, network } from "./network.js";
import { findNamespace, sendProbe } from "./probe.js";

/** Returns every pair the shortcut proves reachable, and how many pairs the network has. */
function proven(net: Network): { pairs: { from: string; to: string }[]; total: number } {
  const shortcut = new EchoShortcut(net.state);
  const pairs: { from: string; to: string }[] = [];
  let total = 0;
  for (const from of namespaces(net)) {
    const nsId = findNamespace(net.state, from).id;
    for (const to of addresses(net)) {
      total++;
      if (shortcut.isReachable(nsId, parseIp4Strict(to)!)) pairs.push({ from, to });
    }
  }
  return { pairs, total };
}

/** Asserts that the full probe finds every pair the shortcut proves reachable. */
function expectSound(net: Network): number {
  const { pairs } = proven(net);
  for (const pair of pairs) {
    const trace = sendProbe(net.state, pair);
    expect(trace.verdict, `${pair.from} -> ${pair.to}`).toBe("reachable");
  }
  return pairs.length;
}

/** Link names `renderTopology` gives: veth ends `aS` and `bS`, bridges `brS`, members `eSxJ`, ports `pSxJ`. */
const linkName = fc.constantFrom(
  "a0",
  "b0",
  "a1",
  "b1",
  "br0",
  "br1",
  "e0x0",
  "e0x1",
  "p0x0",
  "e1x0",
);

/** One of the first addresses `renderTopology` hands out. */
const knownAddress = fc.constantFrom(
  "10.0.0.1",
  "10.0.0.2",
  "10.0.0.10",
  "10.0.0.11",
  "10.0.1.1",
  "10.0.1.2",
);

/**
 * Lines that each break something the shortcut relies on, in namespace `nK` of a generated
 * topology. A line that names a link the namespace lacks fails and changes nothing.
 */
const disturbance = fc.oneof(
  fc
    .tuple(
      fc.nat(3),
      fc.constantFrom(
        "iptables -A INPUT -p icmp -j DROP",
        "iptables -A FORWARD -p icmp -j DROP",
        "iptables -P OUTPUT DROP",
        "iptables -t nat -A POSTROUTING -j MASQUERADE",
        "sysctl -qw net.ipv4.icmp_echo_ignore_all=1",
        "sysctl -qw net.ipv4.conf.all.arp_ignore=8",
        "sysctl -qw net.ipv4.conf.all.arp_ignore=1",
        "ip rule add from all lookup 100",
      ),
    )
    .map(([k, line]) => `ip netns exec n${k} ${line}`),
  fc
    .tuple(fc.nat(3), linkName, fc.constantFrom("mtu 68", "address 02:00:00:00:00:aa", "down"))
    .map(([k, name, what]) => `ip -n n${k} link set ${name} ${what}`),
  fc
    .tuple(fc.nat(3), knownAddress, linkName)
    .map(([k, addr, name]) => `ip -n n${k} addr add ${addr}/32 dev ${name}`),
  fc
    .tuple(fc.nat(3), knownAddress, linkName, fc.constantFrom("", " nud permanent"))
    .map(
      ([k, addr, name, nud]) =>
        `ip -n n${k} neigh replace ${addr} lladdr 02:00:00:00:00:99 dev ${name}${nud}`,
    ),
  fc.tuple(fc.nat(3), knownAddress).map(([k, addr]) => `ip -n n${k} route add blackhole ${addr}`),
  // A macvlan on a veth end takes the frames for its MAC from that end.
  fc
    .tuple(
      fc.nat(3),
      fc.constantFrom("a0", "b0", "a1", "b1", "e0x0", "e0x1", "e1x0"),
      knownAddress,
      fc.constantFrom("bridge", "vepa", "private"),
    )
    .map(([k, name, addr, mode]) =>
      [
        `ip -n n${k} link add mv0 link ${name} type macvlan mode ${mode}`,
        `ip -n n${k} addr add ${addr}/24 dev mv0`,
        `ip -n n${k} link set mv0 up`,
      ].join("\n"),
    ),
);

describe("EchoShortcut", () => {
  it("proves only pairs the full probe reaches", () => {
    let provenPairs = 0;
    fc.assert(
      fc.property(topology(), fc.array(disturbance, { maxLength: 3 }), (value, extra) => {
        const lines = [...renderTopology(value).lines, ...extra];
        provenPairs += expectSound(network(`${lines.join("\n")}\n`, { isStrict: false }));
      }),
      { numRuns: 120 },
    );
    // Guards against a shortcut that proves nothing, which would pass the loop above.
    expect(provenPairs).toBeGreaterThan(50);
  });

  it("proves every pair of a bridged network", () => {
    const net = network(bridgedScript(60));
    const { pairs, total } = proven(net);

    // 60 namespaces and the host, 60 addresses and one per bridge of 25 namespaces.
    expect(total).toBe(61 * 63);
    expect(pairs).toHaveLength(total);
    const sample = pairs.filter((pair, index) => index % 97 === 0 || pair.to === "10.0.0.2");
    for (const pair of sample) {
      expect(sendProbe(net.state, pair).verdict).toBe("reachable");
    }
  });

  it.each([
    ["a bridged frame meets a FORWARD rule", "iptables -A FORWARD -j DROP"],
    ["the destination has an INPUT rule", "ip netns exec ns2 iptables -A INPUT -p tcp -j DROP"],
    [
      "the source has a stranger's MAC for it",
      "ip -n ns1 neigh add 10.0.0.4 lladdr 02:00:00:00:00:99 dev eth0",
    ],
    [
      "the destination ignores pings",
      "ip netns exec ns2 sysctl -qw net.ipv4.icmp_echo_ignore_all=1",
    ],
    ["two links answer ARP for it", "ip -n ns3 addr add 10.0.0.4/32 dev lo"],
    [
      "the destination rate-limits echo replies",
      "ip netns exec ns2 sysctl -qw net.ipv4.icmp_ratemask=6169",
    ],
  ])("leaves a pair alone when %s", (_, line) => {
    const script = bridgedScript(4);
    const nsId = findNamespace(network(script).state, "ns1").id;
    const dst = parseIp4Strict("10.0.0.4")!;

    expect(new EchoShortcut(network(script).state).isReachable(nsId, dst)).toBe(true);
    expect(new EchoShortcut(network(`${script}${line}\n`).state).isReachable(nsId, dst)).toBe(
      false,
    );
  });

  it("leaves a pair behind a filtering router", () => {
    const routed = [
      "ip netns add a",
      "ip netns add r",
      "ip netns add b",
      "ip link add a0 netns a type veth peer name ra netns r",
      "ip link add b0 netns b type veth peer name rb netns r",
      "ip -n a addr add 10.1.0.2/24 dev a0",
      "ip -n r addr add 10.1.0.1/24 dev ra",
      "ip -n r addr add 10.2.0.1/24 dev rb",
      "ip -n b addr add 10.2.0.2/24 dev b0",
      "ip -n a link set a0 up",
      "ip -n r link set ra up",
      "ip -n r link set rb up",
      "ip -n b link set b0 up",
      "ip -n a route add default via 10.1.0.1",
      "ip -n b route add default via 10.2.0.1",
      "ip netns exec r sysctl -qw net.ipv4.ip_forward=1",
      "",
    ].join("\n");
    const filtered = `${routed}ip netns exec r iptables -A FORWARD -p icmp -j DROP\n`;
    const nsId = findNamespace(network(routed).state, "a").id;
    const dst = parseIp4Strict("10.2.0.2")!;

    expect(new EchoShortcut(network(routed).state).isReachable(nsId, dst)).toBe(true);
    expect(new EchoShortcut(network(filtered).state).isReachable(nsId, dst)).toBe(false);
    expect(sendProbe(network(filtered).state, { from: "a", to: "10.2.0.2" }).verdict).toBe(
      "dropped",
    );
  });

  it.each([
    ["a third namespace on the bridge has rules", "ip netns exec ns3 iptables -P INPUT DROP"],
    ["a third namespace's link is down", "ip -n ns3 link set eth0 down"],
  ])("proves a bridged pair when %s", (_, line) => {
    const net = network(`${bridgedScript(4)}${line}\n`);
    const pair = { from: "ns1", to: "10.0.0.4" };
    const nsId = findNamespace(net.state, pair.from).id;

    expect(new EchoShortcut(net.state).isReachable(nsId, parseIp4Strict(pair.to)!)).toBe(true);
    expect(sendProbe(net.state, pair).verdict).toBe("reachable");
  });

  it.each([
    ["lo is down", "ip -n ns1 link set lo down"],
    ["the namespace has a filter rule", "ip netns exec ns1 iptables -A OUTPUT -o eth0 -j ACCEPT"],
  ])("leaves an own-address ping alone when %s", (_, line) => {
    const script = bridgedScript(4);
    const nsId = findNamespace(network(script).state, "ns1").id;
    const dst = parseIp4Strict("10.0.0.3")!;

    expect(new EchoShortcut(network(script).state).isReachable(nsId, dst)).toBe(true);
    expect(new EchoShortcut(network(`${script}${line}\n`).state).isReachable(nsId, dst)).toBe(
      false,
    );
  });
});
