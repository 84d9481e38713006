import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(fileURLToPath(import.meta.url), "../../src");
// Only the CLI and the host driver may use Node; the rest must also run in a browser.
const NODE_EDGE = ["cli", "host"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("core modules", () => {
  const core = sourceFiles(src).filter(
    (path) => !NODE_EDGE.includes(relative(src, path).split("/")[0]!),
  );

  it("has modules to check", () => {
    expect(core.length).toBeGreaterThan(20);
  });

  it("use no Node-only API", () => {
    for (const path of core) {
      const text = readFileSync(path, "utf8");
      const name = relative(src, path);
      expect(text, name).not.toMatch(/from\s+["']node:|require\(|\bprocess\.(env|argv|exit|std(in|out|err)|cwd|platform|on|hrtime|memoryUsage|nextTick)\b|\bBuffer\b|__dirname/);
      expect(text, name).not.toMatch(/from\s+["'](fs|path|os|child_process|url|util)["']/);
    }
  });

  it("import nothing from the Node edge", () => {
    for (const path of core) {
      const text = readFileSync(path, "utf8");
      expect(text, relative(src, path)).not.toMatch(/from\s+["'][./]+\/(cli|host)\//);
    }
  });
});
