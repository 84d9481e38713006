/**
 * The exact-match half of a FIB: an open-addressing hash table from a prefix to an integer id.
 *
 * The source of truth for which prefixes are stored: the lookup trie only caches, per address
 * range, the id of the longest stored prefix, and every exact question (`get`, `delete`, the
 * shorter prefix that takes over after a delete) is asked here. Linear probing with
 * backward-shift deletion (Knuth, TAOCP vol. 3, 6.4, Algorithm R) keeps the table free of
 * tombstones, so a table that sees many inserts and deletes does not slow down.
 *
 * Every slot is `words + 2` int32 values in one `Int32Array`: the key words, the prefix length
 * (-1 for an empty slot) and the id. One array keeps a table of a few routes to a few hundred
 * bytes, where three arrays would each carry their own object headers.
 */

const EMPTY = -1;
const MIN_CAPACITY = 8;

/** Returns a 32-bit hash of a prefix given as up to four key words and a length. */
function hashPrefix(w0: number, w1: number, w2: number, w3: number, bits: number): number {
  let h = Math.imul(w0 ^ Math.imul(bits + 1, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ w1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ w2, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ w3, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A hash table from prefixes (one key word for IPv4, four for IPv6) to non-negative ids. */
export class PrefixHash {
  /** Number of stored prefixes. */
  size = 0;
  private readonly stride: number;
  private table: Int32Array;
  private mask: number;

  /** Creates an empty table whose keys are `words` 32-bit words long (1 or 4). */
  constructor(readonly words: 1 | 4) {
    this.stride = words + 2;
    this.mask = MIN_CAPACITY - 1;
    this.table = new Int32Array(MIN_CAPACITY * this.stride).fill(EMPTY);
  }

  /** Number of slots; slot numbers passed to the `*At` accessors run below it. */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Returns the id stored under the prefix, or -1 when it is absent. */
  find(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    const slot = this.slotOf(w0, w1, w2, w3, bits);
    return slot < 0 ? -1 : this.table[slot * this.stride + this.words + 1]!;
  }

  /** Stores `id` under the prefix, replacing any id already there. */
  set(w0: number, w1: number, w2: number, w3: number, bits: number, id: number): void {
    if ((this.size + 1) * 4 > this.capacity * 3) this.resize(this.capacity * 2);
    const { table, stride, words, mask } = this;
    let i = hashPrefix(w0, w1, w2, w3, bits) & mask;
    for (;;) {
      const o = i * stride;
      const b = table[o + words]!;
      if (b === EMPTY) {
        this.writeSlot(o, w0, w1, w2, w3, bits, id);
        this.size++;
        return;
      }
      if (b === bits && this.keyEquals(o, w0, w1, w2, w3)) {
        table[o + words + 1] = id;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes the prefix and returns the id it had, or -1 when it was absent. */
  remove(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    let hole = this.slotOf(w0, w1, w2, w3, bits);
    if (hole < 0) return -1;
    const { table, stride, words, mask } = this;
    const id = table[hole * stride + words + 1]!;
    // Backward shift: pull later entries of the probe run into the hole unless their home slot
    // lies cyclically after the hole, which would make them unreachable.
    for (let j = (hole + 1) & mask; table[j * stride + words] !== EMPTY; j = (j + 1) & mask) {
      const home = this.homeOf(j);
      const stays = hole < j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      table.copyWithin(hole * stride, j * stride, j * stride + stride);
      hole = j;
    }
    table[hole * stride + words] = EMPTY;
    this.size--;
    if (this.size * 8 < this.capacity && this.capacity > MIN_CAPACITY) {
      this.resize(this.capacity / 2);
    }
    return id;
  }

  /** Returns the prefix length in slot `slot`, or -1 when the slot is empty. */
  bitsAt(slot: number): number {
    return this.table[slot * this.stride + this.words]!;
  }

  /** Returns key word `k` (0 = most significant) of the prefix in slot `slot`. */
  wordAt(slot: number, k: number): number {
    return this.table[slot * this.stride + k]! >>> 0;
  }

  /** Returns the id in slot `slot`. */
  idAt(slot: number): number {
    return this.table[slot * this.stride + this.words + 1]!;
  }

  /** Returns the number of bytes held by the table's typed array. */
  get byteLength(): number {
    return this.table.byteLength;
  }

  private slotOf(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    const { table, stride, words, mask } = this;
    let i = hashPrefix(w0, w1, w2, w3, bits) & mask;
    for (;;) {
      const b = table[i * stride + words]!;
      if (b === EMPTY) return -1;
      if (b === bits && this.keyEquals(i * stride, w0, w1, w2, w3)) return i;
      i = (i + 1) & mask;
    }
  }

  private keyEquals(o: number, w0: number, w1: number, w2: number, w3: number): boolean {
    const t = this.table;
    if (t[o] !== (w0 | 0)) return false;
    if (this.words === 1) return true;
    return t[o + 1] === (w1 | 0) && t[o + 2] === (w2 | 0) && t[o + 3] === (w3 | 0);
  }

  private homeOf(slot: number): number {
    const t = this.table;
    const o = slot * this.stride;
    const bits = t[o + this.words]!;
    if (this.words === 1) return hashPrefix(t[o]!, 0, 0, 0, bits) & this.mask;
    return hashPrefix(t[o]!, t[o + 1]!, t[o + 2]!, t[o + 3]!, bits) & this.mask;
  }

  private writeSlot(
    o: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
    bits: number,
    id: number,
  ): void {
    const t = this.table;
    t[o] = w0;
    if (this.words === 4) {
      t[o + 1] = w1;
      t[o + 2] = w2;
      t[o + 3] = w3;
    }
    t[o + this.words] = bits;
    t[o + this.words + 1] = id;
  }

  private resize(capacity: number): void {
    const old = this.table;
    const { stride, words } = this;
    this.table = new Int32Array(capacity * stride).fill(EMPTY);
    this.mask = capacity - 1;
    this.size = 0;
    for (let o = 0; o < old.length; o += stride) {
      const bits = old[o + words]!;
      if (bits === EMPTY) continue;
      const w0 = old[o]!;
      if (words === 1) this.set(w0, 0, 0, 0, bits, old[o + 2]!);
      else this.set(w0, old[o + 1]!, old[o + 2]!, old[o + 3]!, bits, old[o + 5]!);
    }
  }
}
