/// <reference types="node" />
// Host replay: the rollback and the record with a fake command runner, then the real CLI applied
// to a sandbox's namespace as the host (never this machine's own namespace).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliLine } from "../../test/kernel/cli-line.js";
import { blankHost } from "../script/run.js";
import type { RunCommand } from "./host-replay.js";
import { replayOnHost, undoLastReplay } from "./host-replay.js";
import { canUseSandbox, runInSandbox } from "./sandbox.js";

const folder = mkdtempSync(join(tmpdir(), "hoptrace-host-replay-test-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Returns a runner that records every argv and fails the one equal to `failing`. */
function fakeRunner(failing?: string): { run: RunCommand; calls: string[] } {
  const calls: string[] = [];
  const run: RunCommand = (argv) => {
    const line = argv.join(" ");
    calls.push(line);
    return line === failing
      ? { output: "RTNETLINK answers: File exists\n", status: 2 }
      : { output: "", status: 0 };
  };
  return { run, calls };
}

const SCRIPT = [
  "ip netns add ns1",
  "ip link add v0 type veth peer name v0p netns ns1",
  "ip addr add 10.0.0.1/24 dev v0",
  "ip link set v0 up",
].join("\n");

describe("replayOnHost", () => {
  it("rolls back what ran when a changing command fails", () => {
    const stateDir = join(folder, "rollback");
    const { run, calls } = fakeRunner("ip addr add 10.0.0.1/24 dev v0");
    const out: string[] = [];

    const status = replayOnHost(SCRIPT, "s.sh", {
      write: (text) => out.push(text),
      stateDir,
      runCommand: run,
      readState: blankHost,
    });

    expect(status).toBe(1);
    expect(calls.slice(3)).toEqual(["ip link del v0", "ip netns del ns1"]);
    expect(out.join("")).toContain("line 3 failed on the host; rolling back");
    expect(existsSync(join(stateDir, "last-replay.json"))).toBe(false);
  });

  it("records the undo list and refuses a second replay until undone", () => {
    const stateDir = join(folder, "record");
    const { run, calls } = fakeRunner();
    const options = { write: () => {}, stateDir, runCommand: run, readState: blankHost };

    expect(replayOnHost(SCRIPT, "s.sh", options)).toBe(0);
    const record = JSON.parse(readFileSync(join(stateDir, "last-replay.json"), "utf8"));
    expect(record.status).toBe("applied");
    expect(() => replayOnHost(SCRIPT, "s.sh", options)).toThrow(/is not undone yet/);

    expect(undoLastReplay(options)).toBe(0);
    expect(calls.slice(-2)).toEqual(["ip link del v0", "ip netns del ns1"]);
    expect(() => undoLastReplay(options)).toThrow(/nothing to undo/);
  });

  it("runs nothing on a dry run", () => {
    const { run, calls } = fakeRunner();
    const out: string[] = [];

    const status = replayOnHost(SCRIPT, "s.sh", {
      write: (text) => out.push(text),
      stateDir: join(folder, "dry"),
      isDryRun: true,
      runCommand: run,
      readState: blankHost,
    });

    expect(status).toBe(0);
    expect(calls).toEqual([]);
    expect(out.join("")).toContain("creates namespace ns1");
  });
});

const check = canUseSandbox();
if (!check.ok) console.warn(`host-replay.test.ts sandbox part skipped: ${check.reason}`);

describe.skipIf(!check.ok)("hoptrace replay --host in a sandbox", () => {
  it("applies, refuses to clobber, and undoes", async () => {
    const good = join(folder, "good.sh");
    const clobber = join(folder, "clobber.sh");
    const outside = join(folder, "outside.sh");
    writeFileSync(
      good,
      `${SCRIPT}\nip route add 198.51.100.0/24 via 10.0.0.2\nsysctl -qw net.ipv4.ip_forward=1\n`,
    );
    writeFileSync(clobber, "ip netns add other\nip link add keep0 type bridge\n");
    writeFileSync(outside, "ip netns add other\nnsenter -t 1 -n ip link\n");
    // The state folder gets a private tmpfs, so the record never reaches this machine's disk.
    const state = join(folder, "state");
    const cli = (args: string): string => `HOPTRACE_STATE_DIR=${state} ${cliLine(args)}`;
    const listing = "ip -br link; ip netns list; ip -4 route; sysctl -n net.ipv4.ip_forward";
    const script = [
      `mkdir -p ${state} && mount -t tmpfs tmpfs ${state}`,
      "ip link add keep0 type veth peer name keep1",
      listing,
      cli(`replay --host --dry-run ${good}`),
      listing,
      cli(`replay --host ${good}`),
      listing,
      cli(`replay --host ${clobber}`),
      cli(`replay --undo`),
      listing,
      `${cli(`replay --host ${clobber}`)}; ${cli(`replay --host ${outside}`)}; ${listing}`,
    ].join("\n");

    const result = await runInSandbox(script, { timeoutMs: 90_000 });
    const [
      ,
      ,
      before,
      dryRun,
      afterDryRun,
      applied,
      afterApply,
      notUndone,
      undone,
      afterUndo,
      rejected,
    ] = result.commands;

    expect(dryRun?.exitCode, dryRun?.output).toBe(0);
    expect(afterDryRun?.output).toBe(before?.output);
    expect(applied?.exitCode, applied?.output).toBe(0);
    expect(afterApply?.output).toMatch(/^v0@if2 +LOWERLAYERDOWN/m);
    expect(afterApply?.output).toMatch(/^ns1 \(id: 0\)$/m);
    expect(afterApply?.output).toMatch(/^198\.51\.100\.0\/24 via 10\.0\.0\.2 dev v0 linkdown $/m);
    expect(afterApply?.output).toMatch(/^1$/m);
    expect(notUndone?.output).toContain("is not undone yet");
    expect(undone?.exitCode, undone?.output).toBe(0);
    expect(afterUndo?.output).toBe(before?.output);
    expect(rejected?.output).toContain('line 2 ("ip link add keep0 type bridge") fails');
    expect(rejected?.output).toContain('"nsenter" is not a command hoptrace models');
    expect(rejected?.output.endsWith(before?.output ?? "?")).toBe(true);
  });
});
