/// <reference types="node" />
import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { canUseSandbox, runInSandbox } from "./sandbox.js";

const check = canUseSandbox();
const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const skipReason = check.ok ? "" : `kernel sandbox unavailable: ${check.reason}`;
if (skipReason !== "") console.warn(`sandbox.test.ts skipped: ${skipReason}`);

describe("canUseSandbox", () => {
  it("passes or gives a reason", () => {
    // Under CI the machine is set up for the kernel tests, so a failure here is a setup bug.
    if (process.env.CI === "true") expect(check).toEqual({ ok: true });
    if (!check.ok) expect(check.reason).not.toBe("");
  });
});

describe.skipIf(!check.ok)("runInSandbox", () => {
  it("prints the transcript grammar of the recordings", async () => {
    const script = [
      "# comment lines are not echoed",
      "echo out; echo err >&2; echo out2",
      "   ",
      "printf 'no newline'; exit 3",
      "true",
    ].join("\n");

    const result = await runInSandbox(script);

    expect(result.transcript).toBe(
      "$ echo out; echo err >&2; echo out2\nout\nerr\nout2\n" +
        "$ printf 'no newline'; exit 3\nno newline[exit 3]\n" +
        "$ true\n",
    );
    expect(result.commands).toEqual([
      { command: "echo out; echo err >&2; echo out2", output: "out\nerr\nout2\n", exitCode: 0 },
      { command: "printf 'no newline'; exit 3", output: "no newline", exitCode: 3 },
      { command: "true", output: "", exitCode: 0 },
    ]);
    expect(result.timedOut).toBe(false);
  });

  it("gives commands the rest of the script as standard input", async () => {
    const result = await runInSandbox(
      'read -r next; echo "got: $next"\nthis is not run\necho last\n',
    );

    expect(result.transcript).toBe(
      '$ read -r next; echo "got: $next"\ngot: this is not run\n$ echo last\nlast\n',
    );
  });

  it("starts in a fresh namespace with lo up and a private netns folder", async () => {
    const result = await runInSandbox("ip -br link\nip netns add probe\nls /run/netns\n");

    expect(result.commands[0]?.output).toBe(
      "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n",
    );
    expect(result.commands[2]?.output).toBe("probe\n");
  });

  it("leaves the machine's own namespace untouched", async () => {
    const name = `hoptrace${process.pid % 100000}`;

    const result = await runInSandbox(`ip link add ${name} type veth peer name ${name}p\n`);
    const outside = spawnSync("ip", ["link", "show", name], { encoding: "utf8" });

    expect(result.commands[0]?.exitCode).toBe(0);
    expect(outside.status).not.toBe(0);
  });

  it("stops a script at the time limit", async () => {
    const result = await runInSandbox("echo before\nsleep 30\necho after\n", { timeoutMs: 1_000 });

    expect(result.timedOut).toBe(true);
    expect(result.commands.map((record) => record.command)).toEqual(["echo before", "sleep 30"]);
    expect(result.commands[1]?.exitCode).toBeNull();
    expect(result.elapsedMs).toBeLessThan(10_000);
  });

  it("ends its sandbox when the process running it is interrupted", async () => {
    // A sleep of an odd length marks the sandbox's processes, so that pgrep finds only them.
    const marker = "sleep 47.913";
    const code = `import { runInSandbox } from "./src/host/sandbox.ts"; await runInSandbox("${marker}\\n");`;
    const runner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      stdio: "ignore",
    });
    const isRunning = (): boolean => spawnSync("pgrep", ["-f", `^${marker}`]).status === 0;
    for (let waited = 0; !isRunning() && waited < 10_000; waited += 100) await pause(100);
    expect(isRunning()).toBe(true);

    runner.kill("SIGINT");
    await new Promise((done) => runner.once("exit", done));
    for (let waited = 0; isRunning() && waited < 5_000; waited += 100) await pause(100);

    expect(isRunning()).toBe(false);
  });

  it("ends background jobs left running after the last command", async () => {
    const result = await runInSandbox("sleep 30 &\necho done\n");

    expect(result.transcript).toBe("$ sleep 30 &\n$ echo done\ndone\n");
    expect(result.elapsedMs).toBeLessThan(10_000);
  });
});
