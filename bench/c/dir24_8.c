/*
 * A plain DIR-24-8 longest-prefix-match table (Gupta, Lin and McKeown, "Routing Lookups in
 * Hardware at Memory Access Speeds", INFOCOM 1998), the C baseline of `npm run bench:lpm`.
 *
 * Usage: dir24_8 PREFIXES RANDOM_KEYS TABLE_KEYS
 *   PREFIXES    binary file of (uint32 address, uint32 length) pairs, little-endian
 *   *_KEYS      binary files of uint32 addresses, little-endian
 * Prints one JSON object with build time, lookups per second for both key files, table bytes
 * and a checksum of the results, so that the compiler cannot drop the lookups.
 *
 * tbl24 stores one uint32 per /24: 0 for no route, id + 1 for a route, or the high bit set plus
 * the index of a 256-entry tbl8 group for /24s that contain longer prefixes.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TBL8_FLAG 0x80000000u

static uint32_t *tbl24;
static uint32_t *tbl8;
static uint32_t tbl8_groups, tbl8_capacity;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = malloc(*size ? *size : 1);
  if (fread(data, 1, *size, f) != *size) {
    perror(path);
    exit(1);
  }
  fclose(f);
  return data;
}

static uint32_t new_group(uint32_t fill) {
  if (tbl8_groups == tbl8_capacity) {
    tbl8_capacity = tbl8_capacity ? tbl8_capacity * 2 : 1024;
    tbl8 = realloc(tbl8, (size_t)tbl8_capacity * 256 * sizeof *tbl8);
  }
  for (int i = 0; i < 256; i++) tbl8[(size_t)tbl8_groups * 256 + i] = fill;
  return tbl8_groups++;
}

/* Inserts prefixes in ascending length order, so a longer prefix always overwrites. */
static void build(const uint32_t *pairs, size_t count) {
  tbl24 = calloc(1u << 24, sizeof *tbl24);
  for (uint32_t bits = 0; bits <= 32; bits++) {
    for (size_t i = 0; i < count; i++) {
      if (pairs[2 * i + 1] != bits) continue;
      uint32_t addr = pairs[2 * i], value = (uint32_t)i + 1;
      if (bits <= 24) {
        uint32_t first = addr >> 8, n = 1u << (24 - bits);
        for (uint32_t k = 0; k < n; k++) tbl24[first + k] = value;
        continue;
      }
      uint32_t entry = tbl24[addr >> 8];
      if (!(entry & TBL8_FLAG)) {
        entry = TBL8_FLAG | new_group(entry);
        tbl24[addr >> 8] = entry;
      }
      uint32_t *group = tbl8 + (size_t)(entry & ~TBL8_FLAG) * 256;
      uint32_t first = addr & 255, n = 1u << (32 - bits);
      for (uint32_t k = 0; k < n; k++) group[first + k] = value;
    }
  }
}

static inline int32_t lookup(uint32_t addr) {
  uint32_t entry = tbl24[addr >> 8];
  if (entry & TBL8_FLAG) entry = tbl8[(size_t)(entry & ~TBL8_FLAG) * 256 + (addr & 255)];
  return (int32_t)entry - 1;
}

/* Returns lookups per second over the keys, repeated until at least half a second passed. */
static double measure(const uint32_t *keys, size_t count, int64_t *checksum) {
  size_t rounds = 0;
  double start = now(), elapsed;
  do {
    for (size_t i = 0; i < count; i++) *checksum += lookup(keys[i]);
    rounds++;
    elapsed = now() - start;
  } while (elapsed < 0.5);
  return (double)(rounds * count) / elapsed;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PREFIXES RANDOM_KEYS TABLE_KEYS\n", argv[0]);
    return 2;
  }
  size_t prefix_bytes, random_bytes, table_bytes;
  uint32_t *pairs = read_file(argv[1], &prefix_bytes);
  uint32_t *random_keys = read_file(argv[2], &random_bytes);
  uint32_t *table_keys = read_file(argv[3], &table_bytes);
  size_t count = prefix_bytes / 8;

  double start = now();
  build(pairs, count);
  double build_seconds = now() - start;

  int64_t checksum = 0;
  double random_rate = measure(random_keys, random_bytes / 4, &checksum);
  double table_rate = measure(table_keys, table_bytes / 4, &checksum);
  size_t bytes = ((size_t)1 << 24) * sizeof *tbl24 + (size_t)tbl8_capacity * 256 * sizeof *tbl8;
  printf("{\"prefixes\":%zu,\"buildSeconds\":%.4f,\"lookupsPerSecondRandom\":%.0f,"
         "\"lookupsPerSecondInTable\":%.0f,\"bytes\":%zu,\"checksum\":%lld}\n",
         count, build_seconds, random_rate, table_rate, bytes, (long long)checksum);
  return 0;
}
