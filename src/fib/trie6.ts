/**
 * The IPv6 longest-prefix-match index behind every route table, modelled on the kernel's IPv6
 * FIB lookup (net/ipv6/ip6_fib.c, `fib6_node_lookup`): the longest stored prefix wins, and
 * `matches` lists the shorter ones the kernel backs off to.
 *
 * It is `Trie4` widened to four key words over the same `PrefixTrie` core, with the same three
 * lookup modes and thresholds (see `TrieOptions`). Below the direct level a lookup may walk up
 * to 14 stride-8 nodes. Addresses are `Uint32Array`s of four words, most significant first.
 */

import type { Match6, PrefixIndex6 } from "./prefix-index.js";
import { checkBits, netmaskWord } from "./bits.js";
import { PrefixTrie, type TrieOptions } from "./prefix-trie.js";
import type { StrideTrie, TrieUsage } from "./stride-trie.js";

/** Throws a `RangeError` unless `addr` is an IPv6 address: a `Uint32Array` of four words. */
function checkAddr6(addr: Uint32Array): void {
  if (!(addr instanceof Uint32Array) || addr.length !== 4) {
    throw new RangeError("invalid IPv6 address: expected a Uint32Array of four words");
  }
}

/** Throws a `RangeError` unless `addr`/`bits` is an IPv6 prefix with its host bits zero. */
function checkPrefix6(addr: Uint32Array, bits: number): void {
  checkBits(bits, 128);
  checkAddr6(addr);
  for (let k = 0; k < 4; k++) {
    if ((addr[k]! & ~netmaskWord(bits, k)) !== 0) {
      throw new RangeError(`invalid IPv6 prefix of length ${bits}: host bits are set`);
    }
  }
}

/**
 * Advances every pending address by the node level that ends at bit `end`, writes the entry
 * to `out` and returns how many addresses still point at a node.
 *
 * The popcount is written out as in `lookupDirect` of trie4.ts, and the pending list grows
 * without a branch. In A/B runs in one process (the IPv6 tier-1 table, load average 1.6 on 2 cores)
 * the written-out popcount took in-table lookups from 10-11 M/s to 15-16 M/s.
 */
function resolveLevel(
  trie: StrideTrie,
  addrs: Uint32Array,
  out: Int32Array,
  pending: Int32Array,
  pendingCount: number,
  end: number,
): number {
  const { nodes, ents } = trie;
  const word = (end - 8) >>> 5;
  const shift = -end & 31;
  let next = 0;
  for (let p = 0; p < pendingCount; p++) {
    const i = pending[p]!;
    const node = -2 - out[i]!;
    const slot = (addrs[4 * i + word]! >>> shift) & 255;
    const pair = (slot >>> 4) & 14;
    let x = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    const entry = ents[nodes[node + pair + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
    out[i] = entry;
    // Keep i only when the entry is a node reference (-2 or less): (entry + 1) is then negative.
    pending[next] = i;
    next += (entry + 1) >>> 31;
  }
  return next;
}

/** An IPv6 longest-prefix-match index with numeric keys and incremental updates. */
export class Trie6<V> implements PrefixIndex6<V> {
  private readonly core: PrefixTrie<V>;

  /** Creates an empty index. */
  constructor(options: TrieOptions = {}) {
    this.core = new PrefixTrie<V>(4, options);
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.core.size;
  }

  /** Inserts `value` under addr/bits, replacing any value already there; host bits must be zero. */
  insert(addr: Uint32Array, bits: number, value: V): void {
    checkPrefix6(addr, bits);
    this.core.insert(addr, bits, value);
  }

  /**
   * Inserts many routes, building the lookup trie once at the end instead of updating it per
   * route. If an entry is invalid, the entries before it stay inserted and a `RangeError` is
   * thrown.
   */
  insertMany(addrs: readonly Uint32Array[], bits: ArrayLike<number>, values: ArrayLike<V>): void {
    let valid = 0;
    let error: unknown = undefined;
    try {
      for (; valid < addrs.length; valid++) checkPrefix6(addrs[valid]!, bits[valid]!);
    } catch (caught) {
      error = caught;
    }
    const keys = new Uint32Array(valid * 4);
    for (let i = 0; i < valid; i++) keys.set(addrs[i]!, i * 4);
    this.core.insertMany(keys, bits, values, valid);
    if (error !== undefined) throw error;
  }

  /** Removes addr/bits and reports whether it was present; host bits must be zero. */
  delete(addr: Uint32Array, bits: number): boolean {
    checkPrefix6(addr, bits);
    return this.core.delete(addr, bits);
  }

  /** Returns the value stored under exactly addr/bits; host bits must be zero. */
  get(addr: Uint32Array, bits: number): V | undefined {
    checkPrefix6(addr, bits);
    return this.core.get(addr, bits);
  }

  /** Returns the value of the longest stored prefix that contains `addr`. */
  lookup(addr: Uint32Array): V | undefined {
    checkAddr6(addr);
    return this.core.valueAt(this.core.lookupId(addr, 0));
  }

  /**
   * Returns the id of the longest stored prefix that contains `addr`, or -1 when none does.
   * `valueAt` turns the id into the value until the next insert or delete. The hot path does
   * not check `addr`.
   */
  lookupId(addr: Uint32Array): number {
    return this.core.lookupId(addr, 0);
  }

  /**
   * Returns the id of the longest matching prefix for every address in `addrs`, four words per
   * address (-1 for no match), written to `out` when given or to a new array.
   *
   * The batch runs one trie level at a time over all addresses still unresolved, so the reads
   * of a pass do not depend on each other and their cache misses overlap. A direct level whose
   * arrays lie in WebAssembly memory runs those passes in WebAssembly (see wasm-lookup.ts).
   */
  lookupMany(addrs: Uint32Array, out: Int32Array = new Int32Array(addrs.length >>> 2)): Int32Array {
    const count = addrs.length >>> 2;
    if (addrs.length % 4 !== 0) {
      throw new RangeError(
        `invalid batch: ${addrs.length} words, expected a multiple of 4 (four words per address)`,
      );
    }
    if (out.length < count) {
      throw new RangeError(`output array too short: ${out.length} ids for ${count} addresses`);
    }
    const trie = this.core.trie;
    if (trie === null) {
      for (let i = 0; i < count; i++) out[i] = this.core.lookupId(addrs, 4 * i);
      return out;
    }
    if (trie.arena) {
      trie.arena.lookup6(addrs.subarray(0, count * 4), out, () => trie.buildWide());
      return out;
    }
    const pending = new Int32Array(count);
    let pendingCount = 0;
    const top = trie.top;
    const isDirect = trie.topBits === 16;
    for (let i = 0; i < count; i++) {
      const entry = top[isDirect ? addrs[4 * i]! >>> 16 : 0]!;
      out[i] = entry;
      if (entry <= -2) pending[pendingCount++] = i;
    }
    for (let end = trie.topBits + 8; pendingCount > 0; end += 8) {
      pendingCount = resolveLevel(trie, addrs, out, pending, pendingCount, end);
    }
    return out;
  }

  /**
   * Returns the value of prefix id `id` from `lookupId` or `lookupMany`, or undefined for -1.
   * An id is valid until the next insert or delete: after one, it may name another prefix.
   */
  valueAt(id: number): V | undefined {
    return this.core.valueAt(id);
  }

  /** Returns every stored prefix that contains `addr`, longest first. */
  matches(addr: Uint32Array): Match6<V>[] {
    return this.core.matches(addr).map(({ bits, id }) => {
      const prefix = new Uint32Array(4);
      for (let k = 0; k < 4; k++) prefix[k] = addr[k]! & netmaskWord(bits, k);
      return { addr: prefix, bits, value: this.core.valueAt(id) as V };
    });
  }

  /** Visits every stored prefix in ascending address order, shorter prefix first on a tie. */
  forEach(visit: (addr: Uint32Array, bits: number, value: V) => void): void {
    this.core.walk((key, bits, value) => visit(key.slice(), bits, value));
  }

  /**
   * Visits every stored prefix in ascending address order, longer prefix first on a tie: the
   * order of `Trie4.forEachDumpOrder`.
   */
  forEachDumpOrder(visit: (addr: Uint32Array, bits: number, value: V) => void): void {
    this.core.walk((key, bits, value) => visit(key.slice(), bits, value), true);
  }

  /** Returns the node and entry counts of the lookup trie, or null in list mode. */
  get usage(): TrieUsage | null {
    return this.core.usage;
  }

  /**
   * Returns which loop `lookupMany` runs: "wasm" for a direct level whose arrays lie in
   * WebAssembly memory (the default), "js" otherwise.
   */
  get batchEngine(): "wasm" | "js" {
    return this.core.batchEngine;
  }

  /** Returns the bytes held by typed arrays and the value array. */
  get byteLength(): number {
    return this.core.byteLength;
  }

  /** Returns how lookups run: by scanning a plain array, walking a root entry, or a direct level. */
  get lookupMode(): "list" | "trie" | "direct" {
    return this.core.lookupMode;
  }
}
