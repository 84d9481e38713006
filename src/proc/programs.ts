/**
 * What each background program does when it ends, and the timers a running process has. Each
 * program kind of `Program` (jobs.ts) has its exit handler here; the simulation schedules
 * every live process's `timeout` deadline so that it ends at the right virtual time.
 */
import type { NetState } from "../netns/state.js";
import type { Sim } from "../path/sim.js";
import type { Proc } from "./jobs.js";
import { tcpdumpExit } from "./capture.js";
import { TIMEOUT_STATUS, endProcess, liveProcesses } from "./jobs.js";
import { releaseListener } from "./nc-listen.js";

type ExitHandler = (state: NetState, proc: Proc, status: number) => void;

const EXIT_HANDLERS: Record<Proc["program"]["kind"], ExitHandler> = {
  plain: () => undefined,
  sleep: () => undefined,
  tcpdump: tcpdumpExit,
  "nc-listen": releaseListener,
};

/** Ends `proc` with `status`, letting its program print and release what it holds. */
export function stopProcess(state: NetState, proc: Proc, status: number): void {
  endProcess(state, proc, status, EXIT_HANDLERS[proc.program.kind]);
}

/**
 * Schedules, for every live process, its own end: a background `sleep` when it runs out, and
 * `timeout`'s kill at `killAt`.
 */
export function scheduleProcessTimers(sim: Sim): void {
  for (const proc of liveProcesses(sim.state)) {
    const pid = proc.pid;
    const end = (status: number) => () => {
      const live = sim.state.processes[pid];
      if (live !== undefined) stopProcess(sim.state, live, status);
    };
    if (proc.program.kind === "sleep") sim.schedule(proc.program.until, end(0), true);
    if (proc.program.kind === "tcpdump" && proc.program.stopAt !== undefined) {
      sim.schedule(proc.program.stopAt, end(0), true);
    }
    if (proc.killAt !== undefined) sim.schedule(proc.killAt, end(TIMEOUT_STATUS), true);
  }
}
