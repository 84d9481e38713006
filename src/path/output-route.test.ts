import { describe, expect, it } from "vitest";
import { runScript } from "../script/run.js";
import { findNetns } from "../netns/state.js";
import type { NoOutputRoute, OutputRoute } from "./output-route.js";
import { connectRoute, outputRoute } from "./output-route.js";

// n has 10.0.1.2/24 on eth0, a default route by 10.0.1.1 and a rule of its own, so a connect
// makes a second lookup from the source that the first one chose.
const SCRIPT = `
ip netns add n
ip netns exec n ip link set lo up
ip netns exec n ip link add eth0 type veth peer name peer0
ip netns exec n ip addr add 10.0.1.2/24 dev eth0
ip netns exec n ip link set eth0 up
ip netns exec n ip link set peer0 up
ip netns exec n ip route add default via 10.0.1.1
ip netns exec n ip rule add from all lookup main priority 50
`;

const LOCAL_ADDRESS = 0x0a000102;
const REMOTE_ADDRESS = 0xc0000207;

function routeOf(result: { ok: true; route: OutputRoute } | NoOutputRoute): OutputRoute {
  if (!result.ok) throw new Error(`no route: ${result.errno}`);
  return result.route;
}

describe("output route source", () => {
  const { state, exitCode } = runScript(SCRIPT);
  const ns = findNetns(state, "n")!;

  it("sets up without errors", () => {
    expect(exitCode).toBe(0);
  });

  it("marks a source the query gave", () => {
    const route = routeOf(outputRoute(state, ns, { dst: REMOTE_ADDRESS, src: LOCAL_ADDRESS }));

    expect(route.isSourceGiven).toBe(true);
  });

  it("leaves a chosen source unmarked", () => {
    const route = routeOf(outputRoute(state, ns, { dst: REMOTE_ADDRESS }));

    expect(route.src).toBe(LOCAL_ADDRESS);
    expect(route.isSourceGiven).not.toBe(true);
  });

  it("leaves a connect's chosen source unmarked", () => {
    const route = routeOf(connectRoute(state, ns, { dst: REMOTE_ADDRESS }));

    expect(route.src).toBe(LOCAL_ADDRESS);
    expect(route.isSourceGiven).not.toBe(true);
  });
});
