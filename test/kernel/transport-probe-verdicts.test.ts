/// <reference types="node" />
/**
 * The TCP and UDP probes of the library against the real kernel. A probe from the namespace,
 * to the address and port, of an `nc -z` or `nc -u` line of a recorded case must get the
 * verdict the recording shows. It runs on the network the script has built by then, with only
 * the script's own listeners. For `nc -z`, exit 0 is `reachable`, and with `-v` nc names a
 * refusal (`Connection refused`). Without `-v`, a failed line only rules out `reachable`.
 */
import { describe, expect, it } from "vitest";
import { network } from "../../src/analysis/network.js";
import { trace } from "../../src/analysis/trace.js";
import { scriptCommands, splitTranscript } from "../../src/script/transcript.js";
import { findMissingCasesFolder, readRecordedCase, skipUnlessCI } from "./recorded-case.js";

const TCP_CASES = [
  "nat-dnat-port-forward",
  "nf-input-drop",
  "nf-output-drop",
  "nf-reject",
  "tcp-connect-errors",
  "tcp-listener",
];
const missingFolder = findMissingCasesFolder();

/** One `nc -z` line of a case: where it runs, what it connects to, and what the kernel printed. */
interface Connect {
  index: number;
  from: string;
  to: string;
  port: number;
  isVerbose: boolean;
  exitCode: number;
  output: string;
}

const NC_LINE = /^(?:ip netns exec (\S+) )?nc (.*-z.*) (\d+\.\d+\.\d+\.\d+) (\d+)$/;

/** Returns the `nc -z` lines of a case with the kernel's output and exit status for each. */
function connects(script: string, transcript: string): Connect[] {
  const commands = scriptCommands(script);
  const blocks = splitTranscript(transcript).filter((block) => block.command !== null);
  expect(blocks.map((block) => block.command)).toEqual(commands);
  return commands.flatMap((command, index) => {
    const match = NC_LINE.exec(command);
    if (match === null) return [];
    const [, from = "host", options = "", to = "", port = ""] = match;
    // nc rejects a port out of range before it connects, so such a line is no connect.
    if (Number(port) > 65535) return [];
    const text = blocks[index]!.text;
    const exit = /^\[exit (\d+)\]$/m.exec(text);
    return [
      {
        index,
        from,
        to,
        port: Number(port),
        isVerbose: /(^|\s)-\w*v/.test(options),
        exitCode: exit === null ? 0 : Number(exit[1]),
        output: text,
      },
    ];
  });
}

describe("TCP probes against the recorded nc -z lines", () => {
  it.for(TCP_CASES)("%s agrees with the kernel", (name, { skip }) => {
    if (missingFolder !== undefined) skipUnlessCI(skip, missingFolder);
    const recorded = readRecordedCase(name);
    const commands = scriptCommands(recorded.script);
    const found = connects(recorded.script, recorded.transcript);
    expect(found.length).toBeGreaterThan(0);

    for (const connect of found) {
      const before = `${commands.slice(0, connect.index).join("\n")}\n`;
      const probe = { from: connect.from, to: connect.to, protocol: "tcp" as const };
      const verdict = trace(network(before, { isStrict: false }), {
        ...probe,
        port: connect.port,
        listening: [],
      }).verdict;
      const where = `${name} line: ${commands[connect.index]}`;
      if (connect.exitCode === 0) {
        expect(verdict, where).toBe("reachable");
      } else if (!connect.isVerbose) {
        expect(verdict, where).not.toBe("reachable");
      } else if (connect.output.includes("Connection refused")) {
        expect(verdict, where).toBe("refused");
      } else {
        expect(verdict, where).toBe("dropped");
      }
    }
  });
});

/** A datagram line of tcp-udp-listener: `echo WORD | ip netns exec NS nc -u ... ADDR PORT`. */
const UDP_LINE = /^echo (\w+) \| ip netns exec (\S+) nc -u .*?(\d+\.\d+\.\d+\.\d+) (\d+)$/;

describe("UDP probes against the recorded nc -u lines", () => {
  it("tcp-udp-listener agrees with the kernel", ({ skip }) => {
    if (missingFolder !== undefined) skipUnlessCI(skip, missingFolder);
    const recorded = readRecordedCase("tcp-udp-listener");
    const commands = scriptCommands(recorded.script);
    const blocks = splitTranscript(recorded.transcript).filter((block) => block.command !== null);
    // The listener writes what it received to /tmp/u.txt, which the case prints once.
    const printed = blocks.find((block) => block.command?.includes("cat /tmp/u.txt"));
    expect(printed).toBeDefined();
    const received = printed!.text.split("\n").slice(1);

    let compared = 0;
    commands.forEach((command, index) => {
      const match = UDP_LINE.exec(command);
      if (match === null) return;
      const [, word = "", from = "", to = "", port = ""] = match;
      const before = `${commands.slice(0, index).join("\n")}\n`;
      const probe = { from, to, protocol: "udp" as const, port: Number(port), listening: [] };
      const verdict = trace(network(before, { isStrict: false }), probe).verdict;
      expect(verdict === "reachable", command).toBe(received.includes(word));
      compared++;
    });
    expect(compared).toBe(5);
  });
});
