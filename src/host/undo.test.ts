import { describe, expect, it } from "vitest";
import { PROTO_BOOT, TABLE_MAIN, type Route } from "../fib/route.js";
import { HOST_NS } from "../netns/state.js";
import { runScript } from "../script/run.js";
import { routeArgv, undoSteps } from "./undo.js";

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

describe("undoSteps", () => {
  it("deletes a macvlan only with its new lower link", () => {
    const before = runScript("ip link add old0 type veth peer name old1").state;
    const script = [
      "ip link add v0 type veth peer name v1",
      "ip link add m0 link v0 type macvlan",
      "ip link add m1 link old0 type macvlan",
    ].join("\n");
    const after = runScript(script, { from: before }).state;

    const deletions = undoSteps(before, after).map((step) => step.argv.join(" "));

    // Deleting v1 deletes its peer v0 and m0 on v0; m1 sits on a link the script did not create.
    expect(deletions).toEqual(["ip link del v1", "ip link del m1"]);
  });
});
