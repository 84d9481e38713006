import { describe, expect, it } from "vitest";
import { formatRecord, formatTranscript, scriptCommands, splitTranscript } from "./transcript.js";

describe("formatRecord", () => {
  it("omits the exit line for status 0", () => {
    expect(formatRecord({ command: "ip link show", output: "out\n", exitCode: 0 })).toBe(
      "$ ip link show\nout\n",
    );
  });

  it("appends the exit line for a failure", () => {
    const record = { command: "ping -c 1 10.0.0.9", output: "ping: connect: x\n", exitCode: 2 };

    expect(formatRecord(record)).toBe("$ ping -c 1 10.0.0.9\nping: connect: x\n[exit 2]\n");
  });

  it("puts the exit line after output without a final newline", () => {
    expect(formatRecord({ command: "printf x; false", output: "x", exitCode: 1 })).toBe(
      "$ printf x; false\nx[exit 1]\n",
    );
  });

  it("omits the exit line for a command that never finished", () => {
    expect(formatRecord({ command: "sleep 9", output: "", exitCode: null })).toBe("$ sleep 9\n");
  });
});

describe("splitTranscript", () => {
  it("splits at each dollar line", () => {
    const records = [
      { command: "a", output: "1\n", exitCode: 0 },
      { command: "b", output: "", exitCode: 2 },
      { command: "c", output: "3\n", exitCode: 0 },
    ];

    const blocks = splitTranscript(formatTranscript(records));

    expect(blocks.map((block) => block.command)).toEqual(["a", "b", "c"]);
    expect(blocks[1]?.text).toBe("$ b\n[exit 2]\n");
  });

  it("keeps text before the first command as a block without command", () => {
    expect(splitTranscript("noise\n$ a\n")).toEqual([
      { command: null, text: "noise\n" },
      { command: "a", text: "$ a\n" },
    ]);
  });

  it("ignores dollar signs inside a line", () => {
    expect(splitTranscript("$ echo '$ x'\nprice: $ 5\n")).toHaveLength(1);
  });

  it("returns no blocks for an empty transcript", () => {
    expect(splitTranscript("")).toEqual([]);
  });
});

describe("scriptCommands", () => {
  it("drops blank and comment lines but keeps tab-only lines", () => {
    const script = "# setup\nip link show\n   \n\n  # indented comment\n\t\nping -c 1 10.0.0.1\n";

    expect(scriptCommands(script)).toEqual(["ip link show", "\t", "ping -c 1 10.0.0.1"]);
  });

  it("keeps a last line without newline", () => {
    expect(scriptCommands("a\nb")).toEqual(["a", "b"]);
  });
});
