import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTopology, topology } from "../../test/arbitraries/topology.js";
import type { Network } from "./network.js";
import { addresses, namespaces, network } from "./network.js";
import type { Trace } from "./probe.js";
import { sendProbe, sendProbeOnDraft } from "./probe.js";

const scenarioDir = resolve(fileURLToPath(import.meta.url), "../../../scenarios");

// NAT, filter counters and a conntrack entry left by a ping: the parts of a namespace that only
// scripts with iptables rules have, and that a probe writes.
const NAT_SCRIPT = `ip netns add a
ip netns add r
ip netns add b
ip link add a0 netns a type veth peer name r0 netns r
ip link add b0 netns b type veth peer name r1 netns r
ip -n a addr add 10.0.1.2/24 dev a0
ip -n r addr add 10.0.1.1/24 dev r0
ip -n r addr add 10.0.2.1/24 dev r1
ip -n b addr add 10.0.2.2/24 dev b0
ip -n a link set a0 up
ip -n r link set r0 up
ip -n r link set r1 up
ip -n b link set b0 up
ip -n a route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A POSTROUTING -o r1 -j MASQUERADE
ip netns exec r iptables -A FORWARD -p icmp -j ACCEPT
ip netns exec b iptables -A INPUT -s 10.0.2.1 -j DROP
ip netns exec a ping -c 1 -W 1 10.0.2.2
`;

// ns3 has ns2's MAC in its neighbour table after its ping, so it sends its echo request without
// ARP. Moving v2 off the bridge and back removed the bridge's entry for that MAC, so the bridge
// floods the request, unless its forwarding database kept the MAC from an earlier probe.
const STATIC_NEIGH_SCRIPT = `ip link add br0 type bridge
ip link set br0 up
ip netns add ns1
ip netns add ns2
ip netns add ns3
ip link add v1 type veth peer name eth0 netns ns1
ip link add v2 type veth peer name eth0 netns ns2
ip link add v3 type veth peer name eth0 netns ns3
ip link set v1 master br0 up
ip link set v2 master br0 up
ip link set v3 master br0 up
ip -n ns1 addr add 10.0.0.1/24 dev eth0
ip -n ns2 addr add 10.0.0.2/24 dev eth0
ip -n ns3 addr add 10.0.0.3/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n ns3 link set eth0 up
ip netns exec ns3 ping -c 1 -W 1 10.0.0.2
ip link set v2 nomaster
ip link set v2 master br0
`;

/** Probes every pair of `net` both ways and returns the traces side by side. */
function bothWays(net: Network): { copied: Trace[]; drafted: Trace[] } {
  const copied: Trace[] = [];
  const drafted: Trace[] = [];
  for (const from of namespaces(net)) {
    for (const to of addresses(net)) {
      copied.push(sendProbe(net.state, { from, to }));
      drafted.push(sendProbeOnDraft(net.state, { from, to }));
    }
  }
  return { copied, drafted };
}

function expectSameTraces(net: Network): void {
  const { copied, drafted } = bothWays(net);
  expect(copied.length).toBe(drafted.length);
  copied.forEach((trace, index) => {
    const reference = drafted[index]!;
    const pair = `${trace.from} -> ${trace.to}`;
    expect(trace.verdict, pair).toBe(reference.verdict);
    expect(trace.decisive.reason, pair).toBe(reference.decisive.reason);
    expect(trace.decisive.ns, pair).toBe(reference.decisive.ns);
    expect(trace.decisive.link, pair).toBe(reference.decisive.link);
    expect(trace, pair).toEqual(reference);
  });
}

describe("probeState", () => {
  const scenarios = readdirSync(scenarioDir).filter((name) => name.endsWith(".sh"));

  it.each(scenarios)("gives the draft's traces on %s", (name) => {
    const script = readFileSync(resolve(scenarioDir, name), "utf8");
    expectSameTraces(network(script, { isStrict: false }));
  });

  it("gives the draft's traces with NAT and conntrack", () => {
    const net = network(NAT_SCRIPT, { isStrict: false });
    expect(net.state.namespaces[2]?.conntrack?.length).toBeGreaterThan(0);
    expectSameTraces(net);
  });

  it("gives the draft's traces on generated topologies", () => {
    fc.assert(
      fc.property(topology(), (value) => {
        const script = `${renderTopology(value).lines.join("\n")}\n`;
        expectSameTraces(network(script, { isStrict: false }));
      }),
      { numRuns: 40 },
    );
  });

  it("starts each probe with a fresh FDB", () => {
    const net = network(STATIC_NEIGH_SCRIPT);
    expect(sendProbe(net.state, { from: "ns1", to: "10.0.0.2" }).verdict).toBe("reachable");
    const probe = sendProbe(net.state, { from: "ns3", to: "10.0.0.2" });
    const requests = probe.packets.filter((packet) =>
      packet.packet.startsWith("ICMP echo request"),
    );
    const details = requests.flatMap((packet) => packet.hops.map((hop) => hop.detail));
    expect(details).toContain("flooded out port v2");
    expect(details).not.toContain("forwarded by the FDB out port v2");
    expectSameTraces(net);
  });

  it("leaves the frozen state unchanged", () => {
    const net = network(NAT_SCRIPT, { isStrict: false });
    const before = structuredClone(net.state);
    bothWays(net);
    expect(net.state).toEqual(before);
  });
});
