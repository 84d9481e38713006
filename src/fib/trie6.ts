/**
 * The IPv6 longest-prefix-match index behind every route table, modelled on the kernel's IPv6
 * FIB lookup (net/ipv6/ip6_fib.c, `fib6_node_lookup`): the longest stored prefix wins, and
 * `matches` lists the shorter ones the kernel backs off to.
 *
 * It is `Trie4` widened to four key words, with the same three lookup modes and thresholds
 * (see `TrieOptions`). Below the direct level a lookup may walk up to 14 stride-8 nodes.
 * Addresses are `Uint32Array`s of four words, most significant first.
 */

import type { Match6, PrefixIndex6 } from "./prefix-index.js";
import { checkBits, netmaskWord, popcount32 } from "./bits.js";
import { LengthSet } from "./length-set.js";
import { PrefixHash } from "./prefix-hash.js";
import { NO_ROUTE, StrideTrie } from "./stride-trie.js";
import { pickMode, withDefaults, type TrieOptions } from "./trie4.js";

/** Throws a `RangeError` unless `addr`/`bits` is an IPv6 prefix with its host bits zero. */
function checkPrefix6(addr: Uint32Array, bits: number): void {
  checkBits(bits, 128);
  if (!(addr instanceof Uint32Array) || addr.length !== 4) {
    throw new RangeError("invalid IPv6 address: expected a Uint32Array of four words");
  }
  for (let k = 0; k < 4; k++) {
    if ((addr[k]! & ~netmaskWord(bits, k)) !== 0) {
      throw new RangeError(`invalid IPv6 prefix of length ${bits}: host bits are set`);
    }
  }
}

/** Returns a negative, zero or positive number as prefix `a` sorts before, with or after `b`. */
function compareRoutes(a: Uint32Array, aBits: number, b: Uint32Array, bBits: number): number {
  for (let k = 0; k < 4; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return aBits - bBits;
}

/** An IPv6 longest-prefix-match index with numeric keys and incremental updates. */
export class Trie6<V> implements PrefixIndex6<V> {
  private readonly hash = new PrefixHash(4);
  private readonly values: (V | undefined)[] = [];
  /** Ids freed by deletes, created at the first delete so that small tables skip the array. */
  private freeIds: number[] | null = null;
  private readonly lengths = new LengthSet();
  private trie: StrideTrie | null = null;
  private mode = 0;
  private readonly trieThreshold: number;
  private readonly directThreshold: number;

  /** Creates an empty index. */
  constructor(options: TrieOptions = {}) {
    // Two numbers rather than the options object: 10,000 small tables each save its bytes.
    ({ trieThreshold: this.trieThreshold, directThreshold: this.directThreshold } =
      withDefaults(options));
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.hash.size;
  }

  /** Inserts `value` under addr/bits, replacing any value already there; host bits must be zero. */
  insert(addr: Uint32Array, bits: number, value: V): void {
    checkPrefix6(addr, bits);
    const existing = this.hash.find(addr[0]!, addr[1]!, addr[2]!, addr[3]!, bits);
    if (existing >= 0) {
      this.values[existing] = value;
      return;
    }
    const id = this.addRoute(addr, bits, value);
    if (this.switchMode()) return;
    this.trie?.insert(addr, bits, id);
  }

  /**
   * Inserts many routes, building the lookup trie once at the end instead of updating it per
   * route. If an entry is invalid, the entries before it stay inserted and a `RangeError` is
   * thrown.
   */
  insertMany(addrs: readonly Uint32Array[], bits: ArrayLike<number>, values: ArrayLike<V>): void {
    this.trie = null;
    this.mode = 0;
    try {
      for (let i = 0; i < addrs.length; i++) {
        const addr = addrs[i]!;
        checkPrefix6(addr, bits[i]!);
        const existing = this.hash.find(addr[0]!, addr[1]!, addr[2]!, addr[3]!, bits[i]!);
        if (existing >= 0) this.values[existing] = values[i];
        else this.addRoute(addr, bits[i]!, values[i]!);
      }
    } finally {
      this.switchMode();
    }
  }

  /** Removes addr/bits and reports whether it was present; host bits must be zero. */
  delete(addr: Uint32Array, bits: number): boolean {
    checkPrefix6(addr, bits);
    const id = this.hash.remove(addr[0]!, addr[1]!, addr[2]!, addr[3]!, bits);
    if (id < 0) return false;
    this.values[id] = undefined;
    this.lengths.remove(bits);
    if (!this.switchMode() && this.trie !== null) {
      this.trie.replace(addr, bits, id, this.probeLengths(addr, bits));
    }
    (this.freeIds ??= []).push(id);
    return true;
  }

  /** Returns the value stored under exactly addr/bits; host bits must be zero. */
  get(addr: Uint32Array, bits: number): V | undefined {
    checkPrefix6(addr, bits);
    const id = this.hash.find(addr[0]!, addr[1]!, addr[2]!, addr[3]!, bits);
    return id < 0 ? undefined : this.values[id];
  }

  /** Returns the value of the longest stored prefix that contains `addr`. */
  lookup(addr: Uint32Array): V | undefined {
    const id = this.lookupId(addr);
    return id < 0 ? undefined : this.values[id];
  }

  /**
   * Returns the id of the longest stored prefix that contains `addr`, or -1 when none does.
   * `valueAt` turns the id into the value. The hot path does not check `addr`.
   */
  lookupId(addr: Uint32Array): number {
    const trie = this.trie;
    if (trie === null) return this.probeLengths(addr, 129);
    const { nodes, ents } = trie;
    let node = 0;
    let end = 8;
    if (trie.topBits === 16) {
      node = (addr[0]! >>> 16) << 4;
      end = 24;
    }
    for (; ; end += 8) {
      // The slot is the address byte that ends at bit `end`.
      const slot = (addr[(end - 8) >>> 5]! >>> (-end & 31)) & 255;
      const pair = (slot >>> 4) & 14;
      const bitmap = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
      const entry = ents[nodes[node + pair + 1]! + popcount32(bitmap)]!;
      if (entry > -2) return entry;
      node = -2 - entry;
    }
  }

  /**
   * Returns the id of the longest matching prefix for every address in `addrs`, four words per
   * address (-1 for no match), written to `out` when given or to a new array.
   *
   * The batch runs one trie level at a time over all addresses still unresolved, so the reads
   * of a pass do not depend on each other and their cache misses overlap.
   */
  lookupMany(addrs: Uint32Array, out: Int32Array = new Int32Array(addrs.length >>> 2)): Int32Array {
    const count = addrs.length >>> 2;
    if (addrs.length % 4 !== 0 || out.length < count) {
      throw new RangeError(
        `invalid batch: ${addrs.length} words (expected a multiple of 4), output of ${out.length}`,
      );
    }
    const trie = this.trie;
    if (trie === null) {
      for (let i = 0; i < count; i++) out[i] = this.lookupId(addrs.subarray(4 * i, 4 * i + 4));
      return out;
    }
    const pending = new Int32Array(count);
    let pendingCount = count;
    for (let i = 0; i < count; i++) pending[i] = i;
    const isDirect = trie.topBits === 16;
    for (let end = isDirect ? 24 : 8; pendingCount > 0; end += 8) {
      pendingCount = this.resolveLevel(trie, addrs, out, pending, pendingCount, end);
    }
    return out;
  }

  /**
   * Advances every pending address by the node level that ends at bit `end`, writes the entry
   * to `out` and returns how many addresses still point at a node.
   */
  private resolveLevel(
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
    const isFirst = end === (trie.topBits === 16 ? 24 : 8);
    let next = 0;
    for (let p = 0; p < pendingCount; p++) {
      const i = pending[p]!;
      let node = 0;
      if (!isFirst) node = -2 - out[i]!;
      else if (trie.topBits === 16) node = (addrs[4 * i]! >>> 16) << 4;
      const slot = (addrs[4 * i + word]! >>> shift) & 255;
      const pair = (slot >>> 4) & 14;
      const bitmap = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
      const entry = ents[nodes[node + pair + 1]! + popcount32(bitmap)]!;
      out[i] = entry;
      if (entry <= -2) pending[next++] = i;
    }
    return next;
  }

  /** Returns the value of prefix id `id` from `lookupId` or `lookupMany`, or undefined for -1. */
  valueAt(id: number): V | undefined {
    return id < 0 ? undefined : this.values[id];
  }

  /** Returns every stored prefix that contains `addr`, longest first. */
  matches(addr: Uint32Array): Match6<V>[] {
    const found: Match6<V>[] = [];
    for (let i = 0; i < this.lengths.count; i++) {
      const bits = this.lengths.at(i);
      const prefix = new Uint32Array(4);
      for (let k = 0; k < 4; k++) prefix[k] = addr[k]! & netmaskWord(bits, k);
      const id = this.hash.find(prefix[0]!, prefix[1]!, prefix[2]!, prefix[3]!, bits);
      if (id >= 0) found.push({ addr: prefix, bits, value: this.values[id] as V });
    }
    return found;
  }

  /** Visits every stored prefix in ascending address order, shorter prefix first on a tie. */
  forEach(visit: (addr: Uint32Array, bits: number, value: V) => void): void {
    for (const route of this.sortedRoutes()) {
      visit(route.addr, route.bits, this.values[route.id] as V);
    }
  }

  /** Returns the bytes held by typed arrays: the prefix hash plus the lookup trie when built. */
  get byteLength(): number {
    return this.hash.byteLength + (this.trie?.byteLength ?? 0);
  }

  /** Returns how lookups run: by probing the hash, walking a root node, or a direct level. */
  get lookupMode(): "hash" | "trie" | "direct" {
    if (this.mode === 0) return "hash";
    return this.mode === 1 ? "trie" : "direct";
  }

  private addRoute(addr: Uint32Array, bits: number, value: V): number {
    const id = this.freeIds?.pop() ?? this.values.length;
    this.values[id] = value;
    this.hash.add(addr[0]!, addr[1]!, addr[2]!, addr[3]!, bits, id);
    this.lengths.add(bits);
    return id;
  }

  /** Returns the id of the longest stored prefix shorter than `belowBits` that contains `addr`. */
  private probeLengths(addr: Uint32Array, belowBits: number): number {
    const { lengths, hash } = this;
    for (let i = 0; i < lengths.count; i++) {
      const bits = lengths.at(i);
      if (bits >= belowBits) continue;
      const id = hash.find(
        addr[0]! & netmaskWord(bits, 0),
        addr[1]! & netmaskWord(bits, 1),
        addr[2]! & netmaskWord(bits, 2),
        addr[3]! & netmaskWord(bits, 3),
        bits,
      );
      if (id >= 0) return id;
    }
    return NO_ROUTE;
  }

  private sortedRoutes(): { addr: Uint32Array; bits: number; id: number }[] {
    const hash = this.hash;
    const routes: { addr: Uint32Array; bits: number; id: number }[] = [];
    for (let slot = 0; slot < hash.capacity; slot++) {
      const bits = hash.bitsAt(slot);
      if (bits < 0) continue;
      const addr = new Uint32Array(4);
      for (let k = 0; k < 4; k++) addr[k] = hash.wordAt(slot, k);
      routes.push({ addr, bits, id: hash.idAt(slot) });
    }
    return routes.sort((a, b) => compareRoutes(a.addr, a.bits, b.addr, b.bits));
  }

  /** Rebuilds or drops the trie when the size calls for another mode; reports whether it did. */
  private switchMode(): boolean {
    const mode = pickMode(this.size, this.mode, this.trieThreshold, this.directThreshold);
    if (mode === this.mode) return false;
    this.mode = mode;
    if (mode === 0) this.trie = null;
    else this.buildTrie(mode === 2 ? 16 : 0);
    return true;
  }

  private buildTrie(topBits: 0 | 16): void {
    const routes = this.sortedRoutes();
    const count = routes.length;
    const keys = new Uint32Array(count * 4);
    const bits = new Uint8Array(count);
    const ids = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      keys.set(routes[i]!.addr, i * 4);
      bits[i] = routes[i]!.bits;
      ids[i] = routes[i]!.id;
    }
    const trie = new StrideTrie(128, topBits);
    trie.build(keys, bits, ids, count);
    this.trie = trie;
  }
}
