/**
 * `ip addr`: add, delete, flush and show (iproute2 ip/ipaddress.c). IPv6 appears only as the
 * automatic addresses a real link shows: `::1` on an up loopback and an EUI-64 `fe80::` address
 * on an up link with carrier; hoptrace does not route IPv6.
 */
import { UsageError, Unsupported, rtnetlinkError } from "../../errors.js";
import { broadcastOf, formatIp4 } from "../../addr/ip4.js";
import { flushIpv6, hasLoopback6, isTentative, syncLowerAddresses } from "../../link/addrconf.js";
import { operState } from "../../link/carrier.js";
import { addAddress, addrsOf, deleteAddress } from "../../netns/addr-ops.js";
import type { IfAddr, Link, NetState } from "../../netns/state.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import {
  Args,
  garbage,
  matches,
  parseAddress,
  parsePrefix,
  requireLink,
  requireShownLink,
} from "./args.js";
import {
  displayName,
  filterLinks,
  linkHeader,
  linkLayerLine,
  linkNetnsSuffix,
  parseLinkFilter,
} from "./link.js";
import type { IpOptions } from "./options.js";
import { parseScopeName } from "./route-print.js";
import { ADDR_SCOPE } from "../../fib/route.js";

/** Runs `ip addr ARGS`. */
export function ipAddr(ctx: ToolContext, args: string[], options: IpOptions): number {
  const [verb = "show", ...rest] = args;
  if (matches(verb, "add")) return add(ctx, rest);
  if (matches(verb, "delete")) return remove(ctx, rest);
  if (matches(verb, "flush")) return flush(ctx, rest, options);
  if (matches(verb, "show") || matches(verb, "list") || verb === "lst")
    return show(ctx, rest, options);
  if (matches(verb, "change") || matches(verb, "replace")) throw new Unsupported(`ip addr ${verb}`);
  throw new UsageError(`Command "${verb}" is unknown, try "ip address help".`, 255);
}

interface AddrArgs {
  prefix?: { addr: number; bits: number; hasLength: boolean };
  dev?: string;
  broadcast?: number | "+";
  scope?: IfAddr["scope"];
  label?: string;
}

function parseAddrArgs(words: string[]): AddrArgs {
  const args = new Args(words);
  const result: AddrArgs = {};
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "dev") result.dev = args.value(word);
    else if (word === "brd" || word === "broadcast") {
      const value = args.value(word);
      result.broadcast = value === "+" ? "+" : parseAddress(value);
    } else if (word === "scope") result.scope = parseScope(args.value(word));
    else if (word === "label") result.label = args.value(word);
    else if (word === "local") result.prefix = parsePrefix(args.value(word), false);
    else if (
      ["peer", "valid_lft", "preferred_lft", "noprefixroute", "metric", "home", "nodad"].includes(
        word,
      )
    ) {
      throw new Unsupported(`ip addr option "${word}"`);
    } else if (result.prefix === undefined) result.prefix = parsePrefix(word, false);
    else throw garbage("local", word);
  }
  return result;
}

function parseScope(text: string): IfAddr["scope"] {
  if (text === "host" || text === "link" || text === "global") return text;
  if (text === "0" || text === "universe") return "global";
  throw new Unsupported(`address scope "${text}"`);
}

function add(ctx: ToolContext, words: string[]): number {
  const parsed = parseAddrArgs(words);
  if (parsed.dev === undefined)
    throw new UsageError(`Not enough information: "dev" argument is required.`);
  const ns = currentNs(ctx);
  const link = requireLink(ns, parsed.dev);
  if (parsed.prefix === undefined) throw rtnetlinkError("EOPNOTSUPP");
  const { addr, bits } = parsed.prefix;
  const broadcast = parsed.broadcast === "+" ? broadcastOf(addr, bits) : parsed.broadcast;
  const scope = parsed.scope ?? (addr >>> 24 === 127 ? "host" : "global");
  addAddress(ns, {
    ifindex: link.ifindex,
    local: addr,
    bits,
    ...(broadcast === undefined ? {} : { broadcast }),
    scope,
    isSecondary: false,
    label: parsed.label ?? link.name,
  });
  return 0;
}

function remove(ctx: ToolContext, words: string[]): number {
  const parsed = parseAddrArgs(words);
  if (parsed.dev === undefined)
    throw new UsageError(`Not enough information: "dev" argument is required.`);
  const ns = currentNs(ctx);
  const link = requireLink(ns, parsed.dev);
  if (parsed.prefix === undefined) throw rtnetlinkError("EADDRNOTAVAIL", "ipv4: Address not found");
  const { addr, bits, hasLength } = parsed.prefix;
  if (!hasLength) {
    ctx.out.push(
      "Warning: Executing wildcard deletion to stay compatible with old scripts.",
      `         Explicitly specify the prefix length (${formatIp4(addr)}/32) to avoid this warning.`,
      "         This special behaviour is likely to disappear in further releases,",
      "         fix your scripts!",
    );
  }
  deleteAddress(ns, link.ifindex, (a) => a.local === addr && (!hasLength || a.bits === bits));
  return 0;
}

function flush(ctx: ToolContext, words: string[], options: IpOptions): number {
  const args = new Args(words);
  let name: string | undefined;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "dev") name = args.value(word);
    else if (name === undefined) name = word;
    else throw new Unsupported(`ip addr flush filter "${word}"`);
  }
  if (name === undefined) throw new UsageError("Flush requires arguments.");
  const ns = currentNs(ctx);
  const link = requireShownLink(ns, name);
  while (addrsOf(ns, link.ifindex).length > 0) deleteAddress(ns, link.ifindex, () => true);
  if (!options.isIpv4Only) {
    flushIpv6(ns.links[link.ifindex]!);
    syncLowerAddresses(ctx.state, ns.links[link.ifindex]!);
  }
  return 0;
}

/** Returns the IPv6 addresses a link shows, as `addr/len` with their scope and flags. */
function ipv6Of(state: NetState, link: Link): { text: string; scope: string; flags: string }[] {
  if (link.kind === "loopback") {
    return hasLoopback6(link) ? [{ text: "::1/128", scope: "host", flags: "" }] : [];
  }
  if (!link.isAdminUp) return [];
  if (link.linkLocal6 === undefined) return [];
  const flags = isTentative(state, link) ? "tentative " : "";
  return [{ text: `${link.linkLocal6}/64`, scope: "link", flags }];
}

function inetLine(addr: IfAddr, link: Link): string {
  const brd = addr.broadcast === undefined ? "" : ` brd ${formatIp4(addr.broadcast)}`;
  const secondary = addr.isSecondary ? " secondary" : "";
  return `    inet ${formatIp4(addr.local)}/${addr.bits}${brd} scope ${addr.scope}${secondary} ${addr.label ?? link.name}`;
}

const LIFETIMES = "       valid_lft forever preferred_lft forever";

function show(ctx: ToolContext, words: string[], options: IpOptions): number {
  // `-d` adds the same details lines as `ip -d link show`, which are not modelled.
  if (options.isDetailed) throw new Unsupported("ip -d (details)");
  const ns = currentNs(ctx);
  const filter = parseLinkFilter(ns, words);
  const { scope } = filter;
  for (const link of filterLinks(ns, filter)) {
    const allV4 = addrsOf(ns, link.ifindex);
    const allV6 = ipv6Of(ctx.state, link);
    const v4 = allV4.filter((addr) => scope === undefined || ADDR_SCOPE[addr.scope] === scope);
    const v6 = options.isIpv4Only
      ? []
      : allV6.filter((addr) => scope === undefined || parseScopeName(addr.scope) === scope);
    if (options.isIpv4Only && v4.length === 0) continue;
    // `ipaddr_filter`: a link with addresses but none that passes the filter is left out, while
    // a link without any address stays unless a family was requested.
    const hasAddress = allV4.length > 0 || allV6.length > 0;
    if (scope !== undefined && hasAddress && v4.length === 0 && v6.length === 0) continue;
    if (options.isBrief) {
      const name = displayName(ctx.state, ns, link).padEnd(16);
      const state = operState(ctx.state, ns, link).padEnd(14);
      const all = [...v4.map((a) => `${formatIp4(a.local)}/${a.bits}`), ...v6.map((a) => a.text)];
      ctx.out.push(`${name} ${state} ${all.map((a) => `${a} `).join("")}`);
      continue;
    }
    if (options.isOneline) {
      for (const addr of v4)
        ctx.out.push(
          `${link.ifindex}: ${link.name}    ${inetLine(addr, link).trim()}\\${LIFETIMES}`,
        );
      for (const addr of v6)
        ctx.out.push(
          `${link.ifindex}: ${link.name}    inet6 ${addr.text} scope ${addr.scope} ${addr.flags}\\${LIFETIMES}`,
        );
      continue;
    }
    const header = linkHeader(ctx.state, ns, link, true);
    if (options.isIpv4Only) ctx.out.push(header + linkNetnsSuffix(ctx.state, ns, link));
    else ctx.out.push(header, linkLayerLine(ctx.state, ns, link));
    for (const addr of v4) ctx.out.push(inetLine(addr, link), LIFETIMES);
    for (const addr of v6)
      ctx.out.push(`    inet6 ${addr.text} scope ${addr.scope} ${addr.flags}`, LIFETIMES);
  }
  return 0;
}
