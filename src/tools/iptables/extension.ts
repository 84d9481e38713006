/**
 * The interface every iptables extension parser implements: the long options it adds to the
 * command line, how it takes each one, and the check it runs when the line is complete.
 *
 * Source of truth: libxtables's extension model (xtables.h, `struct xtables_match` and
 * `struct xtables_target`): loading an extension merges its options into getopt's table, each
 * option is handed to the extension that owns it, and a final check runs after parsing.
 */

/** What an extension may need to know about the rest of the rule. */
export interface ParseContext {
  /** The `-p` given so far. */
  proto?: { number: number; isInverted: boolean };
}

/** A loaded extension's option parser; `finish` returns the match or target it built. */
export interface ExtensionParser<Result> {
  /** The name iptables uses in its messages, such as `conntrack` or `DNAT`. */
  readonly name: string;
  /**
   * Long option names (without `--`), each with whether it takes a value: `true` for one, 2 for
   * an option that reads the next word as a second value (`--tcp-flags MASK COMP`).
   */
  readonly options: Readonly<Record<string, boolean | 2>>;
  /**
   * Handles one option; `value` is "" for options without a value, and `second` is the second
   * value of an option that takes two.
   */
  parse(
    option: string,
    value: string,
    isInverted: boolean,
    context: ParseContext,
    second?: string,
  ): void;
  /** Checks the options together and returns the result. */
  finish(context: ParseContext): Result;
}

/** Returns the protocol number when `-p` was given without `!`, else undefined. */
export function plainProto(context: ParseContext): number | undefined {
  return context.proto?.isInverted === false ? context.proto.number : undefined;
}
