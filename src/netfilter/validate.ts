/**
 * The checks the kernel makes when a batch adds or replaces a rule, which iptables reports as
 * `RULE_APPEND failed (ERRNO): rule in chain X`.
 *
 * Source of truth: transcripts of iptables 1.8.9 (nf_tables) on Linux 6.18, and the rules behind
 * them in net/netfilter/nf_tables_api.c (`nf_tables_check_loops`, chain validation per hook) and
 * the NAT and reject expressions (net/netfilter/nft_nat.c, nft_reject.c, nft_masq.c):
 * - an inverted match on a /0 address, an ICMP match without `-p icmp`, and tcp-reset without
 *   `-p tcp` are invalid (EINVAL);
 * - NAT targets live only in the nat table and REJECT only in the filter table (EINVAL);
 * - a jump to a built-in chain fails (ENOENT, or EOPNOTSUPP when it jumps to its own chain);
 * - a loop of jumps reachable from a built-in chain fails (EMLINK, "Too many links");
 * - in the nat table, DNAT only runs in chains reachable from PREROUTING or OUTPUT, SNAT from
 *   POSTROUTING or INPUT, MASQUERADE from POSTROUTING (EINVAL). A user chain that no built-in
 *   chain reaches is not checked until something jumps to it.
 */
import type { BatchOp } from "./nft-error.js";
import { NftBatchError } from "./nft-error.js";
import type { Hook, RuleSpec, Table } from "./ruleset.js";
import { BUILTIN_CHAINS, isBuiltin } from "./ruleset.js";

/** The hooks each NAT target may run at. */
const NAT_HOOKS: Readonly<Record<"SNAT" | "DNAT" | "MASQUERADE", readonly Hook[]>> = {
  SNAT: ["POSTROUTING", "INPUT"],
  DNAT: ["PREROUTING", "OUTPUT"],
  MASQUERADE: ["POSTROUTING"],
};

/**
 * Checks a rule on its own, before it joins chain `chain` of `table`.
 *
 * @throws NftBatchError naming `op` and the chain when the kernel would refuse the rule.
 */
export function validateRule(table: Table, chain: string, spec: RuleSpec, op: BatchOp): void {
  const fail = (errno: "EINVAL" | "ENOENT" | "EOPNOTSUPP"): never => {
    throw new NftBatchError(op, errno, `rule in chain ${chain}`);
  };
  if (spec.src?.isInverted === true && spec.src.mask === 0) fail("EINVAL");
  if (spec.dst?.isInverted === true && spec.dst.mask === 0) fail("EINVAL");
  const proto = spec.proto?.isInverted === false ? spec.proto.number : undefined;
  if (spec.matches.some((match) => match.kind === "icmp") && proto !== 1) fail("EINVAL");
  const target = spec.target;
  if (target === undefined) return;
  if (target.kind === "REJECT" && target.with === "tcp-reset" && proto !== 6) fail("EINVAL");
  if (target.kind === "REJECT" && table.name !== "filter") fail("EINVAL");
  const isNat = target.kind === "SNAT" || target.kind === "DNAT" || target.kind === "MASQUERADE";
  if (isNat && table.name !== "nat") fail("EINVAL");
  if (target.kind === "jump" && isBuiltin(table.name, target.chain)) {
    fail(target.chain === chain ? "EOPNOTSUPP" : "ENOENT");
  }
  if (target.kind === "jump" && table.chains[target.chain] === undefined) fail("ENOENT");
}

/**
 * Checks the whole table after a change to chain `chain`: no loop reachable from a built-in
 * chain, and every NAT target at a hook that allows it.
 *
 * @throws NftBatchError naming `op` and the chain when the kernel would refuse the change.
 */
export function validateTable(table: Table, chain: string, op: BatchOp): void {
  for (const hook of BUILTIN_CHAINS[table.name]) {
    const problem = walk(table, hook, hook, []);
    if (problem !== undefined) throw new NftBatchError(op, problem, `rule in chain ${chain}`);
  }
}

/** Walks the chains reachable from `name`; returns the errno of the first problem found. */
function walk(
  table: Table,
  hook: Hook,
  name: string,
  path: string[],
): "EMLINK" | "EINVAL" | undefined {
  if (path.includes(name)) return "EMLINK";
  const chain = table.chains[name];
  if (chain === undefined) return undefined;
  for (const rule of chain.rules) {
    const target = rule.spec.target;
    if (target === undefined) continue;
    if (target.kind === "SNAT" || target.kind === "DNAT" || target.kind === "MASQUERADE") {
      if (!NAT_HOOKS[target.kind].includes(hook)) return "EINVAL";
    }
    if (target.kind !== "jump") continue;
    const problem = walk(table, hook, target.chain, [...path, name]);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
