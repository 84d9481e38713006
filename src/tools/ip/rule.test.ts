import { describe, expect, it } from "vitest";
import { runScript } from "../../script/run.js";

const RULES = `ip rule add fwmark 5 table 100
ip rule add fwmark 6/0xff table 100
ip rule add from 10.0.0.0/8 table 200
ip rule add from 10.1.0.0/16 table 200
ip rule add not to 192.0.2.0/24 table 300
`;

/** Runs `commands` after RULES and returns the output of `ip rule show` at the end. */
function rulesAfter(commands: string): string[] {
  const { lines } = runScript(`${RULES}${commands}ip rule show\n`);
  return lines.at(-1)!.output.trimEnd().split("\n");
}

function priorities(lines: string[]): number[] {
  return lines.map((line) => Number(line.split(":")[0]));
}

describe("ip rule flush", () => {
  it("deletes only the rules of a table", () => {
    expect(priorities(rulesAfter("ip rule flush table 100\n"))).toEqual([
      0, 32761, 32762, 32763, 32766, 32767,
    ]);
  });

  it("deletes rules whose source lies inside the prefix", () => {
    expect(priorities(rulesAfter("ip rule flush from 10.0.0.0/8\n"))).toEqual([
      0, 32761, 32764, 32765, 32766, 32767,
    ]);
  });

  it("selects a mark without comparing the mask", () => {
    expect(priorities(rulesAfter("ip rule flush fwmark 6\n"))).toEqual([
      0, 32761, 32762, 32763, 32765, 32766, 32767,
    ]);
  });

  it("selects inverted rules with not", () => {
    expect(priorities(rulesAfter("ip rule flush not\n"))).toEqual([
      0, 32762, 32763, 32764, 32765, 32766, 32767,
    ]);
  });

  it("keeps only priority 0 without selectors", () => {
    expect(rulesAfter("ip rule flush\n")).toEqual(["0:\tfrom all lookup local"]);
  });

  it("changes nothing on a bad selector", () => {
    const { lines } = runScript(`${RULES}ip rule flush from nowhere\nip rule show\n`);

    expect(lines.at(-2)).toMatchObject({
      exitCode: 1,
      output: `Error: inet prefix is expected rather than "nowhere".\n`,
    });
    expect(lines.at(-1)!.output.trimEnd().split("\n")).toHaveLength(8);
  });
});

describe("ip rule show", () => {
  it("lists the rules that match every selector", () => {
    const { lines } = runScript(`${RULES}ip rule show table 200 from 10.1.0.0/16\n`);

    expect(lines.at(-1)!.output).toBe("32762:\tfrom 10.1.0.0/16 lookup 200\n");
  });
});
