/**
 * Generators of script lines for property tests: a small vocabulary of namespaces, links and
 * addresses, so that random lines often refer to things that exist (and often to things that
 * do not), mixing valid commands with broken syntax.
 */
import fc from "fast-check";

const nsNames = ["a", "b", "r"];
const linkNames = ["eth0", "eth1", "br0", "veth0", "nosuch"];
const addrs = ["10.0.0.1", "10.0.0.2", "10.0.1.1", "192.0.2.1", "10.0.0.255", "300.1.1.1"];
const prefixes = [
  "10.0.0.0/24",
  "10.0.1.0/24",
  "default",
  "192.0.2.0/24",
  "10.0.0.1/24",
  "0.0.0.0/0",
];

const nsPrefix = fc.constantFrom("", ...nsNames.map((name) => `ip netns exec ${name} `));
const ns = fc.constantFrom(...nsNames);
const link = fc.constantFrom(...linkNames);
const addr = fc.constantFrom(...addrs);
const prefix = fc.constantFrom(...prefixes);
const bits = fc.constantFrom("/24", "/32", "/16", "", "/33");

/** Options after `type macvlan`: modes, flags and words that iproute2 rejects. */
const macvlanOptions = fc.constantFrom(
  "",
  " mode bridge",
  " mode private",
  " mode vepa",
  " mode passthru",
  " mode bogus",
  " mode bridge nopromisc",
  " flag null",
  " flag bogus",
  " bcqueuelen x",
  " bclim 5",
  " help",
);

/** A command that changes the state or fails trying. */
export const mutatingCommand: fc.Arbitrary<string> = fc.oneof(
  ns.map((name) => `ip netns add ${name}`),
  ns.map((name) => `ip netns del ${name}`),
  fc
    .tuple(nsPrefix, link, link)
    .map(([at, a, b]) => `${at}ip link add ${a} type veth peer name ${b}`),
  fc
    .tuple(nsPrefix, link, link, ns)
    .map(([at, a, b, peer]) => `${at}ip link add ${a} type veth peer name ${b} netns ${peer}`),
  fc.tuple(nsPrefix, link).map(([at, name]) => `${at}ip link add ${name} type bridge`),
  fc
    .tuple(nsPrefix, link, link, macvlanOptions)
    .map(([at, a, lower, options]) => `${at}ip link add ${a} link ${lower} type macvlan${options}`),
  fc
    .tuple(nsPrefix, link, fc.constantFrom("up", "down"))
    .map(([at, name, state]) => `${at}ip link set ${name} ${state}`),
  fc.tuple(nsPrefix, link, link).map(([at, a, b]) => `${at}ip link set ${a} master ${b}`),
  fc
    .tuple(nsPrefix, link, ns)
    .map(([at, name, target]) => `${at}ip link set ${name} netns ${target}`),
  fc.tuple(nsPrefix, link).map(([at, name]) => `${at}ip link del ${name}`),
  fc
    .tuple(nsPrefix, addr, bits, link)
    .map(([at, a, b, name]) => `${at}ip addr add ${a}${b} dev ${name}`),
  fc
    .tuple(nsPrefix, addr, bits, link)
    .map(([at, a, b, name]) => `${at}ip addr del ${a}${b} dev ${name}`),
  fc.tuple(nsPrefix, prefix, addr).map(([at, p, gw]) => `${at}ip route add ${p} via ${gw}`),
  fc.tuple(nsPrefix, prefix, link).map(([at, p, name]) => `${at}ip route add ${p} dev ${name}`),
  fc.tuple(nsPrefix, prefix).map(([at, p]) => `${at}ip route del ${p}`),
  fc
    .tuple(nsPrefix, fc.constantFrom("0", "1"))
    .map(([at, v]) => `${at}sysctl -qw net.ipv4.ip_forward=${v}`),
  fc
    .tuple(
      nsPrefix,
      fc.constantFrom("bogus", "route bogus", "link set", "addr add dev eth0", "route add"),
    )
    .map(([at, rest]) => `${at}ip ${rest}`),
);

/** A command that sends probes or only reads the state. */
export const probeCommand: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(nsPrefix, addr).map(([at, a]) => `${at}ping -c 1 -W 1 ${a}`),
  nsPrefix.map((at) => `${at}ip route show`),
  nsPrefix.map((at) => `${at}ip addr show`),
  nsPrefix.map((at) => `${at}ip link show`),
  nsPrefix.map((at) => `${at}route -n`),
);

/** A whole script: mostly mutations, some probes. */
export const script: fc.Arbitrary<string> = fc
  .array(
    fc.oneof({ weight: 4, arbitrary: mutatingCommand }, { weight: 1, arbitrary: probeCommand }),
    {
      minLength: 1,
      maxLength: 25,
    },
  )
  .map((lines) => `${lines.join("\n")}\n`);
