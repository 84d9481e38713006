import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

function runLast(script: string): { output: string; exitCode: number } {
  return runScript(`${script}\n`).lines.at(-1)!;
}

describe("sysctl names", () => {
  it("rejects a real unmodelled name", () => {
    const line = runLast("sysctl net.ipv4.tcp_syncookies");

    expect(line.output).toContain("not supported: sysctl net.ipv4.tcp_syncookies");
    expect(line.exitCode).not.toBe(0);
  });

  it("cannot stat a name Linux lacks", () => {
    const line = runLast("sysctl net.ipv4.tcp_bogus");

    expect(line.output).toBe(
      "sysctl: cannot stat /proc/sys/net/ipv4/tcp_bogus: No such file or directory\n",
    );
    expect(line.exitCode).toBe(1);
  });

  it("needs the link of a per-link name", () => {
    const missing = runLast("sysctl net.ipv4.conf.eth9.arp_accept");
    const present = runLast("sysctl net.ipv4.conf.lo.arp_accept");

    expect(missing.output).toContain("cannot stat /proc/sys/net/ipv4/conf/eth9/arp_accept");
    expect(present.output).toContain("not supported");
  });

  it("keeps names outside the list unsupported", () => {
    const line = runLast("sysctl net.ipv6.conf.all.forwarding");

    expect(line.output).toContain("not supported");
  });
});
