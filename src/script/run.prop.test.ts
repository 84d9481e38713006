import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutatingCommand, probeCommand, script } from "../../test/arbitraries/commands.js";
import { runLine, runScript } from "./run.js";

describe("runScript laws", () => {
  it("gives the same transcript for the same script", () => {
    fc.assert(
      fc.property(script, (text) => {
        expect(runScript(text).transcript).toBe(runScript(text).transcript);
      }),
      { numRuns: 150 },
    );
  });

  it("leaves the state unchanged when a command fails", () => {
    fc.assert(
      fc.property(script, fc.oneof(mutatingCommand, probeCommand), (setup, line) => {
        const before = runScript(setup).state;
        const result = runLine(before, line);
        if (result.exitCode !== 0 && !line.includes("ping")) expect(result.state).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it("never reports an internal error or a stack trace", () => {
    fc.assert(
      fc.property(script, (text) => {
        const { transcript } = runScript(text);
        expect(transcript).not.toContain("internal error");
        expect(transcript).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      }),
      { numRuns: 200 },
    );
  });
});
