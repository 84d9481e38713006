import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTopology, topology } from "../../test/arbitraries/topology.js";
import type { Network } from "./network.js";
import { extend, network } from "./network.js";
import {
  changedPairs,
  changesWithTraces,
  formatOutcomeKey,
  outcomeKey,
  outcomesOfMatrix,
  pairCountOf,
  reachabilityOutcomes,
} from "./outcomes.js";
import type { ReachabilityOutcomes } from "./outcomes.js";
import type { Verdict } from "../path/verdict.js";
import { formatOutcome } from "./format.js";
import type { Trace } from "./probe.js";
import { diffNetworks, diffPlan, reachability } from "./reachability.js";

function build(value: Parameters<typeof renderTopology>[0]): Network {
  return network(`${renderTopology(value).lines.join("\n")}\n`, { isStrict: false });
}

/** Diffs two networks through outcome matrices, as `hoptrace diff` does for large ones. */
function diffByOutcomes(before: Network, after: Network): ReturnType<typeof diffNetworks> {
  const [beforeOptions, afterOptions] = diffPlan(before, after);
  const old = reachabilityOutcomes(before, beforeOptions);
  const now = reachabilityOutcomes(after, afterOptions);
  return { changes: changesWithTraces(before, old, after, now), pairCount: pairCountOf(old, now) };
}

function keysOf(matrix: ReachabilityOutcomes): string[] {
  return Array.from(matrix.codes, (code) => matrix.outcomes[code]!);
}

describe("reachabilityOutcomes", () => {
  it("matches the traces' outcomes", () => {
    fc.assert(
      fc.property(topology(), (value) => {
        const net = build(value);
        const matrix = reachability(net);
        const outcomes = reachabilityOutcomes(net);
        expect(outcomes.sources).toEqual(matrix.sources);
        expect(outcomes.destinations).toEqual(matrix.destinations);
        expect(keysOf(outcomes)).toEqual(matrix.traces.map(outcomeKey));
        expect(keysOf(outcomesOfMatrix(matrix))).toEqual(keysOf(outcomes));
        const printed = matrix.traces.map((trace) => formatOutcomeKey(outcomeKey(trace)));
        expect(printed).toEqual(matrix.traces.map(formatOutcome));
      }),
      { numRuns: 25 },
    );
  });

  it("distinguishes drops by reason and place", () => {
    const base: Verdict = { kind: "dropped", ns: "a", message: "" };
    const traceWith = (verdict: Trace["verdict"], decisive: Verdict): Trace =>
      ({ verdict, decisive }) as Trace;
    const keys = [
      outcomeKey(traceWith("dropped", { ...base, reason: "IP_INNOROUTES" })),
      outcomeKey(traceWith("dropped", { ...base, reason: "NEIGH_FAILED" })),
      outcomeKey(traceWith("dropped", { ...base, ns: "b" })),
      outcomeKey(traceWith("dropped", { ...base, link: "eth0" })),
      outcomeKey(traceWith("dropped", { ...base, kind: "queued" })),
      outcomeKey(traceWith("reachable", { ...base, kind: "delivered" })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("changesWithTraces", () => {
  it("equals diffNetworks on random pairs", () => {
    fc.assert(
      fc.property(topology(), topology(), (first, second) => {
        const before = build(first);
        const after = build(second);
        expect(diffByOutcomes(before, after)).toEqual(diffNetworks(before, after));
      }),
      { numRuns: 20 },
    );
  });

  it("equals diffNetworks after a forwarding change", () => {
    fc.assert(
      fc.property(topology(), fc.boolean(), (value, isOn) => {
        const before = build(value);
        const after = extend(before, `sysctl -qw net.ipv4.ip_forward=${isOn ? 1 : 0}`, {
          isStrict: false,
        });
        expect(diffByOutcomes(before, after)).toEqual(diffNetworks(before, after));
      }),
      { numRuns: 20 },
    );
  });

  it("lists no change between a matrix and itself", () => {
    fc.assert(
      fc.property(topology(), (value) => {
        const outcomes = reachabilityOutcomes(build(value));
        expect(changedPairs(outcomes, outcomes)).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });
});
