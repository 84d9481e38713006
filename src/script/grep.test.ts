import { describe, expect, it } from "vitest";
import { runScript } from "./run.js";

/** Runs `printf TEXT | grep ARGS` and returns the grep line's output and exit status. */
function grepOf(text: string, args: string): { output: string; exitCode: number } {
  const result = runScript(`printf '${text}' | grep ${args}\n`);
  const line = result.lines.at(-1)!;
  return { output: line.output, exitCode: line.exitCode };
}

const LINES = "a+b\\nab\\naab\\n^x\\nx$y\\n(c)\\nlo lo0\\n";

describe("grep patterns", () => {
  it.for([
    ["'a+b'", "a+b\n"],
    ["'a\\+b'", "ab\naab\n"],
    ["-E 'a+b'", "ab\naab\n"],
    ["-E 'a\\+b'", "a+b\n"],
    ["'^^x'", "^x\n"],
    ["'x$y'", "x$y\n"],
    ["'*b'", ""],
    ["'(c)'", "(c)\n"],
    ["-E '\\(c\\)'", "(c)\n"],
    ["'\\(a\\|c\\)b'", "ab\naab\n"],
    ["-w lo", "lo lo0\n"],
    ["-o 'lo[0-9]'", "lo0\n"],
    ["'[[:digit:]]'", "lo lo0\n"],
    ["-x ab", "ab\n"],
  ])("selects %s", ([args, expected]) => {
    expect(grepOf(LINES, args!).output).toBe(expected);
  });

  it("exits 1 when nothing is selected", () => {
    expect(grepOf(LINES, "zzz").exitCode).toBe(1);
  });

  it("counts inverted matches", () => {
    expect(grepOf(LINES, "-vc a").output).toBe("4\n");
  });

  it.for(["'\\1'", "-E 'a{,2}'", "'[[=a=]]'", "-P a", "-A 1 a", "'['"])(
    "reports %s as unsupported",
    (args) => {
      const result = grepOf(LINES, args);
      expect(result.exitCode).toBe(1);
      expect(result.output).toMatch(/^hoptrace: not supported: grep/);
    },
  );
});
