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

/** Returns the first hop of each ARP request that the last command's probes traced. */
function arpRequestHops(script: string): string[] {
  const last = runScript(script).lines.at(-1)!;
  const packets = last.probes.flatMap((probe) => probe.packets);
  return packets
    .filter((trace) => trace.packet.startsWith("ARP who-has"))
    .map((trace) => trace.hops[0]!.detail);
}

describe("ARP requests a timer sends", () => {
  it("labels the broadcast retries", () => {
    expect(arpRequestHops(SCRIPT)).toEqual([
      "broadcast request for 10.0.0.99",
      "broadcast request for 10.0.0.99: neighbour timer, no reply yet (probe 2 of 3)",
      "broadcast request for 10.0.0.99: neighbour timer, no reply yet (probe 3 of 3)",
    ]);
  });

  it("labels the unicast probes", () => {
    // a sends to 10.0.0.2 by a STALE entry, with a MAC that no link has, so the entry turns DELAY,
    // then PROBE after 5 s, and its three unicast probes go unanswered.
    const script = [
      SCRIPT.replace("ip netns exec a ping -c 1 -W 5 10.0.0.99\n", ""),
      "ip netns exec a ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:99 nud stale dev eth0",
      "ip netns exec a ping -c 1 -W 7 10.0.0.2",
    ].join("\n");
    const label = "neighbour timer, checking the MAC of an entry used while STALE";

    expect(arpRequestHops(script)).toEqual([
      `unicast (to 02:00:00:00:00:99) request for 10.0.0.2: ${label} (probe 1 of 3)`,
      `unicast (to 02:00:00:00:00:99) request for 10.0.0.2: ${label} (probe 2 of 3)`,
      `unicast (to 02:00:00:00:00:99) request for 10.0.0.2: ${label} (probe 3 of 3)`,
    ]);
  });
});
