/**
 * `ip netns`: add, delete, list, list-id, identify and exec (iproute2 ip/ipnetns.c). Names live
 * in a private `/run/netns`, which is where the error texts point.
 */
import { UsageError, Unsupported } from "../../errors.js";
import { createNetns, findNetns } from "../../netns/state.js";
import type { Netns } from "../../netns/state.js";
import { deleteLink } from "../../netns/link-ops.js";
import { HOST_LABEL } from "../../path/sim.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import { matches } from "./args.js";

/** Runs a command line inside another namespace; supplied by the tool dispatcher. */
export type ExecInNs = (ctx: ToolContext, argv: string[]) => number;

/** Returns the namespace called `name`, or the error `ip netns exec` and `ip -n` print. */
export function openNetns(ctx: ToolContext, name: string): Netns {
  const ns = findNetns(ctx.state, name);
  if (ns === undefined) {
    throw new UsageError(`Cannot open network namespace "${name}": No such file or directory`, 255);
  }
  return ns;
}

/** Runs `ip netns ARGS`. */
export function ipNetns(ctx: ToolContext, args: string[], exec: ExecInNs): number {
  const [verb = "list", ...rest] = args;
  // `do_netns` checks the word after the verb before it looks at the verb, whatever it is.
  if (rest[0] !== undefined && isInvalidName(rest[0])) {
    throw new UsageError(`Invalid netns name "${rest[0]}"`, 255);
  }
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) return list(ctx);
  if (matches(verb, "add")) return add(ctx, rest);
  if (matches(verb, "delete")) return remove(ctx, rest);
  if (matches(verb, "exec")) return execIn(ctx, rest, exec);
  if (matches(verb, "list-id")) return listIds(ctx);
  if (matches(verb, "identify")) return identify(ctx);
  if (["set", "pids", "monitor", "attach"].some((word) => matches(verb, word))) {
    throw new Unsupported(`ip netns ${verb}`);
  }
  throw new UsageError(`Command "${verb}" is unknown, try "ip netns help".`, 255);
}

/** NAME_MAX: the longest file name under /run/netns, in bytes (include/uapi/linux/limits.h). */
const NAME_MAX = 255;

/**
 * Reports whether iproute2's `invalid_name` (ip/ipnetns.c) rejects `name`: empty, longer than
 * NAME_MAX bytes, containing `/`, or `.` or `..`. White space is allowed.
 */
function isInvalidName(name: string): boolean {
  const bytes = new TextEncoder().encode(name).length;
  return bytes === 0 || bytes > NAME_MAX || name.includes("/") || name === "." || name === "..";
}

function add(ctx: ToolContext, args: string[]): number {
  const name = args[0];
  if (name === undefined) throw new UsageError("No netns name specified");
  if (findNetns(ctx.state, name) !== undefined) {
    throw new UsageError(`Cannot create namespace file "/run/netns/${name}": File exists`);
  }
  // Traces, `check` and the library name the initial namespace "host", so a namespace of that
  // name would be taken for it.
  if (name === HOST_LABEL) {
    throw new Unsupported(
      `a namespace named "${HOST_LABEL}", the name hoptrace gives the initial namespace`,
    );
  }
  const id = ctx.state.nextNsId++;
  ctx.state.namespaces[id] = createNetns(id, name);
  ctx.state.names.push(name);
  return 0;
}

function remove(ctx: ToolContext, args: string[]): number {
  const name = args[0];
  if (name === undefined) throw new UsageError("No netns name specified");
  if (name === "-all" || name === "--all") throw new Unsupported("ip netns delete -all");
  const ns = findNetns(ctx.state, name);
  if (ns === undefined) {
    throw new UsageError(
      `Cannot remove namespace file "/run/netns/${name}": No such file or directory`,
    );
  }
  // `ip netns delete` only unmounts the name. A process that still runs in the namespace keeps it
  // alive, with its links and addresses, until the process exits.
  // TODO: model a namespace without a name that lives as long as its processes.
  const running = Object.values(ctx.state.processes).find(
    (proc) =>
      proc.nsId === ns.id &&
      proc.exit === undefined &&
      (proc.killAt === undefined || proc.killAt > ctx.state.clock),
  );
  if (running !== undefined) {
    throw new Unsupported(
      `ip netns delete ${name} while a background process runs in it ("${running.command}"); the kernel keeps the namespace until that process exits`,
    );
  }
  // Destroying a namespace destroys its links; a veth takes its peer in another namespace along.
  for (const link of Object.values(ns.links)) {
    if (link.kind !== "loopback" && ns.links[link.ifindex] !== undefined)
      deleteLink(ctx.state, ns, link);
  }
  delete ctx.state.namespaces[ns.id];
  ctx.state.names = ctx.state.names.filter((other) => other !== name);
  for (const other of Object.values(ctx.state.namespaces)) delete other.nsids[ns.id];
  return 0;
}

function list(ctx: ToolContext): number {
  const here = currentNs(ctx);
  for (const name of [...ctx.state.names].reverse()) {
    const ns = findNetns(ctx.state, name);
    if (ns === undefined || ns.isHidden) continue;
    const id = here.nsids[ns.id];
    ctx.out.push(id === undefined ? name : `${name} (id: ${id})`);
  }
  return 0;
}

function listIds(ctx: ToolContext): number {
  const here = currentNs(ctx);
  const entries = Object.entries(here.nsids).sort((a, b) => a[1] - b[1]);
  for (const [nsId, id] of entries) {
    const name = ctx.state.namespaces[Number(nsId)]?.name;
    ctx.out.push(name === undefined ? `nsid ${id} ` : `nsid ${id} (iproute2 netns name: ${name})`);
  }
  return 0;
}

/** Prints the name of the current namespace; an unnamed one prints an empty line, as iproute2 does. */
function identify(ctx: ToolContext): number {
  ctx.out.push(currentNs(ctx).name ?? "");
  return 0;
}

function execIn(ctx: ToolContext, args: string[], exec: ExecInNs): number {
  const [name, ...command] = args;
  if (name === undefined) throw new UsageError("No netns name specified");
  if (command.length === 0) throw new UsageError("No command specified");
  const ns = openNetns(ctx, name);
  return exec({ ...ctx, nsId: ns.id }, command);
}
