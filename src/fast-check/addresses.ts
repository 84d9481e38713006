/**
 * Arbitraries for IPv4 addresses and prefixes in the text forms `ip` takes: `192.0.2.7` and
 * `192.0.2.0/24`. They shrink towards the start of the range they draw from.
 */
import fc from "fast-check";
import { broadcastOf, formatIp4, networkOf, parseIp4 } from "../addr/ip4.js";
import { UsageError } from "../errors.js";

/** A parsed prefix: its network address and length. */
interface ParsedPrefix {
  addr: number;
  bits: number;
}

/** Parses `10.0.0.0/8`-style text, or throws a usage error naming the text. */
export function parsePrefix(text: string): ParsedPrefix {
  const [base = "", bitsText = "32"] = text.split("/");
  const addr = parseIp4(base);
  const bits = Number(bitsText);
  if (addr === undefined || !/^\d+$/.test(bitsText) || bits > 32 || text.split("/").length > 2) {
    throw new UsageError(
      `hoptrace: invalid prefix "${text}": expected an IPv4 prefix such as 10.0.0.0/8`,
    );
  }
  return { addr: networkOf(addr, bits), bits };
}

/** Constraints of `addressIn`. */
export interface AddressOptions {
  /**
   * Whether to leave out the network and broadcast addresses; true when absent. Prefixes of
   * length 31 and 32 have neither, so all their addresses are drawn.
   */
  isHostOnly?: boolean;
}

/** Generates addresses inside `prefix`, such as `10.1.2.3` for `10.0.0.0/8`. */
export function addressIn(prefix: string, options: AddressOptions = {}): fc.Arbitrary<string> {
  const { addr, bits } = parsePrefix(prefix);
  const isTrimmed = options.isHostOnly !== false && bits <= 30;
  const first = isTrimmed ? addr + 1 : addr;
  const last = isTrimmed ? broadcastOf(addr, bits) - 1 : broadcastOf(addr, bits);
  return fc.integer({ min: first, max: last }).map(formatIp4);
}

/** Constraints of `prefixIn`. */
export interface PrefixOptions {
  /** The shortest length drawn; the length of the enclosing prefix when absent. */
  minBits?: number;
  /** The maximum length drawn, 32 when absent. */
  maxBits?: number;
}

/**
 * Generates prefixes inside `within` (the whole IPv4 space when absent), host bits cleared,
 * such as `10.4.0.0/14` for `10.0.0.0/8`. A `minBits` below the enclosing prefix's length is raised to it.
 *
 * @throws UsageError when `minBits` or `maxBits` is not an integer from 0 to 32, when
 * `minBits` is greater than `maxBits`, or when `maxBits` is shorter than `within`'s length.
 */
export function prefixIn(within = "0.0.0.0/0", options: PrefixOptions = {}): fc.Arbitrary<string> {
  checkLength("minBits", options.minBits);
  checkLength("maxBits", options.maxBits);
  if (
    options.minBits !== undefined &&
    options.maxBits !== undefined &&
    options.minBits > options.maxBits
  ) {
    throw new UsageError(
      `hoptrace: prefixIn: minBits ${options.minBits} is greater than maxBits ${options.maxBits}`,
    );
  }
  const outer = parsePrefix(within);
  if (options.maxBits !== undefined && options.maxBits < outer.bits) {
    throw new UsageError(
      `hoptrace: prefixIn: maxBits ${options.maxBits} is shorter than the /${outer.bits} of ${within}, so no prefix inside it fits`,
    );
  }
  const minBits = Math.max(outer.bits, options.minBits ?? outer.bits);
  const maxBits = Math.max(minBits, Math.min(32, options.maxBits ?? 32));
  const addr = fc.integer({ min: outer.addr, max: broadcastOf(outer.addr, outer.bits) });
  const bits = fc.integer({ min: minBits, max: maxBits });
  return fc
    .tuple(addr, bits)
    .map(([value, length]) => `${formatIp4(networkOf(value, length))}/${length}`);
}

/** Throws a usage error unless `value` is absent or a prefix length, an integer from 0 to 32. */
function checkLength(name: string, value: number | undefined): void {
  if (value === undefined || (Number.isInteger(value) && value >= 0 && value <= 32)) return;
  throw new UsageError(
    `hoptrace: prefixIn: ${name} ${value} is not a prefix length; expected an integer from 0 to 32`,
  );
}
