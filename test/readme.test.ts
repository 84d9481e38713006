/// <reference types="node" />
/**
 * Runs the `hoptrace check` and `hoptrace diff` examples of README.md as written and compares
 * their output with the block the README shows after each. A documented output block with a `...` line is
 * an excerpt, so its other lines must appear in that order; any other block must match exactly.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const readme = readFileSync(resolve(root, "README.md"), "utf8");

/** One README example: the command line and the output the README shows for it. */
interface Example {
  command: string;
  documented: string[];
}

/** Returns each one-line `sh` block running check or diff that is followed by an output block. */
function examples(text: string): Example[] {
  const pattern = /```sh\n(npx hoptrace (?:check|diff) [^\n]+)\n```\n\n?```\n([\s\S]*?)```/g;
  return [...text.matchAll(pattern)].map((match) => ({
    command: match[1]!,
    documented: match[2]!.trimEnd().split("\n"),
  }));
}

/** Reports whether `lines` contains every line of `expected` in the same order. */
function containsInOrder(lines: readonly string[], expected: readonly string[]): boolean {
  let at = 0;
  for (const line of expected) {
    const found = lines.indexOf(line, at);
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

describe("README examples", () => {
  const found = examples(readme);

  it("include the check and diff examples", () => {
    const commands = found.map((example) => example.command.split(" ")[2]);
    expect(commands).toContain("check");
    expect(commands).toContain("diff");
  });

  it.each(found.map((example) => [example.command, example] as const))(
    "%s prints what the README shows",
    async (_command, example) => {
      // The README's paths are relative to the repository root, where a reader runs them.
      const args = example.command
        .split(" ")
        .slice(2)
        .map((arg) => (arg.startsWith("scenarios/") ? resolve(root, arg) : arg));
      const { out } = await runCli(args);
      const lines = out.trimEnd().split("\n");
      if (example.documented.includes("...")) {
        const excerpt = example.documented.filter((line) => line !== "...");
        expect(containsInOrder(lines, excerpt), out).toBe(true);
      } else {
        expect(lines).toEqual(example.documented);
      }
    },
  );
});
