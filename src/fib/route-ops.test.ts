import { describe, expect, it } from "vitest";
import { HOST_NS } from "../netns/state.js";
import { runLine, runScript } from "../script/run.js";
import { endsChunk } from "./route-table.js";

describe("deleteRoute", () => {
  it("finds routes across chunks", () => {
    // 600 routes under one prefix and TOS, with distinct metrics: the table cuts them into
    // chunks, so a delete has to walk from one chunk into the next.
    const metrics = Array.from({ length: 600 }, (_, i) => i);
    const adds = metrics.map((m) => `ip route append 10.0.0.0/8 dev v0 metric ${m}`);
    const setup = [
      "ip link add v0 type veth peer name v1",
      "ip link set v0 up",
      "ip link set v1 up",
    ];
    let state = runScript([...setup, ...adds].join("\n")).state;
    const table = state.namespaces[HOST_NS]!.tables[254]!;
    expect(table.chunks.length).toBeGreaterThan(1);
    expect(table.chunks.slice(0, -1).every((chunk) => endsChunk(chunk[chunk.length - 1]!))).toBe(
      true,
    );
    for (let i = 0; i < metrics.length; i++) {
      const result = runLine(state, `ip route del 10.0.0.0/8 metric ${(i * 7) % 600}`);
      expect(result.exitCode).toBe(0);
      state = result.state;
    }
    expect(state.namespaces[HOST_NS]!.tables[254]!.size).toBe(0);
    expect(runLine(state, "ip route del 10.0.0.0/8").exitCode).toBe(2);
  });
});
