import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

/** Client c (10.0.1.2), router r, server s (10.0.2.2), as in the recorded REJECT case. */
const ROUTED = `
ip netns add c
ip netns add r
ip netns add s
ip link add c0 type veth peer name rc netns r
ip link set c0 netns c
ip netns exec r ip link add rs type veth peer name s0 netns s
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec r ip addr add 10.0.1.1/24 dev rc
ip netns exec r ip addr add 10.0.2.1/24 dev rs
ip netns exec s ip addr add 10.0.2.2/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec r ip link set rc up
ip netns exec r ip link set rs up
ip netns exec s ip link set s0 up
ip netns exec c ip link set lo up
ip netns exec c ip route add default via 10.0.1.1
ip netns exec s ip route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
`;

function lastOutput(script: string): { output: string; exitCode: number } {
  const result = runScript(ROUTED + script);
  const last = result.lines[result.lines.length - 1]!;
  return { output: last.output, exitCode: last.exitCode };
}

describe("netfilter on TCP", () => {
  it("matches -m multiport on the destination port", () => {
    const rule = "ip netns exec s iptables -A INPUT -p tcp -m multiport --dports 22,80 -j DROP\n";
    const dropped = lastOutput(`${rule}ip netns exec c nc -z -v -w 1 10.0.2.2 80\n`);
    const passed = lastOutput(`${rule}ip netns exec c nc -z -v -w 1 10.0.2.2 81\n`);

    expect(dropped.output).toBe(
      "nc: connect to 10.0.2.2 port 80 (tcp) timed out: Operation now in progress\n",
    );
    expect(passed.output).toBe(
      "nc: connect to 10.0.2.2 port 81 (tcp) failed: Connection refused\n",
    );
  });

  it("lets a reset in as ESTABLISHED behind a stateful INPUT", () => {
    const script = `ip netns exec c iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip netns exec c iptables -P INPUT DROP
ip netns exec c nc -z -v -w 1 10.0.2.2 80
ip netns exec c iptables -L INPUT -n -v
`;
    const output = lastOutput(script).output;

    expect(output).toContain("policy DROP 0 packets, 0 bytes");
    // The reset from s: 20 bytes of IP and 20 of TCP.
    expect(output).toContain("    1    40 ACCEPT ");
  });

  it("lets an ICMP error about TCP in as RELATED", () => {
    const script = `ip netns exec c iptables -A INPUT -m state --state ESTABLISHED -j ACCEPT
ip netns exec c iptables -A INPUT -m state --state RELATED -j ACCEPT
ip netns exec c iptables -P INPUT DROP
ip netns exec r iptables -A FORWARD -p tcp -j REJECT --reject-with icmp-host-prohibited
ip netns exec c nc -z -v -w 1 10.0.2.2 80
ip netns exec c iptables -L INPUT -n -v
`;
    const result = runScript(ROUTED + script);
    const nc = result.lines[result.lines.length - 2]!;
    const listing = result.lines[result.lines.length - 1]!.output.split("\n");

    expect(nc.output).toBe("nc: connect to 10.0.2.2 port 80 (tcp) failed: No route to host\n");
    expect(listing[2]).toMatch(/^ +0 +0 ACCEPT .*state ESTABLISHED/);
    expect(listing[3]).toMatch(/^ +1 +\d+ ACCEPT .*state RELATED/);
  });
});
