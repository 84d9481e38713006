import { describe, expect, it } from "vitest";
import { WasmArena, moduleBytes } from "./wasm-lookup.js";

/** The engine's validator; the project's types leave out the DOM's WebAssembly declarations. */
const { validate } = (
  globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }
).WebAssembly;

describe("the WebAssembly lookup module", () => {
  it.each([32, 128] as const)("is valid and under 4 KiB for %i-bit addresses", (keyBits) => {
    const bytes = moduleBytes(keyBits);
    expect(validate(bytes)).toBe(true);
    // Chrome refused a synchronous compile above 4 KiB on a page's main thread for years, with
    // the error "WebAssembly.Compile is disallowed on the main thread"; newer versions allow 8 MB.
    expect(bytes.length).toBeLessThan(4096);
  });
});

describe("WasmArena", () => {
  const make = () =>
    WasmArena.create(
      32,
      Int32Array.from({ length: 8 }, (_, i) => -1 - i),
      Int32Array.from({ length: 16 }, (_, i) => 100 + i),
      Int32Array.from({ length: 5 }, (_, i) => 200 + i),
    )!;

  it("copies the three arrays in", () => {
    const arena = make();
    expect(Array.from(arena.top)).toEqual([-1, -2, -3, -4, -5, -6, -7, -8]);
    expect(arena.nodes[15]).toBe(115);
    expect(Array.from(arena.ents)).toEqual([200, 201, 202, 203, 204]);
  });

  it("keeps contents across memory growth", () => {
    const arena = make();
    const before = arena.byteLength;
    arena.resize(40_000, 7);
    expect(arena.byteLength).toBeGreaterThan(before);
    expect(arena.top[7]).toBe(-8);
    expect(Array.from(arena.nodes.subarray(0, 16))).toEqual(
      Array.from({ length: 16 }, (_, i) => 100 + i),
    );
    expect(arena.nodes.subarray(16).every((word) => word === 0)).toBe(true);
    expect(Array.from(arena.ents)).toEqual([200, 201, 202, 203, 204, 0, 0]);
  });

  it("keeps the entries that fit when they shrink", () => {
    const arena = make();
    arena.resize(16, 3);
    expect(Array.from(arena.ents)).toEqual([200, 201, 202]);
    arena.resize(16, 5);
    expect(Array.from(arena.ents)).toEqual([200, 201, 202, 0, 0]);
  });
});
