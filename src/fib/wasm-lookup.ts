/**
 * The batch lookup loops of a trie with a direct first level, in WebAssembly, and the memory
 * that contains the trie's lookup arrays, so that those loops read the arrays in place.
 *
 * Why WebAssembly: the same loop written in JavaScript spends most of its instructions on
 * checks that TurboFan cannot hoist out of the loop (the map and length of each typed array at
 * every read, overflow checks on index arithmetic). In A/B runs in one process on the
 * RouteViews table (Node 20, idle 2-core machine) the JavaScript loop did 44-59 M random and
 * 41-48 M in-table IPv4 lookups/s, and this one 112-131 M and 92-103 M. On the IPv6 tier-1
 * table, one pass over the batch per node level did 17 M in-table lookups/s in JavaScript and
 * 37-40 M here, and two passes per level (`record6`, then `entry6`) 41-43 M. Reading the
 * cached nodes for bits 17-24 in the first pass (`first6n`) took the median of 15 alternating
 * runs from 39.8 M to 42.2 M; reading the record of the next level there too gave 41.7 M.
 * `lookup4Body` and `PASS_UNROLL` describe the later gains: constant addresses, four IPv6 keys
 * per trip, and IPv4 keys read in stages over groups of eight. On IPv6 the wide level of
 * wide-level.ts then resolved bits 17-32 in one step (`first6w`).
 *
 * The modules are written out as bytes below, with a few helpers for the encoding, so that they
 * need no toolchain and no file at run time. There is one for IPv4 and one for IPv6; each imports
 * its memory, so every `WasmArena` instantiates its family's compiled module over a memory of
 * its own.
 *
 * An arena's memory starts with a scratch area for one chunk of a batch: keys, results and, for
 * IPv6, the pending list. The first level, the node records and the entries follow, each an
 * int32 array as `StrideTrie` describes them, and for IPv6 the wide level, when the trie has
 * one. Growing the memory detaches every view of it, so `StrideTrie` reads its arrays back from
 * the arena after every resize.
 */

import { WIDE_CELL_WORDS, WIDE_CELLS, type WideLevel } from "./wide-level.js";

/** Keys of one chunk of a batch. */
const CHUNK = 4096;
/**
 * Bytes of the scratch area: IPv6 keys (16 bytes each), results and the pending list, two
 * words per key.
 */
const SCRATCH_BYTES = CHUNK * 28;
const KEYS_AT = 0;
const OUT_AT = CHUNK * 16;
const PENDING_AT = CHUNK * 20;
/** Entries of the first level: one per value of the top 16 address bits. */
const TOP_ENTRIES = 65536;
/**
 * Byte addresses of the first level and the node records, the same in every arena, so that the
 * loops read them at constant offsets. The entries follow the records and move when they grow.
 */
const TOP_AT = SCRATCH_BYTES;
const NODES_AT = TOP_AT + TOP_ENTRIES * 4;
const PAGE_BYTES = 65536;

// WebAssembly binary encoding: the few opcodes and sections the module uses.
const I32 = 0x7f;
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  i64Const: 0x42,
  eqz: 0x45,
  ltS: 0x48,
  ltU: 0x49,
  gtU: 0x4b,
  geU: 0x4f,
  popcnt: 0x69,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  shl: 0x74,
  shrU: 0x76,
  mul: 0x6c,
  select: 0x1b,
  load8U: 0x2d,
  i64Load: 0x29,
  i64Popcnt: 0x7b,
  i64Sub: 0x7d,
  i64And: 0x83,
  i64Shl: 0x86,
  wrapI64: 0xa7,
  extendI32U: 0xad,
} as const;
/** Block type of a block, loop or if that yields nothing. */
const VOID = 0x40;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 127;
    value >>>= 7;
    if (value !== 0) byte |= 128;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 127;
    value >>= 7;
    if ((value === 0 && (byte & 64) === 0) || (value === -1 && (byte & 64) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 128);
  }
}

function vector(items: readonly number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, body: readonly number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

function name(text: string): number[] {
  return [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

const get = (local: number): number[] => [OP.localGet, local];
const set = (local: number): number[] => [OP.localSet, local];
const tee = (local: number): number[] => [OP.localTee, local];
const int = (value: number): number[] => [OP.const, ...signedLeb(value)];
/** i32.load and i32.store of an aligned word at the address on the stack plus `offset`. */
const load = (offset = 0): number[] => [OP.load, 2, ...unsignedLeb(offset)];
const store: number[] = [OP.store, 2, 0];

/**
 * Reads one node level: from the node reference in local `entry` and the slot in local `slot`,
 * computes the record address into local `record` and leaves the entry the slot resolves to in
 * local `entry`. It is `StrideTrie.lookup`'s step: entry `base + popcount(bitmap up to slot)`.
 * The records lie at NODES_AT, and `ents` is the local holding the entries' byte address.
 */
function nodeStep(locals: {
  entry: number;
  slot: number;
  record: number;
  ents: number;
  addressOnly?: boolean;
}): number[] {
  const { entry, slot, record, ents } = locals;
  return [
    // record = 4 * ((-2 - entry) + ((slot >>> 4) & 14)): the bitmap word of the slot, from NODES_AT.
    ...int(-2),
    ...get(entry),
    OP.sub,
    ...get(slot),
    ...int(4),
    OP.shrU,
    ...int(14),
    OP.and,
    OP.add,
    ...int(2),
    OP.shl,
    ...set(record),
    // entry = ents[base + popcount(bitmap & ((2 << (slot & 31)) - 1))]; shl masks its count.
    ...get(record),
    ...load(NODES_AT + 4),
    ...get(record),
    ...load(NODES_AT),
    ...int(2),
    ...get(slot),
    OP.shl,
    ...int(1),
    OP.sub,
    OP.and,
    OP.popcnt,
    OP.add,
    ...int(2),
    OP.shl,
    ...get(ents),
    OP.add,
    ...(locals.addressOnly ? [] : load()),
    ...set(entry),
  ];
}

/** Keys per iteration of `lookup4`; a chunk's key count is rounded up to a multiple of it. */
const LOOKUP4_GROUP = 8;

/**
 * lookup4(end, ents): for every IPv4 key of the chunk, from KEYS_AT up to byte offset `end`,
 * writes the prefix id to the same offset from OUT_AT. Below the 16-bit first level a key
 * crosses at most two nodes, as in trie4.ts's `lookupDirect`.
 *
 * Each iteration takes a group of eight keys through three stages: their first-level entries,
 * then the node records of those that are node references, then the entries the records point
 * to. So the eight record reads, and then the eight entry reads, are in flight together
 * instead of each entry read waiting behind its own record read. In alternating runs in one
 * process on the RouteViews table this took in-table lookups from a median of 126-129 M/s (four
 * keys per iteration, one after the other) to 140-143 M/s, and random ones from 163-167 M/s to
 * 156-159 M/s. Groups of four gained 5% in-table; groups of sixteen gained 12% but lost 18% on
 * random keys. Before that, reading the scratch area, the first level and the records at
 * constant addresses let TurboFan keep every local in a register (in-table median 93 M/s to
 * 99 M/s), and four keys per iteration gained 10-13% more.
 */
function lookup4Body(): number[] {
  const [end, ents, at, record, slot] = [0, 1, 2, 3, 4];
  const group = Array.from({ length: LOOKUP4_GROUP }, (_, k) => k);
  // Per key of the group: its address, its entry, and the byte address of the entry its record
  // points to.
  const addrOf = group.map((k) => 5 + k);
  const entryOf = group.map((k) => 5 + LOOKUP4_GROUP + k);
  const pointerOf = group.map((k) => 5 + 2 * LOOKUP4_GROUP + k);
  const readTop = (k: number): number[] => [
    ...get(at),
    ...load(KEYS_AT + 4 * k),
    ...tee(addrOf[k]!),
    // entry = top[addr >>> 16]
    ...int(16),
    OP.shrU,
    ...int(2),
    OP.shl,
    ...load(TOP_AT),
    ...set(entryOf[k]!),
  ];
  const readRecord = (k: number): number[] => [
    ...get(entryOf[k]!),
    ...int(-1),
    OP.ltS,
    OP.if,
    VOID,
    ...get(addrOf[k]!),
    ...int(8),
    OP.shrU,
    ...set(slot),
    ...get(entryOf[k]!),
    ...set(pointerOf[k]!),
    ...nodeStep({ entry: pointerOf[k]!, slot, record, ents, addressOnly: true }),
    OP.end,
  ];
  const readEntry = (k: number): number[] => [
    ...get(entryOf[k]!),
    ...int(-1),
    OP.ltS,
    OP.if,
    VOID,
    ...get(pointerOf[k]!),
    ...load(),
    ...tee(entryOf[k]!),
    // A prefix longer than /24: one more node, for the last address byte.
    ...int(-1),
    OP.ltS,
    OP.if,
    VOID,
    ...get(addrOf[k]!),
    ...set(slot),
    ...nodeStep({ entry: entryOf[k]!, slot, record, ents }),
    OP.end,
    OP.end,
    ...get(at),
    ...get(entryOf[k]!),
    OP.store,
    2,
    ...unsignedLeb(OUT_AT + 4 * k),
  ];
  return [
    ...vector([[3 + 3 * LOOKUP4_GROUP, I32]]),
    OP.block,
    VOID,
    ...get(end),
    OP.eqz,
    OP.brIf,
    0,
    OP.loop,
    VOID,
    ...group.map(readTop).flat(),
    ...group.map(readRecord).flat(),
    ...group.map(readEntry).flat(),
    ...get(at),
    ...int(4 * LOOKUP4_GROUP),
    OP.add,
    ...tee(at),
    ...get(end),
    OP.ltU,
    OP.brIf,
    0,
    OP.end,
    OP.end,
    OP.end,
  ];
}

/** Pushes the byte address of word `index` of the array at byte address `base`. */
function wordAddress(base: number, index: number, shift = 2): number[] {
  return [...get(base), ...get(index), ...int(shift), OP.shl, OP.add];
}

/**
 * Iterations of `body` per trip of the IPv6 passes' loops. In alternating runs, four took the
 * in-table rate from 39-43 M to 46-50 M lookups/s, and eight did no better.
 */
const PASS_UNROLL = 4;

/**
 * Runs `body(k)` for `index` + k from 0 (the initial value of `index`) to `count` - 1: PASS_UNROLL
 * at a time while that many remain, then one at a time. `body(k)` works on element `index` + k.
 */
function unrolledLoop(
  index: number,
  count: number,
  body: (k: number) => number[],
  unroll = PASS_UNROLL,
): number[] {
  return [
    OP.block,
    VOID,
    OP.loop,
    VOID,
    ...get(index),
    ...int(unroll),
    OP.add,
    ...get(count),
    OP.gtU,
    OP.brIf,
    1,
    ...Array.from({ length: unroll }, (_, k) => body(k)).flat(),
    ...get(index),
    ...int(unroll),
    OP.add,
    ...set(index),
    OP.br,
    0,
    OP.end,
    OP.end,
    OP.block,
    VOID,
    OP.loop,
    VOID,
    ...get(index),
    ...get(count),
    OP.geU,
    OP.brIf,
    1,
    ...body(0),
    ...get(index),
    ...int(1),
    OP.add,
    ...set(index),
    OP.br,
    0,
    OP.end,
    OP.end,
  ];
}

/**
 * Appends the pair (key index `i`, `entry`) to the pending list at `pending`. It advances `next`
 * only when `entry` is a node reference (-2 or less), read off the sign bit of `entry` + 1, so
 * the list keeps only unresolved keys. The pair is written either way, without a branch.
 *
 * Each pending key carries its entry, so that a pass reads the list in order instead of reading
 * `out` at each key's index. In alternating runs in one process on the tier-1 table (2026-12-05,
 * AMD EPYC, 2 cores), a prototype with chunks of 2,048 keys took the in-table median from
 * 56.3 M to 58.3 M lookups/s that way.
 */
function keepIfNode(locals: { pending: number; next: number; i: number; entry: number }): number[] {
  const { pending, next, i, entry } = locals;
  return [
    ...writePair(pending, next, i, entry),
    ...get(next),
    ...get(entry),
    ...int(1),
    OP.add,
    ...int(31),
    OP.shrU,
    OP.add,
    ...set(next),
  ];
}

/** Writes the locals `i` and `entry` to pair `next` of the list at `pending`. */
function writePair(pending: number, next: number, i: number, entry: number): number[] {
  return [
    ...wordAddress(pending, next, 3),
    ...get(i),
    ...store,
    ...wordAddress(pending, next, 3),
    ...get(entry),
    OP.store,
    2,
    4,
  ];
}

/**
 * Appends the pair (`i`, `entry`) and advances `next` when `entry` is a node reference, behind a
 * branch. `keepIfNode` does the same without one. In the first pass of a chunk of random keys
 * almost every key stops at the first level, so the branch always goes the same way and skips
 * the stores. In alternating runs in one process on the tier-1 table (2026-12-05, AMD EPYC,
 * 2 cores) the median random rate went from 377-381 M to 469-471 M lookups/s, with the
 * in-table rate unchanged. The passes for chunks where most keys go on keep `keepIfNode`.
 */
function appendIfNode(locals: {
  pending: number;
  next: number;
  i: number;
  entry: number;
}): number[] {
  const { pending, next, i, entry } = locals;
  return [
    ...get(entry),
    ...int(-1),
    OP.ltS,
    OP.if,
    VOID,
    ...writePair(pending, next, i, entry),
    ...get(next),
    ...int(1),
    OP.add,
    ...set(next),
    OP.end,
  ];
}

/** Bytes of one wide node's cells: 1,024 cells of three words (see wide-level.ts). */
const WIDE_NODE_BYTES = WIDE_CELLS * WIDE_CELL_WORDS * 4;

/**
 * What the first pass of a chunk does with a first-level entry that is a node reference. "top"
 * stops there, and the pending keys go on at bit 24. "node" reads the node for bits 17-24, and
 * they go on at bit 32. "wide" resolves bits 17-32 with the /16's wide node where it has one and
 * with the two stride-8 nodes where not, and they go on at bit 40.
 */
type FirstMode = "top" | "node" | "wide";

/**
 * first6(keys, out, count, pending, ents, wideIndex, wideFirst, wideSpan, wideCells) -> pending
 * count: reads the first level for `count` IPv6 keys of four words, goes on as `mode`
 * describes, writes each entry to `out` and lists in `pending` the keys whose entry is a node reference,
 * with that entry. "wide" lists every key instead, with the address of its entry. `wideIndex`
 * is the byte address of the wide level's index, which starts at the /16 `wideFirst` and has
 * `wideSpan` entries before its final 0, and `wideCells` that of its cells minus one node's
 * bytes (node numbers start at 1). "top" and "node" do not read them.
 *
 * The nodes for bits 17-24 are few (59 on the tier-1 table) and stay in cache, so a pass of
 * their own costs more than its reads. A key that stops at the first level skips that work, yet
 * the loop with it ran random keys 10-20% slower, so `lookup6` takes "node" and "wide" only for
 * chunks after one where most keys went past the first level.
 */
function first6Body(mode: FirstMode): number[] {
  const [keys, out, count, pending, ents, wideIndex, wideFirst, wideSpan, wideCells] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const [i, next, entry, word, slot, record, key, number, cell, at] = [
    9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
  ];
  // The stride-8 node for the address byte that ends at bit `end`, from the node in `entry`.
  const stride8 = (end: number, addressOnly = false): number[] => [
    ...get(word),
    ...int(32 - end),
    OP.shrU,
    ...int(255),
    OP.and,
    ...set(slot),
    ...nodeStep({ entry, slot, record, ents, addressOnly }),
  ];
  const ifNode = (body: number[]): number[] => [
    ...get(entry),
    ...int(-1),
    OP.ltS,
    OP.if,
    VOID,
    ...body,
    OP.end,
  ];
  // at = the byte address of the entry for bits 17-32: in the /16's wide node when it has one,
  // else through the two stride-8 nodes, or `out[key]` when the first of them gives a leaf.
  const wideStep = [
    // number = wideIndex[min(high - wideFirst, wideSpan)], unsigned: the /16's wide node, from
    // 1, or 0. The index covers the /16s from the first to the last with a wide node, and a 0
    // follows it.
    ...get(wideIndex),
    ...get(word),
    ...int(16),
    OP.shrU,
    ...get(wideFirst),
    OP.sub,
    ...tee(number),
    ...get(wideSpan),
    ...get(number),
    ...get(wideSpan),
    OP.ltU,
    OP.select,
    OP.add,
    OP.load8U,
    0,
    0,
    ...tee(number),
    OP.if,
    VOID,
    // cell = wideCells + number * WIDE_NODE_BYTES + ((word & 0xffff) >>> 6) * 12
    ...get(wideCells),
    ...get(number),
    ...int(WIDE_NODE_BYTES),
    OP.mul,
    OP.add,
    ...get(word),
    ...int(0xffc0),
    OP.and,
    ...int(6 - 2),
    OP.shrU,
    ...int(WIDE_CELL_WORDS),
    OP.mul,
    OP.add,
    ...tee(cell),
    // at = ents + 4 * (base + popcount(bitmap & ((2 << (word & 63)) - 1))); i64.shl masks
    // its count.
    ...load(8),
    ...get(cell),
    OP.i64Load,
    2,
    0,
    OP.i64Const,
    2,
    ...get(word),
    OP.extendI32U,
    OP.i64Shl,
    OP.i64Const,
    1,
    OP.i64Sub,
    OP.i64And,
    OP.i64Popcnt,
    OP.wrapI64,
    OP.add,
    ...int(2),
    OP.shl,
    ...get(ents),
    OP.add,
    ...set(at),
    OP.else,
    ...stride8(24),
    ...ifNode([...stride8(32, true), ...get(entry), ...set(at)]),
    OP.end,
  ];
  const readTop = (k: number): number[] => [
    ...get(i),
    ...int(k),
    OP.add,
    ...set(key),
    // entry = top[key word 0 >>> 16]
    ...wordAddress(keys, key, 4),
    ...load(),
    ...tee(word),
    ...int(16),
    OP.shrU,
    ...int(2),
    OP.shl,
    ...load(TOP_AT),
    ...set(entry),
  ];
  if (mode === "wide") {
    // Every key gets a pair, with the address `entry6` reads its entry from, so that the reads
    // of the entries wait for no record read of the same loop.
    return [
      ...vector([[10, I32]]),
      ...unrolledLoop(
        i,
        count,
        (k) => [
          ...readTop(k),
          ...wordAddress(out, key),
          ...set(at),
          ...ifNode(wideStep),
          // out[key] = entry: the result where `at` is still `out[key]`, else overwritten.
          ...wordAddress(out, key),
          ...get(entry),
          ...store,
          ...writePair(pending, key, key, at),
        ],
        2,
      ),
      ...get(count),
      OP.end,
    ];
  }
  return [
    ...vector([[10, I32]]),
    ...unrolledLoop(i, count, (k) => [
      ...readTop(k),
      ...(mode === "node" ? ifNode(stride8(24)) : []),
      ...wordAddress(out, key),
      ...get(entry),
      ...store,
      ...(mode === "top" ? appendIfNode : keepIfNode)({ pending, next, i: key, entry }),
    ]),
    ...get(next),
    OP.end,
  ];
}

/**
 * record6(keys, pending, count, end, ents): the first half of one node level for the `count`
 * pending IPv6 keys. From the node reference in each pair and the address byte that ends at
 * bit `end`, it reads the node record and replaces the pair's entry by the byte address of the
 * entry the slot resolves to. `entry6` then reads those entries. Two passes let the cache misses
 * of the records, then those of the entries, overlap across keys, where one pass makes each
 * entry read wait for its record. With pending pairs, one pass gave 49.6 M in-table lookups/s
 * against 58.3 M for two.
 */
function record6Body(): number[] {
  const [keys, pending, count, end, ents] = [0, 1, 2, 3, 4];
  const [p, i, slot, record, entry, wordAt, shift] = [5, 6, 7, 8, 9, 10, 11];
  return [
    ...vector([[7, I32]]),
    // wordAt = keys + 4 * ((end - 8) >>> 5): the key word that contains the slot, from key 0.
    ...get(keys),
    ...get(end),
    ...int(8),
    OP.sub,
    ...int(5),
    OP.shrU,
    ...int(2),
    OP.shl,
    OP.add,
    ...set(wordAt),
    // shift = -end; shr_u masks its count to (-end & 31).
    ...int(0),
    ...get(end),
    OP.sub,
    ...set(shift),
    ...unrolledLoop(p, count, (k) => [
      ...wordAddress(pending, p, 3),
      ...load(8 * k),
      ...set(i),
      ...wordAddress(pending, p, 3),
      ...load(8 * k + 4),
      ...set(entry),
      // slot = (word >>> shift) & 255
      ...wordAddress(wordAt, i, 4),
      ...load(),
      ...get(shift),
      OP.shrU,
      ...int(255),
      OP.and,
      ...set(slot),
      ...nodeStep({ entry, slot, record, ents, addressOnly: true }),
      ...wordAddress(pending, p, 3),
      ...get(entry),
      OP.store,
      2,
      ...unsignedLeb(8 * k + 4),
    ]),
    OP.end,
  ];
}

/**
 * entry6(out, pending, count) -> pending count: the second half of a node level. Reads the
 * entry at each pair's address, writes it to `out` and keeps in `pending` the keys whose entry
 * is again a node reference. It writes the list over itself: pair `next` is never one it has
 * yet to read.
 */
function entry6Body(): number[] {
  const [out, pending, count, p, next, i, entry] = [0, 1, 2, 3, 4, 5, 6];
  return [
    ...vector([[4, I32]]),
    ...unrolledLoop(p, count, (k) => [
      ...wordAddress(pending, p, 3),
      ...load(8 * k),
      ...set(i),
      ...wordAddress(pending, p, 3),
      ...load(8 * k + 4),
      ...load(),
      ...set(entry),
      ...wordAddress(out, i),
      ...get(entry),
      ...store,
      ...keepIfNode({ pending, next, i, entry }),
    ]),
    ...get(next),
    OP.end,
  ];
}

/**
 * Returns the binary of the module for addresses of `keyBits` bits: its functions and the import
 * of its memory. IPv4 and IPv6 get a module each, so that each stays under 4 KiB (see the test).
 */
export function moduleBytes(keyBits: 32 | 128): Uint8Array {
  const params = (n: number): number[] => vector(Array.from({ length: n }, () => [I32]));
  const types = [
    [0x60, ...params(2), ...vector([])],
    [0x60, ...params(9), ...vector([[I32]])],
    [0x60, ...params(5), ...vector([])],
    [0x60, ...params(3), ...vector([[I32]])],
  ];
  const functions: [string, number, number[]][] =
    keyBits === 32
      ? [["lookup4", 0, lookup4Body()]]
      : [
          ["first6", 1, first6Body("top")],
          ["first6n", 1, first6Body("node")],
          ["first6w", 1, first6Body("wide")],
          ["record6", 2, record6Body()],
          ["entry6", 3, entry6Body()],
        ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    // Import env.memory, a memory of at least 0 pages and no maximum.
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 0x00]])),
    ...section(3, vector(functions.map(([, type]) => [type]))),
    ...section(7, vector(functions.map(([label], index) => [...name(label), 0x00, index]))),
    ...section(10, vector(functions.map(([, , body]) => [...unsignedLeb(body.length), ...body]))),
  ]);
}

type First6 = (
  keys: number,
  out: number,
  count: number,
  pending: number,
  ents: number,
  wideIndex: number,
  wideFirst: number,
  wideSpan: number,
  wideCells: number,
) => number;

/** The exports of both modules: an arena's module has those of its address family only. */
interface LookupExports {
  lookup4(end: number, ents: number): void;
  first6: First6;
  first6n: First6;
  first6w: First6;
  record6(keys: number, pending: number, count: number, end: number, ents: number): void;
  entry6(out: number, pending: number, count: number): number;
}

/** The parts of the engine's WebAssembly API the arena uses, typed here for a build without DOM types. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled modules by address bits; none when this engine has no WebAssembly. */
const compiled = new Map<number, object>();

function compiledModule(keyBits: 32 | 128): object | null {
  if (wasmApi === undefined) return null;
  let module = compiled.get(keyBits);
  if (module === undefined) {
    module = new wasmApi.Module(moduleBytes(keyBits));
    compiled.set(keyBits, module);
  }
  return module;
}

/**
 * A WebAssembly memory holding one trie's first level, node records and entries, and the batch
 * lookups over them.
 */
export class WasmArena {
  /** Views of the three arrays, replaced after every resize. */
  top: Int32Array;
  nodes: Int32Array;
  ents: Int32Array;
  private readonly memory: WasmMemory;
  private readonly lookups: LookupExports;
  private entsAt: number;
  /**
   * Where the wide level lies, after the entries: the byte addresses of its index and cells, the
   * index's first /16 and span, and its node count. Null when there is none. A resize drops it,
   * and only `placeWide` places one.
   */
  private wide: {
    indexAt: number;
    first: number;
    span: number;
    cellsAt: number;
    nodes: number;
  } | null = null;

  private constructor(
    module: object,
    api: WasmApi,
    top: Int32Array,
    nodes: Int32Array,
    ents: Int32Array,
  ) {
    if (top.length > TOP_ENTRIES)
      throw new RangeError(`invalid first level: ${top.length} entries, at most ${TOP_ENTRIES}`);
    this.entsAt = NODES_AT + nodes.byteLength;
    const end = this.entsAt + ents.byteLength;
    this.memory = new api.Memory({ initial: Math.ceil(end / PAGE_BYTES) });
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.lookups = instance.exports as unknown as LookupExports;
    this.top = this.view(TOP_AT, top.length);
    this.nodes = this.view(NODES_AT, nodes.length);
    this.ents = this.view(this.entsAt, ents.length);
    this.top.set(top);
    this.nodes.set(nodes);
    this.ents.set(ents);
  }

  /**
   * Returns an arena holding copies of the three arrays, with the batch lookups for addresses of
   * `keyBits` bits, or null when the engine has no WebAssembly. The first level has at most
   * 65,536 entries, because the loops read all 65,536.
   */
  static create(
    keyBits: 32 | 128,
    top: Int32Array,
    nodes: Int32Array,
    ents: Int32Array,
  ): WasmArena | null {
    const module = compiledModule(keyBits);
    return module === null || wasmApi === undefined
      ? null
      : new WasmArena(module, wasmApi, top, nodes, ents);
  }

  /** Number of wide nodes the IPv6 batch lookups read (see wide-level.ts). */
  get wideNodes(): number {
    return this.wide?.nodes ?? 0;
  }

  /** Bytes of the whole memory: the arrays, the scratch area and the unused tail. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Gives the node records `nodesLength` words and the entries `entsLength`, keeping the
   * contents both share with their old lengths and zeroing the rest, and replaces the views.
   */
  resize(nodesLength: number, entsLength: number): void {
    const nodesAt = NODES_AT;
    const entsAt = nodesAt + nodesLength * 4;
    const end = entsAt + entsLength * 4;
    // Read the lengths before growing: a detached view reports length 0.
    const topLength = this.top.length;
    const oldNodes = this.nodes.length;
    const oldEnts = this.ents.length;
    if (end > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE_BYTES));
    }
    const words = new Int32Array(this.memory.buffer);
    const keptEnts = Math.min(oldEnts, entsLength);
    words.copyWithin(entsAt / 4, this.entsAt / 4, this.entsAt / 4 + keptEnts);
    if (nodesLength > oldNodes) words.fill(0, nodesAt / 4 + oldNodes, entsAt / 4);
    words.fill(0, entsAt / 4 + keptEnts, end / 4);
    this.entsAt = entsAt;
    this.wide = null;
    this.top = this.view(TOP_AT, topLength);
    this.nodes = this.view(nodesAt, nodesLength);
    this.ents = this.view(entsAt, entsLength);
  }

  /**
   * Places a wide level (see wide-level.ts) after the entries, for the IPv6 batch lookups to
   * read. Returns its arrays for the caller to fill, with any contents: the index of the /16s
   * from `first` on and the cells, of `lengths` elements. It may grow the memory, which replaces
   * the three views.
   */
  placeWide(first: number, lengths: { index: number; cells: number }): WideLevel {
    const indexAt = this.entsAt + this.ents.byteLength;
    // Every word starts on a 4-byte boundary, the cells' 8-byte bitmaps included.
    const cellsAt = indexAt + Math.ceil(lengths.index / 4) * 4;
    const end = cellsAt + lengths.cells * 4;
    if (end > this.memory.buffer.byteLength) {
      const { top, nodes, ents } = this;
      const [topLength, nodesLength, entsLength] = [top.length, nodes.length, ents.length];
      this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE_BYTES));
      this.top = this.view(TOP_AT, topLength);
      this.nodes = this.view(NODES_AT, nodesLength);
      this.ents = this.view(this.entsAt, entsLength);
    }
    const nodes = lengths.cells / (WIDE_CELLS * WIDE_CELL_WORDS);
    this.wide = { indexAt, first, span: lengths.index - 1, cellsAt, nodes };
    return {
      first,
      index: new Uint8Array(this.memory.buffer, indexAt, lengths.index),
      cells: this.view(cellsAt, lengths.cells),
    };
  }

  /** Drops the wide level: the IPv6 batch lookups go on without one. */
  dropWide(): void {
    this.wide = null;
  }

  /** Writes to `out` the prefix id of every IPv4 address in `addrs`. */
  lookup4(addrs: Uint32Array, out: Int32Array): void {
    const keys = new Uint32Array(this.memory.buffer, KEYS_AT, CHUNK);
    const results = new Int32Array(this.memory.buffer, OUT_AT, CHUNK);
    for (let start = 0; start < addrs.length; start += CHUNK) {
      const count = Math.min(CHUNK, addrs.length - start);
      keys.set(addrs.subarray(start, start + count));
      // The keys past `count` up to a whole group are stale but valid addresses, and their
      // results are not copied out.
      const end = Math.ceil(count / LOOKUP4_GROUP) * LOOKUP4_GROUP * 4;
      this.lookups.lookup4(end, this.entsAt);
      out.set(results.subarray(0, count), start);
    }
  }

  /**
   * Writes to `out` the prefix id of every IPv6 address (four words each) in `addrs`. A chunk
   * that follows one where most keys went past the first level starts with `first6w`, or
   * `first6n` without a wide level; any other with `first6`. Before the first chunk that would
   * read the wide level, it calls `buildWide` once, when given, to place one (see `placeWide`),
   * so that batches that never go deep do not pay for building it.
   */
  lookup6(addrs: Uint32Array, out: Int32Array, buildWide?: () => void): void {
    const { lookups, entsAt } = this;
    let keys = new Uint32Array(this.memory.buffer, KEYS_AT, CHUNK * 4);
    let results = new Int32Array(this.memory.buffer, OUT_AT, CHUNK);
    let mustBuild = buildWide !== undefined;
    const total = addrs.length >>> 2;
    let isDeep = false;
    for (let start = 0; start < total; start += CHUNK) {
      if (isDeep && mustBuild) {
        buildWide!();
        mustBuild = false;
        // Placing the level may have grown the memory, which detaches both views.
        keys = new Uint32Array(this.memory.buffer, KEYS_AT, CHUNK * 4);
        results = new Int32Array(this.memory.buffer, OUT_AT, CHUNK);
      }
      const count = Math.min(CHUNK, total - start);
      keys.set(addrs.subarray(start * 4, (start + count) * 4));
      const wide = isDeep ? this.wide : null;
      let pending: number;
      let end: number;
      if (wide !== null) {
        const cells = wide.cellsAt - WIDE_NODE_BYTES;
        const { indexAt, first, span } = wide;
        pending = lookups.first6w(
          KEYS_AT,
          OUT_AT,
          count,
          PENDING_AT,
          entsAt,
          indexAt,
          first,
          span,
          cells,
        );
        // first6w lists every key with the address of its entry for bits 17-32.
        pending = lookups.entry6(OUT_AT, PENDING_AT, pending);
        end = 40;
      } else {
        const firstPass = isDeep ? lookups.first6n : lookups.first6;
        pending = firstPass(KEYS_AT, OUT_AT, count, PENDING_AT, entsAt, 0, 0, 0, 0);
        end = isDeep ? 32 : 24;
      }
      isDeep = pending * 2 > count;
      for (; pending > 0; end += 8) {
        lookups.record6(KEYS_AT, PENDING_AT, pending, end, entsAt);
        pending = lookups.entry6(OUT_AT, PENDING_AT, pending);
      }
      out.set(results.subarray(0, count), start);
    }
  }

  private view(at: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, length);
  }
}
