/**
 * The names `iptables -L` prints without `-n`, as libxtables looks them up.
 *
 * Addresses: `xtables_ipaddr_to_anyname` tries the host name first (`gethostbyaddr`: the
 * hosts file, then DNS) and the network name next (`getnetbyaddr`: /etc/networks), else the
 * dotted address. The model answers as a Debian 12 host whose resolver gets no reply: only the
 * stock hosts and networks entries below have names. A host whose DNS server knows a PTR record
 * prints that name instead, which no simulation can know.
 * ICMP: `print_icmptype` of libxt_icmp.c prints the name of the entry of its table whose type and
 * code range equal the rule's, else `type N [code M]`. Protocols: /etc/protocols, `all` for 0.
 */
import { formatIp4, parseIp4Strict } from "../../addr/ip4.js";
import { ICMP_NAMES, protocolName } from "../../netfilter/match.js";

/** Debian 12's stock /etc/hosts (IPv4 lines) and /etc/networks, first name per address. */
const HOSTS: ReadonlyMap<number, string> = new Map([[parseIp4Strict("127.0.0.1")!, "localhost"]]);
const NETWORKS: ReadonlyMap<number, string> = new Map([
  [parseIp4Strict("0.0.0.0")!, "default"],
  [parseIp4Strict("127.0.0.0")!, "loopback"],
  [parseIp4Strict("169.254.0.0")!, "link-local"],
]);

/** Returns what `xtables_ipaddr_to_anyname` prints for `addr`. */
export function addressName(addr: number): string {
  return HOSTS.get(addr) ?? NETWORKS.get(addr) ?? formatIp4(addr);
}

/** Returns the libxt_icmp table's name for a type and code range, or undefined. */
export function icmpTypeName(type: number, codeMin: number, codeMax: number): string | undefined {
  const entry = Object.entries(ICMP_NAMES).find(
    ([, [t, min, max]]) => t === type && min === codeMin && max === codeMax,
  );
  return entry?.[0];
}

/** Returns the protocol column without `-n`: `all` for any protocol, else its name. */
export function protocolText(number: number): string {
  return number === 0 ? "all" : protocolName(number);
}
