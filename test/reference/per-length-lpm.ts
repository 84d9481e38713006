/**
 * A longest-prefix-match reference fast enough for full BGP tables and still obviously correct.
 *
 * It keeps one exact-match map per prefix length and resolves a lookup by masking the address to
 * each stored length, longest first, and taking the first hit: the definition of longest-prefix
 * match, with no trie, leaf pushing or compression. The linear reference would need hours for
 * a million prefixes.
 */

import { maskAddr6 } from "./linear-lpm.js";

/** Returns the netmask of an IPv4 prefix length as an unsigned 32-bit integer. */
function mask4(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** An IPv4 reference: a map from address to value for every prefix length in use. */
export class PerLengthLpm4<V> {
  private readonly byLength = new Map<number, Map<number, V>>();
  private lengths: number[] = [];

  insert(addr: number, bits: number, value: V): void {
    let map = this.byLength.get(bits);
    if (map === undefined) {
      map = new Map();
      this.byLength.set(bits, map);
      this.lengths = [...this.byLength.keys()].sort((a, b) => b - a);
    }
    map.set(addr, value);
  }

  lookup(addr: number): V | undefined {
    for (const bits of this.lengths) {
      const value = this.byLength.get(bits)!.get((addr & mask4(bits)) >>> 0);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

/** An IPv6 reference: a map from the address words as text to value for every length in use. */
export class PerLengthLpm6<V> {
  private readonly byLength = new Map<number, Map<string, V>>();
  private lengths: number[] = [];

  insert(addr: Uint32Array, bits: number, value: V): void {
    let map = this.byLength.get(bits);
    if (map === undefined) {
      map = new Map();
      this.byLength.set(bits, map);
      this.lengths = [...this.byLength.keys()].sort((a, b) => b - a);
    }
    map.set(addr.join(","), value);
  }

  lookup(addr: Uint32Array): V | undefined {
    for (const bits of this.lengths) {
      const value = this.byLength.get(bits)!.get(maskAddr6(addr, bits).join(","));
      if (value !== undefined) return value;
    }
    return undefined;
  }
}
