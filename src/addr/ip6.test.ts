import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import { isIp6Text } from "./ip6.js";

describe("isIp6Text", () => {
  it.each([
    "2001:db8::1",
    "::1",
    "::",
    "fe80::1%eth0",
    "::ffff:192.0.2.1",
    "2001:db8::/64",
    "::/0",
  ])("accepts %s", (text) => {
    expect(isIp6Text(text)).toBe(true);
  });

  it.each(["192.0.2.1", "10/8", "1:2:3", "1::2::3", "2001:db8::/129", "host.example", "", "a:b"])(
    "rejects %s",
    (text) => {
      expect(isIp6Text(text)).toBe(false);
    },
  );
});

describe("IPv6 input to the tools", () => {
  it.each([
    ["ip addr add 2001:db8::1/64 dev v", "2001:db8::1/64"],
    ["ip route add 2001:db8:1::/48 via fd00::2", "2001:db8:1::/48"],
    ["ip route add 10.0.0.0/8 via fd00::2 dev v", "fd00::2"],
    ["ip route get 2001:db8::5", "2001:db8::5"],
    ["ping -c 1 -W 1 fd00::1", "fd00::1"],
    ["traceroute -n 2001:db8::1", "2001:db8::1"],
    ["nc -z -w 1 ::1 22", "::1"],
  ])("%s fails as not supported", (command, address) => {
    const { lines } = runScript(`ip link add v type veth peer name w\n${command}\n`);

    expect(lines[1]).toMatchObject({
      exitCode: 1,
      output: `hoptrace: not supported: IPv6 address "${address}" (only IPv4 is modelled)\n`,
    });
  });

  it("names via inet6 as not supported", () => {
    const { lines } = runScript(
      "ip link add v type veth peer name w\nip route add 10.0.0.0/8 via inet6 fd00::2 dev v\n",
    );

    expect(lines[1]!.output).toBe(
      'hoptrace: not supported: ip route "via inet6" (only IPv4 is modelled)\n',
    );
  });

  it("keeps the resolver error for a host name", () => {
    const { lines } = runScript("ping -c 1 -W 1 host.example\n");

    expect(lines[0]!.output).toBe("ping: host.example: Temporary failure in name resolution\n");
  });
});
