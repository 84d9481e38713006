/**
 * The prefix store and lookup structure of a FIB: a multibit trie of stride-8 nodes compressed
 * with popcount, in the style of Poptrie but with 256-bit node bitmaps. Above the nodes sits a
 * first level, a plain array indexed by the top `topBits` address bits. Its lookups must equal
 * a linear scan for the longest prefix (see `test/reference/`).
 *
 * Every entry holds either a prefix id (-1 when no prefix matches, so the entry is the lookup
 * result) or a node reference `-2 - offset`, where offset is the node's first word in `nodes`.
 * Ids are leaf-pushed: each slot stores the id of the longest stored prefix that covers it.
 *
 * A node record is 16 int32 words, a pair per 32-slot bitmap word: the bitmap, whose set bits
 * mark the slots where a new run of equal entries starts, and `base`, the entry index just
 * before the word's first run. Slot `s` reads entry `base + popcount(bits up to s)`, so one
 * record read and one entry read resolve 8 bits. Runs make a /24 that splits a /16 cost two or
 * three entries instead of 256. With `topBits` 16 the first level is 65,536 entries (256 KiB),
 * and only the /16s that hold longer prefixes get a node.
 *
 * The trie is also the exact-match store, so no per-prefix hash is kept. `meta` packs, per id,
 * the prefix length and the id of its parent: the longest stored prefix that strictly contains
 * it. All stored prefixes that contain an address form one chain, which starts at the leaf the
 * address resolves to and follows the parent links. An exact match, the full match list, the
 * prefix that takes over after a delete and the sorted walk all follow that chain.
 *
 * Updates are in place and touch only the entries under the changed prefix. In the node where
 * the prefix ends, only the runs around its slots are rewritten, and runs that become equal
 * merge. A new node and a covered node whose runs merge go through a 256-slot scratch array
 * instead. A node that ends up as a single leaf run folds back into its parent entry.
 */

import { netmaskWord } from "./bits.js";
import { WasmArena } from "./wasm-lookup.js";
import { fillWideLevel, planWideLevel, wideLengths } from "./wide-level.js";

/** Entry value for an address that no stored prefix covers. */
export const NO_ROUTE = -1;
/** Number of int32 words in one node record. */
export const NODE_WORDS = 16;
/**
 * Maximum number of prefixes one trie stores: the parent id plus one must fit in the 24 bits
 * of a `meta` word above the 8-bit length.
 */
export const MAX_PREFIXES = (1 << 24) - 2;

/** Prefix length stored in `meta` for an id on the free list. */
const FREE_BITS = 255;

/**
 * Expanded slots of the node being changed at each depth, shared by all tries: an update runs
 * to completion before any other starts, and per-trie copies would cost every table 1 KiB per
 * depth.
 */
const SCRATCH: Int32Array[] = [];

/** Key of no operation, so that a trie does not keep a caller's key array alive. */
const EMPTY_KEY = new Uint32Array(4);

/** Run starts and entries of the window that `editRange` rewrites, per depth, shared likewise. */
const PIECE_STARTS: Int32Array[] = [];
const PIECE_VALUES: Int32Array[] = [];

const INSERT = 0;
const REPLACE = 1;

/** Node and entry counts of a trie. */
export interface TrieUsage {
  readonly nodes: number;
  readonly entries: number;
}

/** A multibit trie of popcount-compressed stride-8 nodes, mapping addresses to prefix ids. */
export class StrideTrie {
  /** First level: one entry per value of the top `topBits` address bits. */
  top: Int32Array;
  /**
   * Node records: for each of the 8 bitmap words, the word and then `base`, the index in
   * `ents` just before the first entry that the word's slots read.
   */
  nodes: Int32Array;
  /** Entries of all nodes, one block per node. */
  ents: Int32Array;
  /** Per id: `(parent + 1) << 8 | length`, where parent is -1 for a prefix with no parent. */
  meta: Uint32Array;
  /** Number of ids in use. */
  size = 0;

  /**
   * The WebAssembly memory that contains `top`, `nodes` and `ents` once a build with a direct first
   * level is done, or null while they are plain arrays.
   */
  private arenaOf: WasmArena | null = null;
  /**
   * Whether the arena lacks the wide level (see wide-level.ts) that the nodes call for: every
   * update drops the level and sets this, and `buildWide` builds it again.
   */
  private isWideStale = false;
  /** Entry count of every node record, indexed by record offset / `NODE_WORDS`, 0 if unused. */
  private counts: Uint16Array;
  /** Entries reserved for the block of every node record, at least its count. */
  private capacities: Uint16Array;
  private nodeTop = 0;
  private readonly freeNodes: number[] = [];
  private entTop = 0;
  private entGarbage = 0;
  /** Ids below this one have been handed out at least once. */
  private idTop = 0;
  /** First id of the free list, linked through the parent field of `meta`; -1 when empty. */
  private freeHead = -1;
  private readonly scratch = SCRATCH;
  private readonly pieceStarts = PIECE_STARTS;
  private readonly pieceValues = PIECE_VALUES;
  private readonly words: number;
  // The operation in progress, kept in fields so that the recursion passes only the entry
  // and the depth.
  private key: Uint32Array = EMPTY_KEY;
  private keyOffset = 0;
  private mode = INSERT;
  private opBits = 0;
  private opId = 0;
  private opReplacement = NO_ROUTE;

  /**
   * Creates an empty trie over addresses of `keyBits` bits (32 or 128). With `topBits` 16 the
   * first level is indexed directly by the top 16 bits, and with 0 it is a single entry.
   * `capacity` sizes the per-id array for that many prefixes. With `useWasm`, a build with a
   * direct first level moves the lookup arrays into a `WasmArena` (see `arena`).
   */
  constructor(
    readonly keyBits: 32 | 128,
    readonly topBits: 0 | 16,
    capacity = 16,
    private readonly useWasm = true,
  ) {
    this.words = keyBits / 32;
    this.top = new Int32Array(1 << topBits).fill(NO_ROUTE);
    this.nodes = new Int32Array(0);
    this.counts = new Uint16Array(0);
    this.capacities = new Uint16Array(0);
    this.ents = new Int32Array(0);
    this.meta = new Uint32Array(Math.max(capacity, 1));
    while (SCRATCH.length <= (keyBits - topBits) / 8) SCRATCH.push(new Int32Array(256));
    while (PIECE_STARTS.length <= (keyBits - topBits) / 8) {
      PIECE_STARTS.push(new Int32Array(257));
      PIECE_VALUES.push(new Int32Array(257));
    }
  }

  /**
   * The WebAssembly memory holding the lookup arrays, whose batch lookups `Trie4` and `Trie6`
   * use, or null: before a build, with a root entry as the first level, without `useWasm`, or
   * on an engine without WebAssembly.
   */
  get arena(): WasmArena | null {
    return this.arenaOf;
  }

  /**
   * Builds the arena's wide level for an IPv6 trie after an update dropped it: the IPv6 batch
   * calls this before its first chunk that would read the level. Does nothing when the level
   * is current. A build that throws leaves no level, and the next call tries again.
   */
  buildWide(): void {
    const arena = this.arenaOf;
    if (!this.isWideStale || arena === null) return;
    const highs = this.keyBits === 128 ? planWideLevel(this.top, this.nodes, this.ents) : [];
    if (highs.length > 0) {
      try {
        const level = arena.placeWide(highs[0]!, wideLengths(highs));
        this.readArena();
        fillWideLevel(highs, this.top, this.nodes, this.ents, level);
      } catch (error) {
        arena.dropWide();
        throw error;
      }
    }
    this.isWideStale = false;
  }

  /** Returns the prefix length of id `id`. */
  bitsOf(id: number): number {
    return this.meta[id]! & 255;
  }

  /** Returns the parent of id `id`: the longest stored prefix that strictly contains it, or -1. */
  parentOf(id: number): number {
    return (this.meta[id]! >>> 8) - 1;
  }

  /**
   * Returns the id of the longest stored prefix that contains the address of `words` words at
   * `offset` in `key`, or -1.
   */
  lookup(key: Uint32Array, offset: number): number {
    const { nodes, ents } = this;
    let entry = this.top[this.topBits === 0 ? 0 : key[offset]! >>> 16]!;
    for (let end = this.topBits + 8; entry <= -2; end += 8) {
      // The slot is the address byte that ends at bit `end`.
      const slot = (key[offset + ((end - 8) >>> 5)]! >>> (-end & 31)) & 255;
      const node = -2 - entry;
      const pair = (slot >>> 4) & 14;
      // The popcount is written out, as in `lookupDirect` of trie4.ts, where that measured faster.
      let x = nodes[node + pair]! & ((2 << (slot & 31)) - 1);
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      x = (x + (x >>> 4)) & 0x0f0f0f0f;
      entry = ents[nodes[node + pair + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
    }
    return entry;
  }

  /**
   * Returns the id of the longest stored prefix of at most `bits` bits that contains the key,
   * found by following parent links from the longest match.
   */
  lookupAtMost(key: Uint32Array, offset: number, bits: number): number {
    let id = this.lookup(key, offset);
    while (id >= 0 && (this.meta[id]! & 255) > bits) id = (this.meta[id]! >>> 8) - 1;
    return id;
  }

  /** Returns the id stored under exactly key/bits (host bits zero), or -1. */
  find(key: Uint32Array, offset: number, bits: number): number {
    const id = this.lookupAtMost(key, offset, bits);
    return id >= 0 && (this.meta[id]! & 255) === bits ? id : NO_ROUTE;
  }

  /**
   * Inserts the prefix key/bits, which must not be stored yet, and returns its new id. Every
   * address in its range now resolves to it unless a longer prefix covers the address.
   */
  insert(key: Uint32Array, offset: number, bits: number): number {
    return this.insertBelow(key, offset, bits, this.lookupAtMost(key, offset, bits));
  }

  /**
   * Inserts the prefix key/bits like `insert`, given `parent`, the value of `lookupAtMost` for
   * the same key and length, so that a caller that checked for the prefix first looks it up
   * once.
   */
  insertBelow(key: Uint32Array, offset: number, bits: number, parent: number): number {
    const id = this.allocId(bits, parent);
    this.begin(key, offset, INSERT, bits, id, NO_ROUTE);
    return id;
  }

  /** Removes the prefix key/bits and returns the id it had, or -1 when it was not stored. */
  remove(key: Uint32Array, offset: number, bits: number): number {
    const id = this.find(key, offset, bits);
    if (id < 0) return NO_ROUTE;
    this.begin(key, offset, REPLACE, bits, id, this.parentOf(id));
    this.freeId(id);
    return id;
  }

  /**
   * Fills the new, empty trie with `count` distinct prefixes sorted by address, shorter prefix
   * first on a tie, and gives prefix `i` the id `i`.
   *
   * Prefix `i` has key words `keys[i * words ...]` and length `bits[i]`. Sorted order is a
   * preorder of the prefix tree, so a stack of open prefixes gives each its parent. Each node
   * paints its slots in one pass, because a prefix that covers another always comes first and a
   * later paint never overwrites a longer prefix.
   */
  build(keys: Uint32Array, bits: Uint8Array, count: number): void {
    const { topBits, words } = this;
    if (count > MAX_PREFIXES) throw tooManyPrefixes();
    if (this.meta.length < count) this.meta = new Uint32Array(count);
    this.linkParents(keys, bits, count);
    this.idTop = count;
    this.size = count;
    this.key = keys;
    let i = 0;
    while (i < count) {
      const length = bits[i]!;
      const fixed = this.fixedOf(i * words);
      if (length <= topBits) {
        this.top.fill(i, fixed, fixed + 2 ** (topBits - length));
        i++;
        continue;
      }
      let j = i;
      while (j < count && bits[j]! > topBits && this.fixedOf(j * words) === fixed) j++;
      const entry = this.buildNode(this.top[fixed]!, 1, bits, i, j);
      this.top[fixed] = entry;
      i = j;
    }
    // Drop the reference to the build's keys, which would otherwise stay alive with the trie.
    this.key = EMPTY_KEY;
    // Growth during the build leaves slack, so a build trims both arrays to their final size.
    this.counts = this.counts.slice(0, this.nodeTop / NODE_WORDS);
    this.capacities = this.capacities.slice(0, this.nodeTop / NODE_WORDS);
    const nodes = this.nodes.subarray(0, this.nodeTop);
    const ents = this.ents.subarray(0, this.entTop);
    this.arenaOf =
      topBits === 16 && this.useWasm ? WasmArena.create(this.keyBits, this.top, nodes, ents) : null;
    if (this.arenaOf !== null) {
      this.readArena();
      // Built here rather than by the first batch, so that a table's size after its build
      // includes the level.
      this.isWideStale = true;
      this.buildWide();
    } else {
      this.nodes = nodes.slice();
      this.ents = ents.slice();
    }
  }

  /**
   * Visits every stored prefix in ascending address order, shorter prefix first on a tie, or
   * longer first when `isLongerFirst` (the order of the kernel's fib_trie dump). `key` is a
   * scratch array that contains the prefix address only during the call.
   */
  walk(visit: (key: Uint32Array, bits: number, id: number) => void, isLongerFirst = false): void {
    const path = new Uint32Array(this.words);
    const chain: number[] = [];
    // Each prefix is visited at the one leaf run that starts at its own address: the run that
    // contains the prefix's first address lies inside the prefix, so it starts there.
    const visitRun = (leaf: number) => {
      chain.length = 0;
      for (let id = leaf; id >= 0; id = this.parentOf(id)) {
        // A prefix whose address is not the run start has shorter ancestors that are not
        // aligned there either.
        if (!isAligned(path, this.bitsOf(id))) break;
        chain.push(id);
      }
      // The chain runs from the longest prefix that starts at the run to the shortest.
      if (isLongerFirst) {
        for (let c = 0; c < chain.length; c++) visit(path, this.bitsOf(chain[c]!), chain[c]!);
      } else {
        for (let c = chain.length - 1; c >= 0; c--) visit(path, this.bitsOf(chain[c]!), chain[c]!);
      }
    };
    const walkNode = (node: number, depth: number) => {
      const end = this.topBits + 8 * depth;
      for (let w = 0; w < 8; w++) {
        const bitmap = this.nodes[node + 2 * w]!;
        let k = this.nodes[node + 2 * w + 1]!;
        for (let b = 0; b < 32; b++) {
          if (((bitmap >>> b) & 1) === 0) continue;
          k++;
          setByte(path, end, w * 32 + b);
          const entry = this.ents[k]!;
          if (entry <= -2) walkNode(-2 - entry, depth + 1);
          else if (entry >= 0) visitRun(entry);
        }
      }
    };
    for (let r = 0; r < this.top.length; r++) {
      path.fill(0);
      path[0] = this.topBits === 0 ? 0 : r << 16;
      const entry = this.top[r]!;
      if (entry <= -2) walkNode(-2 - entry, 1);
      else if (entry >= 0) visitRun(entry);
    }
  }

  /**
   * Returns the number of nodes in use and of entries they hold. Both depend only on the stored
   * prefixes and the first-level width, not on the order of the updates that led there.
   */
  get usage(): TrieUsage {
    let nodes = 0;
    let entries = 0;
    for (let record = 0; record < this.nodeTop / NODE_WORDS; record++) {
      const count = this.counts[record]!;
      if (count > 0) nodes++;
      entries += count;
    }
    return { nodes, entries };
  }

  /**
   * Returns the bytes held by the trie's own typed arrays, as allocated rather than as used, and
   * by its arena's whole memory.
   */
  get byteLength(): number {
    const { top, nodes, ents, meta, counts, capacities } = this;
    const lookupBytes =
      this.arenaOf === null
        ? top.byteLength + nodes.byteLength + ents.byteLength
        : this.arenaOf.byteLength;
    return lookupBytes + meta.byteLength + counts.byteLength + capacities.byteLength;
  }

  /** Sets the parent field of every id of a sorted build with a stack of open prefixes. */
  private linkParents(keys: Uint32Array, bits: Uint8Array, count: number): void {
    const { words, meta } = this;
    const open = new Int32Array(this.keyBits + 1);
    let depth = 0;
    for (let i = 0; i < count; i++) {
      while (depth > 0 && !contains(keys, open[depth - 1]!, bits, i, words)) depth--;
      const parent = depth > 0 ? open[depth - 1]! : NO_ROUTE;
      meta[i] = (((parent + 1) << 8) | bits[i]!) >>> 0;
      open[depth++] = i;
    }
  }

  private allocId(bits: number, parent: number): number {
    let id = this.freeHead;
    if (id >= 0) {
      this.freeHead = this.parentOf(id);
    } else {
      if (this.idTop >= MAX_PREFIXES) throw tooManyPrefixes();
      id = this.idTop++;
      if (id >= this.meta.length) {
        const grown = new Uint32Array(Math.max(16, Math.ceil(this.meta.length * 1.5)));
        grown.set(this.meta);
        this.meta = grown;
      }
    }
    this.meta[id] = (((parent + 1) << 8) | bits) >>> 0;
    this.size++;
    return id;
  }

  private freeId(id: number): void {
    this.meta[id] = (((this.freeHead + 1) << 8) | FREE_BITS) >>> 0;
    this.freeHead = id;
    this.size--;
  }

  private setParent(id: number, parent: number): void {
    this.meta[id] = (((parent + 1) << 8) | (this.meta[id]! & 255)) >>> 0;
  }

  private begin(
    key: Uint32Array,
    offset: number,
    mode: number,
    bits: number,
    id: number,
    replacement: number,
  ): void {
    this.key = key;
    this.keyOffset = offset;
    this.mode = mode;
    this.opBits = bits;
    this.opId = id;
    this.opReplacement = replacement;
    // Drop the wide level before any change, so that no batch reads one that no longer matches.
    this.isWideStale = true;
    this.arenaOf?.dropWide();
    const fixed = this.fixedOf(offset);
    // Each new entry is computed before `this.top` is read for the write: an update that grows
    // the arena's memory replaces the array.
    if (bits > this.topBits) {
      const entry = this.descend(this.top[fixed]!, 1);
      this.top[fixed] = entry;
      return;
    }
    const end = fixed + 2 ** (this.topBits - bits);
    for (let r = fixed; r < end; r++) {
      const entry = this.cover(this.top[r]!, 1);
      this.top[r] = entry;
    }
  }

  /** Returns the first-level index that the key at `offset` falls in. */
  private fixedOf(offset: number): number {
    return this.topBits === 0 ? 0 : this.key[offset]! >>> (32 - this.topBits);
  }

  /** Returns the byte of the current key that selects a slot in a node at `depth`. */
  private slotOf(depth: number, offset: number): number {
    const end = this.topBits + 8 * depth;
    return (this.key[offset + ((end - 8) >>> 5)]! >>> (-end & 31)) & 255;
  }

  /**
   * Returns the new value of a leaf inside the range of the prefix being changed, and keeps the
   * parent links of the longer prefixes below it right.
   */
  private transform(leaf: number): number {
    if (this.mode === INSERT) {
      if (leaf === NO_ROUTE || (this.meta[leaf]! & 255) < this.opBits) return this.opId;
      this.adopt(leaf);
      return leaf;
    }
    if (leaf === this.opId) return this.opReplacement;
    if (leaf !== NO_ROUTE) this.release(leaf);
    return leaf;
  }

  /**
   * Makes the new prefix the parent of the outermost prefix in the chain of `leaf` that lies
   * inside it. Before the insert that prefix's parent was the new prefix's own parent.
   */
  private adopt(leaf: number): void {
    let id = leaf;
    for (;;) {
      const parent = this.parentOf(id);
      if (parent === this.opId) return;
      if (parent === NO_ROUTE || (this.meta[parent]! & 255) < this.opBits) {
        this.setParent(id, this.opId);
        return;
      }
      id = parent;
    }
  }

  /** Hands the children of the prefix being deleted in the chain of `leaf` to its parent. */
  private release(leaf: number): void {
    let id = leaf;
    for (;;) {
      const parent = this.parentOf(id);
      if (parent === this.opId) {
        this.setParent(id, this.opReplacement);
        return;
      }
      if (parent === NO_ROUTE || (this.meta[parent]! & 255) < this.opBits) return;
      id = parent;
    }
  }

  /**
   * Applies the operation to entry `entry`, whose range the prefix covers completely.
   *
   * The entries of a covered node change in place, run by run, without expanding its 256
   * slots: a /8 in a table with a direct level covers 256 first-level entries. Only when two
   * neighbouring runs become equal is the node compressed again, so that it folds when it can.
   */
  private cover(entry: number, depth: number): number {
    if (entry > -2) return this.transform(entry);
    const node = -2 - entry;
    const count = this.counts[node / NODE_WORDS]!;
    let isMergeable = false;
    for (let i = 0; i < count; i++) {
      const old = this.ents[this.nodes[node + 1]! + 1 + i]!;
      const value = old > -2 ? this.transform(old) : this.cover(old, depth + 1);
      // Read the base again: covering a child may compact `ents` and move this block.
      const k = this.nodes[node + 1]! + 1 + i;
      this.ents[k] = value;
      if (i > 0 && this.ents[k - 1] === value) isMergeable = true;
    }
    if (!isMergeable) return entry;
    this.expand(node, depth);
    return this.compress(node, depth);
  }

  /** Applies the operation to entry `entry`, whose range strictly contains the prefix. */
  private descend(entry: number, depth: number): number {
    const endBit = this.topBits + 8 * depth;
    const slot = this.slotOf(depth, this.keyOffset);
    if (entry > -2) {
      // Nothing to replace below a leaf: the prefix being deleted was never painted here.
      if (this.mode === REPLACE) return entry;
      // An insert below a leaf creates a node that starts as 256 copies of the leaf.
      const slots = this.scratch[depth]!;
      slots.fill(entry);
      if (this.opBits > endBit) {
        slots[slot] = this.descend(entry, depth + 1);
      } else {
        const end = slot + (1 << (endBit - this.opBits));
        for (let s = slot; s < end; s++) slots[s] = this.cover(slots[s]!, depth + 1);
      }
      return this.compress(-1, depth);
    }
    const node = -2 - entry;
    if (this.opBits > endBit) {
      const old = this.ents[this.entryIndex(node, slot)]!;
      const value = this.descend(old, depth + 1);
      if (value === old) return entry;
      return this.editRange(node, slot, slot + 1, value, true, depth);
    }
    if (this.opBits === endBit && this.changeSlot(node, slot)) return entry;
    const end = slot + (1 << (endBit - this.opBits));
    return this.editRange(node, slot, end, NO_ROUTE, false, depth);
  }

  /** Returns the index in `ents` of the entry that slot `slot` of `node` reads. */
  private entryIndex(node: number, slot: number): number {
    const pair = (slot >>> 4) & 14;
    return (
      this.nodes[node + pair + 1]! + popcount32(this.nodes[node + pair]! & ((2 << (slot & 31)) - 1))
    );
  }

  /** Returns the last slot at or before `slot` where a run of `node` starts. */
  private runStartAtOrBefore(node: number, slot: number): number {
    let w = slot >>> 5;
    let bitmap = this.nodes[node + 2 * w]! & ((2 << (slot & 31)) - 1);
    while (bitmap === 0) bitmap = this.nodes[node + 2 * --w]!;
    return 32 * w + 31 - Math.clz32(bitmap);
  }

  /** Returns the first slot at or after `slot` where a run of `node` starts, or 256. */
  private runStartAtOrAfter(node: number, slot: number): number {
    if (slot >= 256) return 256;
    let w = slot >>> 5;
    let bitmap = this.nodes[node + 2 * w]! & (-1 << (slot & 31));
    while (bitmap === 0) {
      if (++w === 8) return 256;
      bitmap = this.nodes[node + 2 * w]!;
    }
    return 32 * w + 31 - Math.clz32(bitmap & -bitmap);
  }

  /**
   * Applies the operation to slots [from, to) of `node`, or stores `fixed` there when
   * `isFixed`, by rewriting only the runs around the range instead of expanding all 256
   * slots. Returns the entry that now refers to the node, or the leaf it folded into.
   *
   * The rewritten window reaches one unchanged run past each end of the range, so that runs
   * which become equal to a neighbour merge and the run boundaries at the window's ends stay
   * valid.
   */
  private editRange(
    node: number,
    from: number,
    to: number,
    fixed: number,
    isFixed: boolean,
    depth: number,
  ): number {
    const first = this.runStartAtOrBefore(node, from);
    const windowStart = first > 0 ? this.runStartAtOrBefore(node, first - 1) : 0;
    const after = this.runStartAtOrAfter(node, to);
    const windowEnd = after < 256 ? this.runStartAtOrAfter(node, after + 1) : 256;
    const starts = this.pieceStarts[depth]!;
    const values = this.pieceValues[depth]!;
    let pieces = 0;
    let oldRuns = 0;
    for (let a = windowStart; a < windowEnd;) {
      const b = this.runStartAtOrAfter(node, a + 1);
      // Read the entry again for every run: covering a child may move this node's block.
      const old = this.ents[this.entryIndex(node, a)]!;
      oldRuns++;
      // Up to three pieces per run: before the range, inside it and after it. A piece equal to
      // the one before it extends that one.
      if (a < from) pieces = appendPiece(starts, values, pieces, a, old);
      const lo = Math.max(a, from);
      const hi = Math.min(b, to);
      if (lo < hi) {
        let value = fixed;
        if (!isFixed) value = old > -2 ? this.transform(old) : this.cover(old, depth + 1);
        pieces = appendPiece(starts, values, pieces, lo, value);
      }
      if (b > to) pieces = appendPiece(starts, values, pieces, Math.max(a, to), old);
      a = b;
    }
    if (pieces === 1 && values[0]! > -2 && windowStart === 0 && windowEnd === 256) {
      this.freeNode(node);
      return values[0]!;
    }
    this.replaceRuns(node, windowStart, windowEnd, oldRuns, starts, values, pieces);
    return -2 - node;
  }

  /**
   * Replaces the `oldRuns` runs of `node` in slots [windowStart, windowEnd) by `pieces` runs
   * starting at `starts` with entries `values`, moving the node's block when it grows.
   */
  private replaceRuns(
    node: number,
    windowStart: number,
    windowEnd: number,
    oldRuns: number,
    starts: Int32Array,
    values: Int32Array,
    pieces: number,
  ): void {
    const record = node / NODE_WORDS;
    const count = this.counts[record]!;
    const delta = pieces - oldRuns;
    const offset = this.entryIndex(node, windowStart) - this.nodes[node + 1]! - 1;
    let base = this.nodes[node + 1]! + 1;
    // Read the capacity only when the block grows, since a block that keeps or loses runs always
    // fits.
    const capacity = delta > 0 ? this.capacities[record]! : count;
    if (count + delta > capacity) {
      // Reserve room for a few more runs, so that the next splits in this node stay in place
      // instead of moving the block and leaving garbage each time.
      const reserved = count + delta + 2 + (count >>> 3);
      const moved = this.allocBlock(reserved);
      // Allocating may compact `ents` and move the old block, so read its base again.
      base = this.nodes[node + 1]! + 1;
      this.ents.copyWithin(moved, base, base + offset);
      this.ents.copyWithin(moved + offset + pieces, base + offset + oldRuns, base + count);
      this.entGarbage += capacity;
      this.capacities[record] = reserved;
      base = moved;
    } else if (delta !== 0) {
      this.ents.copyWithin(base + offset + pieces, base + offset + oldRuns, base + count);
    }
    const ents = this.ents;
    for (let p = 0; p < pieces; p++) ents[base + offset + p] = values[p]!;
    this.counts[record] = count + delta;
    const nodes = this.nodes;
    // Clear the run starts a bitmap word at a time, because a window may span all 256 slots.
    for (let w = windowStart >>> 5; w <= (windowEnd - 1) >>> 5; w++) {
      const low = Math.max(windowStart - 32 * w, 0);
      const high = Math.min(windowEnd - 32 * w, 32);
      const mask = (high === 32 ? -1 : (1 << high) - 1) & (-1 << low);
      nodes[node + 2 * w]! &= ~mask;
    }
    for (let p = 0; p < pieces; p++) {
      const s = starts[p]!;
      nodes[node + ((s >>> 4) & 14)]! |= 1 << (s & 31);
    }
    let k = base - 1;
    for (let w = 0; w < 8; w++) {
      nodes[node + 2 * w + 1] = k;
      k += popcount32(nodes[node + 2 * w]!);
    }
  }

  /**
   * Applies the operation to leaf slot `slot` of `node` without expanding the node, and reports
   * whether that was possible: when the slot is a run of its own and its new value equals
   * neither neighbouring run. Most /24 and /32 updates take this path.
   */
  private changeSlot(node: number, slot: number): boolean {
    const { nodes, ents } = this;
    const pair = (slot >>> 4) & 14;
    const bitmap = nodes[node + pair]!;
    const bit = slot & 31;
    const k = nodes[node + pair + 1]! + popcount32(bitmap & ((2 << bit) - 1));
    const old = ents[k]!;
    if (old <= -2) return false;
    // `transform` may change parent links, but the slow path that runs when this returns false
    // calls it again on the same leaf and sets them the same way.
    const value = this.transform(old);
    if (value === old) return true;
    if (((bitmap >>> bit) & 1) === 0) return false;
    if (slot < 255) {
      const next = slot + 1;
      if (((nodes[node + ((next >>> 4) & 14)]! >>> (next & 31)) & 1) === 0) return false;
    }
    const first = nodes[node + 1]! + 1;
    const last = first + this.counts[node / NODE_WORDS]! - 1;
    if (k > first && ents[k - 1] === value) return false;
    if (k < last && ents[k + 1] === value) return false;
    ents[k] = value;
    return true;
  }

  private buildNode(
    inherited: number,
    depth: number,
    bits: Uint8Array,
    from: number,
    to: number,
  ): number {
    const slots = this.scratch[depth]!;
    slots.fill(inherited);
    const endBit = this.topBits + 8 * depth;
    let i = from;
    while (i < to) {
      const slot = this.slotOf(depth, i * this.words);
      if (bits[i]! <= endBit) {
        slots.fill(i, slot, slot + (1 << (endBit - bits[i]!)));
        i++;
        continue;
      }
      let j = i;
      while (j < to && bits[j]! > endBit && this.slotOf(depth, j * this.words) === slot) j++;
      slots[slot] = this.buildNode(slots[slot]!, depth + 1, bits, i, j);
      i = j;
    }
    return this.compress(-1, depth);
  }

  /** Writes the 256 slots of `node` into the scratch array of `depth` and returns that array. */
  private expand(node: number, depth: number): Int32Array {
    const slots = this.scratch[depth]!;
    const { nodes, ents } = this;
    for (let w = 0; w < 8; w++) {
      const bitmap = nodes[node + 2 * w]!;
      let k = nodes[node + 2 * w + 1]!;
      for (let b = 0; b < 32; b++) {
        k += (bitmap >>> b) & 1;
        slots[w * 32 + b] = ents[k]!;
      }
    }
    return slots;
  }

  /**
   * Stores the scratch array of `depth` into `node` (-1 for a new node) and returns the entry
   * that refers to it, or the leaf itself when all 256 slots hold the same leaf.
   */
  private compress(node: number, depth: number): number {
    const slots = this.scratch[depth]!;
    let runs = 1;
    for (let s = 1; s < 256; s++) if (slots[s] !== slots[s - 1]) runs++;
    if (runs === 1 && slots[0]! > -2) {
      if (node >= 0) this.freeNode(node);
      return slots[0]!;
    }
    if (node < 0) node = this.allocNode();
    this.writeNode(node, slots, runs);
    return -2 - node;
  }

  /** Stores `slots` into the record `node`, moving its entry block if the run count changed. */
  private writeNode(node: number, slots: Int32Array, runs: number): void {
    const record = node / NODE_WORDS;
    if (this.capacities[record]! < runs) {
      this.freeBlock(node);
      const base = this.allocBlock(runs);
      this.capacities[record] = runs;
      this.nodes[node + 1] = base - 1;
    }
    this.counts[record] = runs;
    const { nodes, ents } = this;
    let k = nodes[node + 1]! + 1;
    for (let w = 0; w < 8; w++) {
      nodes[node + 2 * w + 1] = k - 1;
      let bitmap = 0;
      for (let b = 0; b < 32; b++) {
        const s = w * 32 + b;
        if (s === 0 || slots[s] !== slots[s - 1]) {
          bitmap |= 1 << b;
          ents[k++] = slots[s]!;
        }
      }
      nodes[node + 2 * w] = bitmap;
    }
  }

  private allocNode(): number {
    const reused = this.freeNodes.pop();
    if (reused !== undefined) return reused;
    if (this.nodeTop + NODE_WORDS > this.nodes.length) {
      const length = Math.max(this.nodes.length * 2, 4 * NODE_WORDS);
      if (this.arenaOf !== null) {
        this.arenaOf.resize(length, this.ents.length);
        this.readArena();
      } else {
        const grown = new Int32Array(length);
        grown.set(this.nodes);
        this.nodes = grown;
      }
      const counts = new Uint16Array(length / NODE_WORDS);
      counts.set(this.counts);
      this.counts = counts;
      const capacities = new Uint16Array(length / NODE_WORDS);
      capacities.set(this.capacities);
      this.capacities = capacities;
    }
    const node = this.nodeTop;
    this.nodeTop += NODE_WORDS;
    return node;
  }

  private freeNode(node: number): void {
    this.freeBlock(node);
    this.freeNodes.push(node);
  }

  /** Marks the block of `node` as garbage. A count of zero also marks the record unused. */
  private freeBlock(node: number): void {
    const record = node / NODE_WORDS;
    this.entGarbage += this.capacities[record]!;
    this.counts[record] = 0;
    this.capacities[record] = 0;
  }

  private allocBlock(count: number): number {
    if (this.entTop + count > this.ents.length) {
      if (this.entGarbage * 2 > this.entTop) this.compact();
      if (this.entTop + count > this.ents.length) {
        const length = Math.max(Math.ceil(this.ents.length * 1.5), this.entTop + count, 64);
        if (this.arenaOf !== null) {
          this.arenaOf.resize(this.nodes.length, length);
          this.readArena();
        } else {
          const grown = new Int32Array(length);
          grown.set(this.ents.subarray(0, this.entTop));
          this.ents = grown;
        }
      }
    }
    const base = this.entTop;
    this.entTop += count;
    return base;
  }

  /**
   * Moves the blocks of every node in use to the front of `ents`, dropping freed blocks. Each
   * block keeps its reserved capacity.
   */
  private compact(): void {
    const { nodes, counts, capacities } = this;
    const old = this.ents;
    const ents = new Int32Array(old.length);
    let top = 0;
    for (let node = 0; node < this.nodeTop; node += NODE_WORDS) {
      const count = counts[node / NODE_WORDS]!;
      if (count === 0) continue;
      const base = nodes[node + 1]! + 1;
      ents.set(old.subarray(base, base + count), top);
      for (let w = 0; w < 8; w++) nodes[node + 2 * w + 1] = nodes[node + 2 * w + 1]! + top - base;
      top += capacities[node / NODE_WORDS]!;
    }
    if (this.arenaOf !== null) old.set(ents);
    else this.ents = ents;
    this.entTop = top;
    this.entGarbage = 0;
  }

  /** Points `top`, `nodes` and `ents` at the arena's current views after it was made or resized. */
  private readArena(): void {
    const arena = this.arenaOf!;
    this.top = arena.top;
    this.nodes = arena.nodes;
    this.ents = arena.ents;
  }
}

/**
 * Returns the number of set bits in the low 32 bits of `x`. JavaScript has no popcount operator,
 * so this counts bits in parallel inside the word (pairs, nibbles, then bytes summed by one
 * multiply). The lookup loops of trie4.ts and trie6.ts write the same lines out.
 *
 * NOTE: this was imported from bits.ts until A/B runs in one process (RouteViews, load average
 * 2.5 on 2 cores) measured repeated update passes 15-25% faster with this module-local copy.
 * Why is not pinned down: under tsx the import is read through a getter on every call.
 */
function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Appends a run piece unless it continues the last one, and returns the new piece count. */
function appendPiece(
  starts: Int32Array,
  values: Int32Array,
  pieces: number,
  start: number,
  value: number,
): number {
  if (pieces > 0 && values[pieces - 1] === value) return pieces;
  starts[pieces] = start;
  values[pieces] = value;
  return pieces + 1;
}

function tooManyPrefixes(): RangeError {
  return new RangeError(`too many prefixes: a table stores at most ${MAX_PREFIXES}`);
}

/** Reports whether sorted prefix `outer` contains prefix `inner`, both given by index. */
function contains(
  keys: Uint32Array,
  outer: number,
  bits: Uint8Array,
  inner: number,
  words: number,
): boolean {
  const length = bits[outer]!;
  if (bits[inner]! < length) return false;
  for (let k = 0; k < words && 32 * k < length; k++) {
    const mask = netmaskWord(length, k);
    if (((keys[inner * words + k]! ^ keys[outer * words + k]!) & mask) !== 0) return false;
  }
  return true;
}

/** Reports whether every bit of `path` from bit `bits` on is zero. */
function isAligned(path: Uint32Array, bits: number): boolean {
  for (let k = 0; k < path.length; k++) {
    if ((path[k]! & ~netmaskWord(bits, k)) !== 0) return false;
  }
  return true;
}

/** Writes `value` into the byte of `path` that ends at bit `end` and zeroes every later bit. */
function setByte(path: Uint32Array, end: number, value: number): void {
  const word = (end - 8) >>> 5;
  const shift = -end & 31;
  path[word] = ((path[word]! & netmaskWord(end - 8 - 32 * word, 0)) | (value << shift)) >>> 0;
  for (let k = word + 1; k < path.length; k++) path[k] = 0;
}
