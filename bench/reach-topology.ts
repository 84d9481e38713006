/**
 * The networks the reachability benchmark probes: N namespaces in groups of up to 25 per
 * bridge, each bridge in the host namespace with its own /24, and the host forwarding between
 * the bridges. A probe inside one group crosses one bridge; a probe between groups also crosses
 * the host's routing.
 */
import type { Topology } from "../src/analysis/topology.js";
import { HOST, topologyScript } from "../src/analysis/topology.js";

/** Namespaces per bridge; a /24 would allow 253, but a flood to every port costs per probe. */
export const GROUP_SIZE = 25;

/** Returns the script that builds `count` namespaces on bridges joined by the host. */
export function bridgedScript(count: number): string {
  const topology: Topology = {
    namespaces: [{ name: HOST, isRouter: true }],
    segments: [],
  };
  for (let group = 0; group * GROUP_SIZE < count; group++) {
    const subnet = `10.${Math.floor(group / 256)}.${group % 256}`;
    const members = Math.min(GROUP_SIZE, count - group * GROUP_SIZE);
    const ends = [];
    for (let i = 0; i < members; i++) {
      const name = `ns${group * GROUP_SIZE + i}`;
      topology.namespaces.push({
        name,
        routes: [{ prefix: "default", via: `${subnet}.1` }],
      });
      ends.push({ namespace: name, link: "eth0", address: `${subnet}.${i + 2}` });
    }
    topology.segments.push({
      prefix: `${subnet}.0/24`,
      bridge: { namespace: HOST, name: `br${group}`, address: `${subnet}.1` },
      ends,
    });
  }
  return topologyScript(topology);
}
