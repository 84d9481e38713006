/**
 * The IPv4 longest-prefix-match index behind every route table, modelled on the kernel's FIB
 * lookup (net/ipv4/fib_trie.c): the longest stored prefix wins, and `matches` lists the shorter
 * ones the kernel backs off to.
 *
 * A `PrefixHash` stores every prefix with an integer id and answers exact questions. Lookups
 * run in one of three modes, picked by size so that small tables stay small:
 * - under `trieThreshold` routes, probe the hash once per distinct prefix length, longest first;
 * - from there, walk a `StrideTrie` from one root node;
 * - from `directThreshold` routes, walk a `StrideTrie` whose first level (4 MiB) is indexed
 *   directly by the top 16 address bits.
 * The trie is updated in place on every insert and delete, and rebuilt only when the mode
 * changes.
 *
 * Values live in a side array indexed by id, so the trie stores only int32 ids. An id stays
 * attached to its prefix until the prefix is deleted, after which a new prefix may reuse it.
 */

import type { Match4, PrefixIndex4 } from "./prefix-index.js";
import { checkBits, netmask32, popcount32 } from "./bits.js";
import { PrefixHash } from "./prefix-hash.js";
import { NO_ROUTE, StrideTrie } from "./stride-trie.js";
import { LengthSet } from "./length-set.js";

/** Options of a `Trie4` or `Trie6`. The defaults suit both a handful and a million routes. */
export interface TrieOptions {
  /**
   * Route count from which lookups walk a trie instead of probing the prefix hash once per
   * distinct length. Defaults to `DEFAULT_TRIE_THRESHOLD`, and `Infinity` never builds a trie.
   */
  readonly trieThreshold?: number;
  /**
   * Route count from which the trie's first level is a directly indexed array over the top 16
   * address bits (4 MiB) instead of one root node. Defaults to `DEFAULT_DIRECT_THRESHOLD`.
   */
  readonly directThreshold?: number;
}

/**
 * Default route count from which a table walks a trie rather than probing its hash.
 *
 * NOTE: a trade-off measured on random prefixes of 14 lengths inside 10.0.0.0/16 (2-core Xeon,
 * Node 20): at 32 routes hash probing costs about 470 bytes of typed arrays and looks up 2 to 4
 * million addresses per second, where a trie costs about 5.5 KiB and looks up 15 to 25 million.
 * Probing slows with each distinct length in use, and the trie does not.
 */
export const DEFAULT_TRIE_THRESHOLD = 32;

/**
 * Default route count from which the trie's first level is indexed directly.
 *
 * NOTE: the direct level costs 4 MiB, so it pays for itself only in large tables. At this size
 * it adds about 64 bytes per route.
 */
export const DEFAULT_DIRECT_THRESHOLD = 65536;

/** Returns the trie mode a table of `size` routes should use: 0 none, 1 root node, 2 direct. */
export function pickMode(
  size: number,
  current: number,
  trieThreshold: number,
  directThreshold: number,
): number {
  // Switch up at a threshold and down only below half of it, so that a table hovering around
  // a threshold does not rebuild on every insert and delete.
  let wanted = 0;
  if (size >= trieThreshold) wanted = 1;
  if (size >= directThreshold) wanted = 2;
  if (wanted >= current) return wanted;
  if (current === 2 && size * 2 >= directThreshold) return 2;
  if (current >= 1 && size * 2 >= trieThreshold) return Math.max(wanted, 1);
  return wanted;
}

/** Both thresholds of `TrieOptions`, with defaults filled in. */
export interface TrieThresholds {
  readonly trieThreshold: number;
  readonly directThreshold: number;
}

/** Returns the options with defaults filled in. */
export function withDefaults(options: TrieOptions): TrieThresholds {
  return {
    trieThreshold: options.trieThreshold ?? DEFAULT_TRIE_THRESHOLD,
    directThreshold: options.directThreshold ?? DEFAULT_DIRECT_THRESHOLD,
  };
}

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

/**
 * Returns IPv4 routes sorted by address, shorter prefix first on a tie, as `StrideTrie.build`
 * requires. For large tables, three stable counting-sort passes (length, low 16 bits, high 16
 * bits) take tens of milliseconds for a million routes, where looking up ids after a
 * comparison sort took hundreds.
 */
function sortRoutes(routes: { keys: Uint32Array; bits: Uint8Array; ids: Int32Array }) {
  let { keys, bits, ids } = routes;
  // Counting sort allocates 256 KiB per pass, which a small table should not pay.
  if (ids.length < 4096) {
    const order = Array.from(ids, (_, i) => i).sort(
      (a, b) => keys[a]! - keys[b]! || bits[a]! - bits[b]!,
    );
    return {
      keys: Uint32Array.from(order, (i) => keys[i]!),
      bits: Uint8Array.from(order, (i) => bits[i]!),
      ids: Int32Array.from(order, (i) => ids[i]!),
    };
  }
  const passes: ((i: number) => number)[] = [
    (i) => bits[i]!,
    (i) => keys[i]! & 0xffff,
    (i) => keys[i]! >>> 16,
  ];
  for (const digitOf of passes) {
    const counts = new Int32Array(65537);
    for (let i = 0; i < ids.length; i++) counts[digitOf(i) + 1]!++;
    for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
    const sortedKeys = new Uint32Array(keys.length);
    const sortedBits = new Uint8Array(bits.length);
    const sortedIds = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const to = counts[digitOf(i)]!++;
      sortedKeys[to] = keys[i]!;
      sortedBits[to] = bits[i]!;
      sortedIds[to] = ids[i]!;
    }
    // The digit functions read the current arrays, so swap them in after each pass.
    keys = sortedKeys;
    bits = sortedBits;
    ids = sortedIds;
  }
  return { keys, bits, ids };
}

/**
 * Writes to `out` the prefix id of every address in `addrs`, for a trie with a direct level.
 *
 * It runs in passes over the whole batch: first every record read, then every entry read, then
 * the rare second level. Reads within a pass do not depend on each other, so the CPU overlaps
 * their cache misses. It measured about 1.4 times faster than one address at a time.
 */
function lookupDirect(nodes: Int32Array, ents: Int32Array, addrs: Uint32Array, out: Int32Array) {
  const count = addrs.length;
  for (let i = 0; i < count; i++) {
    const addr = addrs[i]!;
    const node = (addr >>> 16) << 4;
    const slot = (addr >>> 8) & 255;
    const pair = (slot >>> 4) & 14;
    out[i] = nodes[node + pair + 1]! + popcount32(nodes[node + pair]! & ((2 << (slot & 31)) - 1));
  }
  for (let i = 0; i < count; i++) out[i] = ents[out[i]!]!;
  for (let i = 0; i < count; i++) {
    const entry = out[i]!;
    if (entry > -2) continue;
    const node = -2 - entry;
    const slot = addrs[i]! & 255;
    const pair = (slot >>> 4) & 14;
    const bitmap = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
    out[i] = ents[nodes[node + pair + 1]! + popcount32(bitmap)]!;
  }
}

/** An IPv4 longest-prefix-match index with numeric keys, incremental updates and batch lookups. */
export class Trie4<V> implements PrefixIndex4<V> {
  private readonly hash = new PrefixHash(1);
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
  insert(addr: number, bits: number, value: V): void {
    checkPrefix4(addr, bits);
    const existing = this.hash.find(addr, 0, 0, 0, bits);
    if (existing >= 0) {
      this.values[existing] = value;
      return;
    }
    const id = this.addRoute(addr, bits, value);
    if (this.switchMode()) return;
    this.trie?.insert(Uint32Array.of(addr), bits, id);
  }

  /**
   * Inserts many routes, building the lookup trie once at the end instead of updating it per
   * route. Entry `i` is `addrs[i]`/`bits[i]` with value `values[i]`; a later duplicate wins.
   * If an entry is invalid, the entries before it stay inserted and a `RangeError` is thrown.
   */
  insertMany(addrs: ArrayLike<number>, bits: ArrayLike<number>, values: ArrayLike<V>): void {
    this.trie = null;
    this.mode = 0;
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
      this.switchMode();
    }
  }

  /** Removes addr/bits and reports whether it was present; host bits must be zero. */
  delete(addr: number, bits: number): boolean {
    checkPrefix4(addr, bits);
    const id = this.hash.remove(addr, 0, 0, 0, bits);
    if (id < 0) return false;
    this.values[id] = undefined;
    this.lengths.remove(bits);
    if (!this.switchMode() && this.trie !== null) {
      this.trie.replace(Uint32Array.of(addr), bits, id, this.probeLengths(addr, bits));
    }
    (this.freeIds ??= []).push(id);
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
   * `valueAt` turns the id into the value. `addr` must be an unsigned 32-bit integer, which the
   * hot path does not check.
   */
  lookupId(addr: number): number {
    const trie = this.trie;
    if (trie === null) return this.probeLengths(addr, 33);
    const { nodes, ents } = trie;
    // With a direct first level the record of the top 16 bits sits at a computed offset, so
    // a /24 or shorter match costs one record and one entry read.
    let node = 0;
    let shift = 24;
    if (trie.topBits === 16) {
      node = (addr >>> 16) << 4;
      shift = 8;
    }
    for (;;) {
      const slot = (addr >>> shift) & 255;
      const pair = (slot >>> 4) & 14;
      const bitmap = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
      const entry = ents[nodes[node + pair + 1]! + popcount32(bitmap)]!;
      if (entry > -2) return entry;
      node = -2 - entry;
      shift -= 8;
    }
  }

  /**
   * Returns the id of the longest matching prefix for every address in `addrs` (-1 for no
   * match), written to `out` when given (it must be at least as long) or to a new array.
   */
  lookupMany(addrs: Uint32Array, out: Int32Array = new Int32Array(addrs.length)): Int32Array {
    if (out.length < addrs.length) {
      throw new RangeError(
        `output array too short: ${out.length} ids for ${addrs.length} addresses`,
      );
    }
    const trie = this.trie;
    if (trie !== null && trie.topBits === 16) lookupDirect(trie.nodes, trie.ents, addrs, out);
    else for (let i = 0; i < addrs.length; i++) out[i] = this.lookupId(addrs[i]!);
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
    const { keys, bits, ids } = sortRoutes(this.hash.entries());
    for (let i = 0; i < ids.length; i++) visit(keys[i]!, bits[i]!, this.values[ids[i]!] as V);
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

  private addRoute(addr: number, bits: number, value: V): number {
    const id = this.freeIds?.pop() ?? this.values.length;
    this.values[id] = value;
    this.hash.add(addr, 0, 0, 0, bits, id);
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
    const { keys, bits, ids } = sortRoutes(this.hash.entries());
    const trie = new StrideTrie(32, topBits);
    trie.build(keys, bits, ids, ids.length);
    this.trie = trie;
  }
}
