/// <reference types="node" />
// Runs the background captures of recorded kernel cases without the shell's `&`: the test
// spawns the tcpdump process as the shell will, runs the probes, and compares the capture file
// with the lines the kernel recorded.
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import type { NetState } from "../../src/netns/state.js";
import { HOST_NS, findNetns } from "../../src/netns/state.js";
import { allocatePid } from "../../src/proc/jobs.js";
import { readFile, writeFile } from "../../src/proc/vfs.js";
import { compareTranscripts } from "../../src/script/compare.js";
import { normalizeTranscript } from "../../src/script/normalize.js";
import { parseList } from "../../src/script/shell.js";
import { runLine, runScript } from "../../src/script/run.js";
import { runArgv } from "../../src/tools/index.js";
import { settleTimers } from "../../src/path/engine.js";
import { findMissingCasesFolder, readRecordedCase } from "../kernel/recorded-case.js";

/**
 * Starts `argv` in namespace `nsName` (the host when undefined) as `timeout SECONDS ARGV >PATH 2>&1 &` would, and returns
 * the new state.
 */
function spawnCapture(
  state: NetState,
  nsName: string | undefined,
  seconds: number,
  argv: string[],
  path: string,
): NetState {
  return produce(state, (draft) => {
    settleTimers(draft);
    writeFile(draft, path, "");
    const sink = { kind: "file" as const, path };
    const status = runArgv(
      {
        state: draft,
        nsId: nsName === undefined ? HOST_NS : findNetns(draft, nsName)!.id,
        out: [],
        probes: [],
        commandLine: argv.join(" "),
        deadline: draft.clock + seconds * 1000,
        background: { pid: allocatePid(draft), stdout: sink, stderr: sink },
      },
      argv,
    );
    expect(status).toBe(0);
  });
}

/** Runs script lines one after another from `state`. */
function runLines(state: NetState, lines: string[]): NetState {
  let current = state;
  for (const line of lines) current = runLine(current, line).state;
  return current;
}

/** Returns the output block of the command `command` in a recorded transcript. */
function recordedBlock(transcript: string, command: string): string {
  const blocks = transcript.split(/^\$ /m);
  const block = blocks.find((candidate) => candidate.startsWith(`${command}\n`));
  expect(block, `no block for ${command}`).toBeDefined();
  return block!.slice(command.length + 1);
}

/** Returns the script lines before the first one that starts with `prefix`. */
function linesBefore(script: string, prefix: string): string[] {
  const lines = script.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
  const index = lines.findIndex((line) => line.startsWith(prefix));
  expect(index).toBeGreaterThan(0);
  return lines.slice(0, index);
}

const missing = findMissingCasesFolder();

describe.skipIf(missing !== undefined)("tcpdump in the background", () => {
  const recorded = missing === undefined ? readRecordedCase("nat-next-day") : undefined;
  const script = recorded?.script ?? "";
  const capture = ["tcpdump", "-l", "-n", "-c", "3", "-i", "eth0", "icmp"];
  const tail = "tail -s 0.2 --pid=$(cat /tmp/before.pid) -f /dev/null; cat /tmp/before.txt";

  it("captures forwarding without NAT as recorded", () => {
    const prefix = linesBefore(script, "ip netns exec world timeout 5 tcpdump");
    let state = runScript(prefix.join("\n")).state;
    state = spawnCapture(state, "world", 5, capture, "/tmp/before.txt");
    state = runLines(state, ["sleep 1", "ip netns exec ns1 ping -c 2 -W 1 203.0.113.8"]);

    const captured = readFile(state, "/tmp/before.txt")!;
    const expected = recordedBlock(recorded!.transcript, tail);
    expect(normalizeTranscript(captured)).toBe(normalizeTranscript(expected));
  });

  it("captures masqueraded pings as recorded", () => {
    const prefix = linesBefore(script, "ip netns exec world timeout 5 tcpdump -l -n -c 2");
    let state = runScript(prefix.join("\n")).state;
    const after = ["tcpdump", "-l", "-n", "-c", "2", "-i", "eth0", "icmp"];
    state = spawnCapture(state, "world", 5, after, "/tmp/after.txt");
    state = runLines(state, ["sleep 1", "ip netns exec ns1 ping -c 2 -W 1 203.0.113.8"]);

    const captured = readFile(state, "/tmp/after.txt")!;
    const expected = recordedBlock(
      recorded!.transcript,
      "tail -s 0.2 --pid=$(cat /tmp/after.pid) -f /dev/null; cat /tmp/after.txt",
    );
    expect(normalizeTranscript(captured)).toBe(normalizeTranscript(expected));
  });
});

/** `[ip netns exec NS] timeout N tcpdump ... >FILE 2>&1 & [echo $! >PIDFILE; ]sleep 1` */
const SPAWN_LINE =
  /^(?:ip netns exec (\S+) )?timeout (\d+) (tcpdump .*?) >(\S+) 2>&1 & (?:echo \$! >\S+; )?sleep 1$/;
/** `sleep 3; cat FILE`, which prints a capture file once its capture has ended. */
const SHOW_LINE = /^sleep (\d+); cat (\S+)$/;

/**
 * Runs a recorded case whose captures run in the background, standing in for the shell's `&`,
 * redirections and `cat`, and returns its transcript. The first line (`mount -t tmpfs`) is
 * left out because the virtual file system needs no mount.
 */
function runBackgroundCase(script: string): string {
  const lines = script.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
  expect(lines[0]).toBe("mount -t tmpfs tmpfs /tmp");
  let state = runScript("").state;
  const blocks: string[] = [];
  for (const line of lines.slice(1)) {
    const spawn = SPAWN_LINE.exec(line);
    const show = SHOW_LINE.exec(line);
    let output = "";
    if (spawn !== null) {
      const [, nsName, seconds, command, path] = spawn;
      const argv = parseList(command!)[0]!.argv;
      state = spawnCapture(state, nsName, Number(seconds), argv, path!);
      state = runLines(state, ["sleep 1"]);
    } else if (show !== null) {
      state = runLines(state, [`sleep ${show[1]}`, ":"]);
      output = readFile(state, show[2]!) ?? "";
    } else {
      const result = runLine(state, line);
      state = result.state;
      output = result.output + (result.exitCode === 0 ? "" : `[exit ${result.exitCode}]\n`);
    }
    blocks.push(`$ ${line}\n${output}`);
  }
  return blocks.join("");
}

describe.skipIf(missing !== undefined)("tcpdump background case", () => {
  it("matches the kernel transcript", () => {
    const recorded = readRecordedCase("tcpdump-background");
    const expected = recorded.transcript.replace(/^\$ mount -t tmpfs tmpfs \/tmp\n/, "");
    const comparison = compareTranscripts(expected, runBackgroundCase(recorded.script));
    expect(comparison.diff).toBe("");
  });
});
