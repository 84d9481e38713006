/// <reference types="node" />
// Every ping probe that fails in the path cases must say why: the trace of a dropped echo
// request, and some trace of every request that got no reply, ends with a kernel drop reason
// and the namespace (and, past the routing step, the link) where it happened.
import { describe, expect, it } from "vitest";
import { runScript } from "../../src/script/run.js";
import type { PacketTrace, ProbeTrace } from "../../src/path/verdict.js";
import { findMissingCasesFolder, readRecordedCase, skipUnlessCI } from "./recorded-case.js";

const PATH_CASES = ["arp-fail", "forwarding", "rp-filter", "ping-opts", "report-13-no-route-back"];
const missingFolder = findMissingCasesFolder();

function isEchoRequest(trace: PacketTrace): boolean {
  return trace.packet.startsWith("ICMP echo request");
}

function isReplyDelivered(trace: PacketTrace): boolean {
  return trace.packet.startsWith("ICMP echo reply") && trace.verdict?.kind === "delivered";
}

/** Returns the sequence numbers of a ping's requests that no delivered reply answered. */
function unansweredSeqs(probe: ProbeTrace): number[] {
  const requested = new Set(probe.packets.filter(isEchoRequest).map((trace) => trace.seq));
  const answered = new Set(probe.packets.filter(isReplyDelivered).map((trace) => trace.seq));
  return [...requested].filter((seq): seq is number => seq !== undefined && !answered.has(seq));
}

function explainsFailure(trace: PacketTrace): boolean {
  const verdict = trace.verdict;
  if (verdict === undefined || verdict.kind === "delivered") return false;
  const hasPlace =
    verdict.ns !== "" && (verdict.link !== undefined || verdict.reason === "IP_OUTNOROUTES");
  return verdict.reason !== undefined && hasPlace && verdict.message.length > 0;
}

/** The other layer 2/3 cases: their failed pings must be explained the same way. */
const LINK_AND_ROUTE_CASES = [
  "container-bridge",
  "gateway",
  "link-down",
  "bridge-down",
  "bridge-l2",
  "loopback",
  "route-types",
  "show-shapes",
  "report-08-bridge-subnet-shadows-lan",
  "report-10-veth-host-end-down",
  "report-11-gateway-route-while-down",
  "report-14-netmask-mismatch",
];

describe("probe verdicts in the path cases", () => {
  it.for([...PATH_CASES, ...LINK_AND_ROUTE_CASES])(
    "%s explains every failed probe",
    (name, { skip }) => {
      if (missingFolder !== undefined) skipUnlessCI(skip, missingFolder);
      const { lines } = runScript(readRecordedCase(name).script);
      const pings = lines.filter((line) => / ping /.test(` ${line.command} `));
      let failed = 0;
      for (const line of pings) {
        for (const probe of line.probes) {
          for (const trace of probe.packets.filter(isEchoRequest)) {
            if (trace.verdict?.kind === "dropped")
              expect(explainsFailure(trace), `${line.command}: ${trace.packet}`).toBe(true);
          }
          for (const seq of unansweredSeqs(probe)) {
            failed++;
            const related = probe.packets.filter((trace) => trace.seq === seq);
            const reasons = related.filter(explainsFailure).map((trace) => trace.verdict!.reason);
            expect(
              reasons.length,
              `${line.command}: seq ${seq} has no drop reason`,
            ).toBeGreaterThan(0);
          }
        }
      }
      if (PATH_CASES.includes(name)) {
        expect(failed, `${name} has failed probes to explain`).toBeGreaterThan(0);
      }
    },
  );
});

// The same promise for traceroute: every probe that printed a star has a trace that names the
// drop reason and the place, such as a router that does not forward or a rate-limited error.
const TRACEROUTE_CASES = ["trace-traceroute", "traceroute-shapes"];

function isTracerouteProbe(trace: PacketTrace): boolean {
  return trace.packet.startsWith("UDP ") || isEchoRequest(trace);
}

function isAnswer(trace: PacketTrace): boolean {
  const verdict = trace.verdict;
  return (
    trace.packet.startsWith("ICMP") &&
    verdict?.kind === "delivered" &&
    verdict.message.startsWith("delivered to ")
  );
}

/** Returns the probe numbers of a traceroute run that no answer reached. */
function unansweredProbes(probe: ProbeTrace): number[] {
  const sent = new Set(probe.packets.filter(isTracerouteProbe).map((trace) => trace.seq));
  const answered = new Set(probe.packets.filter(isAnswer).map((trace) => trace.seq));
  return [...sent].filter((seq): seq is number => seq !== undefined && !answered.has(seq));
}

describe("probe verdicts of traceroute", () => {
  it.for(TRACEROUTE_CASES)("%s explains every unanswered probe", (name, { skip }) => {
    if (missingFolder !== undefined) skipUnlessCI(skip, missingFolder);
    const { lines } = runScript(readRecordedCase(name).script);
    const runs = lines.filter((line) => / traceroute /.test(` ${line.command} `));
    let failed = 0;
    for (const line of runs) {
      for (const probe of line.probes) {
        for (const seq of unansweredProbes(probe)) {
          failed++;
          const related = probe.packets.filter((trace) => trace.seq === seq);
          const reasons = related.filter(explainsFailure);
          expect(
            reasons.length,
            `${line.command}: probe ${seq} has no drop reason`,
          ).toBeGreaterThan(0);
        }
      }
    }
    expect(failed, `${name} has unanswered probes`).toBeGreaterThan(0);
  });
});
