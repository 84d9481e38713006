import { describe, expect, it } from "vitest";
import {
  diffReachability,
  extend,
  formatOutcome,
  network,
  reachability,
  suggestFixes,
  trace,
} from "../index.js";
import type { Probe } from "../index.js";
import { checkExpectations, parseExpectations } from "./expectations.js";
import { outcomeKey, reachabilityOutcomes } from "./outcomes.js";

/** Two namespaces on one veth pair, 10.0.0.1 (a) and 10.0.0.2 (b). */
const PAIR = `ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
`;

/** a and b joined by the router r; b has no route back to a's subnet. */
const ROUTED = `ip netns add a
ip netns add r
ip netns add b
ip link add a0 netns a type veth peer name ra netns r
ip link add b0 netns b type veth peer name rb netns r
ip -n a addr add 10.1.0.2/24 dev a0
ip -n r addr add 10.1.0.1/24 dev ra
ip -n r addr add 10.2.0.1/24 dev rb
ip -n b addr add 10.2.0.2/24 dev b0
ip -n a link set a0 up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set b0 up
ip -n a route add default via 10.1.0.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
`;

const tcp = (port: number, extra: Partial<Probe> = {}): Probe => ({
  from: "a",
  to: "10.0.0.2",
  protocol: "tcp",
  port,
  ...extra,
});

describe("TCP probe", () => {
  const net = network(PAIR);

  it("is reachable when every namespace listens", () => {
    const found = trace(net, tcp(22));
    expect(found.verdict).toBe("reachable");
    expect(found.protocol).toBe("tcp");
    expect(found.port).toBe(22);
    expect(found.decisive.ns).toBe("a");
    expect(found.decisive.message).toContain("SYN-ACK");
    expect(found.packets[0]!.packet).toMatch(/^TCP 10\.0\.0\.1:\d+ > 10\.0\.0\.2:22 \[SYN\]/);
  });

  it("is refused by a closed port", () => {
    const found = trace(net, tcp(22, { listening: [] }));
    expect(found.verdict).toBe("refused");
    expect(found.decisive.ns).toBe("b");
    expect(found.decisive.reason).toBe("NO_SOCKET");
    expect(formatOutcome(found)).toBe("refused at b/vb [NO_SOCKET]");
    expect(found.packets.some((packet) => packet.packet.includes("[RST,ACK]"))).toBe(true);
  });

  it("listens only where listening says", () => {
    const listening = [{ ns: "b", port: 22 }];
    expect(trace(net, tcp(22, { listening })).verdict).toBe("reachable");
    expect(trace(net, tcp(23, { listening })).verdict).toBe("refused");
  });

  it("reaches a listener the script started", () => {
    const withListener = extend(net, "ip netns exec b nc -l -k 8080 &\n");
    const before = JSON.stringify(withListener.state);
    expect(trace(withListener, tcp(8080, { listening: [] })).verdict).toBe("reachable");
    expect(trace(withListener, tcp(8081, { listening: [] })).verdict).toBe("refused");
    // The probe runs on a copy: the listener's process and sockets stay as the script left them.
    expect(JSON.stringify(withListener.state)).toBe(before);
  });

  it("names the rule that drops the SYN", () => {
    const filtered = extend(net, "ip netns exec b iptables -A INPUT -p tcp --dport 22 -j DROP\n");
    const found = trace(filtered, tcp(22));
    expect(found.verdict).toBe("dropped");
    expect(found.decisive.ns).toBe("b");
    expect(found.decisive.reason).toBe("NETFILTER_DROP");
    expect(found.decisive.message).toContain("--dport 22 -j DROP");
  });

  it("is refused by a REJECT with tcp-reset", () => {
    const rule =
      "ip netns exec b iptables -A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset\n";
    const found = trace(extend(net, rule), tcp(22));
    expect(found.verdict).toBe("refused");
    expect(found.decisive.ns).toBe("b");
    expect(found.decisive.message).toContain("REJECT");
  });

  it("is not sent without a route", () => {
    const found = trace(net, tcp(22, { to: "192.0.2.1" }));
    expect(found.verdict).toBe("dropped");
    expect(found.isSent).toBe(false);
    expect(found.decisive.reason).toBe("IP_OUTNOROUTES");
    expect(found.packets[0]!.packet).toBe("TCP SYN to 192.0.2.1:22 (never sent)");
  });

  it("blames the lost SYN-ACK", () => {
    const found = trace(network(ROUTED), tcp(22, { to: "10.2.0.2" }));
    expect(found.verdict).toBe("dropped");
    expect(found.decisive.ns).toBe("b");
    expect(found.decisive.reason).toBe("IP_OUTNOROUTES");
  });

  it("blames the lost reset, not the closed port", () => {
    const found = trace(network(ROUTED), tcp(22, { to: "10.2.0.2", listening: [] }));
    expect(found.verdict).toBe("dropped");
    expect(found.decisive.reason).toBe("IP_OUTNOROUTES");
    expect(found.decisive.message).toContain("reset");
  });

  it("follows a DNAT to another port", () => {
    const forwarded = extend(
      network(`${ROUTED}ip -n b route add default via 10.2.0.1\n`),
      "ip netns exec r iptables -t nat -A PREROUTING -d 10.1.0.1 -p tcp --dport 8080 -j DNAT --to-destination 10.2.0.2:80\n",
    );
    const probe = tcp(8080, { to: "10.1.0.1" });
    // Every namespace listens on every port by default, so the service on port 80 accepts.
    expect(trace(forwarded, probe).verdict).toBe("reachable");
    expect(trace(forwarded, { ...probe, listening: [{ ns: "b", port: 80 }] }).verdict).toBe(
      "reachable",
    );
    const closed = trace(forwarded, { ...probe, listening: [] });
    expect(closed.verdict).toBe("refused");
    expect(closed.decisive.ns).toBe("b");
  });

  it("rejects an unknown listening namespace", () => {
    expect(() => trace(net, tcp(22, { listening: [{ ns: "nosuch", port: 22 }] }))).toThrow(
      'namespace "nosuch" not found',
    );
  });
});

describe("UDP probe", () => {
  const net = network(PAIR);
  const udp = (extra: Partial<Probe> = {}): Probe => ({ ...tcp(53), protocol: "udp", ...extra });

  it("is reachable when a socket is bound", () => {
    const found = trace(net, udp());
    expect(found.verdict).toBe("reachable");
    expect(found.decisive.ns).toBe("b");
    expect(found.decisive.message).toBe("delivered to the UDP socket on port 53");
  });

  it("is refused by port unreachable", () => {
    const found = trace(net, udp({ listening: [] }));
    expect(found.verdict).toBe("refused");
    expect(found.decisive.reason).toBe("NO_SOCKET");
    expect(found.decisive.message).toContain("ICMP port unreachable");
  });

  it("names a silent drop", () => {
    const filtered = extend(net, "ip netns exec b iptables -A INPUT -p udp -j DROP\n");
    const found = trace(filtered, udp());
    expect(found.verdict).toBe("dropped");
    expect(found.decisive.reason).toBe("NETFILTER_DROP");
  });

  it("reaches a socket the script bound", () => {
    const bound = extend(net, "ip netns exec b nc -u -l 5353 &\n");
    expect(trace(bound, udp({ port: 5353, listening: [] })).verdict).toBe("reachable");
  });
});

describe("TCP reachability", () => {
  const net = network(PAIR);

  it("carries the protocol into every trace", () => {
    const matrix = reachability(net, { from: ["a"], protocol: "tcp", port: 22 });
    expect(matrix.traces.map((found) => [found.to, found.protocol, found.port])).toEqual([
      ["10.0.0.1", "tcp", 22],
      ["10.0.0.2", "tcp", 22],
    ]);
    // a's own address goes through its lo, which is still down, as it is for ping.
    expect(matrix.traces.map(formatOutcome)).toEqual(["dropped at a/lo [QDISC_DROP]", "reachable"]);
  });

  it("diffs a filter on the port", () => {
    const after = extend(net, "ip netns exec b iptables -A INPUT -p tcp --dport 22 -j DROP\n");
    const options = { from: ["a"], protocol: "tcp" as const, port: 22 };
    const changes = diffReachability(reachability(net, options), reachability(after, options));
    expect(changes.map((change) => change.to)).toEqual(["10.0.0.2"]);
    expect(changes[0]!.after?.decisive.reason).toBe("NETFILTER_DROP");
  });

  it("matches the outcome matrix", () => {
    const options = { protocol: "tcp" as const, port: 22, listening: [] };
    const outcomes = reachabilityOutcomes(net, options);
    const traces = reachability(net, options).traces;
    expect(outcomes.outcomes.length).toBeGreaterThan(1);
    traces.forEach((found, index) => {
      expect(outcomes.outcomes[outcomes.codes[index]!]).toBe(outcomeKey(found));
    });
  });

  it("tells refused from dropped in outcome keys", () => {
    const refused = trace(net, tcp(22, { listening: [] }));
    const dropped = { ...refused, verdict: "dropped" as const };
    expect(outcomeKey(refused)).not.toBe(outcomeKey(dropped));
  });

  it("rejects a tcp matrix without a port", () => {
    expect(() => reachability(net, { protocol: "tcp" })).toThrow("missing port");
  });
});

describe("TCP fix suggestions", () => {
  it("turn forwarding on for a TCP connect", () => {
    const net = network(`${ROUTED}ip netns exec r sysctl -qw net.ipv4.ip_forward=0\n`);
    const probe = { from: "a", to: "10.2.0.2", protocol: "tcp" as const, port: 22 };
    expect(trace(net, probe).verdict).toBe("dropped");
    const suggestions = suggestFixes(net, probe);
    expect(suggestions.length).toBeGreaterThan(0);
    for (const suggestion of suggestions) {
      expect(suggestion.trace.verdict).toBe("reachable");
      expect(suggestion.trace.protocol).toBe("tcp");
    }
    expect(suggestions.some((suggestion) => suggestion.kinds.includes("ip-forward"))).toBe(true);
  });
});

describe("TCP and UDP expectations", () => {
  const net = network(
    `${PAIR}ip netns exec b iptables -A INPUT -p tcp --dport 23 -j REJECT --reject-with tcp-reset\n`,
  );

  it("check each verdict kind", () => {
    const text = [
      "a -> 10.0.0.2 tcp/22: reachable",
      "a -> 10.0.0.2 tcp/23: refused",
      "a -> 10.0.0.2 tcp/23: refused NETFILTER_DROP",
      "a -> 10.0.0.2 udp/53: reachable",
      "a -> 10.0.0.2 tcp/22: dropped",
    ].join("\n");
    const results = checkExpectations(net, parseExpectations(text));
    expect(results.map((result) => result.status)).toEqual([
      "held",
      "held",
      "held",
      "held",
      "violated",
    ]);
    expect(results[4]!.message).toBe("reachable");
  });

  it("reject a drop reason on reachable", () => {
    expect(() => parseExpectations("a -> 10.0.0.2 tcp/22: reachable NO_SOCKET")).toThrow(
      'a drop reason (NO_SOCKET) only goes with "dropped" or "refused"',
    );
  });
});
