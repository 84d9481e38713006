import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  asymmetricDiamond,
  diamondTopology,
  goodChain,
  holedChain,
  loopingChain,
} from "../../test/arbitraries/topologies.js";
import { invariantProperty } from "../fast-check/index.js";
import type { GeneratedScript } from "../fast-check/index.js";
import { runScript } from "../script/run.js";
import { fromTopology } from "./from-topology.js";
import type { Invariant } from "./invariants.js";
import {
  InvariantError,
  holds,
  noBlackHole,
  noForwardingLoop,
  reaches,
  rpFilterKeepsReplies,
  symmetricReplies,
  violations,
} from "./invariants.js";
import { network } from "./network.js";
import { UsageError } from "../errors.js";

const RUNS = { numRuns: 25 };

/** Asserts that `invariant` fails on every script `scripts` draws. */
function failsOnEvery(scripts: fc.Arbitrary<GeneratedScript>, invariant: () => Invariant): void {
  fc.assert(
    fc.property(scripts, (generated) => !holds(network(generated.text), invariant())),
    RUNS,
  );
}

describe("invariants on known-good chains", () => {
  it("hold for every invariant", () => {
    const all = [
      noForwardingLoop(),
      noBlackHole(),
      symmetricReplies(),
      rpFilterKeepsReplies(),
      reaches(["a", "b"], ["a", "b"]),
    ];
    fc.assert(invariantProperty(goodChain, ...all), RUNS);
  });
});

describe("invariants on known-bad topologies", () => {
  it("no forwarding loop fails on looping chains", () => {
    failsOnEvery(loopingChain, noForwardingLoop);
  });

  it("no black hole fails on chains with a hole", () => {
    failsOnEvery(holedChain, noBlackHole);
  });

  it("reaches fails on chains with a hole", () => {
    failsOnEvery(holedChain, () => reaches(["a"], ["b"]));
  });

  it("no forwarding loop holds on chains with a hole", () => {
    fc.assert(invariantProperty(holedChain, noForwardingLoop()), RUNS);
  });

  it("symmetric replies fails on the diamond", () => {
    failsOnEvery(asymmetricDiamond, symmetricReplies);
  });

  it("rp_filter keeps replies holds on the diamond unless strict", () => {
    fc.assert(invariantProperty(asymmetricDiamond, rpFilterKeepsReplies()), RUNS);
    expect(holds(fromTopology(diamondTopology(1)), rpFilterKeepsReplies())).toBe(false);
  });

  it("names the rp_filter drop of the diamond's reply", () => {
    const found = violations(fromTopology(diamondTopology(1)), rpFilterKeepsReplies());
    const pair = found.find((item) => item.trace.from === "a" && item.trace.to === "10.0.2.2");
    expect(pair?.message).toContain("the reply to a -> 10.0.2.2 icmp is dropped by a: ");
    const reply = pair?.trace.packets.find((packet) => packet.packet.startsWith("ICMP echo reply"));
    expect(reply?.verdict?.reason).toBe("IP_RPFILTER");
  });
});

describe("invariants with TCP probes", () => {
  const tcp = { protocol: "tcp" as const, port: 22 };

  it("hold on known-good chains", () => {
    const all = [noForwardingLoop(tcp), symmetricReplies(tcp), rpFilterKeepsReplies(tcp)];
    fc.assert(invariantProperty(goodChain, ...all), RUNS);
  });

  it("symmetric replies fails on the diamond", () => {
    failsOnEvery(asymmetricDiamond, () => symmetricReplies(tcp));
  });

  it("no black hole holds with closed ports", () => {
    fc.assert(invariantProperty(goodChain, noBlackHole({ ...tcp, listening: [] })), RUNS);
  });

  it("reaches holds on good chains", () => {
    fc.assert(invariantProperty(goodChain, reaches(["a"], ["b"], tcp)), RUNS);
  });

  it("reaches fails on closed ports", () => {
    failsOnEvery(goodChain, () => reaches(["a"], ["b"], { ...tcp, listening: [] }));
  });

  it("reaches fails on chains with a hole", () => {
    failsOnEvery(holedChain, () => reaches(["a"], ["b"], tcp));
  });

  it("names the rp_filter drop of the SYN-ACK", () => {
    const found = violations(fromTopology(diamondTopology(1)), rpFilterKeepsReplies(tcp));
    const pair = found.find((item) => item.trace.from === "a" && item.trace.to === "10.0.2.2");
    expect(pair?.message).toContain("the reply to a -> 10.0.2.2 tcp/22 is dropped by a: ");
    const reply = pair?.trace.packets.find((packet) => packet.packet.includes("[SYN,ACK]"));
    expect(reply?.verdict?.reason).toBe("IP_RPFILTER");
  });
});

describe("a failing invariant property", () => {
  const result = fc.check(invariantProperty(loopingChain, noForwardingLoop()), { seed: 7 });

  it("fails", () => {
    expect(result.failed).toBe(true);
  });

  it("shrinks to the shortest loop: three routers, the second one faulty", () => {
    const [shrunk] = result.counterexample ?? [];
    const names = shrunk?.topology?.namespaces.map((ns) => ns.name);
    expect(names).toEqual(["a", "r1", "r2", "r3", "b"]);
    expect(shrunk?.text).toContain("ip netns exec r2 ip route add 10.0.3.0/24 via 10.0.1.1");
  });

  it("prints the counterexample as commands a shell runs cleanly", () => {
    const [shrunk] = result.counterexample ?? [];
    const printed = fc.stringify(shrunk);
    expect(printed).toContain("\nip netns add r2\n");
    expect(printed).not.toContain("\\n");
    const run = runScript(shrunk!.text);
    expect(run.lines.every((line) => line.exitCode === 0)).toBe(true);
  });

  it("reports the loop and the script in the error", () => {
    const error = result.errorInstance;
    expect(error).toBeInstanceOf(InvariantError);
    const message = (error as InvariantError).message;
    expect(message).toMatch(
      /no forwarding loop: ICMP echo request .* loops: forwarded by r1 -> r2 -> r1/,
    );
    expect(message).toContain("The network, as commands for a root shell:\nip netns add a\n");
  });

  it("keeps the violations and script off the error's own listed fields", () => {
    const error = result.errorInstance as InvariantError;

    expect(error.violations.length).toBeGreaterThan(0);
    expect(error.script).toContain("ip netns add a\n");
    expect(Object.keys(error)).not.toContain("violations");
    expect(Object.keys(error)).not.toContain("script");
  });
});

describe("reaches targets", () => {
  const net = network(
    [
      "ip netns add a",
      "ip netns add b",
      "ip netns exec a ip link set lo up",
      "ip netns exec b ip link set lo up",
    ].join("\n"),
  );

  it("rejects a namespace without addresses", () => {
    const check = (): boolean => holds(net, reaches(["a"], ["b"]));

    expect(check).toThrow(UsageError);
    expect(check).toThrow('namespace "b" has no IPv4 address outside 127.0.0.0/8');
  });

  it("rejects an unknown target by name", () => {
    const check = (): boolean => holds(net, reaches(["a"], ["c"]));

    expect(check).toThrow(UsageError);
    expect(check).toThrow('"c" is neither a namespace of the network (host, a, b) nor an IPv4');
  });

  it("still probes a loopback address", () => {
    expect(holds(net, reaches(["a"], ["127.0.0.1"]))).toBe(true);
  });
});
