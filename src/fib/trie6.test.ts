import { describe, expect, it } from "vitest";
import { Trie6 } from "./trie6.js";

/** Returns the IPv6 address given as eight 16-bit groups as four words. */
function ip6(...groups: number[]): Uint32Array {
  const words = new Uint32Array(4);
  for (let k = 0; k < 4; k++) words[k] = ((groups[2 * k]! << 16) | groups[2 * k + 1]!) >>> 0;
  return words;
}

// Every case runs in all three lookup modes: a plain list, a root entry and a direct level, whose
// arrays lie in WebAssembly memory by default and in plain arrays with `wasm: false`.
describe.each([
  ["a plain list", { trieThreshold: Infinity }],
  ["a root node", { trieThreshold: 0, directThreshold: Infinity }],
  ["a direct level", { trieThreshold: 0, directThreshold: 0 }],
  ["a direct level in plain arrays", { trieThreshold: 0, directThreshold: 0, wasm: false }],
])("Trie6 with %s", (_mode, options) => {
  const make = () => new Trie6<string>(options);

  it("matches everything with the ::/0 default route", () => {
    const trie = make();
    trie.insert(ip6(0, 0, 0, 0, 0, 0, 0, 0), 0, "default");
    expect(trie.lookup(ip6(0, 0, 0, 0, 0, 0, 0, 0))).toBe("default");
    expect(trie.lookup(Uint32Array.of(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))).toBe(
      "default",
    );
  });

  it("matches a /128 host route only for its address", () => {
    const trie = make();
    trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 128, "host");
    expect(trie.lookup(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))).toBe("host");
    expect(trie.lookup(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2))).toBeUndefined();
    expect(trie.lookup(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0))).toBeUndefined();
  });

  it("prefers the longest of nested prefixes", () => {
    const trie = make();
    trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, "/32");
    trie.insert(ip6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0), 48, "/48");
    trie.insert(ip6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 0), 64, "/64");
    trie.insert(ip6(0x2001, 0xdb8, 1, 2, 0x8000, 0, 0, 0), 65, "/65");
    expect(trie.lookup(ip6(0x2001, 0xdb8, 1, 2, 0x8000, 0, 0, 9))).toBe("/65");
    expect(trie.lookup(ip6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 9))).toBe("/64");
    expect(trie.lookup(ip6(0x2001, 0xdb8, 1, 3, 0, 0, 0, 9))).toBe("/48");
    expect(trie.lookup(ip6(0x2001, 0xdb8, 2, 0, 0, 0, 0, 9))).toBe("/32");
    expect(trie.lookup(ip6(0x2001, 0xdb9, 0, 0, 0, 0, 0, 0))).toBeUndefined();
  });

  it("lists every match longest first", () => {
    const trie = make();
    trie.insert(ip6(0, 0, 0, 0, 0, 0, 0, 0), 0, "default");
    trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, "/32");
    trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 128, "/128");
    const matches = trie.matches(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
    expect(matches.map((m) => m.bits)).toEqual([128, 32, 0]);
    expect(Array.from(matches[1]!.addr)).toEqual([0x20010db8, 0, 0, 0]);
  });

  it("falls back to the shorter prefix after a delete", () => {
    const trie = make();
    trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, "/32");
    trie.insert(ip6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0), 48, "/48");
    expect(trie.delete(ip6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0), 48)).toBe(true);
    expect(trie.lookup(ip6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 5))).toBe("/32");
  });

  it("returns false when deleting a missing prefix", () => {
    const trie = make();
    trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, "/32");
    expect(trie.delete(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 33)).toBe(false);
    expect(trie.delete(ip6(0x2001, 0xdb9, 0, 0, 0, 0, 0, 0), 32)).toBe(false);
    expect(trie.size).toBe(1);
  });

  it("rejects host bits with RangeError", () => {
    const trie = make();
    expect(() => trie.insert(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 64, "x")).toThrow(RangeError);
    expect(() => trie.delete(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 64)).toThrow(RangeError);
    expect(() => trie.get(ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 127)).toThrow(RangeError);
  });

  it("rejects invalid lengths and addresses with RangeError", () => {
    const trie = make();
    expect(() => trie.insert(new Uint32Array(4), 129, "x")).toThrow(RangeError);
    expect(() => trie.insert(new Uint32Array(4), -1, "x")).toThrow(RangeError);
    expect(() => trie.insert(new Uint32Array(3), 0, "x")).toThrow(RangeError);
  });

  it("names what is wrong with a bad argument", () => {
    const trie = make();
    trie.insert(ip6(0, 0, 0, 0, 0, 0, 0, 0), 0, "default");
    expect(() => trie.lookup(new Uint32Array(2))).toThrow(
      "invalid IPv6 address: expected a Uint32Array of four words",
    );
    expect(() => trie.lookupMany(new Uint32Array(6))).toThrow(
      "invalid batch: 6 words, expected a multiple of 4 (four words per address)",
    );
    expect(() => trie.lookupMany(new Uint32Array(36), new Int32Array(2))).toThrow(
      "output array too short: 2 ids for 9 addresses",
    );
    expect(() => trie.insert(new Uint32Array(4), "48" as unknown as number, "x")).toThrow(
      'invalid prefix length "48": expected an integer from 0 to 128',
    );
  });
});

describe("Trie6 memory", () => {
  it("keeps a table of five routes under 1 KB of typed arrays", () => {
    const trie = new Trie6<number>();
    for (let i = 0; i < 5; i++) trie.insert(ip6(0x2001, 0xdb8, i, 0, 0, 0, 0, 0), 48, i);
    expect(trie.lookupMode).toBe("list");
    expect(trie.byteLength).toBeLessThan(1024);
  });
});
