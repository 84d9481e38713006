/**
 * Line-based unified diff, for showing where two transcripts part.
 *
 * Source of truth: the unified format of GNU diffutils (`diff -u`): `---`/`+++` header lines,
 * hunks headed `@@ -start,count +start,count @@`, and lines prefixed with a space, `-` or `+`.
 * The alignment is a longest common subsequence of lines, so the diff is minimal but not always
 * the one GNU diff would choose among equal-sized alternatives.
 *
 * Pure: no Node APIs.
 */

/** Options of {@link unifiedDiff}. */
export interface DiffOptions {
  /** Label of the `---` line; `expected` unless given. */
  readonly expectedLabel?: string;
  /** Label of the `+++` line; `actual` unless given. */
  readonly actualLabel?: string;
  /** Unchanged lines shown around each change; 3 unless given. */
  readonly context?: number;
}

type Edit = { readonly kind: " " | "-" | "+"; readonly line: string };

/**
 * Returns a unified diff that turns `expected` into `actual`, or `""` when they are equal.
 *
 * A text that does not end in a newline gets GNU diff's `\ No newline at end of file` marker
 * after its last line. Runs in time and memory proportional to the product of the two line
 * counts after the common head and tail are removed.
 */
export function unifiedDiff(expected: string, actual: string, options: DiffOptions = {}): string {
  if (expected === actual) return "";
  const edits = diffLines(splitLines(expected), splitLines(actual));
  const hunks = formatHunks(edits, options.context ?? 3);
  const header = `--- ${options.expectedLabel ?? "expected"}\n+++ ${options.actualLabel ?? "actual"}\n`;
  return header + hunks;
}

/** Splits text into lines, marking a last line that lacks its newline. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") {
    lines.pop();
  } else {
    lines[lines.length - 1] += "\n\\ No newline at end of file";
  }
  return lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }

  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  return [
    ...a.slice(0, head).map((line): Edit => ({ kind: " ", line })),
    ...diffMiddle(middleA, middleB),
    ...a.slice(a.length - tail).map((line): Edit => ({ kind: " ", line })),
  ];
}

/** Aligns two line lists by a longest common subsequence, computed by dynamic programming. */
function diffMiddle(a: readonly string[], b: readonly string[]): Edit[] {
  const width = b.length + 1;
  // lcs[i * width + j] is the LCS length of a[i..] and b[j..].
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }

  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ kind: " ", line: a[i++] ?? "" });
      j++;
    } else if (
      j >= b.length ||
      (i < a.length && (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))
    ) {
      edits.push({ kind: "-", line: a[i++] ?? "" });
    } else {
      edits.push({ kind: "+", line: b[j++] ?? "" });
    }
  }
  return edits;
}

function formatHunks(edits: readonly Edit[], context: number): string {
  const changed = edits.flatMap((edit, index) => (edit.kind === " " ? [] : [index]));
  let output = "";
  let cursor = 0;

  while (cursor < changed.length) {
    // Grow the hunk while the next change is close enough for the contexts to touch.
    const first = changed[cursor] ?? 0;
    let last = first;
    while (cursor + 1 < changed.length && (changed[cursor + 1] ?? 0) - last <= 2 * context + 1) {
      last = changed[++cursor] ?? last;
    }
    cursor++;

    const start = Math.max(0, first - context);
    const end = Math.min(edits.length, last + context + 1);
    output += formatHunk(edits, start, end);
  }
  return output;
}

function formatHunk(edits: readonly Edit[], start: number, end: number): string {
  const before = edits.slice(0, start);
  const lineA = before.filter((edit) => edit.kind !== "+").length;
  const lineB = before.filter((edit) => edit.kind !== "-").length;
  const body = edits.slice(start, end);
  const countA = body.filter((edit) => edit.kind !== "+").length;
  const countB = body.filter((edit) => edit.kind !== "-").length;
  const lines = body.map((edit) => `${edit.kind}${edit.line}\n`).join("");
  return `@@ -${range(lineA, countA)} +${range(lineB, countB)} @@\n${lines}`;
}

/** Formats a hunk range; an empty range names the line before it, as GNU diff does. */
function range(linesBefore: number, count: number): string {
  const start = count === 0 ? linesBefore : linesBefore + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}
