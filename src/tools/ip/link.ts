/**
 * `ip link`: add (veth, bridge), set, delete and show (iproute2 ip/iplink.c and ip/ipaddress.c
 * for the printing). Errors keep iproute2's split: names the tool cannot resolve exit 1, what the
 * kernel refuses exits 2, parser complaints exit 255.
 */
import { UsageError, Unsupported, rtnetlinkError } from "../../errors.js";
import type { Link, MacvlanMode, Netns, NetState } from "../../netns/state.js";
import { findLink, findNetns, iflinkOf, linksOf } from "../../netns/state.js";
import {
  MAX_LINK_NAME,
  checkFreeName,
  createBridge,
  createMacvlan,
  createVeth,
  deleteLink,
  moveLink,
  removeFromBridge,
  setAdminState,
  setLinkMac,
  setLinkMtu,
  setMaster,
} from "../../netns/link-ops.js";
import { linkedLink, linkFlags, operState } from "../../link/carrier.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import {
  Args,
  checkAltIfname,
  checkIfname,
  duplicateArgument,
  garbage,
  invalidArgument,
  matches,
  parseLladdrBytes,
  requireLink,
  requireShownLink,
} from "./args.js";
import { parseMacvlanOptions } from "./macvlan-options.js";
import type { IpOptions } from "./options.js";
import { parseScopeName } from "./route-print.js";
import { parseBridgeSlaveOptions, setPortHairpin } from "../bridge.js";

/** Runs `ip link ARGS`. */
export function ipLink(ctx: ToolContext, args: string[], options: IpOptions): number {
  const [verb = "show", ...rest] = args;
  if (matches(verb, "add")) return add(ctx, rest);
  if (matches(verb, "set")) return set(ctx, rest);
  if (matches(verb, "delete")) return remove(ctx, rest);
  if (matches(verb, "show") || matches(verb, "list") || verb === "lst")
    return show(ctx, rest, options);
  if (matches(verb, "change") || matches(verb, "replace")) throw new Unsupported(`ip link ${verb}`);
  throw new UsageError(`Command "${verb}" is unknown, try "ip link help".`, 255);
}

/**
 * Throws the kernel's error for a link name that iproute2 passed on. A name of 16 or more bytes
 * fails the netlink policy of IFLA_IFNAME, with an extended ack. `dev_valid_name`
 * (net/core/dev.c) rejects `.`, `..` and names with `/`, `:` or white space with a bare EINVAL.
 */
function checkName(name: string): void {
  if (name.length > MAX_LINK_NAME || name.length === 0) {
    throw rtnetlinkError("EINVAL", "Attribute failed policy validation");
  }
  if (name === "." || name === ".." || /[/: \t\n\v\f\r]/.test(name)) {
    throw rtnetlinkError("EINVAL");
  }
}

/**
 * Keywords iproute2's `iplink_parse` matches by prefix, in the order it tries them, so a link
 * named `a`, `b`, `d`, `l`, `m` or `t` is read as a keyword unless written after `dev` or
 * `name` (`ip link set a up` prints `"up" is invalid lladdr.` on Linux too).
 */
const PREFIX_KEYWORDS = [
  "address",
  "broadcast",
  "txqueuelen",
  "txqlen",
  "master",
  "dynamic",
  "numtxqueues",
  "numrxqueues",
  "link",
  "alias",
  "help",
] as const;

type PrefixKeyword = (typeof PREFIX_KEYWORDS)[number];

/** Returns the keyword `word` abbreviates, if it abbreviates one. */
function prefixKeyword(word: string): PrefixKeyword | undefined {
  return PREFIX_KEYWORDS.find((keyword) => matches(word, keyword));
}

/**
 * Returns the bytes of a link-layer address as `iplink_parse` reads it, with `ll_addr_a2n` into
 * a 32-byte buffer, so an invalid part is named alone: `"zz" is invalid lladdr.` (exit 1).
 */
function parseLladdr(text: string): number[] {
  return parseLladdrBytes(text, 32);
}

/** Formats address bytes as a lowercase MAC with two digits per byte. */
function formatMac(bytes: readonly number[]): string {
  return bytes.map((byte) => byte.toString(16).padStart(2, "0")).join(":");
}

/**
 * Consumes the value of a prefix keyword that hoptrace does not model. The value is checked as
 * iproute2 checks it, so a link name read as a keyword gets the real error text, and a valid
 * value raises `Unsupported`.
 */
function rejectKeyword(ns: Netns, keyword: PrefixKeyword, args: Args, verb: string): never {
  if (keyword === "help") throw new Unsupported(`ip link ${verb} help`);
  const value = args.value(keyword);
  if (keyword === "broadcast") parseLladdr(value);
  if (keyword === "txqueuelen" || keyword === "txqlen" || keyword.startsWith("num")) {
    const name = keyword === "txqlen" ? "txqueuelen" : keyword;
    if (!/^\d+$/.test(value)) throw invalidArgument(`Invalid "${name}" value`, value);
  }
  if (keyword === "master" && findLink(ns, value) === undefined) {
    throw invalidArgument("Device does not exist", value);
  }
  if (keyword === "dynamic" && value !== "on" && value !== "off") {
    throw new UsageError(`Error: argument of "dynamic" must be "on" or "off", not "${value}"`);
  }
  if (keyword === "link") requireLink(ns, value);
  throw new Unsupported(`ip link ${verb} ... ${keyword} ${value}`);
}

/**
 * The errors of `ip link add NAME type KIND`, with no other arguments, for link kinds whose
 * drivers the recorded kernel (Linux 6.18) has but hoptrace does not model: vxlan needs its id,
 * macvtap a lower link, and tun links are made through /dev/net/tun. Any arguments after the
 * kind are not supported, and nor is ifb, whose link the kernel creates. Every other kind except
 * veth, bridge and macvlan gets the kernel's "Unknown device type", as dummy, bond, vlan and
 * typos do there.
 */
const UNMODELLED_KIND_ERRORS: Record<string, () => Error> = {
  vxlan: () =>
    rtnetlinkError("EINVAL", "Required attributes not provided to perform the operation"),
  macvtap: () => rtnetlinkError("EINVAL"),
  tun: () => rtnetlinkError("EOPNOTSUPP", "tun/tap creation via rtnetlink is not supported"),
  ifb: () => new Unsupported("ip link add ... type ifb"),
};

function add(ctx: ToolContext, words: string[]): number {
  const args = new Args(words);
  // `netns NS` creates the link itself in NS.
  let ns = currentNs(ctx);
  let name: string | undefined;
  let type: string | undefined;
  let peerName: string | undefined;
  let peerNsName: string | undefined;
  let address: number[] | undefined;
  let alias: string | undefined;
  let lower: Link | undefined;
  let mode: MacvlanMode | undefined;
  // `iplink_parse` keeps `name` and the device word apart, and `name` stands for the device
  // until one is given.
  let newName: string | undefined;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "name") {
      const value = args.value(word);
      if (newName !== undefined) throw duplicateArgument(word, value);
      newName = linkNameArg(value, word);
      name ??= newName;
    } else if (word === "dev") {
      const value = args.value(word);
      if (name !== newName) throw garbage("dev", value);
      name = linkNameArg(value, word);
    } else if (word === "netns") ns = lookupNetnsArg(ctx.state, args.value(word));
    else if (word === "type") {
      type = args.value(word);
      if (type === "veth") ({ peerName, peerNsName } = parseVethPeer(args));
      else if (type === "macvlan") mode = parseMacvlanOptions(args, lower);
      else if (args.hasMore)
        throw new Unsupported(`ip link add ... type ${type} ${args.rest().join(" ")}`);
    } else if (prefixKeyword(word) === "address") address = parseLladdr(args.value(word));
    else if (prefixKeyword(word) === "alias") alias = args.value(word);
    else if (prefixKeyword(word) === "link") lower = requireLink(currentNs(ctx), args.value(word));
    else if (prefixKeyword(word) !== undefined)
      rejectKeyword(ns, prefixKeyword(word)!, args, "add");
    else if (name === newName) name = linkNameArg(word, "dev");
    else throw new Unsupported(`ip link add option "${word}"`);
  }
  if (newName !== undefined && name !== newName) {
    throw new UsageError(`both "name" and "dev" cannot be used when creating devices.`, 255);
  }
  if (type === undefined)
    throw new UsageError(`Not enough information: "type" argument is required`);
  if (alias !== undefined) throw new Unsupported(`ip link add ... alias ${alias}`);
  if (name !== undefined) checkName(name);
  // br_validate and veth_validate accept only an address of exactly ETH_ALEN (6) bytes.
  if (address !== undefined && address.length !== 6) throw rtnetlinkError("EINVAL");
  if (type === "bridge") {
    // Without a name the kernel gives the first free "bridge%d".
    const bridge = createBridge(ctx.state, ns, name ?? freeName(ns, "bridge"));
    if (address !== undefined) setMac(ctx.state, ns, bridge, formatMac(address));
    return 0;
  }
  if (type === "macvlan") {
    // macvlan_newlink needs IFLA_LINK, the lower link.
    if (lower === undefined) throw rtnetlinkError("EINVAL");
    const macvlan = createMacvlan(
      ctx.state,
      ns,
      name ?? freeName(ns, "macvlan"),
      currentNs(ctx),
      lower,
      mode ?? "vepa",
    );
    if (address !== undefined) setMac(ctx.state, ns, macvlan, formatMac(address));
    return 0;
  }
  if (lower !== undefined) throw new Unsupported(`ip link add ... link ${lower.name} type ${type}`);
  if (Object.hasOwn(UNMODELLED_KIND_ERRORS, type)) throw UNMODELLED_KIND_ERRORS[type]!();
  if (type !== "veth") throw rtnetlinkError("EOPNOTSUPP", "Unknown device type");
  // Without `netns` the peer is made where the command runs, wherever the link itself goes.
  const peerNs = peerNsName === undefined ? currentNs(ctx) : lookupNetnsArg(ctx.state, peerNsName);
  const peer = peerName ?? freeName(peerNs, "veth");
  checkName(peer);
  // veth_newlink names and registers the peer first, so an unnamed link takes the next name.
  const reserved = peerNs.id === ns.id ? [peer] : [];
  const link = createVeth(ctx.state, ns, name ?? freeName(ns, "veth", reserved), peerNs, peer);
  if (address !== undefined) setMac(ctx.state, ns, link, formatMac(address));
  return 0;
}

function parseVethPeer(args: Args): { peerName?: string; peerNsName?: string } {
  const result: { peerName?: string; peerNsName?: string } = {};
  if (args.peek() !== "peer") return result;
  args.next();
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "name") result.peerName = linkNameArg(args.value(word), word);
    else if (word === "netns") result.peerNsName = args.value(word);
    else if (result.peerName === undefined) result.peerName = linkNameArg(word, "dev");
    else throw new Unsupported(`ip link add ... peer option "${word}"`);
  }
  return result;
}

/**
 * Returns `value` once it passes the check `iplink_parse` gives it: `check_ifname` for the
 * value of `name`, the longer `check_altifname` for `dev` and a bare link name.
 */
function linkNameArg(value: string, keyword: "name" | "dev"): string {
  if (keyword === "name") checkIfname(value, keyword);
  else checkAltIfname(value, keyword);
  return value;
}

/** Returns the name the kernel gives an unnamed veth peer: `vethN` with the first free N. */
/** Returns the first name `PREFIXn` (n = 0, 1, ...) that no link of `ns` has and is not `reserved`. */
function freeName(ns: Netns, prefix: string, reserved: readonly string[] = []): string {
  let n = 0;
  while (findLink(ns, `${prefix}${n}`) !== undefined || reserved.includes(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

function lookupNetnsArg(state: NetState, name: string): Netns {
  if (/^\d+$/.test(name)) throw new Unsupported(`netns by process id (netns ${name})`);
  const ns = findNetns(state, name);
  if (ns === undefined) throw invalidArgument(`Invalid "netns" value`, name);
  return ns;
}

/** The changes one `ip link set` requests. */
interface LinkChanges {
  isUp?: boolean;
  master?: Link | null;
  target?: Netns;
  mtu?: number;
  /** The bytes of `address` as written; their count is checked against the link's 6. */
  mac?: number[];
  newName?: string;
}

/**
 * Words of iproute2 6.1's `iplink_parse` (ip/iplink.c) that `ip link set` does not model and
 * that it compares whole, so they fail as not supported instead of as a second device name.
 */
const UNMODELLED_SET_KEYWORDS = [
  "multicast",
  "allmulticast",
  "promisc",
  "trailers",
  "arp",
  "carrier",
  "vf",
  "vrf",
  "group",
  "mode",
  "state",
  "protodown",
  "protodown_reason",
  "gso_max_size",
  "gso_max_segs",
  "gro_max_size",
  "parentdev",
  "index",
  "xdp",
  "xdpgeneric",
  "xdpdrv",
  "xdpoffload",
];

/** The unmodelled words of `iplink_parse` that it matches by prefix, in its order. */
const UNMODELLED_SET_PREFIXES = ["type", "alias", "addrgenmode", "link-netns", "link-netnsid"];

function set(ctx: ToolContext, words: string[]): number {
  const args = new Args(words);
  const ns = currentNs(ctx);
  let name: string | undefined;
  const changes: LinkChanges = {};
  let slaveOptions: { hairpin?: boolean } | undefined;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "type") {
      // `iplink_parse` stops at `type` and hands every later word to the type's own parser.
      const kind = args.value(word);
      if (kind !== "bridge_slave") throw new Unsupported(`ip link set ... type ${kind}`);
      slaveOptions = parseBridgeSlaveOptions(args.rest());
      break;
    }
    if (word === "up" || word === "down") changes.isUp = word === "up";
    else if (prefixKeyword(word) === "master") {
      const masterName = args.value(word);
      const master = findLink(ns, masterName);
      if (master === undefined) throw invalidArgument("Device does not exist", masterName);
      changes.master = master;
    } else if (word === "nomaster") changes.master = null;
    else if (word === "netns") {
      const value = args.value(word);
      if (changes.target !== undefined) throw duplicateArgument(word, value);
      changes.target = lookupNetnsArg(ctx.state, value);
    } else if (word === "mtu") {
      const value = args.value(word);
      if (changes.mtu !== undefined) throw duplicateArgument(word, value);
      changes.mtu = parseMtu(value);
    } else if (prefixKeyword(word) === "address") changes.mac = parseLladdr(args.value(word));
    else if (word === "name") {
      const value = args.value(word);
      if (changes.newName !== undefined) throw duplicateArgument(word, value);
      changes.newName = linkNameArg(value, word);
    } else if (word === "dev") {
      const value = args.value(word);
      if (name !== undefined) throw garbage("dev", value);
      name = linkNameArg(value, word);
    } else if (word === "qlen") rejectKeyword(ns, "txqueuelen", args, "set");
    else if (prefixKeyword(word) !== undefined) {
      rejectKeyword(ns, prefixKeyword(word)!, args, "set");
    } else if (name === undefined) {
      name = linkNameArg(word, "dev");
    } else {
      const isKeyword =
        UNMODELLED_SET_KEYWORDS.includes(word) ||
        UNMODELLED_SET_PREFIXES.some((keyword) => matches(word, keyword));
      if (isKeyword) throw new Unsupported(`ip link set ... ${word}`);
      throw garbage("dev", word);
    }
  }
  if (name === undefined)
    throw new UsageError(`Not enough information: "dev" argument is required.`, 255);
  const link = requireLink(ns, name);
  // iplink_modify compares the length with the device's before it sends anything.
  if (changes.mac !== undefined && changes.mac.length !== 6) {
    throw new UsageError(`Invalid address length ${changes.mac.length} - must be 6 bytes`);
  }
  // rtnl_newlink applies a port's options (slave_changelink) before do_setlink, and rejects them
  // for a link that is not a bridge port.
  if (slaveOptions?.hairpin !== undefined) setPortHairpin(link, slaveOptions.hairpin);
  applyChanges(ctx, ns, link, changes);
  return 0;
}

/**
 * Applies the changes in the order of the kernel's `do_setlink`: the namespace move (which
 * takes the new name along), address, MTU, name, master, and the admin state last.
 */
function applyChanges(ctx: ToolContext, ns: Netns, link: Link, changes: LinkChanges): void {
  let here = ns;
  let current = link;
  if (changes.target !== undefined && changes.target.id !== ns.id) {
    if (changes.newName !== undefined) checkName(changes.newName);
    current = moveLink(ctx.state, ns, link, changes.target, changes.newName ?? link.name);
    here = changes.target;
  } else if (changes.newName !== undefined) {
    rename(here, current, changes.newName);
  }
  if (changes.mac !== undefined) setMac(ctx.state, here, current, formatMac(changes.mac));
  if (changes.mtu !== undefined) setLinkMtu(ctx.state, here, current, changes.mtu);
  if (changes.master === null) removeFromBridge(ctx.state, here, current);
  else if (changes.master !== undefined) setMaster(ctx.state, here, current, changes.master);
  if (changes.isUp !== undefined) setAdminState(ctx.state, here, current, changes.isUp);
}

function parseMtu(text: string): number {
  if (!/^\d+$/.test(text)) throw invalidArgument(`Invalid "mtu" value`, text);
  return Number(text);
}

function setMac(state: NetState, ns: Netns, link: Link, mac: string): void {
  const normalized = mac
    .split(":")
    .map((part) => part.padStart(2, "0"))
    .join(":");
  setLinkMac(state, ns, link, normalized);
}

function rename(ns: Netns, link: Link, name: string): void {
  checkName(name);
  if (name !== link.name) checkFreeName(ns, name);
  link.name = name;
}

function remove(ctx: ToolContext, words: string[]): number {
  const args = new Args(words);
  const ns = currentNs(ctx);
  let name: string | undefined;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "dev") name = linkNameArg(args.value(word), word);
    else if (word === "type") {
      // iproute2 sends the kind along, and the kernel deletes the link whatever kind it names.
      // The words after the kind are options of that kind, which hoptrace does not read.
      args.value(word);
      if (args.hasMore)
        throw new Unsupported(`ip link del type options "${args.rest().join(" ")}"`);
    } else if (prefixKeyword(word) !== undefined)
      rejectKeyword(ns, prefixKeyword(word)!, args, "del");
    else if (name === undefined) name = linkNameArg(word, "dev");
    else throw garbage("dev", word);
  }
  if (name === undefined)
    throw new UsageError(`Not enough information: "dev" argument is required.`, 255);
  const link = requireLink(ns, name);
  deleteLink(ctx.state, ns, link);
  return 0;
}

/** The filters `ip link show` and `ip addr show` accept. */
export interface LinkFilter {
  dev?: Link;
  type?: string;
  master?: Link;
  isUpOnly: boolean;
  /** `scope SCOPE`: the scope number an address must have; absent for none or `scope all`. */
  scope?: number;
}

/** Parses the filter words of `ip link show` / `ip addr show`. */
export function parseLinkFilter(ns: Netns, words: string[]): LinkFilter {
  const args = new Args(words);
  const filter: LinkFilter = { isUpOnly: false };
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "dev") filter.dev = requireShownLink(ns, args.value(word));
    else if (word === "type") filter.type = args.value(word);
    else if (word === "master") filter.master = requireShownLink(ns, args.value(word));
    else if (word === "up") filter.isUpOnly = true;
    else if (word === "scope") {
      const value = args.value(word);
      const scope = parseScopeName(value);
      if (scope === undefined && value !== "all") throw invalidArgument(`invalid "scope"`, value);
      if (scope === undefined) delete filter.scope;
      else filter.scope = scope;
    } else if (["label", "to", "primary", "secondary", "permanent", "dynamic"].includes(word)) {
      throw new Unsupported(`ip show filter "${word}"`);
    } else if (filter.dev === undefined) filter.dev = requireShownLink(ns, word);
    else throw garbage("dev", word);
  }
  return filter;
}

/** Returns the links of `ns` that `filter` keeps, in ifindex order. */
export function filterLinks(ns: Netns, filter: LinkFilter): Link[] {
  return linksOf(ns).filter((link) => {
    if (filter.dev !== undefined && link !== filter.dev) return false;
    if (filter.type !== undefined && link.kind !== filter.type) return false;
    if (filter.master !== undefined && link.master !== filter.master.ifindex) return false;
    if (filter.isUpOnly && !link.isAdminUp) return false;
    return true;
  });
}

/**
 * Returns `NAME`, `NAME@PEER` or `NAME@ifN` as `ip link` prints a link's name. A veth whose peer
 * is in another namespace carries a netnsid, and iproute2 then prints the peer's index without
 * looking it up; a peer in the same namespace is named.
 */
export function displayName(state: NetState, ns: Netns, link: Link): string {
  void state;
  const iflink = iflinkOf(link);
  if (iflink === undefined) return link.name;
  if (iflink.ns !== ns.id) return `${link.name}@if${iflink.ifindex}`;
  return `${link.name}@${linkedLink(ns, link)!.name}`;
}

/**
 * Reports whether iproute2 adds `M-DOWN` to a link in `ip link`: only a veth whose peer, or a
 * macvlan whose lower link, is in the same namespace (no netnsid in the message) and down.
 */
function isPeerShownDown(ns: Netns, link: Link): boolean {
  if (iflinkOf(link)?.ns !== ns.id) return false;
  const peer = linkedLink(ns, link)?.link;
  return peer !== undefined && !peer.isAdminUp;
}

/**
 * Returns ` link-netns NAME` or ` link-netnsid N` for a veth whose peer, or a macvlan whose
 * lower link, is elsewhere.
 */
export function linkNetnsSuffix(state: NetState, ns: Netns, link: Link): string {
  const iflink = iflinkOf(link);
  if (iflink === undefined || iflink.ns === ns.id) return "";
  const peerNs = state.namespaces[iflink.ns];
  if (peerNs?.name !== undefined) return ` link-netns ${peerNs.name}`;
  const id = ns.nsids[iflink.ns];
  return id === undefined ? "" : ` link-netnsid ${id}`;
}

/** Returns the qdisc word: noop until a link first comes up, noqueue (or fq_codel for NICs) after. */
function qdiscOf(link: Link): string {
  if (link.wasUp !== true) return "noop";
  return link.kind === "ether" ? "fq_codel" : "noqueue";
}

/** Returns the header line `ip link show` and `ip addr show` print for `link`. */
export function linkHeader(state: NetState, ns: Netns, link: Link, isAddrShow: boolean): string {
  const flags = linkFlags(state, ns, link, isPeerShownDown(ns, link)).join(",");
  const master = link.master === undefined ? "" : ` master ${ns.links[link.master]?.name ?? "?"}`;
  const mode = isAddrShow ? "" : " mode DEFAULT";
  const state_ = operState(state, ns, link);
  return `${link.ifindex}: ${displayName(state, ns, link)}: <${flags}> mtu ${link.mtu} qdisc ${qdiscOf(link)}${master} state ${state_}${mode} group default qlen 1000`;
}

/** Returns the `link/...` line for `link`. */
export function linkLayerLine(state: NetState, ns: Netns, link: Link): string {
  if (link.kind === "loopback") return "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00";
  return `    link/ether ${link.mac} brd ff:ff:ff:ff:ff:ff${linkNetnsSuffix(state, ns, link)}`;
}

function show(ctx: ToolContext, words: string[], options: IpOptions): number {
  // TODO: model the details lines of lo, veth and bridge (promiscuity, minmtu, queue counts,
  // GSO limits and the bridge's STP and multicast settings) instead of rejecting `-d`. A veth's
  // numtxqueues matched the CPU count (2) on the recording machine, so it needs a volatile mask.
  if (options.isDetailed) throw new Unsupported("ip -d (details)");
  const ns = currentNs(ctx);
  const filter = parseLinkFilter(ns, words);
  // NOTE: iproute2 parses an address filter for ip link show too; whether it then hides links
  // was not recorded.
  if (filter.scope !== undefined) throw new Unsupported('ip link show filter "scope"');
  const links = filterLinks(ns, filter);
  for (const link of links) {
    if (options.isBrief) {
      ctx.out.push(briefLink(ctx.state, ns, link));
      continue;
    }
    const lines = [linkHeader(ctx.state, ns, link, false), linkLayerLine(ctx.state, ns, link)];
    ctx.out.push(options.isOneline ? lines.join("\\") : lines.join("\n"));
  }
  return 0;
}

function briefLink(state: NetState, ns: Netns, link: Link): string {
  const name = displayName(state, ns, link).padEnd(16);
  const op = operState(state, ns, link).padEnd(14);
  const flags = linkFlags(state, ns, link, isPeerShownDown(ns, link)).join(",");
  return `${name} ${op} ${link.mac} <${flags}> `;
}
