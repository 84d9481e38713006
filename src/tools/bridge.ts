/**
 * The `bridge` command (iproute2 bridge/): `bridge link show` and `bridge fdb show` over the
 * modelled bridges. Port states are `forwarding` or `disabled`, because STP is off and an
 * enabled port forwards at once.
 */
import { UsageError, Unsupported } from "../errors.js";
import { isPortForwarding, linkFlags } from "../link/carrier.js";
import type { Link, Netns } from "../netns/state.js";
import { findLink, linksOf } from "../netns/state.js";
import type { ToolContext } from "./context.js";
import { currentNs } from "./context.js";
import { matches } from "./ip/args.js";

/** Runs `bridge ARGS`. */
export function bridge(ctx: ToolContext, args: string[]): number {
  const [object = "", verb = "show", ...rest] = args;
  if (matches(object, "link")) {
    if (matches(verb, "show") || matches(verb, "list")) return linkShow(ctx, rest);
    if (verb === "set") return linkSet(ctx, rest);
    throw new Unsupported(`bridge link ${verb}`);
  }
  if (matches(object, "fdb")) {
    if (matches(verb, "show") || matches(verb, "list")) return fdbShow(ctx, rest);
    throw new Unsupported(`bridge fdb ${verb}`);
  }
  if (["vlan", "mdb", "monitor"].some((word) => matches(object, word))) {
    throw new Unsupported(`bridge ${object}`);
  }
  throw new UsageError(`Object "${object}" is unknown, try "bridge help".`);
}

function bridgeOf(ns: Netns, name: string): Link {
  const link = findLink(ns, name);
  if (link === undefined || link.kind !== "bridge") throw new UsageError(`Cannot find bridge device "${name}"`, 255);
  return link;
}

function linkShow(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  const dev = words[0] === "dev" ? words[1] : undefined;
  for (const port of linksOf(ns)) {
    if (port.master === undefined) continue;
    if (dev !== undefined && port.name !== dev) continue;
    const master = ns.links[port.master]!;
    const state = isPortForwarding(ctx.state, ns, port) ? "forwarding" : "disabled";
    const flags = linkFlags(ctx.state, ns, port).join(",");
    ctx.out.push(`${port.ifindex}: ${port.name}@${master.name}: <${flags}> mtu ${port.mtu} master ${master.name} state ${state} priority 32 cost 2 `);
  }
  return 0;
}

function linkSet(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  const name = words[0] === "dev" ? words[1] : words[0];
  const port = name === undefined ? undefined : findLink(ns, name);
  if (port?.master === undefined) throw new UsageError(`Cannot find bridge device "${name ?? ""}"`, 255);
  throw new Unsupported(`bridge link set ${words.slice(2).join(" ")}`);
}

function fdbShow(ctx: ToolContext, words: string[]): number {
  const ns = currentNs(ctx);
  let bridges = linksOf(ns).filter((link) => link.kind === "bridge");
  let onlyPort: Link | undefined;
  let isDynamicOnly = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "br") bridges = [bridgeOf(ns, words[++i] ?? "")];
    else if (word === "dev" || word === "brport") {
      const name = words[++i] ?? "";
      onlyPort = findLink(ns, name);
      if (onlyPort === undefined) throw new UsageError(`Cannot find bridge device "${name}"`, 255);
    } else if (word === "dynamic") isDynamicOnly = true;
    else throw new Unsupported(`bridge fdb show ${word}`);
  }
  const brportOnly = words.includes("brport");
  for (const bridgeLink of bridges) {
    for (const entry of bridgeLink.fdb ?? []) {
      if (isDynamicOnly && entry.isLocal) continue;
      if (onlyPort !== undefined && entry.port !== onlyPort.ifindex) continue;
      const port = ns.links[entry.port];
      const dev = brportOnly || port === undefined ? "" : `dev ${port.name} `;
      const flag = entry.isLocal ? "permanent" : "";
      ctx.out.push(`${entry.mac} ${dev}master ${bridgeLink.name} ${flag}`.trimEnd() + (flag === "" ? " " : ""));
    }
  }
  return 0;
}
