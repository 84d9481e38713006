import { describe, expect, it } from "vitest";
import { formatRule, saveString } from "./rule-text.js";

describe("saveString", () => {
  it.for([
    ["nat", "nat"],
    ["fw: ", '"fw: "'],
    ['x"y', '"x\\"y"'],
    ["a'b\\c", '"a\\\'b\\\\c"'],
    ["", '""'],
  ])("saves %s as %s", ([value, saved]) => {
    expect(saveString(value!)).toBe(saved);
  });
});

describe("formatRule", () => {
  it("orders addresses, links, protocol, matches, counters and target", () => {
    const text = formatRule(
      "DOCKER",
      {
        dst: { addr: 0xac120002, mask: 0xffffffff, isInverted: false },
        inIface: { name: "docker1", isInverted: true },
        outIface: { name: "docker1", isInverted: false },
        proto: { number: 6, isInverted: false },
        matches: [{ kind: "tcp", dport: { min: 80, max: 80, isInverted: false } }],
        target: { kind: "ACCEPT" },
      },
      { packets: 3, bytes: 180 },
    );

    expect(text).toBe(
      "-A DOCKER -d 172.18.0.2/32 ! -i docker1 -o docker1 -p tcp -m tcp --dport 80 -c 3 180 -j ACCEPT",
    );
  });

  it("prints a /0 address as nothing and a non-contiguous mask dotted", () => {
    const text = formatRule("INPUT", {
      src: { addr: 0, mask: 0, isInverted: false },
      dst: { addr: 0x0a000000, mask: 0xff00ff00, isInverted: false },
      matches: [],
    });

    expect(text).toBe("-A INPUT -d 10.0.0.0/255.0.255.0");
  });
});
