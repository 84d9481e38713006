/// <reference types="node" />
// Builds a known state on the real kernel in a sandbox, runs `hoptrace snapshot` there, rebuilds
// the snapshot in the simulator and checks that the listings agree with the kernel's.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareTranscripts } from "../script/compare.js";
import { runScript, stateFromSnapshot } from "../script/run.js";
import { cliLine } from "../../test/kernel/cli-line.js";
import { canUseSandbox, runInSandbox } from "./sandbox.js";

const check = canUseSandbox();
if (!check.ok)
  console.warn(`snapshot.test.ts skipped: kernel sandbox unavailable: ${check.reason}`);

const folder = mkdtempSync(join(tmpdir(), "hoptrace-snapshot-test-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Each namespace peers with the host only: the kernel hands out nsids lazily, in an order the
// simulator does not follow when one namespace has veth peers in several others.
const BUILD = `
ip netns add ns1
ip netns add ns2
ip link add v0 type veth peer name v0p netns ns1
ip link add gone type bridge
ip link del gone
ip link add br0 type bridge
ip link add p1 type veth peer name p1b
ip link set p1 master br0
ip link add x1 type veth peer name x2 netns ns2
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.5/24 dev v0
ip addr add 192.0.2.1/24 brd + dev br0
ip link set v0 up
ip link set br0 up
ip link set p1 up
ip link set p1b up
ip link set p1b mtu 1400
ip link set x1 up
ip addr add 198.51.100.1/24 dev x1
ip -n ns1 addr add 10.0.0.2/24 dev v0p
ip -n ns1 link set v0p up
ip -n ns1 link set lo up
ip -n ns2 addr add 198.51.100.2/24 dev x2
ip -n ns2 link set x2 up
ip -n ns2 route add default via 198.51.100.1
ip route add 203.0.113.0/24 via 10.0.0.2 metric 5
ip route add blackhole 198.18.0.0/15 table 100
ip netns exec ns1 sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.ipv4.conf.all.rp_filter=2
ip link add mv0 link x1 type macvlan
ip link set mv0 up
ip link add mv1 link p1b type macvlan mode bridge
ip link set mv1 netns ns2
ip -n ns2 addr add 192.0.2.9/24 dev mv1
ip -n ns2 link set mv1 up
sleep 1
`;

// IPv6 routes are left out: the simulator does not route IPv6.
const LISTINGS = ["", "-n ns1 ", "-n ns2 "]
  .flatMap((ns) => [`ip ${ns}link show`, `ip ${ns}addr show`, `ip ${ns}-4 route show table all`])
  .concat([
    "ip netns list",
    "sysctl net.ipv4.conf.all.rp_filter",
    "ip netns exec ns1 sysctl net.ipv4.ip_forward",
  ]);

describe.skipIf(!check.ok)("hoptrace snapshot", () => {
  it("rebuilds the kernel's listings in the simulator", async () => {
    const snapshotPath = join(folder, "snapshot.sh");
    const script = `${BUILD}${cliLine(`snapshot -o ${snapshotPath}`)}\n${LISTINGS.join("\n")}\n`;

    const kernel = await runInSandbox(script, { timeoutMs: 60_000 });
    const snapshot = readFileSync(snapshotPath, "utf8");
    const simulated = runScript(LISTINGS.join("\n"), { from: stateFromSnapshot(snapshot) });

    const snapshotRun = kernel.commands.find((record) => record.command.includes(" snapshot -o "));
    expect(snapshotRun?.exitCode, snapshotRun?.output).toBe(0);
    const listings = kernel.commands.slice(-LISTINGS.length);
    const expected = listings.map((record) => `$ ${record.command}\n${record.output}`).join("");
    const comparison = compareTranscripts(expected, simulated.transcript);
    expect(comparison.agree, `${comparison.diff}\nsnapshot:\n${snapshot}`).toBe(true);
  });
});
