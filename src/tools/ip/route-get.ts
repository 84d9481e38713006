/**
 * `ip route get`: requests the route a packet would take from the kernel and prints the reply
 * (iproute2 ip/iproute.c `iproute_get` and `print_route`; net/ipv4/route.c
 * `inet_rtm_getroute` and `rt_fill_info`).
 *
 * Without `iif` the kernel runs the output path for a locally generated packet: `from` must be
 * a local address, the chosen source is printed as `src`, and `uid N` ends the first line, with
 * the request's `uid` or 0. With `iif` it runs the input path for a packet arriving on that
 * link: no `src`, no `uid` unless the request gives one, and the cache line names the arrival
 * link. The cache line lists the route's flags: `local`
 * (delivered through lo), `brd` (broadcast), `mc` (multicast), `redirect` (would send an ICMP
 * redirect).
 * `fibmatch` prints the FIB entry that matched instead, in `ip route show` form.
 */
import { UsageError, Unsupported, rtnetlinkError } from "../../errors.js";
import { ALL_ONES, formatIp4, isMulticast, isZeronet } from "../../addr/ip4.js";
import type { Route } from "../../fib/route.js";
import { SCOPE_LINK, TABLE_LOCAL, TABLE_MAIN } from "../../fib/route.js";
import type { Link, Netns } from "../../netns/state.js";
import { ALL_HOSTS_GROUP, routeInput } from "../../path/input-route.js";
import { loopbackOf, outputRoute } from "../../path/output-route.js";
import type { ToolContext } from "../context.js";
import { currentNs, errLines } from "../context.js";
import { Args, invalidArgument, matches, parsePrefix, requireLink } from "./args.js";
import type { IpOptions } from "./options.js";
import { formatRoute, tableName } from "./route-print.js";
import { formatDsfield, parseTos } from "./dsfield.js";
import type { PmtuException } from "../../netns/state.js";
import { pmtuException } from "../../path/pmtu.js";

/** The request `ip route get` sends. */
interface GetRequest {
  dst: number;
  src?: number;
  iif?: Link;
  oif?: Link;
  mark?: number;
  tos?: number;
  /** The user id the request names (`uid`); the kernel takes the caller's, 0, without one. */
  uid?: number;
  isFibMatch: boolean;
}

/** The kernel's reply, reduced to the fields `print_route` prints. */
interface GetAnswer {
  type: Route["type"];
  gateway?: number;
  dev: Link;
  table?: number;
  prefsrc?: number;
  flags: string[];
  /** The FIB entry, for `fibmatch`. */
  route?: Route;
}

/** Runs `ip route get ARGS`. */
export function routeGet(ctx: ToolContext, words: string[], options: IpOptions): number {
  const ns = currentNs(ctx);
  const request = parseRequest(ctx, ns, words, options);
  const answer =
    request.iif === undefined ? askOutput(ctx, ns, request) : askInput(ctx, ns, request);
  if (request.isFibMatch) {
    if (answer.route === undefined) throw rtnetlinkError("EHOSTUNREACH");
    // The reply names the type of the cached route (`rt->rt_type`), not the FIB entry's.
    const shownType = answer.type === "multicast" ? answer.type : answer.route.type;
    const shown = { ...answer.route, type: shownType, table: answer.table ?? TABLE_MAIN };
    ctx.out.push(
      formatRoute(ctx.state, ns, shown, { isTableShown: true, isDetailed: options.isDetailed }),
    );
    return 0;
  }
  const first = firstLine(request, answer);
  const learned =
    request.iif === undefined && answer.type === "unicast"
      ? pmtuException(ns, request.dst, ctx.state.clock)
      : undefined;
  const cache = cacheLine(request, answer, learned, ctx.state.clock);
  if (options.isOneline) ctx.out.push(`${first}\\${cache}`);
  else ctx.out.push(first, cache);
  return 0;
}

function parseRequest(
  ctx: ToolContext,
  ns: Netns,
  words: string[],
  options: IpOptions,
): GetRequest {
  const args = new Args(words);
  const request: Partial<GetRequest> & { isFibMatch: boolean } = { isFibMatch: false };
  let family = options.isIpv4Only ? "inet" : "any valid";
  while (args.hasMore) {
    const word = args.next()!;
    if (word === "from") request.src = parsePrefix(args.value(word)).addr;
    else if (word === "iif") request.iif = requireLink(ns, args.value(word));
    else if (word === "oif" || word === "dev") request.oif = requireLink(ns, args.value(word));
    else if (word === "mark") request.mark = parseNumber(args.value(word), "invalid mark value");
    else if (word === "tos" || matches(word, "dsfield")) {
      request.tos = parseTos(args.value(word), "TOS value is invalid");
    } else if (word === "fibmatch") request.isFibMatch = true;
    else if (word === "uid") request.uid = parseUid(args.value(word));
    else if (["vrf", "ipproto", "sport", "dport", "connected", "as"].includes(word)) {
      throw new Unsupported(`ip route get ... ${word}`);
    } else {
      request.dst = parseDestination(ctx, word === "to" ? args.value(word) : word, family);
      family = "inet";
    }
  }
  if (request.dst === undefined) throw new UsageError("need at least a destination address");
  return request as GetRequest;
}

/** Parses the destination; iproute2 names the family in its error once one is known. */
function parseDestination(ctx: ToolContext, text: string, family: string): number {
  let prefix;
  try {
    prefix = parsePrefix(text);
  } catch (error) {
    if (family === "any valid") throw error;
    throw new UsageError(`Error: ${family} prefix is expected rather than "${text}".`);
  }
  if (prefix.hasLength && prefix.bits !== 32) {
    errLines(ctx).push(
      `Warning: /${prefix.bits} as prefix is invalid, only /32 (or none) is supported.`,
    );
  }
  return prefix.addr;
}

/** Parses a `uid` as `get_unsigned` does: a 32-bit unsigned number in decimal or hex. */
function parseUid(text: string): number {
  const uid = parseNumber(text, "invalid UID");
  if (uid > 0xffffffff) throw invalidArgument("invalid UID", text);
  return uid;
}

/** uid 4294967295 is the kernel's invalid uid, which the reply leaves out. */
const INVALID_UID = 0xffffffff;

function parseNumber(text: string, message: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw invalidArgument(message, text);
  return Number(text);
}

/** Runs the output path (`ip_route_output_key_hash_rcu`) with the checks it makes before the FIB. */
function askOutput(ctx: ToolContext, ns: Netns, request: GetRequest): GetAnswer {
  const { dst, src, oif } = request;
  if (src !== undefined) {
    // 0.0.0.0 is no source at all.
    if (isMulticast(src) || src === ALL_ONES || (src !== 0 && isZeronet(src))) {
      throw rtnetlinkError("EINVAL");
    }
  }
  if (oif !== undefined && !oif.isAdminUp) throw rtnetlinkError("ENETUNREACH");
  const result = outputRoute(ctx.state, ns, {
    dst,
    ...(src === undefined || src === 0 ? {} : { src }),
    ...(oif === undefined ? {} : { oif: oif.ifindex }),
    ...(request.tos === undefined ? {} : { tos: request.tos }),
    ...(request.mark === undefined ? {} : { mark: request.mark }),
  });
  if (!result.ok) throw rtnetlinkError(result.errno);
  const rt = result.route;
  const route = rt.route;
  let type: Route["type"] = "unicast";
  if (rt.isLocal && route?.type !== "unicast") type = "local";
  else if (rt.isBroadcast) type = "broadcast";
  else if (rt.isMulticast) type = "multicast";
  // `__mkroute_output`: RTCF_LOCAL for a broadcast, for a group the link joined (the model's
  // links join only 224.0.0.1) and for anything sent out lo.
  const isJoinedGroup = rt.isMulticast && rt.dst === ALL_HOSTS_GROUP;
  const isLocalFlag = rt.isLocal || rt.isBroadcast || isJoinedGroup || rt.dev.kind === "loopback";
  const flags = isLocalFlag ? ["local"] : [];
  if (rt.isBroadcast) flags.push("brd");
  if (rt.isMulticast) flags.push("mc");
  const answer: GetAnswer = { type, dev: rt.dev, flags, prefsrc: rt.src };
  if (!rt.isLocal && rt.nexthop !== rt.dst) answer.gateway = rt.nexthop;
  if (route !== undefined) {
    answer.route = route;
    answer.table = resultTable(ns, route);
  }
  return answer;
}

/** Runs the input path (`ip_route_input_slow`) for a packet arriving on `iif`. */
function askInput(ctx: ToolContext, ns: Netns, request: GetRequest): GetAnswer {
  const result = routeInput(ctx.state, ns, {
    dst: request.dst,
    src: request.src ?? 0,
    iif: request.iif!.ifindex,
    ...(request.tos === undefined ? {} : { tos: request.tos }),
    ...(request.mark === undefined ? {} : { mark: request.mark }),
  });
  if (!result.ok) throw rtnetlinkError(result.errno);
  if (result.kind === "unreachable") throw rtnetlinkError(result.errno);
  if (result.kind === "multicast") {
    throw new Unsupported("ip route get ... iif for a multicast destination");
  }
  const lo = loopbackOf(ns);
  let answer: GetAnswer;
  if (result.kind === "forward") {
    const route = result.route;
    const usesGateway = route.gateway !== undefined && route.nexthopScope === SCOPE_LINK;
    const flags = result.isRedirect ? ["redirect"] : [];
    answer = { type: "unicast", dev: ns.links[route.dev!]!, flags };
    if (usesGateway) answer.gateway = route.gateway!;
  } else if (result.kind === "broadcast") {
    answer = { type: "broadcast", dev: lo, flags: ["local", "brd"] };
  } else {
    answer = { type: "local", dev: lo, flags: ["local"] };
  }
  if (result.route !== undefined) {
    answer.route = result.route;
    answer.table = resultTable(ns, result.route);
  }
  return answer;
}

/**
 * Returns the table a lookup reports for `route`: while local and main share one trie, a local
 * route is found by the main table's lookup, so it counts as main.
 */
function resultTable(ns: Netns, route: Route): number {
  return !ns.hasCustomRules && route.table === TABLE_LOCAL ? TABLE_MAIN : route.table;
}

/**
 * Returns the whole seconds path MTU exception `learned` has left at `now`. iproute2 divides the
 * remaining clock ticks by their rate, which rounds down. The command runs a moment after the
 * clock's last step, so an exception learned just now shows 599; the kernel prints 600 or 599
 * then, depending on whether a jiffy passed in between.
 */
export function secondsLeft(learned: PmtuException, now: number): number {
  return Math.floor((learned.expiresAt - now - 1) / 1000);
}

/**
 * Returns the first line:
 * `[TYPE ]DST [from SRC ][tos T ][via GW ]dev DEV [table T ][src S ][mark M ][uid 0 ]`.
 */
function firstLine(request: GetRequest, answer: GetAnswer): string {
  let line = answer.type === "unicast" ? "" : `${answer.type} `;
  line += `${formatIp4(request.dst)} `;
  if (request.src !== undefined && request.src !== 0) line += `from ${formatIp4(request.src)} `;
  // The reply carries the TOS of the route that matched, not the requested one, so a route
  // without a TOS prints none (recorded in the kernel case route-get-tos).
  const tos = answer.route?.tos ?? 0;
  if (tos !== 0) line += `tos ${formatDsfield(tos)} `;
  if (answer.gateway !== undefined) line += `via ${formatIp4(answer.gateway)} `;
  line += `dev ${answer.dev.name} `;
  if (answer.table !== undefined && answer.table !== TABLE_MAIN)
    line += `table ${tableName(answer.table)} `;
  // The kernel sends RTA_PREFSRC only when it differs from the requested source (0 if none).
  const requestedSrc = request.src ?? 0;
  if (
    request.iif === undefined &&
    answer.prefsrc !== undefined &&
    answer.prefsrc !== requestedSrc
  ) {
    line += `src ${formatIp4(answer.prefsrc)} `;
  }
  // rt_fill_info copies RTCF_MULTICAST into rtm_flags, where iproute2 6.1 reads the same bit,
  // 0x20000000, as RTM_F_OFFLOAD_FAILED.
  if (answer.flags.includes("mc")) line += "rt_offload_failed ";
  // iproute2 prints a mark of 16 or more in hex (`print_route_msg`).
  const mark = request.mark ?? 0;
  if (mark !== 0) line += mark >= 16 ? `mark 0x${mark.toString(16)} ` : `mark ${mark} `;
  const uid = request.uid ?? (request.iif === undefined ? 0 : INVALID_UID);
  if (uid !== INVALID_UID) line += `uid ${uid} `;
  return line;
}

/**
 * Returns the cache line: `    cache [<FLAGS> ][expires Nsec ][iif DEV ][mtu MTU ]`, where a
 * learned path MTU adds the seconds it has left and the MTU (`rt_fill_info`).
 */
function cacheLine(
  request: GetRequest,
  answer: GetAnswer,
  learned: PmtuException | undefined,
  now: number,
): string {
  let line = "    cache ";
  if (answer.flags.length > 0) line += `<${answer.flags.join(",")}> `;
  if (learned !== undefined) line += `expires ${secondsLeft(learned, now)}sec `;
  if (request.iif !== undefined) line += `iif ${request.iif.name} `;
  if (learned !== undefined) line += `mtu ${learned.mtu} `;
  return line;
}
