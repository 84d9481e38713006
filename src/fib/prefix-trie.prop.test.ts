import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addr4,
  addr6,
  mask6,
  prefix4,
  prefix6,
  updates,
  type Update,
} from "../../test/arbitraries/prefix.js";
import { LinearLpm4, LinearLpm6 } from "../../test/reference/linear-lpm.js";
import type { TrieOptions } from "./prefix-trie.js";
import { Trie4 } from "./trie4.js";
import { Trie6 } from "./trie6.js";

/** The operations of `PrefixIndex4` and `PrefixIndex6` over an address type `A`. */
interface Index<A> {
  readonly size: number;
  insert(addr: A, bits: number, value: number): void;
  delete(addr: A, bits: number): boolean;
  get(addr: A, bits: number): number | undefined;
  lookup(addr: A): number | undefined;
  matches(addr: A): { addr: A; bits: number; value: number }[];
  forEach(visit: (addr: A, bits: number, value: number) => void): void;
}

/** A trie under test: an index plus the batch calls that only the tries have. */
interface Trie<A> extends Index<A> {
  forEachDumpOrder(visit: (addr: A, bits: number, value: number) => void): void;
  lookupMany(addrs: Uint32Array): Int32Array;
  valueAt(id: number): number | undefined;
  readonly lookupMode: string;
  readonly usage: { nodes: number; entries: number } | null;
}

/** One prefix of the address type `A`. */
interface Prefix<A> {
  readonly addr: A;
  readonly bits: number;
}

/** What the suite needs to know about one address family. */
interface Family<A> {
  readonly name: string;
  make(options: TrieOptions): Trie<A>;
  reference(): Index<A>;
  addr(): fc.Arbitrary<A>;
  prefix(): fc.Arbitrary<Prefix<A>>;
  /** Returns the last address of the prefix. */
  lastAddress(prefix: Prefix<A>): A;
  /** Returns the addresses as one array of 32-bit words for `lookupMany`. */
  pack(addrs: A[]): Uint32Array;
  format(addr: A): string;
  /** Builds a trie with one `insertMany` call. */
  build(options: TrieOptions, prefixes: Prefix<A>[], values: number[]): Trie<A>;
}

const IPV4: Family<number> = {
  name: "Trie4",
  make: (options) => new Trie4<number>(options),
  reference: () => new LinearLpm4<number>(),
  addr: addr4,
  prefix: prefix4,
  lastAddress: (p) => (p.addr | ~(p.bits === 0 ? 0 : -1 << (32 - p.bits))) >>> 0,
  pack: (addrs) => Uint32Array.from(addrs),
  format: (addr) => String(addr),
  build: (options, prefixes, values) => {
    const trie = new Trie4<number>(options);
    trie.insertMany(
      prefixes.map((p) => p.addr),
      prefixes.map((p) => p.bits),
      values,
    );
    return trie;
  },
};

const IPV6: Family<Uint32Array> = {
  name: "Trie6",
  make: (options) => new Trie6<number>(options),
  reference: () => new LinearLpm6<number>(),
  addr: addr6,
  prefix: prefix6,
  lastAddress: (p) => {
    const mask = mask6(p.bits);
    return p.addr.map((w, k) => w | ~mask[k]!);
  },
  pack: (addrs) => {
    const packed = new Uint32Array(4 * addrs.length);
    addrs.forEach((a, i) => packed.set(a, 4 * i));
    return packed;
  },
  format: (addr) => addr.join(":"),
  build: (options, prefixes, values) => {
    const trie = new Trie6<number>(options);
    trie.insertMany(
      prefixes.map((p) => p.addr),
      prefixes.map((p) => p.bits),
      values,
    );
    return trie;
  },
};

// The direct level runs with its arrays in WebAssembly memory and, with `wasm: false`, in plain
// arrays. The last configuration switches between all three modes as random sequences grow and
// shrink.
const OPTIONS: TrieOptions[] = [
  { trieThreshold: Infinity },
  { trieThreshold: 0, directThreshold: Infinity },
  { trieThreshold: 0, directThreshold: 0 },
  { trieThreshold: 0, directThreshold: 0, wasm: false },
  { trieThreshold: 4, directThreshold: 12 },
];

/** Registers the property suite for one address family. */
function describeFamily<A>(family: Family<A>): void {
  /** Applies the updates to the index and returns the delete results in order. */
  const apply = (index: Index<A>, steps: Update<Prefix<A>>[]): boolean[] => {
    const deleted: boolean[] = [];
    for (const step of steps) {
      const { addr, bits } = step.prefix;
      if (step.kind === "insert") index.insert(addr, bits, step.value);
      else deleted.push(index.delete(addr, bits));
    }
    return deleted;
  };

  /** Returns the stored routes in `forEach` order as `addr/bits=value` strings. */
  const listRoutes = (index: Index<A>): string[] => {
    const routes: string[] = [];
    index.forEach((addr, bits, value) => routes.push(`${family.format(addr)}/${bits}=${value}`));
    return routes;
  };

  /** Returns probe addresses: the given ones plus the first and last address of every prefix. */
  const probes = (steps: Update<Prefix<A>>[], extra: A[]): A[] => {
    const addrs = [...extra];
    for (const { prefix } of steps) addrs.push(prefix.addr, family.lastAddress(prefix));
    return addrs;
  };

  const extraAddrs = () => fc.array(family.addr(), { maxLength: 20 });

  describe.each(OPTIONS)(`${family.name} with %o`, (options) => {
    const make = () => family.make(options);

    it("lookup agrees with the linear reference", () => {
      fc.assert(
        fc.property(updates(family.prefix()), extraAddrs(), (steps, extra) => {
          const trie = make();
          const reference = family.reference();
          expect(apply(trie, steps)).toEqual(apply(reference, steps));
          expect(trie.size).toBe(reference.size);
          const all = probes(steps, extra);
          for (const addr of all) {
            expect(trie.lookup(addr)).toBe(reference.lookup(addr));
            expect(trie.matches(addr)).toEqual(reference.matches(addr));
          }
          const ids = Array.from(trie.lookupMany(family.pack(all)));
          expect(ids.map((id) => trie.valueAt(id))).toEqual(all.map((a) => reference.lookup(a)));
          // A batch of more than two chunks of the WebAssembly loop (4,096 keys each), where an
          // IPv6 chunk after one whose keys mostly passed the first level runs another first pass.
          if (all.length > 0) {
            const repeats = Math.ceil(9000 / all.length);
            const long = trie.lookupMany(
              family.pack(Array.from({ length: repeats }, () => all).flat()),
            );
            expect(Array.from(long)).toEqual(Array.from({ length: repeats }, () => ids).flat());
          }
        }),
        { numRuns: 300 },
      );
    });

    it("get and forEach agree with the linear reference", () => {
      fc.assert(
        fc.property(updates(family.prefix()), (steps) => {
          const trie = make();
          const reference = family.reference();
          apply(trie, steps);
          apply(reference, steps);
          expect(listRoutes(trie)).toEqual(listRoutes(reference));
          for (const { prefix } of steps) {
            expect(trie.get(prefix.addr, prefix.bits)).toBe(
              reference.get(prefix.addr, prefix.bits),
            );
          }
        }),
        { numRuns: 200 },
      );
    });

    it("insert order does not matter", () => {
      const distinct = fc.uniqueArray(family.prefix(), {
        selector: (p) => `${family.format(p.addr)}/${p.bits}`,
        maxLength: 60,
      });
      fc.assert(
        fc.property(distinct, fc.nat(), extraAddrs(), (prefixes, seed, extra) => {
          const shuffled = [...prefixes];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (seed + i * 7919) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const inOrder = make();
          const inShuffle = make();
          prefixes.forEach((p, i) => inOrder.insert(p.addr, p.bits, i));
          for (const p of shuffled) inShuffle.insert(p.addr, p.bits, prefixes.indexOf(p));
          expect(listRoutes(inShuffle)).toEqual(listRoutes(inOrder));
          for (const p of [...prefixes.map((p) => p.addr), ...extra]) {
            expect(inShuffle.lookup(p)).toBe(inOrder.lookup(p));
          }
        }),
        { numRuns: 200 },
      );
    });

    it("delete undoes insert", () => {
      fc.assert(
        fc.property(
          updates(family.prefix()),
          family.prefix(),
          extraAddrs(),
          (steps, extra, probeAddrs) => {
            const trie = make();
            apply(trie, steps);
            fc.pre(trie.get(extra.addr, extra.bits) === undefined);
            const before = listRoutes(trie);
            const all = probes(steps, [...probeAddrs, extra.addr]);
            const lookupsBefore = all.map((a) => trie.lookup(a));
            const matchesBefore = all.map((a) => trie.matches(a));
            trie.insert(extra.addr, extra.bits, -1);
            expect(trie.delete(extra.addr, extra.bits)).toBe(true);
            expect(listRoutes(trie)).toEqual(before);
            expect(all.map((a) => trie.lookup(a))).toEqual(lookupsBefore);
            expect(all.map((a) => trie.matches(a))).toEqual(matchesBefore);
          },
        ),
        { numRuns: 200 },
      );
    });

    it("incremental updates equal a fresh build", () => {
      fc.assert(
        fc.property(updates(family.prefix()), extraAddrs(), (steps, extra) => {
          const incremental = make();
          apply(incremental, steps);
          const prefixes: Prefix<A>[] = [];
          const values: number[] = [];
          incremental.forEach((addr, bits, value) => {
            prefixes.push({ addr, bits });
            values.push(value);
          });
          const built = family.build(options, prefixes, values);
          expect(listRoutes(built)).toEqual(listRoutes(incremental));
          const all = probes(steps, extra);
          const packed = family.pack(all);
          const incrementalValues = Array.from(incremental.lookupMany(packed), (id) =>
            incremental.valueAt(id),
          );
          const builtValues = Array.from(built.lookupMany(packed), (id) => built.valueAt(id));
          expect(builtValues).toEqual(incrementalValues);
          for (const addr of all) {
            expect(built.matches(addr)).toEqual(incremental.matches(addr));
          }
          // Runs that became equal must have merged and emptied nodes folded, so that the
          // trie has the same shape as one built from scratch.
          fc.pre(built.lookupMode === incremental.lookupMode);
          expect(incremental.usage).toEqual(built.usage);
        }),
        { numRuns: 200 },
      );
    });

    it("forEach visits in address order, shorter first", () => {
      fc.assert(
        fc.property(updates(family.prefix()), (steps) => {
          const trie = make();
          apply(trie, steps);
          const visited: { words: number[]; bits: number }[] = [];
          trie.forEach((addr, bits) => {
            visited.push({ words: Array.from(family.pack([addr])), bits });
          });
          for (let i = 1; i < visited.length; i++) {
            const a = visited[i - 1]!;
            const b = visited[i]!;
            const k = a.words.findIndex((w, j) => w !== b.words[j]);
            const isBefore = k >= 0 ? a.words[k]! < b.words[k]! : a.bits < b.bits;
            expect(isBefore).toBe(true);
          }
        }),
        { numRuns: 200 },
      );
    });

    it("forEachDumpOrder equals a sorted reference", () => {
      fc.assert(
        fc.property(updates(family.prefix()), (steps) => {
          const trie = make();
          const reference = family.reference();
          apply(trie, steps);
          apply(reference, steps);
          const expected: { words: number[]; bits: number; value: number }[] = [];
          reference.forEach((addr, bits, value) => {
            expected.push({ words: Array.from(family.pack([addr])), bits, value });
          });
          expected.sort((a, b) => {
            const k = a.words.findIndex((w, j) => w !== b.words[j]);
            return k >= 0 ? a.words[k]! - b.words[k]! : b.bits - a.bits;
          });
          const walked: { words: number[]; bits: number; value: number }[] = [];
          trie.forEachDumpOrder((addr, bits, value) => {
            walked.push({ words: Array.from(family.pack([addr])), bits, value });
          });
          expect(walked).toEqual(expected);
        }),
        { numRuns: 200 },
      );
    });
  });
}

describeFamily(IPV4);
describeFamily(IPV6);
