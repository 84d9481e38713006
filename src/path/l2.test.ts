import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

/** Returns the output and exit code of the last line of `lines`, run as one script. */
function lastLine(lines: string[]): { output: string; exitCode: number } {
  const { output, exitCode } = runScript(`${lines.join("\n")}\n`).lines.at(-1)!;
  return { output, exitCode };
}

// br0 has both ends of one veth as ports, so what it floods out of one comes back in on the
// other.
const ONE_BRIDGE = [
  "ip link add br0 type bridge",
  "ip link set br0 up",
  "ip link add p type veth peer name q",
  "ip link set p master br0",
  "ip link set q master br0",
  "ip link set p up",
  "ip link set q up",
  "ip addr add 10.6.0.1/24 dev br0",
];

// br0 and br1 are joined by two veths, a loop through two bridges.
const TWO_BRIDGES = [
  "ip link add br0 type bridge",
  "ip link add br1 type bridge",
  "ip link set br0 up",
  "ip link set br1 up",
  "ip link add a0 type veth peer name a1",
  "ip link add b0 type veth peer name b1",
  "ip link set a0 master br0",
  "ip link set b0 master br0",
  "ip link set a1 master br1",
  "ip link set b1 master br1",
  "ip link set a0 up",
  "ip link set a1 up",
  "ip link set b0 up",
  "ip link set b1 up",
  "ip addr add 10.6.0.1/24 dev br0",
];

/** Returns a script with `count` bridges in a row, br0 first, and a namespace z behind the last. */
function bridgeChain(count: number): string[] {
  const lines = [
    "ip link add br0 type bridge",
    "ip link set br0 up",
    "ip addr add 10.7.0.1/16 dev br0",
  ];
  for (let i = 1; i < count; i++) {
    lines.push(
      `ip link add br${i} type bridge`,
      `ip link set br${i} up`,
      `ip link add l${i} type veth peer name r${i}`,
      `ip link set l${i} master br${i - 1}`,
      `ip link set r${i} master br${i}`,
      `ip link set l${i} up`,
      `ip link set r${i} up`,
    );
  }
  lines.push(
    "ip netns add z",
    "ip link add zl type veth peer name zr netns z",
    `ip link set zl master br${count - 1}`,
    "ip link set zl up",
    "ip netns exec z ip addr add 10.7.0.2/16 dev zr",
    "ip netns exec z ip link set zr up",
  );
  return lines;
}

describe("bridge loops", () => {
  it("fail a ping on one bridge as not supported", () => {
    const result = lastLine([...ONE_BRIDGE, "ping -c 1 -W 1 10.6.0.9"]);

    expect(result.output).toBe(
      "hoptrace: not supported: a bridge loop: host/br0 receives on p a frame it is forwarding, which the kernel would send around the loop again and again (a broadcast storm)\n",
    );
    expect(result.exitCode).toBe(1);
  });

  it("fail a ping across two bridges as not supported", () => {
    const result = lastLine([...TWO_BRIDGES, "ping -c 1 -W 1 10.6.0.9"]);

    expect(result.output).toContain("hoptrace: not supported: a bridge loop: host/br");
    expect(result.exitCode).toBe(1);
  });

  it("leave a ping that stays on the bridge alone", () => {
    const result = lastLine([...ONE_BRIDGE, "ping -c 1 -W 1 10.6.0.1"]);

    expect(result.output).toContain("1 packets transmitted, 1 received");
    expect(result.exitCode).toBe(0);
  });
});

describe("long bridge chains", () => {
  it("reach the end of 100 bridges", () => {
    const result = lastLine([...bridgeChain(100), "ping -c 1 -W 1 10.7.0.2"]);

    expect(result.output).toContain("1 packets transmitted, 1 received");
  });

  it("fail as not supported past the stack", () => {
    const result = lastLine([...bridgeChain(400), "ping -c 1 -W 1 10.7.0.2"]);

    expect(result.output).toBe(
      "hoptrace: not supported: a frame path too long to follow: more links in a row than the simulator's stack holds, starting at host/br0\n",
    );
    expect(result.exitCode).toBe(1);
  });
});

// a (10.0.0.1 on va) and b (10.0.0.2 on vb) share a veth.
const VETH_PAIR = [
  "ip netns add a",
  "ip netns add b",
  "ip link add va type veth peer name vb",
  "ip link set va netns a",
  "ip link set vb netns b",
  "ip -n a link set va up",
  "ip -n b link set vb up",
  "ip -n a addr add 10.0.0.1/24 dev va",
  "ip -n b addr add 10.0.0.2/24 dev vb",
];

describe("veth MTU", () => {
  // b's end has an MTU of 1400, and a first ping resolves b's MAC.
  const PAIR = [
    ...VETH_PAIR,
    "ip -n b link set vb mtu 1400",
    "ip netns exec a ping -c 1 -W 1 10.0.0.2",
  ];

  it("fails a ping whose sendmsg gets ENOBUFS as not supported", () => {
    const result = lastLine([...PAIR, "ip netns exec a ping -c 1 -W 1 -s 1400 10.0.0.2"]);

    expect(result.output).toBe(
      "hoptrace: not supported: ping after sendmsg() fails with ENOBUFS: the 1428-byte packet is too long for b/vb, the other end of the veth, whose MTU is 1400, so the veth drops it\n",
    );
    expect(result.exitCode).toBe(1);
  });

  it("loses a probe queued for ARP without a send error", () => {
    // The first probe waits for b's MAC, so the veth drops it after sendmsg() returned.
    const result = lastLine([
      ...VETH_PAIR,
      "ip -n b link set vb mtu 1400",
      "ip netns exec a ping -c 1 -W 1 -s 1400 10.0.0.2",
    ]);

    expect(result.output).toContain("1 packets transmitted, 0 received, 100% packet loss");
    expect(result.output).not.toContain("not supported");
  });

  it("passes a packet of the MTU plus 4 bytes", () => {
    const result = lastLine([...PAIR, "ip netns exec a ping -c 1 -W 1 -s 1376 10.0.0.2"]);

    expect(result.output).toContain("1 packets transmitted, 1 received");
  });
});

describe("captures of fragmented packets", () => {
  it("fail the command that sends one as not supported", () => {
    const result = lastLine([
      ...VETH_PAIR,
      "ip netns exec b timeout 3 tcpdump -n -c 2 -i vb icmp > /tmp/cap.txt 2>&1 &",
      "ip netns exec a ping -c 1 -W 1 -s 1600 10.0.0.2",
    ]);

    expect(result.output).toMatch(
      /^hoptrace: not supported: a capture on b\/vb of ICMP echo request 10\.0\.0\.1 > 10\.0\.0\.2 id \d+ seq 1 ttl 64, which IP sends in fragments\n$/,
    );
  });

  it("leave a capture whose filter excludes the packet alone", () => {
    const result = lastLine([
      ...VETH_PAIR,
      "ip netns exec b timeout 3 tcpdump -n -c 2 -i vb arp > /tmp/cap.txt 2>&1 &",
      "ip netns exec a ping -c 1 -W 1 -s 1600 10.0.0.2",
    ]);

    expect(result.output).toContain("1 packets transmitted, 1 received");
  });

  it("leave a capture that has ended alone", () => {
    const result = lastLine([
      ...VETH_PAIR,
      "ip netns exec b timeout 3 tcpdump -n -c 1 -i vb icmp > /tmp/cap.txt 2>&1 &",
      "ip netns exec a ping -c 1 -W 1 10.0.0.2",
      "sleep 1",
      "ip netns exec a ping -c 1 -W 1 -s 1600 10.0.0.2",
    ]);

    expect(result.output).toContain("1 packets transmitted, 1 received");
  });
});
