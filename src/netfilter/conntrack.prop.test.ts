import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CtDir, CtEntry, CtPacket, CtTcpFlags, TcpCtState } from "./conntrack.js";
import {
  TCP_TIMEOUTS_MS,
  UDP_STREAM_TIMEOUT_MS,
  UDP_TIMEOUT_MS,
  confirm,
  track,
} from "./conntrack.js";

const CLIENT = { addr: 0x0a000001, port: 40000 };
const SERVER = { addr: 0x0a000002, port: 80 };

/** One segment of a conversation, by the direction it travels in the flow. */
interface Segment {
  dir: CtDir;
  flags: CtTcpFlags;
}

function segmentPacket(segment: Segment): CtPacket {
  const [from, to] = segment.dir === "orig" ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const tcp = { srcPort: from.port, dstPort: to.port, flags: segment.flags };
  return { protocol: "tcp", src: from.addr, dst: to.addr, tcp };
}

const other = (dir: CtDir): CtDir => (dir === "orig" ? "reply" : "orig");
const ack = (dir: CtDir): Segment => ({ dir, flags: { ack: true } });
const fin = (dir: CtDir): Segment => ({ dir, flags: { fin: true, ack: true } });

/** The shape of one generated conversation: a handshake, some data, then a close. */
interface Plan {
  synRetransmissions: number;
  data: CtDir[];
  closer: CtDir;
  /** Whether the other side's FIN also acknowledges the first one. */
  isFinPiggybacked: boolean;
  /** Where a reset cuts the conversation short, as an index into its segments, if at all. */
  resetAt?: { index: number; dir: CtDir };
}

const dir = fc.constantFrom<CtDir>("orig", "reply");
const plan: fc.Arbitrary<Plan> = fc.record(
  {
    synRetransmissions: fc.integer({ min: 0, max: 2 }),
    data: fc.array(dir, { maxLength: 4 }),
    closer: dir,
    isFinPiggybacked: fc.boolean(),
    resetAt: fc.record({ index: fc.integer({ min: 1, max: 20 }), dir }),
  },
  { requiredKeys: ["synRetransmissions", "data", "closer", "isFinPiggybacked"] },
);

/** Returns the segments of `p` in order. */
function conversation(p: Plan): Segment[] {
  const segments: Segment[] = [];
  for (let i = 0; i <= p.synRetransmissions; i++)
    segments.push({ dir: "orig", flags: { syn: true } });
  segments.push({ dir: "reply", flags: { syn: true, ack: true } }, ack("orig"));
  for (const sender of p.data)
    segments.push(
      { dir: sender, flags: { psh: true, ack: true } as CtTcpFlags },
      ack(other(sender)),
    );
  segments.push(fin(p.closer));
  if (p.isFinPiggybacked) segments.push(fin(other(p.closer)));
  else segments.push(ack(other(p.closer)), fin(other(p.closer)));
  segments.push(ack(p.closer));
  if (p.resetAt !== undefined && p.resetAt.index < segments.length) {
    segments.splice(p.resetAt.index, segments.length, { dir: p.resetAt.dir, flags: { rst: true } });
  }
  return segments;
}

/** What the reference expects of the entry after one segment; `state` undefined: it is gone. */
interface Expected {
  state?: TcpCtState;
  isAssured: boolean;
}

/**
 * The reference: the conntrack state after each segment, derived from what the conversation did
 * so far rather than from the kernel's table.
 */
function referenceStates(segments: Segment[]): Expected[] {
  let isReplied = false;
  let handshake = 0;
  let fins = 0;
  let isAckAfterFin = false;
  const stateAfter = (segment: Segment): TcpCtState | undefined => {
    const { flags } = segment;
    if (flags.rst === true) return isReplied ? "CLOSE" : undefined;
    if (segment.dir === "reply") isReplied = true;
    if (flags.syn === true && flags.ack !== true) return "SYN_SENT";
    if (flags.syn === true) {
      handshake = 1;
      return "SYN_RECV";
    }
    if (handshake === 1) {
      handshake = 2;
      return "ESTABLISHED";
    }
    if (flags.fin === true) {
      fins++;
      isAckAfterFin = false;
    } else if (fins > 0) {
      isAckAfterFin = true;
    }
    if (fins === 0) return "ESTABLISHED";
    if (fins === 1) return isAckAfterFin ? "CLOSE_WAIT" : "FIN_WAIT";
    return isAckAfterFin ? "TIME_WAIT" : "LAST_ACK";
  };
  return segments.map((segment) => {
    const state = stateAfter(segment);
    // The handshake's last ACK (SYN_RECV to ESTABLISHED) makes the flow ASSURED.
    return { ...(state === undefined ? {} : { state }), isAssured: handshake === 2 };
  });
}

describe("TCP conntrack", () => {
  it("follows each conversation as the reference does", () => {
    fc.assert(
      fc.property(plan, (p) => {
        const segments = conversation(p);
        const expected = referenceStates(segments);
        const table: CtEntry[] = [];
        let isReplied = false;

        segments.forEach((segment, index) => {
          const now = index * 100;
          const lookup = track(table, segmentPacket(segment), now);
          if (segment.dir === "reply") isReplied = true;
          const ctState = segment.dir === "orig" && !isReplied ? "NEW" : "ESTABLISHED";
          expect(lookup.state, `segment ${index}`).toBe(ctState);
          confirm(table, lookup, now);

          const { state, isAssured } = expected[index]!;
          if (state === undefined) {
            expect(table, `segment ${index}`).toEqual([]);
            return;
          }
          expect(table).toHaveLength(1);
          expect(table[0]!.tcpState, `segment ${index}`).toBe(state);
          expect(table[0]!.expiresAt - now).toBe(TCP_TIMEOUTS_MS[state]);
          expect(table[0]!.isAssured === true, `segment ${index}`).toBe(isAssured);
        });
      }),
    );
  });

  it("marks a flow assured at the handshake's last ACK", () => {
    const table: CtEntry[] = [];
    const segments = conversation({
      synRetransmissions: 0,
      data: [],
      closer: "orig",
      isFinPiggybacked: true,
    });
    const assured = segments.map((segment, index) => {
      const lookup = track(table, segmentPacket(segment), index);
      confirm(table, lookup, index);
      return table[0]!.isAssured === true;
    });

    expect(assured).toEqual([false, false, true, true, true, true]);
  });

  it("deletes an unreplied flow on a reset", () => {
    // Found by the reference property: the client's own reset ends the flow too.
    const table: CtEntry[] = [];
    const segments: Segment[] = [
      { dir: "orig", flags: { syn: true } },
      { dir: "orig", flags: { rst: true } },
    ];
    for (const [index, segment] of segments.entries()) {
      confirm(table, track(table, segmentPacket(segment), index), index);
    }

    expect(table).toEqual([]);
  });

  it("takes no new flow from a stray FIN", () => {
    const lookup = track([], segmentPacket(fin("orig")), 0);

    expect(lookup.state).toBe("INVALID");
  });
});

describe("UDP conntrack", () => {
  /** One datagram: its direction and how long after the previous one it travels, in ms. */
  const datagram = fc.record({ dir, gap: fc.integer({ min: 0, max: 1500 }) });

  function datagramPacket(direction: CtDir): CtPacket {
    const [from, to] = direction === "orig" ? [CLIENT, SERVER] : [SERVER, CLIENT];
    return {
      protocol: "udp",
      src: from.addr,
      dst: to.addr,
      udp: { srcPort: from.port, dstPort: to.port },
    };
  }

  it("times flows out as the reference does", () => {
    fc.assert(
      fc.property(fc.array(datagram, { maxLength: 8 }), (later) => {
        const table: CtEntry[] = [];
        confirm(table, track(table, datagramPacket("orig"), 0), 0);
        let now = 0;
        let isReplied = false;
        let isAssured = false;

        for (const d of later) {
          now += d.gap;
          confirm(table, track(table, datagramPacket(d.dir), now), now);
          // Reference: traffic after a reply, more than 2 s into the flow, is a stream.
          const isStream = isReplied && now > 2000;
          if (isStream) isAssured = true;
          if (d.dir === "reply") isReplied = true;

          const entry = table[0]!;
          expect(entry.isReplied).toBe(isReplied);
          expect(entry.isAssured === true).toBe(isAssured);
          expect(entry.expiresAt - now).toBe(isStream ? UDP_STREAM_TIMEOUT_MS : UDP_TIMEOUT_MS);
        }
      }),
    );
  });
});
