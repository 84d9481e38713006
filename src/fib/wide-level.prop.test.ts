import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LinearLpm6 } from "../../test/reference/linear-lpm.js";
import type { StrideTrie } from "./stride-trie.js";
import { Trie6 } from "./trie6.js";
import { WIDE_MAX_NODES, WIDE_MIN_RUNS } from "./wide-level.js";

/** The /16s that get enough prefixes for a wide node, as their top 16 address bits. */
const DENSE = [0x2001, 0x2a00];

/** A direct first level in WebAssembly memory at every size, so that batches use the arena. */
const DIRECT = { trieThreshold: 0, directThreshold: 0 };

/**
 * Keys per chunk of a batch (`CHUNK` in wasm-lookup.ts). A batch reads the wide level only in
 * chunks that follow one where most keys went past the first level, so every batch here spans
 * at least two chunks.
 */
const CHUNK = 4096;

/** Returns `keys` (four words each) repeated until they fill two chunks at least. */
function twoChunks(keys: Uint32Array): Uint32Array {
  const count = keys.length / 4;
  const copies = Math.ceil((2 * CHUNK) / count);
  const out = new Uint32Array(copies * keys.length);
  for (let c = 0; c < copies; c++) out.set(keys, c * keys.length);
  return out;
}

/** Returns the number of wide nodes in the trie's arena now, through its private core. */
function wideNodes(trie: Trie6<number>): number {
  const core = (trie as unknown as { core: { trie: StrideTrie | null } }).core;
  return core.trie?.arena?.wideNodes ?? 0;
}

/** Returns a trie in WebAssembly memory built from the /32s `addrs`, with values 0, 1, 2... */
function tableOf32s(addrs: readonly Uint32Array[]): Trie6<number> {
  const trie = new Trie6<number>(DIRECT);
  trie.insertMany(
    addrs,
    addrs.map(() => 32),
    addrs.map((_, i) => i),
  );
  return trie;
}

/** Returns /32s at every fourth value of bits 17-32 of the /16 `high`: two runs each. */
function lone32s(high: number, count: number): Uint32Array[] {
  return Array.from({ length: count }, (_, i) =>
    Uint32Array.of(((high << 16) | (4 * i)) >>> 0, 0, 0, 0),
  );
}

/** Returns `addr` with every bit from bit `bits` on cleared. */
function masked(addr: Uint32Array, bits: number): Uint32Array {
  return addr.map((word, k) => {
    const inWord = bits - 32 * k;
    if (inWord <= 0) return 0;
    return inWord >= 32 ? word : word & ((0xffffffff << (32 - inWord)) >>> 0);
  });
}

interface Prefix {
  readonly addr: Uint32Array;
  readonly bits: number;
}

/**
 * /32s at even values of bits 17-32, so that no two touch and each adds two runs at bit 32 (its
 * own and the gap after it): more than WIDE_MIN_RUNS in all.
 */
const denseBase = fc
  .tuple(
    fc.subarray(DENSE, { minLength: 1 }),
    fc.uniqueArray(fc.integer({ min: 0, max: 0x7fff }), {
      minLength: WIDE_MIN_RUNS / 2 + 10,
      maxLength: WIDE_MIN_RUNS / 2 + 90,
    }),
  )
  .map(([highs, halves]) =>
    highs.flatMap((high) =>
      halves.map((half): Prefix => ({
        addr: Uint32Array.of(((high << 16) | (2 * half)) >>> 0, 0, 0, 0),
        bits: 32,
      })),
    ),
  );

/** A prefix in or near the dense /16s, of any length up to /64, or a short one over them. */
const nearPrefix = fc
  .tuple(
    fc.constantFrom(...DENSE, 0x2400, 0x0000, 0xffff),
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.integer({ min: 0, max: 64 }),
  )
  .map(([high, low, word1, bits]): Prefix => {
    const addr = Uint32Array.of(((high << 16) | low) >>> 0, word1, 0, 0);
    return { addr: masked(addr, bits), bits };
  });

type Step = { kind: "insert"; prefix: Prefix; value: number } | { kind: "delete"; prefix: Prefix };

const steps = fc.array(
  fc.oneof(
    fc
      .tuple(nearPrefix, fc.nat())
      .map(([prefix, value]): Step => ({ kind: "insert", prefix, value })),
    nearPrefix.map((prefix): Step => ({ kind: "delete", prefix })),
  ),
  { minLength: 1, maxLength: 30 },
);

/**
 * Keys inside every prefix, its first address and one with host bits from `noise`, and keys at
 * the edges of the dense /16s.
 */
function keysFor(prefixes: readonly Prefix[], noise: readonly number[]): Uint32Array {
  const keys: number[] = [];
  prefixes.forEach(({ addr, bits }, i) => {
    const n = noise[i % noise.length]!;
    const random = Uint32Array.of(n, ~n, n ^ i, i);
    const net = masked(random, bits);
    keys.push(...addr);
    // The host bits of `random` are random ^ net.
    addr.forEach((word, k) => keys.push((word | (random[k]! ^ net[k]!)) >>> 0));
  });
  for (const high of [...DENSE, 0x0000, 0xffff]) {
    keys.push(high << 16, 0, 0, 0, ((high << 16) | 0xffff) >>> 0, 0xffffffff, 0, 1);
  }
  return Uint32Array.from(keys);
}

function expectBatchMatchesReference(
  trie: Trie6<number>,
  reference: LinearLpm6<number>,
  keys: Uint32Array,
): void {
  const count = keys.length / 4;
  const expected = Array.from({ length: count }, (_, i) =>
    reference.lookup(keys.subarray(4 * i, 4 * i + 4)),
  );
  const ids = trie.lookupMany(twoChunks(keys));
  for (let i = 0; i < ids.length; i++) {
    const key = keys.subarray(4 * (i % count), 4 * (i % count) + 4);
    expect(trie.valueAt(ids[i]!), `key ${Array.from(key, (w) => w.toString(16))}`).toBe(
      expected[i % count],
    );
  }
}

describe("the wide level of the IPv6 batch lookups", () => {
  it("matches the reference through updates", () => {
    fc.assert(
      fc.property(
        denseBase,
        steps,
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 8 }),
        (base, updates, noise) => {
          const trie = new Trie6<number>(DIRECT);
          const reference = new LinearLpm6<number>();
          trie.insertMany(
            base.map((p) => p.addr),
            base.map((p) => p.bits),
            base.map((_, i) => i),
          );
          base.forEach((p, i) => reference.insert(p.addr, p.bits, i));
          expect(wideNodes(trie)).toBeGreaterThan(0);
          const prefixes = [...base, ...updates.map((step) => step.prefix)];
          const keys = keysFor(prefixes, noise);
          expectBatchMatchesReference(trie, reference, keys);
          // Batches between updates: each must see the updates before it.
          for (let at = 0; at < updates.length; at += 6) {
            for (const step of updates.slice(at, at + 6)) {
              const { addr, bits } = step.prefix;
              if (step.kind === "insert") {
                trie.insert(addr, bits, step.value);
                reference.insert(addr, bits, step.value);
              } else {
                expect(trie.delete(addr, bits)).toBe(reference.delete(addr, bits));
              }
            }
            expectBatchMatchesReference(trie, reference, keys);
            // The updates never take a dense /16 below WIDE_MIN_RUNS, so the level was rebuilt.
            expect(wideNodes(trie)).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("rebuilds after a delete and an insert", () => {
    const high = DENSE[1]!;
    const addrs = lone32s(high, WIDE_MIN_RUNS / 2 + 50);
    const trie = tableOf32s(addrs);
    // The value found for one key in the last chunk of a batch, which reads the wide level.
    const batchValue = (slot: number, word1 = 0): number | undefined => {
      const ids = trie.lookupMany(
        twoChunks(Uint32Array.of(((high << 16) | slot) >>> 0, word1, 5, 6)),
      );
      return trie.valueAt(ids[ids.length - 1]!);
    };
    expect(wideNodes(trie)).toBe(1);
    expect(batchValue(40)).toBe(10);
    // Neither update grows the arena, which would drop the level on its own.
    expect(trie.delete(addrs[10]!, 32)).toBe(true);
    expect(batchValue(40)).toBeUndefined();
    expect(wideNodes(trie)).toBe(1);
    trie.insert(addrs[10]!, 32, 1010);
    expect(batchValue(40, 0xffff)).toBe(1010);
  });

  it("builds the level only for a batch that reads it", () => {
    const addrs = lone32s(DENSE[0]!, WIDE_MIN_RUNS);
    const trie = tableOf32s(addrs);
    expect(wideNodes(trie)).toBe(1);
    trie.insert(Uint32Array.of(0x24000000, 0, 0, 0), 16, -5);
    expect(wideNodes(trie)).toBe(0);
    // One key, then two chunks of keys that stop at the first level: neither goes deep.
    trie.lookupMany(addrs[3]!);
    trie.lookupMany(twoChunks(Uint32Array.of(0x24001234, 0, 0, 0)));
    expect(wideNodes(trie)).toBe(0);
    const ids = trie.lookupMany(twoChunks(addrs[3]!));
    expect(wideNodes(trie)).toBe(1);
    expect(trie.valueAt(ids[ids.length - 1]!)).toBe(3);
  });

  it("recovers from a build that failed", () => {
    const base = lone32s(DENSE[0]!, WIDE_MIN_RUNS);
    const trie = tableOf32s(base);
    // Six more dense /16s: the new level needs more memory than the arena has.
    for (let k = 1; k <= 6; k++) {
      lone32s(0x3000 + k, WIDE_MIN_RUNS).forEach((addr, i) => trie.insert(addr, 32, 1000 * k + i));
    }
    trie.delete(base[5]!, 32);
    const keys = twoChunks(Uint32Array.of(base[5]![0]!, 1, 2, 3));
    const memory = (globalThis as unknown as { WebAssembly: { Memory: { prototype: object } } })
      .WebAssembly.Memory.prototype as { grow(pages: number): number };
    const grow = memory.grow;
    memory.grow = () => {
      throw new RangeError("out of memory");
    };
    try {
      expect(() => trie.lookupMany(keys)).toThrow("out of memory");
    } finally {
      memory.grow = grow;
    }
    expect(wideNodes(trie)).toBe(0);
    const ids = trie.lookupMany(keys);
    expect(wideNodes(trie)).toBe(7);
    expect(ids.every((id) => id === -1)).toBe(true);
  });

  it("reads every slot like the stride-8 nodes", () => {
    const trie = new Trie6<number>(DIRECT);
    const high = DENSE[0]!;

    // Runs of every width: /32s at every 7th slot, /20s to /31s between them, /48s below some.
    const prefixes: Prefix[] = [];
    for (let low = 0; low < 0x10000; low += 7) {
      prefixes.push({ addr: Uint32Array.of(((high << 16) | low) >>> 0, 0, 0, 0), bits: 32 });
      if (low % 5 === 0) {
        prefixes.push({
          addr: Uint32Array.of(((high << 16) | low) >>> 0, low << 16, 0, 0),
          bits: 48,
        });
      }
    }
    for (let bits = 20; bits < 32; bits++) {
      const addr = masked(Uint32Array.of(((high << 16) | (bits * 2741)) >>> 0, 0, 0, 0), bits);
      const isStored = prefixes.some((p) => p.bits === bits && p.addr[0] === addr[0]);
      if (!isStored) prefixes.push({ addr, bits });
    }
    trie.insertMany(
      prefixes.map((p) => p.addr),
      prefixes.map((p) => p.bits),
      prefixes.map((_, i) => i),
    );
    expect(wideNodes(trie)).toBe(1);

    // Two keys per slot of bits 17-32: the lowest address and one with low bits set.
    const keys = new Uint32Array(2 * 4 * 0x10000);
    for (let low = 0; low < 0x10000; low++) {
      keys.set([((high << 16) | low) >>> 0, 0, 0, 0], 8 * low);
      keys.set([((high << 16) | low) >>> 0, ((low % 5) << 16) | 0xbeef, 1, 2], 8 * low + 4);
    }

    const ids = trie.lookupMany(keys);
    for (let i = 0; i < ids.length; i++) {
      expect(ids[i]).toBe(trie.lookupId(keys.subarray(4 * i, 4 * i + 4)));
    }
  });

  it(`stops at ${WIDE_MAX_NODES} nodes`, () => {
    const trie = new Trie6<number>(DIRECT);
    const highs = Array.from({ length: WIDE_MAX_NODES + 20 }, (_, i) => 0x2000 + 3 * i);
    const addrs: Uint32Array[] = [];
    // WIDE_MIN_RUNS / 2 lone /32s and a /33 make at least WIDE_MIN_RUNS runs in each /16.
    for (const high of highs) {
      for (let k = 0; k <= WIDE_MIN_RUNS / 2; k++) {
        addrs.push(Uint32Array.of(((high << 16) | (k * 97)) >>> 0, 0, 0, 0));
      }
    }
    trie.insertMany(
      addrs,
      addrs.map((_, i) => (i % (WIDE_MIN_RUNS / 2 + 1) === 0 ? 33 : 32)),
      addrs.map((_, i) => i),
    );
    expect(wideNodes(trie)).toBe(WIDE_MAX_NODES);
    const keys = new Uint32Array(addrs.length * 8);
    addrs.forEach((addr, i) => {
      keys.set([addr[0]!, 0x80000000, 0, 0], 8 * i);
      keys.set([addr[0]! + 1, 0, 0, 0], 8 * i + 4);
    });
    const ids = trie.lookupMany(keys);
    for (let i = 0; i < ids.length; i++) {
      expect(ids[i]).toBe(trie.lookupId(keys.subarray(4 * i, 4 * i + 4)));
    }
  });
});
