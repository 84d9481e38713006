import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ScriptError,
  UsageError,
  addresses,
  diffNetworks,
  diffReachability,
  extend,
  formatOutcome,
  namespaces,
  network,
  reachability,
  samplePrefix,
  stateFromSnapshot,
  topologyScript,
  trace,
  traceOf,
} from "../index.js";
import { checkExpectations, parseExpectations } from "./expectations.js";

const scenario = readFileSync(
  resolve(fileURLToPath(import.meta.url), "../../../scenarios/container-bridge.sh"),
  "utf8",
);
const before = network(scenario);
const after = extend(before, "sysctl -w net.ipv4.ip_forward=1\n");

describe("network", () => {
  it("lists namespaces host first", () => {
    expect(namespaces(before)).toEqual(["host", "vpc", "world", "ns1", "ns2"]);
  });

  it("lists configured addresses without loopback", () => {
    expect(addresses(before)).toEqual([
      "172.18.0.1",
      "172.18.0.2",
      "172.18.0.3",
      "172.31.48.1",
      "172.31.59.121",
      "198.51.100.1",
      "198.51.100.2",
      "203.0.113.8",
    ]);
  });

  it("throws ScriptError naming the failing line", () => {
    expect(() => network("ip netns add a\n\nip link set nosuch up\n")).toThrow(
      'line 3: "ip link set nosuch up" failed with exit 1: Cannot find device "nosuch". Fix the command, or pass { isStrict: false } to record failures and go on.',
    );
    expect(() => network("ip link set nosuch up\n")).toThrow(ScriptError);
  });

  it("adds no second full stop to the command's output", () => {
    const script = "ip link add v type veth peer name w\nip route add 10.8.0.0/16 via 10.9.9.9\n";

    expect(() => network(script)).toThrow(
      "failed with exit 2: Error: Nexthop has invalid gateway. Fix the command,",
    );
  });

  it("records failures when not strict", () => {
    const net = network("ip link set nosuch up\nip netns add a\n", { isStrict: false });
    expect(net.failures).toEqual([
      {
        lineNumber: 1,
        command: "ip link set nosuch up",
        exitCode: 1,
        output: 'Cannot find device "nosuch"\n',
      },
    ]);
  });

  it("extends a lenient network strictly", () => {
    const net = network("ip link set nosuch up\nip netns add a\n", { isStrict: false });

    const extended = extend(net, "ip netns add b\n");
    const broken = (): unknown => extend(net, "ip netns add c\nip link set other up\n");

    expect(namespaces(extended)).toEqual(["host", "a", "b"]);
    expect(extended.failures.map((failure) => failure.lineNumber)).toEqual([1]);
    expect(broken).toThrow(ScriptError);
    expect(broken).toThrow('line 4: "ip link set other up" failed with exit 1');
  });

  it("extends a script ending in a backslash", () => {
    const net = network("ip netns add a \\\n", { isStrict: false });

    const extended = extend(net, "ip netns add b\n");
    const broken = (): unknown => extend(net, "ip link set other up\n");

    expect(namespaces(extended)).toEqual(["host", "a", "b"]);
    expect(broken).toThrow('line 3: "ip link set other up" failed with exit 1');
  });

  it("starts from a snapshot", () => {
    const snapshot = "ip link add br0 type bridge\nip addr add 10.9.0.1/24 dev br0\n";
    const net = network("ip netns add a\n", { from: stateFromSnapshot(snapshot) });

    expect(namespaces(net)).toEqual(["host", "a"]);
    expect(addresses(net)).toEqual(["10.9.0.1"]);
    expect(() => stateFromSnapshot("ip link add x type dummy\n")).toThrow(
      'snapshot: "ip link add x type dummy" failed in the simulator',
    );
  });

  it("records the preset a script names", () => {
    expect(network("# hoptrace: preset cloud-vm\n").preset).toBe("cloud-vm");
    expect(network("ip netns add a\n").preset).toBeUndefined();
  });

  it("rejects a snapshot together with a preset", () => {
    const from = stateFromSnapshot("ip link add br0 type bridge\n");

    expect(() => network("# hoptrace: preset cloud-vm\n", { from })).toThrow(
      `hoptrace: a snapshot (--from) and the script's "# hoptrace: preset cloud-vm" line both set a starting state; use one`,
    );
    expect(() => network("", { from, preset: "cloud-vm" })).toThrow(
      "hoptrace: a snapshot (--from) and preset cloud-vm both set a starting state; use one",
    );
  });

  it("does not count a ping that loses its packets as a failure", () => {
    expect(network("ping -c 1 -W 1 10.0.0.1\n").failures).toEqual([]);
  });

  it("keeps the preset when extended", () => {
    const vm = network("", { preset: "cloud-vm" });
    expect(trace(extend(vm, "ip netns add a\n"), { from: "host", to: "8.8.8.8" }).verdict).toBe(
      "reachable",
    );
  });
});

describe("trace", () => {
  it("follows a reachable probe to the reply", () => {
    const found = trace(before, { from: "ns1", to: "172.18.0.3" });
    expect(found.verdict).toBe("reachable");
    expect(found.isSent).toBe(true);
    expect(found.decisive.message).toBe("delivered to ping in ns1");
    expect(found.packets[0]?.packet).toMatch(/^ICMP echo request 172\.18\.0\.2 > 172\.18\.0\.3/);
  });

  it("drops at the host while it does not forward", () => {
    const found = trace(before, { from: "ns1", to: "203.0.113.8" });
    expect(found.verdict).toBe("dropped");
    expect(formatOutcome(found)).toBe("dropped at host/docker1 [IP_INADDRERRORS]");
  });

  it("reports a probe that never left", () => {
    const found = trace(before, { from: "ns2", to: "203.0.113.8" });
    expect(found.isSent).toBe(false);
    expect(found.decisive.reason).toBe("IP_OUTNOROUTES");
    expect(found.packets).toHaveLength(1);
  });

  it("blames a down lo for 127.0.0.1", () => {
    const net = network("ip netns add blue\nip -n blue addr add 10.0.0.2/24 dev lo\n");
    const found = trace(net, { from: "blue", to: "127.0.0.1" });
    expect(found.decisive.reason).toBe("IP_OUTNOROUTES");
    expect(found.decisive.message).toContain("127.0.0.0/8 is routed through lo, which is down");
  });

  it("names the reply's drop when only the way back is missing", () => {
    const found = trace(after, { from: "ns1", to: "203.0.113.8" });
    expect(found.packets[0]?.verdict?.kind).toBe("delivered");
    expect(formatOutcome(found)).toBe("dropped at vpc/wan0 [IP_INNOROUTES]");
  });

  it("route line prints src or from", () => {
    // The route chose the request's source. The host replies from the address ns1 pinged,
    // not from docker1's 172.18.0.1.
    const [request, reply] = trace(before, { from: "ns1", to: "172.31.59.121" }).packets;

    expect(request!.hops[0]!.detail).toBe(
      "output route to 172.31.59.121: unicast default via 172.18.0.1 dev veth0 src 172.18.0.2",
    );
    expect(reply!.hops[0]!.detail).toBe(
      "output route to 172.18.0.2: unicast 172.18.0.0/24 dev docker1 from 172.31.59.121",
    );
  });

  it("leaves the network unchanged", () => {
    const state = before.state;
    trace(before, { from: "ns1", to: "203.0.113.8" });
    expect(before.state).toBe(state);
    expect(trace(before, { from: "ns1", to: "172.18.0.3" })).toEqual(
      trace(before, { from: "ns1", to: "172.18.0.3" }),
    );
  });

  describe("with policy rules", () => {
    // ns1 sends 10.9.0.0/16 by table 20, whose route for 10.9.9.0/24 is a blackhole.
    const policy = extend(
      before,
      [
        "ip netns exec ns1 ip route add 10.9.0.0/16 via 172.18.0.1 table 20",
        "ip netns exec ns1 ip route add blackhole 10.9.9.0/24 table 20",
        "ip netns exec ns1 ip rule add to 10.9.0.0/16 lookup 20 priority 100",
        "ip netns exec ns2 ip rule add from all lookup main priority 50",
        "",
      ].join("\n"),
    );

    it("names the rule and table of each route decision", () => {
      const hops = trace(policy, { from: "ns1", to: "10.9.1.1" }).packets[0]!.hops;

      expect(hops[0]!.detail).toBe(
        "output route to 10.9.1.1: unicast 10.9.0.0/16 via 172.18.0.1 dev veth0 src 172.18.0.2 (rule 100, table 20)",
      );
    });

    it("names them in the message of a probe never sent", () => {
      const found = trace(policy, { from: "ns1", to: "10.9.9.9" });

      expect(found.isSent).toBe(false);
      expect(found.decisive.message).toBe(
        "ns1 routes 10.9.9.9 to a blackhole route (rule 100, table 20), so nothing is sent",
      );
    });

    it("names the main table's rule once a namespace has rules", () => {
      const hops = trace(policy, { from: "ns2", to: "172.18.0.2" }).packets[0]!.hops;

      expect(hops[0]!.detail).toMatch(/ \(rule 50, table main\)$/);
    });

    it("leaves the text as it was without rules", () => {
      const hops = trace(policy, { from: "host", to: "172.18.0.2" }).packets[0]!.hops;

      expect(hops[0]!.detail).not.toContain("(rule");
    });
  });

  it("rejects a missing probe", () => {
    const call = trace as (net: unknown, probe?: unknown) => unknown;

    expect(() => call(before)).toThrow('hoptrace: missing probe: pass one such as { from: "ns1"');
    expect(() => call(before, null)).toThrow(UsageError);
  });

  it("rejects listening sockets for a ping", () => {
    const probe = { from: "ns1", to: "172.18.0.3", listening: [{ ns: "ns2", port: 22 }] };

    expect(() => trace(before, probe)).toThrow(
      "hoptrace: listening sockets given for an ICMP probe",
    );
  });

  it("checks a ping expectation beside listening sockets", () => {
    const [expectation] = parseExpectations("ns1 -> 172.18.0.3 icmp: reachable");
    const results = checkExpectations(before, [expectation!], [{ ns: "ns2", port: 22 }]);

    expect(results[0]?.status).toBe("held");
  });

  it("opens a listener of one protocol", () => {
    const listening = [{ ns: "ns2", port: 53, protocol: "udp" as const }];
    const probe = { from: "ns1", to: "172.18.0.3", port: 53, listening };

    expect(trace(before, { ...probe, protocol: "udp" }).verdict).toBe("reachable");
    expect(trace(before, { ...probe, protocol: "tcp" }).verdict).toBe("refused");
  });

  it("rejects a listening protocol other than tcp or udp", () => {
    const listening = [{ ns: "ns2", port: 53, protocol: "sctp" as "udp" }];
    const probe = { from: "ns1", to: "172.18.0.3", protocol: "udp" as const, port: 53 };

    expect(() => trace(before, { ...probe, listening })).toThrow(
      'hoptrace: invalid listening protocol "sctp": use tcp or udp, or leave it out for both',
    );
  });

  it("rejects tcp and udp without a port", () => {
    expect(() => trace(before, { from: "ns1", to: "172.18.0.3", protocol: "tcp" })).toThrow(
      "missing port: a TCP or UDP probe needs a port from 1 to 65535",
    );
    expect(() =>
      trace(before, { from: "ns1", to: "172.18.0.3", protocol: "udp", port: 70000 }),
    ).toThrow(UsageError);
  });

  it("rejects a port on an ICMP probe", () => {
    const ssh = (): unknown => trace(before, { from: "ns1", to: "172.18.0.3", port: 22 });
    const matrix = (): unknown => reachability(before, { from: ["ns1"], port: 22 });

    expect(ssh).toThrow(UsageError);
    expect(ssh).toThrow('port 22 given for an ICMP probe; set protocol to "tcp" or "udp"');
    expect(matrix).toThrow('port 22 given for an ICMP probe; set protocol to "tcp" or "udp"');
  });

  it("rejects unknown namespaces and bad addresses", () => {
    expect(() => trace(before, { from: "ns9", to: "172.18.0.3" })).toThrow(
      'namespace "ns9" not found; the network has: host, vpc, world, ns1, ns2',
    );
    expect(() => trace(before, { from: "ns1", to: "172.18.0" })).toThrow(UsageError);
  });
});

describe("reachability", () => {
  const matrix = reachability(before);

  it("probes every namespace to every address", () => {
    expect(matrix.traces).toHaveLength(5 * 8);
    expect(traceOf(matrix, "host", "203.0.113.8")?.verdict).toBe("reachable");
    expect(traceOf(matrix, "world", "172.18.0.2")?.decisive.reason).toBe("IP_INNOROUTES");
  });

  it("samples addresses from prefixes", () => {
    const sampled = reachability(before, {
      from: ["ns1"],
      to: ["172.18.0.0/24"],
      samplesPerPrefix: 2,
    });
    expect(sampled.destinations).toEqual([
      "172.18.0.1",
      "172.18.0.2",
      "172.18.0.3",
      "172.18.0.254",
    ]);
    expect(traceOf(sampled, "ns1", "172.18.0.254")?.decisive.reason).toBe("NEIGH_FAILED");
  });

  it("spreads samples from the first to the last host", () => {
    expect(samplePrefix(0x0a000000, 24, [], 3)).toEqual([0x0a000001, 0x0a00007f, 0x0a0000fe]);
    expect(samplePrefix(0x0a000000, 31, [], 3)).toEqual([0x0a000000, 0x0a000001]);
    expect(samplePrefix(0x0a000005, 32, [0x0a000005], 3)).toEqual([0x0a000005]);
  });

  it.each(["10.0.0.0/40", "10.0.0.0/24/1", "10.0.0/24", "10.0.0.0/", "10.0.0.0/024"])(
    "rejects the malformed destination %s",
    (item) => {
      expect(() => reachability(before, { to: [item] })).toThrow(
        `invalid destination "${item}": expected an IPv4 address (192.0.2.1) or a prefix (192.0.2.0/24)`,
      );
    },
  );

  it("rejects a prefix with host bits set", () => {
    expect(() => reachability(before, { to: ["10.10.0.11/24"] })).toThrow(
      'invalid destination "10.10.0.11/24": the address has bits set past /24; the prefix is 10.10.0.0/24',
    );
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects samplesPerPrefix %s", (samples) => {
    const options = { from: ["ns1"], to: ["172.18.0.0/24"], samplesPerPrefix: samples };

    expect(() => reachability(before, options)).toThrow(
      `hoptrace: invalid samplesPerPrefix ${samples}: expected a whole number of at least 1`,
    );
  });

  it("diffs two networks on the same pairs", () => {
    // x's address is new, and as unreachable from the other namespaces as before the change.
    const withX = extend(
      before,
      "ip netns add x\nip netns exec x ip link set lo up\nip netns exec x ip addr add 198.51.100.7/32 dev lo\n",
    );

    const { changes, pairCount } = diffNetworks(before, withX);

    expect(changes.filter((change) => change.from !== "x")).toEqual([]);
    expect(pairCount).toBe(6 * 9);
  });

  it("diffs the forwarding fix into four changed pairs", () => {
    const changes = diffReachability(matrix, reachability(after));
    const summary = changes.map(
      (c) => `${c.from} -> ${c.to}: ${formatOutcome(c.before!)} => ${formatOutcome(c.after!)}`,
    );
    expect(summary).toEqual([
      "ns1 -> 172.31.48.1: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc [IP_OUTNOROUTES]",
      "ns1 -> 198.51.100.1: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc [IP_OUTNOROUTES]",
      "ns1 -> 198.51.100.2: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc/wan0 [IP_INNOROUTES]",
      "ns1 -> 203.0.113.8: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc/wan0 [IP_INNOROUTES]",
    ]);
  });

  it("finds no change between a matrix and itself", () => {
    expect(diffReachability(matrix, matrix)).toEqual([]);
  });

  it("rejects matrices of different protocols", () => {
    const tcp = reachability(before, {
      from: ["ns1"],
      to: ["172.18.0.3"],
      protocol: "tcp",
      port: 80,
    });
    const icmp = reachability(before, { from: ["ns1"], to: ["172.18.0.3"] });

    expect(() => diffReachability(icmp, tcp)).toThrow(
      "hoptrace: cannot compare icmp probes with tcp/80 probes; probe both networks with the same protocol and port",
    );
  });
});

describe("expectations", () => {
  it("parses protocols, ports and reasons", () => {
    const parsed = parseExpectations(
      "a -> 10.0.0.1 icmp: reachable # c\n\nb->10.0.0.2 udp/53: dropped IP_RPFILTER\n",
    );
    expect(parsed).toEqual([
      {
        lineNumber: 1,
        text: "a -> 10.0.0.1 icmp: reachable",
        from: "a",
        to: "10.0.0.1",
        protocol: "icmp",
        verdict: "reachable",
      },
      {
        lineNumber: 3,
        text: "b->10.0.0.2 udp/53: dropped IP_RPFILTER",
        from: "b",
        to: "10.0.0.2",
        protocol: "udp",
        port: 53,
        verdict: "dropped",
        reason: "IP_RPFILTER",
      },
    ]);
  });

  it("reads a drop reason in brackets", () => {
    const [parsed] = parseExpectations("a -> 10.0.0.1 icmp: dropped [IP_RPFILTER]");

    expect(parsed?.reason).toBe("IP_RPFILTER");
  });

  it.each(["[IP_RPFILTER", "IP_RPFILTER]"])("rejects the unbalanced reason %s", (reason) => {
    expect(() => parseExpectations(`a -> 10.0.0.1 icmp: dropped ${reason}`, "e.txt")).toThrow(
      `e.txt line 1: cannot parse "a -> 10.0.0.1 icmp: dropped ${reason}"`,
    );
  });

  it("rejects bad lines with their place", () => {
    expect(() => parseExpectations("a -> 10.0.0 icmp: reachable", "e.txt")).toThrow(
      "e.txt line 1: invalid address",
    );
    expect(() => parseExpectations("a -> 10.0.0.1 tcp/0: dropped", "e.txt")).toThrow(
      "port 0 is out of range",
    );
    expect(() => parseExpectations("a -> 10.0.0.1 icmp: reachable IP_RPFILTER")).toThrow(
      "only goes with",
    );
    expect(() => parseExpectations("a -> 10.0.0.1 icmp: refused", "e.txt")).toThrow(
      'e.txt line 1: an icmp probe is never "refused"',
    );
  });

  it("checks each expectation against the model", () => {
    const results = checkExpectations(
      before,
      parseExpectations(
        "ns1 -> 172.18.0.3 icmp: reachable\nns1 -> 203.0.113.8 icmp: reachable\nns9 -> 172.18.0.3 icmp: reachable\n",
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["held", "violated", "violated"]);
    expect(results[1]?.message).toBe("dropped at host/docker1 [IP_INADDRERRORS]");
    expect(results[2]?.message).toContain('namespace "ns9" not found');
  });
});

describe("topologyScript", () => {
  it("creates veths touching the host from the host side", () => {
    const text = topologyScript({
      namespaces: [{ name: "a", routes: [{ prefix: "default", via: "10.0.0.1" }] }],
      segments: [
        {
          prefix: "10.0.0.0/24",
          ends: [
            { namespace: "a", link: "e0", address: "10.0.0.2" },
            { namespace: "host", link: "h0", address: "10.0.0.1" },
          ],
        },
      ],
    });
    expect(text).toContain("\nip link add h0 type veth peer name e0 netns a\n");
    expect(trace(network(text), { from: "a", to: "10.0.0.1" }).verdict).toBe("reachable");
  });

  it("sets the sysctls of every created namespace", () => {
    const text = topologyScript({
      namespaces: [
        { name: "host", isRouter: true },
        { name: "h" },
        { name: "r", isRouter: true, rpFilter: 2 },
      ],
      segments: [],
    });

    expect(text.split("\n").filter((line) => line.includes("sysctl"))).toEqual([
      "sysctl -qw net.ipv4.ip_forward=1",
      "ip netns exec h sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0",
      "ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=0",
    ]);
    expect(text.indexOf("h sysctl")).toBeLessThan(text.indexOf("h ip link set lo up"));
  });

  it("rejects a bridgeless segment with three ends", () => {
    const end = { namespace: "a", link: "x", address: "10.0.0.1" };
    expect(() =>
      topologyScript({
        namespaces: [],
        segments: [{ prefix: "10.0.0.0/24", ends: [end, end, end] }],
      }),
    ).toThrow("segment 10.0.0.0/24 has 3 ends and no bridge; give it a bridge or exactly two ends");
  });

  it("quotes a name that a shell would split", () => {
    const text = topologyScript({
      namespaces: [{ name: "c;reboot" }, { name: "it's" }],
      segments: [
        {
          prefix: "10.0.0.0/24",
          ends: [
            { namespace: "c;reboot", link: "e0", address: "10.0.0.2" },
            { namespace: "it's", link: "e1", address: "10.0.0.3" },
          ],
        },
      ],
    });

    expect(text).toContain("ip netns add 'c;reboot'\n");
    expect(text).toContain(
      "ip netns exec 'c;reboot' ip link add e0 type veth peer name e1 netns 'it'\\''s'\n",
    );
    // hoptrace's own shell reads each quoted name back as one word.
    expect(namespaces(network(text, { isStrict: false }))).toEqual(["host", "c;reboot", "it's"]);
  });
});
