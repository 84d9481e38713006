/**
 * The distinct prefix lengths stored in a table, longest first, with how many prefixes have each.
 *
 * Probing only the lengths in use keeps small tables fast without a trie: a namespace with a
 * default route, a connected /24 and a host route probes three lengths, not 33 or 129. Plain
 * arrays instead of a typed array keep an empty set to a few dozen bytes.
 */
export class LengthSet {
  private readonly lengths: number[] = [];
  private readonly counts: number[] = [];

  /** Number of distinct lengths. */
  get count(): number {
    return this.lengths.length;
  }

  /** Returns the `i`-th distinct length, 0 being the longest. */
  at(i: number): number {
    return this.lengths[i]!;
  }

  /** Records one more prefix of length `bits`. */
  add(bits: number): void {
    let i = 0;
    while (i < this.lengths.length && this.lengths[i]! > bits) i++;
    if (this.lengths[i] === bits) {
      this.counts[i]!++;
      return;
    }
    this.lengths.splice(i, 0, bits);
    this.counts.splice(i, 0, 1);
  }

  /** Records one prefix of length `bits` fewer; the length must have been added before. */
  remove(bits: number): void {
    const i = this.lengths.indexOf(bits);
    if (i < 0) return;
    if (--this.counts[i]! > 0) return;
    this.lengths.splice(i, 1);
    this.counts.splice(i, 1);
  }
}
