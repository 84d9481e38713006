import { describe, expect, it } from "vitest";
import type { Probe } from "./traceroute-probes.js";
import {
  checkExpired,
  classifyAnswer,
  formatProbe,
  newProbe,
  timeoutOf,
} from "./traceroute-probes.js";

const R1 = 0x0a000101;
const S = 0x0a000202;

function answered(from: number, rtt: number, extra: Partial<Probe> = {}): Probe {
  return { ...newProbe(), sendTime: 0, recvTime: rtt, from, isDone: true, ...extra };
}

function expired(): Probe {
  return { ...newProbe(), sendTime: 0, isDone: true };
}

/** Returns what traceroute prints for `probes`, hop lines only. */
function render(probes: Probe[], perHop: number, isNumeric = true): string {
  return probes.map((_, index) => formatProbe(probes, index, perHop, isNumeric)).join("");
}

describe("formatProbe", () => {
  it("prints one line per hop with the hop number in two columns", () => {
    const text = render([answered(R1, 0.05), answered(S, 0.05)], 1);

    expect(text).toBe("\n 1  10.0.1.1  0.050 ms\n 2  10.0.2.2  0.050 ms");
  });

  it("prints a star for an unanswered probe", () => {
    expect(render([expired(), expired(), expired()], 3)).toBe("\n 1  * * *");
  });

  it("names an address once while it repeats", () => {
    const text = render([answered(R1, 0.05), answered(R1, 0.05), answered(R1, 0.05)], 3);

    expect(text).toBe("\n 1  10.0.1.1  0.050 ms  0.050 ms  0.050 ms");
  });

  it("names the address again after a star only when it changed", () => {
    const same = render([answered(R1, 0.05), expired(), answered(R1, 0.05)], 3);
    const changed = render([answered(R1, 0.05), expired(), answered(S, 0.05)], 3);

    expect(same).toBe("\n 1  10.0.1.1  0.050 ms *  0.050 ms");
    expect(changed).toBe("\n 1  10.0.1.1  0.050 ms * 10.0.2.2  0.050 ms");
  });

  it("names the address after leading stars", () => {
    expect(render([expired(), answered(R1, 0.05), expired()], 3)).toBe(
      "\n 1  * 10.0.1.1  0.050 ms *",
    );
  });

  it("adds the annotation after the time", () => {
    const text = render([answered(R1, 3000.05, { annotation: "!H", isFinal: true })], 1);

    expect(text).toBe("\n 1  10.0.1.1  3000.050 ms !H");
  });

  it("repeats the address in brackets without -n", () => {
    expect(render([answered(R1, 0.05)], 1, false)).toBe("\n 1  10.0.1.1 (10.0.1.1)  0.050 ms");
  });

  it("pads hop numbers up to two digits", () => {
    const probes = Array.from({ length: 10 }, expired);

    expect(formatProbe(probes, 9, 1, true)).toBe("\n10  *");
  });
});

describe("classifyAnswer", () => {
  it.for([
    [11, 0, "", false],
    [3, 3, "", true],
    [3, 0, "!N", true],
    [3, 1, "!H", true],
    [3, 13, "!X", true],
    [3, 10, "!X", true],
    [3, 2, "!P", true],
    [3, 99, "!<99>", true],
    [12, 0, "!<12-0>", true],
  ] as const)("type %i code %i gives '%s'", ([type, code, annotation, isFinal]) => {
    expect(classifyAnswer(type, code)).toEqual({ annotation, isFinal });
  });

  it("names the MTU of fragmentation needed", () => {
    expect(classifyAnswer(3, 4, 1400).annotation).toBe("!F-1400");
  });
});

describe("timeoutOf", () => {
  const wait = { waitMs: 5000, hereFactor: 3, nearFactor: 10 };

  it("waits the maximum when nothing answered", () => {
    const probes = [
      { ...newProbe(), sendTime: 0 },
      { ...newProbe(), sendTime: 0 },
    ];

    expect(timeoutOf(probes, 0, 2, wait)).toBe(5000);
  });

  it("waits HERE times an answer of the same hop, plus 1 ms", () => {
    const probes = [answered(R1, 2), { ...newProbe(), sendTime: 0 }];

    expect(timeoutOf(probes, 1, 2, wait)).toBe(9);
  });

  it("waits NEAR times an answer of a later probe", () => {
    const probes = [{ ...newProbe(), sendTime: 0 }, answered(S, 1)];

    expect(timeoutOf(probes, 0, 1, wait)).toBe(20);
  });

  it("waits the maximum once -w sets the factors to 0", () => {
    const probes = [answered(R1, 2), { ...newProbe(), sendTime: 0 }];

    expect(timeoutOf(probes, 1, 2, { waitMs: 1000, hereFactor: 0, nearFactor: 0 })).toBe(1000);
  });
});

describe("checkExpired", () => {
  it("moves a later unreachable of the same hop into the expired probe", () => {
    const probes = [expired(), answered(S, 3000, { annotation: "!H", isFinal: true })];

    checkExpired(probes, 0, 2);

    expect(probes[0]!.annotation).toBe("!H");
    expect(probes[1]!.isDone).toBe(false);
    expect(probes[1]!.sendTime).toBe(Number.NEGATIVE_INFINITY);
  });

  it("leaves a port unreachable where it arrived", () => {
    const probes = [expired(), answered(S, 1, { isFinal: true })];

    checkExpired(probes, 0, 2);

    expect(probes[0]!.from).toBeUndefined();
    expect(probes[1]!.from).toBe(S);
  });

  it("leaves the expired probe when a later hop sent time exceeded", () => {
    const probes = [
      expired(),
      answered(R1, 1),
      answered(S, 1, { annotation: "!H", isFinal: true }),
    ];

    checkExpired(probes, 0, 1);

    expect(probes[0]!.from).toBeUndefined();
  });
});
