/// <reference types="node" />
// Runs every bundled scenario both in the simulator and on the live kernel (in a throwaway
// sandbox) and checks that the normalised transcripts agree, command by command. Scenarios that
// start from a host preset are left out: a preset builds its outside world with directives the
// real `ip` does not have.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { canUseSandbox } from "../../src/host/sandbox.js";
import { verify } from "../../src/host/verify.js";
import { declaredPreset, runScript } from "../../src/script/run.js";
import { skipUnlessCI } from "./recorded-case.js";

const folder = resolve(fileURLToPath(import.meta.url), "../../../scenarios");
const scenarios = readdirSync(folder)
  .filter((name) => name.endsWith(".sh"))
  .sort()
  .map((name) => ({ name, script: readFileSync(join(folder, name), "utf8") }))
  .filter((scenario) => declaredPreset(scenario.script) === undefined);
const sandbox = canUseSandbox();

describe("bundled scenarios on the live kernel", () => {
  it("has scenarios without a preset", () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  it.for(scenarios)(
    "$name agrees with the kernel",
    { timeout: 120_000 },
    async (scenario, { skip }) => {
      if (!sandbox.ok) skipUnlessCI(skip, `kernel sandbox unavailable: ${sandbox.reason}`);
      const result = await verify(scenario.script, (text) => runScript(text).transcript);
      expect(
        result.agree,
        `${result.agreeing}/${result.commands} commands agree\n${result.diff}`,
      ).toBe(true);
    },
  );
});
