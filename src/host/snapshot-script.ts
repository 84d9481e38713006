/**
 * Turns what `ip -json` printed on a live host into a script that rebuilds that state in the
 * simulator. Pure: `snapshot.ts` reads the host, this module only writes text.
 *
 * Sources: the JSON printers of iproute2 6.1 (ip/ipaddress.c `print_linkinfo`, ip/iproute.c
 * `print_route`, ip/ipnetns.c `print_nsid`) for the input, and the kernel's ifindex allocator for
 * the order of the output: each namespace numbers its links in creation order, handing out the
 * first free number after the last one it gave (net/core/dev.c, `dev_new_index`), and a veth
 * registers its peer first (drivers/net/veth.c, `veth_newlink`). The script therefore creates
 * links in an order that gives each one its host ifindex, and creates and deletes a filler
 * bridge where the host has a gap (see `link-order.ts`).
 *
 * What a snapshot cannot capture, and what the script writes instead:
 * - A veth whose peer lives in a namespace without a name in /run/netns (a container reached only
 *   by process id): the peer goes to a hidden namespace `hoptrace-outside`, up when the host end
 *   has carrier. Its ifindex, and the nsids the host shows, then differ from the host's.
 * - Physical NICs and link kinds the simulator does not model (dummy, tun, wireguard, vlan...):
 *   each becomes a veth to `hoptrace-outside` shown as a physical NIC, in the host namespace only.
 *   So does a macvlan in a mode the simulator lacks (passthru, source), one whose lower link the
 *   snapshot does not contain, and one of the host's own namespace on a lower link elsewhere.
 * - Neighbour entries: written as comments, since the simulator learns its own by ARP.
 *   iptables rules of the filter and nat tables become `iptables` commands, and the other
 *   tables' lines become comments. Policy rules become `ip rule` commands, except those with
 *   selectors the simulator does not model.
 * - Protocol names the simulator does not know (a host's own rt_protos.d entries): the route is
 *   written without its `proto`, and a rule's `proto` is always left out.
 * - MAC addresses of bridges (they follow their ports), IPv6, link statistics, qdiscs, and the
 *   order in which nsids were handed out.
 */

import { shellWord } from "../script/shell-word.js";
import { parseProtocol } from "../tools/ip/route-print.js";
import type { Creation } from "./link-order.js";
import { orderCreations, planCreations } from "./link-order.js";

/** A link as `ip -d -json link show` prints it; only the fields the snapshot reads. */
export interface JsonLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  /** Name of a veth's peer in the same namespace. */
  link?: string;
  /** Ifindex of a veth's peer in the namespace `link_netnsid` names. */
  link_index?: number;
  link_netnsid?: number;
  master?: string;
  linkinfo?: { info_kind?: string; info_data?: { mode?: string } };
}

/** One address of `ip -json addr show`. */
export interface JsonAddr {
  family: string;
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope?: string;
  secondary?: boolean;
  label?: string;
}

/** One route of `ip -4 -json route show table all`. */
export interface JsonRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  protocol?: string;
  scope?: string;
  metric?: number;
  prefsrc?: string;
  tos?: string;
  flags?: string[];
  nexthops?: unknown[];
}

/** What was read from one namespace of the host. */
export interface NamespaceSnapshot {
  /** The name under /run/netns; `undefined` for the host's own namespace. */
  name?: string;
  links: JsonLink[];
  /** Addresses by link name, in the order `ip addr` lists them. */
  addrs: Record<string, JsonAddr[]>;
  routes: JsonRoute[];
  /** `ip -4 -json rule show`. */
  rules: Record<string, unknown>[];
  /** `ip -json neigh show`, kept only as comments. */
  neigh: Record<string, unknown>[];
  /** The nsids this namespace gave to named namespaces (`ip -json netns list-id`). */
  nsids: Record<number, string>;
  /** Sysctl values by dotted key; keys that could not be read are absent. */
  sysctl: Record<string, number>;
  /** `iptables-save` output, kept only as comments; absent when iptables is not installed. */
  iptables?: string;
}

/** A whole host: its own namespace first, then the named ones, newest last. */
export interface HostSnapshot {
  namespaces: NamespaceSnapshot[];
}

/** The hidden namespace that holds the peers and far ends the snapshot cannot see. */
export const OUTSIDE_NS = "hoptrace-outside";
const FILLER = "hoptrace-gap";
/** The IPv4 keys under `net.ipv4.conf.*` the simulator models, in the order they are written. */
export const SNAPSHOT_CONF_KEYS = [
  "forwarding",
  "rp_filter",
  "arp_ignore",
  "promote_secondaries",
  "ignore_routes_with_linkdown",
  "accept_local",
  "send_redirects",
] as const;
/** The kernel defaults of the keys of `SNAPSHOT_CONF_KEYS` that are not 0, except forwarding. */
const CONF_KEY_DEFAULTS: Partial<Record<(typeof SNAPSHOT_CONF_KEYS)[number], number>> = {
  send_redirects: 1,
};
/** The namespace-wide keys the simulator models and `sysctl -w` can set there. */
export const SNAPSHOT_GLOBAL_KEYS = [
  "net.ipv4.icmp_echo_ignore_broadcasts",
  "net.ipv4.icmp_echo_ignore_all",
] as const;
/** Values of a fresh namespace, from which only differences are written. */
const CONF_DEFAULTS: Record<string, number> = {
  "net.ipv4.icmp_echo_ignore_broadcasts": 1,
  "net.ipv4.icmp_echo_ignore_all": 0,
};

/** A script being written: the lines, and a counter for names in `hoptrace-outside`. */
class Writer {
  readonly lines: string[] = [];
  outsideCount = 0;
  hasOutside = false;

  constructor(readonly snapshot: HostSnapshot) {}

  /** Returns `ip` with the namespace option for namespace `ns`. */
  ip(ns: number): string {
    const name = this.snapshot.namespaces[ns]?.name;
    return name === undefined ? "ip" : `ip -n ${shellWord(name)}`;
  }

  /** Returns `iptables` run inside namespace `ns`. */
  iptables(ns: number): string {
    const name = this.snapshot.namespaces[ns]?.name;
    return name === undefined ? "iptables" : `ip netns exec ${shellWord(name)} iptables`;
  }

  /** Returns `sysctl` run inside namespace `ns`. */
  sysctl(ns: number): string {
    const name = this.snapshot.namespaces[ns]?.name;
    return name === undefined ? "sysctl" : `ip netns exec ${shellWord(name)} sysctl`;
  }
}

/**
 * Writes the script that rebuilds `snapshot` in the simulator: namespaces, sysctls, links in an
 * order that reproduces their ifindexes, bridge ports, addresses, admin states and routes, then
 * comments for what the simulator does not model. The script runs from a blank host, as
 * `hoptrace run --from` runs it; its `@` lines are directives only a snapshot or preset may use.
 */
export function snapshotScript(snapshot: HostSnapshot, header: readonly string[] = []): string {
  const writer = new Writer(snapshot);
  writer.lines.push(...header.map((line) => `# ${line}`));
  const creations = planCreations(snapshot);
  const needsOutside = creations.some((creation) => creation.kind === "outside");

  writeNamespaces(writer, needsOutside);
  snapshot.namespaces.forEach((_, ns) => writeNamespaceSysctls(writer, ns));
  writeCreations(writer, orderCreations(snapshot, creations));
  snapshot.namespaces.forEach((_, ns) => writeLinkSettings(writer, ns));
  snapshot.namespaces.forEach((_, ns) => writeAddresses(writer, ns));
  snapshot.namespaces.forEach((_, ns) => writeAdminStates(writer, ns));
  snapshot.namespaces.forEach((_, ns) => writeRoutes(writer, ns));
  snapshot.namespaces.forEach((_, ns) => writeRules(writer, ns));
  snapshot.namespaces.forEach((_, ns) => writeNotModelled(writer, ns));
  return `${writer.lines.join("\n")}\n`;
}

function writeNamespaces(writer: Writer, needsOutside: boolean): void {
  for (const ns of writer.snapshot.namespaces) {
    if (ns.name !== undefined) writer.lines.push(`ip netns add ${shellWord(ns.name)}`);
  }
  if (!needsOutside) return;
  writer.lines.push(
    "# Peers and far ends this host cannot see live in a hidden namespace.",
    `ip netns add ${OUTSIDE_NS}`,
    `@hide ${OUTSIDE_NS}`,
    `ip -n ${OUTSIDE_NS} link set lo up`,
  );
}

/** Writes `ip_forward` first, because writing it resets every `forwarding` key. */
function writeNamespaceSysctls(writer: Writer, ns: number): void {
  const { sysctl } = writer.snapshot.namespaces[ns]!;
  const set = (key: string, value: number | undefined, fallback: number): void => {
    if (value !== undefined && value !== fallback) {
      writer.lines.push(`${writer.sysctl(ns)} -qw ${key}=${value}`);
    }
  };
  set("net.ipv4.ip_forward", sysctl["net.ipv4.ip_forward"], 0);
  const forwarding = sysctl["net.ipv4.ip_forward"] ?? 0;
  for (const target of ["all", "default"]) {
    for (const key of SNAPSHOT_CONF_KEYS) {
      const fallback = key === "forwarding" ? forwarding : (CONF_KEY_DEFAULTS[key] ?? 0);
      set(`net.ipv4.conf.${target}.${key}`, sysctl[`net.ipv4.conf.${target}.${key}`], fallback);
    }
  }
  for (const key of SNAPSHOT_GLOBAL_KEYS) set(key, sysctl[key], CONF_DEFAULTS[key]!);
}

function writeCreations(writer: Writer, order: (Creation | number)[]): void {
  for (const step of order) {
    if (typeof step === "number") {
      const ip = writer.ip(step);
      writer.lines.push(`${ip} link add ${FILLER} type bridge`, `${ip} link del ${FILLER}`);
      continue;
    }
    const ip = writer.ip(step.link.ns);
    const name = shellWord(step.link.name);
    if (step.kind === "bridge") {
      writer.lines.push(`${ip} link add ${name} type bridge`);
    } else if (step.kind === "pair") {
      const peerName = writer.snapshot.namespaces[step.peer.ns]!.name;
      const isSameNs = step.peer.ns === step.link.ns || peerName === undefined;
      const netns = isSameNs ? "" : ` netns ${shellWord(peerName)}`;
      writer.lines.push(
        `${ip} link add ${name} type veth peer name ${shellWord(step.peer.name)}${netns}`,
      );
    } else if (step.kind === "macvlan") {
      // Created where its lower link is and sent to its own namespace, which `findMacvlan`
      // made sure has a name.
      const target = writer.snapshot.namespaces[step.link.ns]!.name;
      const netns = step.link.ns === step.lower.ns ? "" : ` netns ${shellWord(target!)}`;
      const lower = shellWord(step.lower.name);
      writer.lines.push(
        `${writer.ip(step.lower.ns)} link add ${name} link ${lower}${netns} type macvlan mode ${step.mode}`,
      );
    } else {
      writeOutside(writer, step);
    }
  }
}

function writeOutside(writer: Writer, step: Extract<Creation, { kind: "outside" }>): void {
  const far = `out${writer.outsideCount++}`;
  const name = shellWord(step.link.name);
  writer.lines.push(
    `# ${step.link.name}: ${step.note}; its far end is ${far} in ${OUTSIDE_NS}.`,
    `${writer.ip(step.link.ns)} link add ${name} type veth peer name ${far} netns ${OUTSIDE_NS}`,
  );
  if (step.isPhysical && step.link.ns === 0) writer.lines.push(`@physical ${name}`);
  if (step.hasCarrier) writer.lines.push(`ip -n ${OUTSIDE_NS} link set ${far} up`);
}

/** Writes MTUs, MACs of links other than bridges, bridge ports and per-link sysctls. */
function writeLinkSettings(writer: Writer, ns: number): void {
  const namespace = writer.snapshot.namespaces[ns]!;
  const ip = writer.ip(ns);
  for (const link of namespace.links) {
    if (link.ifname === "lo") continue;
    const name = shellWord(link.ifname);
    if (link.mtu !== 1500) writer.lines.push(`${ip} link set ${name} mtu ${link.mtu}`);
    if (link.address !== undefined && link.linkinfo?.info_kind !== "bridge") {
      writer.lines.push(`${ip} link set ${name} address ${link.address}`);
    }
    if (link.master !== undefined)
      writer.lines.push(`${ip} link set ${name} master ${shellWord(link.master)}`);
    for (const key of SNAPSHOT_CONF_KEYS) {
      const value = namespace.sysctl[`net.ipv4.conf.${link.ifname}.${key}`];
      // A new link copies conf.default, forwarding included (`inetdev_init`).
      const inherited =
        namespace.sysctl[`net.ipv4.conf.default.${key}`] ?? CONF_KEY_DEFAULTS[key] ?? 0;
      if (value !== undefined && value !== inherited) {
        writer.lines.push(`${writer.sysctl(ns)} -qw net.ipv4.conf.${link.ifname}.${key}=${value}`);
      }
    }
  }
}

function writeAddresses(writer: Writer, ns: number): void {
  const namespace = writer.snapshot.namespaces[ns]!;
  for (const link of namespace.links) {
    for (const addr of namespace.addrs[link.ifname] ?? []) {
      if (addr.family !== "inet") continue;
      // lo gets 127.0.0.1/8 by itself when it comes up.
      if (link.ifname === "lo" && addr.local === "127.0.0.1" && addr.prefixlen === 8) continue;
      const brd = addr.broadcast === undefined ? "" : ` brd ${addr.broadcast}`;
      const isDefaultScope = addr.scope === (addr.local.startsWith("127.") ? "host" : "global");
      const scope = addr.scope === undefined || isDefaultScope ? "" : ` scope ${addr.scope}`;
      const label =
        addr.label === undefined || addr.label === link.ifname
          ? ""
          : ` label ${shellWord(addr.label)}`;
      writer.lines.push(
        `${writer.ip(ns)} addr add ${addr.local}/${addr.prefixlen}${brd}${scope}${label} dev ${shellWord(link.ifname)}`,
      );
    }
  }
}

function writeAdminStates(writer: Writer, ns: number): void {
  const namespace = writer.snapshot.namespaces[ns]!;
  for (const link of namespace.links) {
    const isUp = link.flags.includes("UP");
    // The host's lo starts up, as on a booted machine; a named namespace's lo starts down.
    const isUpAlready = link.ifname === "lo" && namespace.name === undefined;
    if (isUp && !isUpAlready)
      writer.lines.push(`${writer.ip(ns)} link set ${shellWord(link.ifname)} up`);
    if (!isUp && isUpAlready) writer.lines.push(`${writer.ip(ns)} link set lo down`);
  }
}

/** Returns the `ip route add` arguments that recreate `route`, or why it cannot be recreated. */
export function routeArguments(route: JsonRoute): { args: string[] } | { reason: string } {
  if (route.nexthops !== undefined) return { reason: "multipath routes are not modelled yet" };
  const args: string[] = [];
  if (route.type !== undefined && route.type !== "unicast") args.push(route.type);
  args.push(route.dst);
  if (route.tos !== undefined) args.push("tos", route.tos);
  if (route.gateway !== undefined) args.push("via", route.gateway);
  if (route.dev !== undefined) args.push("dev", shellWord(route.dev));
  if (route.table !== undefined && route.table !== "main") args.push("table", route.table);
  // A name from the host's own rt_protos.d would make the line fail, so such a route keeps its
  // place in routing and loses only the label.
  const protocol = route.protocol;
  if (protocol !== undefined && protocol !== "boot" && parseProtocol(protocol) !== undefined) {
    args.push("proto", protocol);
  }
  if (route.scope !== undefined) args.push("scope", route.scope);
  if (route.metric !== undefined) args.push("metric", String(route.metric));
  if (route.prefsrc !== undefined) args.push("src", route.prefsrc);
  if (route.flags?.includes("onlink") === true) args.push("onlink");
  return { args };
}

/** Writes every route the addresses did not create; kernel routes come back by themselves. */
function writeRoutes(writer: Writer, ns: number): void {
  for (const route of writer.snapshot.namespaces[ns]!.routes) {
    if (route.protocol === "kernel") continue;
    const result = routeArguments(route);
    if ("reason" in result) {
      writer.lines.push(`# left out, ${result.reason}: ${JSON.stringify(route)}`);
      continue;
    }
    if (route.protocol !== undefined && parseProtocol(route.protocol) === undefined) {
      writer.lines.push(`# proto ${route.protocol} of the next route is a name hoptrace lacks.`);
    }
    writer.lines.push(`${writer.ip(ns)} route add ${result.args.join(" ")}`);
  }
}

/** The rules every namespace starts with, as `ip -json rule show` prints them. */
const DEFAULT_RULES = [
  { priority: 0, table: "local" },
  { priority: 32766, table: "main" },
  { priority: 32767, table: "default" },
];

/** Reports whether `rule` is the default rule `priority: table`, with no selector of its own. */
function isDefaultRule(rule: Record<string, unknown>, priority: number, table: string): boolean {
  return (
    Object.keys(rule).length === 3 &&
    rule.priority === priority &&
    rule.src === "all" &&
    rule.table === table
  );
}

/** The keys of `ip -json rule show` that `ruleArguments` writes or may drop without harm. */
const RULE_KEYS = new Set([
  "priority",
  "not",
  "src",
  "srclen",
  "dst",
  "dstlen",
  "tos",
  "fwmark",
  "fwmask",
  "iif",
  "iif_detached",
  "oif",
  "oif_detached",
  "table",
  "suppress_prefixlen",
  "goto",
  "unresolved",
  "nop",
  "action",
  "protocol",
]);

/** Returns `ADDR` or `ADDR/LEN` of a rule's `src` or `dst`, or undefined for "all". */
function rulePrefix(addr: unknown, length: unknown): string | undefined {
  if (addr === undefined || addr === "all") return undefined;
  return length === undefined ? String(addr) : `${String(addr)}/${String(length)}`;
}

/**
 * Returns the `ip rule add` arguments that recreate `rule` (one entry of `ip -json rule show`),
 * or why it cannot be recreated. A `proto` is left out, because `ip rule` in the simulator does
 * not read it. It only labels the rule and changes no lookup.
 */
export function ruleArguments(
  rule: Record<string, unknown>,
): { args: string[] } | { reason: string } {
  const unknown = Object.keys(rule).find((key) => !RULE_KEYS.has(key));
  if (unknown !== undefined)
    return { reason: `the rule selector "${unknown}" is not modelled yet` };

  const args: string[] = [];
  if ("not" in rule) args.push("not");
  const src = rulePrefix(rule.src, rule.srclen);
  if (src !== undefined) args.push("from", src);
  const dst = rulePrefix(rule.dst, rule.dstlen);
  if (dst !== undefined) args.push("to", dst);
  if (rule.tos !== undefined) args.push("tos", String(rule.tos));
  if (rule.fwmark !== undefined) {
    const mask = rule.fwmask === undefined ? "" : `/${String(rule.fwmask)}`;
    args.push("fwmark", `${String(rule.fwmark)}${mask}`);
  }
  if (rule.iif !== undefined) args.push("iif", shellWord(String(rule.iif)));
  if (rule.oif !== undefined) args.push("oif", shellWord(String(rule.oif)));
  args.push("pref", String(rule.priority));

  if (rule.goto !== undefined) args.push("goto", String(rule.goto));
  else if ("nop" in rule) args.push("nop");
  else if (rule.action !== undefined) {
    const action = String(rule.action);
    if (!["blackhole", "unreachable", "prohibit"].includes(action)) {
      return { reason: `the rule action "${action}" is not modelled yet` };
    }
    args.push(action);
  } else if (rule.table !== undefined) {
    args.push("lookup", shellWord(String(rule.table)));
    if (rule.suppress_prefixlen !== undefined) {
      args.push("suppress_prefixlength", String(rule.suppress_prefixlen));
    }
  } else return { reason: "a rule without a table or action" };
  return { args };
}

/**
 * Writes the policy rules: first deletes the default rules the namespace lacks, then adds the
 * others in the order the kernel lists them, which keeps the order of equal priorities.
 */
function writeRules(writer: Writer, ns: number): void {
  const { rules } = writer.snapshot.namespaces[ns]!;
  const ip = writer.ip(ns);
  for (const { priority, table } of DEFAULT_RULES) {
    if (!rules.some((rule) => isDefaultRule(rule, priority, table))) {
      writer.lines.push(`${ip} rule del pref ${priority} lookup ${table}`);
    }
  }
  for (const rule of rules) {
    if (DEFAULT_RULES.some(({ priority, table }) => isDefaultRule(rule, priority, table))) continue;
    const result = ruleArguments(rule);
    if ("reason" in result) {
      writer.lines.push(`# left out, ${result.reason}: ${JSON.stringify(rule)}`);
      continue;
    }
    if (rule.protocol !== undefined) {
      writer.lines.push(`# proto ${String(rule.protocol)} of the next rule is not modelled yet.`);
    }
    writer.lines.push(`${ip} rule add ${result.args.join(" ")}`);
  }
}

/** Writes neighbours as comments, and iptables rules as the commands that add them again. */
function writeNotModelled(writer: Writer, ns: number): void {
  const namespace = writer.snapshot.namespaces[ns]!;
  const where = namespace.name === undefined ? "the host" : `namespace ${namespace.name}`;
  const neigh = namespace.neigh.filter(
    (entry) => entry.dst !== undefined && !String(entry.dst).includes(":"),
  );
  if (neigh.length > 0) {
    writer.lines.push(`# Neighbour entries of ${where} (the simulator learns its own by ARP):`);
    for (const entry of neigh) writer.lines.push(`#   ${JSON.stringify(entry)}`);
  }
  const iptables = namespace.iptables?.trim() ?? "";
  if (iptables !== "") writer.lines.push(...iptablesCommands(iptables, writer.iptables(ns), where));
}

/** The iptables tables whose rules the simulator evaluates. */
const RULE_TABLES = new Set(["filter", "nat"]);

/**
 * Returns the `iptables` commands that rebuild the filter and nat tables of an `iptables-save`
 * dump: `-N` for each user chain, `-P` for each built-in chain whose policy is not ACCEPT, and
 * each `-A` line as it was saved. Other tables stay as comments. A rule the simulator cannot
 * parse then fails loudly when the snapshot is loaded, instead of being left out.
 */
export function iptablesCommands(dump: string, iptables: string, where: string): string[] {
  const lines: string[] = [];
  let table = "";
  for (const line of dump.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1);
    if (!RULE_TABLES.has(table)) {
      if (line !== "" && !line.startsWith("#")) {
        lines.push(`# ${table} table of ${where} (not modelled): ${line}`);
      }
      continue;
    }
    const chain = /^:(\S+) (\S+)/.exec(line);
    if (chain !== null) {
      const [, name, policy] = chain;
      if (policy === "-") lines.push(`${iptables} -t ${table} -N ${shellWord(name!)}`);
      else if (policy !== "ACCEPT") lines.push(`${iptables} -t ${table} -P ${name} ${policy}`);
    } else if (line.startsWith("-A ")) {
      lines.push(`${iptables} -t ${table} ${line}`);
    }
  }
  return lines;
}
