/**
 * The `ip` command: global options, then an object abbreviated as iproute2 allows (its object
 * table in ip/ip.c decides ties: `ip a` is addr, `ip r` is route, `ip n` is neigh, `ip l` is
 * link).
 */
import { UsageError, Unsupported } from "../../errors.js";
import type { ToolContext } from "../context.js";
import { ipAddr } from "./addr.js";
import { matches } from "./args.js";
import { ipLink } from "./link.js";
import { ipNeigh } from "./neigh.js";
import type { ExecInNs } from "./netns.js";
import { ipNetns, openNetns } from "./netns.js";
import type { IpOptions } from "./options.js";
import { ipRoute } from "./route.js";
import { ipRule } from "./rule.js";

type IpObject = (ctx: ToolContext, args: string[], options: IpOptions, exec: ExecInNs) => number;

/** Objects in the order of iproute2's table; the first that `matches` wins. */
const OBJECTS: [string, IpObject | undefined][] = [
  ["address", (ctx, args, options) => ipAddr(ctx, args, options)],
  ["addrlabel", undefined],
  ["maddress", undefined],
  ["route", (ctx, args, options) => ipRoute(ctx, args, options)],
  ["rule", (ctx, args, options) => ipRule(ctx, args, options)],
  ["neighbor", (ctx, args, options) => ipNeigh(ctx, args, options)],
  ["neighbour", (ctx, args, options) => ipNeigh(ctx, args, options)],
  ["ntable", undefined],
  ["link", (ctx, args, options) => ipLink(ctx, args, options)],
  ["l2tp", undefined],
  ["fou", undefined],
  ["tunnel", undefined],
  ["tuntap", undefined],
  ["monitor", undefined],
  ["xfrm", undefined],
  ["mroute", undefined],
  ["mrule", undefined],
  ["netns", (ctx, args, _options, exec) => ipNetns(ctx, args, exec)],
  ["netconf", undefined],
  ["vrf", undefined],
  ["nexthop", undefined],
];

/** What iproute2 6.1 prints for `ip` without an object (ip/ip.c, `usage`). */
const IP_USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}`;

/** Runs `ip ARGS`; `exec` runs nested commands for `ip netns exec`. */
export function ip(ctx: ToolContext, args: string[], exec: ExecInNs): number {
  const options: IpOptions = {
    isIpv4Only: false,
    isBrief: false,
    isOneline: false,
    isDetailed: false,
  };
  let index = 0;
  let inner = ctx;
  for (; index < args.length; index++) {
    const arg = args[index]!;
    if (!arg.startsWith("-")) break;
    const flag = arg.replace(/^--?/, "");
    if (flag === "4") options.isIpv4Only = true;
    else if (flag === "br" || matches(flag, "brief")) options.isBrief = true;
    else if (flag === "o" || matches(flag, "oneline")) options.isOneline = true;
    else if (flag === "d" || matches(flag, "details")) options.isDetailed = true;
    else if (flag === "n" || flag === "netns") {
      const name = args[++index];
      // Without a name iproute2 opens a null name, which glibc prints as "(null)".
      if (name === undefined) {
        throw new UsageError(
          `Cannot open network namespace "(null)": No such file or directory`,
          255,
        );
      }
      inner = { ...ctx, nsId: openNetns(ctx, name).id };
    } else throw new Unsupported(`ip option ${arg}`);
  }
  const [objectWord, ...rest] = args.slice(index);
  if (objectWord === undefined) throw new UsageError(IP_USAGE, 255);
  const entry = OBJECTS.find(([name]) => matches(objectWord, name));
  if (entry === undefined)
    throw new UsageError(`Object "${objectWord}" is unknown, try "ip help".`);
  const [name, run] = entry;
  if (run === undefined) throw new Unsupported(`ip ${name}`);
  return run(inner, rest, options, exec);
}
