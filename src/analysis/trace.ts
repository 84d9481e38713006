/**
 * `trace`: one probe through a network, for callers that hold a `Network` rather than a state.
 */
import type { Network } from "./network.js";
import type { Probe, Trace } from "./probe.js";
import { sendProbe } from "./probe.js";
import { UsageError } from "../errors.js";

/**
 * Sends `probe` through `net` and returns the hops and verdict of every packet it caused. The
 * network is not changed. Throws a usage error for an unknown namespace, a malformed address,
 * or a TCP or UDP probe without a valid port.
 */
export function trace(net: Network, probe: Probe): Trace {
  if (typeof probe !== "object" || probe === null) {
    throw new UsageError(
      'hoptrace: missing probe: pass one such as { from: "ns1", to: "192.0.2.1" }',
    );
  }
  return sendProbe(net.state, probe);
}
