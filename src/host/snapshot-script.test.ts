import { describe, expect, it } from "vitest";
import { runScript, stateFromSnapshot } from "../script/run.js";
import type { HostSnapshot, JsonLink, JsonRoute, NamespaceSnapshot } from "./snapshot-script.js";
import { routeArguments, snapshotScript } from "./snapshot-script.js";

function link(ifindex: number, ifname: string, extra: Partial<JsonLink> = {}): JsonLink {
  return {
    ifindex,
    ifname,
    flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
    mtu: 1500,
    ...extra,
  };
}

function namespace(links: JsonLink[], extra: Partial<NamespaceSnapshot> = {}): NamespaceSnapshot {
  const lo = link(1, "lo", { flags: ["LOOPBACK", "UP", "LOWER_UP"], mtu: 65536 });
  return {
    links: [lo, ...links],
    addrs: {},
    routes: [],
    rules: [],
    neigh: [],
    nsids: {},
    sysctl: {},
    ...extra,
  };
}

describe("snapshotScript", () => {
  it("sends unseen peers and physical NICs to a hidden namespace", () => {
    const host: HostSnapshot = {
      namespaces: [
        namespace([
          link(2, "eth0"),
          link(3, "veth9", { link_index: 7, link_netnsid: 0, linkinfo: { info_kind: "veth" } }),
        ]),
      ],
    };

    const script = snapshotScript(host);
    const listing = runScript("ip -br link\nip netns list", { from: stateFromSnapshot(script) });

    expect(script).toContain(
      "ip link add eth0 type veth peer name out0 netns hoptrace-outside\n@physical eth0\n",
    );
    expect(script).toContain("# veth9: veth whose peer this host cannot see;");
    expect(listing.transcript).toMatch(/^eth0 +UP /m);
    expect(listing.transcript).toMatch(/^veth9@if\d+ +UP /m);
    expect(listing.transcript).toMatch(/\$ ip netns list\n$/);
  });

  it("writes a same-namespace pair with its lower ifindex as the peer", () => {
    const host: HostSnapshot = {
      namespaces: [
        namespace([
          link(3, "a", { link: "b", linkinfo: { info_kind: "veth" } }),
          link(4, "b", { link: "a", linkinfo: { info_kind: "veth" } }),
        ]),
      ],
    };

    const script = snapshotScript(host);

    expect(script).toContain(
      "ip link add hoptrace-gap type bridge\nip link del hoptrace-gap\nip link add b type veth peer name a\n",
    );
  });

  it("keeps rules, neighbours and iptables as comments", () => {
    const host: HostSnapshot = {
      namespaces: [
        namespace([], {
          rules: [
            { priority: 100, src: "10.0.0.0", srclen: 8, table: "100" },
            { priority: 0, src: "all", table: "local" },
          ],
          neigh: [{ dst: "10.0.0.2", dev: "eth0", state: ["REACHABLE"] }],
          iptables: "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT",
        }),
      ],
    };

    const script = snapshotScript(host);

    expect(script).toContain('#   {"priority":100,"src":"10.0.0.0","srclen":8,"table":"100"}');
    expect(script).not.toContain('"table":"local"');
    expect(script).toContain('#   {"dst":"10.0.0.2","dev":"eth0","state":["REACHABLE"]}');
    expect(script).toContain(
      "# iptables-save of the host (iptables is not modelled yet):\n#   *filter\n",
    );
  });
});

describe("routeArguments", () => {
  it.for([
    [
      {
        dst: "default",
        gateway: "192.0.2.1",
        dev: "eth0",
        protocol: "dhcp",
        metric: 100,
        prefsrc: "192.0.2.9",
      },
      "default via 192.0.2.1 dev eth0 proto dhcp metric 100 src 192.0.2.9",
    ],
    [
      { type: "blackhole", dst: "198.51.100.0/24", table: "100" },
      "blackhole 198.51.100.0/24 table 100",
    ],
    [
      { dst: "203.0.113.0/24", gateway: "10.0.0.9", dev: "v0", flags: ["onlink"] },
      "203.0.113.0/24 via 10.0.0.9 dev v0 onlink",
    ],
  ] as [JsonRoute, string][])("writes %j", ([route, expected]) => {
    const result = routeArguments(route);

    expect("args" in result ? result.args.join(" ") : result.reason).toBe(expected);
  });

  it("leaves out multipath routes", () => {
    expect(routeArguments({ dst: "default", nexthops: [{}, {}] })).toEqual({
      reason: "multipath routes are not modelled yet",
    });
  });
});
