/**
 * `ip netns delete` of a namespace that a background process still runs in. The kernel removes
 * only the name and keeps the namespace until the process exits, which the model lacks, so the
 * command fails as not supported and changes nothing.
 */
import { describe, expect, it } from "vitest";
import { runScript } from "../../script/run.js";

const SETUP = `ip netns add c2
timeout 4 ip netns exec c2 nc -l -p 80 >/tmp/got & sleep 0.5
`;

describe("ip netns delete", () => {
  it("rejects a namespace with a running process", () => {
    const { lines } = runScript(`${SETUP}ip netns del c2\nip netns list\n`);
    const [remove, list] = lines.slice(-2);
    expect(remove!.exitCode).toBe(1);
    expect(remove!.output).toContain("hoptrace: not supported: ip netns delete c2 while");
    expect(list!.output.trimEnd()).toBe("c2");
  });

  it("deletes it once the process has exited", () => {
    const { lines } = runScript(`${SETUP}sleep 4\nip netns del c2\nip netns list\n`);
    const [remove, list] = lines.slice(-2);
    expect(remove!.exitCode).toBe(0);
    expect(list!.output.trimEnd()).toBe("");
  });
});
