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

describe("probe verdicts in the path cases", () => {
  it.for(PATH_CASES)("%s explains every failed probe", (name, { skip }) => {
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
          expect(reasons.length, `${line.command}: seq ${seq} has no drop reason`).toBeGreaterThan(
            0,
          );
        }
      }
    }
    expect(failed, `${name} has failed probes to explain`).toBeGreaterThan(0);
  });
});
