/**
 * Moving the virtual clock for commands that wait: `sleep`, `wait`, `tail --pid` and `timeout`.
 * The clock never jumps: a simulation runs every kernel timer and process deadline that falls
 * due in between, each at its own time and in order.
 */
import type { NetState } from "../netns/state.js";
import { startSim } from "../path/engine.js";
import { Unsupported } from "../errors.js";

/**
 * Thrown when a foreground command reaches the `timeout` deadline it runs under (`ctx.deadline`).
 * The `timeout` tool that set that deadline catches it and returns 124; everything the command
 * did and printed until then stays, as it does when the real `timeout` kills a process.
 */
export class DeadlineReached extends Error {
  constructor(readonly deadline: number) {
    super(`deadline ${deadline} ms reached`);
  }
}

/**
 * Runs the simulation until `time`, or until `deadline` when that comes first or at the same
 * time, in which case it throws {@link DeadlineReached}.
 */
export function advanceClock(state: NetState, time: number, deadline: number | undefined): void {
  // The command starts a little after `timeout` armed its timer, so at a tie the kill wins.
  // NOTE: on Linux the tie is a race: `timeout 1 sleep 1` returned 124 in one of two runs.
  if (deadline !== undefined && deadline <= time) {
    startSim(state).runUntil(deadline);
    throw new DeadlineReached(deadline);
  }
  startSim(state).runUntil(time);
}

/**
 * Runs the simulation until `isDone` holds, checking it after each event and every `pollMs` when
 * given (as `tail --pid` polls), or until `deadline`.
 *
 * @throws Unsupported when nothing left in the simulation can make `isDone` true, because the
 * real command would wait forever.
 */
export function advanceUntil(
  state: NetState,
  isDone: () => boolean,
  deadline: number | undefined,
  description: string,
  pollMs?: number,
): void {
  // NOTE: a bound on the steps guards against kernel timers that keep rescheduling themselves.
  for (let step = 0; !isDone(); step++) {
    if (step > 100_000) throw new Unsupported(`${description} that never ends`);
    const sim = startSim(state);
    const next = sim.nextEventTime();
    if (next === undefined) throw new Unsupported(`${description} that never ends`);
    // A poller notices the end only at its next poll after the event.
    const wake =
      pollMs === undefined ? next : state.clock + Math.ceil((next - state.clock) / pollMs) * pollMs;
    if (deadline !== undefined && deadline <= wake) {
      sim.runUntil(deadline);
      throw new DeadlineReached(deadline);
    }
    if (pollMs === undefined) sim.runInstant();
    else sim.runUntil(Math.max(wake, state.clock + pollMs));
  }
}
