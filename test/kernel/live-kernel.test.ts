/// <reference types="node" />
// Replays every recorded kernel case on the live kernel and checks that it still prints the
// recorded transcript once the volatile fields are masked. A pass shows that the sandbox
// reproduces the recording procedure and that the normaliser masks every field that varies
// between runs; a failure shows either a gap in those or a kernel or tool that behaves
// differently from the recording.
import { afterAll, describe, expect, it } from "vitest";
import { compareTranscripts } from "../../src/script/compare.js";
import {
  type SandboxResult,
  canUseSandbox,
  findMissingTools,
  runInSandbox,
} from "../../src/host/sandbox.js";
import {
  describeMismatch,
  findMissingCasesFolder,
  listRecordedCases,
  readRecordedCase,
  skipUnlessCI,
} from "./recorded-case.js";

/** Tools that the recorded cases call, besides ip, bridge and the shell's own. */
const CASE_TOOLS = ["ping", "tcpdump", "iptables", "traceroute", "nc", "conntrack", "route"];
/**
 * Sandboxes running at once. The cases mostly wait for ping and ARP timeouts, so four share two
 * cores well: the 37 cases recorded so far took about 50 s this way on a 2-core machine, while
 * their run times add up to about 190 s.
 */
const CONCURRENT_SANDBOXES = 4;
/** Limit for one case; the slowest recorded case takes about 25 s. */
const CASE_TIMEOUT_MS = 90_000;

const skipReason = findSkipReason();
const cases = skipReason === undefined ? listRecordedCases() : [];
const runs = startRuns(cases);
const started = performance.now();
let reproducing = 0;

function findSkipReason(): string | undefined {
  const missingFolder = findMissingCasesFolder();
  if (missingFolder !== undefined) return missingFolder;
  const check = canUseSandbox();
  if (!check.ok) return `kernel sandbox unavailable: ${check.reason}`;
  const missing = findMissingTools(CASE_TOOLS);
  if (missing.length > 0) return `tools the cases need are not installed: ${missing.join(", ")}`;
  return undefined;
}

type Settled = { ok: true; result: SandboxResult } | { ok: false; error: unknown };

/**
 * Starts every case in a pool of {@link CONCURRENT_SANDBOXES} sandboxes and returns one promise
 * per case. The promises never reject, so a case that fails before its test awaits it does not
 * surface as an unhandled rejection.
 */
function startRuns(names: readonly string[]): Map<string, Promise<Settled>> {
  const resolvers = new Map<string, (settled: Settled) => void>();
  const runs = new Map<string, Promise<Settled>>();
  for (const name of names) {
    runs.set(name, new Promise((resolve) => resolvers.set(name, resolve)));
  }

  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const resolve = resolvers.get(name);
      try {
        const { script } = readRecordedCase(name);
        const result = await runInSandbox(script, { timeoutMs: CASE_TIMEOUT_MS });
        resolve?.({ ok: true, result });
      } catch (error) {
        resolve?.({ ok: false, error });
      }
    }
  };
  for (let i = 0; i < CONCURRENT_SANDBOXES; i++) void worker();
  return runs;
}

describe("live kernel", () => {
  afterAll(() => {
    if (skipReason !== undefined) return;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${reproducing}/${cases.length} recorded kernel cases reproduce on the live kernel ` +
        `(${seconds} s, ${CONCURRENT_SANDBOXES} sandboxes at a time)`,
    );
  });

  it("has recorded cases to replay", ({ skip }) => {
    if (skipReason !== undefined) skipUnlessCI(skip, skipReason);

    expect(cases.length).toBeGreaterThan(0);
  });

  it.for(cases)("%s reproduces the recording", { timeout: 10 * CASE_TIMEOUT_MS }, async (name) => {
    const settled = await runs.get(name);
    if (settled === undefined || !settled.ok) throw settled?.error ?? new Error("not started");
    const { result } = settled;

    const recorded = readRecordedCase(name);
    let comparison = compareTranscripts(recorded.transcript, result.transcript, {
      actual: "live kernel",
    });
    expect(result.timedOut, `${name} outran ${CASE_TIMEOUT_MS} ms`).toBe(false);

    // Some probes race a kernel timer (ARP gives up after 3 s while ping sends its 4th probe at
    // 3 s), so a loaded machine can tip one the other way. One quiet rerun tells a race from a
    // real difference.
    if (!comparison.agree) {
      console.warn(`${name}: differs from the recording, running it once more`);
      const rerun = await runInSandbox(recorded.script, { timeoutMs: CASE_TIMEOUT_MS });
      comparison = compareTranscripts(recorded.transcript, rerun.transcript, {
        actual: "live kernel",
      });
    }
    if (comparison.agree) reproducing++;
    expect(comparison.agree, describeMismatch(name, comparison, "live kernel")).toBe(true);
  });
});
