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
 * per trip, and IPv4 keys read in stages over groups of eight.
 *
 * The module is written out as bytes below, with a few helpers for the encoding, so that it
 * needs no toolchain and no file at run time. It imports its memory, so every `WasmArena`
 * instantiates the one compiled module over a memory of its own.
 *
 * An arena's memory starts with a scratch area for one chunk of a batch: keys, results and, for
 * IPv6, the pending list. The first level, the node records and the entries follow, each an
 * int32 array as `StrideTrie` describes them. Growing the memory detaches every
 * view of it, so `StrideTrie` reads its arrays back from the arena after every resize.
 */

/** Keys of one chunk of a batch. */
const CHUNK = 4096;
/** Bytes of the scratch area: IPv6 keys (16 bytes each), results and the pending list. */
const SCRATCH_BYTES = CHUNK * 24;
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
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  load: 0x28,
  store: 0x36,
  const: 0x41,
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
function unrolledLoop(index: number, count: number, body: (k: number) => number[]): number[] {
  return [
    OP.block,
    VOID,
    OP.loop,
    VOID,
    ...get(index),
    ...int(PASS_UNROLL),
    OP.add,
    ...get(count),
    OP.gtU,
    OP.brIf,
    1,
    ...Array.from({ length: PASS_UNROLL }, (_, k) => body(k)).flat(),
    ...get(index),
    ...int(PASS_UNROLL),
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
 * Writes key index `i` to `pending[next]` and advances `next` when `entry` is a node reference
 * (-2 or less), read off the sign bit of `entry` + 1, so the list keeps only unresolved keys.
 */
function keepIfNode(locals: { pending: number; next: number; i: number; entry: number }): number[] {
  const { pending, next, i, entry } = locals;
  return [
    ...wordAddress(pending, next),
    ...get(i),
    ...store,
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

/**
 * Writes key index `i` to `pending[next]` and advances `next` when `entry` is a node reference,
 * behind a branch. `keepIfNode` does the same without one. In the first pass of a chunk of
 * random keys almost every key stops at the first level, so the branch always goes the same way
 * and skips the store. In alternating runs in one process on the tier-1 table (2026-12-05, AMD
 * EPYC, 2 cores) the median random rate went from 377-381 M to 469-471 M lookups/s, with the
 * in-table rate unchanged. `first6n`, which runs where most keys go on, keeps `keepIfNode`.
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
    ...wordAddress(pending, next),
    ...get(i),
    ...store,
    ...get(next),
    ...int(1),
    OP.add,
    ...set(next),
    OP.end,
  ];
}

/**
 * first6(keys, out, count, pending, ents) -> pending count: reads the first level for
 * `count` IPv6 keys of four words, writes each entry to `out` and lists in `pending` the indexes
 * whose entry is a node reference.
 *
 * With `withNode` (the export `first6n`), a key whose entry is a node reference also reads that
 * node, for bits 17-24, in the same iteration. Those nodes are few (59 on the tier-1 table) and
 * stay in cache, so a pass of their own costs more than its reads. A key that stops at the first
 * level skips that work, yet the loop with it ran random keys 10-20% slower, so `lookup6` takes
 * it only for chunks after one where most keys went past the first level.
 */
function first6Body(withNode: boolean): number[] {
  const [keys, out, count, pending, ents, i, next, entry, word, slot, record, key] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  return [
    ...vector([[7, I32]]),
    ...unrolledLoop(i, count, (k) => [
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
      ...(withNode
        ? [
            ...get(entry),
            ...int(-1),
            OP.ltS,
            OP.if,
            VOID,
            ...get(word),
            ...int(8),
            OP.shrU,
            ...int(255),
            OP.and,
            ...set(slot),
            ...nodeStep({ entry, slot, record, ents }),
            OP.end,
          ]
        : []),
      ...wordAddress(out, key),
      ...get(entry),
      ...store,
      ...(withNode ? keepIfNode : appendIfNode)({ pending, next, i: key, entry }),
    ]),
    ...get(next),
    OP.end,
  ];
}

/**
 * record6(keys, out, pending, count, end, ents): the first half of one node level for the
 * `count` pending IPv6 keys. From the node reference in `out[i]` and the address byte that ends
 * at bit `end`, it reads the node record and replaces `out[i]` by the byte address of the entry
 * the slot resolves to. `entry6` then reads those entries. Two passes let the cache misses of
 * the records, then those of the entries, overlap across keys, where one pass makes each entry
 * read wait for its record.
 */
function record6Body(): number[] {
  const [keys, out, pending, count, end, ents] = [0, 1, 2, 3, 4, 5];
  const [p, i, slot, record, entry, wordAt] = [6, 7, 8, 9, 10, 11];
  return [
    ...vector([[6, I32]]),
    // wordAt = 4 * ((end - 8) >>> 5): the byte offset of the key word that contains the slot.
    ...get(end),
    ...int(8),
    OP.sub,
    ...int(5),
    OP.shrU,
    ...int(2),
    OP.shl,
    ...set(wordAt),
    ...unrolledLoop(p, count, (k) => [
      ...wordAddress(pending, p),
      ...load(4 * k),
      ...set(i),
      // slot = (word >>> (-end & 31)) & 255; shr_u masks its count.
      ...wordAddress(keys, i, 4),
      ...get(wordAt),
      OP.add,
      ...load(),
      ...int(0),
      ...get(end),
      OP.sub,
      OP.shrU,
      ...int(255),
      OP.and,
      ...set(slot),
      ...wordAddress(out, i),
      ...load(),
      ...set(entry),
      ...nodeStep({ entry, slot, record, ents, addressOnly: true }),
      ...wordAddress(out, i),
      ...get(entry),
      ...store,
    ]),
    OP.end,
  ];
}

/**
 * entry6(out, pending, count) -> pending count: the second half of a node level. Replaces each
 * entry address in `out` by the entry and keeps in `pending` the keys whose entry is again a
 * node reference.
 */
function entry6Body(): number[] {
  const [out, pending, count, p, next, i, entry] = [0, 1, 2, 3, 4, 5, 6];
  return [
    ...vector([[4, I32]]),
    ...unrolledLoop(p, count, (k) => [
      ...wordAddress(pending, p),
      ...load(4 * k),
      ...set(i),
      // out[i] = entry = load(out[i])
      ...wordAddress(out, i),
      ...wordAddress(out, i),
      ...load(),
      ...load(),
      ...tee(entry),
      ...store,
      ...keepIfNode({ pending, next, i, entry }),
    ]),
    ...get(next),
    OP.end,
  ];
}

/** Returns the binary of the module: its four functions and the import of its memory. */
export function moduleBytes(): Uint8Array {
  const params = (n: number): number[] => vector(Array.from({ length: n }, () => [I32]));
  const types = [
    [0x60, ...params(2), ...vector([])],
    [0x60, ...params(5), ...vector([[I32]])],
    [0x60, ...params(6), ...vector([])],
    [0x60, ...params(3), ...vector([[I32]])],
    [0x60, ...params(5), ...vector([[I32]])],
  ];
  const bodies = [lookup4Body(), first6Body(false), record6Body(), entry6Body(), first6Body(true)];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    // Import env.memory, a memory of at least 0 pages and no maximum.
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 0x00]])),
    ...section(3, vector([[0], [1], [2], [3], [4]])),
    ...section(
      7,
      vector([
        [...name("lookup4"), 0x00, 0],
        [...name("first6"), 0x00, 1],
        [...name("record6"), 0x00, 2],
        [...name("entry6"), 0x00, 3],
        [...name("first6n"), 0x00, 4],
      ]),
    ),
    ...section(10, vector(bodies.map((body) => [...unsignedLeb(body.length), ...body]))),
  ]);
}

type First6 = (keys: number, out: number, count: number, pending: number, ents: number) => number;

interface LookupExports {
  lookup4(end: number, ents: number): void;
  first6: First6;
  first6n: First6;
  record6(
    keys: number,
    out: number,
    pending: number,
    count: number,
    end: number,
    ents: number,
  ): void;
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

/** The compiled module, null when this engine has no WebAssembly, undefined until first use. */
let compiled: object | null | undefined;

function compiledModule(): object | null {
  if (compiled === undefined) compiled = wasmApi ? new wasmApi.Module(moduleBytes()) : null;
  return compiled;
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
   * Returns an arena holding copies of the three arrays, or null when the engine has no
   * WebAssembly. The first level has at most 65,536 entries, because the loops read all 65,536.
   */
  static create(top: Int32Array, nodes: Int32Array, ents: Int32Array): WasmArena | null {
    const module = compiledModule();
    return module === null || wasmApi === undefined
      ? null
      : new WasmArena(module, wasmApi, top, nodes, ents);
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
    this.top = this.view(TOP_AT, topLength);
    this.nodes = this.view(nodesAt, nodesLength);
    this.ents = this.view(entsAt, entsLength);
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
   * that follows one where most keys went past the first level starts with `first6n`.
   */
  lookup6(addrs: Uint32Array, out: Int32Array): void {
    const keys = new Uint32Array(this.memory.buffer, KEYS_AT, CHUNK * 4);
    const results = new Int32Array(this.memory.buffer, OUT_AT, CHUNK);
    const total = addrs.length >>> 2;
    let withNode = false;
    for (let start = 0; start < total; start += CHUNK) {
      const count = Math.min(CHUNK, total - start);
      keys.set(addrs.subarray(start * 4, (start + count) * 4));
      const first: First6 = withNode ? this.lookups.first6n : this.lookups.first6;
      let pending = first(KEYS_AT, OUT_AT, count, PENDING_AT, this.entsAt);
      let end = withNode ? 32 : 24;
      withNode = pending * 2 > count;
      for (; pending > 0; end += 8) {
        this.lookups.record6(KEYS_AT, OUT_AT, PENDING_AT, pending, end, this.entsAt);
        pending = this.lookups.entry6(OUT_AT, PENDING_AT, pending);
      }
      out.set(results.subarray(0, count), start);
    }
  }

  private view(at: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, length);
  }
}
