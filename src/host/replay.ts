/// <reference types="node" />
/**
 * Replays a hoptrace script on the real Linux kernel and returns the transcript the real tools
 * print, in the same format as hoptrace's own transcripts.
 *
 * Source of truth: the running kernel and the tools installed on this machine, reached through
 * the throwaway sandbox of `sandbox.ts`. Node-only.
 */
import { SandboxError, type SandboxOptions, canUseSandbox, runInSandbox } from "./sandbox.js";

/**
 * Runs `script` in a throwaway kernel sandbox and returns its transcript: `$ CMD`, the output,
 * and `[exit N]` when N is not 0, for each command.
 *
 * @throws SandboxError when this machine cannot run the sandbox (the message gives the reason
 * from {@link canUseSandbox}), when the sandbox fails, or when the script outruns
 * `options.timeoutMs`; the timeout message ends with the partial transcript.
 */
export async function replay(script: string, options: SandboxOptions = {}): Promise<string> {
  const check = canUseSandbox();
  if (!check.ok) throw new SandboxError(`cannot replay on the real kernel: ${check.reason}`);

  const result = await runInSandbox(script, options);
  if (result.timedOut) {
    const last = result.commands.at(-1)?.command ?? "(no command started)";
    throw new SandboxError(
      `script timed out after ${Math.round(result.elapsedMs)} ms while running "${last}"; ` +
        `transcript so far:\n${result.transcript}`,
    );
  }
  return result.transcript;
}
