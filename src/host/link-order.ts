/**
 * Decides in which order a snapshot script creates links, so that each link gets the ifindex it
 * has on the host. Pure.
 *
 * Sources: each namespace numbers its links in creation order, handing out the first free
 * number after the last one it gave, so a freed number comes back only when the counter wraps
 * (net/core/dev.c, `dev_new_index`; `snapshot.test.ts` checks a gap on the live kernel). A veth
 * registers its peer first (drivers/net/veth.c, `veth_newlink`). So a same-namespace veth pair
 * comes out right only when its lower ifindex is written as the peer, and a number the host
 * skipped needs a filler link.
 */
import type { HostSnapshot, JsonLink } from "./snapshot-script.js";

/** One end of a link to create: which namespace and which ifindex it must get. */
export interface End {
  ns: number;
  ifindex: number;
  name: string;
}

/** A link or veth pair to create, in namespace order of `HostSnapshot.namespaces`. */
export type Creation =
  | { kind: "pair"; link: End; peer: End }
  | { kind: "bridge"; link: End }
  | { kind: "macvlan"; link: End; lower: End; mode: "bridge" | "vepa" | "private" }
  | { kind: "outside"; link: End; isPhysical: boolean; hasCarrier: boolean; note: string };

/** Finds the veth pairs, bridges and links with unseen far ends of every namespace. */
export function planCreations(snapshot: HostSnapshot): Creation[] {
  const creations: Creation[] = [];
  const paired = new Set<string>();
  snapshot.namespaces.forEach((namespace, ns) => {
    for (const link of namespace.links) {
      const end: End = { ns, ifindex: link.ifindex, name: link.ifname };
      const kind = link.linkinfo?.info_kind;
      if (link.ifname === "lo" || paired.has(`${ns}/${link.ifindex}`)) continue;
      if (kind === "bridge") {
        creations.push({ kind: "bridge", link: end });
        continue;
      }
      const macvlan = kind === "macvlan" ? findMacvlan(snapshot, ns, link) : undefined;
      if (macvlan !== undefined) {
        creations.push(macvlan);
        continue;
      }
      const peer = kind === "veth" ? findPeer(snapshot, ns, link) : undefined;
      if (peer !== undefined) {
        paired.add(`${peer.ns}/${peer.ifindex}`);
        creations.push({ kind: "pair", link: end, peer });
        continue;
      }
      const hasCarrier = link.flags.includes("LOWER_UP");
      const note =
        kind === "veth" ? "veth whose peer this host cannot see" : `${kind ?? "physical"} link`;
      creations.push({ kind: "outside", link: end, isPhysical: kind !== "veth", hasCarrier, note });
    }
  });
  return creations;
}

/**
 * Returns the link that `link` of namespace `ns` names after `@` (a veth's peer, a macvlan's
 * lower link) when the snapshot contains it: by name in the same namespace, else by ifindex in
 * the namespace its nsid names. An nsid without a name is tried as the host's own namespace.
 */
function findIflink(
  snapshot: HostSnapshot,
  ns: number,
  link: JsonLink,
): { end: End; json: JsonLink } | undefined {
  const here = snapshot.namespaces[ns]!;
  if (link.link !== undefined) {
    const json = here.links.find((other) => other.ifname === link.link);
    return json && { end: { ns, ifindex: json.ifindex, name: json.ifname }, json };
  }
  if (link.link_index === undefined || link.link_netnsid === undefined) return undefined;
  const name = here.nsids[link.link_netnsid];
  const otherNs = snapshot.namespaces.findIndex((other) =>
    name === undefined ? other.name === undefined && ns !== 0 : other.name === name,
  );
  const json = snapshot.namespaces[otherNs]?.links.find(
    (other) => other.ifindex === link.link_index,
  );
  return json && { end: { ns: otherNs, ifindex: json.ifindex, name: json.ifname }, json };
}

/**
 * Returns the other end of veth `link` of namespace `ns` when the snapshot contains it and, in
 * another namespace, it points back.
 */
function findPeer(snapshot: HostSnapshot, ns: number, link: JsonLink): End | undefined {
  const peer = findIflink(snapshot, ns, link);
  if (peer === undefined) return undefined;
  if (link.link === undefined && peer.json.link_index !== link.ifindex) return undefined;
  return peer.end;
}

/** The macvlan modes the simulator models, as `ip -d -json link show` names them. */
const MACVLAN_MODES = ["bridge", "vepa", "private"] as const;

/**
 * Returns the creation of macvlan `link` of namespace `ns`, or undefined when the snapshot lacks
 * its lower link or the simulator its mode. A macvlan of the host's own namespace on a lower link
 * elsewhere also gets none, because `netns` names the host's namespace only by a process id.
 */
function findMacvlan(snapshot: HostSnapshot, ns: number, link: JsonLink): Creation | undefined {
  const mode = MACVLAN_MODES.find((known) => known === link.linkinfo?.info_data?.mode);
  const lower = findIflink(snapshot, ns, link);
  if (mode === undefined || lower === undefined || (ns === 0 && lower.end.ns !== 0)) {
    return undefined;
  }
  return {
    kind: "macvlan",
    link: { ns, ifindex: link.ifindex, name: link.ifname },
    lower: lower.end,
    mode,
  };
}

/** Returns a creation's ends in the order the kernel creates them: a veth's peer first. */
function endsOf(creation: Creation): End[] {
  return creation.kind === "pair" ? [creation.peer, creation.link] : [creation.link];
}

/**
 * Orders the creations so that each end gets its host ifindex. Each step creates the first
 * creation whose ends all come next in their namespaces. When none does, a namespace whose next
 * number the host skipped gets a filler. When neither works, because links moved between
 * namespaces can cross, the lowest remaining creation goes next and its ifindex will differ
 * from the host's.
 */
export function orderCreations(
  snapshot: HostSnapshot,
  creations: Creation[],
): (Creation | number)[] {
  const next = snapshot.namespaces.map(() => 2);
  const pending = creations.map((creation) => orientPair(creation));
  const order: (Creation | number)[] = [];
  const created = new Set<string>();
  // A macvlan needs its lower link first.
  const canCreate = (creation: Creation): boolean =>
    creation.kind !== "macvlan" ||
    created.has(`${creation.lower.ns}/${creation.lower.ifindex}`) ||
    !pending.some((other) => endsOf(other).some((end) => isSameEnd(end, creation.lower)));
  const isReady = (creation: Creation): boolean => {
    if (!canCreate(creation)) return false;
    const counts = new Map<number, number>();
    return endsOf(creation).every((end) => {
      const offset = counts.get(end.ns) ?? 0;
      counts.set(end.ns, offset + 1);
      return next[end.ns]! + offset === end.ifindex;
    });
  };
  const take = (index: number): void => {
    const [creation] = pending.splice(index, 1) as [Creation];
    for (const end of endsOf(creation)) {
      next[end.ns] = Math.max(next[end.ns]!, end.ifindex) + 1;
      created.add(`${end.ns}/${end.ifindex}`);
    }
    order.push(creation);
  };
  while (pending.length > 0) {
    const ready = pending.findIndex(isReady);
    if (ready >= 0) {
      take(ready);
      continue;
    }
    const gap = next.findIndex((value, ns) => {
      const wanted = pending.flatMap(endsOf).filter((end) => end.ns === ns);
      return wanted.length > 0 && wanted.every((end) => end.ifindex > value);
    });
    if (gap >= 0) {
      order.push(gap);
      next[gap]!++;
      continue;
    }
    take(Math.max(0, pending.findIndex(canCreate)));
  }
  return order;
}

function isSameEnd(a: End, b: End): boolean {
  return a.ns === b.ns && a.ifindex === b.ifindex;
}

/**
 * Makes the lower ifindex of a same-namespace pair its peer, which the kernel creates first. A
 * pair across namespaces is created from the host's side when it has one, because `netns` can
 * name the host's namespace only by a process id, which the simulator does not model.
 */
function orientPair(creation: Creation): Creation {
  if (creation.kind !== "pair") return creation;
  const swapped: Creation = { kind: "pair", link: creation.peer, peer: creation.link };
  if (creation.link.ns !== creation.peer.ns) return creation.peer.ns === 0 ? swapped : creation;
  return creation.peer.ifindex < creation.link.ifindex ? creation : swapped;
}
