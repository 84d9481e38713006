// An example property suite to copy into your own project. There, import from "hoptrace" and
// "hoptrace/fast-check" instead of the relative paths, which only work inside this repository.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertInvariants,
  extend,
  network,
  noForwardingLoop,
  reaches,
  topologyScript,
} from "../src/index.js";
import type { Topology } from "../src/index.js";
import { invariantProperty, routeTable, script } from "../src/fast-check/index.js";

// Our network: an office host behind an edge router, which reaches the uplink provider.
const OFFICE: Topology = {
  namespaces: [
    { name: "office", routes: [{ prefix: "default", via: "10.1.0.1" }] },
    { name: "edge", isRouter: true, rpFilter: 1, routes: [{ prefix: "default", via: "10.2.0.2" }] },
    { name: "uplink", isRouter: true, routes: [{ prefix: "10.1.0.0/24", via: "10.2.0.1" }] },
  ],
  segments: [
    {
      prefix: "10.1.0.0/24",
      ends: [
        { namespace: "office", link: "eth0", address: "10.1.0.10" },
        { namespace: "edge", link: "lan0", address: "10.1.0.1" },
      ],
    },
    {
      prefix: "10.2.0.0/30",
      ends: [
        { namespace: "edge", link: "wan0", address: "10.2.0.1" },
        { namespace: "uplink", link: "eth0", address: "10.2.0.2" },
      ],
    },
  ],
};
const office = network(topologyScript(OFFICE));

describe("office network", () => {
  it("reaches the uplink from the office", () => {
    assertInvariants(office, reaches(["office"], ["uplink"]));
  });

  // A TCP probe connects as `nc -z` does; every namespace listens on the port unless
  // `listening` names the ones that do.
  it("connects to SSH on the uplink from the office", () => {
    const ssh = { protocol: "tcp" as const, port: 22, listening: [{ ns: "uplink", port: 22 }] };
    assertInvariants(office, reaches(["office"], ["uplink"], ssh));
  });

  // Whatever static routes for customer prefixes we push to the edge, pointing upstream, the
  // office keeps its uplink and no packet loops.
  it("survives any customer route table on the edge", () => {
    const tables = routeTable({
      gateways: ["10.2.0.2"],
      within: "172.16.0.0/12",
      minBits: 16,
      hasRejectRoutes: true,
    });
    fc.assert(
      fc.property(tables, (routes) => {
        const commands = routes.map((route) => `ip netns exec edge ${routeLine(route)}`).join("\n");
        const changed = extend(office, `${commands}\n`);
        assertInvariants(changed, reaches(["office"], ["uplink"]), noForwardingLoop());
      }),
      { numRuns: 30 },
    );
  });

  it("notices a change that cuts the office off", () => {
    const cut = extend(office, "ip netns exec edge ip route add blackhole 10.2.0.2/32\n");
    expect(() => assertInvariants(cut, reaches(["office"], ["uplink"]))).toThrow(
      "office -> 10.2.0.2 icmp is dropped at edge/lan0",
    );
    expect(() => assertInvariants(cut, reaches(["office"], ["uplink"]))).toThrow("blackhole route");
  });
});

describe("random topologies", () => {
  // Routers in a generated topology only ever route towards neighbours, but two of them can still
  // point at each other; this property checks the weaker claim that hosts never loop packets.
  it("never loop a packet when nobody forwards", () => {
    const hostsOnly = script({ maxNamespaces: 3 }).filter((s) => !s.text.includes("ip_forward=1"));
    fc.assert(invariantProperty(hostsOnly, noForwardingLoop()), { numRuns: 20 });
  });
});

function routeLine(route: { prefix: string; via?: string; type?: string }): string {
  if (route.type !== undefined && route.type !== "unicast")
    return `ip route add ${route.type} ${route.prefix}`;
  return `ip route add ${route.prefix} via ${route.via}`;
}
