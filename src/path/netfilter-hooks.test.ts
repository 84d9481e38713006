import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import type { PacketTrace } from "./verdict.js";

/** Two namespaces a (10.0.0.1) and b (10.0.0.2) on one veth pair, both links up. */
const pair = [
  "ip netns add a",
  "ip netns add b",
  "ip -n a link add va type veth peer name vb netns b",
  "ip -n a addr add 10.0.0.1/24 dev va",
  "ip -n b addr add 10.0.0.2/24 dev vb",
  "ip -n a link set va up",
  "ip -n b link set vb up",
];

/** Runs `lines` and returns the packet traces of the last command. */
function lastTraces(lines: string[]): PacketTrace[] {
  const result = runScript(lines.join("\n"));
  return result.lines.at(-1)!.probes.flatMap((probe) => probe.packets);
}

describe("netfilter hooks", () => {
  it("points a local connection from PREROUTING to OUTPUT", () => {
    const traces = lastTraces([
      ...pair,
      "ip netns exec a iptables -t nat -A PREROUTING -d 10.0.0.1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80",
      "ip netns exec a nc -z -w 1 10.0.0.1 8080",
    ]);

    const details = traces[0]!.hops.map((hop) => hop.detail);
    expect(details).toContainEqual(
      expect.stringContaining(
        "nat PREROUTING would DNAT it by rule 1 of PREROUTING (-A PREROUTING -d 10.0.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80), but packets a sends itself pass nat OUTPUT",
      ),
    );
  });

  it("names a rule missed through a missing link", () => {
    const traces = lastTraces([
      ...pair,
      "ip netns exec b iptables -P INPUT DROP",
      "ip netns exec b iptables -A INPUT -i eth0 -p icmp -j ACCEPT",
      "ip netns exec b iptables -A INPUT -i vb -p tcp -j ACCEPT",
      "ip netns exec a ping -c 1 -W 1 10.0.0.2",
    ]);

    const message = traces[0]!.verdict!.message;
    expect(message).toContain(
      "rule 1 (-A INPUT -i eth0 -p icmp -j ACCEPT) would have matched, but b has no link named eth0",
    );
    // Rule 2 names a link that exists, and its protocol does not match anyway.
    expect(message).not.toContain("rule 2");
  });

  it("drops with NETFILTER_DROP naming the rule", () => {
    const traces = lastTraces([
      ...pair,
      "ip netns exec b iptables -A INPUT -p icmp -j DROP",
      "ip netns exec a ping -c 1 -W 1 10.0.0.2",
    ]);

    const verdict = traces[0]!.verdict!;
    expect(verdict.reason).toBe("NETFILTER_DROP");
    expect(verdict.ns).toBe("b");
    expect(verdict.message).toContain("filter table's INPUT chain");
    expect(verdict.message).toContain("rule 1 of INPUT (-A INPUT -p icmp -j DROP)");
  });

  it("names the policy when it decides", () => {
    const traces = lastTraces([
      ...pair,
      "ip netns exec a iptables -P OUTPUT DROP",
      "ip netns exec a ping -c 1 -W 1 10.0.0.2",
    ]);

    const verdict = traces[0]!.verdict!;
    expect(verdict.reason).toBe("NETFILTER_DROP");
    expect(verdict.message).toContain("policy (-P OUTPUT DROP)");
  });

  it("sends REJECT's error from the rejecting namespace", () => {
    const result = runScript(
      [
        ...pair,
        "ip netns exec b iptables -A INPUT -p icmp -j REJECT --reject-with icmp-host-prohibited",
        "ip netns exec a ping -c 1 -W 1 10.0.0.2",
      ].join("\n"),
    );

    expect(result.lines.at(-1)!.output).toContain(
      "From 10.0.0.2 icmp_seq=1 Destination Host Prohibited",
    );
  });

  it("records the filter hop of an accepted packet", () => {
    const traces = lastTraces([
      ...pair,
      "ip netns exec b iptables -A INPUT -s 10.0.0.1 -j ACCEPT",
      "ip netns exec a ping -c 1 -W 1 10.0.0.2",
    ]);

    const hop = traces[0]!.hops.find((candidate) => candidate.step === "filter");
    expect(hop?.ns).toBe("b");
    expect(hop?.detail).toBe(
      "filter INPUT: ACCEPT by rule 1 of INPUT (-A INPUT -s 10.0.0.1/32 -j ACCEPT)",
    );
  });

  it("records MASQUERADE's rewrite and its reversal", () => {
    const traces = lastTraces([
      ...pair,
      "ip netns add c",
      "ip -n b link add vc type veth peer name vb2 netns c",
      "ip -n b addr add 10.0.1.1/24 dev vc",
      "ip -n c addr add 10.0.1.2/24 dev vb2",
      "ip -n b link set vc up",
      "ip -n c link set vb2 up",
      "ip -n a route add default via 10.0.0.2",
      "ip netns exec b sysctl -qw net.ipv4.ip_forward=1",
      "ip netns exec b iptables -t nat -A POSTROUTING -o vc -j MASQUERADE",
      "ip netns exec a ping -c 1 -W 1 10.0.1.2",
    ]);

    const nat = traces.flatMap((trace) => trace.hops).filter((hop) => hop.step === "nat");
    const details = nat.map((hop) => hop.detail);
    expect(details).toContain("source 10.0.0.1 rewritten to 10.0.1.1 (NEW flow)");
    expect(details).toContain("destination 10.0.1.1 rewritten to 10.0.0.1 (ESTABLISHED flow)");
  });
});
