/**
 * IPv4 trie layouts in C: `npm run bench:layouts`. It builds `Trie4` on the RouteViews table and
 * hands its first level, node records and entries, with the keys of `npm run bench:lpm`, to
 * `bench/c/trie_layouts.c`. That program prints rates for the trie's loop, three layout changes
 * and a DIR-24-8 built from the same trie.
 *
 * It separates the layout from the engine: the trie's own loop compiled by C against DIR-24-8 in
 * one process shows how close the layout can come to the in-table target, whatever runs it. It
 * compiles with `-march=native` so that C gets the popcount instruction, as WebAssembly does.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Trie4 } from "../src/fib/trie4.js";
import { keys4 } from "./keys.js";
import { TABLE_FILES, loadTable4, missingTables } from "./route-tables.js";

const KEY_COUNT = 1 << 22;

const missing = missingTables();
if (missing !== undefined) {
  console.error(missing);
  process.exit(1);
}
const { addrs, bits } = loadTable4(TABLE_FILES.find((t) => t.name === "ipv4-routeviews")!.file);
const trie = new Trie4<number>();
trie.insertMany(
  addrs,
  bits,
  Int32Array.from(addrs, (_, i) => i),
);
const keys = keys4(addrs, bits, KEY_COUNT);
// The arrays as the trie's batch loop reads them, through the internal stride trie.
const core = (
  trie as unknown as { core: { trie: { top: Int32Array; nodes: Int32Array; ents: Int32Array } } }
).core.trie;
const dir = mkdtempSync(join(tmpdir(), "hoptrace-layouts-"));
try {
  const files: Record<string, ArrayBufferView> = {
    "top.bin": core.top,
    "nodes.bin": core.nodes,
    "ents.bin": core.ents,
    "random.bin": keys.random,
    "in-table.bin": keys.inTable,
    "expected.bin": trie.lookupMany(keys.inTable),
  };
  for (const [name, view] of Object.entries(files)) {
    writeFileSync(join(dir, name), new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }
  const source = fileURLToPath(new URL("./c/trie_layouts.c", import.meta.url));
  const binary = join(dir, "trie_layouts");
  execFileSync("cc", ["-O2", "-march=native", "-o", binary, source], { stdio: "inherit" });
  console.log(`ipv4-routeviews, ${trie.size} prefixes, ${KEY_COUNT} keys per kind`);
  const output = execFileSync(binary, [dir], { encoding: "utf8" });
  for (const line of output.trim().split("\n")) {
    const row = JSON.parse(line) as Record<string, number | string | boolean>;
    const rate = (value: number | string | boolean | undefined) =>
      `${(Number(value) / 1e6).toFixed(1)} M/s`;
    console.log(
      `${String(row.layout).padEnd(42)} random ${rate(row.lookupsPerSecondRandom).padStart(11)}` +
        `  in-table ${rate(row.lookupsPerSecondInTable).padStart(11)}` +
        `  ${(Number(row.bytes) / trie.size).toFixed(1).padStart(5)} B/prefix` +
        (row.sameIds === true ? "" : "  IDS DIFFER"),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
