/**
 * The distinct prefix lengths stored in a table, longest first, with how many prefixes have each.
 *
 * Probing only the lengths in use keeps small tables fast without a trie: a namespace with a
 * default route, a connected /24 and a host route probes three lengths, not 33 or 129. Plain
 * arrays instead of a typed array keep an empty set to a few dozen bytes.
 */
export class LengthSet {
  // One array of `count * 256 + bits`, longest first: one array header instead of two.
  private readonly entries: number[] = [];

  /** Number of distinct lengths. */
  get count(): number {
    return this.entries.length;
  }

  /** Returns the `i`-th distinct length, 0 being the longest. */
  at(i: number): number {
    return this.entries[i]! % 256;
  }

  /** Records one more prefix of length `bits`. */
  add(bits: number): void {
    let i = 0;
    while (i < this.entries.length && this.entries[i]! % 256 > bits) i++;
    if (i < this.entries.length && this.entries[i]! % 256 === bits) {
      this.entries[i]! += 256;
      return;
    }
    this.entries.splice(i, 0, 256 + bits);
  }

  /** Records one prefix of length `bits` fewer; the length must have been added before. */
  remove(bits: number): void {
    const i = this.entries.findIndex((entry) => entry % 256 === bits);
    if (i < 0) return;
    this.entries[i]! -= 256;
    if (this.entries[i]! < 256) this.entries.splice(i, 1);
  }
}
