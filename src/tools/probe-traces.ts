/**
 * Trace endings the probing tools share: packets still waiting for ARP when the tool exits, and
 * a probe that never left because its socket's `connect()` found no usable route.
 */
import type { Errno } from "../errors.js";
import { formatIp4 } from "../addr/ip4.js";
import type { RouteFailure } from "../path/explain.js";
import { explainUnsent } from "../path/explain.js";
import type { Sim } from "../path/sim.js";
import { nsLabel } from "../path/sim.js";
import type { ToolContext } from "./context.js";
import { currentNs } from "./context.js";

/**
 * Gives every packet still queued for ARP when `tool` exited a `queued` verdict, with the drop
 * reason it meets when the resolution fails, unless a later command changes that.
 */
export function markStillQueued(sim: Sim, tool: string): void {
  for (const trace of sim.traces) {
    if (trace.verdict !== undefined) continue;
    const last = trace.hops[trace.hops.length - 1];
    trace.verdict = {
      kind: "queued",
      reason: "NEIGH_FAILED",
      ns: last?.ns ?? "host",
      ...(last?.link === undefined ? {} : { link: last.link }),
      message: `still queued for ARP when ${tool} exited; nobody answered so far, so the kernel drops it with NEIGH_FAILED once its probes run out`,
    };
  }
}

/**
 * Records why a probe socket's connect() failed: nothing was sent, and what would fix it.
 * `what` names the probe in the trace, such as "ICMP echo request to 192.0.2.1".
 */
export function recordUnsent(
  ctx: ToolContext,
  what: string,
  dst: number,
  failure: Errno | RouteFailure,
): void {
  const ns = currentNs(ctx);
  const where = nsLabel(ns);
  const errno = typeof failure === "string" ? failure : failure.errno;
  const consequence =
    errno === "ENETUNREACH" ? "nothing is sent" : "connect() fails and nothing is sent";
  const message = explainUnsent(ctx.state, ns, dst, failure, consequence);
  const hop = {
    time: ctx.state.clock,
    ns: where,
    step: "route",
    detail: `output route lookup for ${formatIp4(dst)} failed: ${errno}`,
  };
  ctx.probes.push({
    command: ctx.commandLine,
    packets: [
      {
        packet: `${what} (never sent)`,
        seq: 1,
        hops: [hop],
        verdict: { kind: "dropped", reason: "IP_OUTNOROUTES", ns: where, message },
      },
    ],
  });
}
