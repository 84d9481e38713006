/**
 * fast-check support for hoptrace, published as `hoptrace/fast-check` (fast-check is a peer
 * dependency): arbitraries for addresses, prefixes, route tables, topologies and whole scripts,
 * and `invariantProperty`, which turns the library's invariants into a property whose shrunk
 * counterexample prints as commands for a root shell.
 *
 * ```ts
 * import fc from "fast-check";
 * import { noForwardingLoop } from "hoptrace";
 * import { invariantProperty, script } from "hoptrace/fast-check";
 * fc.assert(invariantProperty(script({ maxNamespaces: 3 }), noForwardingLoop()));
 * ```
 *
 * @module
 */
import fc from "fast-check";
import type { Invariant } from "../analysis/invariants.js";
import { assertInvariants } from "../analysis/invariants.js";
import type { NetworkOptions } from "../analysis/network.js";
import { network } from "../analysis/network.js";
import type { GeneratedScript } from "./topologies.js";

export type { AddressOptions, PrefixOptions } from "./addresses.js";
export { addressIn, parsePrefix, prefixIn } from "./addresses.js";
export type { GeneratedScript, RouteTableOptions, TopologyOptions } from "./topologies.js";
export { asScript, routeTable, script, topology } from "./topologies.js";

/**
 * Returns a property that builds a network from each generated script and asserts
 * `invariants` on it. On failure fast-check shrinks to the smallest failing script and prints
 * it as commands; the error lists each violation with its trace. A script whose own commands
 * fail is a failure too (a `ScriptError` naming the line), because the generator is then wrong.
 */
export function invariantProperty(
  scripts: fc.Arbitrary<GeneratedScript>,
  ...invariants: Invariant[]
): fc.IPropertyWithHooks<[GeneratedScript]> {
  return invariantPropertyWith(scripts, {}, ...invariants);
}

/** Like `invariantProperty`, with the options `network` builds each script with (a preset). */
export function invariantPropertyWith(
  scripts: fc.Arbitrary<GeneratedScript>,
  options: NetworkOptions,
  ...invariants: Invariant[]
): fc.IPropertyWithHooks<[GeneratedScript]> {
  return fc.property(scripts, (generated) => {
    assertInvariants(network(generated.text, options), ...invariants);
  });
}
