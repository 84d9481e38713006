import { describe, expect, it } from "vitest";
import { runScript } from "../../script/run.js";

/** Runs `command` on a host with one veth and returns the first line `ip route get` printed. */
function firstLine(setup: string, command: string): string {
  const { lines } = runScript(
    `ip link add v type veth peer name w\nip link set v up\n${setup}${command}\n`,
  );
  return lines.at(-1)!.output.split("\n")[0]!;
}

describe("ip route get", () => {
  it("omits a source of 0.0.0.0", () => {
    expect(firstLine("ip route add 10.9.0.0/16 dev v\n", "ip route get 10.9.0.1")).toBe(
      "10.9.0.1 dev v uid 0 ",
    );
  });

  it.each([
    [7, "mark 7 "],
    [15, "mark 15 "],
    [16, "mark 0x10 "],
    [0x106, "mark 0x106 "],
  ])("prints mark %i as iproute2 does", (mark, text) => {
    const setup = "ip addr add 10.0.0.1/24 dev v\nip route add default via 10.0.0.2\n";

    expect(firstLine(setup, `ip route get 192.0.2.1 mark ${mark}`)).toBe(
      `192.0.2.1 via 10.0.0.2 dev v src 10.0.0.1 ${text}uid 0 `,
    );
  });
});
