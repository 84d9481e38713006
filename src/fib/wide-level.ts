/**
 * A wide level for the IPv6 batch lookups: for each dense /16, one popcount-compressed node of
 * 65,536 slots that resolves address bits 17-32 in one step, where the stride-8 nodes take two.
 *
 * It is derived from a `StrideTrie`'s lookup arrays. Its entries are those the two stride-8
 * levels resolve to: a prefix id, -1, or a reference to the node for bits 33-40, from which the
 * batch goes on with the trie's own nodes. It is never updated in place: the trie marks it
 * stale on every change and builds it again before the next batch.
 *
 * Why: a batch of IPv6 keys spends its time on instructions as much as on cache misses (with
 * 256 distinct keys, all in cache, the stride-8 passes ran at 74.5 M lookups/s against 52.6 M
 * for 1,048,576 keys), so a key needs fewer levels, not faster ones. On the tier-1 table, 64%
 * of the in-table keys cross four stride-8 nodes. In alternating runs in one process there
 * (2026-12-05, AMD EPYC, 2 cores; medians of ten rounds, two runs), the level took in-table
 * lookups from 53.7 M and 55.9 M to 60.5 M and 64.0 M/s.
 *
 * A node is 1,024 cells of three int32 words, one per 64 slots: the low and high bitmap words,
 * whose set bits mark the slots where a run of equal entries starts, and `base`, the entry
 * index before the cell's first run. Slot `s` reads entry `base + popcount(bits up to s)`, as
 * in a stride-8 record.
 */

/** Int32 words per cell of 64 slots. */
export const WIDE_CELL_WORDS = 3;
/** Cells per wide node: 65,536 slots, 64 per cell. */
export const WIDE_CELLS = 1024;
/**
 * Runs a /16 must have for a wide node. A node costs 12 KiB plus 4 bytes per run, so below
 * this it would cost more than 28 bytes per run. On the tier-1 table, 40 /16s qualify. They
 * contain 92.6% of the prefixes, and the level costs 4.9 bytes per prefix. With 256 it was 46
 * /16s, 99.6% and 5.4 bytes, too close to the 40-byte bound of the whole table.
 */
export const WIDE_MIN_RUNS = 512;
/** Maximum number of wide nodes in one level: the index stores a node's number in one byte. */
export const WIDE_MAX_NODES = 255;

/** The wide nodes of one trie. */
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
  /** The entries of every node, one block per node. */
  readonly ents: Int32Array;
}

/** The /16s that get a wide node, and the number of entries of those nodes in all. */
export interface WidePlan {
  /** The top 16 address bits of each /16 with a wide node, ascending: node `k` is `highs[k]`. */
  readonly highs: readonly number[];
  readonly entries: number;
}

/**
 * Chooses the /16s of a stride-8 trie with a direct 16-bit first level that get a wide node:
 * those with at least `WIDE_MIN_RUNS` runs at bit 32, up to `WIDE_MAX_NODES`. Returns null when
 * there are none. `top`, `nodes` and `ents` are the trie's arrays as `StrideTrie` describes them.
 */
export function planWideLevel(
  top: Int32Array,
  nodes: Int32Array,
  ents: Int32Array,
): WidePlan | null {
  const slots24 = new Int32Array(256);
  const highs: number[] = [];
  let entries = 0;
  for (let high = 0; high < 65536 && highs.length < WIDE_MAX_NODES; high++) {
    const entry = top[high]!;
    if (entry > -2) continue;
    const runs = walkRuns(nodes, ents, -2 - entry, slots24, null);
    if (runs < WIDE_MIN_RUNS) continue;
    highs.push(high);
    entries += runs;
  }
  return highs.length === 0 ? null : { highs, entries };
}

/** Returns the length of each array of the level that `plan` describes. */
export function wideLengths(plan: WidePlan): { index: number; cells: number; ents: number } {
  const { highs, entries } = plan;
  return {
    index: highs[highs.length - 1]! - highs[0]! + 2,
    cells: highs.length * WIDE_CELLS * WIDE_CELL_WORDS,
    ents: entries,
  };
}

/**
 * Writes the wide level that `plan` describes into `level`, whose arrays have the lengths of
 * `wideLengths(plan)` and any contents, from the same trie arrays `plan` was made from, or
 * from their copies. The caller provides the arrays, so that they can lie where the batch loop
 * reads them and the build leaves no copy behind.
 */
export function fillWideLevel(
  plan: WidePlan,
  top: Int32Array,
  nodes: Int32Array,
  ents: Int32Array,
  level: WideLevel,
): void {
  const { index, cells } = level;
  const slots24 = new Int32Array(256);
  index.fill(0);
  cells.fill(0);
  let at = 0;
  plan.highs.forEach((high, k) => {
    index[high - level.first] = k + 1;
    const node = k * WIDE_CELLS * WIDE_CELL_WORDS;
    let runsBefore = at;
    walkRuns(nodes, ents, -2 - top[high]!, slots24, (start, value) => {
      cells[node + (start >>> 6) * WIDE_CELL_WORDS + ((start >>> 5) & 1)]! |= 1 << (start & 31);
      level.ents[at++] = value;
    });
    for (let cell = node; cell < node + WIDE_CELLS * WIDE_CELL_WORDS; cell += WIDE_CELL_WORDS) {
      cells[cell + 2] = runsBefore - 1;
      runsBefore += popcount(cells[cell]!) + popcount(cells[cell + 1]!);
    }
  });
}

/** Builds the wide level of a trie's arrays in arrays of its own, or returns null: for tests. */
export function buildWideLevel(
  top: Int32Array,
  nodes: Int32Array,
  ents: Int32Array,
): WideLevel | null {
  const plan = planWideLevel(top, nodes, ents);
  if (plan === null) return null;
  const lengths = wideLengths(plan);
  const level = {
    first: plan.highs[0]!,
    index: new Uint8Array(lengths.index),
    cells: new Int32Array(lengths.cells),
    ents: new Int32Array(lengths.ents),
  };
  fillWideLevel(plan, top, nodes, ents, level);
  return level;
}

/**
 * Walks the runs of equal entries over bits 17-32 of the /16 whose node for bits 17-24 is at
 * record offset `node24`, in address order, calls `visit` with each run's first slot and entry
 * unless it is null, and returns the number of runs.
 */
function walkRuns(
  nodes: Int32Array,
  ents: Int32Array,
  node24: number,
  slots24: Int32Array,
  visit: ((start: number, value: number) => void) | null,
): number {
  nodeSlots(nodes, ents, node24, slots24);
  let runs = 0;
  let last = 0;
  const push = (start: number, value: number): void => {
    if (runs > 0 && last === value) return;
    last = value;
    runs++;
    visit?.(start, value);
  };
  for (let a = 0; a < 256; a++) {
    const child = slots24[a]!;
    if (child > -2) {
      push(a << 8, child);
      continue;
    }
    // Each run start of the node for bits 25-32 is one here, with the entry it reads.
    const node = -2 - child;
    for (let w = 0; w < 8; w++) {
      let bitmap = nodes[node + 2 * w]!;
      const base = nodes[node + 2 * w + 1]!;
      // Slot 0 starts a run here even where the node's bitmap does not mark it.
      if (w === 0) push(a << 8, ents[base + (bitmap & 1)]!);
      let rank = 0;
      while (bitmap !== 0) {
        const low = bitmap & -bitmap;
        rank++;
        const slot = 32 * w + 31 - Math.clz32(low);
        if (slot !== 0) push((a << 8) | slot, ents[base + rank]!);
        bitmap ^= low;
      }
    }
  }
  return runs;
}

/** Writes to `out` the entry each of the 256 slots of the node at record offset `node` reads. */
function nodeSlots(nodes: Int32Array, ents: Int32Array, node: number, out: Int32Array): void {
  for (let w = 0; w < 8; w++) {
    const bitmap = nodes[node + 2 * w]!;
    const base = nodes[node + 2 * w + 1]!;
    let rank = 0;
    for (let bit = 0; bit < 32; bit++) {
      rank += (bitmap >>> bit) & 1;
      out[32 * w + bit] = ents[base + rank]!;
    }
  }
}

/**
 * Returns the wide node number of the /16 `high` in `level`, from 1, or 0 when it has none: the
 * index step of the batch loop, for tests.
 */
export function wideNumber(level: WideLevel, high: number): number {
  const at = high - level.first;
  return at >= 0 && at < level.index.length ? level.index[at]! : 0;
}

/**
 * Returns the entry the wide node `number` (from 1, as in `index`) of `level` gives for address
 * bits 17-32 `low16`: the reference step of the batch loop, for tests.
 */
export function wideEntry(level: WideLevel, number: number, low16: number): number {
  const cell = ((number - 1) * WIDE_CELLS + (low16 >>> 6)) * WIDE_CELL_WORDS;
  const bit = low16 & 63;
  const below = (word: number, count: number): number =>
    count <= 0 ? 0 : popcount(word & (count >= 32 ? -1 : (1 << count) - 1));
  const rank =
    below(level.cells[cell]!, Math.min(bit + 1, 32)) + below(level.cells[cell + 1]!, bit - 31);
  return level.ents[level.cells[cell + 2]! + rank]!;
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) count++;
  return count;
}
