import { describe, expect, it } from "vitest";
import { IptablesError, NftBatchError } from "./nft-error.js";
import { appendRule, deleteChain, newChain, renameChain, setPolicy } from "./ops.js";
import { createRuleset } from "./ruleset.js";
import type { RuleSpec } from "./ruleset.js";

function jump(chain: string, isGoto = false): RuleSpec {
  return { matches: [], target: { kind: "jump", chain, isGoto } };
}

describe("ruleset operations", () => {
  it("create the table on the first write only", () => {
    const ruleset = createRuleset();

    newChain(ruleset, "nat", "DOCKER");

    expect(Object.keys(ruleset.tables)).toEqual(["nat"]);
    expect(Object.keys(ruleset.tables.nat!.chains)).toEqual([
      "PREROUTING",
      "INPUT",
      "OUTPUT",
      "POSTROUTING",
      "DOCKER",
    ]);
  });

  it("refuse a loop reachable from a built-in chain", () => {
    const ruleset = createRuleset();
    newChain(ruleset, "filter", "A");
    newChain(ruleset, "filter", "B");
    appendRule(ruleset, "filter", "A", jump("B"));
    appendRule(ruleset, "filter", "B", jump("A", true));

    const attempt = () => appendRule(ruleset, "filter", "INPUT", jump("A"));

    expect(attempt).toThrow(NftBatchError);
    expect(attempt).toThrow("RULE_APPEND failed (Too many links): rule in chain INPUT");
  });

  it("check NAT targets against the hooks that reach them", () => {
    const ruleset = createRuleset();
    newChain(ruleset, "nat", "M");
    appendRule(ruleset, "nat", "M", {
      matches: [],
      target: { kind: "MASQUERADE", isRandom: false, isRandomFully: false },
    });
    appendRule(ruleset, "nat", "POSTROUTING", jump("M"));

    expect(() => appendRule(ruleset, "nat", "PREROUTING", jump("M"))).toThrow(
      "RULE_APPEND failed (Invalid argument): rule in chain PREROUTING",
    );
  });

  it("report the first busy chain in creation order when deleting all", () => {
    const ruleset = createRuleset();
    newChain(ruleset, "filter", "Z");
    newChain(ruleset, "filter", "A");
    appendRule(ruleset, "filter", "A", jump("Z"));

    expect(() => deleteChain(ruleset, "filter")).toThrow(
      "CHAIN_DEL failed (Device or resource busy): chain Z",
    );
  });

  it("rename a chain and the jumps to it", () => {
    const ruleset = createRuleset();
    newChain(ruleset, "filter", "OLD");
    appendRule(ruleset, "filter", "FORWARD", jump("OLD"));

    renameChain(ruleset, "filter", "OLD", "NEW");

    expect(ruleset.tables.filter!.chains.NEW).toBeDefined();
    expect(ruleset.tables.filter!.chains.FORWARD!.rules[0]!.spec.target).toEqual({
      kind: "jump",
      chain: "NEW",
      isGoto: false,
    });
  });

  it("refuse a policy on a user chain or other than ACCEPT and DROP", () => {
    const ruleset = createRuleset();
    newChain(ruleset, "filter", "U");

    expect(() => setPolicy(ruleset, "filter", "U", "DROP")).toThrow(
      "iptables: Bad built-in chain name.",
    );
    expect(() => setPolicy(ruleset, "filter", "INPUT", "REJECT")).toThrow(IptablesError);
    expect(() => setPolicy(ruleset, "filter", "INPUT", "REJECT")).toThrow(
      "iptables: Bad policy name. Run `dmesg' for more information.",
    );
  });
});
