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

describe("sysctl -e", () => {
  it("skips a name Linux lacks silently", () => {
    expect(runLast("sysctl -e -w net.ipv4.ip_nonexist=1")).toMatchObject({
      output: "",
      exitCode: 0,
    });
    expect(runLast("sysctl -e net.ipv4.ip_nonexist")).toMatchObject({ output: "", exitCode: 0 });
  });

  it("still writes the other names", () => {
    const line = runLast("sysctl -e -w net.ipv4.ip_nonexist=1 net.ipv4.ip_forward=1");

    expect(line.output).toBe("net.ipv4.ip_forward = 1\n");
  });

  it("still reports a bad value", () => {
    const line = runLast("sysctl -e -w net.ipv4.ip_forward=abc");

    expect(line.exitCode).toBe(1);
    expect(line.output).toBe('sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n');
  });
});

describe("writing /proc/sys with the shell", () => {
  it("turns on forwarding with echo", () => {
    const { lines } = runScript(
      "ip link add v type veth peer name w\necho 1 > /proc/sys/net/ipv4/ip_forward\nsysctl net.ipv4.conf.v.forwarding\n",
    );

    expect(lines[1]).toMatchObject({ output: "", exitCode: 0 });
    expect(lines[2]!.output).toBe("net.ipv4.conf.v.forwarding = 1\n");
  });

  it("writes inside the namespace of the shell", () => {
    const { lines } = runScript(
      "ip netns add a\nip netns exec a sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'\nip netns exec a sysctl -n net.ipv4.ip_forward\nsysctl -n net.ipv4.ip_forward\n",
    );

    expect(lines[2]!.output).toBe("1\n");
    expect(lines[3]!.output).toBe("0\n");
  });

  it("reports a bad value as a write error", () => {
    const line = runLast("echo abc > /proc/sys/net/ipv4/ip_forward");

    expect(line).toMatchObject({
      output: "bash: line 1: echo: write error: Invalid argument\n",
      exitCode: 1,
    });
  });

  it("cannot open a name Linux lacks", () => {
    const line = runLast("echo 1 > /proc/sys/net/ipv4/nonexistent");

    expect(line.output).toBe(
      "bash: line 1: /proc/sys/net/ipv4/nonexistent: No such file or directory\n",
    );
  });

  it("keeps the first of two numbers", () => {
    const line = runLast(
      "sh -c 'echo 1; echo 0' > /proc/sys/net/ipv4/ip_forward\nsysctl -n net.ipv4.ip_forward",
    );

    expect(line.output).toBe("1\n");
  });

  it("rejects a /proc file that is not a sysctl", () => {
    expect(runLast("echo 1 > /proc/net/nf_conntrack").output).toContain("not supported");
  });
});
