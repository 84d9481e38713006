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

const PING = "ip netns exec a ping -c 1 -W 1 203.0.113.8";
const REDIRECT = "From 10.0.0.1: icmp_seq=1 Redirect Host(New nexthop: 10.0.0.3)";

/** Returns the output of each line of `LAN` followed by `lines`. */
function outputs(...lines: string[]): string[] {
  const run = runScript(`${LAN}\n${lines.join("\n")}\n`);
  return run.lines.slice(-lines.length).map((line) => line.output);
}

describe("ICMP redirects", () => {
  it("print before the reply", () => {
    const [ping] = outputs(PING);

    expect(ping).toContain(`${REDIRECT}\n64 bytes from 203.0.113.8`);
    expect(ping).toContain("1 received, 0% packet loss");
  });

  it("stop once send_redirects is off", () => {
    const off =
      "ip netns exec r sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.lan.send_redirects=0";
    const [, ping] = outputs(off, PING);

    expect(ping).not.toContain("Redirect");
    expect(ping).toContain("1 received");
  });

  it("need send_redirects off on both conf.all and the link", () => {
    const [, ping] = outputs("ip netns exec r sysctl -qw net.ipv4.conf.lan.send_redirects=0", PING);

    expect(ping).toContain(REDIRECT);
  });

  it("wait before the next one to that host", () => {
    const [first, second] = outputs(PING, PING);

    expect(first).toContain(REDIRECT);
    expect(second).not.toContain("Redirect");
  });

  it("fail the line that would install an exception", () => {
    // The first redirect made a resolve g, so the next one, past the backoff, would reroute a.
    const [, , third] = outputs(PING, "sleep 1", PING);

    expect(third).toMatch(
      /^hoptrace: not supported: a nexthop exception that a installs from an ICMP redirect \(203\.0\.113\.8 via 10\.0\.0\.3\)/,
    );
    expect(() => network(`${LAN}\n${PING}\nsleep 1\n${PING}\n`)).toThrow(ScriptError);
  });

  it("leave a probe's verdict alone", () => {
    const found = trace(network(LAN), { from: "a", to: "203.0.113.8" });

    expect(found.verdict).toBe("reachable");
    expect(found.packets.map((packet) => packet.packet)).toContain(
      "ICMP redirect 10.0.0.1 > 10.0.0.2 for 203.0.113.8 to 10.0.0.3",
    );
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
    ];
    const ping = outputs(...wan, "ip netns exec a ping -c 1 -W 1 192.0.2.2").at(-1)!;

    expect(ping).not.toContain("Redirect");
    expect(ping).toContain("1 received");
  });
});
