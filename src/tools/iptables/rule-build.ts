/**
 * The last steps of turning a parsed command line into rule specs: repeated tcp and udp matches
 * merged as iptables-nft reads them back, and unused fields dropped so equal rules compare
 * equal.
 *
 * Source of truth: transcripts of iptables 1.8.9 (nf_tables) on Linux 6.18, where
 * `-m tcp --dport 1 -m tcp --sport 2` lists as one match `-m tcp --sport 2 --dport 1`.
 */
import type { Match } from "../../netfilter/match.js";
import type { RuleSpec } from "../../netfilter/ruleset.js";

/**
 * Merges repeated tcp or udp matches into the first of their kind, as iptables-nft does: it
 * stores their port tests as native nf_tables expressions and reads them back as one match.
 */
export function mergePortMatches(matches: Match[]): Match[] {
  const merged: Match[] = [];
  for (const match of matches) {
    const first = merged.find((earlier) => earlier.kind === match.kind);
    if ((match.kind !== "tcp" && match.kind !== "udp") || first === undefined) {
      merged.push(match);
      continue;
    }
    const into = first as typeof match;
    if (match.sport !== undefined) into.sport = match.sport;
    if (match.dport !== undefined) into.dport = match.dport;
  }
  return merged;
}

/** Drops the fields a spec does not use, so that equal rules compare equal. */
export function compact(spec: RuleSpec): RuleSpec {
  const result: RuleSpec = { matches: spec.matches };
  if (spec.src !== undefined) result.src = spec.src;
  if (spec.dst !== undefined) result.dst = spec.dst;
  if (spec.inIface !== undefined) result.inIface = spec.inIface;
  if (spec.outIface !== undefined) result.outIface = spec.outIface;
  if (spec.proto !== undefined) result.proto = spec.proto;
  if (spec.target !== undefined) result.target = spec.target;
  return result;
}
