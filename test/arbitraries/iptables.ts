/**
 * Generators of iptables command lines for property tests: rule specifications built from the
 * matches and targets the model knows, over a small vocabulary of chains, links and addresses,
 * plus lines that iptables rejects.
 */
import fc from "fast-check";

const bang = fc.constantFrom("", "! ");
const links = fc.constantFrom("eth0", "docker1", "veth+", "lo");
const prefixes = fc.constantFrom(
  "10.0.0.1",
  "10.0.0.0/24",
  "192.0.2.7/32",
  "172.18.0.0/255.255.0.0",
);
const port = fc.integer({ min: 0, max: 65535 });
const portRange = fc.oneof(
  port.map(String),
  fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
);
const states = fc
  .subarray(["NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"], { minLength: 1 })
  .map((list) => list.join(","));

/** The rule options that do not depend on a protocol. */
const plainOptions = fc.tuple(
  fc.option(
    fc.tuple(bang, prefixes).map(([inv, addr]) => `${inv}-s ${addr}`),
    { nil: "" },
  ),
  fc.option(
    fc.tuple(bang, prefixes).map(([inv, addr]) => `${inv}-d ${addr}`),
    { nil: "" },
  ),
  fc.option(
    fc.tuple(bang, links).map(([inv, name]) => `${inv}-i ${name}`),
    { nil: "" },
  ),
  fc.option(
    fc.tuple(bang, states).map(([inv, list]) => `-m conntrack ${inv}--ctstate ${list}`),
    {
      nil: "",
    },
  ),
  fc.option(fc.constantFrom("-m physdev --physdev-in veth0", "-m physdev ! --physdev-is-bridged"), {
    nil: "",
  }),
);

/** A protocol with protocol-specific matches. */
const protoOptions = fc.oneof(
  fc.constant(""),
  fc.constantFrom("-p gre", "! -p tcp", "-p 47"),
  fc
    .tuple(fc.constantFrom("tcp", "udp"), bang, portRange, fc.option(portRange, { nil: undefined }))
    .map(([proto, inv, dport, sport]) => {
      const source = sport === undefined ? "" : ` --sport ${sport}`;
      return `-p ${proto}${source} ${inv}--dport ${dport}`;
    }),
  fc
    .tuple(fc.constantFrom("tcp", "udp"), bang, fc.array(port, { minLength: 1, maxLength: 5 }))
    .map(([proto, inv, ports]) => `-p ${proto} -m multiport ${inv}--dports ${ports.join(",")}`),
  fc
    .tuple(bang, fc.constantFrom("echo-request", "8", "3/1", "any", "port-unreachable"))
    .map(([inv, type]) => `-p icmp -m icmp ${inv}--icmp-type ${type}`),
);

/** A filter-table target. */
const filterTarget = fc.constantFrom(
  "-j ACCEPT",
  "-j DROP",
  "-j RETURN",
  "-j REJECT",
  "-j REJECT --reject-with icmp-host-prohibited",
  '-j LOG --log-prefix "fw: " --log-level 6',
  "-j LOG --log-uid",
  "-j USER",
  "-g USER",
  "",
);

/** A rule specification for the filter table, as `iptables -A CHAIN` takes it. */
export const filterRule: fc.Arbitrary<string> = fc
  .tuple(plainOptions, protoOptions, filterTarget)
  .map(([plain, proto, target]) =>
    [...plain, proto, target].filter((part) => part !== "").join(" "),
  );

/** A nat-table rule for POSTROUTING. */
export const natPostroutingRule: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(
      fc.tuple(bang, prefixes).map(([inv, addr]) => `${inv}-s ${addr}`),
      { nil: "" },
    ),
    fc.option(
      fc.tuple(bang, links).map(([inv, name]) => `${inv}-o ${name}`),
      { nil: "" },
    ),
    fc.constantFrom(
      "-j MASQUERADE",
      "-p tcp -j MASQUERADE --to-ports 1024-2048 --random",
      "-j SNAT --to-source 192.0.2.9",
      "-p udp -j SNAT --to-source 192.0.2.9-192.0.2.12:1000-2000 --persistent",
      "-j ACCEPT",
    ),
  )
  .map((parts) => parts.filter((part) => part !== "").join(" "));

/** A filter chain a rule may go to, built-in or the user chain `USER`. */
export const filterChain = fc.constantFrom("INPUT", "FORWARD", "OUTPUT", "USER");

/**
 * An iptables command line, valid or not: rules into chains that may not exist, deletions by
 * number and by rule, chain and policy changes, and words iptables rejects.
 */
export const anyIptablesLine: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(filterChain, filterRule).map(([chain, rule]) => `iptables -A ${chain} ${rule}`),
  fc
    .tuple(filterChain, fc.integer({ min: 0, max: 4 }), filterRule)
    .map(([chain, at, rule]) => `iptables -I ${chain} ${at} ${rule}`),
  fc
    .tuple(filterChain, fc.integer({ min: 0, max: 4 }))
    .map(([chain, at]) => `iptables -D ${chain} ${at}`),
  fc.tuple(filterChain, filterRule).map(([chain, rule]) => `iptables -D ${chain} ${rule}`),
  fc
    .tuple(filterChain, fc.integer({ min: 0, max: 3 }), filterRule)
    .map(([chain, at, rule]) => `iptables -R ${chain} ${at} ${rule}`),
  natPostroutingRule.map((rule) => `iptables -t nat -A POSTROUTING ${rule}`),
  fc.constantFrom(
    "iptables -N USER",
    "iptables -X USER",
    "iptables -X",
    "iptables -F",
    "iptables -F USER",
    "iptables -E USER OTHER",
    "iptables -P FORWARD DROP",
    "iptables -P USER DROP",
    "iptables -P INPUT REJECT",
    "iptables -t nat -P POSTROUTING DROP",
    "iptables -t nat -A PREROUTING -j MASQUERADE",
    "iptables -A INPUT -j NOPE",
    "iptables -A INPUT -p icmp -j REJECT --reject-with tcp-reset",
    "iptables -A INPUT -s 10.0.0.300 -j ACCEPT",
    "iptables -A INPUT -o eth0 -j ACCEPT",
    "iptables -A USER -j USER",
    "iptables -Z",
    "iptables -t nope -S",
  ),
);
