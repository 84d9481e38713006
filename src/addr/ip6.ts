/**
 * Recognising IPv6 input. The model routes IPv4 only, so a tool that meets an IPv6 address or
 * prefix where the real tool would take it fails loudly with "not supported". The IPv4 parser's
 * error or a name-resolution failure would wrongly tell the user that the input is invalid.
 */
import { Validator } from "ip-num";
import { Unsupported } from "../errors.js";

/**
 * Reports whether `text` is an IPv6 address (a `%zone` suffix allowed), or an IPv6 prefix whose
 * `/LEN` is 0 to 128.
 */
export function isIp6Text(text: string): boolean {
  const match = /^([^/]*)(?:\/(\d{1,3}))?$/.exec(text);
  if (match === null || !match[1]!.includes(":")) return false;
  if (match[2] !== undefined && Number(match[2]) > 128) return false;
  return Validator.isValidIPv6String(match[1]!)[0];
}

/** Throws `Unsupported` naming IPv6 when `text` is an IPv6 address or prefix. */
export function rejectIp6(text: string): void {
  if (isIp6Text(text)) throw new Unsupported(`IPv6 address "${text}" (only IPv4 is modelled)`);
}
