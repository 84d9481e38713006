import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";

async function runCli(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const status = await main(
    argv,
    (text) => (out += text),
    (text) => (err += text),
  );
  return { status, out, err };
}

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
    expect(status).toBe(1);
    expect(err).toBe("hoptrace: cannot read /nonexistent/script.sh: No such file or directory\n");
  });

  it("rejects an unknown preset with the known ones", async () => {
    const { status, err } = await runCli(["run", "--preset", "mars", scriptFile(STORY)]);
    expect(status).toBe(1);
    expect(err).toContain('unknown preset "mars"; known presets: cloud-vm');
  });
});
