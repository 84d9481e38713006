/**
 * Plans `hoptrace replay --host`: checks that a script runs only commands hoptrace models and
 * touches only its own objects, predicts its effect by running it in the simulator from a
 * snapshot of the host, and derives the commands that undo it.
 *
 * Source of truth: the simulator itself. The plan is the difference between the snapshot's state
 * and the simulated state after each line, so it is as exact as the model: a command the model
 * gets wrong can leave something the undo commands miss (they report what they could not undo).
 * Pure: no Node APIs.
 */
import { formatIp4 } from "../addr/ip4.js";
import { HoptraceError } from "../errors.js";
import { PROTO_KERNEL, TABLE_MAIN, type Route } from "../fib/route.js";
import type { IfAddr, Link, Netns, NetState } from "../netns/state.js";
import { runLine } from "../script/run.js";
import { parseList, scriptLines } from "../script/shell.js";

/** A script the host replay rejects before running anything; the message names line and fix. */
export class HostReplayRejected extends HoptraceError {
  constructor(message: string) {
    super(message, 1, "host-replay-rejected");
  }
}

/** One command of the undo list: what the script did, and the argv that reverts it. */
export interface UndoStep {
  /** What the script changed, such as `creates namespace ns1`. */
  readonly change: string;
  /** The command that reverts it, run without a shell. */
  readonly argv: readonly string[];
}

/** One script line with its simple commands and what the simulator predicts for it. */
export interface PlannedLine {
  readonly lineNumber: number;
  readonly text: string;
  readonly items: readonly { connector: ";" | "&&" | "||"; argv: readonly string[] }[];
  /** Whether the line changes the host, so that its failure rolls the replay back. */
  readonly isChange: boolean;
  /** The undo list after this line succeeded: how to go back to the host as it was. */
  readonly undoAfter: readonly UndoStep[];
}

/** The plan of a host replay. */
export interface HostPlan {
  readonly lines: readonly PlannedLine[];
  /** The undo list after the whole script. */
  readonly undo: readonly UndoStep[];
}

/** Programs a host replay may run; every other program is rejected. */
const ALLOWED = new Set([
  "ip",
  "bridge",
  "sysctl",
  "ping",
  "route",
  "sleep",
  "echo",
  "true",
  "false",
  ":",
]);
const READ_VERBS = ["show", "list", "lst", "get", "identify", "list-id"];

/**
 * Returns why `argv` reaches outside the script's own objects or outside what hoptrace models,
 * or `undefined` when it may run on the host.
 */
export function rejectionOf(argv: readonly string[]): string | undefined {
  const [program = "", ...args] = argv;
  if (!ALLOWED.has(program)) {
    return `"${program}" is not a command hoptrace models; a host replay runs only ${[...ALLOWED].join(", ")}`;
  }
  if (program === "route" && !args.every((arg) => /^-[ne4]+$/.test(arg))) {
    return `only "route -n" is modelled; "route" with other arguments changes the host unchecked`;
  }
  if (program !== "ip") return undefined;
  const netnsAt = args.indexOf("netns");
  if (netnsAt >= 0 && /^\d+$/.test(args[netnsAt + 1] ?? "")) {
    return `"netns ${args[netnsAt + 1]}" names a namespace by process id, which reaches outside the script`;
  }
  const objectAt = args.findIndex((arg, i) => !arg.startsWith("-") && args[i - 1] !== "-n");
  const object = args[objectAt] ?? "";
  const verb = args[objectAt + 1] ?? "";
  if ("netns".startsWith(object) && object.length > 0 && "exec".startsWith(verb) && verb !== "") {
    const inner = args.slice(objectAt + 3);
    return inner.length === 0 ? undefined : rejectionOf(inner);
  }
  if (["set", "attach", "pids", "monitor"].includes(verb) && "netns".startsWith(object)) {
    return `"ip netns ${verb}" reaches namespaces the script did not create`;
  }
  if ("monitor".startsWith(object) && object.length > 1) return `"ip monitor" never ends`;
  return undefined;
}

/** Reports whether `argv` may change the host, as opposed to only reading or probing it. */
export function isChangeCommand(argv: readonly string[]): boolean {
  const [program = "", ...args] = argv;
  if (program === "sysctl") return args.some((arg) => arg.includes("=") || /^-\w*w/.test(arg));
  if (program === "bridge") return !READ_VERBS.includes(args[1] ?? "show");
  if (program !== "ip") return false;
  const objectAt = args.findIndex((arg, i) => !arg.startsWith("-") && args[i - 1] !== "-n");
  const object = args[objectAt] ?? "";
  const verb = args[objectAt + 1] ?? "show";
  if (object.length > 0 && "netns".startsWith(object) && "exec".startsWith(verb)) {
    return isChangeCommand(args.slice(objectAt + 3));
  }
  return !READ_VERBS.some((read) => read.startsWith(verb));
}

/**
 * Plans the replay of `script` on a host whose current state is `host` (built from a snapshot).
 *
 * @throws HostReplayRejected when a line uses shell syntax or a program hoptrace does not model,
 * reaches outside the script's own objects, fails in the simulator, or would delete or rewrite a
 * namespace, link, address or route that existed before.
 */
export function planHostReplay(script: string, host: NetState): HostPlan {
  const lines: PlannedLine[] = [];
  let state = host;
  for (const { text, lineNumber } of scriptLines(script)) {
    const where = `line ${lineNumber} ("${text}")`;
    const items = parseItems(text, where);
    for (const item of items) {
      const reason = rejectionOf(item.argv);
      if (reason !== undefined) throw new HostReplayRejected(`${where}: ${reason}.`);
    }
    const isChange = items.some((item) => isChangeCommand(item.argv));
    const result = runLine(state, text);
    checkSimulated(result.output, result.exitCode, isChange, where);
    checkUntouched(host, result.state, where);
    state = result.state;
    lines.push({ lineNumber, text, items, isChange, undoAfter: undoSteps(host, state) });
  }
  return { lines, undo: lines.at(-1)?.undoAfter ?? [] };
}

function parseItems(text: string, where: string): PlannedLine["items"] {
  try {
    return parseList(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HostReplayRejected(`${where}: ${message}; a host replay runs plain commands only.`);
  }
}

function checkSimulated(output: string, exitCode: number, isChange: boolean, where: string): void {
  if (/^hoptrace: (not supported|internal error)/m.test(output)) {
    const detail = output
      .trim()
      .split("\n")
      .find((line) => line.startsWith("hoptrace:"));
    throw new HostReplayRejected(`${where}: ${detail}; only what hoptrace models runs on a host.`);
  }
  if (isChange && exitCode !== 0) {
    throw new HostReplayRejected(
      `${where} fails against this host's current state: ${output.trim()} (exit ${exitCode}). ` +
        "Rename what the script creates or remove the line, then replay again.",
    );
  }
}

/** Throws when `after` lost or rewrote a namespace, link, address or route of `before`. */
function checkUntouched(before: NetState, after: NetState, where: string): void {
  for (const ns of Object.values(before.namespaces)) {
    const label = nsLabel(ns);
    const now = after.namespaces[ns.id];
    if (now === undefined) throw clobbers(where, `deletes ${label}, which existed before`);
    for (const link of Object.values(ns.links)) {
      const current = now.links[link.ifindex];
      if (current?.name !== link.name) {
        throw clobbers(where, `deletes, renames or moves link ${link.name} of ${label}`);
      }
      if (!isUndoableLinkChange(link, current)) {
        throw clobbers(
          where,
          `changes link ${link.name} of ${label} in a way that cannot be undone`,
        );
      }
    }
    for (const addr of ns.addrs) {
      if (!now.addrs.some((other) => sameAddr(addr, other))) {
        throw clobbers(where, `removes address ${formatIp4(addr.local)}/${addr.bits} in ${label}`);
      }
    }
    // Routes the kernel derived from addresses come back with their link; the others do not.
    for (const [table, routes] of Object.entries(ns.tables)) {
      for (const route of routes.filter((candidate) => candidate.protocol !== PROTO_KERNEL)) {
        if (
          !(now.tables[Number(table)] ?? []).some((other) => routeKey(other) === routeKey(route))
        ) {
          throw clobbers(
            where,
            `removes or replaces route ${describeRoute(ns, route)} in ${label}`,
          );
        }
      }
    }
  }
}

function clobbers(where: string, what: string): HostReplayRejected {
  return new HostReplayRejected(
    `${where} ${what}; a host replay only adds to the host, so that it can undo what it did.`,
  );
}

/** Admin state, MTU and sysctls of an existing link can be restored; nothing else is. */
function isUndoableLinkChange(before: Link, after: Link): boolean {
  return (
    before.kind === after.kind &&
    before.mac === after.mac &&
    before.master === after.master &&
    before.peer?.ns === after.peer?.ns &&
    before.peer?.ifindex === after.peer?.ifindex
  );
}

function sameAddr(a: IfAddr, b: IfAddr): boolean {
  return a.ifindex === b.ifindex && a.local === b.local && a.bits === b.bits;
}

function routeKey(route: Route): string {
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

function nsLabel(ns: Netns): string {
  return ns.name === undefined ? "the host namespace" : `namespace ${ns.name}`;
}

function describeRoute(ns: Netns, route: Route): string {
  return routeArgv(ns, route).join(" ");
}

/** Returns the `ip route del` selector of `route`: type, prefix, table, metric, gateway, link. */
function routeArgv(ns: Netns, route: Route): string[] {
  const argv: string[] = route.type === "unicast" ? [] : [route.type];
  argv.push(`${formatIp4(route.dst)}/${route.bits}`);
  if (route.tos !== 0) argv.push("tos", String(route.tos));
  if (route.gateway !== undefined) argv.push("via", formatIp4(route.gateway));
  const dev = route.dev === undefined ? undefined : ns.links[route.dev];
  if (dev !== undefined) argv.push("dev", dev.name);
  if (route.table !== TABLE_MAIN) argv.push("table", String(route.table));
  argv.push("metric", String(route.metric));
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
 * routes and addresses on existing links, new links, new namespaces, then the admin state, MTU
 * and sysctls of existing links and namespaces.
 */
export function undoSteps(before: NetState, after: NetState): UndoStep[] {
  const steps: UndoStep[] = [];
  const restores: UndoStep[] = [];
  for (const ns of Object.values(after.namespaces)) {
    const old = before.namespaces[ns.id];
    if (old === undefined) continue;
    steps.push(...newRoutes(old, ns), ...newAddrs(old, ns));
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

function newRoutes(old: Netns, ns: Netns): UndoStep[] {
  const oldKeys = new Set(Object.values(old.tables).flat().map(routeKey));
  return Object.values(ns.tables)
    .flat()
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

/** Deletes new links of existing namespaces; deleting one end of a veth deletes both. */
function newLinks(before: NetState, after: NetState): UndoStep[] {
  const steps: UndoStep[] = [];
  const gone = new Set<string>();
  for (const ns of Object.values(after.namespaces)) {
    const old = before.namespaces[ns.id];
    if (old === undefined) continue;
    for (const link of Object.values(ns.links)) {
      if (old.links[link.ifindex]?.name === link.name || gone.has(`${ns.id}/${link.ifindex}`))
        continue;
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

/** Returns the plan as text: the commands, then every change and how it will be undone. */
export function formatPlan(plan: HostPlan, scriptName: string): string {
  const changes = plan.lines.filter((line) => line.isChange).length;
  const out = [
    `Plan for ${scriptName} on this host: ${plan.lines.length} commands, ${changes} of them change the host.`,
    ...plan.lines.map((line) => `  ${line.isChange ? "change" : "read  "}  ${line.text}`),
    "The script:",
    ...(plan.undo.length === 0
      ? ["  changes nothing that needs undoing"]
      : plan.undo.map((step) => `  ${step.change}`)),
  ];
  return `${out.join("\n")}\n`;
}
