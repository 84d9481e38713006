import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { parseIp4Strict } from "../addr/ip4.js";
import { findNetns, type NetState } from "../netns/state.js";
import { createNetns } from "../netns/state.js";
import { runScript } from "../script/run.js";
import type { Packet } from "../wire/ipv4.js";
import { ICMP_TIME_EXCEEDED } from "../wire/ipv4.js";
import type { IcmpErrorOutcome } from "./icmp.js";
import { sendIcmpError } from "./icmp.js";
import { isMasked, takeIcmpToken, takeRouteErrorToken } from "./icmp-ratelimit.js";
import { Sim } from "./sim.js";

const PEER = 0x0a000102;

/** Takes tokens for PEER at each of `times` (ms) and returns which ones were allowed. */
function allowedAt(times: number[], sysctl: Record<string, number> = {}): boolean[] {
  const ns = createNetns(1, "r1");
  Object.assign(ns.sysctl, sysctl);
  return times.map((time) => takeIcmpToken(ns, PEER, time));
}

describe("ICMP token bucket", () => {
  it("allows a burst of six errors to one peer at once", () => {
    const allowed = allowedAt([0, 0, 0, 0, 0, 0, 0]);

    expect(allowed.slice(0, 6)).toEqual([true, true, true, true, true, true]);
    expect(allowed[6]).toBe(false);
  });

  it("refills one error per icmp_ratelimit", () => {
    const allowed = allowedAt([0, 0, 0, 0, 0, 0, 999, 1000, 1000]);

    expect(allowed.slice(6)).toEqual([false, true, false]);
  });

  it("lets six of ten errors 50 ms apart through, as the kernel recorded", () => {
    const allowed = allowedAt([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);

    expect(allowed.filter(Boolean)).toHaveLength(6);
    expect(allowed.slice(6)).toEqual([false, false, false, false]);
  });

  it("holds no more than six errors after a long pause", () => {
    const allowed = allowedAt([0, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000]);

    expect(allowed.slice(1, 7).every(Boolean)).toBe(true);
    expect(allowed[7]).toBe(false);
  });

  it("never limits with icmp_ratelimit=0", () => {
    const allowed = allowedAt([0, 0, 0, 0, 0, 0, 0, 0], { "net.ipv4.icmp_ratelimit": 0 });

    expect(allowed.every(Boolean)).toBe(true);
  });

  it("keeps one bucket per peer", () => {
    const ns = createNetns(1, "r1");
    for (let i = 0; i < 6; i++) takeIcmpToken(ns, PEER, 0);

    expect(takeIcmpToken(ns, PEER, 0)).toBe(false);
    expect(takeIcmpToken(ns, PEER + 1, 0)).toBe(true);
  });

  it("charges routing errors twice, so two pass in a burst", () => {
    const ns = createNetns(1, "r1");
    const sent = [0, 1, 2].map(
      () => takeRouteErrorToken(ns, PEER, 0) && takeIcmpToken(ns, PEER, 0),
    );

    expect(sent).toEqual([true, true, false]);
  });

  it("gives ip_error a burst of five on its own", () => {
    const ns = createNetns(1, "r1");
    const sent = [0, 1, 2, 3, 4, 5].map(() => takeRouteErrorToken(ns, PEER, 0));

    expect(sent).toEqual([true, true, true, true, true, false]);
  });
});

describe("icmp_ratemask", () => {
  const ns = createNetns(1, "r1");

  it.for([
    [3, 1, true],
    [4, 0, true],
    [11, 0, true],
    [12, 0, true],
    [0, 0, false],
    [5, 0, false],
    [8, 0, false],
  ] as const)("type %i code %i is limited: %s", ([type, code, expected]) => {
    expect(isMasked(ns, type, code)).toBe(expected);
  });

  it("never limits fragmentation needed", () => {
    expect(isMasked(ns, 3, 4)).toBe(false);
  });

  it("limits nothing when set to 0", () => {
    const open = createNetns(2, "open");
    open.sysctl["net.ipv4.icmp_ratemask"] = 0;

    expect(isMasked(open, 11, 0)).toBe(false);
  });
});

// r has 10.0.0.1 on a veth to c (10.0.0.2) and 10.0.9.1 on lo.
const ROUTER = `
ip netns add r
ip netns add c
ip netns exec r ip link add eth0 type veth peer name eth0 netns c
ip netns exec r ip addr add 10.0.0.1/24 dev eth0
ip netns exec c ip addr add 10.0.0.2/24 dev eth0
ip netns exec r ip link set eth0 up
ip netns exec c ip link set eth0 up
ip netns exec r ip link set lo up
ip netns exec r ip addr add 10.0.9.1/24 dev lo
`;

/** Sends `count` time exceeded errors from r about packets from `source`, all at once. */
function sendErrors(
  source: string,
  count: number,
): { outcomes: IcmpErrorOutcome[]; state: NetState } {
  const start = runScript(ROUTER).state;
  const outcomes: IcmpErrorOutcome[] = [];
  const state = produce(start, (draft) => {
    const sim = new Sim(draft);
    const r = findNetns(draft, "r")!;
    const offending: Packet = {
      protocol: "udp",
      src: parseIp4Strict(source)!,
      dst: 0x0a000299,
      ttl: 1,
      tos: 0,
      payload: 32,
      udp: { srcPort: 40000, dstPort: 33434 },
    };
    for (let i = 0; i < count; i++) {
      const trace = sim.startTrace("probe");
      outcomes.push(sendIcmpError(sim, r, offending, { type: ICMP_TIME_EXCEEDED, code: 0, trace }));
    }
  });
  return { outcomes, state };
}

describe("sendIcmpError rate limiting", () => {
  it("holds back the seventh error to a neighbour and counts it", () => {
    const { outcomes, state } = sendErrors("10.0.0.2", 7);

    expect(outcomes.slice(0, 6).every((outcome) => outcome === "sent")).toBe(true);
    expect(outcomes[6]).toBe("rate-limited");
    expect(findNetns(state, "r")!.counters["IcmpOutRateLimitHost"]).toBe(1);
  });

  it("exempts errors to its own address, delivered over lo", () => {
    const { outcomes, state } = sendErrors("10.0.9.1", 10);

    expect(outcomes.every((outcome) => outcome === "sent")).toBe(true);
    expect(findNetns(state, "r")!.counters["IcmpOutRateLimitHost"]).toBeUndefined();
  });
});
