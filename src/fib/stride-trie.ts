/**
 * The lookup half of a FIB: a multibit trie of stride-8 nodes compressed with popcount, in the
 * style of Poptrie but with 256-bit node bitmaps. Its source of truth is `PrefixHash`, and its
 * answers must equal a linear scan for the longest prefix (see `test/reference/`).
 *
 * Every entry holds either a prefix id (-1 when no prefix matches, so the entry is the lookup
 * result) or a node reference `-2 - offset`, where offset is the node's first word in `nodes`.
 * Ids are leaf-pushed: each slot stores the id of the longest stored prefix that covers it.
 *
 * A node record is 16 int32 words, a pair per 32-slot bitmap word: the bitmap, whose set bits
 * mark the slots where a new run of equal entries starts, and `base`, the entry index just
 * before the word's first run. Slot `s` reads entry `base + popcount(bits up to s)`, so one
 * record read and one entry read resolve 8 bits. Runs make a /24 that splits a /16 cost two or
 * three entries instead of 256. With `topBits` 16 the first 65,536 records sit at offsets
 * computed from the top 16 address bits, and a /24 or shorter match needs no pointer chase.
 *
 * Updates are in place and touch only the nodes under the changed prefix. A node that the
 * prefix splits is expanded into a 256-entry scratch array, changed and compressed again, and a
 * node that ends up as a single leaf run folds back into its parent. Which leaf a change may
 * overwrite comes from `idBits`, the prefix length of every id: a leaf whose prefix is not
 * longer than the new one is covered by it, the same rule DIR-24-8 tables use.
 */

import { popcount32 } from "./bits.js";

/** Entry value for an address that no stored prefix covers. */
export const NO_ROUTE = -1;
/** Number of int32 words in one node record. */
export const NODE_WORDS = 16;

/**
 * Expanded slots of the node being changed at each depth, shared by all tries: an update runs
 * to completion before any other starts, and per-trie copies would cost a small table 4 KiB
 * (IPv4) or 15 KiB (IPv6).
 */
const SCRATCH: Int32Array[] = [];

const INSERT = 0;
const REPLACE = 1;

/** A multibit trie of popcount-compressed stride-8 nodes, mapping addresses to prefix ids. */
export class StrideTrie {
  /**
   * Node records: for each of the 8 bitmap words, the word and then `base`, the index in
   * `ents` just before the first entry that the word's slots read. The first `1 << topBits`
   * records are the fixed first level, one per value of the top `topBits` address bits.
   */
  nodes: Int32Array;
  /** Entries of all nodes, one block per node. */
  ents: Int32Array;
  /** Prefix length of every id in use, indexed by id. */
  idBits = new Uint8Array(64);

  /** Entry count of every node record, indexed by record offset / `NODE_WORDS`, 0 if unused. */
  private counts: Int32Array;
  private nodeTop: number;
  private readonly freeNodes: number[] = [];
  private entTop = 0;
  private entGarbage = 0;
  private readonly scratch = SCRATCH;
  private readonly words: number;
  private readonly fixedCount: number;
  // The operation in progress, kept in fields so that the recursion passes only the entry
  // and the depth.
  private key: Uint32Array = new Uint32Array(4);
  private keyOffset = 0;
  private mode = INSERT;
  private opBits = 0;
  private opId = 0;
  private opReplacement = NO_ROUTE;

  /**
   * Creates an empty trie over addresses of `keyBits` bits (32 or 128). With `topBits` 16 the
   * first level is indexed directly by the top 16 bits, and with 0 it is one root node.
   */
  constructor(
    readonly keyBits: 32 | 128,
    readonly topBits: 0 | 16,
  ) {
    this.words = keyBits / 32;
    this.fixedCount = 1 << topBits;
    this.nodeTop = this.fixedCount * NODE_WORDS;
    this.nodes = new Int32Array(Math.max(this.nodeTop, 4 * NODE_WORDS));
    this.counts = new Int32Array(this.nodes.length / NODE_WORDS);
    this.ents = new Int32Array(Math.max(64, this.fixedCount * 2));
    while (SCRATCH.length <= (keyBits - topBits) / 8) SCRATCH.push(new Int32Array(256));
    for (let r = 0; r < this.fixedCount; r++) this.writeUniform(r, NO_ROUTE);
  }

  /** Stores `leaf` in every slot of fixed record `r`, whose entry block is entry `r`. */
  private writeUniform(r: number, leaf: number): void {
    // Writing the words directly instead of compressing 256 slots keeps creating a direct
    // level to a few milliseconds.
    const node = r * NODE_WORDS;
    this.nodes[node] = 1;
    this.nodes[node + 1] = r - 1;
    for (let w = 1; w < 8; w++) {
      this.nodes[node + 2 * w] = 0;
      this.nodes[node + 2 * w + 1] = r;
    }
    this.counts[r] = 1;
    this.ents[r] = leaf;
    this.entTop = Math.max(this.entTop, r + 1);
  }

  /** Inserts prefix `id` of length `bits`: its range now resolves to it unless a longer one covers. */
  insert(key: Uint32Array, bits: number, id: number): void {
    this.setIdBits(id, bits);
    this.begin(key, 0, INSERT, bits, id, NO_ROUTE);
  }

  /** Replaces prefix `id` of length `bits` by `replacement` (-1 for none) across its range. */
  replace(key: Uint32Array, bits: number, id: number, replacement: number): void {
    this.begin(key, 0, REPLACE, bits, id, replacement);
  }

  /**
   * Fills the new, empty trie with `count` routes sorted by address, shorter prefix first on a tie.
   *
   * Route `i` has key words `keys[i * words ...]`, length `bits[i]` and id `ids[i]`. Sorted
   * order lets each node paint its slots in one pass: a prefix that covers another always comes
   * first, so a later paint never overwrites a longer prefix.
   */
  build(keys: Uint32Array, bits: Uint8Array, ids: Int32Array, count: number): void {
    const { topBits, words } = this;
    const inherited = new Int32Array(this.fixedCount).fill(NO_ROUTE);
    this.key = keys;
    for (let i = 0; i < count; i++) this.setIdBits(ids[i]!, bits[i]!);
    let i = 0;
    while (i < count) {
      const length = bits[i]!;
      const fixed = this.fixedOf(i * words);
      if (length <= topBits) {
        inherited.fill(ids[i]!, fixed, fixed + 2 ** (topBits - length));
        i++;
        continue;
      }
      let j = i;
      while (j < count && bits[j]! > topBits && this.fixedOf(j * words) === fixed) j++;
      this.buildNode(inherited[fixed]!, 1, bits, ids, i, j, fixed * NODE_WORDS);
      inherited[fixed] = -2;
      i = j;
    }
    // A fresh trie still has every fixed record as one block of one entry at index r.
    for (let r = 0; r < this.fixedCount; r++) {
      if (inherited[r] !== -2) this.ents[this.nodes[r * NODE_WORDS + 1]! + 1] = inherited[r]!;
    }
    // Growth by half can leave a third of `ents` unused, so a build trims it to its final size.
    if (this.ents.length > this.entTop * 1.25) {
      this.ents = this.ents.slice(0, Math.ceil(this.entTop * 1.125));
    }
  }

  /** Returns the bytes held by the trie's own typed arrays, as allocated rather than as used. */
  get byteLength(): number {
    const { nodes, ents, idBits, counts } = this;
    return nodes.byteLength + ents.byteLength + idBits.byteLength + counts.byteLength;
  }

  private setIdBits(id: number, bits: number): void {
    if (id >= this.idBits.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.idBits.length * 2));
      grown.set(this.idBits);
      this.idBits = grown;
    }
    this.idBits[id] = bits;
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
    const fixed = this.fixedOf(offset);
    if (bits > this.topBits) {
      this.descend(-2 - fixed * NODE_WORDS, 1);
      return;
    }
    const end = fixed + 2 ** (this.topBits - bits);
    for (let r = fixed; r < end; r++) this.cover(-2 - r * NODE_WORDS, 1);
  }

  /** Returns the fixed first-level record that the key at `offset` falls in. */
  private fixedOf(offset: number): number {
    return this.topBits === 0 ? 0 : this.key[offset]! >>> (32 - this.topBits);
  }

  /** Returns the byte of the current key that selects a slot in a node at `depth`. */
  private slotOf(depth: number, offset: number): number {
    const end = this.topBits + 8 * depth;
    return (this.key[offset + ((end - 8) >>> 5)]! >>> (-end & 31)) & 255;
  }

  private transform(leaf: number): number {
    if (this.mode === INSERT) {
      return leaf === NO_ROUTE || this.idBits[leaf]! <= this.opBits ? this.opId : leaf;
    }
    return leaf === this.opId ? this.opReplacement : leaf;
  }

  /**
   * Applies the operation to entry `entry`, whose range the prefix covers completely.
   *
   * The entries of a covered node change in place, run by run, without expanding its 256
   * slots: a /8 in a table with a direct level covers 256 records. Only when two neighbouring
   * runs become equal is the node compressed again, so that it folds when it can.
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
    const slots = this.scratch[depth]!;
    let node = -1;
    if (entry > -2) {
      // Nothing to replace below a leaf: the prefix being deleted was never painted here.
      if (this.mode === REPLACE) return entry;
      slots.fill(entry);
    } else {
      node = -2 - entry;
    }
    const endBit = this.topBits + 8 * depth;
    const slot = this.slotOf(depth, this.keyOffset);
    if (node >= 0 && this.opBits === endBit && this.changeSlot(node, slot)) return entry;
    if (node >= 0) this.expand(node, depth);
    if (this.opBits > endBit) {
      slots[slot] = this.descend(slots[slot]!, depth + 1);
    } else {
      const end = slot + (1 << (endBit - this.opBits));
      for (let s = slot; s < end; s++) slots[s] = this.cover(slots[s]!, depth + 1);
    }
    return this.compress(node, depth);
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
    ids: Int32Array,
    from: number,
    to: number,
    target = -1,
  ): number {
    const slots = this.scratch[depth]!;
    slots.fill(inherited);
    const endBit = this.topBits + 8 * depth;
    let i = from;
    while (i < to) {
      const slot = this.slotOf(depth, i * this.words);
      if (bits[i]! <= endBit) {
        slots.fill(ids[i]!, slot, slot + (1 << (endBit - bits[i]!)));
        i++;
        continue;
      }
      let j = i;
      while (j < to && bits[j]! > endBit && this.slotOf(depth, j * this.words) === slot) j++;
      slots[slot] = this.buildNode(slots[slot]!, depth + 1, bits, ids, i, j);
      i = j;
    }
    return this.compress(target, depth);
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
    const isFixed = depth === 1 && node >= 0;
    if (runs === 1 && slots[0]! > -2 && !isFixed) {
      if (node >= 0) this.freeNode(node);
      return slots[0]!;
    }
    if (node < 0) node = this.allocNode();
    this.writeNode(node, slots, runs);
    return -2 - node;
  }

  /** Stores `slots` into the record `node`, moving its entry block if the run count changed. */
  private writeNode(node: number, slots: Int32Array, runs = countRuns(slots)): void {
    const record = node / NODE_WORDS;
    if (this.counts[record] !== runs) {
      this.freeBlock(node);
      const base = this.allocBlock(runs);
      this.counts[record] = runs;
      this.nodes[node + 1] = base - 1;
    }
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
      // Double only the part past the fixed records: doubling a 4 MiB direct level for the
      // first few dynamic nodes would waste most of it.
      const dynamic = this.nodes.length - this.fixedCount * NODE_WORDS;
      const grown = new Int32Array(this.nodes.length + Math.max(dynamic, 64 * NODE_WORDS));
      grown.set(this.nodes);
      this.nodes = grown;
      const counts = new Int32Array(grown.length / NODE_WORDS);
      counts.set(this.counts);
      this.counts = counts;
    }
    const node = this.nodeTop;
    this.nodeTop += NODE_WORDS;
    return node;
  }

  private freeNode(node: number): void {
    this.freeBlock(node);
    this.freeNodes.push(node);
  }

  /** Marks the entries of `node` as garbage. A count of zero also marks the record unused. */
  private freeBlock(node: number): void {
    const record = node / NODE_WORDS;
    this.entGarbage += this.counts[record]!;
    this.counts[record] = 0;
  }

  private allocBlock(count: number): number {
    if (this.entTop + count > this.ents.length) {
      if (this.entGarbage * 2 > this.entTop) this.compact();
      if (this.entTop + count > this.ents.length) {
        const grown = new Int32Array(
          Math.max(Math.ceil(this.ents.length * 1.5), this.entTop + count),
        );
        grown.set(this.ents.subarray(0, this.entTop));
        this.ents = grown;
      }
    }
    const base = this.entTop;
    this.entTop += count;
    return base;
  }

  /** Moves the entries of every node in use to the front of `ents`, dropping freed blocks. */
  private compact(): void {
    const { nodes, counts } = this;
    const old = this.ents;
    const ents = new Int32Array(old.length);
    let top = 0;
    for (let node = 0; node < this.nodeTop; node += NODE_WORDS) {
      const count = counts[node / NODE_WORDS]!;
      if (count === 0) continue;
      const base = nodes[node + 1]! + 1;
      ents.set(old.subarray(base, base + count), top);
      for (let w = 0; w < 8; w++) nodes[node + 2 * w + 1] = nodes[node + 2 * w + 1]! + top - base;
      top += count;
    }
    this.ents = ents;
    this.entTop = top;
    this.entGarbage = 0;
  }
}

/** Returns the number of runs of equal entries in 256 slots. */
function countRuns(slots: Int32Array): number {
  let runs = 1;
  for (let s = 1; s < 256; s++) if (slots[s] !== slots[s - 1]) runs++;
  return runs;
}
