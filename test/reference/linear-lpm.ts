/**
 * Slow, obviously correct longest-prefix-match indexes used as the model in property tests.
 *
 * Every route sits in a plain array; a lookup scans all of them and keeps the longest that
 * contains the address. Nothing is cached or compressed, so a wrong answer from a trie that
 * disagrees with these is a bug in the trie.
 */

import type { Match4, Match6, PrefixIndex4, PrefixIndex6 } from "../../src/fib/prefix-index.js";

/** Returns the netmask of an IPv4 prefix length as an unsigned 32-bit integer. */
function mask4(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Throws a `RangeError` unless addr/bits is a valid IPv4 prefix with host bits zero. */
function check4(addr: number, bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new RangeError(`bad length ${bits}`);
  if (!Number.isInteger(addr) || addr < 0 || addr > 0xffffffff) {
    throw new RangeError(`bad address ${addr}`);
  }
  if ((addr & mask4(bits)) >>> 0 !== addr) throw new RangeError(`host bits set in ${addr}/${bits}`);
}

/** A linear-scan IPv4 index. */
export class LinearLpm4<V> implements PrefixIndex4<V> {
  private routes: { addr: number; bits: number; value: V }[] = [];

  get size(): number {
    return this.routes.length;
  }

  insert(addr: number, bits: number, value: V): void {
    check4(addr, bits);
    const route = this.routes.find((r) => r.addr === addr && r.bits === bits);
    if (route) route.value = value;
    else this.routes.push({ addr, bits, value });
  }

  delete(addr: number, bits: number): boolean {
    check4(addr, bits);
    const before = this.routes.length;
    this.routes = this.routes.filter((r) => !(r.addr === addr && r.bits === bits));
    return this.routes.length !== before;
  }

  get(addr: number, bits: number): V | undefined {
    check4(addr, bits);
    return this.routes.find((r) => r.addr === addr && r.bits === bits)?.value;
  }

  lookup(addr: number): V | undefined {
    return this.matches(addr)[0]?.value;
  }

  matches(addr: number): Match4<V>[] {
    return this.routes
      .filter((r) => (addr & mask4(r.bits)) >>> 0 === r.addr)
      .sort((a, b) => b.bits - a.bits)
      .map((r) => ({ addr: r.addr, bits: r.bits, value: r.value }));
  }

  forEach(visit: (addr: number, bits: number, value: V) => void): void {
    const sorted = [...this.routes].sort((a, b) => a.addr - b.addr || a.bits - b.bits);
    for (const r of sorted) visit(r.addr, r.bits, r.value);
  }
}

/** Returns addr masked to `bits` as a new four-word array. */
export function maskAddr6(addr: Uint32Array, bits: number): Uint32Array {
  const out = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    const inWord = Math.min(32, Math.max(0, bits - 32 * k));
    out[k] = (addr[k]! & mask4(inWord)) >>> 0;
  }
  return out;
}

/** Returns a negative, zero or positive number as `a` sorts before, with or after `b`. */
export function compareAddr6(a: Uint32Array, b: Uint32Array): number {
  for (let k = 0; k < 4; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return 0;
}

function check6(addr: Uint32Array, bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 128) throw new RangeError(`bad length ${bits}`);
  if (addr.length !== 4) throw new RangeError(`address has ${addr.length} words`);
  if (compareAddr6(maskAddr6(addr, bits), addr) !== 0) throw new RangeError("host bits set");
}

/** A linear-scan IPv6 index. */
export class LinearLpm6<V> implements PrefixIndex6<V> {
  private routes: { addr: Uint32Array; bits: number; value: V }[] = [];

  get size(): number {
    return this.routes.length;
  }

  private find(addr: Uint32Array, bits: number) {
    return this.routes.find((r) => r.bits === bits && compareAddr6(r.addr, addr) === 0);
  }

  insert(addr: Uint32Array, bits: number, value: V): void {
    check6(addr, bits);
    const route = this.find(addr, bits);
    if (route) route.value = value;
    else this.routes.push({ addr: Uint32Array.from(addr), bits, value });
  }

  delete(addr: Uint32Array, bits: number): boolean {
    check6(addr, bits);
    const route = this.find(addr, bits);
    if (!route) return false;
    this.routes = this.routes.filter((r) => r !== route);
    return true;
  }

  get(addr: Uint32Array, bits: number): V | undefined {
    check6(addr, bits);
    return this.find(addr, bits)?.value;
  }

  lookup(addr: Uint32Array): V | undefined {
    return this.matches(addr)[0]?.value;
  }

  matches(addr: Uint32Array): Match6<V>[] {
    return this.routes
      .filter((r) => compareAddr6(maskAddr6(addr, r.bits), r.addr) === 0)
      .sort((a, b) => b.bits - a.bits)
      .map((r) => ({ addr: Uint32Array.from(r.addr), bits: r.bits, value: r.value }));
  }

  forEach(visit: (addr: Uint32Array, bits: number, value: V) => void): void {
    const sorted = [...this.routes].sort((a, b) => compareAddr6(a.addr, b.addr) || a.bits - b.bits);
    for (const r of sorted) visit(Uint32Array.from(r.addr), r.bits, r.value);
  }
}
