// The shell pattern of the kernel cases around a capture: start it with `timeout ... &` and its
// output redirected, save `$!`, probe, then `tail --pid` until it ends and `cat` its file. A
// background `sleep` registers its process as a capture does.
import { describe, expect, it } from "vitest";
import { runScriptLines } from "./run.js";

const SCRIPT = `mount -t tmpfs tmpfs /tmp
ip netns add world
ip netns exec world timeout 5 sleep 100 >/tmp/cap.txt 2>&1 & echo $! >/tmp/cap.pid; sleep 1
tail -s 0.2 --pid=$(cat /tmp/cap.pid) -f /dev/null; cat /tmp/cap.txt
kill $(cat /tmp/cap.pid)
`;

describe("background capture pattern", () => {
  it("runs the job until its timeout", () => {
    const lines = runScriptLines(SCRIPT);
    const [, , start, tail, kill] = lines;

    expect(start?.output).toBe("");
    expect(start?.state.files["/tmp/cap.pid"]).toBe("1000\n");
    expect(start?.state.files["/tmp/cap.txt"]).toBe("");
    expect(start?.state.processes[1000]?.killAt).toBe(5000);
    const world = Object.values(start!.state.namespaces).find((ns) => ns.name === "world");
    expect(world).toBeDefined();
    expect(start?.state.processes[1000]?.nsId).toBe(world?.id);
    expect(start?.state.processes[1000]?.stdout).toEqual({ kind: "file", path: "/tmp/cap.txt" });
    expect(start?.state.clock).toBe(1000);
    expect(tail?.output).toBe("");
    expect(tail?.state.processes[1000]?.exit).toEqual({ at: 5000, status: 124 });
    expect(tail?.state.clock).toBe(5000);
    expect(kill?.output).toBe("bash: line 1: kill: (1000) - No such process\n");
    expect(kill?.exitCode).toBe(1);
  });
});
