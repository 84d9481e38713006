/**
 * Parsing of the values iptables options take: addresses with masks, link names, protocols,
 * ports and port ranges, with iptables 1.8.9's error texts.
 *
 * Source of truth: transcripts of iptables 1.8.9 (nf_tables) on Linux 6.18, and libxtables's
 * parsers (`xtables_ipparse_multiple`, `xtables_parse_protocol`, `xtables_parse_port`,
 * `xtables_parse_interface`). Addresses fill missing trailing parts with zeros ("10.1" is
 * 10.1.0.0), a comma separates several addresses, and the address is masked before it is
 * stored. A numeric port keeps only its low 16 bits (99999 becomes 34463).
 */
import { Unsupported } from "../../errors.js";
import { maskOf, parseIp4, parseIp4Strict } from "../../addr/ip4.js";
import { PROTOCOLS } from "../../netfilter/match.js";
import { servicePort } from "../../netfilter/services.js";
import type { AddrMatch, IfaceMatch } from "../../netfilter/ruleset.js";
import { parameterProblem } from "./messages.js";

/** Longest link name the kernel accepts (IFNAMSIZ minus the terminating zero). */
const MAX_LINK_NAME = 15;

/**
 * Parses `-s`/`-d` values: one or more comma-separated `addr[/bits|/mask]`.
 *
 * @throws XtablesError "host/network ... not found" or "invalid mask ... specified".
 * @throws Unsupported for host names, which need name resolution.
 */
export function parseAddrList(text: string, isInverted: boolean): AddrMatch[] {
  return text.split(",").map((item) => parseAddrMask(item, isInverted));
}

function parseAddrMask(text: string, isInverted: boolean): AddrMatch {
  const slash = text.indexOf("/");
  const host = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIp4(host);
  if (addr === undefined) {
    if (/[a-zA-Z]/.test(host)) throw new Unsupported(`iptables host name ${host}`);
    throw parameterProblem(`host/network \`${host}' not found`);
  }
  const mask = slash < 0 ? 0xffffffff : parseMask(text.slice(slash + 1));
  return { addr: (addr & mask) >>> 0, mask, isInverted };
}

function parseMask(text: string): number {
  if (/^\d+$/.test(text) && Number(text) <= 32) return maskOf(Number(text));
  const dotted = parseIp4Strict(text);
  if (dotted !== undefined) return dotted;
  throw parameterProblem(`invalid mask \`${text}' specified`);
}

/** Parses a link name for `-i`/`-o`/`--physdev-*`; `+` alone matches every link. */
export function parseIface(name: string, isInverted: boolean): IfaceMatch {
  if (name.length > MAX_LINK_NAME) {
    throw parameterProblem(
      `interface name \`${name}' must be shorter than IFNAMSIZ (${MAX_LINK_NAME})`,
    );
  }
  return { name, isInverted };
}

/**
 * Parses a `-p` value: a name (any case) from /etc/protocols, `all`, or a number 0-255.
 * Returns 0 for every protocol.
 */
export function parseProtocol(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "all") return 0;
  if (/^\d+$/.test(lower) && Number(lower) <= 255) return Number(lower);
  const number = PROTOCOLS[lower];
  if (number === undefined) throw parameterProblem(`unknown protocol "${text}" specified`);
  return number;
}

/**
 * Parses one port as the udp match's option parser does: a decimal number (only its low 16
 * bits count) or a service name of /etc/services.
 *
 * @throws XtablesError when the text is neither.
 */
function parseWrappedPort(text: string): number {
  if (/^\+?\d+$/.test(text)) return Number(text) & 0xffff;
  const port = servicePort(text);
  if (port !== undefined) return port;
  throw parameterProblem(`Port "${text}" does not resolve to anything.\n`);
}

/**
 * Parses `N`, `N:M`, `N:` (to 65535) or `:M` (from 0) as the udp match does (`XTTYPE_PORTRC`):
 * numbers wrap at 65536, and a range may run backwards. `option` names the option in errors.
 */
export function parseUdpPortRange(text: string, option: string): { min: number; max: number } {
  const parts = text.split(":");
  if (parts.length > 2) {
    throw parameterProblem(`udp: Too many components for option "--${option}" (max: 2)\n`);
  }
  const [low = "", high] = parts;
  const min = low === "" ? 0 : parseWrappedPort(low);
  if (high === undefined) return { min, max: min };
  return { min, max: high === "" ? 65535 : parseWrappedPort(high) };
}

/**
 * Parses one port as `xtables_parse_port` does: a number up to 65535 in decimal, 0x hex or 0
 * octal, or a service name of /etc/services.
 *
 * @throws XtablesError when the text is neither.
 */
export function parsePort(text: string): number {
  // strtoul takes a leading plus sign.
  const match = /^\+?(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(text);
  if (match !== null) {
    const digits = match[1]!;
    const value = /^0x/i.test(digits)
      ? parseInt(digits.slice(2), 16)
      : digits.startsWith("0")
        ? parseInt(digits, 8)
        : Number(digits);
    if (value <= 65535) return value;
  }
  const port = servicePort(text);
  if (port !== undefined) return port;
  throw parameterProblem(`invalid port/service \`${text}' specified`);
}

/**
 * Parses `N`, `N:M`, `N:` (to 65535) or `:M` (from 0) as the tcp match does, each port by
 * `parsePort`. A range that runs backwards fails with the error text `backwards`. With
 * `isOpenEnded` false, as for multiport, both ends are required.
 */
export function parsePortRange(
  text: string,
  backwards: string,
  isOpenEnded = true,
): { min: number; max: number } {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const port = parsePort(text);
    return { min: port, max: port };
  }
  const [low, high] = [text.slice(0, colon), text.slice(colon + 1)];
  const min = low === "" && isOpenEnded ? 0 : parsePort(low);
  const max = high === "" && isOpenEnded ? 65535 : parsePort(high);
  if (min > max) throw parameterProblem(backwards);
  return { min, max };
}
