import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addresses, namespaces, network, trace } from "../index.js";
import type { ReachVerdict } from "../index.js";
import { runScript } from "../script/run.js";
import { script } from "./index.js";

const PORT = 22;

/** A random script, and picks of a source, a destination address and a listening namespace. */
const draws = fc.record({
  generated: script({ maxNamespaces: 3 }),
  source: fc.nat(),
  target: fc.nat(),
  listener: fc.nat(),
});

/** Returns the prefix that runs a command in namespace `ns`; `host` needs none. */
function inNamespace(ns: string): string {
  return ns === "host" ? "" : `ip netns exec ${ns} `;
}

/** Returns the verdict an `nc -v -z` line stands for: exit 0, else its error message. */
function ncVerdict(exitCode: number | null, output: string): ReachVerdict {
  if (exitCode === 0) return "reachable";
  return output.includes("Connection refused") ? "refused" : "dropped";
}

/** Picks the probe's source, destination and listening namespace of one draw. */
function pick(
  script: string,
  source: number,
  target: number,
  listener: number,
): { from: string; to: string; listening: string } {
  const base = network(script);
  const spaces = namespaces(base);
  const targets = addresses(base);
  fc.pre(targets.length > 0);
  return {
    from: spaces[source % spaces.length]!,
    to: targets[target % targets.length]!,
    listening: spaces[listener % spaces.length]!,
  };
}

describe("TCP probe against nc -z", () => {
  it("agrees on random topologies", () => {
    fc.assert(
      fc.property(draws, ({ generated, source, target, listener }) => {
        const { from, to, listening } = pick(generated.text, source, target, listener);

        const withListener = `${generated.text}${inNamespace(listening)}nc -l -k ${PORT} &\n`;
        const probe = { from, to, protocol: "tcp" as const, port: PORT, listening: [] };
        const probed = trace(network(withListener), probe);
        const connect = `${inNamespace(from)}nc -v -z -w 2 ${to} ${PORT}\n`;
        const run = runScript(`${withListener}${connect}`);
        const last = run.lines.at(-1)!;

        expect(last.command).toBe(connect.trimEnd());
        expect(probed.verdict).toBe(ncVerdict(last.exitCode, last.output));
      }),
      { numRuns: 60 },
    );
  });
});

describe("UDP probe against nc -u", () => {
  it("agrees on random topologies", () => {
    fc.assert(
      fc.property(draws, ({ generated, source, target, listener }) => {
        const { from, to, listening } = pick(generated.text, source, target, listener);

        // nc -u cannot tell delivery from loss, so the listener's output file shows it.
        const bound = `${generated.text}${inNamespace(listening)}nc -u -l ${PORT} > /tmp/received &\n`;
        const probe = { from, to, protocol: "udp" as const, port: PORT, listening: [] };
        const probed = trace(network(bound), probe);
        const send = `echo probe | ${inNamespace(from)}nc -u -w 2 ${to} ${PORT}\n`;
        const run = runScript(`${bound}${send}cat /tmp/received\n`);
        const received = run.lines.at(-1)!.output;

        expect(probed.verdict === "reachable").toBe(received === "probe\n");
      }),
      { numRuns: 60 },
    );
  });
});
