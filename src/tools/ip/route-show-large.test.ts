import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { tableOf } from "../../fib/route-table.js";
import { PROTO_BOOT, TABLE_MAIN, type Route } from "../../fib/route.js";
import { HOST_NS } from "../../netns/state.js";
import { runLine, runScript } from "../../script/run.js";

// More routes than Node passes as the arguments of one call (about 125,000).
const COUNT = 200_000;

describe("ip route show", () => {
  it("lists a table of 200,000 routes", () => {
    const setup = runScript("ip link add v0 type veth peer name v1\nip link set v0 up").state;
    const routes: Route[] = Array.from({ length: COUNT }, (_, i) => ({
      table: TABLE_MAIN,
      type: "unicast",
      dst: (0x0a000000 + i * 256) >>> 0,
      bits: 24,
      tos: 0,
      metric: 0,
      protocol: PROTO_BOOT,
      scope: 0,
      dev: 2,
    }));
    const state = produce(setup, (draft) => {
      draft.namespaces[HOST_NS]!.tables[TABLE_MAIN] = tableOf(routes);
    });

    const shown = runLine(state, "ip route show");
    expect(shown.exitCode).toBe(0);
    const lines = shown.output.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(COUNT);
    expect(lines[COUNT - 1]).toBe("13.13.63.0/24 dev v1 linkdown ");

    const listed = runLine(state, "route -n");
    expect(listed.exitCode).toBe(0);
    expect(listed.output.split("\n").filter((line) => line !== "")).toHaveLength(COUNT + 2);
  });
});
