import { describe, expect, it } from "vitest";
import { parseIp4Strict } from "../addr/ip4.js";
import { runScript } from "../script/run.js";
import type { NfPacket } from "./evaluate.js";
import { addCounters, evaluate } from "./evaluate.js";
import type { Ruleset } from "./ruleset.js";

/** Builds a ruleset with iptables commands, which reads better than hand-made specs. */
function rulesetOf(...commands: string[]): Ruleset {
  const result = runScript(`${commands.join("\n")}\n`);
  const failed = result.lines.find((line) => line.exitCode !== 0);
  if (failed !== undefined) throw new Error(`${failed.command}: ${failed.output}`);
  return result.state.namespaces[0]!.netfilter!;
}

function ip(text: string): number {
  return parseIp4Strict(text)!;
}

/** An ICMP echo request from 10.0.0.2 to 10.0.1.2 arriving on eth0, leaving by eth1. */
const ping: NfPacket = {
  inLink: "eth0",
  outLink: "eth1",
  src: ip("10.0.0.2"),
  dst: ip("10.0.1.2"),
  proto: 1,
  icmpType: 8,
  icmpCode: 0,
  ctState: "NEW",
  length: 84,
};

/** A TCP SYN from 10.0.0.2:40000 to 10.0.1.2:80. */
const syn: NfPacket = {
  ...ping,
  proto: 6,
  icmpType: undefined,
  icmpCode: undefined,
  sport: 40000,
  dport: 80,
  length: 60,
};

describe("evaluate", () => {
  it("accepts with no decider when the table does not exist", () => {
    const result = evaluate(undefined, "filter", "FORWARD", ping);

    expect(result.verdict).toEqual({ kind: "ACCEPT" });
    expect(result.decidedBy).toBeUndefined();
    expect(result.hits).toEqual([]);
  });

  it("applies the policy when no rule matches", () => {
    const ruleset = rulesetOf("iptables -P FORWARD DROP", "iptables -A FORWARD -p tcp -j ACCEPT");

    const result = evaluate(ruleset, "filter", "FORWARD", ping);

    expect(result.verdict).toEqual({ kind: "DROP" });
    expect(result.decidedBy).toEqual({
      table: "filter",
      chain: "FORWARD",
      text: "-P FORWARD DROP",
    });
    expect(result.hits).toEqual([{ table: "filter", chain: "FORWARD", bytes: 84 }]);
  });

  it("names the deciding rule as iptables -S prints it", () => {
    const ruleset = rulesetOf(
      "iptables -A FORWARD -i eth0 -o eth1 -p icmp --icmp-type echo-request -j DROP",
    );

    const result = evaluate(ruleset, "filter", "FORWARD", ping);

    expect(result.verdict).toEqual({ kind: "DROP" });
    expect(result.decidedBy).toEqual({
      table: "filter",
      chain: "FORWARD",
      ruleNumber: 1,
      text: "-A FORWARD -i eth0 -o eth1 -p icmp -m icmp --icmp-type 8 -j DROP",
    });
  });

  it("returns from a user chain and counts every matching rule", () => {
    const ruleset = rulesetOf(
      "iptables -N USER",
      "iptables -A USER -s 10.0.0.0/24 -j LOG",
      "iptables -A USER -j RETURN",
      "iptables -A USER -j DROP",
      "iptables -A FORWARD -j USER",
      "iptables -A FORWARD -j REJECT --reject-with icmp-host-prohibited",
    );

    const result = evaluate(ruleset, "filter", "FORWARD", ping);

    expect(result.verdict).toEqual({ kind: "REJECT", with: "icmp-host-prohibited" });
    expect(result.hits.map((hit) => `${hit.chain}:${hit.ruleNumber}`)).toEqual([
      "FORWARD:1",
      "USER:1",
      "USER:2",
      "FORWARD:2",
    ]);
    expect(result.logs.map((log) => log.text)).toEqual(["-A USER -s 10.0.0.0/24 -j LOG"]);
  });

  it("does not come back from a goto", () => {
    const ruleset = rulesetOf(
      "iptables -N GONE",
      "iptables -N CALLER",
      "iptables -A GONE -j RETURN",
      "iptables -A CALLER -g GONE",
      "iptables -A CALLER -j DROP",
      "iptables -A FORWARD -j CALLER",
      "iptables -A FORWARD -j REJECT",
    );

    const result = evaluate(ruleset, "filter", "FORWARD", ping);

    // RETURN in GONE goes back to FORWARD, skipping the DROP after the goto in CALLER.
    expect(result.verdict).toEqual({ kind: "REJECT", with: "icmp-port-unreachable" });
    expect(result.decidedBy?.ruleNumber).toBe(2);
  });

  it("applies the policy on RETURN in a built-in chain", () => {
    const ruleset = rulesetOf(
      "iptables -P INPUT DROP",
      "iptables -A INPUT -j RETURN",
      "iptables -A INPUT -j ACCEPT",
    );

    const result = evaluate(ruleset, "filter", "INPUT", ping);

    expect(result.verdict).toEqual({ kind: "DROP" });
    expect(result.decidedBy?.ruleNumber).toBeUndefined();
  });

  it("returns NAT targets as verdicts", () => {
    const ruleset = rulesetOf(
      "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o eth0 -j MASQUERADE",
      "iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 172.18.0.2:8080",
    );

    const post = evaluate(ruleset, "nat", "POSTROUTING", ping);
    const pre = evaluate(ruleset, "nat", "PREROUTING", syn);

    expect(post.verdict).toEqual({ kind: "MASQUERADE", isRandom: false, isRandomFully: false });
    expect(pre.verdict).toEqual({
      kind: "DNAT",
      range: { minAddr: ip("172.18.0.2"), maxAddr: ip("172.18.0.2"), minPort: 8080, maxPort: 8080 },
      isRandom: false,
      isRandomFully: false,
      isPersistent: false,
    });
  });
});

describe("evaluate matches", () => {
  /** Returns the verdict of FORWARD with one ACCEPT rule `rule` and policy DROP. */
  function verdictOf(rule: string, packet: NfPacket): string {
    const ruleset = rulesetOf("iptables -P FORWARD DROP", `iptables -A FORWARD ${rule} -j ACCEPT`);
    return evaluate(ruleset, "filter", "FORWARD", packet).verdict.kind;
  }

  it.for([
    ["-s 10.0.0.0/24", "ACCEPT", ping],
    ["! -s 10.0.0.0/24", "DROP", ping],
    ["-d 10.0.1.2", "ACCEPT", ping],
    ["-s 10.0.0.0/255.0.255.0", "ACCEPT", ping],
    ["-i eth+", "ACCEPT", ping],
    ["-i eth1", "DROP", ping],
    ["! -o eth1", "DROP", ping],
    ["-p icmp", "ACCEPT", ping],
    ["! -p icmp", "DROP", ping],
    ["-p icmp --icmp-type echo-reply", "DROP", ping],
    ["-p icmp --icmp-type any", "ACCEPT", ping],
    ["-p icmp ! --icmp-type 0", "ACCEPT", ping],
    ["-p tcp --dport 80", "ACCEPT", syn],
    ["-p tcp --dport 81:90", "DROP", syn],
    ["-p tcp ! --sport 1:1023", "ACCEPT", syn],
    ["-p udp --dport 80", "DROP", syn],
    ["-p tcp -m multiport --dports 22,80", "ACCEPT", syn],
    ["-p tcp -m multiport --ports 40000", "ACCEPT", syn],
    ["-p tcp -m multiport ! --dports 80", "DROP", syn],
    ["-m conntrack --ctstate NEW", "ACCEPT", ping],
    ["-m conntrack --ctstate RELATED,ESTABLISHED", "DROP", ping],
    ["-m state ! --state ESTABLISHED", "ACCEPT", ping],
    ["-m conntrack --ctstate DNAT", "ACCEPT", { ...ping, ctNat: { isSnat: false, isDnat: true } }],
    ["-m physdev --physdev-in veth0", "DROP", ping],
    ["-m physdev ! --physdev-in veth0", "ACCEPT", ping],
    ["-m physdev --physdev-in veth0", "ACCEPT", { ...ping, physIn: "veth0", physOut: "veth1" }],
    ["-m physdev --physdev-is-bridged", "ACCEPT", { ...ping, physIn: "veth0", physOut: "veth1" }],
    ["-m addrtype --dst-type LOCAL", "ACCEPT", { ...ping, dstType: "LOCAL" }],
    ["-m addrtype ! --dst-type LOCAL", "DROP", { ...ping, dstType: "LOCAL" }],
    ["-m comment --comment note", "ACCEPT", ping],
  ] as const)("%s gives %s", ([rule, verdict, packet]) => {
    expect(verdictOf(rule, packet)).toBe(verdict);
  });

  it("asks for the address type when addrtype needs it", () => {
    expect(() => verdictOf("-m addrtype --dst-type LOCAL", ping)).toThrow(/dstType/);
  });
});

describe("addCounters", () => {
  it("adds one packet and its bytes per hit", () => {
    const ruleset = rulesetOf("iptables -P FORWARD DROP", "iptables -A FORWARD -p icmp -j LOG");
    const result = evaluate(ruleset, "filter", "FORWARD", ping);
    const copy = structuredClone(ruleset);

    addCounters(copy, result.hits);
    addCounters(copy, result.hits);

    const chain = copy.tables.filter!.chains.FORWARD!;
    expect(chain.rules[0]!.counters).toEqual({ packets: 2, bytes: 168 });
    expect(chain.counters).toEqual({ packets: 2, bytes: 168 });
  });
});
