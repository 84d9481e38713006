import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

// c (10.0.1.2) - r (10.0.1.1 | 10.0.2.1) - s (10.0.2.2), every namespace with lo up.
const CHAIN = `
ip netns add c
ip netns add r
ip netns add s
ip netns exec c ip link add eth0 type veth peer name left netns r
ip netns exec r ip link add right type veth peer name eth0 netns s
ip netns exec c ip addr add 10.0.1.2/24 dev eth0
ip netns exec r ip addr add 10.0.1.1/24 dev left
ip netns exec r ip addr add 10.0.2.1/24 dev right
ip netns exec s ip addr add 10.0.2.2/24 dev eth0
ip netns exec c ip link set eth0 up
ip netns exec r ip link set left up
ip netns exec r ip link set right up
ip netns exec s ip link set eth0 up
ip netns exec c ip link set lo up
ip netns exec r ip link set lo up
ip netns exec s ip link set lo up
ip netns exec c ip route add default via 10.0.1.1
ip netns exec s ip route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
TIMEFORMAT='%1R'
`;

/** Runs `commands` after the chain is built and returns the last command's output and status. */
function last(commands: string): { output: string[]; status: number } {
  const { lines } = runScript(`${CHAIN}${commands}`);
  const line = lines.at(-1)!;
  return { output: line.output.trimEnd().split("\n"), status: line.exitCode };
}

describe("traceroute", () => {
  it("prints the header and one line per hop up to the destination", () => {
    const { output, status } = last("ip netns exec c traceroute -n -q 1 10.0.2.2");

    expect(output).toEqual([
      "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets",
      " 1  10.0.1.1  0.050 ms",
      " 2  10.0.2.2  0.050 ms",
    ]);
    expect(status).toBe(0);
  });

  it("prints three times per hop by default", () => {
    const { output } = last("ip netns exec c traceroute -n -I 10.0.2.2");

    expect(output[1]).toBe(" 1  10.0.1.1  0.050 ms  0.050 ms  0.050 ms");
    expect(output[2]).toBe(" 2  10.0.2.2  0.050 ms  0.050 ms  0.050 ms");
  });

  it("prints stars up to -m and exits 0 when the router stops forwarding", () => {
    const { output, status } = last(
      "ip netns exec r sysctl -qw net.ipv4.ip_forward=0\nip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2",
    );

    expect(output.slice(1)).toEqual([" 1  *", " 2  *", " 3  *"]);
    expect(status).toBe(0);
  });

  it("waits -w seconds for the probes nobody answers", () => {
    const { output } = last(
      "ip netns exec r sysctl -qw net.ipv4.ip_forward=0\ntime ip netns exec c traceroute -n -q 1 -w 2 -m 3 10.0.2.2",
    );

    expect(output.at(-1)).toBe("2.0");
  });

  it("ends with !N when the router has no route", () => {
    const { output } = last("ip netns exec c traceroute -n -q 1 -w 1 198.51.100.1");

    expect(output.slice(1)).toEqual([" 1  10.0.1.1  0.050 ms !N"]);
  });

  it("ends with !X at a prohibit route", () => {
    const { output } = last(
      "ip netns exec r ip route add prohibit 198.51.100.0/24\nip netns exec c traceroute -n -q 1 -w 1 198.51.100.1",
    );

    expect(output.slice(1)).toEqual([" 1  10.0.1.1  0.050 ms !X"]);
  });

  it("reports !H once the router's ARP for an absent host fails", () => {
    const { output } = last("ip netns exec c traceroute -n -q 1 -w 5 -m 3 10.0.2.99");

    expect(output.slice(1)).toEqual([" 1  10.0.1.1  0.050 ms", " 2  10.0.1.1  3000.050 ms !H"]);
  });

  it("prints the header before a failed connect and exits 1", () => {
    const { output, status } = last(
      "ip netns exec s ip route flush table main\nip netns exec s traceroute -n 192.0.2.1",
    );

    expect(output).toEqual([
      "traceroute to 192.0.2.1 (192.0.2.1), 30 hops max, 60 byte packets",
      "connect: Network is unreachable",
    ]);
    expect(status).toBe(1);
  });

  it("fails to connect its ICMP socket before the header", () => {
    const { output, status } = last(
      "ip netns exec s ip route flush table main\nip netns exec s traceroute -n -I 192.0.2.1",
    );

    expect(output).toEqual(["", "connect: Network is unreachable"]);
    expect(status).toBe(1);
  });

  it("rejects a broadcast destination with EACCES", () => {
    const { output } = last("ip netns exec c traceroute -n 10.0.1.255");

    expect(output.at(-1)).toBe("connect: Permission denied");
  });

  it("holds back time exceeded past the router's burst", () => {
    const { output } = last("ip netns exec c traceroute -n -q 10 -w 1 -m 1 10.0.2.2");

    expect(output[1]).toBe(` 1  10.0.1.1${"  0.050 ms".repeat(6)} * * * *`);
  });

  it("is not modelled with -6", () => {
    const { output } = last("ip netns exec c traceroute -n -6 10.0.2.2");

    expect(output).toEqual(["hoptrace: not supported: traceroute -6"]);
  });

  it("counts 16 UDP probes and 15 missing ports at the destination", () => {
    const { lines } = runScript(
      `${CHAIN}ip netns exec c traceroute -n -q 1 10.0.2.2\nip netns exec c nstat -az UdpOutDatagrams\nip netns exec s nstat -az UdpNoPorts`,
    );

    expect(lines.at(-2)!.output).toMatch(/^UdpOutDatagrams +16 /m);
    expect(lines.at(-1)!.output).toMatch(/^UdpNoPorts +15 /m);
  });
});
