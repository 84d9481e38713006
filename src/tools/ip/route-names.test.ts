import { describe, expect, it } from "vitest";
import { runScript } from "../../script/run.js";
import {
  parseProtocol,
  parseRouteType,
  parseScopeName,
  protocolName,
  scopeName,
} from "./route-print.js";

const ROUTES = `ip link add v type veth peer name w
ip link set v up
ip addr add 10.0.0.1/24 dev v
ip route add default via 10.0.0.2
ip route add 172.16.0.0/12 dev v proto 42
ip route add 172.17.0.0/16 dev v proto static
`;

/** Runs `commands` after ROUTES and returns each of their exit codes and outputs. */
function run(commands: string): { exitCode: number; output: string }[] {
  const { lines } = runScript(`${ROUTES}${commands}`);
  return lines.slice(-commands.trim().split("\n").length).map(({ exitCode, output }) => ({
    exitCode,
    output,
  }));
}

describe("protocol and scope names", () => {
  it.each([
    [13, "dnrouted"],
    [14, "xorp"],
    [15, "ntk"],
    [18, "keepalived"],
    [42, "babel"],
    [99, "openr"],
    [192, "eigrp"],
  ])("reads and prints protocol %i as %s", (number, name) => {
    expect(parseProtocol(name)).toBe(number);
    expect(protocolName(number)).toBe(name);
  });

  it.each([
    ["0x11", 17],
    ["017", 15],
    ["255", 255],
  ])("reads the number %s as strtoul does", (text, number) => {
    expect(parseProtocol(text)).toBe(number);
    expect(parseScopeName(text)).toBe(number);
  });

  it.each(["256", "nonsense", "0x", "1a", "", "all"])("rejects %j", (text) => {
    expect(parseProtocol(text)).toBeUndefined();
    expect(parseScopeName(text)).toBeUndefined();
  });

  it("accepts only the rt_scopes names", () => {
    expect(parseScopeName("universe")).toBeUndefined();
    expect(parseScopeName("site")).toBe(200);
    expect(scopeName(200)).toBe("site");
    expect(scopeName(7)).toBe("7");
  });

  it.each([
    ["u", "unreachable"],
    ["uni", "unicast"],
    ["brd", "broadcast"],
    ["b", "broadcast"],
    ["7", "unreachable"],
    ["thr", undefined],
    ["bogus", undefined],
    ["0", "unmodelled"],
    ["x", "unmodelled"],
  ])("reads the route type %s as iproute2 does", (text, type) => {
    expect(parseRouteType(text)).toBe(type);
  });
});

describe("ip route show and flush with an unknown name", () => {
  it.each(["proto nonsense", "scope nonsense", "type bogus"])(
    "fails on %s and flushes nothing",
    (filter) => {
      const [flush, show] = run(`ip route flush ${filter}\nip route show\n`);

      expect(flush!.exitCode).toBe(255);
      expect(show!.output.split("\n")).toHaveLength(5);
    },
  );

  it.each([
    ["proto nonsense", `Error: argument "nonsense" is wrong: invalid "protocol"\n\n`],
    ["scope nonsense", `Error: argument "nonsense" is wrong: invalid "scope"\n\n`],
    ["type bogus", `Error: argument "bogus" is wrong: node type value is invalid\n\n`],
  ])("prints iproute2's error for show %s", (filter, error) => {
    const [show] = run(`ip route show ${filter}\n`);

    expect(show).toEqual({ exitCode: 255, output: error });
  });

  it("flushes only the routes of a named protocol", () => {
    const [, show] = run("ip route flush proto babel\nip route show\n");

    expect(show!.output).not.toContain("172.16.0.0/12");
    expect(show!.output).toContain("172.17.0.0/16");
    expect(show!.output).toContain("default via 10.0.0.2");
  });

  it("reads proto all and scope all as no filter", () => {
    const [all, plain] = run("ip route show proto all scope all\nip route show\n");

    expect(all!.output).toBe(plain!.output);
  });
});

describe("ip route show under a filter", () => {
  it("leaves out proto under a proto filter", () => {
    const [show] = run("ip route show proto babel\n");

    expect(show!.output).toBe("172.16.0.0/12 dev v scope link linkdown \n");
  });

  it("leaves out scope under a scope filter", () => {
    const [show] = run("ip route show scope link\n");

    expect(show!.output).toBe(
      [
        "10.0.0.0/24 dev v proto kernel src 10.0.0.1 linkdown ",
        "172.16.0.0/12 dev v proto babel linkdown ",
        "172.17.0.0/16 dev v proto static linkdown ",
        "",
      ].join("\n"),
    );
  });

  it("prints both under proto all and scope all", () => {
    const [show] = run("ip route show proto all scope all\n");

    expect(show!.output).toContain("172.16.0.0/12 dev v proto babel scope link linkdown \n");
  });
});

describe("ip route show table all", () => {
  it("rejects two tables in one hash bucket", () => {
    const [listing, flush, after] = run(
      "ip route add 10.1.0.0/24 dev v table 1\nip route add 10.2.0.0/24 dev v table 257\n" +
        "ip -4 route show table all\nip route flush table all\nip route show table 257\n",
    ).slice(2);

    expect(listing?.exitCode).toBe(1);
    expect(listing?.output).toBe(
      "hoptrace: not supported: ip route show table all with tables 1 and 257, " +
        "whose dump order depends on which was made first\n",
    );
    expect(flush).toEqual({ exitCode: 0, output: "" });
    expect(after).toEqual({ exitCode: 0, output: "" });
  });
});
