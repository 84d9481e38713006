/**
 * Plain read-only views of a state that may be an immer draft. Reading a draft creates a proxy
 * for every object the read passes, so a scan of every namespace and link inside `produce`
 * costs far more than the same scan over plain objects. Such scans were most of the time a
 * large network took to build. immer's own `current` does not help: it copies a modified draft by
 * spreading the proxy, which drafts every child on the way.
 *
 * NOTE: `readView` reads immer's per-draft record (`Symbol.for("immer-state")` with `base_`,
 * `copy_` and `modified_`, as immer 10 and 11 name them), which is not public API. view.test.ts
 * compares it with `current` on random drafts, so an immer release that renames them fails
 * there rather than here.
 */
import type { Draft } from "immer";
import { current, isDraft } from "immer";

/** immer's bookkeeping of one draft, as far as a view reads it. */
interface DraftRecord {
  base_: unknown;
  copy_: unknown;
  modified_: boolean;
}

const DRAFT_STATE = Symbol.for("immer-state");

/**
 * Returns `value` as plain data: `value` itself unless it is an immer draft, else a snapshot in
 * which unmodified subtrees are the frozen originals and modified objects and arrays are fresh
 * copies. The snapshot does not follow later writes to the draft, and writing to it does not
 * change the draft, so callers read the view and write through the draft.
 */
export function readView<T>(value: T): T {
  if (!isDraft(value)) return value;
  const record = (value as Record<symbol, DraftRecord | undefined>)[DRAFT_STATE];
  const copy = record?.copy_;
  if (record === undefined || copy instanceof Map || copy instanceof Set) {
    return current(value as Draft<T>) as T;
  }
  if (!record.modified_ || copy === null || copy === undefined) return record.base_ as T;
  return viewOfCopy(copy as Record<string, unknown>) as T;
}

/** Copies immer's working copy of a modified draft, replacing child drafts with their views. */
function viewOfCopy(copy: Record<string, unknown>): unknown {
  if (Array.isArray(copy)) return copy.map((item: unknown) => readView(item));
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(copy)) view[key] = readView(copy[key]);
  return view;
}
