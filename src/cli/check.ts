/**
 * `hoptrace check [--preset NAME | --from SNAPSHOT] CHANGE.sh --expect FILE`: a pre-flight check of a change.
 * It builds the network the change script leaves behind, probes every expectation, prints one
 * line per expectation (and the trace of each violation), and exits 1 when an expectation is
 * violated or a command of the change fails, 0 otherwise.
 */
import {
  BAD_INPUT_STATUS,
  checkExpectations,
  expectationProbe,
  parseExpectations,
} from "../analysis/expectations.js";
import type { ListeningPort } from "../analysis/probe.js";
import { UsageError } from "../errors.js";
import type { ExpectationResult } from "../analysis/expectations.js";
import { formatTrace } from "../analysis/format.js";
import type { Network } from "../analysis/network.js";
import { namespaces, network } from "../analysis/network.js";
import { formatSuggestions, suggestFixes } from "../analysis/suggest.js";
import type { NetState } from "../netns/state.js";
import { readTextFile } from "./read-file.js";

/** The flags of `hoptrace check`. */
export interface CheckFlags {
  preset?: string;
  /** The state `--from SNAPSHOT` rebuilt. */
  from?: NetState;
  expect: string;
  /** Whether to print fix suggestions under each violated `reachable` expectation. */
  suggest?: boolean;
  /**
   * The sockets that listen during TCP and UDP probes (`--listen NS:PORT`), besides the script's
   * own. When absent, every namespace listens on every port.
   */
  listening?: readonly ListeningPort[];
}

const STATUS_WORD = { held: "ok", violated: "VIOLATED", unsupported: "SKIPPED" } as const;

/** Returns the lines printed for one expectation: its status, and the trace of a violation. */
function resultLines(result: ExpectationResult): string[] {
  const { expectation } = result;
  const head = `${STATUS_WORD[result.status].padEnd(8)} line ${expectation.lineNumber}: ${expectation.text}`;
  if (result.status === "held") return [head];
  if (result.status === "unsupported") return [`${head}: ${result.message}`];
  const lines = [`${head}: got ${result.message}`];
  if (result.trace !== undefined) lines.push(...formatTrace(result.trace));
  return lines;
}

/** Returns the fixes of a violated `reachable` expectation, for `--suggest`. */
function suggestionLines(
  net: Network,
  result: ExpectationResult,
  listening: readonly ListeningPort[] | undefined,
): string[] {
  const { expectation } = result;
  if (result.status !== "violated" || result.trace === undefined) return [];
  if (expectation.verdict !== "reachable") return [];
  const probe = expectationProbe(expectation, listening);
  return ["  suggestions:", ...formatSuggestions(suggestFixes(net, probe), "    ")];
}

/**
 * Returns one `FAILED` line for each command of the script at `path` that failed, with its line
 * number, exit status and output. `hoptrace diff` prints the same lines for both its scripts.
 */
export function failureLines(net: Network, path: string): string[] {
  return net.failures.map(
    (failure) =>
      `FAILED   ${path} line ${failure.lineNumber}: "${failure.command}" exited ${failure.exitCode}: ${failure.output.trim()}`,
  );
}

/** Returns `COUNT NOUN`, with an `s` on the noun unless the count is 1. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Runs the check, writes its report, and returns the exit status. */
export function runCheck(path: string, flags: CheckFlags, write: (text: string) => void): number {
  const expectations = parseExpectations(readTextFile(flags.expect), flags.expect);
  // A check without expectations would pass whatever the change does.
  if (expectations.length === 0) {
    throw new UsageError(
      `hoptrace: ${flags.expect} has no expectations; write one per line, such as "ns1 -> 192.0.2.1 icmp: reachable"`,
      BAD_INPUT_STATUS,
    );
  }
  const net = network(readTextFile(path), {
    isStrict: false,
    ...(flags.preset === undefined ? {} : { preset: flags.preset }),
    ...(flags.from === undefined ? {} : { from: flags.from }),
  });
  const known = new Set(namespaces(net));
  // A namespace may be missing because the command that makes it failed, so the failures come
  // first.
  const missing = (where: string, name: string): UsageError => {
    if (net.failures.length > 0) write(`${failureLines(net, path).join("\n")}\n`);
    return new UsageError(
      `hoptrace: ${where}: no namespace "${name}" in ${path}; known: ${[...known].join(", ")}`,
      BAD_INPUT_STATUS,
    );
  };
  const unknown = expectations.find((expectation) => !known.has(expectation.from));
  if (unknown !== undefined)
    throw missing(`${flags.expect} line ${unknown.lineNumber}`, unknown.from);
  const absent = flags.listening?.find((entry) => !known.has(entry.ns));
  if (absent !== undefined) throw missing(`--listen ${absent.ns}:${absent.port}`, absent.ns);
  const results = checkExpectations(net, expectations, flags.listening);
  const lines = failureLines(net, path);
  for (const result of results) {
    lines.push(...resultLines(result));
    if (flags.suggest === true) lines.push(...suggestionLines(net, result, flags.listening));
  }

  const count = (status: ExpectationResult["status"]): number =>
    results.filter((result) => result.status === status).length;
  const summary = `${plural(results.length, "expectation")}: ${count("held")} held, ${count("violated")} violated, ${count("unsupported")} not supported`;
  const failed =
    net.failures.length === 0
      ? ""
      : `; ${plural(net.failures.length, "command")} of the change failed`;
  lines.push(`${summary}${failed}`);
  write(`${lines.join("\n")}\n`);
  if (count("violated") > 0 || net.failures.length > 0) return 1;
  // A skipped expectation was not checked, so the change has not passed it.
  return count("unsupported") > 0 ? BAD_INPUT_STATUS : 0;
}
