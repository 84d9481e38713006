/**
 * fast-check generators for addresses and prefixes shared by the FIB property tests.
 *
 * Uniformly random prefixes almost never nest, which would leave the interesting cases (a /25
 * inside a /24 inside a /8, deletes that uncover a shorter route) untested. So every generator
 * mixes fully random values with values drawn near a few fixed base addresses.
 */

import fc from "fast-check";

/** Returns the netmask of an IPv4 prefix length as an unsigned 32-bit integer. */
export function mask4(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

const BASES4 = [0x0a000000, 0xc0a80100, 0xffffff00, 0x00000000, 0x7f000000];

/** Generates an IPv4 address, often one near a few shared base addresses. */
export function addr4(): fc.Arbitrary<number> {
  const near = fc
    .tuple(fc.constantFrom(...BASES4), fc.integer({ min: 0, max: 0x3ffff }))
    .map(([base, offset]) => (base ^ offset) >>> 0);
  return fc.oneof(near, fc.integer({ min: 0, max: 0xffffffff }));
}

/** An IPv4 prefix: an address with host bits zero and its length. */
export interface Prefix4 {
  readonly addr: number;
  readonly bits: number;
}

/** Generates an IPv4 prefix of any length from 0 to 32 with its host bits cleared. */
export function prefix4(): fc.Arbitrary<Prefix4> {
  return fc
    .tuple(addr4(), fc.integer({ min: 0, max: 32 }))
    .map(([addr, bits]) => ({ addr: (addr & mask4(bits)) >>> 0, bits }));
}

/** Returns the four-word netmask of an IPv6 prefix length. */
export function mask6(bits: number): Uint32Array {
  const mask = new Uint32Array(4);
  for (let k = 0; k < 4; k++) mask[k] = mask4(Math.min(32, Math.max(0, bits - 32 * k)));
  return mask;
}

const BASES6 = [
  [0x20010db8, 0, 0, 0],
  [0x2a000000, 0x00010000, 0, 0],
  [0xfe800000, 0, 0, 1],
  [0, 0, 0, 0],
];

/** Generates an IPv6 address as four words, often one near a few shared base addresses. */
export function addr6(): fc.Arbitrary<Uint32Array> {
  const word = fc.integer({ min: 0, max: 0xffffffff });
  const near = fc
    .tuple(
      fc.constantFrom(...BASES6),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 0x3ff }),
      word,
    )
    .map(([base, k, offset, low]) => {
      const addr = Uint32Array.from(base);
      // Vary a few bits of one word so that prefixes share long common heads.
      addr[k] = (addr[k]! ^ offset ^ (k === 3 ? low & 0xff : 0)) >>> 0;
      return addr;
    });
  const random = fc.tuple(word, word, word, word).map((w) => Uint32Array.from(w));
  return fc.oneof(near, random);
}

/** An IPv6 prefix: four address words with host bits zero and its length. */
export interface Prefix6 {
  readonly addr: Uint32Array;
  readonly bits: number;
}

/** Generates an IPv6 prefix of any length from 0 to 128 with its host bits cleared. */
export function prefix6(): fc.Arbitrary<Prefix6> {
  return fc.tuple(addr6(), fc.integer({ min: 0, max: 128 })).map(([addr, bits]) => {
    const mask = mask6(bits);
    return { addr: addr.map((w, k) => w & mask[k]!), bits };
  });
}

/** One step of a random update sequence: insert the prefix with a value, or delete it. */
export type Update<P> =
  | { readonly kind: "insert"; readonly prefix: P; readonly value: number }
  | { readonly kind: "delete"; readonly prefix: P };

/**
 * Generates a sequence of inserts and deletes. Deletes usually target a prefix inserted earlier
 * in the sequence, so that they actually remove something.
 */
export function updates<P>(prefix: fc.Arbitrary<P>, maxLength = 80): fc.Arbitrary<Update<P>[]> {
  const step = fc.tuple(prefix, fc.nat(), fc.integer({ min: 0, max: 9 }), fc.nat());
  return fc.array(step, { maxLength }).map((steps) => {
    const inserted: P[] = [];
    return steps.map(([p, value, dice, pick]): Update<P> => {
      if (dice < 3 && inserted.length > 0) {
        return { kind: "delete", prefix: inserted[pick % inserted.length]! };
      }
      if (dice === 3) return { kind: "delete", prefix: p };
      inserted.push(p);
      return { kind: "insert", prefix: p, value };
    });
  });
}
