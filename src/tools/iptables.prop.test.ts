import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  anyIptablesLine,
  filterChain,
  filterRule,
  natPostroutingRule,
} from "../../test/arbitraries/iptables.js";
import type { Table } from "../netfilter/ruleset.js";
import { blankHost, runLine, runScript } from "../script/run.js";

/** Runs `lines` on a blank host and returns the state after the last one. */
function applyAll(lines: readonly string[]) {
  return runScript(`${lines.join("\n")}\n`);
}

/** Returns what `iptables -S` and `iptables -t nat -S` print. */
function listRules(result: ReturnType<typeof applyAll>): string {
  return runScript("iptables -S\niptables -t nat -S\n", { from: result.state }).transcript;
}

/** Returns a copy of `table` without the chains' policy-counter flags. */
function withoutPolicyCounters(table: Table | undefined): Table | undefined {
  if (table === undefined) return undefined;
  const chains = Object.fromEntries(
    Object.entries(table.chains).map(([name, chain]) => {
      const { hasPolicyCounters: _, ...rest } = chain;
      return [name, rest];
    }),
  );
  return { ...table, chains };
}

/** Turns `iptables -S` output back into commands: `-P`/`-N` first, then the rules. */
function rebuildLines(listing: string, table: string): string[] {
  return listing
    .split("\n")
    .filter((line) => line.startsWith("-"))
    .map((line) => `iptables -t ${table} ${line}`);
}

describe("iptables -S", () => {
  it("rebuilds an identical ruleset when fed back", () => {
    const filterLine = fc
      .tuple(filterChain, filterRule)
      .map(([chain, rule]) => `iptables -A ${chain} ${rule}`);
    const natLine = natPostroutingRule.map((rule) => `iptables -t nat -A POSTROUTING ${rule}`);
    const setup = fc.array(fc.oneof(filterLine, natLine), { maxLength: 12 });
    const policy = fc.constantFrom("ACCEPT", "DROP");
    fc.assert(
      fc.property(setup, policy, (lines, forward) => {
        const original = applyAll(["iptables -N USER", `iptables -P FORWARD ${forward}`, ...lines]);
        const filter = runLine(original.state, "iptables -S").output;
        const nat = runLine(original.state, "iptables -t nat -S").output;

        const rebuilt = applyAll([...rebuildLines(filter, "filter"), ...rebuildLines(nat, "nat")]);

        expect(rebuilt.lines.filter((line) => line.exitCode !== 0)).toEqual([]);
        expect(listRules(rebuilt)).toBe(listRules(original));
        // Replaying `-P` lines attaches policy counters that chains created by `-A` lack.
        expect(
          withoutPolicyCounters(rebuilt.state.namespaces[0]!.netfilter?.tables.filter),
        ).toEqual(withoutPolicyCounters(original.state.namespaces[0]!.netfilter?.tables.filter));
      }),
      { numRuns: 150 },
    );
  });
});

describe("iptables failures", () => {
  it("leave the state untouched", () => {
    fc.assert(
      fc.property(fc.array(anyIptablesLine, { minLength: 1, maxLength: 15 }), (lines) => {
        let state = blankHost();
        for (const line of lines) {
          const result = runLine(state, line);
          if (result.exitCode !== 0) expect(result.state, line).toBe(state);
          state = result.state;
        }
      }),
      { numRuns: 200 },
    );
  });

  it("happen in the generated lines", () => {
    // The law above is only meaningful if the generator produces failing lines.
    const samples = fc.sample(fc.array(anyIptablesLine, { minLength: 10, maxLength: 10 }), 20);
    const exits = samples.flatMap((lines) => applyAll(lines).lines.map((line) => line.exitCode));
    expect(exits.filter((code) => code !== 0).length).toBeGreaterThan(20);
    expect(exits.filter((code) => code === 0).length).toBeGreaterThan(20);
  });
});
