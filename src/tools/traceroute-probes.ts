/**
 * traceroute's table of probes: how long each one waits, what happens when one expires while a
 * later hop already answered, and how a probe is printed. Times are virtual milliseconds.
 *
 * Source: traceroute 2.1.2 traceroute.c (`get_timeout`: a probe waits MAX, or HERE times the
 * round trip of an answered probe of its own hop plus 1 ms, or NEAR times that of a later
 * probe; `check_expired`: when probes were answered out of order by an unreachable error, the
 * error moves back into the expired probe's place; `print_probe`: a hop line names an address
 * only when it differs from the previous answered probe of the hop; `parse_icmp_res`: the
 * `!H`-style annotations).
 */
import { formatIp4 } from "../addr/ip4.js";
import { ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED } from "../wire/ipv4.js";

/** One probe, as traceroute's `probe` struct keeps it. */
export interface Probe {
  /** When it was sent; absent until then. */
  sendTime?: number;
  /** When its answer arrived, including the simulated wire time. */
  recvTime?: number;
  /** Answered, or given up on. */
  isDone: boolean;
  /** Its answer ends the trace: the destination answered, or an unreachable came back. */
  isFinal: boolean;
  /** The address that answered. */
  from?: number;
  /** The TTL the answer arrived with. */
  recvTtl?: number;
  /** The annotation after the time, such as `!H`; empty for none. */
  annotation: string;
}

/** The wait settings of `-w MAX,HERE,NEAR`. */
export interface Wait {
  waitMs: number;
  hereFactor: number;
  nearFactor: number;
}

/** traceroute's `DEF_WAIT_PREC`: 1 ms added to a round trip before it is multiplied. */
const WAIT_PRECISION_MS = 1;

/** Returns a probe that has not been sent. */
export function newProbe(): Probe {
  return { isDone: false, isFinal: false, annotation: "" };
}

/** Returns the round trip of an answered probe, or 0 when it has none. */
function roundTrip(probe: Probe): number {
  if (!probe.isDone || probe.recvTime === undefined || probe.sendTime === undefined) return 0;
  return probe.recvTime - probe.sendTime;
}

/** `get_timeout`: how long probe `index` waits for its answer, in ms. */
export function timeoutOf(probes: Probe[], index: number, perHop: number, wait: Wait): number {
  const scaled = (rtt: number, factor: number): number =>
    Math.min((rtt + WAIT_PRECISION_MS) * factor, wait.waitMs);
  if (wait.hereFactor > 0) {
    const hopStart = index - (index % perHop);
    for (let i = hopStart; i < hopStart + perHop; i++) {
      const rtt = roundTrip(probes[i]!);
      if (rtt > 0) return scaled(rtt, wait.hereFactor);
    }
  }
  if (wait.nearFactor > 0) {
    for (let i = index + 1; i < probes.length && probes[i]!.sendTime !== undefined; i++) {
      const rtt = roundTrip(probes[i]!);
      if (rtt > 0) return scaled(rtt, wait.nearFactor);
    }
  }
  return wait.waitMs;
}

/** tracepath's guess of how many hops an answer crossed, from its initial TTL of 64, 128 or 255. */
function ttlToHops(ttl: number): number {
  if (ttl <= 64) return 65 - ttl;
  if (ttl <= 128) return 129 - ttl;
  return 256 - ttl;
}

/**
 * `check_expired` for probe `index`, which just expired: when a later probe holds an unreachable
 * error that most likely answers this hop, the error moves here and the later probe starts over
 * as an expired one that is never sent again.
 */
export function checkExpired(probes: Probe[], index: number, perHop: number): void {
  const hopStart = index - (index % perHop);
  let hasFinalBefore = false;
  for (let i = hopStart; i < index; i++) {
    if (!probes[i]!.isDone || !probes[i]!.isFinal) return;
    hasFinalBefore = true;
  }
  const finalIndex = firstAnsweredAfter(probes, index);
  if (finalIndex === undefined) return;
  const final = probes[finalIndex]!;
  // Echo replies and port unreachables arrive in order; only unreachable errors get reordered.
  if (!final.isFinal || final.annotation === "") return;
  const isSameHop = (index % perHop) + (finalIndex - index) < perHop;
  if (hasFinalBefore || isSameHop || answeredBefore(probes, index, final.from)) {
    replaceByFinal(probes, index, finalIndex);
    return;
  }
  if (
    final.recvTtl !== undefined &&
    guessedHop(probes, index, perHop, final) <= hopOf(index, perHop)
  ) {
    replaceByFinal(probes, index, finalIndex);
  }
}

function hopOf(index: number, perHop: number): number {
  return Math.floor(index / perHop) + 1;
}

/** Returns the first sent probe after `index` that is done, if any. */
function firstAnsweredAfter(probes: Probe[], index: number): number | undefined {
  for (let i = index + 1; i < probes.length && probes[i]!.sendTime !== undefined; i++) {
    if (probes[i]!.isDone) return i;
  }
  return undefined;
}

/** Reports whether an earlier probe was answered from `from`. */
function answeredBefore(probes: Probe[], index: number, from: number | undefined): boolean {
  if (from === undefined) return false;
  return probes.slice(0, index).some((probe) => probe.from === from);
}

/** The hop an unreachable most likely came from, judged by the TTL it arrived with. */
function guessedHop(probes: Probe[], index: number, perHop: number, final: Probe): number {
  let backHops = ttlToHops(final.recvTtl!);
  for (let i = index - 1; i >= 0; i--) {
    const probe = probes[i]!;
    if (!probe.isDone || probe.isFinal || probe.recvTtl === undefined) continue;
    const hops = ttlToHops(probe.recvTtl);
    if (hops < backHops) return backHops - hops + hopOf(i, perHop);
  }
  return backHops;
}

function replaceByFinal(probes: Probe[], index: number, finalIndex: number): void {
  Object.assign(probes[index]!, probes[finalIndex]!);
  // The emptied probe counts as sent long ago, so it expires at once and is never resent.
  probes[finalIndex] = { ...newProbe(), sendTime: Number.NEGATIVE_INFINITY };
}

/**
 * `parse_icmp_res`: returns the annotation of an answer of `type` and `code` (`!N`, `!H`, `!X`,
 * ...), and whether it ends the trace. Time exceeded in transit is the only non-final answer.
 */
export function classifyAnswer(
  type: number,
  code: number,
  mtu = 0,
): { annotation: string; isFinal: boolean } {
  if (type === ICMP_TIME_EXCEEDED && code === 0) return { annotation: "", isFinal: false };
  if (type !== ICMP_DEST_UNREACH) return { annotation: `!<${type}-${code}>`, isFinal: true };
  const byCode: Record<number, string> = {
    0: "!N",
    1: "!H",
    2: "!P",
    3: "",
    4: `!F-${mtu}`,
    5: "!S",
    6: "!N",
    7: "!H",
    8: "!N",
    9: "!X",
    10: "!X",
    11: "!N",
    12: "!H",
    13: "!X",
    14: "!V",
    15: "!C",
  };
  return { annotation: byCode[code] ?? `!<${code}>`, isFinal: true };
}

/**
 * `print_probe`: returns the text probe `index` adds to the output. The first probe of a hop
 * starts a new line with the hop number; an address is printed when it differs from the last
 * answered probe of the hop, as `ADDR` with `-n` and `ADDR (ADDR)` without, since the model has
 * no reverse DNS.
 */
export function formatProbe(
  probes: Probe[],
  index: number,
  perHop: number,
  isNumeric: boolean,
): string {
  const probe = probes[index]!;
  const position = index % perHop;
  let text = position === 0 ? `\n${String(hopOf(index, perHop)).padStart(2)} ` : "";
  if (probe.from === undefined) {
    text += " *";
  } else if (position === 0 || lastAnsweredInHop(probes, index, position) !== probe.from) {
    const addr = formatIp4(probe.from);
    text += isNumeric ? ` ${addr}` : ` ${addr} (${addr})`;
  }
  if (probe.recvTime !== undefined && probe.sendTime !== undefined) {
    text += `  ${(probe.recvTime - probe.sendTime).toFixed(3)} ms`;
  }
  if (probe.annotation !== "") text += ` ${probe.annotation}`;
  return text;
}

/** Returns the address of the last answered probe before `index` in its hop, if any. */
function lastAnsweredInHop(probes: Probe[], index: number, position: number): number | undefined {
  for (let i = index - 1; i >= index - position; i--) {
    if (probes[i]!.from !== undefined) return probes[i]!.from;
  }
  return undefined;
}
