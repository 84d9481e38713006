/**
 * Loads the real BGP tables used by the LPM benchmark and the real-table test.
 *
 * The tables are gzip files of one prefix per line in canonical CIDR form, outside the
 * repository in `../shared/data/` next to the checkout. Only this loader and its callers run
 * under Node, so it may use `node:` modules.
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** Folder of the shared tables, beside the repository root. */
export const TABLES_DIR = fileURLToPath(new URL("../../shared/data/", import.meta.url));

/** One table file and its address family. */
export interface TableFile {
  readonly name: string;
  readonly file: string;
  readonly family: 4 | 6;
}

/** The three tables, largest first. */
export const TABLE_FILES: readonly TableFile[] = [
  { name: "ipv4-routeviews", file: "ipv4-routeviews-rv2-20240406.tsv.gz", family: 4 },
  { name: "ipv4-tier1", file: "ipv4-tier1-2023.txt.gz", family: 4 },
  { name: "ipv6-tier1", file: "ipv6-tier1-2023.txt.gz", family: 6 },
];

/** IPv4 prefixes as parallel arrays, in file order. */
export interface Table4 {
  readonly addrs: Uint32Array;
  readonly bits: Uint8Array;
}

/** IPv6 prefixes: four words per prefix in `words`, in file order. */
export interface Table6 {
  readonly words: Uint32Array;
  readonly bits: Uint8Array;
}

/** Returns the reason the tables cannot be read, or undefined when they all exist. */
export function missingTables(): string | undefined {
  for (const table of TABLE_FILES) {
    const path = TABLES_DIR + table.file;
    if (!existsSync(path)) return `route table ${path} not found`;
  }
  return undefined;
}

function readLines(file: string): string[] {
  const text = gunzipSync(readFileSync(TABLES_DIR + file)).toString("utf8");
  return text.split("\n").filter((line) => line.length > 0);
}

/** Returns the dotted-quad IPv4 address as an unsigned 32-bit integer. */
export function parseIPv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${text}"`);
  let addr = 0;
  for (const part of parts) addr = addr * 256 + Number(part);
  return addr;
}

/** Returns the IPv6 address in RFC 5952 text as four words written to `out` at `offset`. */
export function parseIPv6(text: string, out: Uint32Array, offset: number): void {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = [...headGroups];
  if (tail !== undefined) {
    for (let i = headGroups.length + tailGroups.length; i < 8; i++) groups.push("0");
  }
  groups.push(...tailGroups);
  if (groups.length !== 8) throw new Error(`invalid IPv6 address "${text}"`);
  for (let k = 0; k < 4; k++) {
    out[offset + k] = parseInt(groups[2 * k]!, 16) * 65536 + parseInt(groups[2 * k + 1]!, 16);
  }
}

/** Returns an IPv4 table read from `file` in the shared data folder. */
export function loadTable4(file: string): Table4 {
  const lines = readLines(file);
  const addrs = new Uint32Array(lines.length);
  const bits = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    const cidr = line.split("\t")[0]!;
    const slash = cidr.indexOf("/");
    addrs[i] = parseIPv4(cidr.slice(0, slash));
    bits[i] = Number(cidr.slice(slash + 1));
  });
  return { addrs, bits };
}

/** Returns an IPv6 table read from `file` in the shared data folder. */
export function loadTable6(file: string): Table6 {
  const lines = readLines(file);
  const words = new Uint32Array(lines.length * 4);
  const bits = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    const slash = line.indexOf("/");
    parseIPv6(line.slice(0, slash), words, i * 4);
    bits[i] = Number(line.slice(slash + 1));
  });
  return { words, bits };
}
