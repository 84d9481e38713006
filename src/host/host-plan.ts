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
import { PROTO_KERNEL } from "../fib/route.js";
import { tableRoutes } from "../fib/route-table.js";
import { portsOf } from "../link/carrier.js";
import type { Link, Netns, NetState } from "../netns/state.js";
import { runLine } from "../script/run.js";
import { parseList, scriptLines } from "../script/shell.js";
import { isSimulatedProgram } from "../tools/index.js";
import type { UndoStep } from "./undo.js";
import {
  describeRoute,
  nsLabel,
  routeKey,
  ruleArgv,
  ruleKey,
  sameAddr,
  undoSteps,
} from "./undo.js";

export type { UndoStep };

/** A script the host replay rejects before running anything; the message names line and fix. */
export class HostReplayRejected extends HoptraceError {
  constructor(message: string) {
    super(message, 1, "host-replay-rejected");
  }
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
    const allowed = [...ALLOWED].join(", ");
    if (isSimulatedProgram(program)) {
      return `"${program}" runs in the simulator but not in a host replay, which runs only ${allowed}, so that it can undo every change`;
    }
    return `"${program}" is not a command hoptrace models; a host replay runs only ${allowed}`;
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
 * namespace, link, address, route or policy rule that existed before.
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
      if (!isUndoableLinkChange(ns, link, current)) {
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
    for (const rule of ns.rules) {
      if (!now.rules.some((other) => ruleKey(other) === ruleKey(rule))) {
        throw clobbers(where, `removes rule ${ruleArgv(rule).join(" ")} in ${label}`);
      }
    }
    // Routes the kernel derived from addresses come back with their link; the others do not.
    for (const [table, routes] of Object.entries(ns.tables)) {
      for (const route of tableRoutes(routes).filter((r) => r.protocol !== PROTO_KERNEL)) {
        if (
          !tableRoutes(now.tables[Number(table)]).some(
            (other) => routeKey(other) === routeKey(route),
          )
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

/**
 * Reports whether the change from `before` to `after` of a link of `ns` can be undone. Admin
 * state, MTU and sysctls can be restored. A bridge that follows its ports' MACs may also take a
 * new port's MAC: deleting that port recalculates the bridge id, which gives the bridge back the
 * lowest MAC of its old ports (`br_stp_recalculate_bridge_id`). A bridge without ports would
 * fall back to 00:00:00:00:00:00 instead, so its MAC must stay.
 */
function isUndoableLinkChange(ns: Netns, before: Link, after: Link): boolean {
  const followsPorts =
    before.kind === "bridge" && before.hasFixedMac !== true && portsOf(ns, before).length > 0;
  return (
    before.kind === after.kind &&
    (before.mac === after.mac || followsPorts) &&
    before.master === after.master &&
    // No undo step restores a port's hairpin mode.
    before.isHairpin === after.isHairpin &&
    before.peer?.ns === after.peer?.ns &&
    before.peer?.ifindex === after.peer?.ifindex
  );
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
