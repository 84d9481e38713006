/**
 * `ip neigh`: show and flush (iproute2 ip/ipneigh.c). Entries are listed in creation order;
 * the kernel lists them in hash order, which is why recorded cases filter by address or link.
 */
import { UsageError, Unsupported } from "../../errors.js";
import { formatIp4, parseIp4 } from "../../addr/ip4.js";
import type { NeighEntry, NeighState, Netns } from "../../netns/state.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import { Args, matches, requireShownLink } from "./args.js";
import type { IpOptions } from "./options.js";

const NUD_NAMES: Record<string, NeighState[]> = {
  incomplete: ["INCOMPLETE"],
  reachable: ["REACHABLE"],
  stale: ["STALE"],
  failed: ["FAILED"],
  permanent: ["PERMANENT"],
  all: ["INCOMPLETE", "REACHABLE", "STALE", "FAILED", "PERMANENT"],
};

/** Runs `ip neigh ARGS`. */
export function ipNeigh(ctx: ToolContext, args: string[], options: IpOptions): number {
  const [verb = "show", ...rest] = args;
  if (matches(verb, "show") || matches(verb, "list")) return show(ctx, rest, options, false);
  if (matches(verb, "flush")) return show(ctx, rest, options, true);
  if (["add", "del", "delete", "change", "replace", "get"].some((word) => matches(verb, word))) {
    throw new Unsupported(`ip neigh ${verb}`);
  }
  throw new UsageError(`Command "${verb}" is unknown, try "ip neigh help".`);
}

/** Returns entries as the clock sees them: an INCOMPLETE entry past its last probe is FAILED. */
function currentState(entry: NeighEntry, now: number): NeighState {
  if (entry.state === "INCOMPLETE" && entry.failsAt !== undefined && now >= entry.failsAt) return "FAILED";
  return entry.state;
}

function show(ctx: ToolContext, words: string[], options: IpOptions, isFlush: boolean): number {
  const ns = currentNs(ctx);
  const args = new Args(words);
  let dev: number | undefined;
  let addr: number | undefined;
  let states: NeighState[] | undefined;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "dev") dev = requireShownLink(ns, args.value(word)).ifindex;
    else if (word === "nud") {
      const value = args.value(word);
      const named = NUD_NAMES[value];
      if (named === undefined) throw new UsageError(`Error: argument "${value}" is wrong: nud state is bad\n`, 255);
      states = named;
    } else if (word === "to") addr = parseIp4(args.value(word));
    else addr = parseIp4(word);
  }
  // Without a nud filter, ip hides FAILED and NOARP entries when flushing but shows all otherwise.
  const selected = ns.neigh.filter((entry) => {
    const state = currentState(entry, ctx.state.clock);
    if (dev !== undefined && entry.ifindex !== dev) return false;
    if (addr !== undefined && entry.addr !== addr) return false;
    if (states !== undefined && !states.includes(state)) return false;
    return true;
  });
  if (isFlush) {
    if (dev === undefined && addr === undefined && states === undefined) {
      throw new UsageError("Flush requires arguments.");
    }
    ns.neigh = ns.neigh.filter((entry) => !selected.includes(entry) || entry.state === "PERMANENT");
    return 0;
  }
  for (const entry of selected) ctx.out.push(formatNeigh(ns, entry, ctx.state.clock, dev !== undefined, options));
  return 0;
}

function formatNeigh(ns: Netns, entry: NeighEntry, now: number, isDevFiltered: boolean, options: IpOptions): string {
  const link = ns.links[entry.ifindex]!;
  const state = currentState(entry, now);
  if (options.isBrief) {
    const device = isDevFiltered ? "" : link.name.padEnd(16) + " ";
    return `${formatIp4(entry.addr).padEnd(39)} ${device}${entry.mac ?? ""}`;
  }
  const device = isDevFiltered ? "" : `dev ${link.name} `;
  const lladdr = entry.mac === undefined || state === "FAILED" || state === "INCOMPLETE" ? "" : `lladdr ${entry.mac} `;
  // ip/ipneigh.c ends every line with a space after the state, filtered or not.
  return `${formatIp4(entry.addr)} ${device}${lladdr}${state} `;
}
