import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runLine, runScript } from "./run.js";

/**
 * Command lines of the tools and shell features that landed with TCP, tcpdump and the shell,
 * from which the property drops, repeats or replaces one word, as a mistyped command does.
 */
const LINES = [
  "ip netns exec a nc -z -v -w 1 10.0.0.1 80",
  "ip netns exec a nc -u -w 1 -p 5000 10.0.0.1 53",
  "echo hi | ip netns exec a nc -N -w 1 10.0.0.1 80",
  "ip netns exec a timeout 2 nc -l 80 >/tmp/got 2>&1 & sleep 0.5",
  "ip netns exec a timeout 2 tcpdump -l -n -c 1 -i eth0 'tcp[tcpflags] == tcp-syn' >/tmp/cap 2>&1 & echo $! >/tmp/pid",
  "timeout 1 tcpdump -n -i eth0 icmp and host 10.0.0.2",
  "conntrack -L -p tcp --orig-src 10.0.0.1",
  "conntrack -D -p udp --orig-port-src 5000",
  "conntrack -F",
  "iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80",
  "iptables -A INPUT -p tcp -m multiport --dports 22,80 -j REJECT --reject-with tcp-reset",
  "iptables -L INPUT -v --line-numbers",
  "printf '*filter\\n-A INPUT -j ACCEPT\\nCOMMIT\\n' | iptables-restore -n",
  "traceroute -n -T -p 22 -q 1 -w 1 -m 3 10.0.0.2",
  "traceroute -n -U -q 1 -w 1 -m 2 10.0.0.2",
  "ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth0 nud stale",
  "tail -s 0.2 --pid=$(cat /tmp/pid) -f /dev/null; cat /tmp/cap",
  "bash -c 'echo hi >/dev/tcp/10.0.0.2/80'",
  "ls /proc/sys/net/bridge",
  "cat /proc/net/nf_conntrack",
  "kill $(cat /tmp/pid)",
];

const junk = fc.constantFrom(
  "",
  "-1",
  "bogus",
  "&",
  "|",
  ">",
  "$(",
  "'",
  "-w",
  "99999",
  "10.0.0.1/99",
);

const mangled = fc
  .tuple(fc.constantFrom(...LINES), fc.nat(), fc.integer({ min: 0, max: 3 }), junk)
  .map(([line, at, how, word]) => {
    const words = line.split(" ");
    const index = at % words.length;
    if (how === 0) words.splice(index, 1);
    else if (how === 1) words.splice(index, 0, words[index]!);
    else if (how === 2) words.splice(index, 1, word);
    else words.push(word);
    return words.join(" ");
  });

const SETUP = [
  "mount -t tmpfs tmpfs /tmp",
  "ip netns add a",
  "ip link add eth0 type veth peer name eth1 netns a",
  "ip addr add 10.0.0.1/24 dev eth0",
  "ip link set eth0 up",
  "ip netns exec a ip addr add 10.0.0.2/24 dev eth1",
  "ip netns exec a ip link set eth1 up",
  "iptables -t nat -A POSTROUTING -j MASQUERADE",
  "",
].join("\n");

describe("fuzzed lines of the network tools and the shell", () => {
  const start = runScript(SETUP).state;

  it("never fail inside hoptrace", () => {
    fc.assert(
      fc.property(mangled, (line) => {
        const result = runLine(start, line);
        expect(result.output, line).not.toContain("internal error");
      }),
      { numRuns: 1_500 },
    );
  });
});
