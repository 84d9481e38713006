/**
 * The IPv4 longest-prefix-match index behind every route table, modelled on the kernel's FIB
 * lookup (net/ipv4/fib_trie.c): the longest stored prefix wins, and `matches` lists the shorter
 * ones the kernel backs off to.
 *
 * It checks its numeric keys and hands them to `PrefixTrie`, which stores the prefixes and picks
 * the lookup mode by size (see `TrieOptions`). Only the batch lookup is written for IPv4 alone,
 * because it runs in passes over the whole batch.
 */

import type { Match4, PrefixIndex4 } from "./prefix-index.js";
import { checkBits, netmask32 } from "./bits.js";
import { PrefixTrie, type TrieOptions } from "./prefix-trie.js";
import type { TrieUsage } from "./stride-trie.js";

export {
  DEFAULT_DIRECT_THRESHOLD,
  DEFAULT_TRIE_THRESHOLD,
  pickMode,
  type TrieOptions,
} from "./prefix-trie.js";

/**
 * Key of one call, shared by all tables: the core reads it only during the call, and a
 * `Uint32Array` per table would cost a small table about 100 bytes.
 */
const KEY = new Uint32Array(1);

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

/** Returns `KEY` holding `addr`. */
function keyOf(addr: number): Uint32Array {
  KEY[0] = addr;
  return KEY;
}

/**
 * Writes to `out` the prefix id of every address in `addrs`, for a trie with a direct level.
 *
 * Below the 16-bit first level an IPv4 address crosses at most two nodes, so the loop is
 * written out for exactly those two.
 *
 * NOTE: in A/B runs on the RouteViews table (Node 20, load average 3 on 2 cores) this loop did
 * 40 M in-table lookups/s against 35-37 M for one pass per level over the batch, and the same
 * random rate. For IPv6, whose addresses cross up to four nodes, the passes won instead.
 *
 * The popcount is written out in the loop rather than called as a function. In A/B runs in one
 * process (RouteViews, load average 1.6 on 2 cores) the call, although TurboFan inlined it, did
 * 33 M random and 24 M in-table lookups/s, and the written-out form 38-43 M and 34-37 M. The
 * cause is not pinned down. Under tsx the call also reads the import through a getter.
 */
function lookupDirect(
  top: Int32Array,
  nodes: Int32Array,
  ents: Int32Array,
  addrs: Uint32Array,
  out: Int32Array,
): void {
  const count = addrs.length;
  for (let i = 0; i < count; i++) {
    const addr = addrs[i]!;
    let entry = top[addr >>> 16]!;
    if (entry <= -2) {
      let node = -2 - entry;
      let slot = (addr >>> 8) & 255;
      let pair = (slot >>> 4) & 14;
      let x = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      x = (x + (x >>> 4)) & 0x0f0f0f0f;
      entry = ents[nodes[node + pair + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
      if (entry <= -2) {
        node = -2 - entry;
        slot = addr & 255;
        pair = (slot >>> 4) & 14;
        x = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        entry = ents[nodes[node + pair + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
      }
    }
    out[i] = entry;
  }
}

/** An IPv4 longest-prefix-match index with numeric keys, incremental updates and batch lookups. */
export class Trie4<V> implements PrefixIndex4<V> {
  private readonly core: PrefixTrie<V>;

  /** Creates an empty index. */
  constructor(options: TrieOptions = {}) {
    this.core = new PrefixTrie<V>(1, options);
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.core.size;
  }

  /** Inserts `value` under addr/bits, replacing any value already there; host bits must be zero. */
  insert(addr: number, bits: number, value: V): void {
    checkPrefix4(addr, bits);
    this.core.insert(keyOf(addr), bits, value);
  }

  /**
   * Inserts many routes, building the lookup trie once at the end instead of updating it per
   * route. Entry `i` is `addrs[i]`/`bits[i]` with value `values[i]`; a later duplicate wins.
   * If an entry is invalid, the entries before it stay inserted and a `RangeError` is thrown.
   */
  insertMany(addrs: ArrayLike<number>, bits: ArrayLike<number>, values: ArrayLike<V>): void {
    let valid = 0;
    let error: unknown = undefined;
    try {
      for (; valid < addrs.length; valid++) checkPrefix4(addrs[valid]!, bits[valid]!);
    } catch (caught) {
      error = caught;
    }
    const keys = addrs instanceof Uint32Array ? addrs : Uint32Array.from(addrs);
    this.core.insertMany(keys, bits, values, valid);
    if (error !== undefined) throw error;
  }

  /** Removes addr/bits and reports whether it was present; host bits must be zero. */
  delete(addr: number, bits: number): boolean {
    checkPrefix4(addr, bits);
    return this.core.delete(keyOf(addr), bits);
  }

  /** Returns the value stored under exactly addr/bits; host bits must be zero. */
  get(addr: number, bits: number): V | undefined {
    checkPrefix4(addr, bits);
    return this.core.get(keyOf(addr), bits);
  }

  /** Returns the value of the longest stored prefix that contains `addr`. */
  lookup(addr: number): V | undefined {
    return this.core.valueAt(this.lookupId(addr));
  }

  /**
   * Returns the id of the longest stored prefix that contains `addr`, or -1 when none does.
   * `valueAt` turns the id into the value until the next insert or delete. `addr` must be an
   * unsigned 32-bit integer, which the hot path does not check.
   */
  lookupId(addr: number): number {
    const trie = this.core.trie;
    if (trie === null) return this.core.lookupId(keyOf(addr), 0);
    // Written for one key word. NOTE: the generic walk of `StrideTrie.lookup` was about 7%
    // slower in one A/B run of single lookups on a loaded machine, an estimate.
    const { nodes, ents } = trie;
    let entry = trie.top[trie.topBits === 0 ? 0 : addr >>> 16]!;
    for (let shift = trie.topBits === 0 ? 24 : 8; entry <= -2; shift -= 8) {
      const node = -2 - entry;
      const slot = (addr >>> shift) & 255;
      const pair = (slot >>> 4) & 14;
      let x = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      x = (x + (x >>> 4)) & 0x0f0f0f0f;
      entry = ents[nodes[node + pair + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
    }
    return entry;
  }

  /**
   * Returns the id of the longest matching prefix for every address in `addrs` (-1 for no
   * match), written to `out` when given (it must be at least as long) or to a new array. A
   * direct level whose arrays lie in WebAssembly memory runs the loop in WebAssembly (see
   * wasm-lookup.ts), and other tries run it in JavaScript.
   */
  lookupMany(addrs: Uint32Array, out: Int32Array = new Int32Array(addrs.length)): Int32Array {
    if (out.length < addrs.length) {
      throw new RangeError(
        `output array too short: ${out.length} ids for ${addrs.length} addresses`,
      );
    }
    const trie = this.core.trie;
    if (trie?.arena) {
      trie.arena.lookup4(addrs, out);
    } else if (trie !== null && trie.topBits === 16) {
      lookupDirect(trie.top, trie.nodes, trie.ents, addrs, out);
    } else {
      for (let i = 0; i < addrs.length; i++) out[i] = this.core.lookupId(addrs, i);
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
  matches(addr: number): Match4<V>[] {
    return this.core.matches(keyOf(addr)).map(({ bits, id }) => ({
      addr: (addr & netmask32(bits)) >>> 0,
      bits,
      value: this.core.valueAt(id) as V,
    }));
  }

  /** Visits every stored prefix in ascending address order, shorter prefix first on a tie. */
  forEach(visit: (addr: number, bits: number, value: V) => void): void {
    this.core.walk((key, bits, value) => visit(key[0]!, bits, value));
  }

  /**
   * Visits every stored prefix in the order of the kernel's route dump (net/ipv4/fib_trie.c):
   * ascending address, and at one address the longer prefix first.
   */
  forEachDumpOrder(visit: (addr: number, bits: number, value: V) => void): void {
    this.core.walk((key, bits, value) => visit(key[0]!, bits, value), true);
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
