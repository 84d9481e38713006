import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CtEntry, CtPacket } from "./conntrack.js";
import { confirm, track } from "./conntrack.js";
import type { ManipKind, NatPacket } from "./nat.js";
import {
  bindDestination,
  bindNull,
  bindSource,
  rewriteError,
  rewriteFor,
  rewritePacket,
} from "./nat.js";

/** A flow's first packet and the bindings a nat table gives it. */
interface Flow {
  src: number;
  dst: number;
  id: number;
  snat?: number;
  dnat?: number;
}

const addr = fc.integer({ min: 0x0a000001, max: 0x0a00000f });
const flow: fc.Arbitrary<Flow> = fc.record(
  {
    src: addr,
    dst: addr,
    id: fc.integer({ min: 1, max: 3 }),
    snat: addr,
    dnat: addr,
  },
  { requiredKeys: ["src", "dst", "id"] },
);

function echo(src: number, dst: number, id: number, type: number): NatPacket & CtPacket {
  return { src, dst, icmp: { type, id } };
}

/** Rewrites `packet` at the destination hook, then at the source hook, as a NAT box does. */
function traverse(table: CtEntry[], packet: NatPacket & CtPacket): NatPacket {
  const lookup = track(table, packet, 0);
  if (lookup.state === "INVALID") throw new Error("packet without a flow");
  let out: NatPacket = packet;
  for (const kind of ["dst", "src"] as ManipKind[]) {
    const rewrite = rewriteFor(lookup.entry, lookup.dir, kind);
    if (rewrite === undefined) continue;
    out =
      lookup.state === "RELATED"
        ? rewriteError(out, kind, rewrite)
        : rewritePacket(out, kind, rewrite);
  }
  return out;
}

/** Sends the first packet of each flow through the NAT box and returns what left it. */
function openFlows(table: CtEntry[], flows: Flow[]): (NatPacket | undefined)[] {
  return flows.map((f) => {
    const request = echo(f.src, f.dst, f.id, 8);
    const lookup = track(table, request, 0);
    if (lookup.state !== "NEW") return undefined;
    if (f.dnat !== undefined) bindDestination(table, lookup.entry, f.dnat);
    if (f.snat !== undefined) bindSource(table, lookup.entry, f.snat);
    else bindNull(table, lookup.entry);
    confirm(table, lookup.entry, "orig", 0);
    return traverse(table, request);
  });
}

describe("NAT", () => {
  it("keeps a DNAT-only flow apart from an SNAT flow with the same reply tuple", () => {
    // Found by the reversibility property: the second flow's reply tuple equals the first's,
    // so DNAT must change its echo id, and the reply must get the original id back.
    const table: CtEntry[] = [];
    const flows: Flow[] = [
      { src: 0x0a000001, dst: 0x0a000001, id: 1, snat: 0x0a000004, dnat: 0x0a00000d },
      { src: 0x0a000004, dst: 0x0a000001, id: 1, dnat: 0x0a00000d },
    ];
    const sent = openFlows(table, flows);
    const out = sent[1]!;
    const back = traverse(table, echo(out.dst, out.src, out.icmp.id, 0));
    expect(back.src).toBe(0x0a000001);
    expect(back.dst).toBe(0x0a000004);
    expect(back.icmp.id).toBe(1);
  });

  it("is reversible for every reply conntrack accepts", () => {
    fc.assert(
      fc.property(fc.array(flow, { minLength: 1, maxLength: 6 }), (flows) => {
        const table: CtEntry[] = [];
        const sent = openFlows(table, flows);

        flows.forEach((f, index) => {
          const out = sent[index];
          if (out === undefined) return;
          const reply = echo(out.dst, out.src, out.icmp.id, 0);
          const back = traverse(table, reply);
          expect(back.src).toBe(f.dst);
          expect(back.dst).toBe(f.src);
          expect(back.icmp.id).toBe(f.id);
        });
      }),
    );
  });

  it("gives every flow its own reply tuple", () => {
    fc.assert(
      fc.property(fc.array(flow, { minLength: 1, maxLength: 6 }), (flows) => {
        const table: CtEntry[] = [];
        openFlows(table, flows);

        const replies = table.map((e) => `${e.reply.src} ${e.reply.dst} ${e.reply.id}`);
        expect(new Set(replies).size).toBe(replies.length);
      }),
    );
  });

  it("restores the quoted packet of an ICMP error", () => {
    fc.assert(
      fc.property(flow, addr, (f, router) => {
        const table: CtEntry[] = [];
        const [out] = openFlows(table, [f]);
        const error: NatPacket & CtPacket = {
          src: router,
          dst: out!.src,
          icmp: { type: 3, id: 0, quoted: out! as CtPacket },
        };

        const back = traverse(table, error);

        expect(back.dst).toBe(f.src);
        expect(back.icmp.quoted?.src).toBe(f.src);
        expect(back.icmp.quoted?.dst).toBe(f.dst);
        expect(back.icmp.quoted?.icmp.id).toBe(f.id);
      }),
    );
  });
});
