import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import type { ScriptLine } from "../script/run.js";
import type { PacketTrace } from "./verdict.js";

/**
 * Docker's container bridge: ns1 (172.18.0.2) and ns2 (172.18.0.3) on docker1 (172.18.0.1),
 * with forwarding on. The recorded case `nat-bridge-hairpin` checks the same layout against
 * the kernel; these tests check the traces, which a transcript does not show.
 */
const BRIDGE = `
ip netns add ns1
ip netns add ns2
ip link add veth0 type veth peer name veth0-br
ip link add veth1 type veth peer name veth1-br
ip link set veth0 netns ns1
ip link set veth1 netns ns2
ip link add docker1 type bridge
ip link set docker1 up
ip link set veth0-br master docker1
ip link set veth1-br master docker1
ip link set veth0-br up
ip link set veth1-br up
ip addr add 172.18.0.1/24 dev docker1
ip netns exec ns1 ip addr add 172.18.0.2/24 dev veth0
ip netns exec ns1 ip link set veth0 up
ip netns exec ns1 ip route add default via 172.18.0.1
ip netns exec ns2 ip addr add 172.18.0.3/24 dev veth1
ip netns exec ns2 ip link set veth1 up
ip netns exec ns2 ip route add default via 172.18.0.1
sysctl -qw net.ipv4.ip_forward=1
`;

function publish(port: number, target: number): string {
  return `iptables -t nat -A PREROUTING -d 172.18.0.1/32 -p tcp --dport ${port} -j DNAT --to-destination 172.18.0.2:${target}\n`;
}

/** Docker's rule that makes a container's connection to its own published port come back. */
const MASQUERADE_HAIRPIN =
  "iptables -t nat -A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p tcp --dport 80 -j MASQUERADE\n";

function listen(port: number): string {
  return `ip netns exec ns1 timeout 5 nc -l -k ${port} >/dev/null 2>&1 & sleep 0.5\n`;
}

function lastLine(script: string): ScriptLine {
  const result = runScript(BRIDGE + script);
  return result.lines[result.lines.length - 1]!;
}

function packetsOf(line: ScriptLine): PacketTrace[] {
  return line.probes.flatMap((probe) => probe.packets);
}

function firstPacket(line: ScriptLine, prefix: string): PacketTrace {
  const packet = packetsOf(line).find((candidate) => candidate.packet.startsWith(prefix));
  if (packet === undefined) throw new Error(`no packet starting with "${prefix}"`);
  return packet;
}

describe("DNAT of a bridged frame", () => {
  it("keeps the frame bridged to the neighbour", () => {
    const line = lastLine(
      `${publish(8080, 80)}${listen(80)}ip netns exec ns2 nc -z -v -w 2 172.18.0.1 8080\n`,
    );
    const syn = firstPacket(line, "TCP 172.18.0.3:");
    const steps = syn.hops.map((hop) => `${hop.ns} ${hop.step}`);
    const arrival = syn.hops.find((hop) => hop.ns === "ns1" && hop.step === "rcv");

    expect(line.output).toContain("Connection to 172.18.0.1 8080 port [tcp/http-alt] succeeded!");
    expect(syn.hops.some((hop) => hop.detail.includes("the frame stays bridged"))).toBe(true);
    // Bridged, not routed: the host's IP forward step never runs, so the TTL stays 64.
    expect(steps).not.toContain("host forward");
    expect(arrival?.detail).toContain("172.18.0.3:");
    expect(arrival?.detail).toContain("> 172.18.0.2:80 [SYN] ttl 64");
  });

  it("un-NATs the reply to the client", () => {
    const line = lastLine(
      `${publish(8080, 80)}${listen(80)}ip netns exec ns2 nc -z -v -w 2 172.18.0.1 8080\n`,
    );
    const synAck = firstPacket(line, "TCP 172.18.0.2:80 >");
    const arrival = synAck.hops.find((hop) => hop.ns === "ns2" && hop.step === "rcv");

    expect(arrival?.detail).toMatch(
      /^received TCP 172\.18\.0\.1:8080 > 172\.18\.0\.3:\d+ \[SYN,ACK\]/,
    );
  });

  it("drops the hairpin at the ingress port", () => {
    const line = lastLine(
      `${publish(8080, 80)}${listen(80)}ip netns exec ns1 nc -z -v -w 2 172.18.0.1 8080\n`,
    );
    const syn = firstPacket(line, "TCP 172.18.0.2:");

    expect(line.output).toBe(
      "nc: connect to 172.18.0.1 port 8080 (tcp) timed out: Operation now in progress\n",
    );
    expect(syn.verdict?.reason).toBe("BRIDGE_NO_EGRESS_PORT");
    expect(syn.verdict?.message).toContain("hairpin mode is off");
  });

  it("sends the hairpin back out in hairpin mode", () => {
    const line = lastLine(
      `${publish(8080, 80)}${MASQUERADE_HAIRPIN}${listen(80)}bridge link set dev veth0-br hairpin on\nip netns exec ns1 nc -z -v -w 2 172.18.0.1 8080\n`,
    );
    const syn = firstPacket(line, "TCP 172.18.0.2:");

    expect(line.exitCode).toBe(0);
    expect(syn.verdict?.kind).toBe("delivered");
  });

  it("turns hairpin mode off for a port that leaves the bridge", () => {
    const line = lastLine(
      `${publish(8080, 80)}${MASQUERADE_HAIRPIN}${listen(80)}bridge link set dev veth0-br hairpin on\nip link set veth0-br nomaster\nip link set veth0-br master docker1\nip netns exec ns1 nc -z -v -w 2 172.18.0.1 8080\n`,
    );
    const syn = firstPacket(line, "TCP 172.18.0.2:");

    expect(line.exitCode).toBe(1);
    expect(syn.verdict?.message).toContain("hairpin mode is off");
  });

  it("drops in ip_error with forwarding off", () => {
    const script = `${publish(8080, 80)}${listen(80)}sysctl -qw net.ipv4.ip_forward=0
ip netns exec ns2 nc -z -v -w 2 172.18.0.1 8080
`;
    const line = lastLine(script);
    const syn = firstPacket(line, "TCP 172.18.0.3:");

    expect(syn.verdict?.reason).toBe("IP_INADDRERRORS");
    expect(syn.hops.some((hop) => hop.detail.includes("goes up to the IP stack"))).toBe(true);
  });

  it("delivers a DNAT to a local address", () => {
    const script = `iptables -t nat -A PREROUTING -d 172.18.0.2/32 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.1:22
ip netns exec ns2 nc -z -v -w 2 172.18.0.2 8080
`;
    const line = lastLine(script);
    const reset = firstPacket(line, "TCP 172.18.0.1:22 >");
    const arrival = reset.hops.find((hop) => hop.ns === "ns2" && hop.step === "rcv");

    // The host has no listener on port 22, so its reset comes back as if from ns1's port 8080.
    expect(line.output).toBe(
      "nc: connect to 172.18.0.2 port 8080 (tcp) failed: Connection refused\n",
    );
    expect(arrival?.detail).toMatch(/^received TCP 172\.18\.0\.2:8080 > 172\.18\.0\.3:\d+ \[RST/);
  });

  it("drops a DNAT to a martian", () => {
    const script = `iptables -t nat -A PREROUTING -d 172.18.0.1/32 -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:80
ip netns exec ns2 nc -z -v -w 1 172.18.0.1 8080
`;
    const line = lastLine(script);
    const syn = firstPacket(line, "TCP 172.18.0.3:");
    const steps = syn.hops.map((hop) => `${hop.ns} ${hop.step}`);

    expect(line.output).toBe(
      "nc: connect to 172.18.0.1 port 8080 (tcp) timed out: Operation now in progress\n",
    );
    expect(syn.verdict?.ns).toBe("host");
    expect(syn.verdict?.message).toContain("changed its destination to 127.0.0.1");
    expect(steps).not.toContain("host rcv");
  });

  it("connects through any port pair", () => {
    const ports = fc.integer({ min: 1, max: 65535 });
    fc.assert(
      fc.property(ports, ports, (published, target) => {
        const line = lastLine(
          `${publish(published, target)}${listen(target)}ip netns exec ns2 nc -z -w 2 172.18.0.1 ${published}\n`,
        );
        const synAck = firstPacket(line, `TCP 172.18.0.2:${target} >`);
        const arrival = synAck.hops.find((hop) => hop.ns === "ns2" && hop.step === "rcv");

        expect(line.exitCode).toBe(0);
        expect(arrival?.detail).toContain(`received TCP 172.18.0.1:${published} > 172.18.0.3:`);
      }),
      { numRuns: 20 },
    );
  });
});
