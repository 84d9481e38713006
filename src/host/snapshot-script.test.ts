import { describe, expect, it } from "vitest";
import { runScript, stateFromSnapshot } from "../script/run.js";
import type { HostSnapshot, JsonLink, JsonRoute, NamespaceSnapshot } from "./snapshot-script.js";
import { routeArguments, ruleArguments, snapshotScript } from "./snapshot-script.js";

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

  it("keeps neighbours and iptables as comments", () => {
    const host: HostSnapshot = {
      namespaces: [
        namespace([], {
          neigh: [{ dst: "10.0.0.2", dev: "eth0", state: ["REACHABLE"] }],
          iptables: "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT",
        }),
      ],
    };

    const script = snapshotScript(host);

    expect(script).toContain('#   {"dst":"10.0.0.2","dev":"eth0","state":["REACHABLE"]}');
    expect(script).toContain(
      "# iptables-save of the host (iptables is not modelled yet):\n#   *filter\n",
    );
  });

  it("rebuilds policy rules that route ip route get", () => {
    const host: HostSnapshot = {
      namespaces: [
        namespace([link(2, "eth0")], {
          addrs: { eth0: [{ family: "inet", local: "10.0.0.1", prefixlen: 24 }] },
          routes: [
            { dst: "default", gateway: "10.0.0.254", dev: "eth0" },
            { dst: "default", gateway: "10.0.0.9", dev: "eth0", table: "100" },
          ],
          rules: [
            { priority: 0, src: "all", table: "local" },
            { priority: 32765, src: "all", fwmark: "0x3", table: "100" },
            { priority: 32766, src: "all", table: "main" },
          ],
        }),
      ],
    };

    const script = snapshotScript(host);
    const run = runScript("ip rule show\nip route get 192.0.2.1 mark 3\n", {
      from: stateFromSnapshot(script),
    });

    expect(script).toContain("ip rule del pref 32767 lookup default\n");
    expect(script).toContain("ip rule add fwmark 0x3 pref 32765 lookup 100\n");
    expect(run.lines[0]!.output).toBe(
      "0:\tfrom all lookup local\n32765:\tfrom all fwmark 0x3 lookup 100\n32766:\tfrom all lookup main\n",
    );
    expect(run.lines[1]!.output).toContain("via 10.0.0.9 dev eth0 table 100");
  });

  it("writes routes with protocol names hoptrace reads back", () => {
    const host: HostSnapshot = {
      namespaces: [
        namespace([link(2, "eth0")], {
          routes: [
            { dst: "172.16.0.0/12", dev: "eth0", protocol: "babel", scope: "link" },
            { dst: "172.17.0.0/16", dev: "eth0", protocol: "myrouter", scope: "link" },
          ],
        }),
      ],
    };

    const script = snapshotScript(host);
    const run = runScript("ip route show\n", { from: stateFromSnapshot(script) });

    expect(script).toContain("# proto myrouter of the next route is a name hoptrace lacks.\n");
    expect(run.lines[0]!.output).toBe(
      "172.16.0.0/12 dev eth0 proto babel scope link \n172.17.0.0/16 dev eth0 scope link \n",
    );
  });
});

describe("ruleArguments", () => {
  it.for([
    [
      {
        priority: 199,
        not: null,
        src: "10.0.0.0",
        srclen: 8,
        dst: "192.0.2.1",
        tos: "0x10",
        iif: "eth0",
        oif: "nosuch",
        oif_detached: null,
        table: "200",
        suppress_prefixlen: 0,
      },
      "not from 10.0.0.0/8 to 192.0.2.1 tos 0x10 iif eth0 oif nosuch pref 199 lookup 200 suppress_prefixlength 0",
    ],
    [
      { priority: 200, src: "all", fwmark: "0x6", fwmask: "0xff", table: "100" },
      "fwmark 0x6/0xff pref 200 lookup 100",
    ],
    [
      { priority: 198, src: "10.5.0.0", srclen: 16, goto: 32766 },
      "from 10.5.0.0/16 pref 198 goto 32766",
    ],
    [{ priority: 197, src: "10.6.0.0", srclen: 16, nop: null }, "from 10.6.0.0/16 pref 197 nop"],
    [
      {
        priority: 195,
        src: "all",
        dst: "198.51.100.0",
        dstlen: 24,
        action: "blackhole",
        protocol: "static",
      },
      "to 198.51.100.0/24 pref 195 blackhole",
    ],
  ] as [Record<string, unknown>, string][])("writes %j", ([rule, expected]) => {
    const result = ruleArguments(rule);

    expect("args" in result ? result.args.join(" ") : result.reason).toBe(expected);
  });

  it("leaves out a selector hoptrace lacks", () => {
    expect(
      ruleArguments({ priority: 5, src: "all", uid_start: 0, uid_end: 10, table: "main" }),
    ).toEqual({
      reason: 'the rule selector "uid_start" is not modelled yet',
    });
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
