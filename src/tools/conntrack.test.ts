import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { HOST_NS } from "../netns/state.js";
import { runScript } from "../script/run.js";
import { procNfConntrack } from "./conntrack-view.js";
import { parseInetAton } from "./conntrack.js";
import { runArgv } from "./index.js";

// A host that masquerades ns1 (10.0.1.2) towards world (192.0.2.2, 203.0.113.8 on lo).
const NAT_SETUP = `ip netns add ns1
ip netns add world
ip link add h1 type veth peer name a1 netns ns1
ip link add h2 type veth peer name w2 netns world
ip addr add 10.0.1.1/24 dev h1
ip addr add 192.0.2.1/24 dev h2
ip link set h1 up
ip link set h2 up
ip netns exec ns1 ip addr add 10.0.1.2/24 dev a1
ip netns exec ns1 ip link set a1 up
ip netns exec ns1 ip route add default via 10.0.1.1
ip netns exec world ip addr add 192.0.2.2/24 dev w2
ip netns exec world ip addr add 203.0.113.8/32 dev lo
ip netns exec world ip link set w2 up
ip netns exec world ip link set lo up
ip route add default via 192.0.2.2
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o h2 -j MASQUERADE
ip netns exec ns1 ping -c 1 -W 1 203.0.113.8
ping -c 1 -W 1 192.0.2.2
`;

function lastLine(script: string): { output: string; exitCode: number } {
  const last = runScript(script).lines.at(-1)!;
  return { output: last.output, exitCode: last.exitCode };
}

describe("conntrack", () => {
  it.for([
    ["10.0.1.2", 0x0a000102],
    ["10.0.1", 0x0a000001],
    ["10.258", 0x0a000102],
    ["167772418", 0x0a000102],
    ["10.0.1.256", undefined],
    ["10.0.65536", undefined],
    ["1.2.x", undefined],
  ] as const)("parses %s as inet_aton does", ([text, expected]) => {
    expect(parseInetAton(text)).toBe(expected);
  });

  it("lists summary before entries", () => {
    const { output, exitCode } = lastLine(`${NAT_SETUP}conntrack -L -p icmp --orig-src 10.0.1.2\n`);
    const lines = output.trimEnd().split("\n");
    expect(exitCode).toBe(0);
    expect(lines[0]).toBe("conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.");
    expect(lines[1]).toMatch(
      /^icmp {5}1 \d+ src=10\.0\.1\.2 dst=203\.0\.113\.8 type=8 code=0 id=\d+ src=203\.0\.113\.8 dst=192\.0\.2\.1 type=0 code=0 id=\d+ mark=0 use=1$/,
    );
    expect(lines).toHaveLength(2);
  });

  it("writes the summary to stderr when separated", () => {
    const state = runScript(NAT_SETUP).state;
    const out: string[] = [];
    const err: string[] = [];
    produce(state, (draft) => {
      runArgv({ state: draft, nsId: HOST_NS, out, err, probes: [], commandLine: "" }, [
        "conntrack",
        "-L",
      ]);
    });
    expect(err).toEqual(["conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown."]);
    expect(out).toHaveLength(2);
  });

  it("deletes only matching entries", () => {
    const { output, exitCode } = lastLine(
      `${NAT_SETUP}conntrack -D --orig-dst 192.0.2.2\nconntrack -C\n`,
    );
    expect(exitCode).toBe(0);
    expect(output).toBe("1\n");
  });

  it("fails to delete nothing", () => {
    const { output, exitCode } = lastLine(`${NAT_SETUP}conntrack -D -p tcp\n`);
    expect(exitCode).toBe(1);
    expect(output).toBe("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n");
  });

  it("hides expired entries", () => {
    const { output } = lastLine(`${NAT_SETUP}sleep 31\nconntrack -L\n`);
    expect(output).toBe("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n");
  });

  it("shows nothing without tracking", () => {
    const script = NAT_SETUP.replace(/^iptables .*\n/m, "");
    const { output } = lastLine(`${script}conntrack -C\n`);
    expect(output).toBe("0\n");
  });

  it("deletes nothing once tracking stopped", () => {
    const script =
      "iptables -A OUTPUT -m conntrack --ctstate NEW -j ACCEPT\n" +
      "ping -c 1 -W 1 127.0.0.1\n" +
      "iptables -D OUTPUT 1\n" +
      "conntrack -D\n";
    const { output, exitCode } = lastLine(`ip link set lo up\n${script}`);
    expect(exitCode).toBe(1);
    expect(output).toBe("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n");
  });

  it("rejects filters with -C", () => {
    const { output, exitCode } = lastLine("conntrack -C --orig-src 10.0.0.1\n");
    expect(exitCode).toBe(2);
    expect(output).toBe(
      "conntrack v1.4.7 (conntrack-tools): Illegal option `--src' with this command\n" +
        "Try `conntrack -h' or 'conntrack --help' for more information.\n",
    );
  });

  it("serves /proc/net/nf_conntrack", () => {
    const state = runScript(NAT_SETUP).state;
    const lines = procNfConntrack(state, HOST_NS).trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(/^ipv4 {5}2 icmp {5}1 \d+ src=.* mark=0 zone=0 use=2$/);
    }
  });
});
