import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";

/** Two namespaces a (10.0.0.1) and b (10.0.0.2) on one veth pair, ARP already resolved. */
const PAIR = `mount -t tmpfs tmpfs /tmp
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ping -c 1 -W 1 10.0.0.2 >/dev/null
`;

function lastOutput(script: string): string {
  return runScript(`${PAIR}${script}`).lines.at(-1)!.output;
}

describe("valid input the model does not read", () => {
  it.for([
    "tcp[tcpflags] & (tcp-rst|tcp-fin) != 0",
    "ip proto 1",
    "ip broadcast",
    "net 10.0.0.0 mask 255.0.0.0",
    "tcp portrange 80-90",
    "udp[8:2] = 0",
  ])("fails loudly for the tcpdump filter %s", (filter) => {
    const output = lastOutput(`ip netns exec b timeout 1 tcpdump -n -i vb '${filter}'\n`);

    expect(output).toBe(`hoptrace: not supported: tcpdump filter "${filter}"\n`);
  });

  it("keeps a real syntax error", () => {
    const output = lastOutput("ip netns exec b timeout 1 tcpdump -n -i vb and host 10.0.0.2\n");

    expect(output).toBe("tcpdump: can't parse filter expression: syntax error\n");
  });

  it.for(["--state LISTEN", "--icmp-type 8", "--proto tcp", "-s 10.0.0.0/8"])(
    "fails loudly for conntrack -L %s",
    (option) => {
      const output = lastOutput(`conntrack -L -p tcp ${option}\n`);

      expect(output).toMatch(/^hoptrace: not supported: conntrack /);
    },
  );

  it("fails loudly for an nc port range without -z", () => {
    const output = lastOutput("echo hi | ip netns exec a nc -w 1 10.0.0.2 8080-8082\n");

    expect(output).toBe("hoptrace: not supported: nc port ranges (8080-8082)\n");
  });
});

describe("a capture that meets a packet it cannot print", () => {
  it("ends itself and lets the sender go on", () => {
    const run = runScript(
      `${PAIR}ip netns exec b timeout 3 tcpdump -l -n -i vb udp >/tmp/cap 2>&1 & sleep 0.5
echo hi | ip netns exec a nc -u -w 1 10.0.0.2 5353
cat /tmp/cap
`,
    );
    const [send, cat] = run.lines.slice(-2);

    expect(send!.exitCode).toBe(0);
    expect(cat!.output).toContain("hoptrace: not supported: tcpdump decoding of UDP port 5353");
  });
});

describe("bridge options", () => {
  it.for(["-d fdb", "-s fdb", "-j link"])("fails loudly for bridge %s show", (words) => {
    const output = lastOutput(`bridge ${words} show\n`);
    const option = words.split(" ")[0]!;

    expect(output).toBe(`hoptrace: not supported: bridge ${option}\n`);
  });
});
