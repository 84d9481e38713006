/**
 * The lookup half of a large FIB: a direct-indexed first level over the top 16 address bits,
 * then multibit nodes of stride 8 compressed with popcount, as in Poptrie (Asai and Ohara,
 * "Poptrie: A Compressed Trie with Population Count for Fast and Scalable Software IP Routing
 * Table Lookup", SIGCOMM 2015), with 256-bit instead of 64-bit node bitmaps.
 *
 * Every entry holds either a prefix id (-1 when no prefix matches, so the value is the lookup
 * result) or a node reference `-2 - offset`, where offset is the node's first word in `nodes`.
 * Ids are leaf-pushed: each slot stores the id of the longest stored prefix that covers it.
 *
 * A node record is 12 int32 words: a 256-bit bitmap whose set bits mark the slots where a new run
 * of equal entries starts, the number of set bits before each bitmap word packed into two words
 * (8 bits per word, at most 224), the offset of the node's entries in `ents`, and their count.
 * Slot `s` reads entry `base + rank(s) - 1`, where rank counts set bits up to and including `s`.
 * Runs make a /24 that splits a /16 cost two or three entries instead of 256.
 *
 * Updates are in place and touch only the nodes under the changed prefix: each touched node is
 * expanded into a 256-entry scratch array, changed and compressed again, and a node that ends
 * up as a single leaf run folds back into its parent. Which leaf a change may overwrite comes
 * from `idBits`, the prefix length of every id, exactly like the DIR-24-8 update rule (Gupta,
 * Lin and McKeown, "Routing Lookups in Hardware at Memory Access Speeds", INFOCOM 1998).
 */

/** Number of address bits resolved by the direct-indexed first level. */
export const DIR_BITS = 16;
/** Entry value for an address that no stored prefix covers. */
export const NO_ROUTE = -1;
/** Number of int32 words in one node record. */
export const NODE_WORDS = 12;
/** Word of a node record holding the packed set-bit counts of bitmap words 0 to 3. */
export const NODE_RANK = 8;
/** Word of a node record holding the offset of the node's first entry in `ents`. */
export const NODE_BASE = 10;
const NODE_COUNT = 11;

const INSERT = 0;
const REPLACE = 1;

/** A DIR-16 table with Poptrie-style nodes below it, mapping addresses to prefix ids. */
export class StrideTrie {
  /** First level: one entry per value of the top 16 address bits. */
  readonly dir = new Int32Array(1 << DIR_BITS).fill(NO_ROUTE);
  /** Node records, `NODE_WORDS` words each. */
  nodes = new Int32Array(NODE_WORDS * 64);
  /** Entries of all nodes, one block per node. */
  ents = new Int32Array(1024);
  /** Prefix length of every id in use, indexed by id. */
  idBits = new Uint8Array(1024);

  private nodeTop = 0;
  private readonly freeNodes: number[] = [];
  private entTop = 0;
  private entGarbage = 0;
  private readonly scratch: Int32Array[] = [];
  private readonly words: number;
  // The operation in progress, kept in fields so that the recursion passes only the entry
  // and the depth.
  private key: Uint32Array = new Uint32Array(4);
  private keyOffset = 0;
  private mode = INSERT;
  private opBits = 0;
  private opId = 0;
  private opReplacement = NO_ROUTE;

  /** Creates an empty trie over addresses of `keyBits` bits (32 or 128). */
  constructor(readonly keyBits: 32 | 128) {
    this.words = keyBits / 32;
    for (let depth = 0; depth <= (keyBits - DIR_BITS) / 8; depth++) {
      this.scratch.push(new Int32Array(256));
    }
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
   * Rebuilds the whole trie from `count` routes sorted by address, shorter prefix first on a tie.
   *
   * Route `i` has key words `keys[i * words ...]`, length `bits[i]` and id `ids[i]`. Sorted
   * order lets each node paint its slots in one pass: a prefix that covers another always comes
   * first, so a later paint never overwrites a longer prefix.
   */
  build(keys: Uint32Array, bits: Uint8Array, ids: Int32Array, count: number): void {
    this.dir.fill(NO_ROUTE);
    this.nodeTop = 0;
    this.freeNodes.length = 0;
    this.entTop = 0;
    this.entGarbage = 0;
    this.key = keys;
    for (let i = 0; i < count; i++) this.setIdBits(ids[i]!, bits[i]!);
    let i = 0;
    while (i < count) {
      const length = bits[i]!;
      const top = keys[i * this.words]! >>> DIR_BITS;
      if (length <= DIR_BITS) {
        this.dir.fill(ids[i]!, top, top + (1 << (DIR_BITS - length)));
        i++;
        continue;
      }
      let j = i;
      while (j < count && bits[j]! > DIR_BITS && keys[j * this.words]! >>> DIR_BITS === top) j++;
      this.dir[top] = this.buildNode(this.dir[top]!, 1, bits, ids, i, j);
      i = j;
    }
  }

  /** Returns the bytes held by the trie's typed arrays (allocated length, not only the used part). */
  get byteLength(): number {
    const scratchBytes = this.scratch.length * 256 * 4;
    return (
      this.dir.byteLength +
      this.nodes.byteLength +
      this.ents.byteLength +
      this.idBits.byteLength +
      scratchBytes
    );
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
    const dir = this.dir;
    const top = key[offset]! >>> DIR_BITS;
    if (bits > DIR_BITS) {
      dir[top] = this.descend(dir[top]!, 1);
      return;
    }
    const end = top + (1 << (DIR_BITS - bits));
    for (let c = top; c < end; c++) dir[c] = this.cover(dir[c]!, 1);
  }

  /** Returns the byte of the current key that selects a slot in a node at `depth`. */
  private slotOf(depth: number, offset: number): number {
    const bit = 8 + 8 * depth;
    return (this.key[offset + (bit >>> 5)]! >>> (24 - (bit & 31))) & 255;
  }

  private transform(leaf: number): number {
    if (this.mode === INSERT) {
      return leaf === NO_ROUTE || this.idBits[leaf]! <= this.opBits ? this.opId : leaf;
    }
    return leaf === this.opId ? this.opReplacement : leaf;
  }

  /** Applies the operation to entry `entry`, whose range the prefix covers completely. */
  private cover(entry: number, depth: number): number {
    if (entry > -2) return this.transform(entry);
    const node = -2 - entry;
    const slots = this.expand(node, depth);
    for (let s = 0; s < 256; s++) slots[s] = this.cover(slots[s]!, depth + 1);
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
      this.expand(node, depth);
    }
    const endBit = DIR_BITS + 8 * depth;
    const slot = this.slotOf(depth, this.keyOffset);
    if (this.opBits > endBit) {
      slots[slot] = this.descend(slots[slot]!, depth + 1);
    } else {
      const end = slot + (1 << (endBit - this.opBits));
      for (let s = slot; s < end; s++) slots[s] = this.cover(slots[s]!, depth + 1);
    }
    return this.compress(node, depth);
  }

  private buildNode(
    inherited: number,
    depth: number,
    bits: Uint8Array,
    ids: Int32Array,
    from: number,
    to: number,
  ): number {
    const slots = this.scratch[depth]!;
    slots.fill(inherited);
    const endBit = DIR_BITS + 8 * depth;
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
    return this.compress(-1, depth);
  }

  /** Writes the 256 slots of `node` into the scratch array of `depth` and returns that array. */
  private expand(node: number, depth: number): Int32Array {
    const slots = this.scratch[depth]!;
    const { nodes, ents } = this;
    let k = nodes[node + NODE_BASE]! - 1;
    for (let w = 0; w < 8; w++) {
      const bitmap = nodes[node + w]!;
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
    if (this.nodes[node + NODE_COUNT] !== runs) {
      this.freeBlock(node);
      const base = this.allocBlock(runs);
      this.nodes[node + NODE_BASE] = base;
      this.nodes[node + NODE_COUNT] = runs;
    }
    this.writeRuns(node, slots);
    return -2 - node;
  }

  private writeRuns(node: number, slots: Int32Array): void {
    const { nodes, ents } = this;
    let k = nodes[node + NODE_BASE]!;
    let rank = 0;
    let rankLow = 0;
    let rankHigh = 0;
    for (let w = 0; w < 8; w++) {
      if (w < 4) rankLow |= rank << (8 * w);
      else rankHigh |= rank << (8 * (w - 4));
      let bitmap = 0;
      for (let b = 0; b < 32; b++) {
        const s = w * 32 + b;
        if (s === 0 || slots[s] !== slots[s - 1]) {
          bitmap |= 1 << b;
          ents[k++] = slots[s]!;
          rank++;
        }
      }
      nodes[node + w] = bitmap;
    }
    nodes[node + NODE_RANK] = rankLow;
    nodes[node + NODE_RANK + 1] = rankHigh;
  }

  private allocNode(): number {
    const reused = this.freeNodes.pop();
    if (reused !== undefined) return reused;
    if (this.nodeTop + NODE_WORDS > this.nodes.length) {
      const grown = new Int32Array(this.nodes.length * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    const node = this.nodeTop;
    this.nodeTop += NODE_WORDS;
    this.nodes[node + NODE_COUNT] = 0;
    return node;
  }

  private freeNode(node: number): void {
    this.freeBlock(node);
    this.freeNodes.push(node);
  }

  /** Marks the entries of `node` as garbage; a count of zero also marks the record unused. */
  private freeBlock(node: number): void {
    this.entGarbage += this.nodes[node + NODE_COUNT]!;
    this.nodes[node + NODE_COUNT] = 0;
  }

  private allocBlock(count: number): number {
    if (this.entTop + count > this.ents.length) {
      if (this.entGarbage * 2 > this.entTop) this.compact();
      if (this.entTop + count > this.ents.length) {
        const grown = new Int32Array(Math.max(this.ents.length * 2, this.entTop + count));
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
    const { nodes } = this;
    const old = this.ents;
    const ents = new Int32Array(old.length);
    let top = 0;
    for (let node = 0; node < this.nodeTop; node += NODE_WORDS) {
      const count = nodes[node + NODE_COUNT]!;
      if (count === 0) continue;
      const base = nodes[node + NODE_BASE]!;
      ents.set(old.subarray(base, base + count), top);
      nodes[node + NODE_BASE] = top;
      top += count;
    }
    this.ents = ents;
    this.entTop = top;
    this.entGarbage = 0;
  }
}
