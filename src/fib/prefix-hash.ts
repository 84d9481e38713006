/**
 * The exact-match half of a FIB: an open-addressing hash table from a prefix to an integer id.
 *
 * This table is the source of truth for which prefixes are stored. The lookup trie only caches
 * the id of the longest stored prefix per address range. Every exact question (`get`, `delete`,
 * the shorter prefix that takes over after a delete) is asked here. Linear probing with
 * backward-shift deletion keeps the table free of tombstones, so a table that sees many inserts
 * and deletes does not slow down.
 *
 * Slots hold only ids; the key words and length of each id sit in a second array indexed by
 * id (`words + 1` int32 values per id). A slot then costs 4 bytes instead of a whole key, so the
 * free slots that linear probing needs stay cheap. Up to `LIST_MAX` prefixes live in one plain
 * array searched linearly instead, because each typed array costs about 240 bytes of headers
 * and a namespace with a handful of routes should stay well under 1 KB.
 */

const EMPTY = -1;
const MIN_CAPACITY = 32;
/** Prefix count up to which the table is a plain array searched linearly. */
const LIST_MAX = 16;
const NO_SLOTS = new Int32Array(0);

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
  private slots = NO_SLOTS;
  private mask = -1;
  /** Entries of a small table: key words, length and id, `words + 2` values each; null after. */
  private list: number[] | null = [];
  /** Key words and then the length of every id, `stride` values per id. Length -1 marks a free id. */
  private records = NO_SLOTS;

  /** Creates an empty table whose keys are `words` 32-bit words long (1 or 4). */
  constructor(readonly words: 1 | 4) {
    this.stride = words + 1;
  }

  /** Number of slots; slot numbers passed to the `*At` accessors run below it. */
  get capacity(): number {
    return this.list === null ? this.mask + 1 : this.list.length / (this.words + 2);
  }

  /** Returns the id stored under the prefix, or -1 when it is absent. */
  find(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    if (this.list !== null) {
      const at = this.listIndexOf(w0, w1, w2, w3, bits);
      return at < 0 ? -1 : this.list[at + this.words + 1]!;
    }
    const slot = this.slotOf(w0, w1, w2, w3, bits);
    return slot < 0 ? -1 : this.slots[slot]!;
  }

  /** Stores the prefix under `id`, which must be new to the table and not in use. */
  add(w0: number, w1: number, w2: number, w3: number, bits: number, id: number): void {
    if (this.list !== null) {
      if (this.size < LIST_MAX) {
        this.list.push(w0 | 0);
        if (this.words === 4) this.list.push(w1 | 0, w2 | 0, w3 | 0);
        this.list.push(bits, id);
        this.size++;
        return;
      }
      this.leaveList();
    }
    if ((this.size + 1) * 4 > this.capacity * 3) this.resize(this.capacity * 2);
    this.writeRecord(id, w0, w1, w2, w3, bits);
    this.place(id, hashPrefix(w0, w1, w2, w3, bits));
    this.size++;
  }

  /** Removes the prefix and returns the id it had, or -1 when it was absent. */
  remove(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    if (this.list !== null) return this.removeFromList(w0, w1, w2, w3, bits);
    let hole = this.slotOf(w0, w1, w2, w3, bits);
    if (hole < 0) return -1;
    const { slots, mask } = this;
    const id = slots[hole]!;
    // Backward shift: pull later entries of the probe run into the hole unless their home slot
    // lies cyclically after the hole, which would make them unreachable.
    for (let j = (hole + 1) & mask; slots[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.homeOf(slots[j]!);
      const stays = hole < j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      slots[hole] = slots[j]!;
      hole = j;
    }
    slots[hole] = EMPTY;
    this.records[id * this.stride + this.words] = EMPTY;
    this.size--;
    if (this.size * 8 < this.capacity && this.capacity > MIN_CAPACITY) {
      this.resize(this.capacity / 2);
    }
    return id;
  }

  /** Returns the prefix length in slot `slot`, or -1 when the slot is empty. */
  bitsAt(slot: number): number {
    if (this.list !== null) return this.list[slot * (this.words + 2) + this.words]!;
    const id = this.slots[slot]!;
    return id === EMPTY ? EMPTY : this.records[id * this.stride + this.words]!;
  }

  /** Returns key word `k` (0 = most significant) of the prefix in slot `slot`. */
  wordAt(slot: number, k: number): number {
    if (this.list !== null) return this.list[slot * (this.words + 2) + k]! >>> 0;
    return this.records[this.slots[slot]! * this.stride + k]! >>> 0;
  }

  /** Returns the id in slot `slot`. */
  idAt(slot: number): number {
    if (this.list !== null) return this.list[slot * (this.words + 2) + this.words + 1]!;
    return this.slots[slot]!;
  }

  /** Returns the bytes of the table's arrays, counting 8 per element of a plain array. */
  get byteLength(): number {
    if (this.list !== null) return this.list.length * 8;
    return this.slots.byteLength + this.records.byteLength;
  }

  /**
   * Returns every stored prefix as parallel arrays (key words, `words` per prefix; lengths; ids)
   * in no particular order. It reads the entries sequentially, which is much faster than
   * visiting slots for a table that does not fit in cache.
   */
  entries(): { keys: Uint32Array; bits: Uint8Array; ids: Int32Array } {
    const keys = new Uint32Array(this.size * this.words);
    const bits = new Uint8Array(this.size);
    const ids = new Int32Array(this.size);
    const source = this.list ?? this.records;
    const width = this.list === null ? this.stride : this.words + 2;
    let n = 0;
    for (let at = 0; at < source.length && n < this.size; at += width) {
      const length = source[at + this.words]!;
      if (length === EMPTY) continue;
      for (let k = 0; k < this.words; k++) keys[n * this.words + k] = source[at + k]!;
      bits[n] = length;
      ids[n] = this.list === null ? at / width : source[at + this.words + 1]!;
      n++;
    }
    return { keys, bits, ids };
  }

  /** Returns the list index of the entry for the prefix, or -1 when it is absent. */
  private listIndexOf(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    const list = this.list!;
    const width = this.words + 2;
    for (let at = 0; at < list.length; at += width) {
      if (list[at + this.words] !== bits || list[at] !== (w0 | 0)) continue;
      if (this.words === 1) return at;
      if (list[at + 1] === (w1 | 0) && list[at + 2] === (w2 | 0) && list[at + 3] === (w3 | 0)) {
        return at;
      }
    }
    return -1;
  }

  private removeFromList(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    const list = this.list!;
    const at = this.listIndexOf(w0, w1, w2, w3, bits);
    if (at < 0) return -1;
    const width = this.words + 2;
    const id = list[at + this.words + 1]!;
    // Move the last entry into the hole, since the order of a small table does not matter.
    const last = list.length - width;
    for (let k = 0; k < width; k++) list[at + k] = list[last + k]!;
    list.length = last;
    this.size--;
    return id;
  }

  /** Moves the entries of the plain array into the typed hash table. */
  private leaveList(): void {
    const list = this.list!;
    const width = this.words + 2;
    this.list = null;
    this.size = 0;
    this.mask = MIN_CAPACITY - 1;
    this.slots = new Int32Array(MIN_CAPACITY).fill(EMPTY);
    this.records = new Int32Array(MIN_CAPACITY * this.stride).fill(EMPTY);
    for (let at = 0; at < list.length; at += width) {
      const w = (k: number) => (this.words === 1 ? 0 : list[at + k]!);
      this.add(list[at]!, w(1), w(2), w(3), list[at + this.words]!, list[at + this.words + 1]!);
    }
  }

  private slotOf(w0: number, w1: number, w2: number, w3: number, bits: number): number {
    const { slots, records, stride, words, mask } = this;
    let i = hashPrefix(w0, w1, w2, w3, bits) & mask;
    for (;;) {
      const id = slots[i]!;
      if (id === EMPTY) return -1;
      const o = id * stride;
      if (records[o + words] === bits && this.keyEquals(o, w0, w1, w2, w3)) return i;
      i = (i + 1) & mask;
    }
  }

  private place(id: number, hash: number): void {
    const { slots, mask } = this;
    let i = hash & mask;
    while (slots[i] !== EMPTY) i = (i + 1) & mask;
    slots[i] = id;
  }

  private keyEquals(o: number, w0: number, w1: number, w2: number, w3: number): boolean {
    const r = this.records;
    if (r[o] !== (w0 | 0)) return false;
    if (this.words === 1) return true;
    return r[o + 1] === (w1 | 0) && r[o + 2] === (w2 | 0) && r[o + 3] === (w3 | 0);
  }

  private homeOf(id: number): number {
    return this.hashOf(id) & this.mask;
  }

  private hashOf(id: number): number {
    const r = this.records;
    const o = id * this.stride;
    const bits = r[o + this.words]!;
    if (this.words === 1) return hashPrefix(r[o]!, 0, 0, 0, bits);
    return hashPrefix(r[o]!, r[o + 1]!, r[o + 2]!, r[o + 3]!, bits);
  }

  private writeRecord(
    id: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
    bits: number,
  ): void {
    if ((id + 1) * this.stride > this.records.length) {
      const grown = new Int32Array(
        Math.max(id + 1, Math.ceil((this.records.length / this.stride) * 1.5)) * this.stride,
      );
      grown.fill(EMPTY, this.records.length);
      grown.set(this.records);
      this.records = grown;
    }
    const r = this.records;
    const o = id * this.stride;
    r[o] = w0;
    if (this.words === 4) {
      r[o + 1] = w1;
      r[o + 2] = w2;
      r[o + 3] = w3;
    }
    r[o + this.words] = bits;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let i = 0; i < old.length; i++) {
      const id = old[i]!;
      if (id !== EMPTY) this.place(id, this.hashOf(id));
    }
  }
}
