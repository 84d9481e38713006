/**
 * A wide level for the IPv6 batch lookups: for each dense /16, one popcount-compressed node of
 * 65,536 slots that resolves address bits 17-32 in one step, where the stride-8 nodes take two.
 *
 * It is derived from a `StrideTrie`'s lookup arrays and reads the trie's own entries: a wide
 * node's slots lead to the entries that the two stride-8 levels lead to. Those are a prefix id,
 * -1, or a reference to the node for bits 33-40, from which the batch goes on with the trie's
 * own nodes. It is never updated in place: every change drops it, and the next batch that would
 * read it builds it again.
 *
 * Why: a batch of IPv6 keys spends its time on instructions as much as on cache misses. With 256
 * distinct keys, all in cache, the stride-8 passes ran at 74.5 M lookups/s, against 52.6 M for
 * 1,048,576 keys. So a key needs fewer levels, not faster ones. On the tier-1 table, 64%
 * of the in-table keys cross four stride-8 nodes.
 *
 * A node is 1,024 cells of three int32 words, one per 64 slots: the low and high bitmap words,
 * whose set bits mark the slots where a run of equal entries starts, and `base`, the index in
 * the trie's entries before the cell's first run. Slot `s` reads entry `base + popcount(bits up
 * to s)`, as in a stride-8 record. A cell lies inside one slot of the node for bits 17-24. So it
 * is a quarter of a node for bits 25-32, whose two bitmap words and first base it copies (a
 * record's bases grow by the popcount of each word), or a single run of that slot's entry.
 */

/** Int32 words per cell of 64 slots. */
export const WIDE_CELL_WORDS = 3;
/** Cells per wide node: 65,536 slots, 64 per cell. */
export const WIDE_CELLS = 1024;
/**
 * Runs a /16 must have for a wide node: the entries of its node for bits 17-24 and of the nodes
 * for bits 25-32 below it. A node costs 12 KiB, so below this it would cost more than 48 bytes
 * per run. On the tier-1 table 46 /16s qualify. They contain 99.6% of the prefixes, and the
 * level costs 3.5 bytes per prefix.
 */
export const WIDE_MIN_RUNS = 256;
/** Maximum number of wide nodes in one level: the index stores a node's number in one byte. */
export const WIDE_MAX_NODES = 255;

/** The arrays of a wide level. */
export interface WideLevel {
  /** The first /16 with a wide node: the value of its top 16 address bits. */
  readonly first: number;
  /**
   * Per /16 from `first` to the last with a wide node, then one more byte: 0 when the /16 has no
   * wide node, or its number, from 1. The loop reads the final 0 for every /16 outside that range.
   */
  readonly index: Uint8Array;
  /** The cells of every node, `WIDE_CELLS * WIDE_CELL_WORDS` words per node. */
  readonly cells: Int32Array;
}

/**
 * Returns the top 16 address bits of the /16s of a stride-8 trie with a direct 16-bit first
 * level that get a wide node, ascending: those with at least `WIDE_MIN_RUNS` runs, up to
 * `WIDE_MAX_NODES`. `top`, `nodes` and `ents` are the trie's arrays as `StrideTrie` describes
 * them.
 */
export function planWideLevel(top: Int32Array, nodes: Int32Array, ents: Int32Array): number[] {
  const highs: number[] = [];
  for (let high = 0; high < 65536 && highs.length < WIDE_MAX_NODES; high++) {
    const node24 = -2 - top[high]!;
    if (node24 < 0) continue;
    // The entries of the node for bits 17-24 and of each node for bits 25-32 below it.
    let runs = 0;
    for (let w = 0; w < 8; w++) runs += popcount(nodes[node24 + 2 * w]!);
    for (let slot = 0; slot < 256; slot++) {
      const child = ents[entryIndex(nodes, node24, slot)]!;
      if (child > -2) continue;
      for (let w = 0; w < 8; w++) runs += popcount(nodes[-2 - child + 2 * w]!);
    }
    if (runs >= WIDE_MIN_RUNS) highs.push(high);
  }
  return highs;
}

/** Returns the length of the index and of the cells of the level for the /16s `highs`. */
export function wideLengths(highs: readonly number[]): { index: number; cells: number } {
  return {
    index: highs[highs.length - 1]! - highs[0]! + 2,
    cells: highs.length * WIDE_CELLS * WIDE_CELL_WORDS,
  };
}

/**
 * Writes the wide level for the /16s `highs` from `planWideLevel` into `level`, whose arrays
 * have the lengths of `wideLengths(highs)` and any contents. The caller provides the arrays, so
 * that they can lie where the batch loop reads them and the build leaves no copy behind.
 */
export function fillWideLevel(
  highs: readonly number[],
  top: Int32Array,
  nodes: Int32Array,
  ents: Int32Array,
  level: WideLevel,
): void {
  const { index, cells } = level;
  index.fill(0);
  highs.forEach((high, k) => {
    index[high - level.first] = k + 1;
    const node24 = -2 - top[high]!;
    let cell = k * WIDE_CELLS * WIDE_CELL_WORDS;
    for (let slot = 0; slot < 256; slot++) {
      const at = entryIndex(nodes, node24, slot);
      const child = ents[at]!;
      for (let quarter = 0; quarter < 4; quarter++, cell += WIDE_CELL_WORDS) {
        if (child > -2) {
          cells[cell] = 1;
          cells[cell + 1] = 0;
          cells[cell + 2] = at - 1;
          continue;
        }
        const record = -2 - child + 4 * quarter;
        cells[cell] = nodes[record]!;
        cells[cell + 1] = nodes[record + 2]!;
        cells[cell + 2] = nodes[record + 1]!;
      }
    }
  });
}

/** Returns the index in the trie's entries that slot `slot` of the node at `node` reads. */
function entryIndex(nodes: Int32Array, node: number, slot: number): number {
  const pair = (slot >>> 4) & 14;
  return nodes[node + pair + 1]! + popcount(nodes[node + pair]! & ((2 << (slot & 31)) - 1));
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
