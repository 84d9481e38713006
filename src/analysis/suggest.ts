/**
 * Fix suggestions for a dropped probe: a bounded search over small edits of the network (see
 * `fix-candidates.ts`), each proven by re-simulating the edited network and probing again.
 *
 * The search tries every candidate alone, then every pair of candidates that did not work alone,
 * on a copy of the network's final state. Each fix it keeps is then checked once more by running
 * the whole script with the fix appended (`extend`), so a suggestion is exactly what a user
 * pasting the commands after the script would see.
 */
import { HoptraceError } from "../errors.js";
import type { FixCandidate, FixKind } from "./fix-candidates.js";
import { fixCandidates } from "./fix-candidates.js";
import type { Network } from "./network.js";
import { extend, network } from "./network.js";
import type { Probe, Trace } from "./probe.js";
import { trace } from "./trace.js";

/** A fix the search found: commands that make the probe reachable, and the proof. */
export interface Suggestion {
  /** The commands to append to the network's script, in order. */
  commands: string[];
  /** The kind of each candidate the fix combines, one or two. */
  kinds: FixKind[];
  /** The probe's trace in the network with the commands appended; its verdict is `reachable`. */
  trace: Trace;
}

/** Bounds of the search. */
export interface SuggestOptions {
  /** How many candidate edits the search considers, 40 when absent; pairs grow with its square. */
  maxCandidates?: number;
  /** How many suggestions to return, 5 when absent. */
  maxSuggestions?: number;
}

/**
 * Searches small edits of `net` that make `probe` reachable and returns them, fewest commands
 * first; among fixes of equal length, single edits come before pairs and earlier kinds of
 * {@link FixKind} before later ones. Returns an empty list when the probe is already reachable
 * or nothing within the bounds works. A pair is never returned when one of its edits works
 * alone. Throws like `trace` for an unknown namespace, a malformed address or a missing port.
 */
export function suggestFixes(
  net: Network,
  probe: Probe,
  options: SuggestOptions = {},
): Suggestion[] {
  const before = trace(net, probe);
  if (before.verdict === "reachable") return [];
  const candidates = fixCandidates(net, before).slice(0, options.maxCandidates ?? 40);

  const fixes: FixCandidate[][] = [];
  const outcomes = new Map<string, "fixed" | "dropped" | "failed">();
  /** Tries `fix` once, remembering its outcome, and keeps it when it works. */
  const attempt = (fix: FixCandidate[]): "fixed" | "dropped" | "failed" => {
    const key = scriptOf(fix);
    let outcome = outcomes.get(key);
    if (outcome !== undefined) return outcome;
    outcome = tryEdit(net, probe, fix);
    outcomes.set(key, outcome);
    if (outcome === "fixed") fixes.push(fix);
    return outcome;
  };
  const usable = candidates.filter((candidate) => attempt([candidate]) === "dropped");
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) attempt([usable[i]!, usable[j]!]);
  }
  // The second edit of a pair may only show once the first moved the drop, such as a missing
  // route back that the request never reached before: look for it past each first edit. A
  // second edit that works alone is a single fix, never half of a pair.
  for (const first of usable) {
    for (const second of nextCandidates(net, probe, first, options.maxCandidates ?? 40)) {
      if (attempt([second]) === "dropped") attempt([first, second]);
    }
  }

  // Fewest commands first, then single edits before pairs; the sort is stable, so the kind
  // order stays among equals.
  fixes.sort((a, b) => commandsOf(a).length - commandsOf(b).length || a.length - b.length);
  const limit = options.maxSuggestions ?? 5;
  const proven: Suggestion[] = [];
  for (const fix of fixes) {
    if (proven.length >= limit) break;
    // A fix that repeats all commands of a proven one, in any order, adds nothing but commands
    // that are not needed.
    const commands = new Set(commandsOf(fix));
    if (proven.some((shorter) => shorter.commands.every((command) => commands.has(command)))) {
      continue;
    }
    const suggestion = prove(net, probe, fix);
    if (suggestion !== undefined) proven.push(suggestion);
  }
  return proven;
}

/** Returns the candidate edits of where `probe` fails once `first` is applied to `net`. */
function nextCandidates(
  net: Network,
  probe: Probe,
  first: FixCandidate,
  limit: number,
): FixCandidate[] {
  try {
    const edited = network(scriptOf([first]), { from: net.state });
    return fixCandidates(edited, trace(edited, probe)).slice(0, limit);
  } catch (error) {
    if (error instanceof HoptraceError) return [];
    throw error;
  }
}

function commandsOf(fix: readonly FixCandidate[]): string[] {
  return fix.flatMap((candidate) => candidate.commands);
}

function scriptOf(fix: readonly FixCandidate[]): string {
  return `${commandsOf(fix).join("\n")}\n`;
}

/**
 * Applies `fix` to a copy of the final state and probes again. Returns `failed` when a command
 * of the fix fails, such as a route that already exists.
 */
function tryEdit(
  net: Network,
  probe: Probe,
  fix: readonly FixCandidate[],
): "fixed" | "dropped" | "failed" {
  try {
    const edited = network(scriptOf(fix), { from: net.state });
    return trace(edited, probe).verdict === "reachable" ? "fixed" : "dropped";
  } catch (error) {
    if (error instanceof HoptraceError) return "failed";
    throw error;
  }
}

/** Re-runs the whole script with `fix` appended; returns the suggestion if the probe passes. */
function prove(net: Network, probe: Probe, fix: readonly FixCandidate[]): Suggestion | undefined {
  let after: Trace;
  try {
    after = trace(extend(net, scriptOf(fix)), probe);
  } catch (error) {
    if (error instanceof HoptraceError) return undefined;
    throw error;
  }
  if (after.verdict !== "reachable") return undefined;
  return { commands: commandsOf(fix), kinds: fix.map((candidate) => candidate.kind), trace: after };
}

/** Returns the lines that present `suggestions` under a failed probe, indented by `indent`. */
export function formatSuggestions(suggestions: readonly Suggestion[], indent = "  "): string[] {
  if (suggestions.length === 0) return [`${indent}no fix found among the candidate edits`];
  return suggestions.flatMap((suggestion, index) => [
    `${indent}fix ${index + 1} (${suggestion.kinds.join(" + ")}):`,
    ...suggestion.commands.map((command) => `${indent}  ${command}`),
  ]);
}
