/// <reference types="node" />
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  describeMismatch,
  findMissingCasesFolder,
  readRecordedCase,
  skipUnlessCI,
} from "../../test/kernel/recorded-case.js";
import { compareTranscripts } from "../script/compare.js";
import { blankHost, runLine, runScript } from "../script/run.js";
import { scriptCommands, splitTranscript } from "../script/transcript.js";

/** Cases recorded with iptables 1.8.9 (nf_tables) on Linux 6.18 in a throwaway namespace. */
const casesFolder = resolve(fileURLToPath(import.meta.url), "../../../test/kernel/iptables");
const caseNames = readdirSync(casesFolder)
  .filter((file) => file.endsWith(".sh"))
  .map((file) => file.slice(0, -".sh".length));

/**
 * Reports whether a recorded block shows a counter that traffic moved: a non-zero row of a
 * `-v` listing or a non-zero `[pkts:bytes]` of `iptables-save -c`.
 */
function showsTraffic(block: string): boolean {
  return block
    .split("\n")
    .some((line) => /^ *[1-9]\d*[KMGT]? +\d/.test(line) || /^\[[1-9]/.test(line));
}

describe("iptables against nf-listing-shapes", () => {
  const missing = findMissingCasesFolder();

  it("prints every traffic-independent command as the kernel did", ({ skip }) => {
    if (missing !== undefined) skipUnlessCI(skip, missing);
    const recorded = readRecordedCase("nf-listing-shapes");
    const commands = scriptCommands(recorded.script).filter((line) =>
      /^iptables(-save)? /.test(line),
    );
    const blocks = splitTranscript(recorded.transcript).filter(
      (block) => block.command !== null && /^iptables(-save)? /.test(block.command),
    );

    const ours = splitTranscript(runScript(`${commands.join("\n")}\n`).transcript);
    const pairs = blocks.map((block, index) => ({ kernel: block, hoptrace: ours[index] }));
    const skipped = pairs.filter((pair) => showsTraffic(pair.kernel.text));
    const kept = pairs.filter((pair) => !showsTraffic(pair.kernel.text));
    const expected = kept.map((pair) => pair.kernel.text).join("");
    const actual = kept.map((pair) => pair.hoptrace?.text ?? "").join("");

    expect(ours.length).toBe(blocks.length);
    expect(skipped.map((pair) => pair.kernel.command)).toEqual([
      "iptables -L FORWARD -n -v",
      "iptables -L FORWARD -n -v -x",
      "iptables -L DOCKER-USER -n -v",
      "iptables -t nat -L -n -v",
      "iptables-save -t nat -c",
    ]);
    const comparison = compareTranscripts(expected, actual);
    expect(comparison.commands).toBe(blocks.length - skipped.length);
    expect(comparison.agree, describeMismatch("nf-listing-shapes", comparison, "hoptrace")).toBe(
      true,
    );
  });
});

describe("iptables against recorded cases", () => {
  it.for(caseNames)("%s matches iptables 1.8.9", (name) => {
    const script = readFileSync(join(casesFolder, `${name}.sh`), "utf8");
    const transcript = readFileSync(join(casesFolder, `${name}.out`), "utf8");

    const comparison = compareTranscripts(transcript, runScript(script).transcript);

    expect(comparison.commands).toBeGreaterThan(10);
    expect(comparison.agree, describeMismatch(name, comparison, "hoptrace")).toBe(true);
  });
});

describe("iptables", () => {
  it("names what it does not model", () => {
    const result = runLine(blankHost(), "iptables -A INPUT -m limit --limit 5/s -j ACCEPT");

    expect(result.output).toBe("hoptrace: not supported: iptables -m limit\n");
    expect(result.exitCode).toBe(1);
  });

  it("names ports by the rule's protocol in -L without -n", () => {
    const script =
      "iptables -A INPUT -p udp --dport 53 -j ACCEPT\niptables -A INPUT -p tcp --dport 53 -j ACCEPT\n" +
      "iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -p udp --dport 22 -j ACCEPT\n" +
      "iptables -L INPUT\n";
    const rows = runScript(script).lines[4]!.output.split("\n").slice(2, 6);

    expect(rows.map((row) => row.trim().split(/\s+/).slice(-2).join(" "))).toEqual([
      "udp dpt:domain",
      "tcp dpt:domain",
      "tcp dpt:ssh",
      // Debian 12's /etc/services has ssh for tcp only.
      "udp dpt:22",
    ]);
  });

  it("keeps rules per namespace", () => {
    const result = runScript(
      "ip netns add a\nip netns exec a iptables -A INPUT -j DROP\niptables -S INPUT\nip netns exec a iptables -S INPUT\n",
    );

    expect(result.lines[2]!.output).toBe("-P INPUT ACCEPT\n");
    expect(result.lines[3]!.output).toBe("-P INPUT ACCEPT\n-A INPUT -j DROP\n");
  });

  it("leaves the state untouched when the kernel refuses a batch", () => {
    const before = runScript("iptables -N A\niptables -A A -j ACCEPT\n").state;

    const result = runLine(before, "iptables -X");

    expect(result.exitCode).toBe(4);
    expect(result.state).toBe(before);
  });
});
