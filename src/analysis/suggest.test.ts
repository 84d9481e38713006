import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extend, network, trace } from "../index.js";
import type { Network, Probe, Suggestion } from "../index.js";
import { fixCandidates } from "./fix-candidates.js";
import { suggestFixes } from "./suggest.js";

const STORY = readFileSync("scenarios/container-bridge.sh", "utf8");

/** Returns the story up to (not including) the first line that starts with `marker`. */
function storyBefore(marker: string): string {
  const at = STORY.indexOf(`\n${marker}`);
  expect(at).toBeGreaterThan(0);
  return STORY.slice(0, at + 1);
}

/** Asserts that appending the suggestion's commands to the script really makes the probe pass. */
function expectFixes(net: Network, probe: Probe, suggestion: Suggestion): void {
  const after = trace(extend(net, `${suggestion.commands.join("\n")}\n`), probe);
  expect(after.verdict).toBe("reachable");
}

/** Two namespaces joined by a router namespace `r`, each with a route to the other side. */
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
ip -n b route add default via 10.2.0.1
`;

describe("suggestFixes on the container-bridge story", () => {
  const net = network(STORY);
  const probe = { from: "ns1", to: "203.0.113.8" };

  it("pairs ip_forward with MASQUERADE", () => {
    const suggestions = suggestFixes(net, probe);
    expect(trace(net, probe).verdict).toBe("dropped");
    expect(suggestions[0]?.commands).toEqual([
      "sysctl -w net.ipv4.ip_forward=1",
      "iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE",
    ]);
    expect(suggestions[0]?.kinds).toEqual(["ip-forward", "masquerade"]);
    expectFixes(net, probe, suggestions[0]!);
  });

  it("does not offer forwarding alone", () => {
    const suggestions = suggestFixes(net, probe, { maxSuggestions: 100 });
    const alone = suggestions.filter((suggestion) => suggestion.commands.length === 1);
    expect(alone).toEqual([]);
    const forwarded = extend(net, "sysctl -w net.ipv4.ip_forward=1\n");
    expect(trace(forwarded, probe).decisive.reason).toBe("IP_INNOROUTES");
  });

  it("suggests the default route before it exists", () => {
    const before = network(storyBefore("ip netns exec ns1 ip route add default"));
    const toHost = { from: "ns1", to: "172.31.59.121" };
    const suggestions = suggestFixes(before, toHost);
    expect(suggestions[0]?.commands).toEqual([
      "ip netns exec ns1 ip route add default via 172.18.0.1",
    ]);
    expect(suggestions[0]?.kinds).toEqual(["default-route"]);
    expectFixes(before, toHost, suggestions[0]!);
  });

  it("returns nothing for a reachable probe", () => {
    expect(suggestFixes(net, { from: "ns1", to: "172.18.0.3" })).toEqual([]);
  });
});

describe("suggestFixes after a failed command", () => {
  it("still proves its fixes", () => {
    const failing = `${ROUTED}ip link add x type dummy\n`;
    const net = network(failing, { isStrict: false });
    const probe = { from: "a", to: "10.2.0.2" };

    const suggestions = suggestFixes(net, probe);

    expect(net.failures.map((failure) => failure.command)).toEqual(["ip link add x type dummy"]);
    expect(suggestions[0]?.commands).toEqual(["ip netns exec r sysctl -w net.ipv4.ip_forward=1"]);
  });
});

describe("suggestFixes per kind", () => {
  it("turns forwarding on in a router", () => {
    const net = network(ROUTED);
    const probe = { from: "a", to: "10.2.0.2" };
    expect(trace(net, probe).decisive.reason).toBe("IP_INADDRERRORS");
    const [first] = suggestFixes(net, probe);
    expect(first?.commands).toEqual(["ip netns exec r sysctl -w net.ipv4.ip_forward=1"]);
    expectFixes(net, probe, first!);
  });

  it("loosens rp_filter for an asymmetric reply", () => {
    const script = readFileSync("test/kernel/cases/rp-filter-reply.sh", "utf8");
    const strict = "ip netns exec a sysctl -w net.ipv4.conf.all.rp_filter=1\n";
    const net = network(script.slice(0, script.indexOf(strict) + strict.length));
    const probe = { from: "a", to: "10.0.2.2" };
    const before = trace(net, probe);
    expect(before.decisive.reason).toBe("IP_RPFILTER");
    expect(before.decisive.ns).toBe("a");
    expect(before.decisive.link).toBe("eth0");
    const suggestions = suggestFixes(net, probe);
    expect(suggestions[0]?.kinds).toEqual(["rp-filter"]);
    expect(suggestions[0]?.commands).toEqual([
      "ip netns exec a sysctl -w net.ipv4.conf.all.rp_filter=2",
      "ip netns exec a sysctl -w net.ipv4.conf.eth0.rp_filter=2",
    ]);
    expectFixes(net, probe, suggestions[0]!);
  });

  it("pairs the routes back when both ends lack a default route", () => {
    const net = network(
      `${ROUTED}ip netns exec r sysctl -qw net.ipv4.ip_forward=1\nip -n a route del default\nip -n b route del default\n`,
    );
    const probe = { from: "a", to: "10.2.0.2" };
    expect(trace(net, probe).isSent).toBe(false);

    const suggestions = suggestFixes(net, probe);

    expect(suggestions[0]?.kinds).toEqual(["default-route", "default-route"]);
    expect(suggestions[0]?.commands).toEqual([
      "ip netns exec a ip route add default via 10.1.0.1",
      "ip netns exec b ip route add default via 10.2.0.1",
    ]);
    expectFixes(net, probe, suggestions[0]!);
  });

  it("offers no fix that repeats a shorter one", () => {
    // The bridge has no address, so ns1's gateway is missing. The address alone fixes a ping of
    // it, and the bridge-address candidate that also adds a default route only repeats it.
    const net = network(`ip link add br0 type bridge
ip link set br0 up
ip netns add ns1
ip link add v1 type veth peer name eth0 netns ns1
ip link set v1 master br0
ip link set v1 up
ip -n ns1 addr add 172.18.0.2/24 dev eth0
ip -n ns1 link set eth0 up
`);
    const probe = { from: "ns1", to: "172.18.0.1" };

    const suggestions = suggestFixes(net, probe, { maxSuggestions: 100 });

    expect(suggestions[0]?.commands).toEqual(["ip addr add 172.18.0.1/24 dev br0"]);
    const sets = suggestions.map((suggestion) => new Set(suggestion.commands));
    sets.forEach((set, i) => {
      for (const earlier of sets.slice(0, i)) {
        expect(
          [...earlier].every((command) => set.has(command)),
          [...set].join("; "),
        ).toBe(false);
      }
    });
  });

  it("offers a pair once whichever edit comes first", () => {
    // ns1's port is down and the host does not forward: both edits are needed, and the search
    // meets the pair from each side.
    const net = network(`ip link add br0 type bridge
ip link set br0 up
ip addr add 172.18.0.1/24 dev br0
ip netns add ns1
ip link add v1 type veth peer name eth0 netns ns1
ip link set v1 master br0
ip -n ns1 addr add 172.18.0.2/24 dev eth0
ip -n ns1 link set eth0 up
ip netns add world
ip link add up0 type veth peer name eth0 netns world
ip addr add 198.51.100.1/24 dev up0
ip link set up0 up
ip -n world addr add 198.51.100.2/24 dev eth0
ip -n world link set eth0 up
ip -n world route add 172.18.0.0/24 via 198.51.100.1
ip -n ns1 route add default via 172.18.0.1
`);
    const probe = { from: "world", to: "172.18.0.2" };

    const suggestions = suggestFixes(net, probe, { maxSuggestions: 100 });

    const unordered = suggestions.map((suggestion) => [...suggestion.commands].sort().join("; "));
    expect(unordered).toContain("ip link set v1 up; sysctl -w net.ipv4.ip_forward=1");
    expect(new Set(unordered).size).toBe(unordered.length);
  });

  it("masquerades a subnet the far side cannot route back to", () => {
    const net = network(
      `${ROUTED}ip -n r sysctl -qw net.ipv4.ip_forward=1\nip -n b route del default\n`.replace(
        "ip -n r sysctl",
        "ip netns exec r sysctl",
      ),
    );
    const probe = { from: "a", to: "10.2.0.2" };
    expect(trace(net, probe).verdict).toBe("dropped");
    const suggestions = suggestFixes(net, probe);
    const masquerade = suggestions.find((suggestion) => suggestion.kinds[0] === "masquerade");
    expect(masquerade?.commands).toEqual([
      "ip netns exec r iptables -t nat -A POSTROUTING -s 10.1.0.0/24 ! -o ra -j MASQUERADE",
    ]);
    expectFixes(net, probe, masquerade!);
  });

  it("accepts forwarding where FORWARD drops", () => {
    const net = network(
      `${ROUTED}ip netns exec r sysctl -qw net.ipv4.ip_forward=1\nip netns exec r iptables -P FORWARD DROP\n`,
    );
    const probe = { from: "a", to: "10.2.0.2" };
    expect(trace(net, probe).decisive.reason).toBe("NETFILTER_DROP");
    const [first] = suggestFixes(net, probe);
    expect(first?.commands).toEqual([
      "ip netns exec r iptables -I FORWARD -i ra -j ACCEPT",
      "ip netns exec r iptables -I FORWARD -o ra -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    ]);
    expectFixes(net, probe, first!);
  });

  it("brings a down link up", () => {
    const net = network(`ip netns add a
ip link add v0 netns a type veth peer name v1
ip -n a addr add 10.0.0.1/24 dev v0
ip -n a link set v0 up
ip addr add 10.0.0.2/24 dev v1
`);
    const probe = { from: "a", to: "10.0.0.2" };
    expect(trace(net, probe).verdict).toBe("dropped");
    const [first] = suggestFixes(net, probe);
    expect(first?.commands).toEqual(["ip link set v1 up"]);
    expectFixes(net, probe, first!);
  });

  it("adds a default route via a gateway on the segment", () => {
    const net = network(
      `${ROUTED}ip netns exec r sysctl -qw net.ipv4.ip_forward=1\nip -n a route del default\n`,
    );
    const probe = { from: "a", to: "10.2.0.2" };
    expect(trace(net, probe).decisive.reason).toBe("IP_OUTNOROUTES");
    const [first] = suggestFixes(net, probe);
    expect(first?.commands).toEqual(["ip netns exec a ip route add default via 10.1.0.1"]);
    expectFixes(net, probe, first!);
  });

  it("addresses a bridge that has no gateway", () => {
    const net = network(`ip netns add a
ip link add br0 type bridge
ip link set br0 up
ip link add a0 netns a type veth peer name a0-br
ip link set a0-br master br0
ip link set a0-br up
ip -n a addr add 172.20.0.2/24 dev a0
ip -n a link set a0 up
ip addr add 192.0.2.1/32 dev lo
`);
    const probe = { from: "a", to: "192.0.2.1" };
    expect(trace(net, probe).decisive.reason).toBe("IP_OUTNOROUTES");
    const [first] = suggestFixes(net, probe);
    expect(first?.commands).toEqual([
      "ip addr add 172.20.0.1/24 dev br0",
      "ip netns exec a ip route add default via 172.20.0.1",
    ]);
    expect(first?.kinds).toEqual(["bridge-address"]);
    expectFixes(net, probe, first!);
  });
});

/** A host whose uplink eth0 carries a bridge-mode macvlan for the container namespace c. */
const MACVLAN = `ip netns add c
ip netns add lan
ip link add eth0 type veth peer name up0 netns lan
ip -n lan addr add 192.0.2.1/24 dev up0
ip -n lan link set up0 up
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 netns c
ip -n c addr add 192.0.2.11/24 dev m1
ip -n c link set m1 up
`;

describe("suggestFixes across a macvlan", () => {
  it("gives the host a macvlan of its own to reach a container", () => {
    const net = network(MACVLAN);
    const probe = { from: "host", to: "192.0.2.11" };
    expect(trace(net, probe).decisive.reason).toBe("NEIGH_FAILED");
    const [first] = suggestFixes(net, probe);
    expect(first?.kinds).toEqual(["macvlan-shim"]);
    expect(first?.commands).toEqual([
      "ip link add shim0 link eth0 type macvlan mode bridge",
      "ip addr add 192.0.2.10/32 dev shim0",
      "ip link set shim0 up",
      "ip route add 192.0.2.11/32 dev shim0",
    ]);
    expectFixes(net, probe, first!);
  });

  it("lets a container reach the host's address on the macvlan's link", () => {
    const net = network(MACVLAN);
    const probe = { from: "c", to: "192.0.2.10" };
    expect(trace(net, probe).verdict).not.toBe("reachable");
    const [first] = suggestFixes(net, probe);
    expect(first?.kinds).toEqual(["macvlan-shim"]);
    expect(first?.commands[0]).toBe("ip link add shim0 link eth0 type macvlan mode bridge");
    expectFixes(net, probe, first!);
  });
});

describe("suggestFixes for an address without a length", () => {
  it("gives the /32 its neighbour's prefix length", () => {
    const net = network(`ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
`);
    const probe = { from: "a", to: "10.0.0.2" };
    const found = trace(net, probe);
    expect(found.decisive.reason).toBe("IP_OUTNOROUTES");
    expect(found.decisive.message).toContain('"ip addr add 10.0.0.1/24 dev va"');
    const [first] = suggestFixes(net, probe);
    expect(first?.kinds).toEqual(["address-length"]);
    expect(first?.commands).toEqual(["ip netns exec a ip addr add 10.0.0.1/24 dev va"]);
    expectFixes(net, probe, first!);
  });
});

describe("fixCandidates", () => {
  it("offers MASQUERADE only on the sender's gateway", () => {
    const net = network(STORY);
    const candidates = fixCandidates(net, trace(net, { from: "ns1", to: "203.0.113.8" }));
    const masquerades = candidates.filter((candidate) => candidate.kind === "masquerade");
    expect(masquerades.map((candidate) => candidate.commands)).toEqual([
      ["iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE"],
    ]);
  });
});
