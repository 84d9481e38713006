import { describe, expect, it } from "vitest";
import { createNetns } from "../netns/state.js";
import { PMTU_EXPIRES_MS, learnPmtu, pathMtu, pmtuException } from "./pmtu.js";

const DST = 0x0a090002;

describe("learnPmtu", () => {
  it("lowers the path MTU for its destination only", () => {
    const ns = createNetns(1, "a");
    learnPmtu(ns, DST, 1400, 1500, 0);
    expect(pathMtu(ns, DST, 1500, 0)).toBe(1400);
    expect(pathMtu(ns, DST + 1, 1500, 0)).toBe(1500);
  });

  it("never raises the MTU of the route", () => {
    const ns = createNetns(1, "a");
    learnPmtu(ns, DST, 1400, 1500, 0);
    learnPmtu(ns, DST, 1450, 1500, 1000);
    expect(pathMtu(ns, DST, 1500, 1000)).toBe(1400);
  });

  it("raises a value below 552 to 552", () => {
    const ns = createNetns(1, "a");
    learnPmtu(ns, DST, 300, 1500, 0);
    expect(pathMtu(ns, DST, 1500, 0)).toBe(552);
  });

  it("expires after ten minutes", () => {
    const ns = createNetns(1, "a");
    learnPmtu(ns, DST, 1400, 1500, 0);
    expect(pmtuException(ns, DST, PMTU_EXPIRES_MS - 1)).toBeDefined();
    expect(pmtuException(ns, DST, PMTU_EXPIRES_MS)).toBeUndefined();
  });

  it("renews the same MTU only past half its life", () => {
    const ns = createNetns(1, "a");
    learnPmtu(ns, DST, 1400, 1500, 0);
    learnPmtu(ns, DST, 1400, 1500, 1000);
    expect(pmtuException(ns, DST, 1000)?.expiresAt).toBe(PMTU_EXPIRES_MS);
    learnPmtu(ns, DST, 1400, 1500, PMTU_EXPIRES_MS / 2 + 1);
    expect(pmtuException(ns, DST, 0)?.expiresAt).toBe(PMTU_EXPIRES_MS + PMTU_EXPIRES_MS / 2 + 1);
  });
});
