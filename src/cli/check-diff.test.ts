import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/cli.js";

const scenario = resolve(fileURLToPath(import.meta.url), "../../../scenarios/container-bridge.sh");
const dir = mkdtempSync(join(tmpdir(), "hoptrace-check-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const fixed = file(
  "fixed.sh",
  `${readFileSync(scenario, "utf8")}sysctl -w net.ipv4.ip_forward=1\n`,
);

const EXPECT = [
  "# ns1 and ns2 share the bridge; only ns1 has a default route",
  "ns1 -> 172.18.0.3 icmp: reachable",
  "ns1 -> 203.0.113.8 icmp: dropped IP_INADDRERRORS",
  "ns2 -> 203.0.113.8 icmp: dropped",
  "ns1 -> 172.18.0.3 tcp/22: reachable",
  "ns1 -> 203.0.113.8 tcp/443: dropped IP_INADDRERRORS",
  "",
].join("\n");

describe("hoptrace check", () => {
  it("passes the container-bridge expectations", async () => {
    const { status, out } = await runCli(["check", scenario, "--expect", file("ok.txt", EXPECT)]);
    expect(status).toBe(0);
    expect(out).toContain("ok       line 2: ns1 -> 172.18.0.3 icmp: reachable\n");
    expect(out).toContain("ok       line 3: ns1 -> 203.0.113.8 icmp: dropped IP_INADDRERRORS\n");
    expect(out).toContain("ok       line 5: ns1 -> 172.18.0.3 tcp/22: reachable\n");
    expect(out).toContain("ok       line 6: ns1 -> 203.0.113.8 tcp/443: dropped IP_INADDRERRORS\n");
    expect(out).toContain("5 expectations: 5 held, 0 violated, 0 not supported\n");
  });

  it("reports the verdict change of the forwarding fix", async () => {
    const { status, out } = await runCli(["check", fixed, "--expect", file("ok2.txt", EXPECT)]);
    expect(status).toBe(1);
    expect(out).toContain(
      "VIOLATED line 3: ns1 -> 203.0.113.8 icmp: dropped IP_INADDRERRORS: got dropped at vpc/wan0 [IP_INNOROUTES]\n",
    );
    expect(out).toContain(
      "  |   => DROPPED at vpc/wan0 [IP_INNOROUTES]: vpc forwards, but has no route to 172.18.0.2",
    );
    expect(out).toContain(
      "VIOLATED line 6: ns1 -> 203.0.113.8 tcp/443: dropped IP_INADDRERRORS: got dropped at vpc/wan0 [IP_INNOROUTES]\n",
    );
    expect(out).toContain("5 expectations: 3 held, 2 violated, 0 not supported\n");
  });

  it("suggests fixes for a TCP expectation", async () => {
    const expectations = file("tcp.txt", "ns1 -> 203.0.113.8 tcp/443: reachable\n");
    const { status, out } = await runCli([
      "check",
      "--suggest",
      scenario,
      "--expect",
      expectations,
    ]);
    expect(status).toBe(1);
    expect(out).toContain(
      "VIOLATED line 1: ns1 -> 203.0.113.8 tcp/443: reachable: got dropped at host/docker1 [IP_INADDRERRORS]\n",
    );
    expect(out).toContain(
      [
        "  suggestions:",
        "    fix 1 (ip-forward + masquerade):",
        "      sysctl -w net.ipv4.ip_forward=1",
        "      iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE",
      ].join("\n"),
    );
  });

  it("reports a refused expectation that connects", async () => {
    const expectations = file("refused.txt", "ns1 -> 172.18.0.3 tcp/22: refused\n");
    const { status, out } = await runCli(["check", scenario, "--expect", expectations]);
    expect(status).toBe(1);
    expect(out).toContain("VIOLATED line 1: ns1 -> 172.18.0.3 tcp/22: refused: got reachable\n");
  });

  it("listens only where --listen says", async () => {
    const expectations = file(
      "listen.txt",
      "ns1 -> 172.18.0.3 tcp/22: refused\nns1 -> 172.18.0.3 tcp/80: reachable\n",
    );
    const args = ["check", scenario, "--expect", expectations, "--listen", "ns2:80"];
    const { status, out } = await runCli(args);
    expect(status).toBe(0);
    expect(out).toContain("ok       line 1: ns1 -> 172.18.0.3 tcp/22: refused\n");
    expect(out).toContain("ok       line 2: ns1 -> 172.18.0.3 tcp/80: reachable\n");
  });

  it("rejects a malformed --listen", async () => {
    const args = ["check", scenario, "--expect", file("l.txt", EXPECT), "--listen", "ns2"];
    const { status, err } = await runCli(args);
    expect(status).toBe(2);
    expect(err).toBe(
      'hoptrace: invalid --listen "ns2": write NAMESPACE:PORT with a port from 1 to 65535, such as ns2:22, and /tcp or /udp for one protocol\n',
    );
  });

  it("listens with one protocol where --listen names it", async () => {
    const expectations = file(
      "listen-udp.txt",
      "ns1 -> 172.18.0.3 udp/53: reachable\nns1 -> 172.18.0.3 tcp/53: refused\n",
    );
    const args = ["check", scenario, "--expect", expectations, "--listen", "ns2:53/udp"];
    const { status, out } = await runCli(args);

    expect(status).toBe(0);
    expect(out).toContain("ok       line 1: ns1 -> 172.18.0.3 udp/53: reachable\n");
    expect(out).toContain("ok       line 2: ns1 -> 172.18.0.3 tcp/53: refused\n");
  });

  it("rejects a --listen protocol other than tcp or udp", async () => {
    const args = ["check", scenario, "--expect", file("l3.txt", EXPECT), "--listen", "ns2:53/sctp"];
    const { status, err } = await runCli(args);

    expect(status).toBe(2);
    expect(err).toContain('hoptrace: invalid --listen "ns2:53/sctp"');
  });

  it("rejects --listen in an unknown namespace", async () => {
    const args = ["check", scenario, "--expect", file("l2.txt", EXPECT), "--listen", "nsX:22"];
    const { status, err } = await runCli(args);
    expect(status).toBe(2);
    expect(err).toContain('--listen nsX:22: no namespace "nsX"');
  });

  it("fails when a command of the change fails", async () => {
    const change = file("bad.sh", "ip netns add a\nip link set nosuch up\n");
    const { status, out } = await runCli([
      "check",
      change,
      "--expect",
      file("e.txt", "a -> 10.0.0.1 icmp: dropped\n"),
    ]);
    expect(status).toBe(1);
    expect(out).toContain(
      `FAILED   ${change} line 2: "ip link set nosuch up" exited 1: Cannot find device "nosuch"\n`,
    );
    expect(out).toContain(
      "1 expectation: 1 held, 0 violated, 0 not supported; 1 command of the change failed\n",
    );
  });

  it("rejects an expectation it cannot parse", async () => {
    const { status, err } = await runCli([
      "check",
      scenario,
      "--expect",
      file("bad.txt", "ns1 to 10.0.0.1\n"),
    ]);
    // Bad input exits 2, so that a script can tell it from a violated expectation (exit 1).
    expect(status).toBe(2);
    expect(err).toContain(
      `bad.txt line 1: cannot parse "ns1 to 10.0.0.1"; expected "NS -> ADDRESS PROTOCOL: VERDICT [DROP_REASON]"`,
    );
  });

  it("shows the failed command behind a missing namespace", async () => {
    const script = file("syntax.sh", 'ip netns add "a b\n');
    const expectations = file("syntax.txt", "a -> 10.0.0.1 icmp: reachable\n");
    const { status, out, err } = await runCli(["check", script, "--expect", expectations]);

    expect(status).toBe(2);
    expect(out).toBe(
      `FAILED   ${script} line 1: "ip netns add "a b" exited 2: bash: -c: line 1: unexpected EOF while looking for matching \`"'\n`,
    );
    expect(err).toContain('syntax.txt line 1: no namespace "a" in');
  });

  it("rejects an expectation file with only comments", async () => {
    const expectations = file("empty.txt", "# nothing yet\n\n");
    const { status, err } = await runCli(["check", scenario, "--expect", expectations]);

    expect(status).toBe(2);
    expect(err).toContain(`empty.txt has no expectations; write one per line`);
  });

  it("skips an IPv6 expectation and exits 2", async () => {
    const expectations = file("v6.txt", "ns1 -> 2001:db8::1 icmp: reachable\n");
    const { status, out } = await runCli(["check", scenario, "--expect", expectations]);

    expect(out).toContain(
      'SKIPPED  line 1: ns1 -> 2001:db8::1 icmp: reachable: not supported: IPv6 address "2001:db8::1" (only IPv4 is modelled)',
    );
    expect(out).toContain("1 expectation: 0 held, 0 violated, 1 not supported");
    expect(status).toBe(2);
  });

  it("requires --expect", async () => {
    const { status, err } = await runCli(["check", scenario]);
    expect(status).toBe(2);
    expect(err).toContain("--expect <file>");
  });
});

describe("hoptrace diff", () => {
  it("refuses a second --port", async () => {
    const args = ["diff", "--protocol", "tcp", "--port", "22", "--port", "23", scenario, scenario];
    const { status, err } = await runCli(args);
    expect(status).toBe(2);
    expect(err).toContain("--port given twice");
  });

  it("refuses a --listen port out of range", async () => {
    const expect_ = resolve(
      fileURLToPath(import.meta.url),
      "../../../scenarios/container-bridge.expect",
    );
    const { status } = await runCli(["check", scenario, "--expect", expect_, "--listen", "ns1:0"]);
    expect(status).toBe(2);
  });

  it("exits 2 for a script it cannot read", async () => {
    const { status, err } = await runCli(["diff", scenario, "/nonexistent/after.sh"]);
    expect(status).toBe(2);
    expect(err).toBe("hoptrace: cannot read /nonexistent/after.sh: No such file or directory\n");
  });

  it("prints the exact verdict changes of the forwarding fix", async () => {
    const { status, out } = await runCli(["diff", scenario, fixed]);
    expect(status).toBe(1);
    expect(out).toBe(
      [
        "ns1 -> 172.31.48.1 icmp: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc [IP_OUTNOROUTES]",
        "ns1 -> 198.51.100.1 icmp: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc [IP_OUTNOROUTES]",
        "ns1 -> 198.51.100.2 icmp: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc/wan0 [IP_INNOROUTES]",
        "ns1 -> 203.0.113.8 icmp: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc/wan0 [IP_INNOROUTES]",
        "4 of 40 pairs changed (icmp)",
        "",
      ].join("\n"),
    );
  });

  it("shows reachability gained once the VPC routes back", async () => {
    const routed = file(
      "routed.sh",
      `${readFileSync(fixed, "utf8")}ip netns exec vpc ip route add 172.18.0.0/24 via 172.31.59.121\n`,
    );
    const { out } = await runCli(["diff", scenario, routed]);
    expect(out).toContain(
      "ns1 -> 203.0.113.8 icmp: dropped at host/docker1 [IP_INADDRERRORS] => reachable\n",
    );
    expect(out).toContain(
      "world -> 172.18.0.2 icmp: dropped at vpc/wan0 [IP_INNOROUTES] => reachable\n",
    );
  });

  it("prints both traces with --trace", async () => {
    const { out } = await runCli(["diff", "--trace", scenario, fixed]);
    expect(out).toContain(
      `  | in ${scenario}:\n  | ns1 -> 172.31.48.1 icmp: dropped at host/docker1 [IP_INADDRERRORS]`,
    );
    expect(out).toContain(
      `  | in ${fixed}:\n  | ns1 -> 172.31.48.1 icmp: dropped at vpc [IP_OUTNOROUTES]`,
    );
  });

  it("exits 0 when nothing changed", async () => {
    const { status, out } = await runCli(["diff", scenario, scenario]);
    expect(status).toBe(0);
    expect(out).toBe("0 of 40 pairs changed (icmp)\n");
  });

  it("reports a failed command of either script", async () => {
    const a = file("fail-a.sh", "ip netns add a\nip link set nosuch up\n");
    const b = file("fail-b.sh", "ip netns add a\nip route add 10.8.0.0/16 via 10.9.9.9\n");
    const { status, out } = await runCli(["diff", a, b]);
    expect(status).toBe(2);
    expect(out).toContain(
      `FAILED   ${a} line 2: "ip link set nosuch up" exited 1: Cannot find device "nosuch"\n`,
    );
    expect(out).toContain(
      `FAILED   ${b} line 2: "ip route add 10.8.0.0/16 via 10.9.9.9" exited 2:`,
    );
    expect(out).toContain("0 of 0 pairs changed (icmp); 2 commands failed\n");
  });

  it("exits 2 with the changes when only the after script fails", async () => {
    const broken = file("broken.sh", `${readFileSync(fixed, "utf8")}ip link set nosuch up\n`);
    const { status, out } = await runCli(["diff", scenario, broken]);
    expect(status).toBe(2);
    expect(out).toContain(`FAILED   ${broken} line `);
    expect(out).toContain("4 of 40 pairs changed (icmp); 1 command failed\n");
  });

  it("lists pairs of a namespace only one script has", async () => {
    const a = file("one.sh", "ip netns add a\n");
    const b = file(
      "two.sh",
      "ip netns add a\nip netns add b\nip netns exec b ip link set lo up\nip netns exec b ip addr add 192.0.2.1/32 dev lo\n",
    );
    const { out } = await runCli(["diff", a, b]);
    expect(out).toContain(`b -> 192.0.2.1 icmp: no namespace b in ${a} => reachable\n`);
    // a had no route to 192.0.2.1 before and has none after, so the pair is unchanged.
    expect(out).not.toContain("a -> 192.0.2.1");
    expect(out).toContain("1 of 3 pairs changed (icmp)\n");
  });

  it("probes TCP with --protocol and --port", async () => {
    const { status, out } = await runCli([
      "diff",
      "--protocol",
      "tcp",
      "--port",
      "22",
      scenario,
      fixed,
    ]);
    expect(status).toBe(1);
    expect(out).toContain(
      "ns1 -> 203.0.113.8 tcp/22: dropped at host/docker1 [IP_INADDRERRORS] => dropped at vpc/wan0 [IP_INNOROUTES]\n",
    );
    expect(out).toContain("4 of 40 pairs changed (tcp/22)\n");
  });

  it("rejects a port without tcp or udp", async () => {
    const { status, err } = await runCli(["diff", "--port", "22", scenario, fixed]);
    expect(status).toBe(2);
    expect(err).toBe("hoptrace: --port needs --protocol tcp or --protocol udp\n");
  });

  it("rejects tcp without a port", async () => {
    const { status, err } = await runCli(["diff", "--protocol", "tcp", scenario, fixed]);
    expect(status).toBe(2);
    expect(err).toBe(
      "hoptrace: missing --port: --protocol tcp needs --port with a port from 1 to 65535\n",
    );
  });

  it("rejects a port out of range", async () => {
    const args = ["diff", "--protocol", "udp", "--port", "70000", scenario, fixed];
    const { status, err } = await runCli(args);
    expect(status).toBe(2);
    expect(err).toBe(
      'hoptrace: --protocol udp needs --port with a port from 1 to 65535, got "70000"\n',
    );
  });

  it("rejects an unknown protocol", async () => {
    const { status, err } = await runCli(["diff", "--protocol", "sctp", scenario, fixed]);
    expect(status).toBe(2);
    expect(err).toContain('invalid --protocol "sctp"');
  });
});
