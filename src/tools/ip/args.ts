/**
 * Argument handling shared by the `ip` objects, with iproute2's keyword rules and error texts
 * (iproute2 lib/utils.c: `matches`, `invarg`, `duparg2`, `get_prefix`; ip/ip_common.h).
 */
import { UsageError, Unsupported } from "../../errors.js";
import { bitsOfMask, parseIp4 } from "../../addr/ip4.js";
import { rejectIp6 } from "../../addr/ip6.js";
import type { Link, Netns } from "../../netns/state.js";
import { findLink } from "../../netns/state.js";

/** Reports whether `arg` abbreviates `keyword`, as iproute2's `matches()` does. */
export function matches(arg: string, keyword: string): boolean {
  return arg.length > 0 && keyword.startsWith(arg);
}

/** A cursor over the words of a command line. */
export class Args {
  private index = 0;

  constructor(private readonly words: readonly string[]) {}

  /** Reports whether words remain. */
  get hasMore(): boolean {
    return this.index < this.words.length;
  }

  /** Returns the next word without consuming it. */
  peek(): string | undefined {
    return this.words[this.index];
  }

  /** Consumes and returns the next word. */
  next(): string | undefined {
    return this.words[this.index++];
  }

  /** Consumes the value of keyword `keyword`; a missing value is iproute2's "Command line is not complete." */
  value(keyword: string): string {
    const value = this.words[this.index++];
    if (value === undefined)
      throw new UsageError(`Command line is not complete. Try option "help"`, 255);
    void keyword;
    return value;
  }

  /** Returns the words not consumed yet. */
  rest(): string[] {
    return this.words.slice(this.index);
  }
}

/** The error for a word iproute2 could not place: `Error: either "KEY" is duplicate, or "WORD" is a garbage.` */
export function garbage(key: string, word: string): UsageError {
  return new UsageError(`Error: either "${key}" is duplicate, or "${word}" is a garbage.`, 255);
}

/** Returns the error for a keyword given twice: `Error: duplicate "KEY": "VALUE" is the second value.` */
export function duplicateArgument(key: string, value: string): UsageError {
  return new UsageError(`Error: duplicate "${key}": "${value}" is the second value.`, 255);
}

/**
 * Returns the error for an invalid value, `Error: argument "VALUE" is wrong: MESSAGE` (iproute2
 * `invarg`). Most iproute2 messages end in a newline of their own, which prints a blank line
 * after the error; pass `hasBlankLine` false for the few that do not.
 */
export function invalidArgument(message: string, value: string, hasBlankLine = true): UsageError {
  const text = `Error: argument "${value}" is wrong: ${message}${hasBlankLine ? "\n" : ""}`;
  return new UsageError(text, 255);
}

/** An IPv4 prefix as `ip` parses it: `default`, `A`, `A/LEN` or `A/MASK`. */
export interface ParsedPrefix {
  addr: number;
  bits: number;
  /** Whether a length or mask was written. */
  hasLength: boolean;
}

/**
 * Parses a prefix for `ip route` and `ip addr`. Throws iproute2's "any valid prefix" error, or
 * `Unsupported` for an IPv6 prefix, which iproute2 would take.
 */
export function parsePrefix(text: string, isDefaultAllowed = true): ParsedPrefix {
  rejectIp6(text);
  if (isDefaultAllowed && (text === "default" || text === "all" || text === "any")) {
    return { addr: 0, bits: 0, hasLength: true };
  }
  const bad = (): UsageError =>
    new UsageError(`Error: any valid prefix is expected rather than "${text}".`);
  const [addrText, lengthText, ...extra] = text.split("/");
  if (extra.length > 0 || addrText === undefined) throw bad();
  const addr = parseIp4(addrText);
  if (addr === undefined) throw bad();
  if (lengthText === undefined) return { addr, bits: 32, hasLength: false };
  if (/^\d+$/.test(lengthText)) {
    const bits = Number(lengthText);
    if (bits > 32) throw bad();
    return { addr, bits, hasLength: true };
  }
  const mask = parseIp4(lengthText);
  const bits = mask === undefined ? undefined : bitsOfMask(mask);
  if (bits === undefined) throw bad();
  return { addr, bits, hasLength: true };
}

/**
 * Parses a plain address argument such as a gateway: `Error: inet address is expected rather
 * than "X".`, or `Unsupported` for an IPv6 address.
 */
export function parseAddress(text: string): number {
  rejectIp6(text);
  const addr = parseIp4(text);
  if (addr === undefined)
    throw new UsageError(`Error: inet address is expected rather than "${text}".`);
  return addr;
}

/** Returns the link `name` of `ns`, or throws `Cannot find device "NAME"` (exit 1). */
export function requireLink(ns: Netns, name: string): Link {
  const link = findLink(ns, name);
  if (link === undefined) throw new UsageError(`Cannot find device "${name}"`);
  return link;
}

/** Returns the link `name` of `ns`, or throws the show commands' `Device "NAME" does not exist.` */
export function requireShownLink(ns: Netns, name: string): Link {
  const link = findLink(ns, name);
  if (link === undefined) throw new UsageError(`Device "${name}" does not exist.`);
  return link;
}

/** IFNAMSIZ: a link name plus its terminating NUL (include/uapi/linux/if.h). */
const IFNAMSIZ = 16;

/** ALTIFNAMSIZ: an alternative link name plus its terminating NUL (include/uapi/linux/if.h). */
const ALTIFNAMSIZ = 128;

/** Reports whether `name` contains `/` or a byte that C's `isspace` accepts in the C locale. */
function hasSlashOrSpace(name: string): boolean {
  return /[/ \t\n\v\f\r]/.test(name);
}

/**
 * Throws iproute2's `Error: argument "NAME" is wrong: "KEYWORD" not a valid ifname` (exit 255)
 * unless `name` passes `check_ifname` (iproute2 lib/utils.c): not empty, at most 15 bytes, no
 * `/` and no white space. iproute2 applies it to the value of `name`.
 */
export function checkIfname(name: string, keyword: string): void {
  const isValid = name.length > 0 && utf8Length(name) < IFNAMSIZ && !hasSlashOrSpace(name);
  if (!isValid) throw invalidArgument(`"${keyword}" not a valid ifname`, name, false);
}

/**
 * Throws the same error as `checkIfname` unless `name` passes iproute2's `check_altifname`,
 * which allows up to 127 bytes. iproute2 applies it to `dev` and to a bare link name, so a
 * name of 16 to 127 bytes there reaches the kernel, which rejects it.
 */
export function checkAltIfname(name: string, keyword: string): void {
  const isValid = name.length > 0 && utf8Length(name) < ALTIFNAMSIZ && !hasSlashOrSpace(name);
  if (!isValid) throw invalidArgument(`"${keyword}" not a valid ifname`, name, false);
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Parses a link-layer address as iproute2's `ll_addr_a2n` (lib/ll_addr.c) does, into at most
 * `maxBytes` bytes. Each colon-separated part is read with `sscanf("%x")`, which skips leading
 * white space, takes a sign and a `0x` prefix and stops at the first non-hex character, so
 * `0g` reads as 0. A part it cannot read, or one outside 0..255, is named in the error
 * `"PART" is invalid lladdr.` (exit 1). A value with a dot is read as an IPv4 address.
 */
export function parseLladdrBytes(text: string, maxBytes: number): number[] {
  if (text.includes(".")) {
    const addr = parseIp4(text);
    if (addr === undefined) throw new UsageError(`"${text}" is invalid lladdr.`);
    return [addr >>> 24, (addr >>> 16) & 0xff, (addr >>> 8) & 0xff, addr & 0xff];
  }
  const parts = text.split(":");
  if (parts.length > maxBytes)
    throw new Unsupported(`a link-layer address of ${parts.length} bytes`);
  return parts.map((part) => {
    const value = scanHex(part);
    if (value === undefined || value < 0 || value > 255) {
      throw new UsageError(`"${part}" is invalid lladdr.`);
    }
    return value;
  });
}

/** Reads a leading hex number as C's `sscanf("%x")` does; undefined when none is there. */
function scanHex(text: string): number | undefined {
  const match = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(text);
  if (match === null) return undefined;
  const magnitude = parseInt(match[2]!.slice(0, 9), 16);
  return match[1] === "-" ? -magnitude : magnitude;
}

/** Parses a `get_u32` argument (decimal, 0x hex or 0 octal) or throws `invarg(MESSAGE)`. */
export function parseU32(text: string, message: string): number {
  const hasBlankLine = message.endsWith("\n");
  const value = readU32(text);
  if (value === undefined) throw invalidArgument(message.trimEnd(), text, hasBlankLine);
  return value;
}

/** Reads a number as iproute2's `get_u32` with base 0 does; undefined where it fails. */
export function readU32(text: string): number | undefined {
  let value = Number.NaN;
  // strtoul skips leading whitespace and takes a plus sign.
  const digits = text.replace(/^\s*\+?/, "");
  if (/^0x[0-9a-f]+$/i.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[0-7]*$/.test(digits)) value = parseInt(digits, 8);
  else if (/^[1-9]\d*$/.test(digits)) value = Number(digits);
  return value <= 0xffffffff ? value : undefined;
}
