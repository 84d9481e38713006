import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/cli.js";
import { main } from "./main.js";

function scriptFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "hoptrace-cli-")), "script.sh");
  writeFileSync(path, text);
  return path;
}

const STORY = [
  "ip netns add ns1",
  "ip link add veth0 type veth peer name veth0-br netns ns1",
  "ip netns exec ns1 ping -c 1 -W 1 10.0.0.1",
  "",
].join("\n");

describe("hoptrace run", () => {
  it("prints the transcript and exits 0", async () => {
    const { status, out } = await runCli(["run", scriptFile(STORY)]);
    expect(status).toBe(0);
    expect(out).toContain(
      "$ ip netns exec ns1 ping -c 1 -W 1 10.0.0.1\nping: connect: Network is unreachable\n[exit 2]\n",
    );
  });

  it("adds where each probe died with --trace", async () => {
    const { out } = await runCli(["run", "--trace", scriptFile(STORY)]);
    expect(out).toContain("  | trace of: ip netns exec ns1 ping -c 1 -W 1 10.0.0.1");
    expect(out).toMatch(/=> DROPPED at ns1 \[IP_OUTNOROUTES\]: ns1 has no route to 10\.0\.0\.1/);
  });

  it("prints lines and traces as JSON with --json", async () => {
    const { out } = await runCli(["run", "--json", scriptFile(STORY)]);
    const parsed = JSON.parse(out) as {
      lines: { exitCode: number; probes: { packets: { verdict: { reason: string } }[] }[] }[];
    };
    const ping = parsed.lines[2]!;
    expect(ping.exitCode).toBe(2);
    expect(ping.probes[0]!.packets[0]!.verdict.reason).toBe("IP_OUTNOROUTES");
  });

  it("reports a missing script file plainly", async () => {
    const { status, err } = await runCli(["run", "/nonexistent/script.sh"]);
    expect(status).toBe(2);
    expect(err).toBe("hoptrace: cannot read /nonexistent/script.sh: No such file or directory\n");
  });

  it("lists each preset with what it lacks", async () => {
    const { status, out } = await runCli(["presets"]);
    expect(status).toBe(0);
    expect(out).toMatch(
      /^cloud-vm {2}ens5 .*ip_forward=0, no iptables rules\), unlike a host where dockerd runs\n$/,
    );
  });

  it("rejects an unknown preset with the known ones", async () => {
    const { status, err } = await runCli(["run", "--preset", "mars", scriptFile(STORY)]);
    expect(status).toBe(2);
    expect(err).toContain('unknown preset "mars"; known presets: cloud-vm');
  });
});

describe("hoptrace run --from", () => {
  const SNAPSHOT = [
    "ip netns add ns1",
    "ip link add v0 type veth peer name v0p netns ns1",
    "ip addr add 10.0.0.1/24 dev v0",
    "ip link set v0 up",
    "ip -n ns1 addr add 10.0.0.2/24 dev v0p",
    "ip -n ns1 link set v0p up",
    "",
  ].join("\n");

  it("runs the script from the snapshot's state", async () => {
    const change = scriptFile("ping -c 1 -W 1 10.0.0.2\n");

    const { status, out } = await runCli(["run", "--from", scriptFile(SNAPSHOT), change]);

    expect(status).toBe(0);
    expect(out).toContain("1 packets transmitted, 1 received, 0% packet loss");
    expect(out).not.toContain("ip netns add ns1");
  });

  it("names the snapshot line that fails", async () => {
    const snapshot = scriptFile("ip link add v0 type bridge\nip addr add 10.0.0.1/24 dev v9\n");

    const { status, err } = await runCli(["run", "--from", snapshot, scriptFile("true\n")]);

    // Bad input exits 2, as in check and diff, where 1 means that they found something.
    expect(status).toBe(2);
    expect(err).toContain(
      '"ip addr add 10.0.0.1/24 dev v9" failed in the simulator: Cannot find device "v9"',
    );
  });

  it("rejects --from together with --preset", async () => {
    const args = [
      "run",
      "--preset",
      "cloud-vm",
      "--from",
      scriptFile(SNAPSHOT),
      scriptFile("true\n"),
    ];

    const { status, err } = await runCli(args);

    expect(status).toBe(2);
    expect(err).toContain("--preset and --from both set a starting state");
  });

  it("rejects --from for a script that declares a preset", async () => {
    const script = scriptFile("# hoptrace: preset cloud-vm\nip -br addr\n");

    const { status, err } = await runCli(["run", "--from", scriptFile(SNAPSHOT), script]);

    expect(status).toBe(2);
    expect(err).toBe(
      'hoptrace: a snapshot (--from) and the script\'s "# hoptrace: preset cloud-vm" line both set a starting state; use one\n',
    );
  });
});

describe("hoptrace replay", () => {
  it("rejects --dry-run without --host", async () => {
    const { status, err } = await runCli(["replay", "--dry-run", scriptFile("true\n")]);

    expect(status).toBe(2);
    expect(err).toContain("--dry-run works only with --host or --undo");
  });

  it("reports an undo with nothing recorded", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "hoptrace-cli-state-"));
    process.env.HOPTRACE_STATE_DIR = stateDir;
    try {
      const { status, err } = await runCli(["replay", "--undo"]);

      expect(status).toBe(1);
      expect(err).toContain(`nothing to undo: no replay is recorded in ${stateDir}`);
    } finally {
      delete process.env.HOPTRACE_STATE_DIR;
    }
  });
});

describe("hoptrace check --from", () => {
  const snapshot = [
    "ip netns add a",
    "ip link add eth0 type veth peer name eth0 netns a",
    "ip addr add 10.9.0.1/24 dev eth0",
    "ip link set eth0 up",
    "ip netns exec a ip addr add 10.9.0.2/24 dev eth0",
    "ip netns exec a ip link set eth0 up",
    "",
  ].join("\n");

  it("checks a change against the snapshot's state", async () => {
    const change = scriptFile("ip netns exec a ip link set lo up\n");
    const expect_ = scriptFile("a -> 10.9.0.1 icmp: reachable\n");
    const { status, out } = await runCli([
      "check",
      "--from",
      scriptFile(snapshot),
      change,
      "--expect",
      expect_,
    ]);
    expect(out).toContain("ok       line 1: a -> 10.9.0.1 icmp: reachable");
    expect(status).toBe(0);
  });

  it("sees what the change breaks", async () => {
    const change = scriptFile("ip link set eth0 down\n");
    const expect_ = scriptFile("a -> 10.9.0.1 icmp: reachable\n");
    const { status, out } = await runCli([
      "check",
      "--from",
      scriptFile(snapshot),
      change,
      "--expect",
      expect_,
    ]);
    expect(out).toContain("VIOLATED line 1: a -> 10.9.0.1 icmp: reachable");
    expect(status).toBe(1);
  });
});

describe("hoptrace check input errors", () => {
  const net = "ip netns add a\nip netns exec a ip link set lo up\n";

  it("accepts a bracketed drop reason", async () => {
    const expectations = scriptFile("a -> 10.9.9.9 icmp: dropped [IP_OUTNOROUTES]\n");
    const { status, out } = await runCli(["check", scriptFile(net), "--expect", expectations]);
    expect(out).toContain("ok       line 1");
    expect(status).toBe(0);
  });

  it("rejects an unknown drop reason with exit 2", async () => {
    const expectations = scriptFile("a -> 10.9.9.9 icmp: dropped BOGUS_REASON\n");
    const { status, err } = await runCli(["check", scriptFile(net), "--expect", expectations]);
    expect(err).toContain('unknown drop reason "BOGUS_REASON"');
    expect(status).toBe(2);
  });

  it("rejects an unknown namespace with exit 2", async () => {
    const expectations = scriptFile("nosuch -> 10.9.9.9 icmp: reachable\n");
    const { status, err } = await runCli(["check", scriptFile(net), "--expect", expectations]);
    expect(err).toContain('no namespace "nosuch"');
    expect(status).toBe(2);
  });

  it("rejects a line it cannot parse with exit 2", async () => {
    const expectations = scriptFile("a to 10.9.9.9 is fine\n");
    const { status, err } = await runCli(["check", scriptFile(net), "--expect", expectations]);
    expect(err).toContain("cannot parse");
    expect(status).toBe(2);
  });
});

describe("hoptrace run --suggest", () => {
  it("keeps the preset a script declares when it searches fixes", async () => {
    const scenario = new URL("../../scenarios/cloud-vm-learner.sh", import.meta.url).pathname;
    const { status, out } = await runCli(["run", "--suggest", scenario]);
    expect(status).toBe(0);
    const afterLastPing = out.split("$ ip netns exec ns1 ping -c 2 -W 1 8.8.8.8\n")[1] ?? "";
    expect(afterLastPing).toContain(
      "  | fix 1 (ip-forward + masquerade):\n  |   sysctl -w net.ipv4.ip_forward=1\n",
    );
  });
});
describe("hoptrace verify", () => {
  it("refuses a script that starts from a preset", async () => {
    const { status, err } = await runCli([
      "verify",
      scriptFile("# hoptrace: preset cloud-vm\nip link\n"),
    ]);
    expect(status).toBe(2);
    expect(err).toContain("starts from preset cloud-vm");
  });
});

describe("hoptrace internal errors", () => {
  it("exit 70 with the message", async () => {
    let err = "";
    const failingWrite = (): void => {
      throw new Error("write failed");
    };

    const status = await main(["presets"], failingWrite, (text) => (err += text));

    expect(status).toBe(70);
    expect(err).toBe("hoptrace: internal error: write failed\n");
  });
});
