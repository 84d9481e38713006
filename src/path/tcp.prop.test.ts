import fc from "fast-check";
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { findNetns } from "../netns/state.js";
import type { NetState } from "../netns/state.js";
import { spawnProcess } from "../proc/jobs.js";
import { listenTcp } from "../proc/nc-listen.js";
import { runLine, runScript } from "../script/run.js";
import { settleTimers, startSim } from "./engine.js";
import type { TcpSocket } from "./tcp-socket.js";
import { synTimeoutMs, tcpConnect } from "./tcp.js";
import type { PacketTrace } from "./verdict.js";

const SETUP = `
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec a ping -c 1 -W 1 10.0.0.2
`;

const REJECT_TYPES = [
  "tcp-reset",
  "icmp-port-unreachable",
  "icmp-host-unreachable",
  "icmp-net-unreachable",
  "icmp-host-prohibited",
  "icmp-admin-prohibited",
];

/** What b's INPUT chain does to TCP to one port: nothing, DROP, or a REJECT type. */
type Rule =
  | { kind: "none" }
  | { kind: "drop"; port: number }
  | { kind: "reject"; port: number; with: string };

const port = fc.constantFrom(80, 81);
const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc.constant<Rule>({ kind: "none" }),
  port.map<Rule>((p) => ({ kind: "drop", port: p })),
  fc
    .record({ port, with: fc.constantFrom(...REJECT_TYPES) })
    .map<Rule>((r) => ({ kind: "reject", ...r })),
);

function configure(rule: Rule, listenPort: number | undefined): NetState {
  let state = runScript(SETUP).state;
  if (rule.kind !== "none") {
    const target = rule.kind === "drop" ? "DROP" : `REJECT --reject-with ${rule.with}`;
    state = runLine(
      state,
      `ip netns exec b iptables -A INPUT -p tcp --dport ${rule.port} -j ${target}`,
    ).state;
  }
  if (listenPort === undefined) return state;
  return produce(state, (draft) => {
    const ns = findNetns(draft, "b")!;
    const pid = 4000;
    const program = { kind: "nc-listen" as const, port: listenPort, isKeepOpen: true };
    spawnProcess(draft, {
      pid,
      nsId: ns.id,
      command: "nc -l -k",
      stdout: { kind: "null" },
      stderr: { kind: "null" },
      program,
    });
    listenTcp(draft, ns.id, pid, listenPort, true);
  });
}

/** Sends one SYN from a to b's `dport` and returns every trace it caused and the socket. */
function sendSyn(state: NetState, dport: number): { traces: PacketTrace[]; socket: TcpSocket } {
  let traces: PacketTrace[] = [];
  let socket: TcpSocket | undefined;
  produce(state, (draft) => {
    settleTimers(draft);
    const sim = startSim(draft);
    const started = tcpConnect(sim, findNetns(draft, "a")!, 0x0a000002, dport);
    if (!started.ok) throw new Error(`connect failed: ${started.errno}`);
    sim.runUntil(sim.now);
    traces = sim.traces;
    socket = { ...started.socket };
  });
  return { traces, socket: socket! };
}

describe("a SYN to a namespace", () => {
  it("gets exactly one answer or a named drop", () => {
    fc.assert(
      fc.property(rule, fc.option(port, { nil: undefined }), port, (r, listenPort, dport) => {
        const { traces, socket } = sendSyn(configure(r, listenPort), dport);
        const syn = traces[0]!;
        const answers = traces.filter((trace) => trace.hops[0]?.ns === "b");
        const isDropped = r.kind === "drop" && r.port === dport;

        expect(syn.packet).toContain("[SYN]");
        expect(syn.verdict).toBeDefined();
        if (isDropped) {
          expect(answers).toEqual([]);
          expect(syn.verdict!.kind).toBe("dropped");
          expect(syn.verdict!.reason).toBe("NETFILTER_DROP");
          expect(socket.state).toBe("SYN_SENT");
          return;
        }
        expect(answers).toHaveLength(1);
        const answer = answers[0]!.packet;
        const isRejected = r.kind === "reject" && r.port === dport;
        if (!isRejected && listenPort === dport) {
          expect(answer).toContain("[SYN,ACK]");
          expect(socket.state).toBe("ESTABLISHED");
        } else if (!isRejected || r.with === "tcp-reset") {
          expect(answer).toContain("[RST,ACK]");
          expect(socket.error).toBe("ECONNREFUSED");
        } else {
          expect(answer).toMatch(/^ICMP /);
          expect(socket.state).toBe("CLOSED");
          expect(socket.error).toBeDefined();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("SYN timeout", () => {
  it("follows tcp_model_timeout", () => {
    expect(synTimeoutMs(1)).toBe(3000);
    expect(synTimeoutMs(2)).toBe(7000);
    expect(synTimeoutMs(6)).toBe(127_000);
    expect(synTimeoutMs(8)).toBe(127_000 + 2 * 120_000);
  });
});
