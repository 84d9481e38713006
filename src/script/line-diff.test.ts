import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./line-diff.js";

describe("unifiedDiff", () => {
  it("returns nothing for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n")).toBe("");
  });

  it("shows a changed line with its context", () => {
    const expected = "1\n2\n3\n4\n5\n6\n7\n8\n";
    const actual = "1\n2\n3\n4\nfive\n6\n7\n8\n";

    const diff = unifiedDiff(expected, actual, {
      expectedLabel: "kernel",
      actualLabel: "hoptrace",
    });

    expect(diff).toBe(
      "--- kernel\n+++ hoptrace\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
    );
  });

  it("splits distant changes into separate hunks", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const changed = [...lines];
    changed[1] = "changed 2";
    changed[17] = "changed 18";

    const diff = unifiedDiff(`${lines.join("\n")}\n`, `${changed.join("\n")}\n`, { context: 1 });

    expect(diff.match(/^@@ /gm)).toHaveLength(2);
    expect(diff).toContain("@@ -1,3 +1,3 @@\n line 1\n-line 2\n+changed 2\n line 3\n");
    expect(diff).toContain("@@ -17,3 +17,3 @@\n line 17\n-line 18\n+changed 18\n line 19\n");
  });

  it("numbers an insertion into an empty text from line 0", () => {
    expect(unifiedDiff("", "new\n")).toBe("--- expected\n+++ actual\n@@ -0,0 +1 @@\n+new\n");
  });

  it("marks a missing final newline", () => {
    const diff = unifiedDiff("a\nb\n", "a\nb");

    expect(diff).toContain("-b\n+b\n\\ No newline at end of file\n");
  });

  it("keeps the longest common subsequence as context", () => {
    const diff = unifiedDiff("a\nb\nc\nd\n", "b\nx\nd\ny\n");

    expect(diff).toBe("--- expected\n+++ actual\n@@ -1,4 +1,4 @@\n-a\n b\n-c\n+x\n d\n+y\n");
  });
});
