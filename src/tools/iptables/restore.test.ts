// Expected texts come from iptables-restore 1.8.9 (nf_tables) recorded on Linux 6.18.
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { createRuleset } from "../../netfilter/ruleset.js";
import type { Ruleset } from "../../netfilter/ruleset.js";
import { listedChains } from "../../netfilter/ruleset.js";
import { ruleLines } from "./listing.js";
import { restoreRuleset } from "./restore.js";

const plain = { isNoflush: false, hasCounters: false };

function restore(input: string, options = plain, from: Ruleset = createRuleset()): Ruleset {
  return produce(from, (draft) => restoreRuleset(draft, input, options));
}

function rulesOf(ruleset: Ruleset, isVerbose = false): string[] {
  return ruleLines(listedChains(ruleset.tables.filter!), isVerbose);
}

function errorOf(input: string, options = plain): { message: string; exitCode: number } {
  try {
    restore(input, options);
  } catch (error) {
    const failure = error as { message: string; exitCode: number };
    return { message: failure.message, exitCode: failure.exitCode };
  }
  throw new Error("restore did not fail");
}

const saved = [
  "*filter",
  ":INPUT DROP [123456:987654321]",
  ":FORWARD ACCEPT [99999:99999]",
  ":OUTPUT ACCEPT [100000:100000]",
  ":U - [0:0]",
  "[1:2] -A INPUT -j ACCEPT",
  "[999999:9999999] -A INPUT -j DROP",
  "[10000000:10000000000] -A INPUT -j U",
  "[99999999999:999999999999999] -A U -j RETURN",
  "COMMIT",
  "",
].join("\n");

describe("restoreRuleset", () => {
  it("takes counters with -c", () => {
    const ruleset = restore(saved, { isNoflush: false, hasCounters: true });

    expect(rulesOf(ruleset, true)).toEqual([
      "-P INPUT DROP -c 123456 987654321",
      "-P FORWARD ACCEPT -c 99999 99999",
      "-P OUTPUT ACCEPT -c 100000 100000",
      "-N U",
      "-A INPUT -c 1 2 -j ACCEPT",
      "-A INPUT -c 999999 9999999 -j DROP",
      "-A INPUT -c 10000000 10000000000 -j U",
      "-A U -c 99999999999 999999999999999 -j RETURN",
    ]);
  });

  it("starts each named table afresh without --noflush", () => {
    const first = restore(saved);

    const second = restore("*filter\n-A INPUT -j LOG\nCOMMIT\n", plain, first);

    expect(rulesOf(second)).toEqual([
      "-P INPUT ACCEPT",
      "-P FORWARD ACCEPT",
      "-P OUTPUT ACCEPT",
      "-A INPUT -j LOG",
    ]);
  });

  it("adds to the tables with --noflush", () => {
    const first = restore("*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n");

    const second = restore(
      "*filter\n-A INPUT -j LOG\nCOMMIT\n",
      { isNoflush: true, hasCounters: false },
      first,
    );

    expect(rulesOf(second)).toEqual([
      "-P INPUT DROP",
      "-P FORWARD ACCEPT",
      "-P OUTPUT ACCEPT",
      "-A INPUT -j ACCEPT",
      "-A INPUT -j LOG",
    ]);
  });

  it("runs iptables commands inside a block", () => {
    const ruleset = restore("*filter\n-N X\n-P FORWARD DROP\n-I INPUT -j X\nCOMMIT\n");

    expect(rulesOf(ruleset)).toEqual([
      "-P INPUT ACCEPT",
      "-P FORWARD DROP",
      "-P OUTPUT ACCEPT",
      "-N X",
      "-A INPUT -j X",
    ]);
  });

  it("reads quoted arguments and comments", () => {
    const input =
      '# comment\n\n*filter\n-A INPUT -p tcp --dport 22 -m comment --comment "x y" -j ACCEPT\nCOMMIT\n';

    const ruleset = restore(input);

    expect(rulesOf(ruleset).at(-1)).toBe(
      '-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "x y" -j ACCEPT',
    );
  });

  it.for([
    [
      "a missing jump chain, at the COMMIT line",
      "*filter\n-A INPUT -j ACCEPT\n-A INPUT -j NOPE\nCOMMIT\n",
      "iptables-restore v1.8.9 (nf_tables): Chain 'NOPE' does not exist\nError occurred at line: 4\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.",
      2,
    ],
    [
      "a missing COMMIT",
      "*filter\n-A INPUT -j ACCEPT\n",
      "iptables-restore: COMMIT expected at line 3",
      1,
    ],
    [
      "an unknown table",
      "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nope\nCOMMIT\n",
      "iptables-restore v1.8.9 (nf_tables): iptables-restore: line 4 table name 'nope' invalid\nError occurred at line: 4\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.",
      2,
    ],
    [
      "a rule outside a table",
      "-A INPUT -j ACCEPT\nCOMMIT\n",
      "iptables-restore: line 1 failed",
      1,
    ],
    [
      "a bad policy",
      "*filter\n:INPUT BOGUS [0:0]\nCOMMIT\n",
      "iptables-restore: line 2 failed: Bad policy name.",
      1,
    ],
    [
      "a bad address",
      "*filter\n-A INPUT -s 10.0.0.300 -j ACCEPT\nCOMMIT\n",
      "iptables-restore v1.8.9 (nf_tables): host/network `10.0.0.300' not found\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.",
      2,
    ],
    [
      "a stray word",
      "*filter\n-A INPUT -j ACCEPT bogus\nCOMMIT\n",
      "Bad argument `bogus'\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.",
      2,
    ],
    [
      "a deletion index too big",
      "*filter\n-D INPUT 5\nCOMMIT\n",
      "iptables-restore: line 2 failed: Index of deletion too big.",
      1,
    ],
  ] as const)("rejects %s", ([, input, message, exitCode]) => {
    const error = errorOf(input);

    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(exitCode);
  });

  it("accepts a user chain declared twice", () => {
    const ruleset = restore("*filter\n:NEW - [0:0]\n:NEW - [0:0]\nCOMMIT\n");

    expect(rulesOf(ruleset)).toContain("-N NEW");
  });
});
