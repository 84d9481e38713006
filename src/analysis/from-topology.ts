/** Building a network from a topology description rather than a script. */
import type { Network, NetworkOptions } from "./network.js";
import { network } from "./network.js";
import type { Topology } from "./topology.js";
import { topologyScript } from "./topology.js";

/**
 * Builds the network `topology` describes by running the commands `topologyScript` renders, so
 * the network's `script` is exactly what a root shell would run. Throws `ScriptError` naming
 * the first command that fails, such as a gateway outside every subnet of its namespace.
 */
export function fromTopology(
  topology: Topology,
  options: Omit<NetworkOptions, "isStrict"> = {},
): Network {
  return network(topologyScript(topology), options);
}
