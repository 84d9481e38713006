/// <reference types="node" />
/**
 * Runs the CLI the way the README's main command does: `bin/hoptrace.js`, which loads the
 * esbuild bundle in `dist/`. The other CLI tests call `main` in-process and never load the
 * bundle, so a bundling fault (a duplicate declaration, a module left out) would pass them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "hoptrace.js");

describe("the bundled CLI", () => {
  beforeAll(() => {
    // `npm install` builds the bundle (the prepare script); build it here when it is missing.
    if (!existsSync(join(root, "dist", "hoptrace.mjs"))) {
      execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
    }
  }, 120_000);

  it("runs the README's main command", () => {
    const scenario = join(root, "scenarios", "container-bridge.sh");
    const run = spawnSync(process.execPath, [bin, "run", "--trace", scenario], {
      encoding: "utf8",
    });

    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("$ ip netns exec ns1 ping -c 2 -W 1 172.18.0.3");
    expect(run.stdout).toContain("IP_INADDRERRORS");
  });

  it("runs a background listener and a pipe", () => {
    const scenario = join(root, "scenarios", "dnat-port-forward.sh");
    const run = spawnSync(process.execPath, [bin, "run", scenario], { encoding: "utf8" });

    expect(run.stdout).toContain("hello-from-world");
    expect(run.stdout).not.toContain("hoptrace: not supported");
  });
});
