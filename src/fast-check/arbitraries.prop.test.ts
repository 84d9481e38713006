import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIp4Strict } from "../addr/ip4.js";
import { network } from "../analysis/network.js";
import { addressIn, parsePrefix, prefixIn, routeTable, script, topology } from "./index.js";

const inside = (prefix: string, addr: string): boolean => {
  const { addr: base, bits } = parsePrefix(prefix);
  const value = parseIp4Strict(addr)!;
  return bits === 0 || value >>> (32 - bits) === base >>> (32 - bits);
};

describe("address arbitraries", () => {
  it("addressIn stays inside the prefix and avoids its ends", () => {
    fc.assert(
      fc.property(
        prefixIn("0.0.0.0/0", { maxBits: 30 }).chain((p) => fc.tuple(fc.constant(p), addressIn(p))),
        ([p, a]) => {
          expect(inside(p, a)).toBe(true);
          const { addr, bits } = parsePrefix(p);
          expect(parseIp4Strict(a)).not.toBe(addr);
          expect(parseIp4Strict(a)).not.toBe((addr | (0xffffffff >>> bits)) >>> 0);
        },
      ),
    );
  });

  it("prefixIn clears host bits and stays within", () => {
    fc.assert(
      fc.property(prefixIn("10.0.0.0/8", { maxBits: 28 }), (p) => {
        const { addr, bits } = parsePrefix(p);
        expect(p).toBe(`${p.split("/")[0]}/${bits}`);
        expect(bits).toBeGreaterThanOrEqual(8);
        expect(bits).toBeLessThanOrEqual(28);
        expect(inside("10.0.0.0/8", p.split("/")[0]!)).toBe(true);
        expect(parseIp4Strict(p.split("/")[0]!)).toBe(addr);
      }),
    );
  });

  it.each([
    [{ minBits: 33 }, "minBits 33 is not a prefix length"],
    [{ maxBits: -1 }, "maxBits -1 is not a prefix length"],
    [{ minBits: 8.5 }, "minBits 8.5 is not a prefix length"],
    [{ minBits: 30, maxBits: 4 }, "minBits 30 is greater than maxBits 4"],
    [{ maxBits: 6 }, "maxBits 6 is shorter than the /8 of 10.0.0.0/8, so no prefix inside it fits"],
  ])("prefixIn rejects %j", (options, message) => {
    expect(() => prefixIn("10.0.0.0/8", options)).toThrow(message);
  });

  it("parsePrefix rejects malformed text", () => {
    expect(() => parsePrefix("10.0.0.0/33")).toThrow('invalid prefix "10.0.0.0/33"');
  });
});

describe("routeTable", () => {
  it("draws distinct prefixes via the given gateways", () => {
    fc.assert(
      fc.property(
        routeTable({
          gateways: ["10.0.0.1", "10.0.0.2"],
          within: "192.168.0.0/16",
          hasRejectRoutes: true,
        }),
        (routes) => {
          expect(new Set(routes.map((r) => r.prefix)).size).toBe(routes.length);
          for (const route of routes) {
            expect(route.via === undefined || ["10.0.0.1", "10.0.0.2"].includes(route.via)).toBe(
              true,
            );
            expect(inside("192.168.0.0/16", route.prefix.split("/")[0]!)).toBe(true);
          }
        },
      ),
    );
  });

  it("rejects a gateway that is no IPv4 address", () => {
    expect(() => routeTable({ gateways: ["not-an-ip"] })).toThrow(
      'routeTable: invalid gateway "not-an-ip": expected an IPv4 address such as 10.0.0.1',
    );
  });

  it.each([-1, 1.5])("rejects maxRoutes %s", (maxRoutes) => {
    expect(() => routeTable({ gateways: [], hasRejectRoutes: true, maxRoutes })).toThrow(
      `routeTable: invalid maxRoutes ${maxRoutes}: expected a whole number of at least 0`,
    );
  });
});

describe("topology and script arbitraries", () => {
  it.each([
    [{ maxSegments: 0 }, "hoptrace: invalid maxSegments 0: expected an integer from 1 to 256"],
    [{ minNamespaces: 1 }, "hoptrace: invalid minNamespaces 1: expected an integer of at least 2"],
    [
      { minNamespaces: 5, maxNamespaces: 3 },
      "hoptrace: invalid maxNamespaces 3: expected an integer of at least 5",
    ],
    [{ maxRoutes: 1.5 }, "hoptrace: invalid maxRoutes 1.5: expected an integer of at least 0"],
  ])("rejects the options %o", (options, message) => {
    expect(() => topology(options)).toThrow(message);
  });

  it("every generated script builds without a failing command", () => {
    fc.assert(
      fc.property(script(), (generated) => {
        expect(network(generated.text, { isStrict: false }).failures).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("respects the namespace and segment bounds", () => {
    fc.assert(
      fc.property(
        topology({ minNamespaces: 3, maxNamespaces: 3, maxSegments: 2, hasBridges: false }),
        (t) => {
          expect(t.namespaces).toHaveLength(3);
          expect(t.segments.length).toBeLessThanOrEqual(2);
          expect(t.segments.every((s) => s.bridge === undefined && s.ends.length === 2)).toBe(true);
        },
      ),
    );
  });

  it("prints a generated script as commands", () => {
    const [generated] = fc.sample(script(), { numRuns: 1, seed: 5 });
    expect(fc.stringify(generated)).toContain(
      "# --- script: paste into a root shell ---\nip netns add n0\n",
    );
  });
});
