import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutatingCommand, probeCommand } from "../../test/arbitraries/commands.js";
import { runLine, runScript } from "./run.js";

/** The first line of every error the emulated tools print, by tool. */
const ERROR_SHAPES = [
  /^RTNETLINK answers: [A-Z][a-z ]+$/,
  /^Error: .+\.$/,
  /^Error: (either "\S*" is duplicate, or ".*" is a garbage\.|argument ".*" is wrong: .+)$/,
  /^Cannot find device ".*"$/,
  /^Device ".*" does not exist\.$/,
  /^Command ".*" is unknown, try "ip .*help"\.$/,
  /^Object ".*" is unknown, try "ip help"\.$/,
  /^Cannot open network namespace ".*": No such file or directory$/,
  /^Cannot (create|remove) namespace file "\/run\/netns\/.*": .+$/,
  /^Not enough information: ".*" argument is required\.?$/,
  /^Command line is not complete\. Try option "help"$/,
  /^Error: argument of ".*" must be one of .+, not ".*"$/,
  /^bridge_slave: unknown option ".*"\?$/,
  /^".*" is invalid lladdr\.$/,
  /^macvlan: (unknown option ".*"\?|nopromisc flag only valid in passthru mode)$/,
  /^Usage: \.\.\. macvlan mode MODE /,
  /^Error: argument of ".*" must be .+, not ".*"$/,
  /^both "name" and "dev" cannot be used when creating devices\.$/,
  /^exec of ".*" failed: No such file or directory$/,
  /^(No command specified|No netns name specified|need at least a destination address)$/,
  /^Warning: /,
  /^ping: .+$/,
  /^PING /,
  /^Usage: ip \[ OPTIONS \] OBJECT/,
  /^Usage: ip route \{ list \| flush \} SELECTOR$/,
  /^Invalid netns name ".*"$/,
  /^sysctl: .+$/,
  /^hoptrace: not supported: .+$/,
  /^bash: line 1: .+: command not found$/,
];

/** Words that end up in wrong places, as they do in mistyped commands. */
const junk = fc.constantFrom(
  "bogus",
  "dev",
  "via",
  "",
  "-1",
  "10.0.0.1/99",
  "eth0",
  "up",
  "netns",
  "table",
  "255",
);

/** A command line from the grammar with one word dropped, duplicated, swapped or replaced. */
const mangled = fc
  .tuple(fc.oneof(mutatingCommand, probeCommand), fc.nat(), fc.integer({ min: 0, max: 4 }), junk)
  .map(([line, at, how, word]) => {
    const words = line.split(" ");
    const index = at % words.length;
    if (how === 0) words.splice(index, 1);
    else if (how === 1) words.splice(index, 0, words[index]!);
    else if (how === 2) words.splice(index, 1, word);
    else if (how === 3) words.push(word);
    return words.filter((w) => w !== "").join(" ");
  });

const SETUP = [
  "ip netns add a",
  "ip netns add r",
  "ip link add eth0 type veth peer name eth1",
  "ip link add br0 type bridge",
  "ip link set eth0 up",
  "ip addr add 10.0.0.1/24 dev eth0",
  "ip link add veth0 type veth peer name eth0 netns a",
  "ip netns exec a ip addr add 10.0.0.2/24 dev eth0",
  "",
].join("\n");

describe("fuzzed command lines", () => {
  const start = runScript(SETUP).state;

  it("fail in the real tool's shape and keep the state", () => {
    let failures = 0;
    fc.assert(
      fc.property(fc.oneof(mutatingCommand, probeCommand, mangled), (line) => {
        const result = runLine(start, line);
        expect(result.output).not.toContain("internal error");
        if (result.exitCode === 0) return;
        failures++;
        const first = result.output.split("\n")[0] ?? "";
        expect(
          ERROR_SHAPES.some((shape) => shape.test(first)),
          `${line} -> ${first}`,
        ).toBe(true);
        // ping changes neighbours and the clock even when it loses every probe, and sysctl applies
        // each good operand even when another one fails, as procps does.
        if (!/\b(ping|sysctl)\b/.test(line)) expect(result.state, line).toBe(start);
      }),
      { numRuns: 10_000 },
    );
    // The generator must reach the error paths, or the shape check above proves nothing.
    expect(failures).toBeGreaterThan(2_000);
  });
});
