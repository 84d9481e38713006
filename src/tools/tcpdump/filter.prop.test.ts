import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskOf } from "../../addr/ip4.js";
import type { Frame, Packet } from "../../wire/ipv4.js";
import type { ByteField, Direction, FilterExpr } from "./filter.js";
import { compileFilter, formatFilter, parseFilter, tcpFlagsByte } from "./filter.js";

/**
 * Evaluates a filter tree directly over the frame's fields: the reference meaning, written
 * independently of the compiled closures.
 */
function evaluate(expr: FilterExpr, frame: Frame): boolean {
  const packet = frame.body.kind === "ip" ? frame.body.packet : undefined;
  switch (expr.kind) {
    case "proto":
      if (expr.proto === "arp") return frame.body.kind === "arp";
      if (expr.proto === "ip") return packet !== undefined;
      return packet?.protocol === expr.proto;
    case "host":
    case "net": {
      const [src, dst] =
        frame.body.kind === "arp"
          ? [frame.body.arp.senderIp, frame.body.arp.targetIp]
          : [packet!.src, packet!.dst];
      const inside = (addr: number) => (addr & maskOf(expr.bits)) >>> 0 === expr.addr;
      return testDirection(expr.dir, inside(src), inside(dst));
    }
    case "port": {
      if (packet === undefined || packet.protocol === "icmp") return false;
      if (expr.proto !== undefined && expr.proto !== packet.protocol) return false;
      const ports = packet.protocol === "tcp" ? packet.tcp : packet.udp;
      return testDirection(expr.dir, ports.srcPort === expr.port, ports.dstPort === expr.port);
    }
    case "byte": {
      const byte = byteOf(packet, expr.field);
      if (byte === undefined) return false;
      const masked = expr.mask === undefined ? byte : byte & expr.mask;
      return expr.op === "==" ? masked === expr.value : masked !== expr.value;
    }
    case "not":
      return !evaluate(expr.operand, frame);
    case "and":
      return evaluate(expr.left, frame) && evaluate(expr.right, frame);
    case "or":
      return evaluate(expr.left, frame) || evaluate(expr.right, frame);
  }
}

function testDirection(dir: Direction, isSrc: boolean, isDst: boolean): boolean {
  if (dir === "src") return isSrc;
  if (dir === "dst") return isDst;
  return isSrc || isDst;
}

function byteOf(packet: Packet | undefined, field: ByteField): number | undefined {
  if (field === "tcpflags")
    return packet?.protocol === "tcp" ? tcpFlagsByte(packet.tcp.flags) : undefined;
  if (packet?.protocol !== "icmp") return undefined;
  return field === "icmptype" ? packet.icmp.type : packet.icmp.code;
}

// Few distinct values, so that generated filters and frames often agree on one.
const address = fc.constantFrom(0x0a000001, 0x0a000002, 0x0a000102, 0xc0000201);
const port = fc.constantFrom(53, 80, 5000, 33434);
const direction = fc.constantFrom<Direction>("src", "dst", "any");

const prefix = fc
  .tuple(address, fc.constantFrom(8, 16, 24, 32))
  .map(([addr, bits]) => ({ addr: (addr & maskOf(bits)) >>> 0, bits }));

const atom: fc.Arbitrary<FilterExpr> = fc.oneof(
  fc
    .constantFrom("ip", "arp", "icmp", "tcp", "udp")
    .map((proto) => ({ kind: "proto" as const, proto })),
  fc
    .tuple(direction, prefix)
    .map(([dir, { addr, bits }]) => ({ kind: "net" as const, dir, addr, bits })),
  // `host` keeps whole octets only: a partial host address is written with fewer parts.
  fc
    .tuple(direction, prefix)
    .filter(([, { bits }]) => bits % 8 === 0 && bits > 0)
    .map(([dir, { addr, bits }]) => ({ kind: "host" as const, dir, addr, bits })),
  fc
    .tuple(direction, port, fc.constantFrom(undefined, "tcp" as const, "udp" as const))
    .map(([dir, value, proto]) => ({
      kind: "port" as const,
      dir,
      port: value,
      ...(proto === undefined ? {} : { proto }),
    })),
  fc
    .tuple(
      fc.constantFrom<ByteField>("tcpflags", "icmptype", "icmpcode"),
      fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
      fc.constantFrom<"==" | "!=">("==", "!="),
      fc.constantFrom(0, 2, 3, 8, 16, 18),
    )
    .map(([field, mask, op, value]) => ({
      kind: "byte" as const,
      field,
      ...(mask === undefined ? {} : { mask }),
      op,
      value,
    })),
);

const { expr } = fc.letrec<{ expr: FilterExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    tie("expr").map((operand) => ({ kind: "not" as const, operand })),
    fc
      .tuple(fc.constantFrom("and" as const, "or" as const), tie("expr"), tie("expr"))
      .map(([kind, left, right]) => ({ kind, left, right })),
  ),
}));

const mac = fc.constantFrom("02:42:ac:00:00:01", "ff:ff:ff:ff:ff:ff");
const base = { ttl: 64, tos: 0, payload: 56 };

const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc
    .tuple(address, address, fc.constantFrom(0, 3, 8, 11), fc.constantFrom(0, 1, 3))
    .map(([src, dst, type, code]) => ({
      srcMac: "02:42:ac:00:00:02",
      dstMac: "02:42:ac:00:00:01",
      body: {
        kind: "ip" as const,
        packet: {
          ...base,
          src,
          dst,
          protocol: "icmp" as const,
          icmp: { type, code, id: 1, seq: 1 },
        },
      },
    })),
  fc.tuple(address, address, port, port).map(([src, dst, srcPort, dstPort]) => ({
    srcMac: "02:42:ac:00:00:02",
    dstMac: "02:42:ac:00:00:01",
    body: {
      kind: "ip" as const,
      packet: { ...base, src, dst, protocol: "udp" as const, udp: { srcPort, dstPort } },
    },
  })),
  fc
    .tuple(address, address, port, port, fc.boolean(), fc.boolean(), fc.boolean())
    .map(([src, dst, srcPort, dstPort, syn, ack, fin]) => ({
      srcMac: "02:42:ac:00:00:02",
      dstMac: "02:42:ac:00:00:01",
      body: {
        kind: "ip" as const,
        packet: {
          ...base,
          src,
          dst,
          protocol: "tcp" as const,
          tcp: { srcPort, dstPort, seq: 1, ack: 0, flags: { syn, ack, fin }, window: 64240 },
        },
      },
    })),
  fc.tuple(address, address, mac, fc.boolean()).map(([senderIp, targetIp, dstMac, isRequest]) => ({
    srcMac: "02:42:ac:00:00:02",
    dstMac,
    body: {
      kind: "arp" as const,
      arp: {
        op: isRequest ? ("request" as const) : ("reply" as const),
        senderMac: "02:42:ac:00:00:02",
        senderIp,
        targetMac: "00:00:00:00:00:00",
        targetIp,
      },
    },
  })),
);

describe("tcpdump filter properties", () => {
  it("compiled filter agrees with the tree", () => {
    fc.assert(
      fc.property(expr, fc.array(frame, { minLength: 1, maxLength: 8 }), (tree, frames) => {
        const predicate = compileFilter(tree);
        for (const candidate of frames) {
          expect(predicate(candidate)).toBe(evaluate(tree, candidate));
        }
      }),
    );
  });

  it("formatted filter parses back", () => {
    fc.assert(
      fc.property(expr, (tree) => {
        expect(parseFilter(formatFilter(tree))).toEqual(tree);
      }),
    );
  });
});
