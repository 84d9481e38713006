/**
 * The IPv4 longest-prefix-match index behind every route table, modelled on the kernel's FIB
 * lookup (net/ipv4/fib_trie.c): the longest stored prefix wins, and `matches` lists the shorter
 * ones the kernel backs off to.
 *
 * Two structures share the work. A `PrefixHash` stores every prefix with an integer id and
 * answers exact questions. Lookups in a small table probe that hash once per distinct prefix
 * length, longest first, which costs a few hundred bytes for a handful of routes. Once the table
 * reaches `directThreshold` routes, a `StrideTrie` (a 16-bit direct-indexed level and
 * popcount-compressed stride-8 nodes, 256 KiB at least) is built and then updated in place on
 * every insert and delete; it is dropped again when the table shrinks below half the threshold.
 *
 * Values live in a side array indexed by id, so the trie stores only int32 ids. An id stays
 * attached to its prefix until the prefix is deleted, after which a new prefix may reuse it.
 */

import type { Match4, PrefixIndex4 } from "./prefix-index.js";
import { checkBits, netmask32, popcount32 } from "./bits.js";
import { PrefixHash } from "./prefix-hash.js";
import { DIR_BITS, NODE_BASE, NODE_RANK, NO_ROUTE, StrideTrie } from "./stride-trie.js";
import { LengthSet } from "./length-set.js";

/** Options of a `Trie4` or `Trie6`. */
export interface TrieOptions {
  /**
   * Route count at which the direct-indexed lookup structure is built. Defaults to
   * `DEFAULT_DIRECT_THRESHOLD`; 0 builds it at the first insert, `Infinity` never builds it.
   */
  readonly directThreshold?: number;
}

/**
 * Default route count at which a table switches from hash probing to the direct-indexed trie.
 *
 * NOTE: measured with `npm run bench:lpm` on random prefixes of the IPv4 length mix: below
 * about a thousand routes, probing the few distinct lengths is within 2x of the trie and costs
 * no 256 KiB first level.
 */
export const DEFAULT_DIRECT_THRESHOLD = 1024;

/** Throws a `RangeError` unless `addr`/`bits` is an IPv4 prefix with its host bits zero. */
function checkPrefix4(addr: number, bits: number): void {
  checkBits(bits, 32);
  if (!Number.isInteger(addr) || addr < 0 || addr > 0xffffffff) {
    throw new RangeError(`invalid IPv4 address ${addr}: expected an integer from 0 to 2^32-1`);
  }
  if ((addr & ~netmask32(bits)) !== 0) {
    throw new RangeError(`invalid prefix ${addr >>> 0}/${bits}: host bits are set`);
  }
}

/** An IPv4 longest-prefix-match index with numeric keys, incremental updates and batch lookups. */
export class Trie4<V> implements PrefixIndex4<V> {
  private readonly hash = new PrefixHash(1);
  private readonly values: (V | undefined)[] = [];
  private readonly freeIds: number[] = [];
  private readonly lengths = new LengthSet();
  private trie: StrideTrie | null = null;
  private readonly threshold: number;

  /** Creates an empty index. */
  constructor(options: TrieOptions = {}) {
    this.threshold = options.directThreshold ?? DEFAULT_DIRECT_THRESHOLD;
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.hash.size;
  }

  /** Inserts `value` under addr/bits, replacing any value already there; host bits must be zero. */
  insert(addr: number, bits: number, value: V): void {
    checkPrefix4(addr, bits);
    const existing = this.hash.find(addr, 0, 0, 0, bits);
    if (existing >= 0) {
      this.values[existing] = value;
      return;
    }
    const id = this.addRoute(addr, bits, value);
    if (this.trie !== null) this.trie.insert(Uint32Array.of(addr), bits, id);
    else if (this.size >= this.threshold) this.buildTrie();
  }

  /**
   * Inserts many routes, building the lookup trie once at the end instead of updating it per
   * route. Entry `i` is `addrs[i]`/`bits[i]` with value `values[i]`; a later duplicate wins.
   * If an entry is invalid, the entries before it stay inserted and a `RangeError` is thrown.
   */
  insertMany(addrs: ArrayLike<number>, bits: ArrayLike<number>, values: ArrayLike<V>): void {
    this.trie = null;
    try {
      for (let i = 0; i < addrs.length; i++) {
        const addr = addrs[i]!;
        const length = bits[i]!;
        checkPrefix4(addr, length);
        const existing = this.hash.find(addr, 0, 0, 0, length);
        if (existing >= 0) this.values[existing] = values[i];
        else this.addRoute(addr, length, values[i]!);
      }
    } finally {
      if (this.size >= this.threshold) this.buildTrie();
    }
  }

  /** Removes addr/bits and reports whether it was present; host bits must be zero. */
  delete(addr: number, bits: number): boolean {
    checkPrefix4(addr, bits);
    const id = this.hash.remove(addr, 0, 0, 0, bits);
    if (id < 0) return false;
    this.values[id] = undefined;
    this.lengths.remove(bits);
    if (this.trie !== null) {
      if (this.size * 2 < this.threshold) this.trie = null;
      else this.trie.replace(Uint32Array.of(addr), bits, id, this.probeLengths(addr, bits));
    }
    this.freeIds.push(id);
    return true;
  }

  /** Returns the value stored under exactly addr/bits; host bits must be zero. */
  get(addr: number, bits: number): V | undefined {
    checkPrefix4(addr, bits);
    const id = this.hash.find(addr, 0, 0, 0, bits);
    return id < 0 ? undefined : this.values[id];
  }

  /** Returns the value of the longest stored prefix that contains `addr`. */
  lookup(addr: number): V | undefined {
    const id = this.lookupId(addr);
    return id < 0 ? undefined : this.values[id];
  }

  /**
   * Returns the id of the longest stored prefix that contains `addr`, or -1 when none does.
   * `valueAt` turns the id into the value. `addr` must be an unsigned 32-bit integer; the hot
   * path does not check it.
   */
  lookupId(addr: number): number {
    const trie = this.trie;
    if (trie === null) return this.probeLengths(addr, 33);
    let entry = trie.dir[addr >>> DIR_BITS]!;
    if (entry > -2) return entry;
    const { nodes, ents } = trie;
    let node = -2 - entry;
    let slot = (addr >>> 8) & 255;
    let word = slot >>> 5;
    let rank = (nodes[node + NODE_RANK + (word >>> 2)]! >>> ((word & 3) << 3)) & 255;
    let bitmap = nodes[node + word]! & ((2 << (slot & 31)) - 1);
    entry = ents[nodes[node + NODE_BASE]! + rank + popcount32(bitmap) - 1]!;
    if (entry > -2) return entry;
    node = -2 - entry;
    slot = addr & 255;
    word = slot >>> 5;
    rank = (nodes[node + NODE_RANK + (word >>> 2)]! >>> ((word & 3) << 3)) & 255;
    bitmap = nodes[node + word]! & ((2 << (slot & 31)) - 1);
    return ents[nodes[node + NODE_BASE]! + rank + popcount32(bitmap) - 1]!;
  }

  /**
   * Returns the id of the longest matching prefix for every address in `addrs` (-1 for no
   * match), written to `out` when given (it must be at least as long) or to a new array.
   */
  lookupMany(addrs: Uint32Array, out: Int32Array = new Int32Array(addrs.length)): Int32Array {
    if (out.length < addrs.length) {
      throw new RangeError(`output holds ${out.length} ids but ${addrs.length} are needed`);
    }
    for (let i = 0; i < addrs.length; i++) out[i] = this.lookupId(addrs[i]!);
    return out;
  }

  /** Returns the value of prefix id `id` from `lookupId` or `lookupMany`, or undefined for -1. */
  valueAt(id: number): V | undefined {
    return id < 0 ? undefined : this.values[id];
  }

  /** Returns every stored prefix that contains `addr`, longest first. */
  matches(addr: number): Match4<V>[] {
    const found: Match4<V>[] = [];
    for (let i = 0; i < this.lengths.count; i++) {
      const bits = this.lengths.at(i);
      const prefix = (addr & netmask32(bits)) >>> 0;
      const id = this.hash.find(prefix, 0, 0, 0, bits);
      if (id >= 0) found.push({ addr: prefix, bits, value: this.values[id] as V });
    }
    return found;
  }

  /** Visits every stored prefix in ascending address order, shorter prefix first on a tie. */
  forEach(visit: (addr: number, bits: number, value: V) => void): void {
    const keys = this.sortedKeys();
    for (let i = 0; i < keys.length; i++) {
      const addr = Math.floor(keys[i]! / 64);
      const bits = keys[i]! % 64;
      visit(addr, bits, this.values[this.hash.find(addr, 0, 0, 0, bits)] as V);
    }
  }

  /** Returns the bytes held by typed arrays: the prefix hash plus the lookup trie when built. */
  get byteLength(): number {
    return this.hash.byteLength + (this.trie?.byteLength ?? 0);
  }

  /** Reports whether lookups use the direct-indexed trie rather than hash probing. */
  get isDirect(): boolean {
    return this.trie !== null;
  }

  private addRoute(addr: number, bits: number, value: V): number {
    const id = this.freeIds.pop() ?? this.values.length;
    this.values[id] = value;
    this.hash.set(addr, 0, 0, 0, bits, id);
    this.lengths.add(bits);
    return id;
  }

  /** Returns the id of the longest stored prefix shorter than `belowBits` that contains `addr`. */
  private probeLengths(addr: number, belowBits: number): number {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.count; i++) {
      const bits = lengths.at(i);
      if (bits >= belowBits) continue;
      const id = this.hash.find((addr & netmask32(bits)) >>> 0, 0, 0, 0, bits);
      if (id >= 0) return id;
    }
    return NO_ROUTE;
  }

  /** Returns every stored prefix as `addr * 64 + bits`, sorted, which is address order. */
  private sortedKeys(): Float64Array {
    const hash = this.hash;
    const keys = new Float64Array(hash.size);
    let k = 0;
    for (let slot = 0; slot < hash.capacity; slot++) {
      const bits = hash.bitsAt(slot);
      if (bits >= 0) keys[k++] = hash.wordAt(slot, 0) * 64 + bits;
    }
    return keys.sort();
  }

  private buildTrie(): void {
    const keys = this.sortedKeys();
    const count = keys.length;
    const addrs = new Uint32Array(count);
    const bits = new Uint8Array(count);
    const ids = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      addrs[i] = Math.floor(keys[i]! / 64);
      bits[i] = keys[i]! % 64;
      ids[i] = this.hash.find(addrs[i]!, 0, 0, 0, bits[i]!);
    }
    const trie = new StrideTrie(32);
    trie.build(addrs, bits, ids, count);
    this.trie = trie;
  }
}
