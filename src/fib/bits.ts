/**
 * Bit helpers shared by the IPv4 and IPv6 tries.
 *
 * JavaScript has no popcount operator, so `popcount32` counts bits in parallel inside the word
 * (bit pairs, then nibbles, then bytes summed by one multiply), about a dozen integer operations.
 */

/** Returns the number of set bits in the low 32 bits of `x`. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Returns the 32-bit netmask of a prefix length from 0 to 32, as an unsigned integer. */
export function netmask32(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Returns the netmask of word `k` (0 = most significant) of an IPv6 prefix length. */
export function netmaskWord(bits: number, k: number): number {
  const inWord = bits - 32 * k;
  if (inWord <= 0) return 0;
  return inWord >= 32 ? 0xffffffff : netmask32(inWord);
}

/** Throws a `RangeError` unless `bits` is an integer from 0 to `max`. */
export function checkBits(bits: number, max: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new RangeError(`invalid prefix length ${bits}: expected an integer from 0 to ${max}`);
  }
}
