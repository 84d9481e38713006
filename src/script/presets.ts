/**
 * Host presets: scripts of ordinary commands that build a starting host before the user's
 * script runs. Two preset-only directives cover what `ip` cannot say: `@physical LINK` shows a
 * veth end as a physical NIC, and `@hide NS` keeps the namespaces that stand for the outside
 * world out of `ip netns list`.
 */
import { UsageError } from "../errors.js";

/**
 * A typical cloud VM with Docker's bridge: `ens5` 172.31.59.121/20 with a DHCP default route
 * via the VPC router 172.31.48.1 (metric 100), and `docker0` 172.17.0.1/16 without carrier,
 * because its last container is gone. NOTE: a host where dockerd runs also has ip_forward=1,
 * FORWARD policy DROP and Docker's chains; this preset keeps the kernel defaults instead, and
 * `hoptrace presets` prints that. Behind the VPC router sits an internet namespace that
 * answers every public address. The VPC router drops private destinations it has no route to,
 * so replies to un-NATed container addresses die there. The internet namespace owns every
 * address through a `local 0.0.0.0/0` route. Its routes to the private ranges win over that
 * route because their prefixes are longer: while no ip rule exists, local and main are one trie,
 * so throw routes in table local would end the lookup instead. The host keeps the kernel defaults:
 * ip_forward=0, no iptables rules.
 */
const CLOUD_VM = `
ip netns add cloud-vpc
ip netns add cloud-internet
@hide cloud-vpc
@hide cloud-internet
ip link add ens5 type veth peer name vpc0 netns cloud-vpc
@physical ens5
ip addr add 172.31.59.121/20 brd 172.31.63.255 dev ens5
ip link set ens5 up
ip route add default via 172.31.48.1 dev ens5 proto dhcp src 172.31.59.121 metric 100
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 brd 172.17.255.255 dev docker0
ip link set docker0 up
ip link add veth7a1c2e0 type veth peer name eth0
ip link set veth7a1c2e0 master docker0
ip link del veth7a1c2e0
ip netns exec cloud-vpc ip link set lo up
ip netns exec cloud-vpc ip addr add 172.31.48.1/20 dev vpc0
ip netns exec cloud-vpc ip link set vpc0 up
ip netns exec cloud-vpc sysctl -qw net.ipv4.ip_forward=1
ip netns exec cloud-vpc ip link add igw0 type veth peer name eth0 netns cloud-internet
ip netns exec cloud-vpc ip addr add 100.64.0.1/30 dev igw0
ip netns exec cloud-vpc ip link set igw0 up
ip netns exec cloud-vpc ip route add default via 100.64.0.2
ip netns exec cloud-vpc ip route add blackhole 10.0.0.0/8
ip netns exec cloud-vpc ip route add blackhole 172.16.0.0/12
ip netns exec cloud-vpc ip route add blackhole 192.168.0.0/16
ip netns exec cloud-internet ip link set lo up
ip netns exec cloud-internet ip addr add 100.64.0.2/30 dev eth0
ip netns exec cloud-internet ip link set eth0 up
ip netns exec cloud-internet ip route add default via 100.64.0.1
ip netns exec cloud-internet ip route add local 0.0.0.0/0 dev lo table local
ip netns exec cloud-internet ip route add 10.0.0.0/8 via 100.64.0.1
ip netns exec cloud-internet ip route add 100.64.0.0/10 via 100.64.0.1
ip netns exec cloud-internet ip route add 169.254.0.0/16 via 100.64.0.1
ip netns exec cloud-internet ip route add 172.16.0.0/12 via 100.64.0.1
ip netns exec cloud-internet ip route add 192.168.0.0/16 via 100.64.0.1
`;

const PRESETS: Record<string, string> = { "cloud-vm": CLOUD_VM };

/** One line per preset for `hoptrace presets`: what the starting host has, and what it lacks. */
const DESCRIPTIONS: Record<string, string> = {
  "cloud-vm":
    "ens5 172.31.59.121/20 behind a VPC router to a simulated internet, and an idle docker0 " +
    "bridge; the kernel defaults stay (ip_forward=0, no iptables rules), unlike a host where " +
    "dockerd runs",
};

/** Returns the one-line description of preset `name`. */
export function presetDescription(name: string): string {
  return DESCRIPTIONS[name] ?? "";
}

/** Returns the names of the available presets. */
export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

/** Returns the script of preset `name`; throws a usage error naming the known presets. */
export function presetScript(name: string): string {
  const script = PRESETS[name];
  if (script === undefined) {
    // Exit 2, as for every other bad flag or unreadable file of the CLI.
    throw new UsageError(
      `hoptrace: unknown preset "${name}"; known presets: ${presetNames().join(", ")}`,
      2,
    );
  }
  return script;
}
