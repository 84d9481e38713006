import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Link, NetState } from "./state.js";
import { HOST_NS, createState, findLink } from "./state.js";
import { createBridge, createVeth, removeFromBridge, setLinkMac, setMaster } from "./link-ops.js";
import { portsOf } from "../link/carrier.js";

const PORTS = ["p0", "p1", "p2", "p3"];

/** A unicast MAC: the group bit of the first byte is clear. */
const unicastMac = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .map((bytes) => [bytes[0]! & 0xfe, ...bytes.slice(1)])
  .map((bytes) => bytes.map((byte) => byte.toString(16).padStart(2, "0")).join(":"));

type Step =
  | { kind: "join"; port: number }
  | { kind: "leave"; port: number }
  | { kind: "portMac"; port: number; mac: string }
  | { kind: "bridgeMac"; mac: string };

const port = fc.integer({ min: 0, max: PORTS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: port.map((p) => ({ kind: "join" as const, port: p })) },
  { weight: 2, arbitrary: port.map((p) => ({ kind: "leave" as const, port: p })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(port, unicastMac)
      .map(([p, mac]) => ({ kind: "portMac" as const, port: p, mac })),
  },
  { weight: 1, arbitrary: unicastMac.map((mac) => ({ kind: "bridgeMac" as const, mac })) },
);

function apply(state: NetState, bridge: Link, next: Step): void {
  const host = state.namespaces[HOST_NS]!;
  if (next.kind === "bridgeMac") {
    setLinkMac(state, host, bridge, next.mac);
    return;
  }
  const target = findLink(host, PORTS[next.port]!)!;
  if (next.kind === "join") setMaster(state, host, target, bridge);
  else if (next.kind === "leave") removeFromBridge(state, host, target);
  else setLinkMac(state, host, target, next.mac);
}

/** Prints the steps as the `ip` commands that reproduce them. */
function asCommands(steps: readonly Step[]): string {
  return steps
    .map((s) => {
      if (s.kind === "bridgeMac") return `ip link set br0 address ${s.mac}`;
      const name = PORTS[s.port]!;
      if (s.kind === "join") return `ip link set ${name} master br0`;
      if (s.kind === "leave") return `ip link set ${name} nomaster`;
      return `ip link set ${name} address ${s.mac}`;
    })
    .join("\n");
}

describe("bridge MAC", () => {
  it("is the lowest port MAC unless set by hand", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const state = createState();
        const host = state.namespaces[HOST_NS]!;
        const bridge = createBridge(state, host, "br0");
        const initialMac = bridge.mac;
        PORTS.forEach((name, i) => createVeth(state, host, name, host, `e${i}`));
        let handSet: string | undefined;
        let hasHadPort = false;

        for (const next of steps) {
          apply(state, bridge, next);
          if (next.kind === "bridgeMac") handSet = next.mac;
          hasHadPort ||= portsOf(host, bridge).length > 0;

          const portMacs = portsOf(host, bridge)
            .map((p) => p.mac)
            .sort();
          const expected =
            handSet ?? portMacs[0] ?? (hasHadPort ? "00:00:00:00:00:00" : initialMac);
          expect(bridge.mac, asCommands(steps)).toBe(expected);
        }
      }),
    );
  });

  it("keeps one local FDB entry per port MAC and one for its own", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const state = createState();
        const host = state.namespaces[HOST_NS]!;
        const bridge = createBridge(state, host, "br0");
        PORTS.forEach((name, i) => createVeth(state, host, name, host, `e${i}`));

        steps.forEach((next) => apply(state, bridge, next));

        const locals = bridge.fdb!.filter((entry) => entry.isLocal).map((entry) => entry.mac);
        const expected = new Set(portsOf(host, bridge).map((p) => p.mac));
        if (bridge.mac !== "00:00:00:00:00:00") expected.add(bridge.mac);
        expect(new Set(locals), asCommands(steps)).toEqual(expected);
      }),
    );
  });
});
