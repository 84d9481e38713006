/*
 * The IPv4 trie's lookup, one key at a time and in groups as the WebAssembly loop runs it, and
 * three changes to its layout, in C on the trie's own arrays, beside
 * a DIR-24-8 built from the same trie: `npm run bench:layouts`. It measures how far the layout
 * itself is from DIR-24-8, apart from the engine that runs it.
 *
 * Usage: trie_layouts DIR
 *   DIR contains little-endian int32 files written by bench/layouts.ts: top.bin (the 65,536
 *   first-level entries), nodes.bin (16-word node records), ents.bin (entries), random.bin and
 *   in-table.bin (keys) and expected.bin (the trie's ids for the in-table keys).
 * Prints one JSON object per layout. Exits with 1 when a layout's ids differ from expected.bin.
 *
 * An entry is a prefix id (-1 for none) or a node reference -2 - offset, as in
 * src/fib/stride-trie.ts: slot s of a node reads entry base + popcount(bitmap up to s), where
 * the record holds a (bitmap, base) pair per 32 slots.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const int32_t *top, *nodes, *ents;
static size_t node_words;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *read_file(const char *dir, const char *name, size_t *size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = aligned_alloc(64, (*size + 63) / 64 * 64);
  if (!data || fread(data, 1, *size, f) != *size) {
    perror(path);
    exit(2);
  }
  fclose(f);
  return data;
}

/* One node level of the trie: the entry that slot `slot` of node reference `entry` reads. */
static inline int32_t node_step(int32_t entry, uint32_t slot) {
  int32_t node = -2 - entry;
  uint32_t pair = (slot >> 4) & 14;
  uint32_t bits = (uint32_t)nodes[node + pair] & ((2u << (slot & 31)) - 1);
  return ents[nodes[node + pair + 1] + __builtin_popcount(bits)];
}

/* The trie as it is: first level, then up to two node levels. */
static void lookup_trie(const uint32_t *keys, size_t count, int32_t *out) {
  for (size_t i = 0; i < count; i++) {
    uint32_t addr = keys[i];
    int32_t entry = top[addr >> 16];
    if (entry < -1) {
      entry = node_step(entry, (addr >> 8) & 255);
      if (entry < -1) entry = node_step(entry, addr & 255);
    }
    out[i] = entry;
  }
}

/*
 * The trie's loop in stages, as the WebAssembly batch runs it: each group of eight keys reads its
 * first-level entries, then its records, then its entries. A leaf reads record 0 in place of a
 * node's, so the stages have no branch for random keys to mispredict. With branches there, as in
 * the WebAssembly loop, gcc's code ran at 95-98 M lookups/s.
 */
#define GROUP 8
static void lookup_trie_grouped(const uint32_t *keys, size_t count, int32_t *out) {
  size_t i = 0;
  for (; i + GROUP <= count && node_words > 0; i += GROUP) {
    uint32_t addr[GROUP], pointer[GROUP];
    int32_t entry[GROUP];
    for (int k = 0; k < GROUP; k++) {
      addr[k] = keys[i + k];
      entry[k] = top[addr[k] >> 16];
    }
    for (int k = 0; k < GROUP; k++) {
      uint32_t slot = (addr[k] >> 8) & 255;
      int32_t node = entry[k] < -1 ? -2 - entry[k] : 0;
      uint32_t pair = (slot >> 4) & 14;
      uint32_t bits = (uint32_t)nodes[node + pair] & ((2u << (slot & 31)) - 1);
      pointer[k] = (uint32_t)(nodes[node + pair + 1] + __builtin_popcount(bits));
    }
    for (int k = 0; k < GROUP; k++) {
      int32_t value = entry[k] < -1 ? ents[pointer[k]] : entry[k];
      if (value < -1) value = node_step(value, addr[k] & 255);
      out[i + k] = value;
    }
  }
  lookup_trie(keys + i, count - i, out + i);
}

/* Nodes below the first level with at least `dense_runs` runs, stored as 256 direct entries. */
#define DENSE_FLAG 0x40000000
static int32_t *dense_top, *dense;

static size_t build_dense(int dense_runs) {
  size_t blocks = 0;
  dense_top = malloc(65536 * sizeof *dense_top);
  dense = malloc((size_t)65536 * 256 * sizeof *dense);
  for (uint32_t high = 0; high < 65536; high++) {
    int32_t entry = top[high];
    dense_top[high] = entry;
    if (entry >= -1) continue;
    int runs = 0;
    for (int w = 0; w < 8; w++) runs += __builtin_popcount((uint32_t)nodes[-2 - entry + 2 * w]);
    if (runs < dense_runs) continue;
    for (uint32_t slot = 0; slot < 256; slot++) dense[blocks * 256 + slot] = node_step(entry, slot);
    dense_top[high] = (int32_t)(DENSE_FLAG | blocks++);
  }
  return blocks;
}

static void lookup_dense(const uint32_t *keys, size_t count, int32_t *out) {
  for (size_t i = 0; i < count; i++) {
    uint32_t addr = keys[i];
    int32_t entry = dense_top[addr >> 16];
    if (entry < -1)
      entry = node_step(entry, (addr >> 8) & 255);
    else if (entry >= DENSE_FLAG)
      entry = dense[(size_t)(entry & ~DENSE_FLAG) * 256 + ((addr >> 8) & 255)];
    if (entry < -1) entry = node_step(entry, addr & 255);
    out[i] = entry;
  }
}

/*
 * Records cut to their 32-byte bitmaps, the first node level only: a side array gives each /16
 * its record, and the first-level entry carries the node's base. The count before the slot
 * sums four masked 64-bit popcounts.
 */
static uint64_t *bitmaps;
static int32_t *base_top;
static uint16_t *record_of;

static size_t build_bitmaps(void) {
  size_t records = 0;
  bitmaps = aligned_alloc(64, (node_words / 16 + 2) / 2 * 64);
  base_top = malloc(65536 * sizeof *base_top);
  record_of = calloc(65536, sizeof *record_of);
  for (uint32_t high = 0; high < 65536; high++) {
    int32_t entry = top[high];
    base_top[high] = entry;
    if (entry >= -1) continue;
    int32_t node = -2 - entry;
    uint32_t *words = (uint32_t *)(bitmaps + 4 * records);
    for (int w = 0; w < 8; w++) words[w] = (uint32_t)nodes[node + 2 * w];
    /* The base before the first entry, kept as a reference so that it stays below -1. */
    base_top[high] = -2 - (nodes[node + 1] + 1);
    record_of[high] = (uint16_t)records++;
  }
  return records;
}

static void lookup_bitmaps(const uint32_t *keys, size_t count, int32_t *out) {
  for (size_t i = 0; i < count; i++) {
    uint32_t addr = keys[i];
    uint32_t high = addr >> 16;
    int32_t entry = base_top[high];
    if (entry < -1) {
      uint32_t slot = (addr >> 8) & 255;
      const uint64_t *words = bitmaps + 4 * (size_t)record_of[high];
      uint32_t word = slot >> 6;
      uint64_t part = (slot & 63) == 63 ? ~0ull : (2ull << (slot & 63)) - 1;
      int before = 0;
      for (uint32_t k = 0; k < 4; k++) {
        uint64_t mask = (0ull - (uint64_t)(k < word)) | ((0ull - (uint64_t)(k == word)) & part);
        before += __builtin_popcountll(words[k] & mask);
      }
      entry = ents[(-2 - entry) - 1 + before];
      if (entry < -1) entry = node_step(entry, addr & 255);
    }
    out[i] = entry;
  }
}

/*
 * A DIR-24-8 of the trie's ids: the tbl24 entry of a /24 is an id, -1, or -2 - group for a
 * 256-entry tbl8 group.
 */
static int32_t *tbl24;
static int32_t *tbl8;

static size_t build_dir24(void) {
  size_t groups = 0, capacity = 1024;
  tbl24 = malloc(((size_t)1 << 24) * sizeof *tbl24);
  tbl8 = malloc(capacity * 256 * sizeof *tbl8);
  for (uint32_t p = 0; p < (1u << 24); p++) {
    int32_t entry = top[p >> 8];
    if (entry < -1) entry = node_step(entry, p & 255);
    if (entry >= -1) {
      tbl24[p] = entry;
      continue;
    }
    if (groups == capacity) tbl8 = realloc(tbl8, (capacity *= 2) * 256 * sizeof *tbl8);
    for (uint32_t slot = 0; slot < 256; slot++) tbl8[groups * 256 + slot] = node_step(entry, slot);
    tbl24[p] = -2 - (int32_t)groups++;
  }
  return groups;
}

static void lookup_dir24(const uint32_t *keys, size_t count, int32_t *out) {
  for (size_t i = 0; i < count; i++) {
    uint32_t addr = keys[i];
    int32_t entry = tbl24[addr >> 8];
    if (entry < -1) entry = tbl8[(size_t)(-2 - entry) * 256 + (addr & 255)];
    out[i] = entry;
  }
}

typedef void (*lookup_fn)(const uint32_t *, size_t, int32_t *);

static const uint32_t *random_keys, *table_keys;
static const int32_t *expected;
static size_t key_count;
static int32_t *out;

/* Returns lookups per second: the best of three passes. */
static double rate(lookup_fn lookup, const uint32_t *keys) {
  double best = 1e30;
  for (int pass = 0; pass < 3; pass++) {
    double start = now();
    lookup(keys, key_count, out);
    double seconds = now() - start;
    if (seconds < best) best = seconds;
  }
  return key_count / best;
}

/* Checks a layout's ids on the in-table keys, times it and prints its JSON line. */
static int report(const char *name, lookup_fn lookup, double bytes) {
  lookup(table_keys, key_count, out);
  int same = memcmp(out, expected, key_count * sizeof *out) == 0;
  double random_rate = rate(lookup, random_keys);
  double table_rate = rate(lookup, table_keys);
  printf("{\"layout\":\"%s\",\"lookupsPerSecondRandom\":%.0f,\"lookupsPerSecondInTable\":%.0f,"
         "\"bytes\":%.0f,\"sameIds\":%s}\n",
         name, random_rate, table_rate, bytes, same ? "true" : "false");
  return !same;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  size_t size;
  top = read_file(argv[1], "top.bin", &size);
  nodes = read_file(argv[1], "nodes.bin", &size);
  node_words = size / 4;
  ents = read_file(argv[1], "ents.bin", &size);
  double trie_bytes = 65536 * 4.0 + node_words * 4.0 + size;
  random_keys = read_file(argv[1], "random.bin", &size);
  table_keys = read_file(argv[1], "in-table.bin", &size);
  key_count = size / 4;
  expected = read_file(argv[1], "expected.bin", &size);
  out = malloc(key_count * sizeof *out);

  int failed = report("trie", lookup_trie, trie_bytes);
  failed |= report("trie, groups of 8 keys in stages", lookup_trie_grouped, trie_bytes);
  for (int dense_runs = 128; dense_runs >= 64; dense_runs /= 2) {
    size_t blocks = build_dense(dense_runs);
    char name[64];
    snprintf(name, sizeof name, "trie, nodes of %d+ runs as 256 entries", dense_runs);
    failed |= report(name, lookup_dense, trie_bytes + blocks * 1024.0);
    free(dense_top);
    free(dense);
  }
  size_t records = build_bitmaps();
  failed |= report("trie, 32-byte bitmap records", lookup_bitmaps,
                   trie_bytes + 65536 * 2.0 + records * 32.0);
  size_t groups = build_dir24();
  failed |= report("DIR-24-8 built from the trie", lookup_dir24,
                   ((size_t)1 << 24) * 4.0 + groups * 1024.0);
  return failed;
}
