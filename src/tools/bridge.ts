/**
 * The `bridge` command (iproute2 bridge/): `bridge link show` and `bridge fdb show` over the
 * modelled bridges. Port states are `forwarding` or `disabled`, because STP is off and an
 * enabled port forwards at once.
 */
import { KernelError, UsageError, Unsupported, rtnetlinkError } from "../errors.js";
import { multicastList } from "../link/addrconf.js";
import { isPortForwarding, linkedLink, linkFlags } from "../link/carrier.js";
import type { Link, Netns } from "../netns/state.js";
import { findLink, linksOf } from "../netns/state.js";
import type { ToolContext } from "./context.js";
import { currentNs } from "./context.js";
import { Args, matches } from "./ip/args.js";

/** Runs `bridge ARGS`. */
export function bridge(ctx: ToolContext, args: string[]): number {
  // Options such as -d (details), -s (statistics) and -j (JSON) change what is printed. The
  // model prints -d and -s for `bridge link show` only, where -s adds nothing.
  const options: string[] = [];
  while (args[options.length]?.startsWith("-") === true) options.push(args[options.length]!);
  const isDetailed = options.some((option) => isOptionOf(option, "-details"));
  const unread = options.find(
    (option) => !isOptionOf(option, "-details") && !isOptionOf(option, "-statistics"),
  );
  if (unread !== undefined) throw new Unsupported(`bridge ${unread}`);
  const [object = "", verb = "show", ...rest] = args.slice(options.length);
  const isLinkShow = matches(object, "link") && (matches(verb, "show") || matches(verb, "list"));
  if (options.length > 0 && !isLinkShow) throw new Unsupported(`bridge ${options[0]}`);
  if (matches(object, "link")) {
    if (isLinkShow) return linkShow(ctx, rest, isDetailed);
    if (verb === "set") return linkSet(ctx, rest);
    throw new Unsupported(`bridge link ${verb}`);
  }
  if (matches(object, "fdb")) {
    if (matches(verb, "show") || matches(verb, "list")) return fdbShow(ctx, rest);
    throw new Unsupported(`bridge fdb ${verb}`);
  }
  if (["vlan", "mdb", "monitor"].some((word) => matches(object, word))) {
    throw new Unsupported(`bridge ${object}`);
  }
  throw new UsageError(`Object "${object}" is unknown, try "bridge help".`);
}

/** Reports whether `option` abbreviates `name` as bridge's `matches` reads it, `-d` at least. */
function isOptionOf(option: string, name: string): boolean {
  return option.length >= 2 && name.startsWith(option);
}

function bridgeOf(ns: Netns, name: string): Link {
  const link = findLink(ns, name);
  if (link === undefined || link.kind !== "bridge")
    throw new UsageError(`Cannot find bridge device "${name}"`, 255);
  return link;
}

/**
 * `bridge link show`: one line per bridge port. The PF_BRIDGE dump carries a veth's peer index
 * without a netnsid. So iproute2 names whatever link has that index in the current namespace,
 * `p1@br0` when it happens to be the bridge's index, and prints `M-DOWN` when that link is down.
 */
function linkShow(ctx: ToolContext, words: string[], isDetailed = false): number {
  const ns = currentNs(ctx);
  const dev = words[0] === "dev" ? words[1] : undefined;
  if (dev !== undefined && findLink(ns, dev) === undefined) {
    throw new UsageError(`Cannot find device "${dev}"`, 255);
  }
  for (const port of linksOf(ns)) {
    if (port.master === undefined) continue;
    if (dev !== undefined && port.name !== dev) continue;
    const master = ns.links[port.master]!;
    const state = isPortForwarding(ctx.state, ns, port) ? "forwarding" : "disabled";
    const linked = linkedLink(ns, port);
    const isLinkedDown = linked?.link !== undefined && !linked.link.isAdminUp;
    const name = linked === undefined ? port.name : `${port.name}@${linked.name}`;
    const flags = linkFlags(ctx.state, ns, port, isLinkedDown).join(",");
    ctx.out.push(
      `${port.ifindex}: ${name}: <${flags}> mtu ${port.mtu} master ${master.name} state ${state} priority 32 cost 2 `,
    );
    if (isDetailed) ctx.out.push(portDetails(port));
  }
  return 0;
}

/**
 * Returns the line `bridge -d link show` adds for a port: its flags (`print_protinfo`), of which
 * the model sets only hairpin, so the others keep the values `new_nbp` gives a new port.
 */
function portDetails(port: Link): string {
  const hairpin = port.isHairpin === true ? "on" : "off";
  return `    hairpin ${hairpin} guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off `;
}

/** The usage text `bridge link set` prints for a word it does not know, with exit status 255. */
const LINK_SET_USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]`;

/** The `bridge link set` flags whose value `parse_on_off` reads; the model sets only hairpin. */
const ON_OFF_OPTIONS: ReadonlySet<string> = new Set([
  "guard",
  "hairpin",
  "fastleave",
  "root_block",
  "learning",
  "learning_sync",
  "flood",
  "mcast_flood",
  "bcast_flood",
  "mcast_to_unicast",
  "neigh_suppress",
  "vlan_tunnel",
  "isolated",
  "locked",
]);

/** The `bridge link set` keywords without a value. */
const BARE_OPTIONS: ReadonlySet<string> = new Set(["nobackup_port", "self", "master"]);

/** The `bridge link set` keywords with a number, which the model reads only in decimal. */
const NUMBER_OPTIONS: ReadonlySet<string> = new Set(["cost", "priority"]);

/**
 * `bridge link set dev DEV [hairpin on|off]` (iproute2 bridge/link.c `brlink_modify`): keywords
 * match exactly, a flag's value as `parse_on_off` reads it (a prefix of "off" or "on"), and the
 * device is looked up only after the whole line parsed. The kernel rejects a link that is not a
 * bridge port with EOPNOTSUPP. Other options fail as not supported once the device is found.
 */
function linkSet(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  const args = new Args(words);
  let name: string | undefined;
  let hairpin: boolean | undefined;
  let unmodelled: string | undefined;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "dev") name = args.value(word);
    else if (ON_OFF_OPTIONS.has(word)) {
      const isOn = parseOnOff(word, args.value(word));
      if (word === "hairpin") hairpin = isOn;
      else unmodelled ??= word;
    } else if (BARE_OPTIONS.has(word)) unmodelled ??= word;
    else if (NUMBER_OPTIONS.has(word) && /^\d+$/.test(args.value(word))) unmodelled ??= word;
    else if (NUMBER_OPTIONS.has(word) || LINK_SET_USAGE.includes(`[ ${word} `)) {
      throw new Unsupported(`bridge link set ${word}`);
    } else throw new UsageError(LINK_SET_USAGE, 255);
  }
  if (name === undefined) throw new UsageError("Device is a required argument.", 255);
  const port = findLink(ns, name);
  if (port === undefined) throw new UsageError(`Cannot find bridge device "${name}"`, 255);
  if (unmodelled !== undefined) throw new Unsupported(`bridge link set ${unmodelled}`);
  if (port.master === undefined) throw new KernelError("EOPNOTSUPP", OPERATION_NOT_SUPPORTED, 255);
  if (hairpin !== undefined) port.isHairpin = hairpin;
  return 0;
}

const OPERATION_NOT_SUPPORTED = "RTNETLINK answers: Operation not supported";

/**
 * iproute2's `parse_on_off`: the first of "off" and "on" that `value` abbreviates. `bridge`
 * returns its -EINVAL (-22) and so exits with status 234, while `ip` exits with 1.
 */
function parseOnOff(keyword: string, value: string, exitStatus = 234): boolean {
  if (matches(value, "off")) return false;
  if (matches(value, "on")) return true;
  const message = `Error: argument of "${keyword}" must be one of "off", "on", not "${value}"`;
  throw new UsageError(message, exitStatus);
}

/** The usage text of `ip link ... type bridge_slave`, printed after an unknown option. */
const BRIDGE_SLAVE_USAGE = `Usage: ... bridge_slave [ fdb_flush ]
\t\t\t[ state STATE ]
\t\t\t[ priority PRIO ]
\t\t\t[ cost COST ]
\t\t\t[ guard {on | off} ]
\t\t\t[ hairpin {on | off} ]
\t\t\t[ fastleave {on | off} ]
\t\t\t[ root_block {on | off} ]
\t\t\t[ learning {on | off} ]
\t\t\t[ flood {on | off} ]
\t\t\t[ proxy_arp {on | off} ]
\t\t\t[ proxy_arp_wifi {on | off} ]
\t\t\t[ mcast_router MULTICAST_ROUTER ]
\t\t\t[ mcast_fast_leave {on | off} ]
\t\t\t[ mcast_flood {on | off} ]
\t\t\t[ bcast_flood {on | off} ]
\t\t\t[ mcast_to_unicast {on | off} ]
\t\t\t[ group_fwd_mask MASK ]
\t\t\t[ neigh_suppress {on | off} ]
\t\t\t[ vlan_tunnel {on | off} ]
\t\t\t[ isolated {on | off} ]
\t\t\t[ locked {on | off} ]
\t\t\t[ backup_port DEVICE ] [ nobackup_port ]`;

/**
 * Parses the options of `ip link set DEV type bridge_slave ...` (iproute2 ip/iplink_bridge_slave.c
 * `bridge_slave_parse_opt`) and returns the hairpin mode they set, if any. The other options
 * fail as not supported; an unknown word prints the usage text with exit status 1.
 */
export function parseBridgeSlaveOptions(words: string[]): { hairpin?: boolean } {
  const args = new Args(words);
  const result: { hairpin?: boolean } = {};
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "hairpin") result.hairpin = parseOnOff(word, args.value(word), 1);
    else if (BRIDGE_SLAVE_USAGE.includes(`[ ${word} `)) {
      throw new Unsupported(`ip link set ... type bridge_slave ${word}`);
    } else {
      throw new UsageError(`bridge_slave: unknown option "${word}"?\n${BRIDGE_SLAVE_USAGE}`, 1);
    }
  }
  return result;
}

/** Sets the hairpin mode of bridge port `port`; a link that is not a port is EOPNOTSUPP. */
export function setPortHairpin(port: Link, isHairpin: boolean): void {
  if (port.master === undefined) throw rtnetlinkError("EOPNOTSUPP");
  port.isHairpin = isHairpin;
}

/** The selection of `bridge fdb show`. */
interface FdbFilter {
  bridge?: Link;
  /** `dev` or `brport`: one link, printed without its `dev` column. */
  link?: Link;
  isDynamicOnly: boolean;
}

function parseFdbFilter(ns: Netns, words: string[]): FdbFilter {
  const filter: FdbFilter = { isDynamicOnly: false };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "br") filter.bridge = bridgeOf(ns, words[++i] ?? "");
    else if (word === "dev" || word === "brport") {
      const name = words[++i] ?? "";
      filter.link = findLink(ns, name);
      if (filter.link === undefined) throw new UsageError(`Cannot find device "${name}"`, 255);
    } else if (word === "dynamic") filter.isDynamicOnly = true;
    else throw new Unsupported(`bridge fdb show ${word}`);
  }
  return filter;
}

/**
 * `bridge fdb show`, in the kernel's dump order (`rtnl_fdb_dump`): link by link, a bridge's
 * hardware unicast and multicast lists as `self` entries and then its own local entries; a port's entries in
 * its bridge's database, newest first, and then its own `self` entries; any other link only its
 * `self` entries. `br` keeps a bridge and its ports.
 */
function fdbShow(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  const filter = parseFdbFilter(ns, words);
  for (const link of linksOf(ns)) {
    if (filter.link !== undefined && link !== filter.link) continue;
    if (
      filter.bridge !== undefined &&
      link !== filter.bridge &&
      link.master !== filter.bridge.ifindex
    ) {
      continue;
    }
    const dev = filter.link === undefined ? `dev ${link.name} ` : "";
    const lines: string[] = [];
    const master = link.master === undefined ? undefined : ns.links[link.master];
    if (master !== undefined) lines.push(...masterEntries(master, link, dev, filter));
    if (!filter.isDynamicOnly) {
      const own = [...(link.ucast ?? []), ...multicastList(link)];
      lines.push(...own.map((mac) => `${mac} ${dev}self permanent`));
    }
    if (link.kind === "bridge") lines.push(...masterEntries(link, link, dev, filter));
    ctx.out.push(...lines);
  }
  return 0;
}

/** Returns the lines for the entries of `bridge`'s database that point at `link`. */
function masterEntries(bridge: Link, link: Link, dev: string, filter: FdbFilter): string[] {
  return (bridge.fdb ?? [])
    .filter((entry) => entry.port === link.ifindex && !(filter.isDynamicOnly && entry.isLocal))
    .map((entry) => `${entry.mac} ${dev}master ${bridge.name} ${entry.isLocal ? "permanent" : ""}`);
}
