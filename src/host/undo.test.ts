import { describe, expect, it } from "vitest";
import { PROTO_BOOT, TABLE_MAIN, type Route } from "../fib/route.js";
import { HOST_NS } from "../netns/state.js";
import { runScript } from "../script/run.js";
import { routeArgv } from "./undo.js";

describe("routeArgv", () => {
  it("writes a TOS as iproute2 reads it", () => {
    const ns = runScript("ip link add v0 type veth peer name v1").state.namespaces[HOST_NS]!;
    const route: Route = {
      table: TABLE_MAIN,
      type: "unicast",
      dst: 0x0a000000,
      bits: 24,
      tos: 0x10,
      metric: 0,
      protocol: PROTO_BOOT,
      scope: 0,
    };
    expect(routeArgv(ns, route)).toContain("0x10");
    expect(routeArgv(ns, { ...route, tos: 0x28 })).toContain("AF11");
  });
});
