/// <reference types="node" />
import { readFileSync } from "node:fs";
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { parseIp4Strict } from "../addr/ip4.js";
import type { NetState } from "../netns/state.js";
import { findNetns } from "../netns/state.js";
import { settleTimers } from "../path/engine.js";
import type { ProbeTrace } from "../path/verdict.js";
import type { OpenResult } from "../proc/dev-socket.js";
import { closeDevSocket, openDevSocket, writeDevSocket } from "../proc/dev-socket.js";
import { allocatePid, spawnProcess } from "../proc/jobs.js";
import { stopProcess } from "../proc/programs.js";
import { readFile } from "../proc/vfs.js";
import { runLine, runScript } from "../script/run.js";
import { normalizeTranscript } from "../script/normalize.js";
import type { ToolContext } from "./context.js";
import { nc } from "./nc.js";

const kernelFolder = new URL("../../../shared/kernel/", import.meta.url);
const localFolder = new URL("../../test/kernel/cases/", import.meta.url);

/** Returns the URL of file `name` of a recorded case: a local `tcp-` case, else a shared one. */
function caseFile(name: string): URL {
  return new URL(name, name.startsWith("tcp-") ? localFolder : kernelFolder);
}

/** Returns the lines of case `name` up to (not including) the first that contains `stop`. */
function scriptUntil(name: string, stop: string): string {
  const lines = readFileSync(caseFile(`${name}.sh`), "utf8").split("\n");
  const end = lines.findIndex((line) => line.includes(stop));
  return lines.slice(0, end).join("\n");
}

/** Returns the recorded block of the command `command` in case `name`, normalised. */
function recordedBlock(name: string, command: string): string {
  const text = normalizeTranscript(readFileSync(caseFile(`${name}.out`), "utf8"));
  const blocks = text.split(/^(?=\$ )/m).filter((block) => block.startsWith(`$ ${command}\n`));
  return blocks[0]!;
}

/** What one command run through {@link runIn} left behind. */
interface Step {
  state: NetState;
  out: string[];
  probes: ProbeTrace[];
  status: number;
}

/** Runs `tool` in namespace `nsName` (the host when undefined), as the shell runs a command. */
function runIn(
  state: NetState,
  nsName: string | undefined,
  tool: (ctx: ToolContext) => number,
  extra: Partial<ToolContext> = {},
): Step {
  const out: string[] = [];
  const probes: ProbeTrace[] = [];
  let status = 0;
  const next = produce(state, (draft) => {
    settleTimers(draft);
    const nsId = nsName === undefined ? 0 : findNetns(draft, nsName)!.id;
    const ctx: ToolContext = { state: draft, nsId, out, probes, commandLine: "test", ...extra };
    status = tool(ctx);
  });
  return { state: next, out, probes, status };
}

/** Starts `nc ARGS` in the background of `nsName`, writing to `file`, under `timeout`. */
function startListener(
  state: NetState,
  nsName: string,
  args: string[],
  file: string,
  lifetimeMs: number,
): { state: NetState; pid: number } {
  let pid = 0;
  const next = produce(state, (draft) => {
    pid = allocatePid(draft);
    const ns = findNetns(draft, nsName)!;
    spawnProcess(draft, {
      pid,
      nsId: ns.id,
      command: `nc ${args.join(" ")}`,
      killAt: draft.clock + lifetimeMs,
      stdout: { kind: "file", path: file },
      stderr: { kind: "file", path: file },
      program: { kind: "plain" },
    });
  });
  const step = runIn(next, nsName, (ctx) => nc(ctx, args), {
    background: { pid },
    deadline: next.clock + lifetimeMs,
  });
  return { state: step.state, pid };
}

function sleep(state: NetState, ms: number): NetState {
  return produce(state, (draft) => {
    draft.clock += ms;
  });
}

function command(state: NetState, text: string): { state: NetState; output: string } {
  const line = runLine(state, text);
  return { state: line.state, output: normalizeTranscript(`$ ${text}\n${line.output}`) };
}

describe("nc against a background listener", () => {
  it("carries data through DNAT and counts it as Linux does", () => {
    const name = "nf-listing-shapes";
    let state = runScript(scriptUntil(name, "nc -l 80")).state;
    ({ state } = startListener(state, "ns1", ["-l", "80"], "/tmp/got.txt", 4000));
    state = sleep(state, 500);

    const client = runIn(
      state,
      "world",
      (ctx) => nc(ctx, ["-N", "-w", "2", "192.0.2.10", "8080"]),
      {
        stdin: "hello\n",
      },
    );
    state = client.state;

    expect(client.status).toBe(0);
    expect(client.out).toEqual([]);
    expect(readFile(state, "/tmp/got.txt")).toBe("hello\n");
    for (const text of ["iptables -L FORWARD -n -v", "iptables -t nat -L -n -v"]) {
      expect(command(state, text).output).toBe(recordedBlock(name, text));
    }
  });

  it("ends a one-shot listener after its connection", () => {
    const name = "nf-listing-shapes";
    let state = runScript(scriptUntil(name, "nc -l 80")).state;
    let pid: number;
    ({ state, pid } = startListener(state, "ns1", ["-l", "80"], "/tmp/got.txt", 4000));

    state = runIn(state, "world", (ctx) => nc(ctx, ["-N", "-w", "2", "192.0.2.10", "8080"]), {
      stdin: "one\n",
    }).state;
    const second = runIn(state, "world", (ctx) =>
      nc(ctx, ["-z", "-v", "-w", "2", "192.0.2.10", "8080"]),
    );

    expect(state.processes[pid]!.exit).toEqual({ at: state.clock, status: 0 });
    expect(second.out).toEqual([
      "nc: connect to 192.0.2.10 port 8080 (tcp) failed: Connection refused",
    ]);
    expect(second.status).toBe(1);
  });

  it("keeps a -k listener until timeout kills it", () => {
    let state = runScript(scriptUntil("nat-dnat-port-forward", "# End of yesterday")).state;
    state = command(state, "sysctl -w net.ipv4.ip_forward=1").state;
    let pid: number;
    ({ state, pid } = startListener(state, "ns1", ["-l", "-k", "80"], "/dev/null", 6000));
    const args = ["-z", "-v", "-w", "2", "172.18.0.2", "80"];

    const first = runIn(state, "ns2", (ctx) => nc(ctx, args));
    const second = runIn(first.state, "ns2", (ctx) => nc(ctx, args));
    const late = runIn(sleep(second.state, 6000), "ns2", (ctx) => nc(ctx, args));

    const success = "Connection to 172.18.0.2 80 port [tcp/http] succeeded!";
    expect(first.out).toEqual([success]);
    expect(second.out).toEqual([success]);
    expect(late.state.processes[pid]!.exit?.status).toBe(124);
    expect(late.out).toEqual([
      "nc: connect to 172.18.0.2 port 80 (tcp) failed: Connection refused",
    ]);
  });

  it("forwards a port both ways with DNAT", () => {
    const name = "nat-dnat-port-forward";
    let state = runScript(scriptUntil(name, "# A listener in ns1")).state;
    ({ state } = startListener(state, "ns1", ["-l", "80"], "/tmp/ns1-got.txt", 6000));
    state = sleep(state, 1500);

    const client = runIn(
      state,
      "world",
      (ctx) => nc(ctx, ["-N", "-w", "2", "172.31.59.121", "8080"]),
      {
        stdin: "hello-from-world\n",
      },
    );
    state = client.state;
    const entries = state.namespaces[0]!.conntrack!.filter(
      (entry) => entry.orig.protocol === "tcp",
    );

    expect(readFile(state, "/tmp/ns1-got.txt")).toBe("hello-from-world\n");
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    expect(entry.tcpState).toBe("TIME_WAIT");
    expect(entry.isAssured).toBe(true);
    expect(entry.reply.src).toBe(parseIp4Strict("172.18.0.2"));
    expect(entry.reply.sport).toBe(80);
    expect(entry.reply.dst).toBe(parseIp4Strict("198.51.100.2"));
    expect(entry.reply.dport).toBe(entry.orig.sport);
    expect(entry.expiresAt - state.clock).toBe(120_000);
  });
});

describe("the DNAT port forward of a recorded case", () => {
  it("prints and counts what the kernel did", () => {
    const name = "nat-dnat-port-forward";
    let state = runScript(scriptUntil(name, "# A listener in ns1")).state;
    ({ state } = startListener(state, "ns1", ["-l", "80"], "/tmp/ns1-got.txt", 6000));
    state = sleep(state, 1500);
    state = runIn(state, "world", (ctx) => nc(ctx, ["-N", "-w", "2", "172.31.59.121", "8080"]), {
      stdin: "hello-from-world\n",
    }).state;
    state = sleep(state, 500);
    ({ state } = startListener(state, "ns1", ["-l", "80"], "/tmp/ns1-got2.txt", 4000));
    state = sleep(state, 500);
    state = runIn(state, "world", (ctx) => {
      const opened = openDevSocket(ctx, "tcp", "172.31.59.121", 8080);
      if (opened.ok) closeDevSocket(ctx, opened.socket);
      return 0;
    }).state;
    state = sleep(state, 500);

    const probes: [string | undefined, string][] = [
      ["world", "nc -z -v -w 2 172.31.59.121 8080"],
      [undefined, "nc -z -v -w 2 172.31.59.121 8080"],
    ];
    const outputs: string[] = [];
    const probe = (nsName: string | undefined, text: string): void => {
      const step = runIn(state, nsName, (ctx) => nc(ctx, text.split(" ").slice(1)));
      state = step.state;
      outputs.push(step.out.join("\n"));
    };
    probe(...probes[0]!);
    ({ state } = startListener(state, "ns1", ["-l", "-k", "80"], "/dev/null", 6000));
    state = sleep(state, 500);
    probe(...probes[1]!);
    const rule =
      "iptables -t nat -A OUTPUT -d 172.31.59.121/32 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80";
    state = command(state, rule).state;
    probe(...probes[1]!);
    probe(...probes[0]!);

    const refused = "nc: connect to 172.31.59.121 port 8080 (tcp) failed: Connection refused";
    const succeeded = "Connection to 172.31.59.121 8080 port [tcp/http-alt] succeeded!";
    expect(outputs).toEqual([refused, refused, succeeded, succeeded]);
    const listing = "iptables -t nat -L -n -v";
    expect(command(state, listing).output).toBe(recordedBlock(name, listing));

    const own = state.namespaces[0]!.conntrack!.filter(
      (entry) => entry.orig.src === parseIp4Strict("172.31.59.121"),
    );
    expect(own).toHaveLength(1);
    expect(own[0]!.tcpState).toBe("TIME_WAIT");
    expect(own[0]!.reply.src).toBe(parseIp4Strict("172.18.0.2"));
    expect(own[0]!.reply.dst).toBe(parseIp4Strict("172.31.59.121"));
    expect(own[0]!.reply.dport).toBe(own[0]!.orig.sport);
  });
});

describe("the recorded listener case", () => {
  it("prints and counts what the kernel did", () => {
    const name = "tcp-listener";
    let state = runScript(scriptUntil(name, "timeout 5 nc -l 80")).state;
    const outputs: string[] = [];
    const client = (args: string, stdin?: string): void => {
      const step = runIn(
        state,
        "a",
        (ctx) => nc(ctx, args.split(" ")),
        stdin === undefined ? {} : { stdin },
      );
      state = step.state;
      outputs.push(...step.out);
    };
    ({ state } = startListener(state, "b", ["-l", "80"], "/tmp/got.txt", 5000));
    state = sleep(state, 500);
    client("-N -w 2 10.0.0.2 80", "hello\n");
    state = sleep(state, 300);
    client("-z -v -w 1 10.0.0.2 80");
    ({ state } = startListener(state, "b", ["-l", "-k", "8080"], "/dev/null", 5000));
    state = sleep(state, 500);
    client("-z -v -w 1 10.0.0.2 8080");
    client("-z -v -w 1 10.0.0.2 8080");
    client("-z -v -w 2 10.0.0.2 81");
    client("-u -w 1 10.0.0.2 9999", "ping\n");

    expect(readFile(state, "/tmp/got.txt")).toBe("hello\n");
    expect(outputs).toEqual([
      "nc: connect to 10.0.0.2 port 80 (tcp) failed: Connection refused",
      "Connection to 10.0.0.2 8080 port [tcp/http-alt] succeeded!",
      "Connection to 10.0.0.2 8080 port [tcp/http-alt] succeeded!",
      "nc: connect to 10.0.0.2 port 81 (tcp) failed: Connection refused",
    ]);
    const counters =
      "TcpActiveOpens TcpPassiveOpens TcpAttemptFails TcpEstabResets TcpRetransSegs TcpOutRsts UdpInDatagrams UdpNoPorts UdpOutDatagrams";
    for (const [ns, icmp] of [
      ["a", "IcmpInDestUnreachs"],
      ["b", "IcmpOutDestUnreachs"],
    ]) {
      const text = `ip netns exec ${ns} nstat -az ${counters} ${icmp}`;
      expect(command(state, text).output).toBe(recordedBlock(name, text));
    }

    state = command(state, "ip netns exec b iptables -A INPUT -p tcp --dport 81 -j DROP").state;
    client("-z -v -w 2 10.0.0.2 81");
    const text = "ip netns exec a nstat -az TcpActiveOpens TcpAttemptFails TcpRetransSegs";
    expect(command(state, text).output).toBe(recordedBlock(name, text));
  });
});

describe("/dev/tcp and /dev/udp", () => {
  it("writes through DNAT and closes", () => {
    const name = "nat-dnat-port-forward";
    let state = runScript(scriptUntil(name, "# A listener in ns1")).state;
    ({ state } = startListener(state, "ns1", ["-l", "80"], "/tmp/ns1-got2.txt", 4000));
    state = sleep(state, 500);

    const step = runIn(state, "world", (ctx) => {
      const opened = openDevSocket(ctx, "tcp", "172.31.59.121", 8080);
      if (!opened.ok) return 1;
      const error = writeDevSocket(ctx, opened.socket, "via-dev-tcp\n");
      closeDevSocket(ctx, opened.socket);
      return error === undefined ? 0 : 1;
    });

    expect(step.status).toBe(0);
    expect(readFile(step.state, "/tmp/ns1-got2.txt")).toBe("via-dev-tcp\n");
  });

  it("reports REJECT's host unreachable as a connect error", () => {
    const name = "nf-reject";
    let state = runScript(scriptUntil(name, "iptables -F INPUT")).state;
    state = command(state, "ip netns exec s iptables -F INPUT").state;
    state = command(
      state,
      "ip netns exec s iptables -A INPUT -p tcp -j REJECT --reject-with icmp-admin-prohibited",
    ).state;

    let opened: OpenResult | undefined;
    runIn(state, "c", (ctx) => {
      opened = openDevSocket(ctx, "tcp", "10.0.2.2", 80);
      return 0;
    });

    expect(opened).toEqual({ ok: false, errno: "EHOSTUNREACH" });
  });

  it("stops a blocked connect at the timeout deadline", () => {
    const name = "nf-input-drop";
    let state = runScript(scriptUntil(name, "ip netns exec a nc -z -v -w 2 10.0.0.2 80")).state;
    state = command(state, "ip netns exec b iptables -P INPUT DROP").state;
    const start = state.clock;

    let opened: OpenResult | undefined;
    const step = runIn(
      state,
      "a",
      (ctx) => {
        opened = openDevSocket(ctx, "tcp", "10.0.0.2", 80);
        return 0;
      },
      { deadline: start + 3000 },
    );
    const listing = command(step.state, "ip netns exec b iptables -L INPUT -n -v").output;

    expect(opened).toEqual({ ok: false, errno: "EINTR" });
    expect(step.state.clock).toBe(start + 3000);
    // Three SYNs (at 0, 1 and 2 s) of 60 bytes each reach the DROP policy.
    expect(listing).toContain("policy DROP 3 packets, 180 bytes");
  });

  it("fails a UDP write that OUTPUT drops with EPERM", () => {
    const name = "nf-output-drop";
    let state = runScript(scriptUntil(name, "ip netns exec a iptables -A OUTPUT")).state;
    state = command(state, "ip netns exec a iptables -P OUTPUT DROP").state;

    let errno: string | undefined;
    const step = runIn(state, "a", (ctx) => {
      const opened = openDevSocket(ctx, "udp", "10.0.0.2", 53);
      if (!opened.ok) return 1;
      errno = writeDevSocket(ctx, opened.socket, "hi\n");
      closeDevSocket(ctx, opened.socket);
      return 0;
    });
    const listing = command(step.state, "ip netns exec a iptables -L OUTPUT -n -v").output;

    expect(errno).toBe("EPERM");
    // 20 bytes of IP header, 8 of UDP and the 3 bytes written.
    expect(listing).toContain("policy DROP 1 packets, 31 bytes");
  });
});

describe("nc through NAT", () => {
  it("masquerades a TCP flow and keeps its port", () => {
    const name = "nat-conntrack";
    let state = runScript(scriptUntil(name, "timeout 4 nc -l 80")).state;
    ({ state } = startListener(state, "world", ["-l", "80"], "/tmp/got.txt", 4000));
    state = sleep(state, 500);

    const step = runIn(state, "ns1", (ctx) => nc(ctx, ["-N", "-w", "2", "203.0.113.8", "80"]), {
      stdin: "hi\n",
    });
    const entries = step.state.namespaces[0]!.conntrack!.filter((e) => e.orig.protocol === "tcp");

    expect(step.status).toBe(0);
    expect(readFile(step.state, "/tmp/got.txt")).toBe("hi\n");
    expect(entries).toHaveLength(1);
    expect(entries[0]!.tcpState).toBe("TIME_WAIT");
    expect(entries[0]!.isAssured).toBe(true);
    expect(entries[0]!.reply.dst).toBe(parseIp4Strict("192.0.2.10"));
    expect(entries[0]!.reply.dport).toBe(entries[0]!.orig.sport);
  });

  it("translates back an ICMP error about a DNATed SYN", () => {
    const name = "nat-dnat-port-forward";
    let state = runScript(scriptUntil(name, "# A listener in ns1")).state;
    const rule =
      "ip netns exec ns1 iptables -A INPUT -p tcp -j REJECT --reject-with icmp-host-prohibited";
    state = command(state, rule).state;

    const step = runIn(state, "world", (ctx) =>
      nc(ctx, ["-z", "-v", "-w", "2", "172.31.59.121", "8080"]),
    );

    expect(step.out).toEqual([
      "nc: connect to 172.31.59.121 port 8080 (tcp) failed: No route to host",
    ]);
    expect(step.status).toBe(1);
  });
});

describe("nc -u", () => {
  it("tracks UDP flows and keeps their NAT binding", () => {
    const name = "nat-conntrack";
    let state = runScript(scriptUntil(name, "timeout 4 nc -l 80")).state;
    const udp = ["-u", "-w", "1", "-p", "5000", "203.0.113.8", "9999"];

    const first = runIn(state, "ns1", (ctx) => nc(ctx, udp), { stdin: "ping\n" });
    state = command(
      first.state,
      "iptables -t nat -R POSTROUTING 1 -s 172.18.0.0/24 ! -o docker1 -j SNAT --to-source 192.0.2.11",
    ).state;
    state = runIn(state, "ns1", (ctx) => nc(ctx, udp), { stdin: "again\n" }).state;
    const flows = (s: NetState) =>
      s.namespaces[0]!.conntrack!.filter((e) => e.orig.protocol === "udp");

    expect(first.status).toBe(0);
    expect(first.out).toEqual([]);
    expect(flows(state)).toHaveLength(1);
    const entry = flows(state)[0]!;
    expect(entry.isReplied).toBe(false);
    expect(entry.orig.sport).toBe(5000);
    expect(entry.reply.dst).toBe(parseIp4Strict("192.0.2.10"));
    expect(entry.reply.dport).toBe(5000);
    expect(entry.expiresAt - state.clock).toBe(29_000);

    // Once the entry is gone, the next datagram gets the new rule's address.
    state = produce(state, (draft) => {
      draft.namespaces[0]!.conntrack = [];
    });
    state = runIn(state, "ns1", (ctx) => nc(ctx, udp), { stdin: "fresh\n" }).state;
    expect(flows(state)[0]!.reply.dst).toBe(parseIp4Strict("192.0.2.11"));
  });
});

describe("nc -u behind a stateful INPUT", () => {
  it("takes the port unreachable as RELATED", () => {
    const name = "nf-input-drop";
    let state = runScript(scriptUntil(name, "ip netns exec a ping -c 1 -W 1 10.0.0.2")).state;
    state = command(
      state,
      "ip netns exec a iptables -A INPUT -m conntrack --ctstate RELATED -j ACCEPT",
    ).state;
    state = command(state, "ip netns exec a iptables -P INPUT DROP").state;

    const step = runIn(state, "a", (ctx) => nc(ctx, ["-u", "-w", "1", "10.0.0.2", "9999"]), {
      stdin: "ping\n",
    });
    const listing = command(step.state, "ip netns exec a iptables -L INPUT -n -v").output;
    const nstat = command(step.state, "ip netns exec a nstat -az IcmpInDestUnreachs").output;

    expect(step.status).toBe(0);
    expect(listing).toMatch(/\n +1 +\d+ ACCEPT .*ctstate RELATED\n/);
    expect(listing).toContain("policy DROP 0 packets");
    expect(nstat).toMatch(/IcmpInDestUnreachs +1 /);
  });
});

describe("the recorded UDP listener case", () => {
  it("prints and counts what the kernel did", () => {
    const name = "tcp-udp-listener";
    let state = runScript(scriptUntil(name, "timeout 3 nc -u -l 5353")).state;
    ({ state } = startListener(state, "b", ["-u", "-l", "5353"], "/tmp/u.txt", 3000));
    state = sleep(state, 500);
    const statuses: number[] = [];
    const outputs: string[] = [];
    const client = (args: string, stdin: string): void => {
      const step = runIn(state, "a", (ctx) => nc(ctx, args.split(" ")), { stdin });
      state = step.state;
      statuses.push(step.status);
      outputs.push(...step.out);
    };
    client("-u -w 1 10.0.0.2 5353", "one\n");
    client("-u -w 1 10.0.0.2 5353", "two\n");
    client("-u -w 1 -p 4000 10.0.0.2 5353", "three\n");
    client("-u -w 1 10.0.0.2 53", "four\n");
    state = sleep(state, 1000);

    expect(statuses).toEqual([0, 0, 0, 0]);
    expect(outputs).toEqual([]);
    expect(readFile(state, "/tmp/u.txt")).toBe("one\n");
    for (const text of [
      "ip netns exec b nstat -az UdpInDatagrams UdpNoPorts IcmpOutDestUnreachs",
      "ip netns exec a nstat -az UdpOutDatagrams IcmpInDestUnreachs",
    ]) {
      expect(command(state, text).output).toBe(recordedBlock(name, text));
    }

    state = command(state, "ip netns exec a iptables -P OUTPUT DROP").state;
    client("-u -w 1 10.0.0.2 53", "hi\n");
    const text = "ip netns exec a nstat -az UdpOutDatagrams";
    expect(statuses[4]).toBe(0);
    expect(command(state, text).output).toBe(recordedBlock(name, text));
  });
});

describe("nc under timeout", () => {
  it("stops at the command's deadline", () => {
    const name = "nf-input-drop";
    let state = runScript(scriptUntil(name, "ip netns exec a nc -z -v -w 2 10.0.0.2 80")).state;
    state = command(state, "ip netns exec b iptables -P INPUT DROP").state;
    const start = state.clock;

    const step = runIn(state, "a", (ctx) => nc(ctx, ["-z", "-v", "10.0.0.2", "80"]), {
      deadline: start + 3000,
    });
    const listing = command(step.state, "ip netns exec b iptables -L INPUT -n -v").output;

    expect(step.status).toBe(124);
    expect(step.out).toEqual([]);
    expect(step.state.clock).toBe(start + 3000);
    expect(listing).toContain("policy DROP 3 packets, 180 bytes");
  });

  it("lets nc's own -w win when it is shorter", () => {
    const name = "nf-input-drop";
    let state = runScript(scriptUntil(name, "ip netns exec a nc -z -v -w 2 10.0.0.2 80")).state;
    state = command(state, "ip netns exec b iptables -P INPUT DROP").state;

    const step = runIn(state, "a", (ctx) => nc(ctx, ["-z", "-v", "-w", "2", "10.0.0.2", "80"]), {
      deadline: state.clock + 3000,
    });

    expect(step.status).toBe(1);
    expect(step.out).toEqual([
      "nc: connect to 10.0.0.2 port 80 (tcp) timed out: Operation now in progress",
    ]);
  });
});

describe("nc usage", () => {
  it("rejects an unknown option with the usage text", () => {
    const line = runLine(runScript("").state, "nc -Q 10.0.0.2 80");

    expect(line.exitCode).toBe(1);
    expect(line.output.split("\n")[0]).toBe("nc: invalid option -- 'Q'");
    expect(line.output).toContain("\t  [destination] [port]\n");
  });

  it("frees the port of a killed listener", () => {
    const name = "nf-listing-shapes";
    let state = runScript(scriptUntil(name, "nc -l 80")).state;
    let pid: number;
    ({ state, pid } = startListener(state, "ns1", ["-l", "80"], "/dev/null", 60_000));
    state = produce(state, (draft) => {
      stopProcess(draft, draft.processes[pid]!, 143);
    });

    expect(findNetns(state, "ns1")!.sockets!.listeners).toEqual([]);
  });
});
