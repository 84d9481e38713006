/**
 * TOS (DS field) values as iproute2 reads and prints them (lib/rt_names.c, `rtnl_dsfield_a2n`
 * and `rtnl_dsfield_n2a`): a name from rt_dsfield, or a number in hexadecimal, with or without
 * `0x`, as `strtoul(arg, &end, 16)` reads it.
 */
import { invalidArgument } from "./args.js";

/** The names of /usr/share/iproute2/rt_dsfield in iproute2 6.1. */
const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, "default"],
  [0x28, "AF11"],
  [0x30, "AF12"],
  [0x38, "AF13"],
  [0x48, "AF21"],
  [0x50, "AF22"],
  [0x58, "AF23"],
  [0x68, "AF31"],
  [0x70, "AF32"],
  [0x78, "AF33"],
  [0x88, "AF41"],
  [0x90, "AF42"],
  [0x98, "AF43"],
  [0x20, "CS1"],
  [0x40, "CS2"],
  [0x60, "CS3"],
  [0x80, "CS4"],
  [0xa0, "CS5"],
  [0xc0, "CS6"],
  [0xe0, "CS7"],
  [0xb8, "EF"],
]);

const VALUES: ReadonlyMap<string, number> = new Map(
  [...NAMES].map(([value, name]) => [name, value]),
);

/**
 * Returns the DS field that `text` names, or undefined when iproute2 rejects it. Names match
 * exactly, case included. A number may have leading blanks, a sign and `0x`, and must not
 * exceed 255. `-0` is 0, and any other negative number wraps past 255, as with `strtoul`.
 */
export function parseDsfield(text: string): number | undefined {
  const named = VALUES.get(text);
  if (named !== undefined) return named;
  const match = /^\s*([+-]?)(?:0[xX])?([0-9a-fA-F]+)$/.exec(text);
  if (match === null) return undefined;
  const value = Number.parseInt(match[2]!, 16);
  if (match[1] === "-" && value !== 0) return undefined;
  return value <= 255 ? value : undefined;
}

/** Returns the DS field `text` names, or throws iproute2's "argument is wrong" error with `message`. */
export function parseTos(text: string, message: string): number {
  const value = parseDsfield(text);
  if (value === undefined) throw invalidArgument(message, text);
  return value;
}

/** Returns how iproute2 prints a DS field: its rt_dsfield name, else `0x` and two hex digits. */
export function formatDsfield(value: number): string {
  return NAMES.get(value) ?? `0x${value.toString(16).padStart(2, "0")}`;
}
