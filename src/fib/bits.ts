/**
 * Bit helpers shared by the IPv4 and IPv6 tries.
 */

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
    // A string shows its quotes, so that "48" does not read like the number 48.
    const lengthText = typeof bits === "number" ? String(bits) : JSON.stringify(bits);
    throw new RangeError(
      `invalid prefix length ${lengthText}: expected an integer from 0 to ${max}`,
    );
  }
}
