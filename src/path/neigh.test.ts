import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import type { PacketTrace } from "./verdict.js";

// a (10.0.0.1) with lo left down pings 10.0.0.99, which nobody on the veth owns, so ARP fails
// at 3 s and the host unreachable that a sends to itself is lost on lo.
const SCRIPT = `
ip netns add a
ip netns add b
ip netns exec a ip link add eth0 type veth peer name eth0 netns b
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec b ip link set eth0 up
ip netns exec a ping -c 1 -W 5 10.0.0.99
`;

function packetsOfPing(): PacketTrace[] {
  const last = runScript(SCRIPT).lines.at(-1)!;
  return last.probes.flatMap((probe) => probe.packets);
}

describe("ARP failure with lo down", () => {
  it("blames ARP for the echo request", () => {
    const request = packetsOfPing().find((trace) => trace.packet.startsWith("ICMP echo request"));
    const verdict = request?.verdict;

    expect(verdict?.kind).toBe("dropped");
    expect(verdict?.reason).toBe("NEIGH_FAILED");
    expect(verdict?.ns).toBe("a");
    expect(verdict?.link).toBe("eth0");
    expect(verdict?.message).toContain("answered ARP for 10.0.0.99");
    expect(verdict?.message).not.toContain("so it answers with ICMP");
    expect(verdict?.message).not.toContain("ip link set lo up");
  });

  it("blames lo for the lost error", () => {
    const error = packetsOfPing().find((trace) => trace.packet.includes("host unreachable"));
    const verdict = error?.verdict;

    expect(verdict?.reason).toBe("QDISC_DROP");
    expect(verdict?.ns).toBe("a");
    expect(verdict?.link).toBe("lo");
    expect(verdict?.message).toContain('"ip link set lo up" fixes it');
  });
});
