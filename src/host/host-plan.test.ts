import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import { HostReplayRejected, isChangeCommand, planHostReplay, rejectionOf } from "./host-plan.js";

/** Returns a host state that already has a veth pair with an address and a static route. */
function existingHost() {
  return runScript(
    [
      "ip link add keep0 type veth peer name keep1",
      "ip addr add 10.9.0.1/24 dev keep0",
      "ip link set keep0 up",
      "ip link set keep1 up",
      "ip route add 203.0.113.0/24 via 10.9.0.2",
    ].join("\n"),
  ).state;
}

describe("rejectionOf", () => {
  it.for([
    ["nsenter -t 1 -n ip link"],
    ["bash -c true"],
    ["curl http://192.0.2.1/"],
    ["iptables -F"],
    ["ip link set keep0 netns 1"],
    ["ip link add v type veth peer name w netns 4242"],
    ["ip netns exec ns1 bash"],
    ["ip netns set ns1 5"],
    ["ip netns attach other 4242"],
    ["ip monitor"],
    ["route add default gw 10.0.0.1"],
  ])("rejects %s", ([line]) => {
    expect(rejectionOf(line!.split(" "))).toBeDefined();
  });

  it.for([
    ["ip netns add ns1"],
    ["ip -n ns1 link set lo up"],
    ["ip netns exec ns1 ping -c 1 -W 1 10.0.0.2"],
    ["ip link set v0 netns ns1"],
    ["sysctl -qw net.ipv4.ip_forward=1"],
    ["route -n"],
  ])("accepts %s", ([line]) => {
    expect(rejectionOf(line!.split(" "))).toBeUndefined();
  });
});

describe("isChangeCommand", () => {
  it.for([
    ["ip link add v0 type bridge", true],
    ["ip -n ns1 addr add 10.0.0.1/24 dev v0", true],
    ["ip netns exec ns1 sysctl -w net.ipv4.ip_forward=1", true],
    ["sysctl net.ipv4.ip_forward=1", true],
    ["ip route show", false],
    ["ip -br link", false],
    ["ip route get 10.0.0.1", false],
    ["ip netns exec ns1 ping -c 1 10.0.0.1", false],
    ["sysctl net.ipv4.ip_forward", false],
    ["bridge fdb show", false],
  ] as const)("%s changes the host: %s", ([line, expected]) => {
    expect(isChangeCommand(line.split(" "))).toBe(expected);
  });
});

describe("planHostReplay", () => {
  it("lists the undo steps in reverse dependency order", () => {
    const script = [
      "ip netns add ns1",
      "ip link add v0 type veth peer name v0p netns ns1",
      "ip addr add 10.0.0.1/24 dev v0",
      "ip addr add 10.9.0.7/24 dev keep0",
      "ip route add 198.51.100.0/24 via 10.9.0.2",
      "ip link set v0 up",
      "sysctl -qw net.ipv4.ip_forward=1",
      "ip route show",
    ].join("\n");

    const plan = planHostReplay(script, existingHost());

    expect(plan.undo.map((step) => step.argv.join(" "))).toEqual([
      "ip route del 198.51.100.0/24 via 10.9.0.2 dev keep0 metric 0",
      "ip addr del 10.9.0.7/24 dev keep0",
      "ip link del v0",
      "ip netns del ns1",
      "sysctl -qw net.ipv4.ip_forward=0",
      "sysctl -qw net.ipv4.conf.all.forwarding=0",
      "sysctl -qw net.ipv4.conf.default.forwarding=0",
      "sysctl -qw net.ipv4.conf.lo.forwarding=0",
      "sysctl -qw net.ipv4.conf.keep1.forwarding=0",
      "sysctl -qw net.ipv4.conf.keep0.forwarding=0",
    ]);
    expect(plan.lines.map((line) => line.isChange)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("undoes added policy rules", () => {
    const script = [
      "ip rule add from 10.9.0.0/24 table 100",
      "ip rule add not to 198.51.100.0/24 fwmark 0x2/0xff iif keep0 lookup main pref 90",
      "ip rule add to 203.0.113.7 prohibit",
      "ip rule add from all lookup 101 suppress_prefixlength 0",
    ].join("\n");
    const host = existingHost();

    const plan = planHostReplay(script, host);
    const undo = plan.undo.map((step) => step.argv.join(" ")).join("\n");
    const undone = runScript(`${script}\n${undo}\n`, { from: host });

    expect(plan.undo.map((step) => step.argv.join(" "))).toEqual([
      "ip rule del priority 88 from all lookup 101 suppress_prefixlength 0",
      "ip rule del priority 89 from all to 203.0.113.7/32 prohibit",
      "ip rule del priority 90 not from all to 198.51.100.0/24 fwmark 0x2/0xff iif keep0 lookup 254",
      "ip rule del priority 32765 from 10.9.0.0/24 lookup 100",
    ]);
    expect(undone.lines.every((line) => line.exitCode === 0)).toBe(true);
    expect(undone.state.namespaces[0]!.rules).toEqual(host.namespaces[0]!.rules);
  });

  it("rejects deleting an existing rule", () => {
    const plan = (): unknown =>
      planHostReplay("ip rule del from all lookup main\n", existingHost());

    expect(plan).toThrow(HostReplayRejected);
    expect(plan).toThrow("removes rule priority 32766 from all lookup 254 in the host namespace");
  });

  it("adds a port to a bridge with ports", () => {
    const host = runScript(
      [
        "ip link add br0 type bridge",
        "ip link add p0 type veth peer name p0x",
        "ip link set p0 address ae:00:00:00:00:01",
        "ip link set p0 master br0",
      ].join("\n"),
    ).state;
    const script = "ip link add n0 type veth peer name n0x\nip link set n0 master br0\n";
    const bridgeMac = (state: typeof host): string =>
      Object.values(state.namespaces[0]!.links).find((link) => link.name === "br0")!.mac;

    const plan = planHostReplay(script, host);
    const undo = plan.undo.map((step) => step.argv.join(" "));
    const changed = runScript(script, { from: host }).state;
    const undone = runScript(`${script}${undo.join("\n")}\n`, { from: host }).state;

    expect(undo).toEqual(["ip link del n0x"]);
    expect(bridgeMac(changed)).not.toBe(bridgeMac(host));
    expect(bridgeMac(undone)).toBe(bridgeMac(host));
  });

  it("rejects a first port on a bridge", () => {
    const host = runScript("ip link add br0 type bridge\n").state;
    const script = "ip link add n0 type veth peer name n0x\nip link set n0 master br0\n";

    const plan = (): unknown => planHostReplay(script, host);

    expect(plan).toThrow(HostReplayRejected);
    expect(plan).toThrow("changes link br0 of the host namespace in a way that cannot be undone");
  });

  it("restores the admin state of an existing link", () => {
    const plan = planHostReplay("ip link set keep1 down", existingHost());

    expect(plan.undo.map((step) => step.argv.join(" "))).toEqual(["ip link set keep1 up"]);
  });

  it("undoes a static neighbour entry on a host link", () => {
    const plan = planHostReplay(
      "ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:01 dev keep0\n",
      existingHost(),
    );

    expect(plan.undo.map((step) => step.argv.join(" "))).toEqual([
      "ip neigh del 10.9.0.2 dev keep0",
    ]);
  });

  it.for([
    [
      "ip link add keep0 type bridge",
      /fails against this host's current state: RTNETLINK answers: File exists/,
    ],
    ["ip addr add 10.9.0.1/24 dev keep0", /Address already assigned/],
    ["ip link del keep0", /deletes, renames or moves link keep[01] of the host namespace/],
    ["ip addr del 10.9.0.1/24 dev keep0", /removes address 10.9.0.1\/24/],
    ["ip route replace 203.0.113.0/24 via 10.9.0.3", /removes or replaces route 203.0.113.0\/24/],
    ["ip link set keep0 down", /removes or replaces route/],
    ["ip link set keep0 master br9", /fails against/],
    ["ip link set keep1 address 02:00:00:00:00:09", /cannot be undone/],
    ["ip link show | grep keep", /not supported: shell operator "\|"/],
    ["nsenter -t 1 -n true", /"nsenter" is not a command hoptrace models/],
    [
      "iptables -A FORWARD -j DROP",
      /"iptables" runs in the simulator but not in a host replay, which runs only ip,/,
    ],
    ["ip neigh add 10.9.0.2 dev keep0 proxy 10.9.0.3", /not supported: ip neigh proxy entries/],
  ] as const)("rejects %s", ([line, message]) => {
    const plan = (): unknown => planHostReplay(`ip netns add ok\n${line}\n`, existingHost());

    expect(plan).toThrow(HostReplayRejected);
    expect(plan).toThrow(message);
    expect(plan).toThrow(/^line 2 /);
  });
});
