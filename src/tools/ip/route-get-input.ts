/**
 * `ip route get ADDR from SRC iif LINK`: the input route the kernel would give a packet arriving
 * on LINK, printed as iproute2 prints it (ip/iproute.c, `iproute_get`, from the RTM_NEWROUTE the
 * kernel returns out of net/ipv4/route.c `inet_rtm_getroute`). A martian or a reverse-path
 * failure is `RTNETLINK answers: Invalid argument`; a packet with no route gets the errno that
 * `ip_error` would act on. Input routes print no `src` and no `uid`.
 */
import { Unsupported, rtnetlinkError } from "../../errors.js";
import { formatIp4 } from "../../addr/ip4.js";
import { SCOPE_LINK } from "../../fib/route.js";
import { routeInput } from "../../path/input-route.js";
import type { ToolContext } from "../context.js";
import { currentNs } from "../context.js";

/** What `ip route get` parsed for an input route query. */
export interface InputGetQuery {
  dst: number;
  /** `from`; absent means 0.0.0.0, which the kernel rejects as a martian source. */
  src?: number;
  iif: number;
}

/** Prints the input route for `query`, or throws the kernel's error. */
export function getInputRoute(ctx: ToolContext, query: InputGetQuery): number {
  const ns = currentNs(ctx);
  const iif = ns.links[query.iif]!;
  const src = query.src ?? 0;
  const result = routeInput(ctx.state, ns, { dst: query.dst, src, iif: query.iif });
  if (!result.ok) throw rtnetlinkError(result.errno);
  const from = `from ${formatIp4(src)} `;
  const dst = formatIp4(query.dst);
  switch (result.kind) {
    case "unreachable":
      throw rtnetlinkError(result.errno);
    case "multicast":
      throw new Unsupported("ip route get ... iif for a multicast destination");
    case "local":
      ctx.out.push(`local ${dst} ${from}dev lo `, `    cache <local> iif ${iif.name} `);
      return 0;
    case "broadcast":
      ctx.out.push(`broadcast ${dst} ${from}dev lo `, `    cache <local,brd> iif ${iif.name} `);
      return 0;
    case "forward": {
      const route = result.route;
      const out = ns.links[route.dev!]!;
      const usesGateway = route.gateway !== undefined && route.nexthopScope === SCOPE_LINK;
      const via = usesGateway ? `via ${formatIp4(route.gateway!)} ` : "";
      const redirect = result.isRedirect ? "<redirect> " : "";
      ctx.out.push(`${dst} ${from}${via}dev ${out.name} `, `    cache ${redirect}iif ${iif.name} `);
      return 0;
    }
  }
}
