/**
 * `ip neigh`: show, flush, get, and add/replace/change/del of entries (iproute2 ip/ipneigh.c,
 * `ipneigh_modify`; net/core/neighbour.c, `neigh_add`/`neigh_delete`). Entries are listed in
 * creation order. The kernel lists them in hash order with a random seed, so recorded cases
 * filter by address or link.
 */
import { UsageError, Unsupported, rtnetlinkError } from "../../errors.js";
import { formatIp4, parseIp4 } from "../../addr/ip4.js";
import type { Link, NeighEntry, NeighState, Netns } from "../../netns/state.js";
import { REACHABLE_MS } from "../../path/neigh.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";
import {
  Args,
  duplicateArgument,
  matches,
  parseLladdrBytes,
  requireLink,
} from "./args.js";
import type { IpOptions } from "./options.js";

const ALL_STATES: NeighState[] = [
  "INCOMPLETE",
  "REACHABLE",
  "STALE",
  "DELAY",
  "PROBE",
  "FAILED",
  "NOARP",
  "PERMANENT",
];

const NUD_NAMES: Record<string, NeighState[]> = {
  incomplete: ["INCOMPLETE"],
  reachable: ["REACHABLE"],
  stale: ["STALE"],
  delay: ["DELAY"],
  probe: ["PROBE"],
  failed: ["FAILED"],
  noarp: ["NOARP"],
  permanent: ["PERMANENT"],
  all: ALL_STATES,
};

/** The states `ip neigh add` can set here: the ones that need no running timer. */
const SETTABLE: readonly NeighState[] = ["PERMANENT", "REACHABLE", "STALE", "NOARP"];

/** Runs `ip neigh ARGS`. */
export function ipNeigh(ctx: ToolContext, args: string[], options: IpOptions): number {
  const [verb = "show", ...rest] = args;
  if (matches(verb, "show") || matches(verb, "list") || verb === "lst")
    return show(ctx, rest, options, false);
  if (matches(verb, "flush")) return show(ctx, rest, options, true);
  if (verb === "add" || verb === "replace" || verb === "change" || verb === "chg") {
    return modify(ctx, rest, verb === "chg" ? "change" : verb);
  }
  if (matches(verb, "delete")) return remove(ctx, rest);
  if (verb === "get") return get(ctx, rest, options);
  throw new UsageError(`Command "${verb}" is unknown, try "ip neigh help".`, 255);
}

/** The entry an `ip neigh` command line names, as `ipneigh_modify` parses it. */
interface NeighRequest {
  addr: number;
  link: Link;
  /** The bytes of `lladdr`, as many as were written; the kernel checks the length. */
  macBytes?: number[];
  state: NeighState;
}

/** Parses the words of `ip neigh add|replace|change|del|get`, as `ipneigh_modify` does. */
function parseRequest(ns: Netns, words: string[], verb: string): NeighRequest {
  const args = new Args(words);
  let devName: string | undefined;
  let dst: string | undefined;
  let lladdr: string | undefined;
  // iproute2 requests a permanent entry unless `nud` names another state.
  let state: NeighState = "PERMANENT";
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "lladdr") {
      const value = args.value(word);
      if (lladdr !== undefined) {
        throw duplicateArgument("lladdr", value);
      }
      lladdr = value;
    } else if (word === "nud") state = parseNud(args.value(word));
    else if (word === "dev") devName = args.value(word);
    else if (word === "proxy") {
      args.value(word);
      throw new Unsupported("ip neigh proxy entries");
    } else if (["router", "extern_learn", "use", "managed", "protocol"].includes(word)) {
      throw new Unsupported(`ip neigh ${verb} ... ${word}`);
    } else {
      const text = word === "to" ? args.value(word) : word;
      if (dst !== undefined)
        throw new UsageError(`Error: either "to" is duplicate, or "${text}" is a garbage.`, 255);
      dst = text;
    }
  }
  if (devName === undefined || dst === undefined) {
    // `ipneigh_get` has its own text, and exits with 1.
    if (verb === "get") throw new UsageError("Device and address are required arguments.");
    throw new UsageError("Device and destination are required arguments.", 255);
  }
  // ipneigh_modify reads the address only after the loop, so a garbage word is reported first.
  const macBytes = lladdr === undefined ? undefined : parseMac(lladdr);
  const addr = parseIp4(dst);
  if (addr === undefined)
    throw new Unsupported(`ip neigh ${verb} for "${dst}" (only IPv4 is modelled)`);
  const link = requireLink(ns, devName);
  return { addr, link, state, ...(macBytes === undefined ? {} : { macBytes }) };
}

/**
 * Parses the value of `lladdr` into the bytes iproute2 sends: `ipneigh_modify` reads it into a
 * 20-byte buffer with `ll_addr_a2n`, and `null` sends no address at all.
 */
function parseMac(text: string): number[] {
  if (text === "null") throw new Unsupported("ip neigh ... lladdr null");
  return parseLladdrBytes(text, 20);
}

/**
 * Returns the MAC the kernel stores for `bytes` on an Ethernet link. `neigh_add` rejects an
 * address shorter than the device's 6 bytes and keeps the first 6 bytes of a longer one
 * (net/core/neighbour.c).
 */
function ethernetMac(bytes: number[]): string {
  if (bytes.length < 6) throw rtnetlinkError("EINVAL", "Invalid link address");
  return bytes
    .slice(0, 6)
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join(":");
}

function parseNud(text: string): NeighState {
  const named = NUD_NAMES[text];
  if (named === undefined || text === "all") {
    throw new UsageError(`Error: argument "${text}" is wrong: nud state is bad`, 255);
  }
  const state = named[0]!;
  if (!SETTABLE.includes(state)) throw new Unsupported(`ip neigh ... nud ${text}`);
  return state;
}

/**
 * `ip neigh add` (NLM_F_CREATE|NLM_F_EXCL), `replace` (NLM_F_CREATE|NLM_F_REPLACE) and `change`
 * (NLM_F_REPLACE): the entry gets the given MAC and state, PERMANENT by default.
 */
function modify(ctx: ToolContext, words: string[], verb: "add" | "replace" | "change"): number {
  const ns = currentNs(ctx);
  const request = parseRequest(ns, words, verb);
  const requestedMac = request.macBytes === undefined ? undefined : ethernetMac(request.macBytes);
  const existing = ns.neigh.find(
    (entry) => entry.ifindex === request.link.ifindex && entry.addr === request.addr,
  );
  if (verb === "add" && existing !== undefined) throw rtnetlinkError("EEXIST");
  if (verb === "change" && existing === undefined) throw rtnetlinkError("ENOENT");
  const mac = requestedMac ?? existing?.mac;
  // Every settable state is a valid one, which needs a link-layer address on an Ethernet link.
  if (mac === undefined) throw rtnetlinkError("EINVAL", "No link layer address given");
  const entry: NeighEntry = {
    ifindex: request.link.ifindex,
    addr: request.addr,
    state: request.state,
    mac,
    updatedAt: ctx.state.clock,
    // A REACHABLE entry ages to STALE on the kernel's timer, as one that ARP confirmed does.
    ...(request.state === "REACHABLE" ? { timerAt: ctx.state.clock + REACHABLE_MS } : {}),
  };
  if (existing === undefined) ns.neigh.push(entry);
  else {
    // The kernel sends the packets queued on a resolving entry to the new address. No simulation
    // runs here to send them, so the model rejects the change instead.
    if ((existing.queue?.length ?? 0) > 0) {
      throw new Unsupported("ip neigh replace of an entry with packets waiting for ARP");
    }
    for (const key of Object.keys(existing) as (keyof NeighEntry)[]) delete existing[key];
    Object.assign(existing, entry);
  }
  return 0;
}

/** `ip neigh del ADDR dev LINK`. */
function remove(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  const request = parseRequest(ns, words, "del");
  const index = ns.neigh.findIndex(
    (entry) => entry.ifindex === request.link.ifindex && entry.addr === request.addr,
  );
  if (index < 0) throw rtnetlinkError("ENOENT");
  if ((ns.neigh[index]!.queue?.length ?? 0) > 0) {
    throw new Unsupported("ip neigh del of an entry with packets waiting for ARP");
  }
  ns.neigh.splice(index, 1);
  return 0;
}

/** `ip neigh get ADDR dev LINK`: the entry as `show` prints it. */
function get(ctx: ToolContext, words: string[], options: IpOptions): number {
  const ns = currentNs(ctx);
  const request = parseRequest(ns, words, "get");
  const entry = ns.neigh.find(
    (candidate) => candidate.ifindex === request.link.ifindex && candidate.addr === request.addr,
  );
  if (entry === undefined) throw rtnetlinkError("ENOENT", "Neighbour entry not found");
  ctx.out.push(formatNeigh(ns, entry, ctx.state.clock, false, options));
  return 0;
}

/** Returns entries as the clock sees them: an INCOMPLETE entry past its last probe is FAILED. */
function currentState(entry: NeighEntry, now: number): NeighState {
  if (entry.state === "INCOMPLETE" && entry.failsAt !== undefined && now >= entry.failsAt)
    return "FAILED";
  return entry.state;
}

function show(ctx: ToolContext, words: string[], options: IpOptions, isFlush: boolean): number {
  const ns = currentNs(ctx);
  const args = new Args(words);
  let dev: number | undefined;
  let addr: number | undefined;
  let states: NeighState[] | undefined;
  let isAll = false;
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "all") isAll = true;
    // Proxy entries live in their own table, which the model keeps empty (`ip neigh add proxy`
    // is not supported), so `show proxy` lists nothing, as on a host without proxy entries.
    else if (word === "proxy") return 0;
    else if (word === "dev") dev = requireLink(ns, args.value(word)).ifindex;
    else if (word === "nud") {
      const value = args.value(word);
      const named = NUD_NAMES[value];
      if (named === undefined)
        throw new UsageError(`Error: argument "${value}" is wrong: nud state is bad\n`, 255);
      states = named;
    } else if (word === "to") addr = parseIp4(args.value(word));
    else addr = parseIp4(word);
  }
  // Without a nud filter, ip skips NOARP entries, and a flush also PERMANENT ones.
  const hidden: NeighState[] = isFlush ? ["NOARP", "PERMANENT"] : ["NOARP"];
  const wanted = states ?? ALL_STATES.filter((state) => !hidden.includes(state));
  const selected = ns.neigh.filter((entry) => {
    const state = currentState(entry, ctx.state.clock);
    if (dev !== undefined && entry.ifindex !== dev) return false;
    if (addr !== undefined && entry.addr !== addr) return false;
    return wanted.includes(state);
  });
  // Linux adds a NOARP entry for each multicast group a link sends to, such as 224.0.0.22 for
  // IGMP reports and ff02::16 for MLD reports, which the model does not send.
  if (!isFlush && states?.includes("NOARP") === true) {
    throw new Unsupported("ip neigh show nud all|noarp (the NOARP entries of multicast groups)");
  }
  if (isFlush) {
    if (dev === undefined && addr === undefined && states === undefined && !isAll) {
      throw new UsageError("Flush requires arguments.");
    }
    ns.neigh = ns.neigh.filter((entry) => !selected.includes(entry));
    return 0;
  }
  for (const entry of selected)
    ctx.out.push(formatNeigh(ns, entry, ctx.state.clock, dev !== undefined, options));
  return 0;
}

function formatNeigh(
  ns: Netns,
  entry: NeighEntry,
  now: number,
  isDevFiltered: boolean,
  options: IpOptions,
): string {
  const link = ns.links[entry.ifindex]!;
  const state = currentState(entry, now);
  if (options.isBrief) {
    const device = isDevFiltered ? "" : link.name.padEnd(16) + " ";
    return `${formatIp4(entry.addr).padEnd(39)} ${device}${entry.mac ?? ""}`;
  }
  const device = isDevFiltered ? "" : `dev ${link.name} `;
  const lladdr =
    entry.mac === undefined || state === "FAILED" || state === "INCOMPLETE"
      ? ""
      : `lladdr ${entry.mac} `;
  // iproute2 prints every field followed by a space, so the line ends with one.
  return `${formatIp4(entry.addr)} ${device}${lladdr}${state} `;
}
