import { describe, expect, it } from "vitest";
import { ScriptError, network, trace } from "../index.js";
import { runScript } from "../script/run.js";

// The host a and the router g share one bridge with the router r. Because r reaches
// 203.0.113.0/24 through g, a's packets to it leave r by the link they came in on.
const LAN = [
  "ip netns add a",
  "ip netns add r",
  "ip netns add g",
  "ip netns exec r ip link add lan type bridge",
  "ip netns exec r ip link set lan up",
  "ip netns exec r ip addr add 10.0.0.1/24 dev lan",
  "ip netns exec r sysctl -qw net.ipv4.ip_forward=1",
  "ip netns exec r ip link add pa type veth peer name eth0 netns a",
  "ip netns exec r ip link add pg type veth peer name eth0 netns g",
  "ip netns exec r ip link set pa master lan",
  "ip netns exec r ip link set pg master lan",
  "ip netns exec r ip link set pa up",
  "ip netns exec r ip link set pg up",
  "ip netns exec a ip addr add 10.0.0.2/24 dev eth0",
  "ip netns exec a ip link set eth0 up",
  "ip netns exec a ip route add default via 10.0.0.1",
  "ip netns exec g ip addr add 10.0.0.3/24 dev eth0",
  "ip netns exec g ip addr add 203.0.113.8/32 dev lo",
  "ip netns exec g ip link set eth0 up",
  "ip netns exec g ip link set lo up",
  "ip netns exec g ip route add default via 10.0.0.1",
  "ip netns exec r ip route add 203.0.113.0/24 via 10.0.0.3",
].join("\n");

describe("ICMP redirects", () => {
  it("fail a ping that would get one", () => {
    const run = runScript(`${LAN}\nip netns exec a ping -c 1 -W 1 203.0.113.8\n`);
    const ping = run.lines.at(-1)!;

    expect(ping.exitCode).toBe(1);
    expect(ping.output).toMatch(
      /^hoptrace: not supported: ICMP redirects \(r would tell 10\.0\.0\.2 to reach 203\.0\.113\.8 via 10\.0\.0\.3, /,
    );
    expect(ping.output).not.toContain("PING");
  });

  it("fail a library script that pings", () => {
    const build = (): unknown => network(`${LAN}\nip netns exec a ping -c 1 -W 1 203.0.113.8\n`);

    expect(build).toThrow(ScriptError);
    expect(build).toThrow("hoptrace: not supported: ICMP redirects");
  });

  it("leave a ping alone once send_redirects is off", () => {
    const off =
      "ip netns exec r sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.lan.send_redirects=0";
    const run = runScript(`${LAN}\n${off}\nip netns exec a ping -c 1 -W 1 203.0.113.8\n`);
    const ping = run.lines.at(-1)!;

    expect(ping.exitCode).toBe(0);
    expect(ping.output).toContain("1 received");
  });

  it("need send_redirects off on both conf.all and the link", () => {
    const linkOnly = "ip netns exec r sysctl -qw net.ipv4.conf.lan.send_redirects=0";
    const run = runScript(`${LAN}\n${linkOnly}\nip netns exec a ping -c 1 -W 1 203.0.113.8\n`);

    expect(run.lines.at(-1)!.output).toContain("not supported: ICMP redirects");
  });

  it("keep a probe's verdict and mark its trace", () => {
    const found = trace(network(LAN), { from: "a", to: "203.0.113.8" });
    const hops = found.packets[0]!.hops.map((hop) => hop.detail);

    expect(found.verdict).toBe("reachable");
    expect(hops.some((detail) => detail.startsWith("not modelled: ICMP redirects"))).toBe(true);
  });

  it("are not due for a packet that changes links", () => {
    const wan = [
      "ip netns add w",
      "ip netns exec r ip link add wan type veth peer name eth0 netns w",
      "ip netns exec r ip addr add 192.0.2.1/30 dev wan",
      "ip netns exec r ip link set wan up",
      "ip netns exec w ip addr add 192.0.2.2/30 dev eth0",
      "ip netns exec w ip link set eth0 up",
      "ip netns exec w ip route add default via 192.0.2.1",
    ].join("\n");
    const run = runScript(`${LAN}\n${wan}\nip netns exec a ping -c 1 -W 1 192.0.2.2\n`);

    expect(run.lines.at(-1)!.exitCode).toBe(0);
  });
});
