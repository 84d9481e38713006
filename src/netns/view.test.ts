import fc from "fast-check";
import { current, freeze, produce } from "immer";
import { describe, expect, it } from "vitest";
import { readView } from "./view.js";

type Tree = Record<string, { items: number[]; tag: string; child?: { value: number } }>;

/** One write to a draft tree: which key, and what happens to it. */
const edit = fc.record({
  key: fc.constantFrom("a", "b", "c", "d"),
  kind: fc.constantFrom("push", "tag", "child", "delete", "add", "read"),
  value: fc.integer({ min: 0, max: 99 }),
});

function baseTree(): Tree {
  return freeze(
    {
      a: { items: [1, 2], tag: "x", child: { value: 1 } },
      b: { items: [], tag: "y" },
      c: { items: [3], tag: "z", child: { value: 3 } },
    },
    true,
  );
}

function applyEdit(
  draft: Tree,
  { key, kind, value }: { key: string; kind: string; value: number },
): void {
  const entry = draft[key];
  if (kind === "add") draft[key] = { items: [value], tag: String(value) };
  if (entry === undefined) return;
  if (kind === "push") entry.items.push(value);
  if (kind === "tag") entry.tag = String(value);
  if (kind === "child") entry.child = { value };
  if (kind === "delete") delete draft[key];
  if (kind === "read") void entry.child?.value;
}

describe("readView", () => {
  it("returns plain values unchanged", () => {
    const tree = baseTree();
    expect(readView(tree)).toBe(tree);
  });

  it("returns the original of an unmodified draft", () => {
    const tree = baseTree();
    produce(tree, (draft) => {
      void draft.a!.items[0];
      expect(readView(draft)).toBe(tree);
      expect(readView(draft.a)).toBe(tree.a);
    });
  });

  it("equals current on random drafts", () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        produce(baseTree(), (draft) => {
          for (const step of edits) applyEdit(draft, step);
          expect(readView(draft)).toEqual(current(draft));
        });
      }),
    );
  });

  it("shares unmodified subtrees with the original", () => {
    const tree = baseTree();
    produce(tree, (draft) => {
      draft.a!.tag = "changed";
      const view = readView(draft);
      expect(view.a!.tag).toBe("changed");
      expect(view.a!.items).toBe(tree.a!.items);
      expect(view.b).toBe(tree.b);
    });
  });
});
