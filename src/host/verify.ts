/// <reference types="node" />
/**
 * Runs one script both on the real kernel and through a simulator, and reports where the two
 * transcripts agree.
 *
 * Source of truth: the real kernel, reached through `replay.ts`; the comparison masks only the
 * volatile fields listed in `normalize.ts`. Node-only.
 */
import { compareTranscripts } from "../script/compare.js";
import { replay } from "./replay.js";
import type { SandboxOptions } from "./sandbox.js";

/** The outcome of {@link verify}. */
export interface VerifyResult {
  /** Whether the normalised transcripts are identical. */
  readonly agree: boolean;
  /** Unified diff from the kernel's normalised transcript to the simulator's; `""` on agreement. */
  readonly diff: string;
  /** Number of commands in the kernel's transcript. */
  readonly commands: number;
  /** Number of commands whose normalised output and exit line agree, at the same position. */
  readonly agreeing: number;
}

/**
 * Runs `script` on the real kernel and through `simulate`, normalises both transcripts and
 * compares them command by command.
 *
 * The kernel run and the simulation start together. `options` applies to the kernel run.
 *
 * @throws SandboxError when the kernel side cannot run or times out (see {@link replay}); an
 * error thrown by `simulate` propagates unchanged.
 */
export async function verify(
  script: string,
  simulate: (script: string) => string | Promise<string>,
  options: SandboxOptions = {},
): Promise<VerifyResult> {
  const [kernel, simulated] = await Promise.all([
    replay(script, options),
    Promise.resolve().then(() => simulate(script)),
  ]);
  const { agree, diff, commands, agreeing } = compareTranscripts(kernel, simulated);
  return { agree, diff, commands, agreeing };
}
