import { describe, expect, it } from "vitest";
import { blankHost, declaredPreset, runLine, runScript } from "./run.js";

describe("runScript", () => {
  it("echoes commands and exit codes in transcript form", () => {
    const result = runScript(
      "# a comment\n\nip route add 10.0.0.0/24 dev nosuch\nip link show lo\n",
    );
    expect(result.transcript).toBe(
      [
        "$ ip route add 10.0.0.0/24 dev nosuch",
        'Cannot find device "nosuch"',
        "[exit 1]",
        "$ ip link show lo",
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "",
      ].join("\n"),
    );
    expect(result.exitCode).toBe(0);
  });

  it("lists namespace files in /run/netns", () => {
    const { lines } = runScript(
      "ip netns add b\nip netns add a\nls /run/netns\nls /var/run/netns/\n",
    );

    expect(lines[2]?.output).toBe("a\nb\n");
    expect(lines[3]?.output).toBe("a\nb\n");
  });

  it.each(["ls /sys/class/net", "cat /sys/class/net/lo/mtu", "cat /run/netns/a"])(
    "fails %s as not supported",
    (command) => {
      const { lines } = runScript(`ip netns add a\n${command}\n`);

      expect(lines[1]?.output).toMatch(/^hoptrace: not supported: (listing|reading) \//);
      expect(lines[1]?.exitCode).toBe(1);
    },
  );

  it("joins backslash continuations into one command", () => {
    const result = runScript(
      "ip link add veth0 \\\n  type veth peer name veth1\nip -br link show veth1\n",
    );
    expect(result.lines[0]?.command).toBe("ip link add veth0   type veth peer name veth1");
    expect(result.lines[1]?.output).toMatch(/^veth1@veth0 /);
  });

  it("runs && and || lists by exit status", () => {
    const result = runScript("false && echo no || echo yes; echo last\n");
    expect(result.lines[0]?.output).toBe("yes\nlast\n");
  });

  it("fails loudly on shell features it does not model", () => {
    const result = runScript("cat <<EOF\n");
    expect(result.lines[0]?.output).toBe('hoptrace: not supported: shell operator "<<"\n');
    expect(result.lines[0]?.exitCode).toBe(1);
  });

  it("reports unknown programs as bash does", () => {
    const result = runScript("frobnicate --now\n");
    expect(result.lines[0]?.output).toBe("bash: line 1: frobnicate: command not found\n");
    expect(result.lines[0]?.exitCode).toBe(127);
  });

  it("finds no program named like an Object method", () => {
    const result = runScript("toString\nip netns add a\nip netns exec a constructor\n");
    expect(result.lines[0]?.output).toBe("bash: line 1: toString: command not found\n");
    expect(result.lines[0]?.exitCode).toBe(127);
    expect(result.lines[2]?.output).toBe(
      'exec of "constructor" failed: No such file or directory\n',
    );
    expect(result.lines[2]?.exitCode).toBe(1);
  });

  it("names tools it does not model yet", () => {
    const result = runScript("nft list ruleset\n");
    expect(result.lines[0]?.output).toBe("hoptrace: not supported: nft\n");
  });
});

describe("runLine", () => {
  it("keeps the previous state object when a command fails", () => {
    const before = blankHost();
    const result = runLine(before, "ip route add 10.0.0.0/24 dev nosuch");
    expect(result.exitCode).toBe(1);
    expect(result.state).toBe(before);
  });

  it("rolls back a command that fails half way", () => {
    const setup = runScript("ip link add eth0 type veth peer name eth1\n").state;
    const result = runLine(setup, "ip link set eth0 up master eth1");
    expect(result.output).toBe("RTNETLINK answers: Operation not supported\n");
    expect(result.state).toBe(setup);
    expect(runLine(result.state, "ip -br link show eth0").output).toContain("DOWN");
  });

  it("yields a new state when a command succeeds", () => {
    const before = blankHost();
    const result = runLine(before, "ip netns add a");
    expect(result.exitCode).toBe(0);
    expect(result.state).not.toBe(before);
    expect(Object.isFrozen(result.state)).toBe(true);
  });
});

describe("declaredPreset", () => {
  it("reads the preset from the leading comments", () => {
    expect(declaredPreset("#!/bin/sh\n# hoptrace: preset cloud-vm\nip link\n")).toBe("cloud-vm");
  });

  it("ignores a declaration after the first command", () => {
    expect(declaredPreset("ip link\n# hoptrace: preset cloud-vm\n")).toBeUndefined();
  });
});
