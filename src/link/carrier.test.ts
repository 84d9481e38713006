import { describe, expect, it } from "vitest";
import type { Link, Netns, NetState } from "../netns/state.js";
import { HOST_NS, createNetns, createState, findLink } from "../netns/state.js";
import {
  createBridge,
  createVeth,
  moveLink,
  removeFromBridge,
  setAdminState,
  setLinkMac,
  setMaster,
} from "../netns/link-ops.js";
import { DAD_MS, isTentative } from "./addrconf.js";
import { hasCarrier, isPortForwarding, linkFlags, operState } from "./carrier.js";

function addNetns(state: NetState, name: string): Netns {
  const id = state.nextNsId++;
  state.namespaces[id] = createNetns(id, name);
  return state.namespaces[id]!;
}

function setup(): { state: NetState; host: Netns } {
  const state = createState();
  return { state, host: state.namespaces[HOST_NS]! };
}

function link(ns: Netns, name: string): Link {
  return findLink(ns, name)!;
}

describe("veth carrier", () => {
  it("has carrier only while both ends are up", () => {
    const { state, host } = setup();
    createVeth(state, host, "va", host, "vb");
    setAdminState(state, host, link(host, "va"), true);
    expect(hasCarrier(state, host, link(host, "va"))).toBe(false);

    setAdminState(state, host, link(host, "vb"), true);

    expect(hasCarrier(state, host, link(host, "va"))).toBe(true);
    expect(operState(state, host, link(host, "va"))).toBe("UP");
    expect(linkFlags(state, host, link(host, "va"))).toEqual([
      "BROADCAST",
      "MULTICAST",
      "UP",
      "LOWER_UP",
    ]);
  });

  it("is LOWERLAYERDOWN when the peer index names a link without carrier", () => {
    const { state, host } = setup();
    createVeth(state, host, "va", host, "vb");

    setAdminState(state, host, link(host, "va"), true);

    expect(operState(state, host, link(host, "va"))).toBe("LOWERLAYERDOWN");
    expect(linkFlags(state, host, link(host, "va"))).toEqual([
      "NO-CARRIER",
      "BROADCAST",
      "MULTICAST",
      "UP",
    ]);
  });

  it("is DOWN when the peer index equals its own", () => {
    const { state } = setup();
    const a = addNetns(state, "a");
    const b = addNetns(state, "b");
    createVeth(state, a, "eth0", b, "eth0");
    setAdminState(state, a, link(a, "eth0"), true);
    setAdminState(state, b, link(b, "eth0"), true);

    setAdminState(state, a, link(a, "eth0"), false);

    expect(link(b, "eth0").ifindex).toBe(link(a, "eth0").ifindex);
    expect(operState(state, b, link(b, "eth0"))).toBe("DOWN");
    expect(linkFlags(state, b, link(b, "eth0"))[0]).toBe("NO-CARRIER");
  });

  it("is DOWN when the peer index names a link with carrier", () => {
    const { state } = setup();
    const m2 = addNetns(state, "m2");
    const m3 = addNetns(state, "m3");
    createVeth(state, m3, "t", m3, "s");
    setAdminState(state, m3, link(m3, "t"), true);
    setAdminState(state, m3, link(m3, "s"), true);
    createVeth(state, m2, "p", m3, "q");

    setAdminState(state, m3, link(m3, "q"), true);

    expect(link(m2, "p").ifindex).toBe(link(m3, "s").ifindex);
    expect(operState(state, m3, link(m3, "q"))).toBe("DOWN");
  });

  it("keeps a stale state until its next carrier event", () => {
    const { state, host } = setup();
    const n = addNetns(state, "n");
    createVeth(state, host, "va", host, "vb");
    setAdminState(state, host, link(host, "va"), true);

    moveLink(state, host, link(host, "vb"), n);
    expect(operState(state, host, link(host, "va"))).toBe("LOWERLAYERDOWN");
    setAdminState(state, n, link(n, "vb"), true);
    setAdminState(state, n, link(n, "vb"), false);

    expect(operState(state, host, link(host, "va"))).toBe("DOWN");
  });

  it("flushes the link's neighbour entries when carrier goes", () => {
    const { state, host } = setup();
    createVeth(state, host, "va", host, "vb");
    setAdminState(state, host, link(host, "va"), true);
    setAdminState(state, host, link(host, "vb"), true);
    const ifindex = link(host, "va").ifindex;
    host.neigh.push(
      { ifindex, addr: 0x0a000002, state: "STALE", mac: "02:00:00:00:00:02" },
      { ifindex, addr: 0x0a000003, state: "PERMANENT", mac: "02:00:00:00:00:03" },
    );

    setAdminState(state, host, link(host, "vb"), false);

    expect(host.neigh.map((entry) => entry.state)).toEqual(["PERMANENT"]);
  });
});

describe("loopback carrier", () => {
  it("is UNKNOWN while up and DOWN while down", () => {
    const { state, host } = setup();
    const lo = link(host, "lo");
    expect(operState(state, host, lo)).toBe("DOWN");

    setAdminState(state, host, lo, true);

    expect(operState(state, host, lo)).toBe("UNKNOWN");
    expect(linkFlags(state, host, lo)).toEqual(["LOOPBACK", "UP", "LOWER_UP"]);
  });
});

describe("bridge carrier", () => {
  function bridgeWithPort(): { state: NetState; host: Netns; peerNs: Netns } {
    const { state, host } = setup();
    const peerNs = addNetns(state, "n1");
    createBridge(state, host, "br0");
    setAdminState(state, host, link(host, "br0"), true);
    createVeth(state, host, "p1", peerNs, "eth0");
    return { state, host, peerNs };
  }

  it("keeps its first carrier and stays UNKNOWN until it has a port", () => {
    const { state, host } = bridgeWithPort();
    const br0 = link(host, "br0");

    expect(operState(state, host, br0)).toBe("UNKNOWN");
    expect(hasCarrier(state, host, br0)).toBe(true);
  });

  it("loses carrier when a disabled port joins", () => {
    const { state, host } = bridgeWithPort();

    setMaster(state, host, link(host, "p1"), link(host, "br0"));

    expect(operState(state, host, link(host, "br0"))).toBe("DOWN");
    expect(linkFlags(state, host, link(host, "br0"))[0]).toBe("NO-CARRIER");
  });

  it("is UP once a port forwards", () => {
    const { state, host, peerNs } = bridgeWithPort();
    setMaster(state, host, link(host, "p1"), link(host, "br0"));

    setAdminState(state, host, link(host, "p1"), true);
    setAdminState(state, peerNs, link(peerNs, "eth0"), true);

    expect(isPortForwarding(state, host, link(host, "p1"))).toBe(true);
    expect(operState(state, host, link(host, "br0"))).toBe("UP");
  });

  it("disables its ports while it is down", () => {
    const { state, host, peerNs } = bridgeWithPort();
    setMaster(state, host, link(host, "p1"), link(host, "br0"));
    setAdminState(state, host, link(host, "p1"), true);
    setAdminState(state, peerNs, link(peerNs, "eth0"), true);

    setAdminState(state, host, link(host, "br0"), false);

    expect(isPortForwarding(state, host, link(host, "p1"))).toBe(false);
    expect(hasCarrier(state, peerNs, link(peerNs, "eth0"))).toBe(true);
  });

  it("takes the zero MAC and no carrier when its last port leaves", () => {
    const { state, host, peerNs } = bridgeWithPort();
    setMaster(state, host, link(host, "p1"), link(host, "br0"));
    setAdminState(state, host, link(host, "p1"), true);
    setAdminState(state, peerNs, link(peerNs, "eth0"), true);

    removeFromBridge(state, host, link(host, "p1"));

    expect(link(host, "br0").mac).toBe("00:00:00:00:00:00");
    expect(operState(state, host, link(host, "br0"))).toBe("DOWN");
  });

  it("loses carrier when its MAC is set by hand without ports", () => {
    const { state, host } = setup();
    createBridge(state, host, "br1");

    setLinkMac(state, host, link(host, "br1"), "02:00:00:00:00:10");
    setAdminState(state, host, link(host, "br1"), true);

    expect(operState(state, host, link(host, "br1"))).toBe("DOWN");
  });
});

describe("addrconf on carrier", () => {
  it("creates a tentative link-local address when carrier arrives", () => {
    const { state, host } = setup();
    createVeth(state, host, "va", host, "vb");
    setAdminState(state, host, link(host, "va"), true);
    expect(link(host, "va").linkLocal6).toBeUndefined();

    setAdminState(state, host, link(host, "vb"), true);

    expect(link(host, "va").linkLocal6).toMatch(/^fe80::/);
    expect(isTentative(state, link(host, "va"))).toBe(true);
    state.clock += DAD_MS;
    expect(isTentative(state, link(host, "va"))).toBe(false);
  });

  it("rejoins IPv4 groups before IPv6 ones when a link comes up again", () => {
    const { state, host } = setup();
    createVeth(state, host, "va", host, "vb");
    setAdminState(state, host, link(host, "vb"), true);
    setAdminState(state, host, link(host, "va"), true);
    expect(link(host, "va").mcast?.slice(0, 2)).toEqual(["33:33:00:00:00:01", "01:00:5e:00:00:01"]);

    setAdminState(state, host, link(host, "va"), false);
    expect(link(host, "va").mcast).toEqual([]);
    setAdminState(state, host, link(host, "va"), true);

    expect(link(host, "va").mcast?.slice(0, 2)).toEqual(["01:00:5e:00:00:01", "33:33:00:00:00:01"]);
  });
});
