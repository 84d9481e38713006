/**
 * Checks the tries against a per-length exact-match reference on the real BGP tables in
 * `../shared/data/`, beside the repository. The test skips with a printed reason when the
 * tables are absent, for example in a checkout without the shared folder.
 */

import { describe, expect, it } from "vitest";
import { xorshift } from "../bench/keys.js";
import { TABLE_FILES, loadTable4, loadTable6, missingTables } from "../bench/route-tables.js";
import { Trie4 } from "../src/fib/trie4.js";
import { Trie6 } from "../src/fib/trie6.js";
import { PerLengthLpm4, PerLengthLpm6 } from "./reference/per-length-lpm.js";

/** Addresses per kind: random, and inside a random table prefix. */
const KEYS_PER_KIND = 100_000;

const missing = missingTables();
if (missing !== undefined) console.log(`fib-real-tables skipped: ${missing}`);

/** Returns how many of the addresses get a different result, and the first of them. */
function countMismatches<A>(addrs: A[], actual: (a: A) => unknown, expected: (a: A) => unknown) {
  let count = 0;
  let first: A | undefined;
  for (const addr of addrs) {
    if (actual(addr) === expected(addr)) continue;
    count++;
    first ??= addr;
  }
  return { count, first };
}

describe.skipIf(missing !== undefined)("tries on real BGP tables", () => {
  for (const table of TABLE_FILES.filter((t) => t.family === 4)) {
    it(`Trie4 agrees with the reference on ${table.name}`, () => {
      const { addrs, bits } = loadTable4(table.file);
      const trie = new Trie4<number>();
      trie.insertMany(
        addrs,
        bits,
        Array.from(addrs, (_, i) => i),
      );
      const reference = new PerLengthLpm4<number>();
      addrs.forEach((addr, i) => reference.insert(addr, bits[i]!, i));
      expect(trie.size).toBe(addrs.length);
      expect(trie.lookupMode).toBe("direct");
      expect(trie.batchEngine).toBe("wasm");

      const next = xorshift(7);
      const keys: number[] = [];
      for (let i = 0; i < KEYS_PER_KIND; i++) {
        keys.push(next());
        const j = next() % addrs.length;
        keys.push((addrs[j]! | (bits[j] === 32 ? 0 : next() >>> bits[j]!)) >>> 0);
      }
      const ids = trie.lookupMany(Uint32Array.from(keys));
      const fromBatch = new Map(keys.map((k, i) => [k, trie.valueAt(ids[i]!)]));
      const lookups = countMismatches(
        keys,
        (a) => trie.lookup(a),
        (a) => reference.lookup(a),
      );
      const batch = countMismatches(
        keys,
        (a) => fromBatch.get(a),
        (a) => reference.lookup(a),
      );
      expect(lookups).toEqual({ count: 0, first: undefined });
      expect(batch).toEqual({ count: 0, first: undefined });
    });
  }

  for (const table of TABLE_FILES.filter((t) => t.family === 6)) {
    it(`Trie6 agrees with the reference on ${table.name}`, () => {
      const { words, bits } = loadTable6(table.file);
      const addrs = Array.from(bits, (_, i) => words.slice(i * 4, i * 4 + 4));
      const trie = new Trie6<number>();
      trie.insertMany(
        addrs,
        bits,
        Array.from(bits, (_, i) => i),
      );
      const reference = new PerLengthLpm6<number>();
      addrs.forEach((addr, i) => reference.insert(addr, bits[i]!, i));
      expect(trie.batchEngine).toBe("wasm");
      expect(trie.size).toBe(addrs.length);

      const next = xorshift(11);
      const keys: Uint32Array[] = [];
      for (let i = 0; i < KEYS_PER_KIND; i++) {
        keys.push(Uint32Array.of(next(), next(), next(), next()));
        const j = next() % addrs.length;
        keys.push(
          addrs[j]!.map((word, k) => {
            const hostBits = Math.min(32, Math.max(0, 32 * (k + 1) - bits[j]!));
            return hostBits === 0 ? word : word | (next() >>> (32 - hostBits));
          }),
        );
      }
      const packed = new Uint32Array(4 * keys.length);
      keys.forEach((key, i) => packed.set(key, 4 * i));
      const ids = trie.lookupMany(packed);
      const fromBatch = new Map(keys.map((key, i) => [key, trie.valueAt(ids[i]!)]));
      const lookups = countMismatches(
        keys,
        (a) => trie.lookup(a),
        (a) => reference.lookup(a),
      );
      const batch = countMismatches(
        keys,
        (a) => fromBatch.get(a),
        (a) => reference.lookup(a),
      );
      expect(lookups).toEqual({ count: 0, first: undefined });
      expect(batch).toEqual({ count: 0, first: undefined });
    });
  }
});
