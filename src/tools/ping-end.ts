/**
 * When ping stops and what its summary says, kept apart from the packet work so that the rules
 * can be tested on their own.
 *
 * Source: iputils 20221126 ping/ping_common.c. `main_loop` stops once replies plus errors reach
 * `-c`, or at the first error when `-w` is given. `pinger` stops sending after `-c` probes only
 * without `-w`, because with `-w` the count is of replies. `__schedule_exit` arms the exit timer
 * once the last of `-c` probes is sent (never with `-w`): two round trips but at least one
 * interval when a reply came back, else `-W`. `-w` ends the run at its deadline whatever happens.
 * `acknowledge` grows `pipe` to the number of probes in flight when an answer arrives.
 * `finish` prints `N packets transmitted, M received[, +D duplicates][, +E errors], P% packet
 * loss, time Tms` (P with `%g`, T from the first to the last send), then a line with the rtt
 * figures and/or `pipe K`, empty when neither applies; the exit status is 1 without replies, or
 * with `-w` when fewer than `-c` replies came.
 */

/** The options that decide when ping stops, in milliseconds. */
export interface EndOptions {
  count?: number;
  /** `-W`: how long to wait for an answer to the last probe when nothing came back. */
  linger: number;
  /** `-w`: the deadline of the whole run, counted from its start. */
  deadline?: number;
  /** `-i`: the time between probes. */
  interval: number;
}

/** The counters `finish()` prints. */
export interface PingStats {
  transmitted: number;
  received: number;
  errors: number;
  duplicates: number;
  /** The most probes in flight when an answer arrived. */
  pipe: number;
  rtts: number[];
  firstSend: number;
  lastSend: number;
  /** When the exit timer fires, once the last probe is out (`__schedule_exit`). */
  exitAt?: number;
}

/** Returns fresh counters for a run that starts at `now`. */
export function newStats(now: number): PingStats {
  return {
    transmitted: 0,
    received: 0,
    errors: 0,
    duplicates: 0,
    pipe: 0,
    rtts: [],
    firstSend: now,
    lastSend: now,
  };
}

/**
 * Reports whether every probe `-c` allows has been sent. With `-w`, `-c` counts replies rather
 * than probes, so ping keeps sending until the deadline (`pinger`).
 */
export function isLastSent(options: EndOptions, stats: PingStats): boolean {
  if (options.deadline !== undefined) return false;
  return options.count !== undefined && stats.transmitted >= options.count;
}

/**
 * Arms the exit timer after the last probe went out at `now`: twice the longest round trip but
 * at least one interval when a reply came back, `-W` otherwise. `-w` runs never arm it.
 */
export function armExitTimer(options: EndOptions, stats: PingStats, now: number): void {
  if (options.deadline !== undefined || stats.exitAt !== undefined) return;
  const wait =
    stats.received > 0 ? Math.max(2 * Math.max(...stats.rtts), options.interval) : options.linger;
  stats.exitAt = now + wait;
}

/** Reports whether the main loop stops now, before sending anything more (`main_loop`). */
export function isFinished(options: EndOptions, stats: PingStats): boolean {
  if (options.count !== undefined && stats.received + stats.errors >= options.count) return true;
  return options.deadline !== undefined && stats.errors > 0;
}

/** `acknowledge`: an answer to `seq` arrived while `transmitted` probes had been sent. */
export function acknowledge(stats: PingStats, seq: number): void {
  const inFlight = stats.transmitted - seq + 1;
  if (inFlight > stats.pipe) stats.pipe = inFlight;
}

/** Returns ping's exit status: 1 without replies, or with `-w` when fewer than `-c` came. */
export function exitStatus(options: EndOptions, stats: PingStats): number {
  if (stats.received === 0) return 1;
  const isShort =
    options.deadline !== undefined && options.count !== undefined && stats.received < options.count;
  return isShort ? 1 : 0;
}

/** Formats the loss percentage as C's `%g` does with a float. */
export function formatLoss(transmitted: number, received: number): string {
  const loss = Math.fround(((transmitted - received) * 100) / transmitted);
  return String(Number(loss.toPrecision(6)));
}

/**
 * Returns the summary lines after the blank line: the statistics header, the counts, and the
 * rtt/pipe line (empty when neither applies). `hasTiming` is false for payloads under 16 bytes,
 * which leave no room for the send time.
 */
export function summaryLines(target: string, stats: PingStats, hasTiming: boolean): string[] {
  const { transmitted, received, errors, duplicates } = stats;
  const parts = [`${transmitted} packets transmitted, ${received} received`];
  if (duplicates > 0) parts.push(`, +${duplicates} duplicates`);
  if (errors > 0) parts.push(`, +${errors} errors`);
  if (transmitted > 0) {
    parts.push(
      `, ${formatLoss(transmitted, received)}% packet loss, time ${stats.lastSend - stats.firstSend}ms`,
    );
  }
  const last: string[] = [];
  if (received > 0 && hasTiming) last.push(`rtt min/avg/max/mdev = ${rttFigures(stats.rtts)} ms`);
  if (stats.pipe > 1) last.push(`pipe ${stats.pipe}`);
  return [`--- ${target} ping statistics ---`, parts.join(""), last.join(", ")];
}

function rttFigures(rtts: number[]): string {
  const avg = rtts.reduce((sum, rtt) => sum + rtt, 0) / rtts.length;
  const mdev = Math.sqrt(rtts.reduce((sum, rtt) => sum + (rtt - avg) ** 2, 0) / rtts.length);
  return [Math.min(...rtts), avg, Math.max(...rtts), mdev]
    .map((value) => value.toFixed(3))
    .join("/");
}
