/**
 * The longest-prefix-match index behind `Trie4` and `Trie6`, written once for keys of one or
 * four 32-bit words. Keys arrive as `Uint32Array`s, most significant word first, already
 * checked by the caller.
 *
 * Lookups run in one of three modes, picked by size so that small tables stay small:
 * - under `trieThreshold` routes, a plain array of prefixes scanned linearly;
 * - from there, a `StrideTrie` whose first level is one entry;
 * - from `directThreshold` routes, a `StrideTrie` whose first level is indexed directly by the
 *   top 16 address bits (256 KiB).
 * The trie is updated in place on every insert and delete, and rebuilt only when the mode
 * changes. It is also the exact-match store, so a table keeps no hash of its prefixes.
 *
 * Values live in a side array indexed by prefix id: an `Int32Array` while every value is a
 * 32-bit integer, and a plain array from the first value that is not.
 */

import { netmaskWord } from "./bits.js";
import { NO_ROUTE, StrideTrie, type TrieUsage } from "./stride-trie.js";

/** Options of a `Trie4` or `Trie6`. The defaults suit both a handful and a million routes. */
export interface TrieOptions {
  /**
   * Route count from which lookups walk a trie instead of scanning a plain array. Defaults to
   * `DEFAULT_TRIE_THRESHOLD`, and `Infinity` never builds a trie.
   */
  readonly trieThreshold?: number;
  /**
   * Route count from which the trie's first level is a directly indexed array over the top 16
   * address bits (256 KiB) instead of one entry. Defaults to `DEFAULT_DIRECT_THRESHOLD`. A table
   * below `trieThreshold` stays a plain array at any value of this one.
   */
  readonly directThreshold?: number;
  /**
   * Whether a trie with a direct first level keeps its lookup arrays in WebAssembly memory, where
   * `lookupMany` runs a WebAssembly loop over them (see wasm-lookup.ts). Defaults to true; false
   * keeps plain arrays and the JavaScript loops. Engines without WebAssembly use those anyway.
   */
  readonly wasm?: boolean;
}

/**
 * Default route count from which a table walks a trie rather than scanning its prefixes.
 *
 * NOTE: kept from the earlier hash-based layout and not tuned for this one. A table of 40
 * IPv4 routes in trie mode grows the heap by about 1.8 KiB, and one of 5 in list mode by about
 * 0.5 KiB (10,000 tables each, Node 20 on the 2-core benchmark machine).
 */
export const DEFAULT_TRIE_THRESHOLD = 32;

/**
 * Default route count from which the trie's first level is indexed directly.
 *
 * The direct level costs 256 KiB, which adds 4 bytes per route at this size.
 */
export const DEFAULT_DIRECT_THRESHOLD = 65536;

/** Returns the trie mode a table of `size` routes should use: 0 none, 1 root entry, 2 direct. */
export function pickMode(
  size: number,
  current: number,
  trieThreshold: number,
  directThreshold: number,
): number {
  // Switch up at a threshold and down only below half of it, so that a table hovering around
  // a threshold does not rebuild on every insert and delete.
  // The direct level is a trie too, so it needs both thresholds.
  let target = 0;
  if (size >= trieThreshold) target = 1;
  if (target === 1 && size >= directThreshold) target = 2;
  if (target >= current) return target;
  if (current === 2 && size * 2 >= directThreshold) return 2;
  if (current >= 1 && size * 2 >= trieThreshold) return Math.max(target, 1);
  return target;
}

/** Reports whether `value` is stored exactly by an `Int32Array`. */
function isInt32(value: unknown): value is number {
  return typeof value === "number" && (value | 0) === value && !Object.is(value, -0);
}

/** Prefixes sorted by address, shorter first on a tie, without duplicates. */
interface SortedPrefixes<V> {
  keys: Uint32Array;
  bits: Uint8Array;
  values: ArrayLike<V>;
  count: number;
}

/**
 * Returns the indexes of `count` prefixes sorted by address, shorter first on a tie (longer
 * first when `isLongerFirst`), and in input order among equal prefixes. Keys have `words`
 * words each.
 */
function sortOrder(
  keys: Uint32Array,
  bits: ArrayLike<number>,
  count: number,
  words: number,
  isLongerFirst = false,
) {
  let order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (words === 1 && count >= 4096) {
    // Three stable counting-sort passes (length, low 16 bits, high 16 bits) take tens of
    // milliseconds for a million routes, several times faster than a comparison sort.
    const passes: ((i: number) => number)[] = [
      isLongerFirst ? (i) => 32 - bits[i]! : (i) => bits[i]!,
      (i) => keys[i]! & 0xffff,
      (i) => keys[i]! >>> 16,
    ];
    const counts = new Int32Array(65537);
    for (const digitOf of passes) {
      counts.fill(0);
      for (let p = 0; p < count; p++) counts[digitOf(order[p]!) + 1]!++;
      for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
      const sorted = new Int32Array(count);
      for (let p = 0; p < count; p++) {
        const i = order[p]!;
        sorted[counts[digitOf(i)]!++] = i;
      }
      order = sorted;
    }
    return order;
  }
  const sorted = Array.from(order).sort((a, b) => {
    for (let k = 0; k < words; k++) {
      const difference = keys[a * words + k]! - keys[b * words + k]!;
      if (difference !== 0) return difference;
    }
    return (isLongerFirst ? bits[b]! - bits[a]! : bits[a]! - bits[b]!) || a - b;
  });
  return Int32Array.from(sorted);
}

/**
 * Returns the prefixes sorted and without duplicates, where the later of two equal prefixes
 * keeps its value.
 */
function sortPrefixes<V>(
  keys: Uint32Array,
  bits: ArrayLike<number>,
  values: ArrayLike<V>,
  count: number,
  words: number,
): SortedPrefixes<V> {
  const order = sortOrder(keys, bits, count, words);
  const sortedKeys = new Uint32Array(count * words);
  const sortedBits = new Uint8Array(count);
  let allInt32 = true;
  for (let p = 0; p < count && allInt32; p++) allInt32 = isInt32(values[p]);
  const sortedValues: V[] | Int32Array = allInt32 ? new Int32Array(count) : new Array<V>(count);
  let n = 0;
  for (let p = 0; p < count; p++) {
    const i = order[p]!;
    const next = p + 1 < count ? order[p + 1]! : -1;
    if (next >= 0 && bits[next] === bits[i] && sameKey(keys, i, next, words)) continue;
    for (let k = 0; k < words; k++) sortedKeys[n * words + k] = keys[i * words + k]!;
    sortedBits[n] = bits[i]!;
    (sortedValues as V[])[n] = values[i]!;
    n++;
  }
  return { keys: sortedKeys, bits: sortedBits, values: sortedValues as ArrayLike<V>, count: n };
}

function sameKey(keys: Uint32Array, a: number, b: number, words: number): boolean {
  for (let k = 0; k < words; k++) if (keys[a * words + k] !== keys[b * words + k]) return false;
  return true;
}

/** One matching prefix: its length and its id. */
export interface PrefixMatch {
  readonly bits: number;
  readonly id: number;
}

/** A longest-prefix-match index over keys of `words` 32-bit words. */
export class PrefixTrie<V> {
  /** The lookup trie, or null while the table is a plain array. */
  trie: StrideTrie | null = null;
  /** Key words and then the length of each prefix of a table in list mode. */
  private list: number[] = [];
  /** Values of a table in list mode, one per prefix. */
  private listValues: V[] = [];
  /** Values by id in trie mode while every value is an int32. */
  private ints: Int32Array | null = null;
  /** Values by id in trie mode once a value is not an int32. */
  private boxed: (V | undefined)[] | null = null;
  private mode = 0;
  private readonly trieThreshold: number;
  private readonly useWasm: boolean;
  private readonly directThreshold: number;

  /** Creates an empty index over keys of `words` words. */
  constructor(
    readonly words: 1 | 4,
    options: TrieOptions,
  ) {
    // Two numbers rather than the options object: 10,000 small tables each save its bytes.
    this.trieThreshold = options.trieThreshold ?? DEFAULT_TRIE_THRESHOLD;
    this.directThreshold = options.directThreshold ?? DEFAULT_DIRECT_THRESHOLD;
    this.useWasm = options.wasm ?? true;
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.trie === null ? this.listValues.length : this.trie.size;
  }

  /** Returns how lookups run: by scanning a plain array, walking a root entry, or a direct level. */
  get lookupMode(): "list" | "trie" | "direct" {
    if (this.mode === 0) return "list";
    return this.mode === 1 ? "trie" : "direct";
  }

  /** Returns the node and entry counts of the lookup trie, or null in list mode. */
  get usage(): TrieUsage | null {
    return this.trie?.usage ?? null;
  }

  /** Returns which loop `lookupMany` runs: WebAssembly over an arena, or JavaScript. */
  get batchEngine(): "wasm" | "js" {
    return this.trie?.arena ? "wasm" : "js";
  }

  /** Returns the bytes held by typed arrays, counting 8 per element of a plain array. */
  get byteLength(): number {
    if (this.trie === null) return (this.list.length + this.listValues.length) * 8;
    const values = this.ints?.byteLength ?? (this.boxed?.length ?? 0) * 8;
    return this.trie.byteLength + values;
  }

  /** Stores `value` under key/bits, replacing any value already there. */
  insert(key: Uint32Array, bits: number, value: V): void {
    const trie = this.trie;
    if (trie === null) {
      const at = this.listIndexOf(key, bits);
      if (at >= 0) {
        this.listValues[at] = value;
        return;
      }
      for (let k = 0; k < this.words; k++) this.list.push(key[k]!);
      this.list.push(bits);
      this.listValues.push(value);
      this.switchMode();
      return;
    }
    let id = trie.lookupAtMost(key, 0, bits);
    if (id < 0 || trie.bitsOf(id) !== bits) id = trie.insertBelow(key, 0, bits, id);
    this.setValue(id, value);
    this.switchMode();
  }

  /**
   * Inserts `count` prefixes with keys `keys[i * words ...]`, building the lookup trie once at
   * the end instead of updating it per prefix. A later duplicate wins.
   */
  insertMany(keys: Uint32Array, bits: ArrayLike<number>, values: ArrayLike<V>, count: number) {
    const { words } = this;
    const total = this.size + count;
    const allKeys = new Uint32Array(total * words);
    const allBits = new Uint8Array(total);
    const allValues = new Array<V>(total);
    let n = 0;
    this.walk((key, length, value) => {
      allKeys.set(key, n * words);
      allBits[n] = length;
      allValues[n++] = value;
    });
    allKeys.set(keys.subarray(0, count * words), n * words);
    for (let i = 0; i < count; i++) {
      allBits[n + i] = bits[i]!;
      allValues[n + i] = values[i]!;
    }
    this.rebuild(sortPrefixes(allKeys, allBits, allValues, total, words));
  }

  /** Removes key/bits and reports whether it was present. */
  delete(key: Uint32Array, bits: number): boolean {
    const trie = this.trie;
    if (trie === null) {
      const at = this.listIndexOf(key, bits);
      if (at < 0) return false;
      // Move the last entry into the hole, since the order of a list does not matter.
      const width = this.words + 1;
      const last = this.listValues.length - 1;
      for (let k = 0; k < width; k++) this.list[at * width + k] = this.list[last * width + k]!;
      this.list.length = last * width;
      this.listValues[at] = this.listValues[last]!;
      this.listValues.length = last;
      return true;
    }
    const id = trie.remove(key, 0, bits);
    if (id < 0) return false;
    if (this.boxed !== null) this.boxed[id] = undefined;
    this.switchMode();
    return true;
  }

  /** Returns the value stored under exactly key/bits. */
  get(key: Uint32Array, bits: number): V | undefined {
    if (this.trie === null) {
      const at = this.listIndexOf(key, bits);
      return at < 0 ? undefined : this.listValues[at];
    }
    return this.valueAt(this.trie.find(key, 0, bits));
  }

  /**
   * Returns the id of the longest stored prefix that contains the address at `offset` in
   * `key`, or -1 when none does. Ids stay valid until the next insert or delete.
   */
  lookupId(key: Uint32Array, offset: number): number {
    const trie = this.trie;
    return trie === null ? this.scanLongest(key, offset) : trie.lookup(key, offset);
  }

  /** Returns the value of prefix id `id`, or undefined for -1. */
  valueAt(id: number): V | undefined {
    if (id < 0) return undefined;
    if (this.trie === null) return this.listValues[id];
    return this.ints !== null ? (this.ints[id] as V) : this.boxed![id];
  }

  /** Returns every stored prefix that contains the address, longest first. */
  matches(key: Uint32Array): PrefixMatch[] {
    const found: PrefixMatch[] = [];
    const trie = this.trie;
    if (trie === null) {
      const width = this.words + 1;
      for (let at = 0; at < this.listValues.length; at++) {
        if (this.listCovers(at, key, 0))
          found.push({ bits: this.list[at * width + this.words]!, id: at });
      }
      return found.sort((a, b) => b.bits - a.bits);
    }
    for (let id = trie.lookup(key, 0); id >= 0; id = trie.parentOf(id)) {
      found.push({ bits: trie.bitsOf(id), id });
    }
    return found;
  }

  /**
   * Visits every stored prefix in ascending address order, shorter prefix first on a tie, or
   * longer first when `isLongerFirst`. `key` contains the prefix address only during the call.
   */
  walk(visit: (key: Uint32Array, bits: number, value: V) => void, isLongerFirst = false): void {
    const trie = this.trie;
    if (trie !== null) {
      trie.walk((key, bits, id) => visit(key, bits, this.valueAt(id) as V), isLongerFirst);
      return;
    }
    const { words } = this;
    const width = words + 1;
    const count = this.listValues.length;
    const keys = new Uint32Array(count * words);
    const bits = new Uint8Array(count);
    for (let at = 0; at < count; at++) {
      for (let k = 0; k < words; k++) keys[at * words + k] = this.list[at * width + k]!;
      bits[at] = this.list[at * width + words]!;
    }
    const order = sortOrder(keys, bits, count, words, isLongerFirst);
    for (const at of order) {
      visit(keys.subarray(at * words, at * words + words), bits[at]!, this.listValues[at]!);
    }
  }

  private setValue(id: number, value: V): void {
    if (this.ints !== null && isInt32(value)) {
      if (id >= this.ints.length) {
        const grown = new Int32Array(Math.max(16, Math.ceil(this.ints.length * 1.5), id + 1));
        grown.set(this.ints);
        this.ints = grown;
      }
      this.ints[id] = value;
      return;
    }
    if (this.ints !== null) {
      this.boxed = Array.from(this.ints, (v) => v as V | undefined);
      this.ints = null;
    }
    this.boxed![id] = value;
  }

  /** Returns the list index of key/bits, or -1. */
  private listIndexOf(key: Uint32Array, bits: number): number {
    const { list, words } = this;
    const width = words + 1;
    for (let at = 0; at < this.listValues.length; at++) {
      const o = at * width;
      if (list[o + words] !== bits || list[o] !== key[0]) continue;
      if (words === 1) return at;
      if (list[o + 1] === key[1] && list[o + 2] === key[2] && list[o + 3] === key[3]) return at;
    }
    return NO_ROUTE;
  }

  /** Reports whether list entry `at` contains the address at `offset` in `key`. */
  private listCovers(at: number, key: Uint32Array, offset: number): boolean {
    const { list, words } = this;
    const o = at * (words + 1);
    const bits = list[o + words]!;
    for (let k = 0; k < words && 32 * k < bits; k++) {
      if (((key[offset + k]! ^ list[o + k]!) & netmaskWord(bits, k)) !== 0) return false;
    }
    return true;
  }

  private scanLongest(key: Uint32Array, offset: number): number {
    const width = this.words + 1;
    let best = NO_ROUTE;
    let bestBits = -1;
    for (let at = 0; at < this.listValues.length; at++) {
      const bits = this.list[at * width + this.words]!;
      if (bits > bestBits && this.listCovers(at, key, offset)) {
        best = at;
        bestBits = bits;
      }
    }
    return best;
  }

  /** Rebuilds the table in another mode when its size calls for it. */
  private switchMode(): void {
    const mode = pickMode(this.size, this.mode, this.trieThreshold, this.directThreshold);
    if (mode === this.mode) return;
    const { words } = this;
    const count = this.size;
    const keys = new Uint32Array(count * words);
    const bits = new Uint8Array(count);
    const values = new Array<V>(count);
    let n = 0;
    this.walk((key, length, value) => {
      keys.set(key, n * words);
      bits[n] = length;
      values[n++] = value;
    });
    this.rebuild(sortPrefixes(keys, bits, values, count, words), mode);
  }

  /** Replaces the whole table by sorted, distinct prefixes, in the mode their count calls for. */
  private rebuild(sorted: SortedPrefixes<V>, mode?: number): void {
    const { keys, bits, values, count } = sorted;
    const { words } = this;
    this.mode = mode ?? pickMode(count, 0, this.trieThreshold, this.directThreshold);
    this.list = [];
    this.listValues = [];
    this.ints = null;
    this.boxed = null;
    if (this.mode === 0) {
      this.trie = null;
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < words; k++) this.list.push(keys[i * words + k]!);
        this.list.push(bits[i]!);
        this.listValues.push(values[i]!);
      }
      return;
    }
    const trie = new StrideTrie(
      words === 1 ? 32 : 128,
      this.mode === 2 ? 16 : 0,
      count,
      this.useWasm,
    );
    trie.build(keys, bits, count);
    this.trie = trie;
    if (values instanceof Int32Array) this.ints = values;
    else this.boxed = Array.from(values);
  }
}
