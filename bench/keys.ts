/**
 * The keys the lookup benchmarks draw: the same every run, from fixed xorshift32 seeds.
 */

/** Returns a xorshift32 generator, so that every run draws the same keys. */
export function xorshift(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** Keys of an IPv4 table: random addresses and addresses inside random table prefixes. */
export function keys4(addrs: Uint32Array, bits: Uint8Array, count: number) {
  const next = xorshift(0x9e3779b9);
  const random = new Uint32Array(count);
  const inTable = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    random[i] = next();
    const j = next() % addrs.length;
    const host = bits[j] === 32 ? 0 : next() >>> bits[j]!;
    inTable[i] = (addrs[j]! | host) >>> 0;
  }
  return { random, inTable };
}

/** Keys of an IPv6 table, four words each, drawn like `keys4`. */
export function keys6(words: Uint32Array, bits: Uint8Array, count: number) {
  const next = xorshift(0x85ebca6b);
  const random = new Uint32Array(count * 4);
  const inTable = new Uint32Array(count * 4);
  for (let i = 0; i < count; i++) {
    const j = next() % bits.length;
    for (let k = 0; k < 4; k++) {
      random[i * 4 + k] = next();
      const hostBits = Math.min(32, Math.max(0, 32 * (k + 1) - bits[j]!));
      const host = hostBits === 0 ? 0 : next() >>> (32 - hostBits);
      inTable[i * 4 + k] = (words[j * 4 + k]! | host) >>> 0;
    }
  }
  return { random, inTable };
}
