import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScript } from "../../src/script/run.js";
import type { ScriptLine } from "../../src/script/run.js";

const scenarios = resolve(fileURLToPath(import.meta.url), "../../../scenarios");

function readScenario(name: string): string {
  return readFileSync(join(scenarios, name), "utf8");
}

function lineOf(lines: ScriptLine[], command: string, occurrence = 0): ScriptLine {
  const found = lines.filter((line) => line.command === command)[occurrence];
  if (found === undefined) throw new Error(`no line "${command}" (#${occurrence})`);
  return found;
}

/** The verdicts of every echo request a line sent. */
function echoVerdicts(line: ScriptLine) {
  return line.probes
    .flatMap((probe) => probe.packets)
    .filter((packet) => packet.packet.startsWith("ICMP echo request"))
    .map((packet) => packet.verdict);
}

describe("bundled scenarios", () => {
  it("runs every scenario without an internal error", () => {
    for (const file of readdirSync(scenarios).filter((name) => name.endsWith(".sh"))) {
      const result = runScript(readScenario(file));
      expect(result.transcript, file).not.toContain("internal error");
      expect(result.lines.length, file).toBeGreaterThan(10);
    }
  });
});

describe("container-bridge scenario", () => {
  const result = runScript(readScenario("container-bridge.sh"));

  it("reports no route before sending from ns1", () => {
    const line = lineOf(result.lines, "ip netns exec ns1 ping -c 2 -W 1 172.31.59.121");
    expect(line.output).toBe("ping: connect: Network is unreachable\n");
    expect(line.exitCode).toBe(2);
    const [verdict] = echoVerdicts(line);
    expect(verdict?.reason).toBe("IP_OUTNOROUTES");
    expect(verdict?.ns).toBe("ns1");
    expect(verdict?.message).toContain("docker1");
  });

  it("names the router that answers net unreachable", () => {
    const line = lineOf(result.lines, "ping -c 2 -W 1 172.18.0.2");
    expect(line.output).toContain("From 172.31.48.1 icmp_seq=1 Destination Net Unreachable");
    const verdicts = echoVerdicts(line);
    expect(verdicts).toHaveLength(2);
    for (const verdict of verdicts) {
      expect(verdict?.reason).toBe("IP_INNOROUTES");
      expect(verdict?.ns).toBe("vpc");
      expect(verdict?.link).toBe("vpc0");
    }
  });

  it("drops at the host when it does not forward", () => {
    const line = lineOf(result.lines, "ip netns exec ns1 ping -c 2 -W 1 203.0.113.8", 1);
    expect(line.exitCode).toBe(1);
    expect(line.output).toContain("2 packets transmitted, 0 received, 100% packet loss");
    const verdicts = echoVerdicts(line);
    expect(verdicts).toHaveLength(2);
    for (const verdict of verdicts) {
      expect(verdict?.kind).toBe("dropped");
      expect(verdict?.reason).toBe("IP_INADDRERRORS");
      expect(verdict?.ns).toBe("host");
      expect(verdict?.link).toBe("docker1");
      expect(verdict?.message).toContain("net.ipv4.ip_forward=0");
    }
  });

  it("delivers every echo request of a successful ping", () => {
    const line = lineOf(result.lines, "ip netns exec ns1 ping -c 2 -W 1 172.18.0.3");
    expect(line.exitCode).toBe(0);
    expect(echoVerdicts(line).map((verdict) => verdict?.kind)).toEqual(["delivered", "delivered"]);
  });
});

describe("cloud-vm learner scenario", () => {
  const result = runScript(readScenario("cloud-vm-learner.sh"));

  it("starts from the cloud-vm preset declared in the script", () => {
    const routes = lineOf(result.lines, "ip route");
    expect(routes.output).toContain(
      "default via 172.31.48.1 dev ens5 proto dhcp src 172.31.59.121 metric 100 \n",
    );
    expect(routes.output).toContain(
      "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown \n",
    );
  });

  it("lets the VM itself reach the simulated internet", () => {
    const line = lineOf(result.lines, "ping -c 1 -W 1 8.8.8.8");
    expect(line.exitCode).toBe(0);
    expect(line.output).toContain("64 bytes from 8.8.8.8: icmp_seq=1 ttl=63");
  });

  it("loses the namespace's pings at the VM, which does not forward", () => {
    const line = lineOf(result.lines, "ip netns exec ns1 ping -c 2 -W 1 8.8.8.8");
    expect(line.exitCode).toBe(1);
    const verdicts = echoVerdicts(line);
    expect(verdicts.map((verdict) => verdict?.reason)).toEqual([
      "IP_INADDRERRORS",
      "IP_INADDRERRORS",
    ]);
    expect(verdicts[0]?.ns).toBe("host");
  });

  it("hides the preset's outside world from ip netns list", () => {
    const listed = runScript("# hoptrace: preset cloud-vm\nip netns list\n");
    expect(listed.lines[0]?.output).toBe("");
  });
});
