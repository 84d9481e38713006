import { describe, expect, it } from "vitest";
import { normalizeTranscript } from "./normalize.js";

// Every input line below was printed by the real tools in a recorded kernel case.
describe("normalizeTranscript", () => {
  it.each([
    {
      field: "ping reply time",
      line: "64 bytes from 172.18.0.3: icmp_seq=1 ttl=64 time=1.19 ms",
      want: "64 bytes from 172.18.0.3: icmp_seq=1 ttl=64 time=<rtt> ms",
    },
    {
      field: "ping summary time",
      line: "2 packets transmitted, 2 received, 0% packet loss, time 1001ms",
      want: "2 packets transmitted, 2 received, 0% packet loss, time <elapsed>ms",
    },
    {
      field: "ping summary time with errors",
      line: "4 packets transmitted, 0 received, +3 errors, 100% packet loss, time 3053ms",
      want: "4 packets transmitted, 0 received, +3 errors, 100% packet loss, time <elapsed>ms",
    },
    {
      field: "rtt line",
      line: "rtt min/avg/max/mdev = 0.072/0.630/1.188/0.558 ms",
      want: "rtt min/avg/max/mdev = <rtt>/<rtt>/<rtt>/<rtt> ms",
    },
    {
      field: "rtt line followed by pipe",
      line: "rtt min/avg/max/mdev = 0.031/0.052/0.074/0.021 ms, pipe 2",
      want: "rtt min/avg/max/mdev = <rtt>/<rtt>/<rtt>/<rtt> ms, pipe 2",
    },
    {
      field: "MAC in ip link",
      line: "    link/ether 1a:b0:c3:c7:cd:7e brd ff:ff:ff:ff:ff:ff link-netnsid 0",
      want: "    link/ether <mac> brd ff:ff:ff:ff:ff:ff link-netnsid 0",
    },
    {
      field: "TCP window after the handshake",
      line: "22:17:09.463458 IP 198.51.100.2.37392 > 198.51.100.1.2222: Flags [.], ack 1, win 63, options [nop,nop,TS val 3262527907 ecr 3540573852], length 0",
      want: "<time> IP 198.51.100.2.<port> > 198.51.100.1.2222: Flags [.], ack <seq>, win <win>, options [nop,nop,TS val <ts> ecr <ts>], length 0",
    },
    {
      field: "bash time, real",
      line: "real\t0m2.011s",
      want: "real\t<time>",
    },
    {
      field: "bash time, sys",
      line: "sys\t0m0.004s",
      want: "sys\t<time>",
    },
    {
      field: "MAC in ip neigh",
      line: "172.18.0.3 dev veth0 lladdr 8e:42:db:c3:02:17 REACHABLE ",
      want: "172.18.0.3 dev veth0 lladdr <mac> REACHABLE ",
    },
    {
      field: "MAC in ip -br link",
      line: "eth0@if2         DOWN           ee:9a:12:4f:00:b1 <NO-CARRIER,BROADCAST,MULTICAST,UP> ",
      want: "eth0@if2         DOWN           <mac> <NO-CARRIER,BROADCAST,MULTICAST,UP> ",
    },
    {
      field: "IPv6 link-local address",
      line: "    inet6 fe80::18b0:c3ff:fec7:cd7e/64 scope link ",
      want: "    inet6 fe80::<iid>/64 scope link ",
    },
    {
      field: "IPv6 link-local address in ip -br addr",
      line: "docker1          UP             172.18.0.1/24 fe80::4431:e6ff:fe0f:17b1/64 ",
      want: "docker1          UP             172.18.0.1/24 fe80::<iid>/64 ",
    },
    {
      field: "DAD state tentative",
      line: "    inet6 fe80::8c42:dbff:fec3:217/64 scope link tentative ",
      want: "    inet6 fe80::<iid>/64 scope link ",
    },
    {
      field: "solicited-node multicast MAC",
      line: "33:33:ff:2c:da:36 dev br0 self permanent",
      want: "33:33:ff:<mac> dev br0 self permanent",
    },
    {
      field: "traceroute hop time",
      line: " 1  10.0.1.1  0.040 ms",
      want: " 1  10.0.1.1  <rtt> ms",
    },
    {
      field: "traceroute hop with three probes",
      line: " 1  10.0.1.1  0.014 ms  0.002 ms  0.002 ms",
      want: " 1  10.0.1.1  <rtt> ms  <rtt> ms  <rtt> ms",
    },
    {
      field: "traceroute hop with an annotation",
      line: " 3  10.0.12.2  3067.185 ms !H",
      want: " 3  10.0.12.2  <rtt> ms !H",
    },
    { field: "took line", line: "[took 3.0 s]", want: "[took about 3 s]" },
    { field: "took line a little short", line: "[took 2.9 s]", want: "[took about 3 s]" },
    { field: "took line under a second", line: "[took 0.0 s]", want: "[took about 0 s]" },
    {
      field: "conntrack ICMP entry",
      line:
        "icmp     1 29 src=172.18.0.2 dst=203.0.113.8 type=8 code=0 id=32262 src=203.0.113.8 " +
        "dst=192.0.2.10 type=0 code=0 id=32262 mark=0 use=1",
      want:
        "icmp     1 <timeout> src=172.18.0.2 dst=203.0.113.8 type=8 code=0 id=<id> " +
        "src=203.0.113.8 dst=192.0.2.10 type=0 code=0 id=<id> mark=0 use=<n>",
    },
    {
      field: "conntrack TCP entry with an ephemeral port",
      line:
        "tcp      6 119 TIME_WAIT src=172.18.0.2 dst=203.0.113.8 sport=48816 dport=80 " +
        "src=203.0.113.8 dst=192.0.2.10 sport=80 dport=48816 [ASSURED] mark=0 use=1",
      want:
        "tcp      6 <timeout> TIME_WAIT src=172.18.0.2 dst=203.0.113.8 sport=<port> dport=80 " +
        "src=203.0.113.8 dst=192.0.2.10 sport=80 dport=<port> [ASSURED] mark=0 use=<n>",
    },
    {
      field: "nf_conntrack entry",
      line:
        "ipv4     2 icmp     1 29 src=172.18.0.2 dst=203.0.113.8 type=8 code=0 id=32262 " +
        "src=203.0.113.8 dst=192.0.2.10 type=0 code=0 id=32262 mark=0 zone=0 use=2",
      want:
        "ipv4     2 icmp     1 <timeout> src=172.18.0.2 dst=203.0.113.8 type=8 code=0 id=<id> " +
        "src=203.0.113.8 dst=192.0.2.10 type=0 code=0 id=<id> mark=0 zone=0 use=<n>",
    },
    {
      field: "tcpdump ICMP echo",
      line: "15:16:06.002865 IP 172.18.0.2 > 203.0.113.8: ICMP echo request, id 32726, seq 1, length 64",
      want: "<time> IP 172.18.0.2 > 203.0.113.8: ICMP echo request, id <id>, seq 1, length 64",
    },
    {
      field: "tcpdump ICMP error",
      line: "15:16:06.002881 IP 198.51.100.1 > 203.0.113.8: ICMP net 172.18.0.2 unreachable, length 92",
      want: "<time> IP 198.51.100.1 > 203.0.113.8: ICMP net 172.18.0.2 unreachable, length 92",
    },
    {
      field: "tcpdump TCP SYN-ACK",
      line:
        "15:19:29.039339 IP 172.31.59.121.8080 > 198.51.100.2.50010: Flags [S.], seq 2759700342, " +
        "ack 2324741520, win 65160, options [mss 1460,sackOK,TS val 1860839187 ecr 754732415," +
        "nop,wscale 10], length 0",
      want:
        "<time> IP 172.31.59.121.8080 > 198.51.100.2.<port>: Flags [S.], seq <seq>, ack <seq>, " +
        "win 65160, options [mss 1460,sackOK,TS val <ts> ecr <ts>,nop,wscale <n>], length 0",
    },
    {
      field: "iptables-save header",
      line: "# Generated by iptables-save v1.8.9 (nf_tables) on Fri Dec  4 15:17:16 2026",
      want: "# Generated by iptables-save v1.8.9 (nf_tables) on <date>",
    },
    {
      field: "iptables-save footer",
      line: "# Completed on Fri Dec  4 15:17:16 2026",
      want: "# Completed on <date>",
    },
  ])("masks the $field", ({ line, want }) => {
    expect(normalizeTranscript(line)).toBe(want);
  });

  it.each([
    "64 bytes from 10.0.2.2: icmp_seq=1 ttl=63 time=<rtt> ms",
    "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time <elapsed>ms",
    "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable",
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
    "01:00:5e:00:00:6a dev br0 self permanent",
    "33:33:00:00:00:01 dev p1 self permanent",
    "fe80::/64 dev eth0 proto kernel metric 256 pref medium",
    "traceroute to 10.0.2.2 (10.0.2.2), 5 hops max, 60 byte packets",
    " 4  *",
    "1        5   420 ACCEPT     0    --  docker1 !docker1  0.0.0.0/0            0.0.0.0/0           ",
    "Chain FORWARD (policy DROP 2 packets, 168 bytes)",
    "32765:\tfrom 172.18.0.0/24 lookup 100",
    "10.0.2.2 via 10.0.3.1 dev eth1 src 10.0.1.2 uid 0 ",
    "Connection to 172.31.59.121 8080 port [tcp/http-alt] succeeded!",
  ])("keeps stable text: %s", (line) => {
    expect(normalizeTranscript(line)).toBe(line);
  });

  it("keeps ttl, sequence and loss figures of a ping", () => {
    const text = [
      "PING 172.18.0.3 (172.18.0.3) 56(84) bytes of data.",
      "64 bytes from 172.18.0.3: icmp_seq=2 ttl=64 time=0.072 ms",
      "2 packets transmitted, 2 received, 0% packet loss, time 1001ms",
    ].join("\n");

    const normalized = normalizeTranscript(text);

    expect(normalized).toContain("icmp_seq=2 ttl=64 ");
    expect(normalized).toContain("2 packets transmitted, 2 received, 0% packet loss, ");
    expect(normalized).toContain("56(84) bytes of data.");
  });

  it("keeps fixed ports outside the ephemeral range", () => {
    const line =
      "udp      17 29 src=172.18.0.2 dst=203.0.113.8 sport=5000 dport=9999 [UNREPLIED] " +
      "src=203.0.113.8 dst=192.0.2.10 sport=9999 dport=5000 mark=0 use=1";

    expect(normalizeTranscript(line)).toContain("sport=5000 dport=9999 [UNREPLIED]");
  });

  it("keeps ICMP sequence numbers in tcpdump lines", () => {
    const line =
      "15:16:09.052386 IP 203.0.113.8 > 172.31.59.121: ICMP echo reply, id 32753, seq 1, length 64";

    expect(normalizeTranscript(line)).toContain(", seq 1, length 64");
  });

  it("keeps a padded column aligned after a link-local address", () => {
    const kernel =
      "fe80::8c42:dbff:fec3:217                dev eth0 lladdr 8e:42:db:c3:02:17 router";
    const other =
      "fe80::1c2b:3dff:fe4e:5f60               dev eth0 lladdr 1e:2b:3d:4e:5f:60 router";

    expect(normalizeTranscript(kernel)).toBe(normalizeTranscript(other));
    expect(normalizeTranscript(kernel).indexOf("dev")).toBe(kernel.indexOf("dev"));
  });

  it("sorts consecutive conntrack entries", () => {
    const udp =
      "udp      17 29 src=172.18.0.2 dst=203.0.113.8 sport=5000 dport=9999 [UNREPLIED] " +
      "src=203.0.113.8 dst=192.0.2.10 sport=9999 dport=5000 mark=0 use=1";
    const icmp =
      "icmp     1 29 src=172.18.0.2 dst=203.0.113.8 type=8 code=0 id=32262 src=203.0.113.8 " +
      "dst=192.0.2.10 type=0 code=0 id=32262 mark=0 use=1";
    const summary = "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.";

    const forward = normalizeTranscript([summary, udp, icmp, "$ next"].join("\n"));
    const reversed = normalizeTranscript([summary, icmp, udp, "$ next"].join("\n"));

    expect(forward).toBe(reversed);
    expect(forward.split("\n")[0]).toBe(summary);
    expect(forward.split("\n")[3]).toBe("$ next");
  });

  it("sorts the entries of an ip neigh listing, IPv4 before IPv6", () => {
    // The live kernel printed the first two entries of nat-bridge-hairpin in both orders.
    const gateway = "172.18.0.1 dev veth1 lladdr 8e:42:db:c3:02:17 REACHABLE ";
    const peer = "172.18.0.2 dev veth1 lladdr 1a:b0:c3:c7:cd:7e STALE ";
    const router = "fe80::1 dev veth1 lladdr 1a:b0:c3:c7:cd:7f router STALE ";
    const listing = (...entries: string[]): string =>
      normalizeTranscript(["$ ip netns exec ns2 ip neigh show", ...entries, ""].join("\n"));

    expect(listing(gateway, peer, router)).toBe(listing(router, peer, gateway));
    expect(listing(peer, router, gateway).split("\n")).toEqual([
      "$ ip netns exec ns2 ip neigh show",
      "172.18.0.1 dev veth1 lladdr <mac> REACHABLE ",
      "172.18.0.2 dev veth1 lladdr <mac> STALE ",
      "fe80::<iid> dev veth1 lladdr <mac> router STALE ",
      "",
    ]);
  });

  it("sorts an ip -n NS neigh listing", () => {
    const listing = (...entries: string[]): string[] =>
      normalizeTranscript(["$ ip -n r neigh show", ...entries, ""].join("\n")).split("\n");
    const learned = "10.0.0.2 dev eth0 lladdr a2:fd:96:8c:2b:19 REACHABLE ";
    const permanent = "10.0.0.7 dev eth0 lladdr 02:00:00:00:00:07 PERMANENT ";

    expect(listing(permanent, learned)).toEqual(listing(learned, permanent));
    expect(listing(permanent, learned)[1]).toBe("10.0.0.2 dev eth0 lladdr <mac> REACHABLE ");
  });

  it("keeps the order of lines that do not list neighbours", () => {
    const text = ["$ ip netns exec ns2 ip neigh flush dev veth1", "b", "a", "$ ip route", "b", "a"];

    expect(normalizeTranscript(text.join("\n")).split("\n")).toEqual(text);
  });

  it("drops a bridge's IGMP entry and its count", () => {
    const summary = "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.";
    const igmp =
      "unknown  2 599 src=172.18.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=172.18.0.1 mark=0 use=1";
    const icmp =
      "icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=7 src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=7 mark=0 use=1";

    const lines = normalizeTranscript(["$ conntrack -L", summary, igmp, icmp].join("\n")).split(
      "\n",
    );

    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe("conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.");
    expect(lines[2]).toMatch(/^icmp /);
  });

  it("changes nothing on a second pass", () => {
    const text = [
      "64 bytes from 172.18.0.3: icmp_seq=1 ttl=64 time=1.19 ms",
      "    link/ether 1a:b0:c3:c7:cd:7e brd ff:ff:ff:ff:ff:ff",
      "    inet6 fe80::18b0:c3ff:fec7:cd7e/64 scope link tentative ",
      "tcp      6 119 TIME_WAIT src=172.18.0.2 dst=203.0.113.8 sport=48816 dport=80 " +
        "src=203.0.113.8 dst=192.0.2.10 sport=80 dport=48816 [ASSURED] mark=0 use=1",
      "[took 1.0 s]",
    ].join("\n");

    const once = normalizeTranscript(text);

    expect(normalizeTranscript(once)).toBe(once);
  });
});
