import { describe, expect, it } from "vitest";
import { compareTranscripts } from "./compare.js";

const kernel = [
  "$ ip netns exec ns1 ping -c 1 -W 1 172.18.0.3",
  "PING 172.18.0.3 (172.18.0.3) 56(84) bytes of data.",
  "64 bytes from 172.18.0.3: icmp_seq=1 ttl=64 time=1.19 ms",
  "",
  "--- 172.18.0.3 ping statistics ---",
  "1 packets transmitted, 1 received, 0% packet loss, time 0ms",
  "rtt min/avg/max/mdev = 1.188/1.188/1.188/0.000 ms",
  "$ ip netns exec ns1 ping -c 1 -W 1 203.0.113.8",
  "ping: connect: Network is unreachable",
  "[exit 2]",
  "",
].join("\n");

describe("compareTranscripts", () => {
  it("agrees when only volatile fields differ", () => {
    const simulated = kernel.replace("time=1.19 ms", "time=0.050 ms").replace(/1\.188/g, "0.050");

    const result = compareTranscripts(kernel, simulated);

    expect(result.agree).toBe(true);
    expect(result.diff).toBe("");
    expect(result.commands).toBe(2);
    expect(result.agreeing).toBe(2);
    expect(result.mismatches).toEqual([]);
  });

  it("names the first differing command", () => {
    const simulated = kernel.replace("[exit 2]", "[exit 1]");

    const result = compareTranscripts(kernel, simulated);

    expect(result.agree).toBe(false);
    expect(result.agreeing).toBe(1);
    expect(result.mismatches[0]?.index).toBe(1);
    expect(result.mismatches[0]?.command).toBe("ip netns exec ns1 ping -c 1 -W 1 203.0.113.8");
    expect(result.mismatches[0]?.expected).toContain("[exit 2]");
    expect(result.mismatches[0]?.actual).toContain("[exit 1]");
    expect(result.diff).toContain("-[exit 2]\n+[exit 1]\n");
    expect(result.diff.startsWith("--- kernel\n+++ hoptrace\n")).toBe(true);
  });

  it("counts a missing command as a mismatch", () => {
    const firstOnly = kernel.slice(0, kernel.indexOf("$ ip netns exec ns1 ping -c 1 -W 1 203"));

    const result = compareTranscripts(kernel, firstOnly);

    expect(result.commands).toBe(2);
    expect(result.agreeing).toBe(1);
    expect(result.mismatches).toHaveLength(1);
    expect(result.mismatches[0]?.actual).toBe("");
  });

  it("reports an extra simulated command without counting it", () => {
    const result = compareTranscripts(kernel, `${kernel}$ ip link show\n`);

    expect(result.commands).toBe(2);
    expect(result.agreeing).toBe(2);
    expect(result.mismatches[0]?.command).toBe("ip link show");
    expect(result.mismatches[0]?.expected).toBe("");
  });
});
