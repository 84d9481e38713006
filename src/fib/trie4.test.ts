import { describe, expect, it } from "vitest";
import { mask4 as mask } from "../../test/arbitraries/prefix.js";
import { LinearLpm4 } from "../../test/reference/linear-lpm.js";
import { Trie4 } from "./trie4.js";

/** Returns the IPv4 address a.b.c.d as an unsigned 32-bit integer. */
function ip(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

// Every case runs in all three lookup modes: a plain list, a root entry and a direct level, whose
// arrays lie in WebAssembly memory by default and in plain arrays with `wasm: false`.
describe.each([
  ["a plain list", { trieThreshold: Infinity }],
  ["a root node", { trieThreshold: 0, directThreshold: Infinity }],
  ["a direct level", { trieThreshold: 0, directThreshold: 0 }],
  ["a direct level in plain arrays", { trieThreshold: 0, directThreshold: 0, wasm: false }],
])("Trie4 with %s", (_mode, options) => {
  const make = () => new Trie4<string>(options);

  it("matches everything with the /0 default route", () => {
    const trie = make();
    trie.insert(0, 0, "default");
    expect(trie.lookup(0)).toBe("default");
    expect(trie.lookup(0xffffffff)).toBe("default");
    expect(trie.lookup(ip(192, 0, 2, 1))).toBe("default");
  });

  it("matches a /32 host route only for its address", () => {
    const trie = make();
    trie.insert(ip(192, 0, 2, 1), 32, "host");
    expect(trie.lookup(ip(192, 0, 2, 1))).toBe("host");
    expect(trie.lookup(ip(192, 0, 2, 0))).toBeUndefined();
    expect(trie.lookup(ip(192, 0, 2, 2))).toBeUndefined();
  });

  it("prefers the longest of nested prefixes", () => {
    const trie = make();
    trie.insert(ip(10, 0, 0, 0), 8, "/8");
    trie.insert(ip(10, 1, 0, 0), 16, "/16");
    trie.insert(ip(10, 1, 2, 0), 24, "/24");
    trie.insert(ip(10, 1, 2, 128), 25, "/25");
    expect(trie.lookup(ip(10, 1, 2, 200))).toBe("/25");
    expect(trie.lookup(ip(10, 1, 2, 3))).toBe("/24");
    expect(trie.lookup(ip(10, 1, 3, 3))).toBe("/16");
    expect(trie.lookup(ip(10, 2, 3, 3))).toBe("/8");
    expect(trie.lookup(ip(11, 0, 0, 0))).toBeUndefined();
  });

  it("lists every match longest first", () => {
    const trie = make();
    trie.insert(0, 0, "default");
    trie.insert(ip(10, 0, 0, 0), 8, "/8");
    trie.insert(ip(10, 1, 2, 0), 24, "/24");
    const matches = trie.matches(ip(10, 1, 2, 3));
    expect(matches.map((m) => m.bits)).toEqual([24, 8, 0]);
    expect(matches[0]).toEqual({ addr: ip(10, 1, 2, 0), bits: 24, value: "/24" });
  });

  it("falls back to the shorter prefix after a delete", () => {
    const trie = make();
    trie.insert(ip(10, 0, 0, 0), 8, "/8");
    trie.insert(ip(10, 1, 2, 0), 24, "/24");
    expect(trie.delete(ip(10, 1, 2, 0), 24)).toBe(true);
    expect(trie.lookup(ip(10, 1, 2, 3))).toBe("/8");
    expect(trie.size).toBe(1);
  });

  it("returns false when deleting a missing prefix", () => {
    const trie = make();
    trie.insert(ip(10, 0, 0, 0), 8, "/8");
    expect(trie.delete(ip(10, 0, 0, 0), 9)).toBe(false);
    expect(trie.delete(ip(11, 0, 0, 0), 8)).toBe(false);
    expect(trie.size).toBe(1);
  });

  it("replaces the value of an existing prefix", () => {
    const trie = make();
    trie.insert(ip(10, 0, 0, 0), 8, "old");
    trie.insert(ip(10, 0, 0, 0), 8, "new");
    expect(trie.size).toBe(1);
    expect(trie.get(ip(10, 0, 0, 0), 8)).toBe("new");
    expect(trie.lookup(ip(10, 9, 9, 9))).toBe("new");
  });

  it("rejects host bits with RangeError", () => {
    const trie = make();
    expect(() => trie.insert(ip(10, 0, 0, 1), 24, "x")).toThrow(RangeError);
    expect(() => trie.delete(ip(10, 0, 0, 1), 24)).toThrow(RangeError);
    expect(() => trie.get(ip(10, 0, 0, 1), 24)).toThrow(RangeError);
    expect(() => trie.insert(1, 0, "x")).toThrow(RangeError);
  });

  it("rejects invalid lengths and addresses with RangeError", () => {
    const trie = make();
    expect(() => trie.insert(0, 33, "x")).toThrow(RangeError);
    expect(() => trie.insert(0, -1, "x")).toThrow(RangeError);
    expect(() => trie.insert(0, 1.5, "x")).toThrow(RangeError);
    expect(() => trie.insert(2 ** 32, 32, "x")).toThrow(RangeError);
    expect(() => trie.insert(-1, 32, "x")).toThrow(RangeError);
  });

  it("maps lookupMany ids back to values", () => {
    const trie = make();
    trie.insert(ip(10, 0, 0, 0), 8, "a");
    trie.insert(ip(10, 1, 0, 0), 16, "b");
    const ids = trie.lookupMany(Uint32Array.of(ip(10, 1, 0, 1), ip(10, 2, 0, 1), ip(9, 0, 0, 0)));
    expect(Array.from(ids, (id) => trie.valueAt(id))).toEqual(["b", "a", undefined]);
    expect(ids[2]).toBe(-1);
  });

  it("visits routes in address order, shorter first", () => {
    const trie = make();
    trie.insert(ip(10, 1, 0, 0), 16, "c");
    trie.insert(ip(10, 0, 0, 0), 8, "b");
    trie.insert(ip(200, 0, 0, 0), 8, "d");
    trie.insert(0, 0, "a");
    const seen: string[] = [];
    trie.forEach((_addr, _bits, value) => seen.push(value));
    expect(seen).toEqual(["a", "b", "c", "d"]);
  });

  it("visits in dump order, longer first", () => {
    const trie = make();
    trie.insert(ip(172, 18, 0, 0), 16, "c");
    trie.insert(ip(172, 18, 0, 0), 24, "b");
    trie.insert(ip(10, 0, 0, 0), 8, "a");
    trie.insert(ip(172, 18, 1, 0), 24, "d");
    const seen: string[] = [];
    trie.forEachDumpOrder((_addr, _bits, value) => seen.push(value));
    expect(seen).toEqual(["a", "b", "c", "d"]);
  });
});

describe("Trie4 with trieThreshold Infinity", () => {
  it("stays a plain list past the direct threshold", () => {
    const trie = new Trie4<number>({ trieThreshold: Infinity, directThreshold: 8 });
    for (let i = 0; i < 20; i++) trie.insert(ip(10, 0, i, 0), 24, i);
    expect(trie.lookupMode).toBe("list");
    trie.insertMany(Uint32Array.of(ip(10, 1, 0, 0)), [16], [99]);
    expect(trie.lookupMode).toBe("list");
    expect(trie.lookup(ip(10, 1, 2, 3))).toBe(99);
  });
});

describe("Trie4 dump order of a large list", () => {
  // From 4,096 prefixes a list is sorted by counting sort, which the property tests, with
  // their short update sequences, never reach.
  it("sorts like a comparison sort", () => {
    const trie = new Trie4<number>({ trieThreshold: Infinity });
    const expected: [number, number][] = [];
    let seed = 12345;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const bits = 8 + (seed % 25);
      const addr = (ip(10, 0, 0, 0) | (seed & 0x00ffff00 & mask(bits))) >>> 0;
      if (trie.get(addr, bits) !== undefined) continue;
      trie.insert(addr, bits, i);
      expected.push([addr, bits]);
    }
    expected.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const seen: [number, number][] = [];
    trie.forEachDumpOrder((addr, bits) => seen.push([addr, bits]));
    expect(trie.lookupMode).toBe("list");
    expect(seen).toEqual(expected);
  });
});

describe("Trie4 direct threshold", () => {
  it("switches modes at the thresholds and back below half", () => {
    const trie = new Trie4<number>({ trieThreshold: 4, directThreshold: 8 });
    const modes: string[] = [];
    for (let i = 0; i < 8; i++) {
      trie.insert(ip(10, i, 0, 0), 16, i);
      modes.push(trie.lookupMode);
    }
    expect(modes).toEqual(["list", "list", "list", "trie", "trie", "trie", "trie", "direct"]);
    expect(trie.lookup(ip(10, 2, 9, 9))).toBe(2);
    for (let i = 0; i < 7; i++) {
      trie.delete(ip(10, i, 0, 0), 16);
      modes.push(trie.lookupMode);
    }
    expect(modes.slice(8)).toEqual([
      "direct",
      "direct",
      "direct",
      "direct",
      "trie",
      "trie",
      "list",
    ]);
    expect(trie.lookup(ip(10, 7, 9, 9))).toBe(7);
  });

  it("keeps a table of five routes under 1 KB of typed arrays", () => {
    const trie = new Trie4<number>();
    for (let i = 0; i < 5; i++) trie.insert(ip(10, i, 0, 0), 16, i);
    expect(trie.lookupMode).toBe("list");
    expect(trie.byteLength).toBeLessThan(1024);
  });

  it("insertMany matches inserting one by one", () => {
    const addrs = [ip(10, 0, 0, 0), ip(10, 1, 0, 0), ip(10, 1, 2, 0), ip(10, 0, 0, 0)];
    const bits = [8, 16, 24, 8];
    const values = [1, 2, 3, 4];
    const batch = new Trie4<number>({ trieThreshold: 2 });
    batch.insertMany(addrs, bits, values);
    const single = new Trie4<number>({ trieThreshold: 2 });
    addrs.forEach((a, i) => single.insert(a, bits[i]!, values[i]!));
    expect(batch.size).toBe(3);
    for (const probe of [ip(10, 0, 0, 1), ip(10, 1, 2, 3), ip(10, 1, 3, 3), ip(11, 0, 0, 0)]) {
      expect(batch.lookup(probe)).toBe(single.lookup(probe));
    }
  });
});

describe.each([
  ["WebAssembly memory", true],
  ["plain arrays", false],
])("Trie4 under churn, with its arrays in %s", (_where, wasm) => {
  // Thousands of inserts and deletes make the trie free, reuse and compact its entry blocks,
  // which short random sequences never reach. In WebAssembly memory they also grow the memory,
  // which replaces every view of it.
  it("agrees with the linear reference after heavy churn", () => {
    const trie = new Trie4<number>({ trieThreshold: 0, directThreshold: 0, wasm });
    const reference = new LinearLpm4<number>();
    let seed = 12345;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const live: [number, number][] = [];
    for (let step = 0; step < 6000; step++) {
      if (live.length > 0 && next() % 3 === 0) {
        const [addr, bits] = live.splice(next() % live.length, 1)[0]!;
        expect(trie.delete(addr, bits)).toBe(reference.delete(addr, bits));
        continue;
      }
      const bits = 16 + (next() % 17);
      const addr = ((0x0a000000 | (next() & 0x000fffff)) & (-1 << (32 - bits))) >>> 0;
      trie.insert(addr, bits, step);
      reference.insert(addr, bits, step);
      live.push([addr, bits]);
      if (step % 500 === 0) {
        const addrs = Uint32Array.from({ length: 200 }, () => 0x0a000000 | (next() & 0x000fffff));
        const ids = trie.lookupMany(addrs);
        addrs.forEach((a, i) => expect(trie.valueAt(ids[i]!)).toBe(reference.lookup(a)));
      }
    }
    expect(trie.batchEngine).toBe(wasm ? "wasm" : "js");
    for (let i = 0; i < 3000; i++) {
      const addr = (0x0a000000 | (next() & 0x000fffff)) >>> 0;
      expect(trie.lookup(addr)).toBe(reference.lookup(addr));
    }
  });
});

// Counterexamples that fast-check found against deliberately broken variants of the delete
// path, kept so that the cheapest failing cases always run in every lookup mode.
describe.each([
  ["a root node", { trieThreshold: 0, directThreshold: Infinity }],
  ["a direct level", { trieThreshold: 0, directThreshold: 0 }],
  ["a direct level in plain arrays", { trieThreshold: 0, directThreshold: 0, wasm: false }],
])("Trie4 regressions with %s", (_mode, options) => {
  it("restores /0 after deleting 0.0.0.0/1", () => {
    const trie = new Trie4<string>(options);
    trie.insert(0, 1, "/1");
    trie.insert(0, 0, "/0");
    trie.delete(0, 1);
    expect(trie.lookup(0)).toBe("/0");
    expect(trie.lookup(0x7fffffff)).toBe("/0");
  });

  it("restores /5 after deleting a shorter /1", () => {
    const trie = new Trie4<string>(options);
    for (let bits = 0; bits <= 5; bits++) trie.insert(0, bits, `/${bits}`);
    trie.insert(0x08000000, 5, "8/5");
    trie.insert(0x08000000, 6, "8/6");
    trie.delete(0, 1);
    expect(trie.lookup(0)).toBe("/5");
    expect(trie.lookup(0x08000000)).toBe("8/6");
    expect(trie.lookup(0x0c000000)).toBe("8/5");
    expect(trie.lookup(0x10000000)).toBe("/3");
  });
});
