/**
 * Background `tcpdump` processes: each simulation attaches every live capture to its link, the
 * capture prints each matching frame to its stdout sink as it crosses the link, and ends its
 * process after `-c N` packets. Its exit handler prints tcpdump's statistics.
 *
 * Source: tcpdump 4.99.3, tcpdump.c. On exit it prints the packet counts to stderr (`info`).
 * When a signal ends it (`timeout`, `kill`), `cleanup` first writes a newline to stdout, in
 * case a line was being printed, which shows as a blank line before the counts.
 */
import { Unsupported } from "../errors.js";
import type { Sim } from "../path/sim.js";
import type { NetState } from "../netns/state.js";
import { compileFilterText } from "../tools/tcpdump/filter.js";
import type { Frame } from "../wire/ipv4.js";
import { formatFrame } from "../tools/tcpdump/format.js";
import type { Proc } from "./jobs.js";
import { endProcess, liveProcesses, writeSink } from "./jobs.js";

/**
 * Returns tcpdump's closing statistics: `captured` packets printed, `received` packets that
 * passed the filter in the kernel.
 */
export function captureStatistics(captured: number, received: number): string[] {
  const packets = (count: number) => `${count} packet${count === 1 ? "" : "s"}`;
  return [
    `${packets(captured)} captured`,
    `${packets(received)} received by filter`,
    "0 packets dropped by kernel",
  ];
}

/** Prints the statistics of a tcpdump process that ends with `status`. */
export function tcpdumpExit(state: NetState, proc: Proc, status: number): void {
  if (proc.program.kind !== "tcpdump") return;
  if (status !== 0) writeSink(state, proc.stdout, [""]);
  writeSink(state, proc.stderr, captureStatistics(proc.program.captured, proc.program.received));
}

/**
 * How long a capture that printed its `-c` packets goes on counting matching packets. tcpdump
 * stops once it has read them, but by then the kernel's filter has counted what arrived
 * meanwhile: 2 packets received for `-c 1` during one ping, 8 for `-c 2` during
 * `traceroute -I -m 4` (recorded on Linux 6.18). The model counts what arrives within 1 ms.
 */
export const DRAIN_MS = 1;

/**
 * Returns how many packets the kernel's filter counts for one captured frame. On lo it counts
 * the outgoing copy too, which libpcap then skips, so `received by filter` is twice `captured`
 * (recorded with a ping to 127.0.0.1 on Linux 6.18).
 */
export function receivedCount(kind: string | undefined): number {
  return kind === "loopback" ? 2 : 1;
}

/**
 * Attaches every live tcpdump process of the state to the link it captures on.
 *
 * NOTE: a capture whose link was deleted or set down keeps running silently until it ends,
 * while the real tcpdump stops with an error; those messages were not recorded.
 */
export function attachCaptures(sim: Sim): void {
  for (const proc of liveProcesses(sim.state)) {
    if (proc.program.kind !== "tcpdump") continue;
    const pid = proc.pid;
    const filter = compileFilterText(proc.program.filter);
    const matches = (frame: Frame): boolean => {
      const live = sim.state.processes[pid]!;
      return live.exit === undefined && live.program.kind === "tcpdump" && filter(frame);
    };
    const show = (frame: Frame): void => {
      const live = sim.state.processes[pid]!;
      const program = live.program;
      if (!matches(frame) || program.kind !== "tcpdump") return;
      const link = sim.state.namespaces[live.nsId]?.links[program.ifindex];
      if (program.stopAt !== undefined) {
        program.received += receivedCount(link?.kind);
        return;
      }
      const options = { showLinkHeader: program.showLinkHeader, mtu: link?.mtu ?? 1500 };
      let line: string;
      try {
        line = formatFrame(frame, sim.now, options, program.tcpFlows);
      } catch (error) {
        // A packet the model cannot print ends the capture, with the message in its own output.
        // The command that sent the packet goes on, as it would beside a real capture.
        if (!(error instanceof Unsupported)) throw error;
        writeSink(sim.state, live.stderr, [error.message]);
        endProcess(sim.state, live, 1, tcpdumpExit);
        return;
      }
      writeSink(sim.state, live.stdout, [line]);
      program.captured++;
      program.received += receivedCount(link?.kind);
      if (program.count !== undefined && program.captured >= program.count) {
        const stopAt = sim.now + DRAIN_MS;
        program.stopAt = stopAt;
        sim.schedule(stopAt, () => stopCapture(sim.state, pid), true);
      }
    };
    sim.addTap(proc.nsId, proc.program.ifindex, { matches, show });
  }
}

/** Ends the capture of process `pid` once it has counted the packets that came after its last. */
export function stopCapture(state: NetState, pid: number): void {
  const proc = state.processes[pid];
  if (proc !== undefined && proc.exit === undefined) endProcess(state, proc, 0, tcpdumpExit);
}
