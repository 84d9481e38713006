/**
 * The layer 2 segment a link sits on: every link a broadcast frame sent on it can reach, through
 * veth crossings, bridges and macvlans. Used to explain failures ("a gateway on this segment would ...").
 */
import type { Link, Netns, NetState } from "../netns/state.js";
import { macvlansOf, resolveRef } from "../netns/state.js";
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
    if (current.kind === "macvlan") {
      // Reached from its lower link's wire, a macvlan receives; it is the end of that path.
      if (current !== link) {
        ends.push({ ns: here, link: current });
        return;
      }
      // Its own frames reach its bridge-mode siblings, if it is one, and its lower link's
      // wire, but never the lower link's own stack.
      const lower = current.lower === undefined ? undefined : resolveRef(state, current.lower);
      if (lower === undefined) return;
      seen.add(`${current.lower!.ns}/${lower.ifindex}`);
      for (const sibling of macvlansOf(state, lower)) {
        const isBridged = current.macvlanMode === "bridge" && sibling.link.macvlanMode === "bridge";
        if (sibling.link !== current && isBridged) visit(sibling.ns, sibling.link);
      }
      const peerNs = lower.peer === undefined ? undefined : state.namespaces[lower.peer.ns];
      const peer = lower.peer === undefined ? undefined : resolveRef(state, lower.peer);
      if (peerNs !== undefined && peer !== undefined) visit(peerNs, peer);
      return;
    }
    // A frame from the wire reaches a link's macvlans too, but the link's own frames do not.
    if (current !== link) {
      for (const macvlan of macvlansOf(state, current)) visit(macvlan.ns, macvlan.link);
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
