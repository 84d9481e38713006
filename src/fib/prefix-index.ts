/**
 * The longest-prefix-match contract that every route table is built on.
 *
 * Keys are numeric so that the hot path never touches strings or BigInt: an IPv4 address is an
 * unsigned 32-bit integer (`0xc0000201` for 192.0.2.1), an IPv6 address four such words, most
 * significant first. A prefix is an address with its host bits zero plus a length in bits.
 * Implementations must reject a key whose host bits are set by throwing a `RangeError`, because a
 * silently masked key would make `get` and `delete` disagree with `insert`.
 *
 * The kernel's FIB (net/ipv4/fib_trie.c) needs more than one longest match: when no route of the
 * longest matching prefix is usable it backs off to the next shorter one, so `matches` returns
 * every matching prefix, longest first.
 */

/** One stored prefix of an IPv4 index with its value. */
export interface Match4<V> {
  readonly addr: number;
  readonly bits: number;
  readonly value: V;
}

/** A longest-prefix-match index from IPv4 prefixes to values. */
export interface PrefixIndex4<V> {
  /** Number of stored prefixes. */
  readonly size: number;
  /** Stores `value` under addr/bits, replacing any value already there. */
  insert(addr: number, bits: number, value: V): void;
  /** Removes addr/bits and reports whether it was present. */
  delete(addr: number, bits: number): boolean;
  /** Returns the value stored under exactly addr/bits. */
  get(addr: number, bits: number): V | undefined;
  /** Returns the value of the longest stored prefix that contains `addr`. */
  lookup(addr: number): V | undefined;
  /** Returns every stored prefix that contains `addr`, longest first. */
  matches(addr: number): Match4<V>[];
  /** Visits every stored prefix in ascending address order, shorter prefix first on a tie. */
  forEach(visit: (addr: number, bits: number, value: V) => void): void;
}

/** One stored prefix of an IPv6 index with its value; `addr` holds four words. */
export interface Match6<V> {
  readonly addr: Uint32Array;
  readonly bits: number;
  readonly value: V;
}

/** A longest-prefix-match index from IPv6 prefixes to values; addresses are four 32-bit words. */
export interface PrefixIndex6<V> {
  readonly size: number;
  insert(addr: Uint32Array, bits: number, value: V): void;
  delete(addr: Uint32Array, bits: number): boolean;
  get(addr: Uint32Array, bits: number): V | undefined;
  lookup(addr: Uint32Array): V | undefined;
  matches(addr: Uint32Array): Match6<V>[];
  forEach(visit: (addr: Uint32Array, bits: number, value: V) => void): void;
}
