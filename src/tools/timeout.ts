/**
 * `timeout DURATION COMMAND...` (GNU coreutils) in the foreground: the command runs with a
 * deadline, and a command that blocks until then stops there and exits 124.
 *
 * Only commands that honour `ctx.deadline` may run under it, because another command would
 * run to its own end and print what the killed program never printed.
 */
import { Unsupported, UsageError } from "../errors.js";
import type { ToolContext } from "./context.js";

/** Commands that stop at `ctx.deadline` and then return `timeout`'s status themselves. */
const DEADLINE_AWARE = ["tcpdump"];

/** Parses a coreutils duration (`2`, `0.5`, `1m`) into milliseconds. */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  if (match === null) return undefined;
  const unit = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]!]!;
  return Math.round(Number(match[1]) * unit);
}

/**
 * Runs `timeout ARGS` through `run`, which runs the command's argv in the same context.
 */
export function timeout(
  ctx: ToolContext,
  args: string[],
  run: (ctx: ToolContext, argv: string[]) => number,
): number {
  const [duration, ...command] = args;
  if (duration?.startsWith("-") === true) throw new Unsupported(`timeout option ${duration}`);
  // coreutils prints only the hint when an operand is missing (usage with a failure status).
  if (duration === undefined || command.length === 0) {
    throw new UsageError("Try 'timeout --help' for more information.", 125);
  }
  const ms = parseDuration(duration);
  if (ms === undefined) {
    // coreutils quotes the value with U+2018 and U+2019 in a UTF-8 locale (seen with LANG=C.UTF-8).
    throw new UsageError(
      `timeout: invalid time interval \u2018${duration}\u2019\nTry 'timeout --help' for more information.`,
      125,
    );
  }
  const program = command[0]!;
  if (!DEADLINE_AWARE.includes(program)) throw new Unsupported(`timeout with ${program}`);
  // A duration of 0 disables the timeout (timeout(1)).
  if (ms === 0) return run(ctx, command);
  const deadline = ctx.state.clock + ms;
  const inner = { ...ctx, deadline: Math.min(deadline, ctx.deadline ?? deadline) };
  return run(inner, command);
}
