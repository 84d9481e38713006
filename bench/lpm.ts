/**
 * Longest-prefix-match benchmark: hoptrace's tries against the linear reference, the npm peers
 * installed as devDependencies and a plain DIR-24-8 in C, on the real tables in
 * `../shared/data/`.
 *
 * Run with `npm run bench:lpm` (a readable table) or `npm run bench:lpm -- --json` (one JSON
 * object per implementation and table). Every implementation looks up the same keys: uniformly
 * random addresses, and addresses drawn from the table's prefixes with random host bits.
 *
 * Bytes per prefix is heap growth: `heapUsed + external` from `process.memoryUsage()`, which
 * counts every ArrayBuffer and WebAssembly memory, after a full GC, before and after building,
 * divided by the prefix count. The C row counts its
 * table arrays instead. The GC is reached through `v8.setFlagsFromString("--expose-gc")`, so
 * the npm script needs no extra flag. Before any table is built, small tables compile the
 * WebAssembly modules of hoptrace's batch lookups and the code that builds an IPv6 wide level:
 * that code serves every table of a process.
 *
 * A rate is the best of five timed passes over the keys, after one untimed pass.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Trie4, type TrieOptions } from "../src/fib/trie4.js";
import { Trie6 } from "../src/fib/trie6.js";
import { LinearLpm4, LinearLpm6 } from "../test/reference/linear-lpm.js";
import { TABLE_FILES, loadTable4, loadTable6, missingTables } from "./route-tables.js";
import { keys4, keys6, xorshift } from "./keys.js";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const require = createRequire(import.meta.url);

const JSON_OUTPUT = process.argv.includes("--json");
/** Keys per kind for hoptrace's tries and the C table. */
const KEY_COUNT = 1 << 22;
/** Keys per kind for the npm peers, which parse a string per lookup. */
const PEER_KEY_COUNT = 200_000;
/** Prefixes the linear reference indexes: a full table would take hours. */
const LINEAR_SUBSET = 10_000;
/** Keys the linear reference looks up. */
const LINEAR_KEY_COUNT = 2_000;
/** Prefixes deleted and inserted again to measure updates. */
const UPDATE_COUNT = 100_000;

/** One line of results; a field is null when the implementation cannot measure it. */
interface Result {
  impl: string;
  table: string;
  prefixes: number;
  buildSeconds: number | null;
  lookupsPerSecondRandom: number | null;
  lookupsPerSecondInTable: number | null;
  bytesPerPrefix: number | null;
  /** The best of three passes; the first pass counts too. */
  updatesPerSecond: number | null;
  /** The first of those passes, for hoptrace's tries. */
  updatesPerSecondFirstPass?: number;
  note?: string;
}

/**
 * Returns the heap plus external bytes in use after a full garbage collection. External bytes
 * include every ArrayBuffer and WebAssembly memory; `arrayBuffers` alone leaves the latter out.
 */
function usedBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Returns the seconds `run` takes. */
function time(run: () => void): number {
  const start = performance.now();
  run();
  return (performance.now() - start) / 1000;
}

/**
 * Returns updates per second over `sample`: the best of three passes, with no untimed pass
 * before them, and the first pass, which also pays for the JIT's warm-up. Each pass deletes every sampled prefix and
 * then inserts it again, so the table ends each pass as it began.
 */
function updateRates(
  sample: readonly number[],
  remove: (j: number) => void,
  insert: (j: number) => void,
): { best: number; first: number } {
  const passes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    passes.push(
      time(() => {
        for (const j of sample) remove(j);
        for (const j of sample) insert(j);
      }),
    );
  }
  const updates = 2 * sample.length;
  return { best: updates / Math.min(...passes), first: updates / passes[0]! };
}

/**
 * Timed passes per rate. On the 2-core virtual machine of docs/benchmarks.md, passes over the
 * same keys in one process differed by up to a quarter (random IPv6 keys: 325 M to 444 M
 * lookups/s after warm-up), so a rate takes the best of five.
 */
const TIMED_PASSES = 5;

/**
 * Returns lookups per second: the best of `TIMED_PASSES` passes over `count` keys, after one
 * untimed pass.
 *
 * NOTE: in a new process the IPv6 random-key rate kept climbing over the first four to six
 * passes (about 200 M to 450-530 M), so the passes may end before it settles.
 */
function rate(count: number, run: () => void): number {
  // An untimed pass first: the engine compiles a hot loop while it runs, so a first timed pass
  // would measure that as well.
  run();
  let best = Infinity;
  for (let pass = 0; pass < TIMED_PASSES; pass++) best = Math.min(best, time(run));
  return count / best;
}

/** Returns the dotted-quad text of an IPv4 address. */
function formatIPv4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

/** Returns the uncompressed IPv6 text of four words at `offset`. */
function formatIPv6(words: Uint32Array, offset: number): string {
  const groups: string[] = [];
  for (let k = 0; k < 4; k++) {
    groups.push(
      (words[offset + k]! >>> 16).toString(16),
      (words[offset + k]! & 0xffff).toString(16),
    );
  }
  return groups.join(":");
}

/** Returns the indexes of the prefixes that the update benchmark deletes and inserts again. */
function updateSample(count: number): number[] {
  const next = xorshift(12345);
  return Array.from({ length: Math.min(UPDATE_COUNT, count) }, () => next() % count);
}

/** The name of each batch loop in the notes. */
const BATCH_LOOP = { wasm: "WebAssembly", js: "JavaScript" } as const;

/** hoptrace's configurations: the default, and plain arrays with the JavaScript batch loop. */
const TRIE_VARIANTS: readonly { suffix: string; options: TrieOptions }[] = [
  { suffix: "", options: {} },
  { suffix: " (JS loop)", options: { wasm: false } },
];

function benchTrie4(
  table: string,
  addrs: Uint32Array,
  bits: Uint8Array,
  suffix: string,
  options: TrieOptions,
): Result {
  const values = Array.from(addrs, (_, i) => i);
  const { random, inTable } = keys4(addrs, bits, KEY_COUNT);
  const before = usedBytes();
  const trie = new Trie4<number>(options);
  const buildSeconds = time(() => trie.insertMany(addrs, bits, values));
  const bytesPerPrefix = (usedBytes() - before) / trie.size;
  const typedBytesPerPrefix = trie.byteLength / trie.size;
  const out = new Int32Array(KEY_COUNT);
  const lookupsPerSecondRandom = rate(KEY_COUNT, () => trie.lookupMany(random, out));
  const lookupsPerSecondInTable = rate(KEY_COUNT, () => trie.lookupMany(inTable, out));
  const sample = [...new Set(updateSample(addrs.length))];
  const updates = updateRates(
    sample,
    (j) => trie.delete(addrs[j]!, bits[j]!),
    (j) => trie.insert(addrs[j]!, bits[j]!, j),
  );
  return {
    impl: `hoptrace Trie4${suffix}`,
    table,
    prefixes: trie.size,
    buildSeconds,
    lookupsPerSecondRandom,
    lookupsPerSecondInTable,
    bytesPerPrefix,
    updatesPerSecond: updates.best,
    updatesPerSecondFirstPass: updates.first,
    note: `${BATCH_LOOP[trie.batchEngine]} batch loop; own arrays and memory after the build: ${typedBytesPerPrefix.toFixed(1)} B/prefix; updates ${formatRate(updates.first)}/s in the first pass`,
  };
}

function benchTrie6(
  table: string,
  words: Uint32Array,
  bits: Uint8Array,
  suffix: string,
  options: TrieOptions,
): Result {
  const count = bits.length;
  const addrs = Array.from({ length: count }, (_, i) => words.slice(i * 4, i * 4 + 4));
  const values = Array.from(bits, (_, i) => i);
  const keys = keys6(words, bits, KEY_COUNT / 4);
  const before = usedBytes();
  const trie = new Trie6<number>(options);
  const buildSeconds = time(() => trie.insertMany(addrs, bits, values));
  const bytesPerPrefix = (usedBytes() - before) / trie.size;
  const typedBytesPerPrefix = trie.byteLength / trie.size;
  const out = new Int32Array(KEY_COUNT / 4);
  const lookupsPerSecondRandom = rate(out.length, () => trie.lookupMany(keys.random, out));
  const lookupsPerSecondInTable = rate(out.length, () => trie.lookupMany(keys.inTable, out));
  const sample = [...new Set(updateSample(count))];
  const updates = updateRates(
    sample,
    (j) => trie.delete(addrs[j]!, bits[j]!),
    (j) => trie.insert(addrs[j]!, bits[j]!, j),
  );
  return {
    impl: `hoptrace Trie6${suffix}`,
    table,
    prefixes: trie.size,
    buildSeconds,
    lookupsPerSecondRandom,
    lookupsPerSecondInTable,
    bytesPerPrefix,
    updatesPerSecond: updates.best,
    updatesPerSecondFirstPass: updates.first,
    note: `${BATCH_LOOP[trie.batchEngine]} batch loop; own arrays and memory after the build: ${typedBytesPerPrefix.toFixed(1)} B/prefix; updates ${formatRate(updates.first)}/s in the first pass`,
  };
}

/** Measures the linear reference on the first `LINEAR_SUBSET` prefixes of the table. */
function benchLinear(
  table: string,
  size: number,
  insertAll: (index: LinearLpm4<number> | LinearLpm6<number>) => void,
  make: () => LinearLpm4<number> | LinearLpm6<number>,
  lookupRandom: (index: never) => void,
  lookupInTable: (index: never) => void,
): Result {
  const index = make();
  const buildSeconds = time(() => insertAll(index));
  return {
    impl: "linear reference",
    table,
    prefixes: size,
    buildSeconds,
    lookupsPerSecondRandom: rate(LINEAR_KEY_COUNT, () => lookupRandom(index as never)),
    lookupsPerSecondInTable: rate(LINEAR_KEY_COUNT, () => lookupInTable(index as never)),
    bytesPerPrefix: null,
    updatesPerSecond: null,
    note: `first ${size} prefixes only, ${LINEAR_KEY_COUNT} keys: a full table is too slow`,
  };
}

/** A peer's string API: add a prefix, look up an address, optionally delete a prefix. */
interface Peer {
  /** Set for a native addon, whose memory lies outside the V8 heap and is not measured. */
  isNative?: boolean;
  add(addr: string, bits: number, value: number): void;
  find(addr: string): unknown;
  delete?: (addr: string, bits: number) => void;
}

/** Measures one npm peer given as a factory of its string API. */
function benchPeer(
  impl: string,
  table: string,
  make: () => Peer,
  prefixes: { text: string[]; bits: Uint8Array },
  random: string[],
  inTable: string[],
): Result {
  const before = usedBytes();
  const peer = make();
  const buildSeconds = time(() => {
    for (let i = 0; i < prefixes.text.length; i++)
      peer.add(prefixes.text[i]!, prefixes.bits[i]!, i);
  });
  const bytesPerPrefix = peer.isNative ? null : (usedBytes() - before) / prefixes.text.length;
  const lookupsPerSecondRandom = rate(random.length, () => random.forEach((a) => peer.find(a)));
  const lookupsPerSecondInTable = rate(inTable.length, () => inTable.forEach((a) => peer.find(a)));
  let updatesPerSecond: number | null = null;
  const remove = peer.delete;
  if (remove !== undefined) {
    const sample = [...new Set(updateSample(prefixes.text.length))];
    updatesPerSecond = updateRates(
      sample,
      (j) => remove(prefixes.text[j]!, prefixes.bits[j]!),
      (j) => peer.add(prefixes.text[j]!, prefixes.bits[j]!, j),
    ).best;
  }
  return {
    impl,
    table,
    prefixes: prefixes.text.length,
    buildSeconds,
    lookupsPerSecondRandom,
    lookupsPerSecondInTable,
    bytesPerPrefix,
    updatesPerSecond,
    note: [
      `${random.length} string keys per kind`,
      remove ? "" : "no delete in its API",
      peer.isNative ? "native memory not measured" : "",
    ]
      .filter((part) => part !== "")
      .join(", "),
  };
}

/** Returns the string-keyed peers that can do LPM, and prints why the others are left out. */
function loadPeers(): { name: string; make: () => Peer }[] {
  const peers: { name: string; make: () => Peer }[] = [];
  try {
    const { IPTrie } = require("arkime-iptrie") as {
      IPTrie: new () => {
        add(a: string, b: number, v: number): void;
        find(a: string): unknown;
        del(a: string, b: number): boolean;
      };
    };
    peers.push({
      name: "arkime-iptrie",
      make: () => {
        const trie = new IPTrie();
        return {
          isNative: true,
          add: (a, b, v) => trie.add(a, b, v),
          find: (a) => trie.find(a),
          delete: (a, b) => trie.del(a, b),
        };
      },
    });
  } catch (error) {
    report(`arkime-iptrie left out: it failed to load (${(error as Error).message})`);
  }
  try {
    const Lpm = require("longest-prefix-match") as new () => {
      addPrefix(p: string, v: number): void;
      getMatch(p: string): unknown[];
    };
    peers.push({
      name: "longest-prefix-match",
      make: () => {
        const lpm = new Lpm();
        const hostBits = (a: string) => (a.includes(":") ? 128 : 32);
        return {
          add: (a, b, v) => lpm.addPrefix(`${a}/${b}`, v),
          find: (a) => lpm.getMatch(`${a}/${hostBits(a)}`)[0],
        };
      },
    });
  } catch (error) {
    report(`longest-prefix-match left out: it failed to load (${(error as Error).message})`);
  }
  report(
    "ip6addr and netmask left out: they parse and compare single CIDR blocks " +
      "(contains) but keep no index, so LPM over them is a linear scan like the reference",
  );
  return peers;
}

/** Runs the C DIR-24-8 on the same prefixes and keys, or returns why it could not. */
function benchC(
  table: string,
  addrs: Uint32Array,
  bits: Uint8Array,
  keys: { random: Uint32Array; inTable: Uint32Array },
): Result | string {
  const dir = mkdtempSync(join(tmpdir(), "hoptrace-lpm-"));
  try {
    const source = fileURLToPath(new URL("./c/dir24_8.c", import.meta.url));
    const binary = join(dir, "dir24_8");
    try {
      execFileSync("cc", ["-O2", "-o", binary, source], { stdio: "pipe" });
    } catch (error) {
      return `C DIR-24-8 left out: cc -O2 failed (${(error as Error).message.split("\n")[0]})`;
    }
    const pairs = new Uint32Array(addrs.length * 2);
    addrs.forEach((addr, i) => {
      pairs[2 * i] = addr;
      pairs[2 * i + 1] = bits[i]!;
    });
    writeFileSync(join(dir, "prefixes.bin"), pairs);
    writeFileSync(join(dir, "random.bin"), keys.random);
    writeFileSync(join(dir, "in-table.bin"), keys.inTable);
    const output = execFileSync(
      binary,
      ["prefixes.bin", "random.bin", "in-table.bin"].map((f) => join(dir, f)),
      {
        encoding: "utf8",
      },
    );
    const measured = JSON.parse(output) as Record<string, number>;
    return {
      impl: "C DIR-24-8 (cc -O2)",
      table,
      prefixes: measured.prefixes!,
      buildSeconds: measured.buildSeconds!,
      lookupsPerSecondRandom: measured.lookupsPerSecondRandom!,
      lookupsPerSecondInTable: measured.lookupsPerSecondInTable!,
      bytesPerPrefix: measured.bytes! / measured.prefixes!,
      updatesPerSecond: null,
      note: "bytes: its tbl24 and tbl8 arrays; no incremental update measured",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns heap growth per table of `count` tables of five routes each. */
function benchSmallTables(count: number): { v4: number; v6: number } {
  const before4 = usedBytes();
  const tables4: Trie4<number>[] = [];
  for (let t = 0; t < count; t++) {
    const trie = new Trie4<number>();
    for (let r = 0; r < 5; r++) trie.insert((0x0a000000 + (t << 8) + r * 16) >>> 0, 28, r);
    tables4.push(trie);
  }
  const v4 = (usedBytes() - before4) / count;
  const before6 = usedBytes();
  const tables6: Trie6<number>[] = [];
  for (let t = 0; t < count; t++) {
    const trie = new Trie6<number>();
    for (let r = 0; r < 5; r++) trie.insert(Uint32Array.of(0x20010db8, (t << 8) | r, 0, 0), 64, r);
    tables6.push(trie);
  }
  const v6 = (usedBytes() - before6) / count;
  if (tables4.length + tables6.length !== 2 * count) throw new Error("tables were dropped");
  return { v4, v6 };
}

function report(line: string): void {
  if (!JSON_OUTPUT) console.log(line);
}

function formatRate(value: number | null): string {
  if (value === null) return "-";
  return value >= 1e6 ? `${(value / 1e6).toFixed(1)} M` : `${(value / 1e3).toFixed(1)} k`;
}

function printResult(result: Result): void {
  if (JSON_OUTPUT) {
    console.log(JSON.stringify(result));
    return;
  }
  const columns = [
    result.impl.padEnd(24),
    result.table.padEnd(16),
    String(result.prefixes).padStart(8),
    (result.buildSeconds === null ? "-" : result.buildSeconds.toFixed(3)).padStart(8),
    formatRate(result.lookupsPerSecondRandom).padStart(9),
    formatRate(result.lookupsPerSecondInTable).padStart(9),
    (result.bytesPerPrefix === null ? "-" : result.bytesPerPrefix.toFixed(1)).padStart(7),
    formatRate(result.updatesPerSecond).padStart(9),
  ];
  console.log(columns.join(" ") + (result.note ? `  (${result.note})` : ""));
}

function main(): void {
  const missing = missingTables();
  if (missing !== undefined) {
    console.error(`bench:lpm: ${missing}; the tables belong in ../shared/data/`);
    process.exitCode = 1;
    return;
  }
  report(
    "impl                     table            prefixes  build s  random/s table/s   B/pfx updates/s",
  );
  const peers = loadPeers();
  compileBuildCode();
  for (const file of TABLE_FILES) {
    if (file.family === 4) runTable4(file.name, file.file, peers);
    else runTable6(file.name, file.file, peers);
  }
  const small = benchSmallTables(10_000);
  if (JSON_OUTPUT) {
    console.log(
      JSON.stringify({
        impl: "hoptrace small tables",
        tables: 10_000,
        routesPerTable: 5,
        bytesPerTable4: small.v4,
        bytesPerTable6: small.v6,
      }),
    );
  } else {
    console.log(
      `10,000 tables of 5 routes: ${(small.v4 / 1024).toFixed(2)} KiB per IPv4 table, ` +
        `${(small.v6 / 1024).toFixed(2)} KiB per IPv6 table (heap growth)`,
    );
  }
}

/**
 * Builds a small trie of each family in WebAssembly memory, which compiles each family's batch
 * module, and the IPv6 one with a wide level (see src/fib/wide-level.ts), which gets the engine
 * to compile the code that builds one. That code (the modules alone take about 100 KB for IPv4
 * and 170 KB for IPv6, heap plus external bytes) serves every table of the process, so it is
 * left out of bytes per prefix.
 */
function compileBuildCode(): void {
  const direct = { trieThreshold: 0, directThreshold: 0 };
  new Trie4<number>(direct).insertMany(Uint32Array.of(0xc0000200), Uint8Array.of(24), [0]);
  // /32s at every fourth value of bits 17-32: two runs each, 1,000 in all.
  const addrs = Array.from({ length: 500 }, (_, i) => Uint32Array.of(0x20010000 + 4 * i, 0, 0, 0));
  new Trie6<number>(direct).insertMany(
    addrs,
    addrs.map(() => 32),
    addrs.map((_, i) => i),
  );
}

function runTable4(table: string, file: string, peers: { name: string; make: () => Peer }[]): void {
  const { addrs, bits } = loadTable4(file);
  for (const { suffix, options } of TRIE_VARIANTS) {
    printResult(benchTrie4(table, addrs, bits, suffix, options));
  }
  const keys = keys4(addrs, bits, KEY_COUNT);
  const c = benchC(table, addrs, bits, keys);
  if (typeof c === "string") report(c);
  else printResult(c);
  const subset = Math.min(LINEAR_SUBSET, addrs.length);
  const linearKeys = keys4(addrs.subarray(0, subset), bits.subarray(0, subset), LINEAR_KEY_COUNT);
  printResult(
    benchLinear(
      table,
      subset,
      (index) => {
        for (let i = 0; i < subset; i++)
          (index as LinearLpm4<number>).insert(addrs[i]!, bits[i]!, i);
      },
      () => new LinearLpm4<number>(),
      (index: LinearLpm4<number>) => linearKeys.random.forEach((a) => index.lookup(a)),
      (index: LinearLpm4<number>) => linearKeys.inTable.forEach((a) => index.lookup(a)),
    ),
  );
  const text = { text: Array.from(addrs, formatIPv4), bits };
  const peerKeys = keys4(addrs, bits, PEER_KEY_COUNT);
  const random = Array.from(peerKeys.random, formatIPv4);
  const inTable = Array.from(peerKeys.inTable, formatIPv4);
  for (const peer of peers)
    printResult(benchPeer(peer.name, table, peer.make, text, random, inTable));
}

function runTable6(table: string, file: string, peers: { name: string; make: () => Peer }[]): void {
  const { words, bits } = loadTable6(file);
  for (const { suffix, options } of TRIE_VARIANTS) {
    printResult(benchTrie6(table, words, bits, suffix, options));
  }
  report(`C DIR-24-8 left out for ${table}: it indexes IPv4 only`);
  const subset = Math.min(LINEAR_SUBSET, bits.length);
  const linearKeys = keys6(words, bits.subarray(0, subset), LINEAR_KEY_COUNT);
  const split = (flat: Uint32Array) =>
    Array.from({ length: flat.length / 4 }, (_, i) => flat.subarray(i * 4, i * 4 + 4));
  const linearRandom = split(linearKeys.random);
  const linearInTable = split(linearKeys.inTable);
  printResult(
    benchLinear(
      table,
      subset,
      (index) => {
        for (let i = 0; i < subset; i++) {
          (index as LinearLpm6<number>).insert(words.slice(i * 4, i * 4 + 4), bits[i]!, i);
        }
      },
      () => new LinearLpm6<number>(),
      (index: LinearLpm6<number>) => linearRandom.forEach((a) => index.lookup(a)),
      (index: LinearLpm6<number>) => linearInTable.forEach((a) => index.lookup(a)),
    ),
  );
  const text = { text: Array.from(bits, (_, i) => formatIPv6(words, i * 4)), bits };
  const peerKeys = keys6(words, bits, PEER_KEY_COUNT);
  const random = Array.from({ length: PEER_KEY_COUNT }, (_, i) =>
    formatIPv6(peerKeys.random, i * 4),
  );
  const inTable = Array.from({ length: PEER_KEY_COUNT }, (_, i) =>
    formatIPv6(peerKeys.inTable, i * 4),
  );
  for (const peer of peers)
    printResult(benchPeer(peer.name, table, peer.make, text, random, inTable));
}

main();
