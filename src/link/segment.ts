/**
 * The layer 2 segment a link sits on: every link a broadcast frame sent on it can reach, through
 * veth crossings and bridges. Used to explain failures ("a gateway on this segment would ...").
 */
import type { Link, Netns, NetState } from "../netns/state.js";
import { resolveRef } from "../netns/state.js";
import { portsOf } from "./carrier.js";

/** A link together with the namespace that holds it. */
export interface PlacedLink {
  ns: Netns;
  link: Link;
}

/** Returns the links that terminate the segment of `link` at layer 3, excluding `link` itself. */
export function segmentOf(state: NetState, ns: Netns, link: Link): PlacedLink[] {
  const seen = new Set<string>();
  const ends: PlacedLink[] = [];
  const visit = (here: Netns, current: Link): void => {
    const key = `${here.id}/${current.ifindex}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (current.kind === "bridge") {
      ends.push({ ns: here, link: current });
      for (const port of portsOf(here, current)) visit(here, port);
      return;
    }
    if (current.master !== undefined) {
      const bridge = here.links[current.master];
      if (bridge !== undefined) visit(here, bridge);
    } else if (current !== link) {
      ends.push({ ns: here, link: current });
    }
    if (current.peer !== undefined) {
      const peerNs = state.namespaces[current.peer.ns];
      const peer = resolveRef(state, current.peer);
      if (peerNs !== undefined && peer !== undefined) visit(peerNs, peer);
    }
  };
  visit(ns, link);
  return ends.filter((end) => end.link !== link || end.ns !== ns);
}
