import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEFORMAT, formatTimeReport, parseList, scriptLines } from "./shell.js";

describe("formatTimeReport", () => {
  it("prints real seconds with the given precision", () => {
    expect(formatTimeReport("[took %1R s]", 3000)).toEqual(["[took 3.0 s]"]);
    expect(formatTimeReport("%3R", 1234)).toEqual(["1.234"]);
    expect(formatTimeReport("%0R", 1999)).toEqual(["1"]);
  });

  it("truncates instead of rounding", () => {
    expect(formatTimeReport("%1R", 2990)).toEqual(["2.9"]);
  });

  it("prints the long form and zero CPU time", () => {
    expect(formatTimeReport(DEFAULT_TIMEFORMAT, 61_500)).toEqual([
      "",
      "real\t1m1.500s",
      "user\t0m0.000s",
      "sys\t0m0.000s",
    ]);
  });

  it("prints nothing for an empty format", () => {
    expect(formatTimeReport("", 1000)).toEqual([]);
  });

  it("keeps a literal percent sign", () => {
    expect(formatTimeReport("%% %P", 1000)).toEqual(["% 0.00"]);
  });
});

describe("parseList assignments", () => {
  it("keeps leading NAME=value words in argv", () => {
    expect(parseList("A=1 B='x y' cmd C=2")).toEqual([
      { connector: ";", argv: ["A=1", "B=x y", "cmd", "C=2"] },
    ]);
  });

  it.for(["echo a | cat", "echo a >/tmp/x", "sleep 1 &", "echo $HOME"])("rejects %s", (line) => {
    expect(() => parseList(line)).toThrow(/not supported/);
  });
});

describe("scriptLines", () => {
  it("strips a leading byte-order mark", () => {
    const lines = scriptLines("\uFEFFip link show\n");

    expect(lines).toEqual([{ text: "ip link show", lineNumber: 1 }]);
  });
});

describe("parseList quoting", () => {
  it.for([
    ['echo "open', '"'],
    ["echo 'open", "'"],
    ["echo 'a\\' \"b", '"'],
  ])("rejects %s", ([line, quote]) => {
    expect(() => parseList(line!)).toThrow(
      `bash: -c: line 1: unexpected EOF while looking for matching \`${quote}'`,
    );
  });

  it.for(['echo "a\\"b"', "echo it\\'s", "echo ok # it's"])("accepts %s", (line) => {
    expect(() => parseList(line)).not.toThrow();
  });
});
