/**
 * The undo list of a host replay: the commands that take a host from the simulated state after
 * a script back to the state before it. Pure: no Node APIs.
 *
 * Source of truth: the two simulator states. New policy rules, and routes and addresses on links
 * that existed, are deleted first, then new links and namespaces. The admin state, MTU and sysctls of what existed
 * are restored last.
 */
import { formatIp4 } from "../addr/ip4.js";
import { PROTO_KERNEL, TABLE_MAIN, type Route } from "../fib/route.js";
import { tableRoutes } from "../fib/route-table.js";
import type { FibRule } from "../fib/rules.js";
import { formatDsfield } from "../tools/ip/dsfield.js";
import type { IfAddr, LinkRef, Netns, NetState } from "../netns/state.js";

/** One command of the undo list: what the script did, and the argv that reverts it. */
export interface UndoStep {
  /** The change the script made, such as `creates namespace ns1`. */
  readonly change: string;
  /** The command that reverts it, run without a shell. */
  readonly argv: readonly string[];
}

/** Reports whether two addresses are the same address on the same link. */
export function sameAddr(a: IfAddr, b: IfAddr): boolean {
  return a.ifindex === b.ifindex && a.local === b.local && a.bits === b.bits;
}

/** Returns a key two routes share when table, type, prefix, TOS, metric, nexthop, protocol, scope and source agree. */
export function routeKey(route: Route): string {
  const { table, type, dst, bits, tos, metric, gateway, dev, protocol, scope, prefsrc } = route;
  return JSON.stringify([
    table,
    type,
    dst,
    bits,
    tos,
    metric,
    gateway,
    dev,
    protocol,
    scope,
    prefsrc,
  ]);
}

/** Returns `the host namespace` or `namespace NAME`, for messages. */
export function nsLabel(ns: Netns): string {
  return ns.name === undefined ? "the host namespace" : `namespace ${ns.name}`;
}

/** Returns `route` as the selector `ip route del` takes, for messages. */
export function describeRoute(ns: Netns, route: Route): string {
  return routeArgv(ns, route).join(" ");
}

/** Returns the `ip route del` selector of `route`: type, prefix, table, metric, gateway, link. */
export function routeArgv(ns: Netns, route: Route): string[] {
  const argv: string[] = route.type === "unicast" ? [] : [route.type];
  argv.push(`${formatIp4(route.dst)}/${route.bits}`);
  // iproute2 reads a TOS in hexadecimal or as an rt_dsfield name, never in decimal.
  if (route.tos !== 0) argv.push("tos", formatDsfield(route.tos));
  if (route.gateway !== undefined) argv.push("via", formatIp4(route.gateway));
  const dev = route.dev === undefined ? undefined : ns.links[route.dev];
  if (dev !== undefined) argv.push("dev", dev.name);
  if (route.table !== TABLE_MAIN) argv.push("table", String(route.table));
  argv.push("metric", String(route.metric));
  return argv;
}

/** Returns a key two policy rules share when every selector, the action and the priority agree. */
export function ruleKey(rule: FibRule): string {
  return JSON.stringify(ruleArgv(rule));
}

/**
 * Returns the `ip rule del` selector of `rule`: its priority, every selector and its action, so
 * that it matches that rule and no other rule of the same priority.
 */
export function ruleArgv(rule: FibRule): string[] {
  const argv = ["priority", String(rule.priority)];
  if (rule.isInverted) argv.push("not");
  argv.push("from", rule.srcBits === 0 ? "all" : `${formatIp4(rule.src)}/${rule.srcBits}`);
  if (rule.dstBits !== 0) argv.push("to", `${formatIp4(rule.dst)}/${rule.dstBits}`);
  if (rule.tos !== 0) argv.push("tos", formatDsfield(rule.tos));
  if (rule.fwmark !== 0 || rule.fwmask !== 0) {
    argv.push("fwmark", `0x${rule.fwmark.toString(16)}/0x${rule.fwmask.toString(16)}`);
  }
  if (rule.iif !== undefined) argv.push("iif", rule.iif);
  if (rule.oif !== undefined) argv.push("oif", rule.oif);
  if (rule.action === "lookup") argv.push("lookup", String(rule.table));
  else if (rule.action === "goto") argv.push("goto", String(rule.gotoPriority));
  else argv.push(rule.action);
  if (rule.suppressPrefixLength !== -1) {
    argv.push("suppress_prefixlength", String(rule.suppressPrefixLength));
  }
  return argv;
}

/** Returns `ip` with `-n NAME` for a named namespace. */
function ipIn(ns: Netns): string[] {
  return ns.name === undefined ? ["ip"] : ["ip", "-n", ns.name];
}

function sysctlIn(ns: Netns): string[] {
  return ns.name === undefined ? ["sysctl"] : ["ip", "netns", "exec", ns.name, "sysctl"];
}

/**
 * Returns the commands that take `after` back to `before`, in the order they must run: new
 * policy rules, routes and addresses on existing links, new links, new namespaces, then the admin
 * state, MTU and sysctls of existing links and namespaces.
 */
export function undoSteps(before: NetState, after: NetState): UndoStep[] {
  const steps: UndoStep[] = [];
  const restores: UndoStep[] = [];
  for (const ns of Object.values(after.namespaces)) {
    const old = before.namespaces[ns.id];
    if (old === undefined) continue;
    steps.push(...newRules(old, ns), ...newRoutes(old, ns), ...newAddrs(old, ns));
    steps.push(...newStaticNeighs(old, ns));
    restores.push(...linkRestores(old, ns), ...sysctlRestores(old, ns));
  }
  steps.push(...newLinks(before, after));
  for (const ns of Object.values(after.namespaces)) {
    if (before.namespaces[ns.id] === undefined && ns.name !== undefined) {
      steps.push({ change: `creates namespace ${ns.name}`, argv: ["ip", "netns", "del", ns.name] });
    }
  }
  return [...steps, ...restores];
}

function isOld(old: Netns, ifindex: number | undefined): boolean {
  return ifindex === undefined || old.links[ifindex] !== undefined;
}

function newRules(old: Netns, ns: Netns): UndoStep[] {
  const oldKeys = new Set(old.rules.map(ruleKey));
  return ns.rules
    .filter((rule) => !oldKeys.has(ruleKey(rule)))
    .map((rule) => ({
      change: `adds rule ${ruleArgv(rule).join(" ")} in ${nsLabel(ns)}`,
      argv: [...ipIn(ns), "rule", "del", ...ruleArgv(rule)],
    }));
}

function newRoutes(old: Netns, ns: Netns): UndoStep[] {
  const oldKeys = new Set(Object.values(old.tables).flatMap(tableRoutes).map(routeKey));
  return Object.values(ns.tables)
    .flatMap(tableRoutes)
    .filter((route) => route.protocol !== PROTO_KERNEL && !oldKeys.has(routeKey(route)))
    .filter((route) => isOld(old, route.dev))
    .map((route) => ({
      change: `adds route ${describeRoute(ns, route)} in ${nsLabel(ns)}`,
      argv: [...ipIn(ns), "route", "del", ...routeArgv(ns, route)],
    }));
}

function newAddrs(old: Netns, ns: Netns): UndoStep[] {
  return ns.addrs
    .filter((addr) => isOld(old, addr.ifindex) && !old.addrs.some((other) => sameAddr(addr, other)))
    .map((addr) => {
      const prefix = `${formatIp4(addr.local)}/${addr.bits}`;
      const name = ns.links[addr.ifindex]!.name;
      return {
        change: `adds address ${prefix} to ${name} in ${nsLabel(ns)}`,
        argv: [...ipIn(ns), "addr", "del", prefix, "dev", name],
      };
    });
}

/**
 * Deletes the PERMANENT and NOARP neighbour entries a script added on links that existed before.
 * Entries ARP learned are left to the kernel, which ages them out.
 */
function newStaticNeighs(old: Netns, ns: Netns): UndoStep[] {
  const isStatic = (state: string): boolean => state === "PERMANENT" || state === "NOARP";
  return ns.neigh
    .filter((entry) => isStatic(entry.state) && isOld(old, entry.ifindex))
    .filter(
      (entry) =>
        !old.neigh.some(
          (other) =>
            other.ifindex === entry.ifindex &&
            other.addr === entry.addr &&
            other.state === entry.state &&
            other.mac === entry.mac,
        ),
    )
    .map((entry) => {
      const name = ns.links[entry.ifindex]!.name;
      const addr = formatIp4(entry.addr);
      return {
        change: `adds neighbour ${addr} on ${name} in ${nsLabel(ns)}`,
        argv: [...ipIn(ns), "neigh", "del", addr, "dev", name],
      };
    });
}

/**
 * Deletes new links of existing namespaces. Deleting one end of a veth deletes both, and deleting
 * a link deletes its macvlans, so a macvlan on a new link gets no step of its own.
 */
function newLinks(before: NetState, after: NetState): UndoStep[] {
  const steps: UndoStep[] = [];
  const gone = new Set<string>();
  const isNew = (ref: LinkRef): boolean => {
    const link = after.namespaces[ref.ns]?.links[ref.ifindex];
    return before.namespaces[ref.ns]?.links[ref.ifindex]?.name !== link?.name;
  };
  for (const ns of Object.values(after.namespaces)) {
    const old = before.namespaces[ns.id];
    if (old === undefined) continue;
    for (const link of Object.values(ns.links)) {
      if (old.links[link.ifindex]?.name === link.name || gone.has(`${ns.id}/${link.ifindex}`))
        continue;
      if (link.lower !== undefined && isNew(link.lower)) continue;
      if (link.peer !== undefined) gone.add(`${link.peer.ns}/${link.peer.ifindex}`);
      steps.push({
        change: `creates ${link.kind} ${link.name} in ${nsLabel(ns)}`,
        argv: [...ipIn(ns), "link", "del", link.name],
      });
    }
  }
  return steps;
}

function linkRestores(old: Netns, ns: Netns): UndoStep[] {
  const steps: UndoStep[] = [];
  for (const link of Object.values(old.links)) {
    const now = ns.links[link.ifindex];
    if (now === undefined) continue;
    if (now.mtu !== link.mtu) {
      steps.push({
        change: `sets the MTU of ${link.name} in ${nsLabel(ns)} from ${link.mtu} to ${now.mtu}`,
        argv: [...ipIn(ns), "link", "set", link.name, "mtu", String(link.mtu)],
      });
    }
    if (now.isAdminUp !== link.isAdminUp) {
      const state = link.isAdminUp ? "up" : "down";
      steps.push({
        change: `sets ${link.name} in ${nsLabel(ns)} ${now.isAdminUp ? "up" : "down"}`,
        argv: [...ipIn(ns), "link", "set", link.name, state],
      });
    }
  }
  return steps;
}

/** Restores `ip_forward` first, because writing it rewrites every `forwarding` key. */
function sysctlRestores(old: Netns, ns: Netns): UndoStep[] {
  const pairs: [string, number, number][] = [];
  for (const [key, value] of Object.entries(old.sysctl))
    pairs.push([key, value, ns.sysctl[key] ?? value]);
  const confs: [string, Netns["confAll"], Netns["confAll"]][] = [
    ["all", old.confAll, ns.confAll],
    ["default", old.confDefault, ns.confDefault],
    ...Object.values(old.links).flatMap((link): [string, Netns["confAll"], Netns["confAll"]][] => {
      const now = ns.links[link.ifindex];
      return now === undefined ? [] : [[link.name, link.conf, now.conf]];
    }),
  ];
  for (const [target, was, now] of confs) {
    for (const [key, value] of Object.entries(was)) {
      pairs.push([`net.ipv4.conf.${target}.${key}`, value, now[key as keyof typeof now]]);
    }
  }
  return pairs
    .filter(([, was, now]) => was !== now)
    .map(([key, was, now]) => ({
      change: `sets ${key} in ${nsLabel(ns)} from ${was} to ${now}`,
      argv: [...sysctlIn(ns), "-qw", `${key}=${was}`],
    }));
}
