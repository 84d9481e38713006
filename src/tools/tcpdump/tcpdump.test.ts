import { describe, expect, it } from "vitest";
import { parseIp4Strict } from "../../addr/ip4.js";
import { runScript } from "../../script/run.js";
import type { Frame, Icmp, Packet, Tcp } from "../../wire/ipv4.js";
import { ipLength } from "../../wire/ipv4.js";
import { formatFilter, parseFilter } from "./filter.js";
import type { TcpFlows } from "./format.js";
import { formatFrame, formatTimestamp } from "./format.js";

function ip(text: string): number {
  return parseIp4Strict(text)!;
}

function frameOf(packet: Packet): Frame {
  return { srcMac: "02:42:ac:00:00:01", dstMac: "02:42:ac:00:00:02", body: { kind: "ip", packet } };
}

const echo: Packet = {
  src: ip("172.18.0.2"),
  dst: ip("203.0.113.8"),
  ttl: 64,
  tos: 0,
  payload: 56,
  protocol: "icmp",
  icmp: { type: 8, code: 0, id: 32726, seq: 1 },
};

/** Returns an ICMP error that quotes as much of `icmp.quoted` as fits in 576 bytes, as Linux does. */
function icmpError(src: string, dst: string, icmp: Omit<Icmp, "id" | "seq">): Packet {
  return {
    src: ip(src),
    dst: ip(dst),
    ttl: 64,
    tos: 0,
    payload: Math.min(ipLength(icmp.quoted!), 576 - 28),
    protocol: "icmp",
    icmp: { id: 0, seq: 0, ...icmp },
  };
}

const plain = { showLinkHeader: false, mtu: 1500 };

/** Formats `packet` and drops the timestamp. */
function line(packet: Packet, flows: TcpFlows = {}, ms = 0): string {
  return formatFrame(frameOf(packet), ms, plain, flows).slice("00:00:00.000000 ".length);
}

// Expected lines below were printed by tcpdump 4.99.3 (-n -r) from a capture file holding the
// same packets.
describe("tcpdump line format", () => {
  it("formats echo request", () => {
    expect(line(echo)).toBe(
      "IP 172.18.0.2 > 203.0.113.8: ICMP echo request, id 32726, seq 1, length 64",
    );
  });

  it.for([
    [0, "ICMP net 203.0.113.8 unreachable, length 92"],
    [1, "ICMP host 203.0.113.8 unreachable, length 92"],
    [2, "ICMP 203.0.113.8 protocol 1 unreachable, length 92"],
    [9, "ICMP net 203.0.113.8 unreachable - admin prohibited, length 92"],
    [10, "ICMP host 203.0.113.8 unreachable - admin prohibited, length 92"],
    [13, "ICMP host 203.0.113.8 unreachable - admin prohibited filter, length 92"],
    [5, "ICMP 203.0.113.8 unreachable - source route failed, length 92"],
    [11, "ICMP net 203.0.113.8 unreachable - tos prohibited, length 92"],
    [15, "ICMP host 203.0.113.8 unreachable - precedence cutoff, length 92"],
    [16, "ICMP 203.0.113.8 unreachable - #16, length 92"],
  ] as const)("formats unreachable code %i", ([code, text]) => {
    const error = icmpError("198.51.100.1", "203.0.113.8", { type: 3, code, quoted: echo });
    expect(line(error)).toBe(`IP 198.51.100.1 > 203.0.113.8: ${text}`);
  });

  it("caps the quote of a large packet", () => {
    const large: Packet = { ...echo, payload: 1000 };
    const error = icmpError("10.5.0.1", "10.5.0.2", { type: 3, code: 0, quoted: large });
    // Printed by tcpdump 4.99.3 on Linux 6.18 for `ping -s 1000` without a route.
    expect(line(error)).toBe(
      "IP 10.5.0.1 > 10.5.0.2: ICMP net 203.0.113.8 unreachable, length 556",
    );
  });

  it("formats need to frag without an MTU", () => {
    const error = icmpError("198.51.100.1", "203.0.113.8", { type: 3, code: 4, quoted: echo });
    expect(line(error)).toBe(
      "IP 198.51.100.1 > 203.0.113.8: ICMP 203.0.113.8 unreachable - need to frag, length 92",
    );
  });

  it("formats need to frag", () => {
    const error = icmpError("198.51.100.1", "172.18.0.2", {
      type: 3,
      code: 4,
      mtu: 1400,
      quoted: echo,
    });
    expect(line(error)).toBe(
      "IP 198.51.100.1 > 172.18.0.2: ICMP 203.0.113.8 unreachable - need to frag (mtu 1400), length 92",
    );
  });

  it("formats time exceeded codes", () => {
    const transit = icmpError("198.51.100.1", "172.18.0.2", { type: 11, code: 0, quoted: echo });
    const reassembly = icmpError("198.51.100.1", "172.18.0.2", { type: 11, code: 1, quoted: echo });
    expect(line(transit)).toBe(
      "IP 198.51.100.1 > 172.18.0.2: ICMP time exceeded in-transit, length 92",
    );
    expect(line(reassembly)).toBe(
      "IP 198.51.100.1 > 172.18.0.2: ICMP ip reassembly time exceeded, length 92",
    );
  });

  it("formats UDP and its port unreachable", () => {
    const udp: Packet = {
      src: ip("172.18.0.2"),
      dst: ip("203.0.113.8"),
      ttl: 64,
      tos: 0,
      payload: 5,
      protocol: "udp",
      udp: { srcPort: 5000, dstPort: 9999 },
    };
    const error = icmpError("203.0.113.8", "172.18.0.2", { type: 3, code: 3, quoted: udp });
    expect(line(udp)).toBe("IP 172.18.0.2.5000 > 203.0.113.8.9999: UDP, length 5");
    expect(line(error)).toBe(
      "IP 203.0.113.8 > 172.18.0.2: ICMP 203.0.113.8 udp port 9999 unreachable, length 41",
    );
  });

  it("rejects UDP on decoded ports", () => {
    const dns: Packet = {
      src: ip("10.0.0.1"),
      dst: ip("10.0.0.2"),
      ttl: 64,
      tos: 0,
      payload: 5,
      protocol: "udp",
      udp: { srcPort: 5000, dstPort: 53 },
    };
    expect(() => line(dns)).toThrow("not supported: tcpdump decoding of UDP port 53");
  });

  it("numbers a TCP flow relative to its start", () => {
    const client = ip("198.51.100.2");
    const server = ip("172.18.0.2");
    const segment = (fromClient: boolean, tcp: Partial<Tcp>): Packet => ({
      src: fromClient ? client : server,
      dst: fromClient ? server : client,
      ttl: 64,
      tos: 0,
      payload: 0,
      protocol: "tcp",
      tcp: {
        srcPort: fromClient ? 50010 : 80,
        dstPort: fromClient ? 80 : 50010,
        seq: 0,
        ack: 0,
        flags: {},
        window: 502,
        ...tcp,
      },
    });
    const flows: TcpFlows = {};
    const lines = [
      segment(true, { seq: 2324741519, flags: { syn: true }, window: 64240 }),
      segment(false, {
        seq: 2759700342,
        ack: 2324741520,
        flags: { syn: true, ack: true },
        window: 65160,
      }),
      segment(true, { seq: 2324741520, ack: 2759700343, flags: { ack: true } }),
      segment(true, {
        seq: 2324741520,
        ack: 2759700343,
        flags: { psh: true, ack: true },
        data: "hello-from-world\n",
      }),
      segment(false, { seq: 2759700343, ack: 2324741537, flags: { ack: true }, window: 509 }),
      segment(true, { seq: 2324741537, ack: 2759700343, flags: { fin: true, ack: true } }),
      segment(false, { seq: 0, ack: 2324741520, flags: { rst: true, ack: true }, window: 0 }),
    ].map((packet) => line(packet, flows, 7).replace(/TS val \d+ ecr \d+/, "TS"));
    expect(lines).toEqual([
      "IP 198.51.100.2.50010 > 172.18.0.2.80: Flags [S], seq 2324741519, win 64240, options [mss 1460,sackOK,TS,nop,wscale 7], length 0",
      "IP 172.18.0.2.80 > 198.51.100.2.50010: Flags [S.], seq 2759700342, ack 2324741520, win 65160, options [mss 1460,sackOK,TS,nop,wscale 7], length 0",
      "IP 198.51.100.2.50010 > 172.18.0.2.80: Flags [.], ack 1, win 502, options [nop,nop,TS], length 0",
      "IP 198.51.100.2.50010 > 172.18.0.2.80: Flags [P.], seq 1:18, ack 1, win 502, options [nop,nop,TS], length 17: HTTP",
      "IP 172.18.0.2.80 > 198.51.100.2.50010: Flags [.], ack 18, win 509, options [nop,nop,TS], length 0",
      "IP 198.51.100.2.50010 > 172.18.0.2.80: Flags [F.], seq 18, ack 1, win 502, options [nop,nop,TS], length 0",
      "IP 172.18.0.2.80 > 198.51.100.2.50010: Flags [R.], seq 1535266954, ack 1, win 0, length 0",
    ]);
  });

  it("keeps a reset without ACK absolute", () => {
    const reset: Packet = {
      src: ip("172.18.0.2"),
      dst: ip("198.51.100.9"),
      ttl: 64,
      tos: 0,
      payload: 0,
      protocol: "tcp",
      tcp: { srcPort: 80, dstPort: 50011, seq: 0, ack: 0, flags: { rst: true }, window: 0 },
    };
    expect(line(reset)).toBe(
      "IP 172.18.0.2.80 > 198.51.100.9.50011: Flags [R], seq 0, win 0, length 0",
    );
  });

  it("prints the Ethernet header with -e", () => {
    const text = formatFrame(frameOf(echo), 0, { showLinkHeader: true, mtu: 1500 }, {});
    expect(text).toBe(
      "00:00:00.000000 02:42:ac:00:00:01 > 02:42:ac:00:00:02, ethertype IPv4 (0x0800), length 98: 172.18.0.2 > 203.0.113.8: ICMP echo request, id 32726, seq 1, length 64",
    );
  });

  it("counts the quote in the frame length", () => {
    const error = icmpError("198.51.100.1", "203.0.113.8", { type: 3, code: 0, quoted: echo });
    const text = formatFrame(frameOf(error), 0, { showLinkHeader: true, mtu: 1500 }, {});
    expect(text).toContain("ethertype IPv4 (0x0800), length 126: 198.51.100.1 > 203.0.113.8:");
  });

  it("formats virtual time of day", () => {
    expect(formatTimestamp(0)).toBe("00:00:00.000000");
    expect(formatTimestamp(3_723_004.5)).toBe("01:02:03.004500");
    expect(formatTimestamp(86_400_000)).toBe("00:00:00.000000");
  });
});

describe("tcpdump filter parsing", () => {
  it("gives and/or equal precedence", () => {
    const tree = parseFilter("icmp or arp and host 10.0.0.1");
    expect(tree?.kind).toBe("and");
    expect(formatFilter(tree!)).toBe("icmp or arp and host 10.0.0.1");
    expect(formatFilter(parseFilter("icmp or (arp and host 10.0.0.1)")!)).toBe(
      "icmp or (arp and host 10.0.0.1)",
    );
  });

  it("reads symbols and qualifiers", () => {
    const tree = parseFilter("! udp src port 53 && tcp[tcpflags] == tcp-syn|tcp-ack");
    expect(tree).toEqual({
      kind: "and",
      left: { kind: "not", operand: { kind: "port", dir: "src", port: 53, proto: "udp" } },
      right: { kind: "byte", field: "tcpflags", op: "==", value: 0x12 },
    });
  });

  it("reads a partial host as a network", () => {
    expect(parseFilter("host 10.0.0")).toEqual({
      kind: "host",
      dir: "any",
      addr: ip("10.0.0.0"),
      bits: 24,
    });
  });

  it("returns nothing for an empty expression", () => {
    expect(parseFilter("  ")).toBeUndefined();
  });

  it.for(["bogus", "icmp and", "(icmp", "icmp)", "tcp[tcpflags] == tcp-nope", "host", "icmp icmp"])(
    "rejects %j as a syntax error",
    (text) => {
      expect(() => parseFilter(text)).toThrow(
        "tcpdump: can't parse filter expression: syntax error",
      );
    },
  );

  it.for(["ether host 02:42:ac:00:00:01", "ip6", "portrange 1-2", "host example", "tcp[0] == 1"])(
    "reports %j as unsupported",
    (text) => {
      expect(() => parseFilter(text)).toThrow("hoptrace: not supported: tcpdump");
    },
  );

  it("reads a direction without a type as a host", () => {
    expect(formatFilter(parseFilter("src 10.9.0.2")!)).toBe("src host 10.9.0.2");
    expect(formatFilter(parseFilter("icmp and dst 10.9.0.3")!)).toBe("icmp and dst host 10.9.0.3");
  });

  it("rejects a port above 65535", () => {
    expect(() => parseFilter("port 99999")).toThrow("tcpdump: illegal port number 99999 > 65535");
  });
});

describe("tcpdump in the foreground", () => {
  const setup = `ip netns add a
ip netns add b
ip link add eth0 netns a type veth peer name eth0 netns b
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec b ip addr add 10.0.0.2/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec b ip link set eth0 up
`;

  it("captures a pending ARP retry", () => {
    const result = runScript(
      `${setup}ip netns exec a ping -c 1 -W 1 10.0.0.9\nip netns exec a timeout 5 tcpdump -n -i eth0 arp\n`,
    );
    const last = result.lines.at(-1)!;
    expect(last.exitCode).toBe(124);
    expect(last.output).toContain("ARP, Request who-has 10.0.0.9 tell 10.0.0.1, length 28\n\n");
    expect(last.output).toContain("1 packet captured\n1 packet received by filter\n");
  });

  it("stops after -c packets", () => {
    const result = runScript(
      `${setup}ip netns exec a ping -c 1 -W 1 10.0.0.9\nip netns exec a timeout 5 tcpdump -n -c 1 -i eth0 arp\n`,
    );
    const last = result.lines.at(-1)!;
    expect(last.exitCode).toBe(0);
    expect(last.output).not.toContain("\n\n");
    expect(last.output).toContain("1 packet captured\n");
  });

  it.each([
    ["", "without a filter"],
    ["not arp", 'with the filter "not arp"'],
    ["icmp or not host 10.0.0.2", 'with the filter "icmp or not host 10.0.0.2"'],
  ])("fails on IPv6 traffic it would show: %s", (filter, what) => {
    const result = runScript(`${setup}ip netns exec a timeout 1 tcpdump -n -i eth0 ${filter}\n`);
    const last = result.lines.at(-1)!;

    expect(last.exitCode).toBe(1);
    expect(last.output).toBe(
      `hoptrace: not supported: tcpdump ${what}, which would show the IPv6 router solicitations and MLD reports Linux sends; a filter such as "icmp or arp" leaves them out\n`,
    );
  });

  it.each(["icmp or arp", "not icmp and host 10.0.0.2", "tcp or udp port 53"])(
    "captures with the IPv4 filter %s",
    (filter) => {
      const result = runScript(
        `${setup}ip netns exec a timeout 1 tcpdump -n -i eth0 '${filter}'\n`,
      );

      expect(result.lines.at(-1)!.exitCode).toBe(124);
    },
  );

  it("captures lo without a filter", () => {
    const lines = `${setup}ip -n a link set lo up\nip netns exec a timeout 1 tcpdump -n -i lo\n`;
    const result = runScript(lines);

    expect(result.lines.at(-1)!.exitCode).toBe(124);
  });

  it("requires -n", () => {
    const result = runScript(`${setup}ip netns exec a timeout 1 tcpdump -i eth0 icmp\n`);
    const last = result.lines.at(-1)!;
    expect(last.exitCode).toBe(1);
    expect(last.output).toBe("hoptrace: not supported: tcpdump without -n (name resolution)\n");
  });

  it("treats timeout 0 as none", () => {
    const result = runScript(`${setup}ip netns exec a timeout 0 tcpdump -n -i eth0 icmp\n`);
    const last = result.lines.at(-1)!;
    expect(last.exitCode).toBe(1);
    expect(last.output).toContain("hoptrace: not supported: tcpdump in the foreground");
  });

  it.for(["-D", "-a -n -i eth0", "-Y -n -i eth0"])("reports %s as unsupported", (options) => {
    const result = runScript(`${setup}ip netns exec a timeout 1 tcpdump ${options}\n`);
    const last = result.lines.at(-1)!;
    expect(last.exitCode).toBe(1);
    expect(last.output).toBe(`hoptrace: not supported: tcpdump ${options.slice(0, 2)}\n`);
  });

  it("requires timeout to end", () => {
    const result = runScript(`${setup}ip netns exec a tcpdump -n -i eth0 icmp\n`);
    const last = result.lines.at(-1)!;
    expect(last.exitCode).toBe(1);
    expect(last.output).toContain("hoptrace: not supported: tcpdump in the foreground");
  });
});
