import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addr6,
  mask6,
  prefix6,
  updates,
  type Prefix6,
  type Update,
} from "../../test/arbitraries/prefix.js";
import { LinearLpm6 } from "../../test/reference/linear-lpm.js";
import type { PrefixIndex6 } from "./prefix-index.js";
import { Trie6 } from "./trie6.js";

/** Applies the updates to the index and returns the delete results in order. */
function apply(index: PrefixIndex6<number>, steps: Update<Prefix6>[]): boolean[] {
  const deleted: boolean[] = [];
  for (const step of steps) {
    const { addr, bits } = step.prefix;
    if (step.kind === "insert") index.insert(addr, bits, step.value);
    else deleted.push(index.delete(addr, bits));
  }
  return deleted;
}

/** Returns the stored routes in `forEach` order as `addr/bits=value` strings. */
function listRoutes(index: PrefixIndex6<number>): string[] {
  const routes: string[] = [];
  index.forEach((addr, bits, value) => routes.push(`${addr.join(":")}/${bits}=${value}`));
  return routes;
}

/** Returns probe addresses: the given ones plus the first and last address of every prefix. */
function probes(steps: Update<Prefix6>[], extra: Uint32Array[]): Uint32Array[] {
  const addrs = [...extra];
  for (const { prefix } of steps) {
    const mask = mask6(prefix.bits);
    addrs.push(
      prefix.addr,
      prefix.addr.map((w, k) => w | ~mask[k]!),
    );
  }
  return addrs;
}

// The last configuration switches between all three modes as random sequences grow and shrink.
describe.each([
  { trieThreshold: Infinity },
  { trieThreshold: 0, directThreshold: Infinity },
  { trieThreshold: 0, directThreshold: 0 },
  { trieThreshold: 4, directThreshold: 12 },
])("Trie6 with %o", (options) => {
  const make = () => new Trie6<number>(options);

  it("lookup agrees with the linear reference", () => {
    fc.assert(
      fc.property(updates(prefix6()), fc.array(addr6(), { maxLength: 20 }), (steps, extra) => {
        const trie = make();
        const reference = new LinearLpm6<number>();
        expect(apply(trie, steps)).toEqual(apply(reference, steps));
        expect(trie.size).toBe(reference.size);
        for (const addr of probes(steps, extra)) {
          expect(trie.lookup(addr)).toBe(reference.lookup(addr));
          expect(trie.matches(addr)).toEqual(reference.matches(addr));
        }
        const packed = new Uint32Array(4 * probes(steps, extra).length);
        probes(steps, extra).forEach((a, i) => packed.set(a, 4 * i));
        const values = Array.from(trie.lookupMany(packed), (id) => trie.valueAt(id));
        expect(values).toEqual(probes(steps, extra).map((a) => reference.lookup(a)));
      }),
      { numRuns: 300 },
    );
  });

  it("get and forEach agree with the linear reference", () => {
    fc.assert(
      fc.property(updates(prefix6()), (steps) => {
        const trie = make();
        const reference = new LinearLpm6<number>();
        apply(trie, steps);
        apply(reference, steps);
        expect(listRoutes(trie)).toEqual(listRoutes(reference));
        for (const { prefix } of steps) {
          expect(trie.get(prefix.addr, prefix.bits)).toBe(reference.get(prefix.addr, prefix.bits));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("insert order does not matter", () => {
    const distinct = fc.uniqueArray(prefix6(), {
      selector: (p) => `${p.addr}/${p.bits}`,
      maxLength: 60,
    });
    fc.assert(
      fc.property(
        distinct,
        fc.nat(),
        fc.array(addr6(), { maxLength: 20 }),
        (prefixes, seed, extra) => {
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
        },
      ),
      { numRuns: 200 },
    );
  });

  it("delete undoes insert", () => {
    fc.assert(
      fc.property(
        updates(prefix6()),
        prefix6(),
        fc.array(addr6(), { maxLength: 20 }),
        (steps, extra, probeAddrs) => {
          const trie = make();
          apply(trie, steps);
          fc.pre(trie.get(extra.addr, extra.bits) === undefined);
          const before = listRoutes(trie);
          const all = probes(steps, [...probeAddrs, extra.addr]);
          const lookupsBefore = all.map((a) => trie.lookup(a));
          trie.insert(extra.addr, extra.bits, -1);
          expect(trie.delete(extra.addr, extra.bits)).toBe(true);
          expect(listRoutes(trie)).toEqual(before);
          expect(all.map((a) => trie.lookup(a))).toEqual(lookupsBefore);
        },
      ),
      { numRuns: 200 },
    );
  });
});
