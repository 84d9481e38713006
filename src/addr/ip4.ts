/**
 * IPv4 addresses as the hot path and the model keep them: unsigned 32-bit integers.
 *
 * Parsing follows what iproute2 accepts (`get_addr_1` and `get_prefix_1` in iproute2's
 * lib/utils.c, built on inet_aton's rules for dotted quads): "172.19.0" is a legal three-part
 * quad meaning 172.19.0.0, and a prefix length may be written as a netmask. Strict four-part
 * quads are validated by ip-num; this file only adds the iproute2 quirks on top.
 */
import { IPv4 } from "ip-num";

/** The highest IPv4 address, 255.255.255.255, as an unsigned integer. */
export const ALL_ONES = 0xffffffff;

/** Returns the dotted-quad text of an unsigned 32-bit address. */
export function formatIp4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

/**
 * Parses a strict dotted quad ("192.0.2.1") and returns it as an unsigned integer, or undefined
 * when the text is not exactly four decimal octets.
 */
export function parseIp4Strict(text: string): number | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined;
  try {
    return Number(IPv4.fromString(text).value);
  } catch {
    return undefined;
  }
}

/**
 * Parses an address the way iproute2 does for `ip addr` and `ip route` arguments: one to four
 * decimal parts, missing trailing parts being zero ("10.1" is 10.1.0.0). Returns undefined for
 * anything else, including octets above 255.
 */
export function parseIp4(text: string): number | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(text)) return undefined;
  const parts = text.split(".").map(Number);
  if (parts.some((part) => part > 255)) return undefined;
  while (parts.length < 4) parts.push(0);
  return parseIp4Strict(parts.join("."));
}

/** Returns the netmask of a prefix length as an unsigned integer (0 for /0). */
export function maskOf(bits: number): number {
  return bits === 0 ? 0 : (ALL_ONES << (32 - bits)) >>> 0;
}

/** Returns `addr` with every bit past the first `bits` cleared. */
export function networkOf(addr: number, bits: number): number {
  return (addr & maskOf(bits)) >>> 0;
}

/** Returns the directed broadcast address of addr/bits. */
export function broadcastOf(addr: number, bits: number): number {
  return (addr | ~maskOf(bits)) >>> 0;
}

/** Reports whether `addr` lies inside prefix/bits. */
export function containsIp4(prefix: number, bits: number, addr: number): boolean {
  return networkOf(addr, bits) === prefix;
}

/**
 * Returns the prefix length of a contiguous netmask such as 255.255.255.0, or undefined when
 * the ones are not contiguous.
 */
export function bitsOfMask(mask: number): number | undefined {
  const inverted = ~mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  return Math.clz32(inverted);
}

/** Reports whether `addr` is a class D multicast address (224.0.0.0/4). */
export function isMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** Reports whether `addr` lies in 127.0.0.0/8. */
export function isLoopback(addr: number): boolean {
  return addr >>> 24 === 127;
}

/** Reports whether `addr` lies in 0.0.0.0/8, which the kernel treats as "this network". */
export function isZeronet(addr: number): boolean {
  return addr >>> 24 === 0;
}
