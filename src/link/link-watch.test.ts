import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

/** Runs `script` and returns the output of its last command. */
function lastOutput(script: string): string {
  return runScript(script).lines.at(-1)!.output;
}

describe("syncLinks", () => {
  it("updates a settled namespace when a peer comes up", () => {
    // The bridge command in between lets link watch find namespace b settled, so the last
    // command must notice that the peer of b's eth0 changed.
    const output = lastOutput(`ip netns add b
ip link add v type veth peer name eth0 netns b
ip -n b link set eth0 up
ip link add br0 type bridge
ip link set v up
ip -n b link show eth0
`);
    expect(output).toContain("state UP");
    expect(output).toContain("LOWER_UP");
  });

  it("updates a settled namespace when a peer goes down", () => {
    const output = lastOutput(`ip netns add b
ip link add v type veth peer name eth0 netns b
ip -n b link set eth0 up
ip link set v up
ip link add br0 type bridge
ip link set v down
ip -n b link show eth0
`);
    expect(output).toContain("NO-CARRIER");
    expect(output).not.toContain("state UP");
  });
});
