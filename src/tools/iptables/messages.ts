/**
 * The messages iptables 1.8.9 (nf_tables) prints for command lines it rejects before asking the
 * kernel, verbatim with their quirks.
 *
 * Source of truth: transcripts recorded with iptables 1.8.9 on Linux 6.18, and the shape of
 * `xtables_error` in libxtables/xtables.c: a parameter problem prints `iptables v1.8.9
 * (nf_tables): TEXT`, then the "Try" line, and exits 2. Several extension messages end in a
 * newline of their own, which leaves an empty line before "Try"; those texts keep the `\n`.
 */
import { UsageError } from "../../errors.js";
import { IPTABLES_VERSION } from "../../netfilter/nft-error.js";

/** The hint iptables prints after a parameter problem. */
export const TRY_LINE = "Try `iptables -h' or 'iptables --help' for more information.";

/**
 * A command line iptables rejects. `detail` is the text after the version prefix; `isBare`
 * drops the prefix (as for "Bad argument"), `hasTryLine` adds the hint.
 */
export class XtablesError extends UsageError {
  constructor(
    readonly detail: string,
    exitCode = 2,
    readonly hasTryLine = true,
    readonly isBare = false,
  ) {
    const text = isBare ? detail : `${IPTABLES_VERSION}: ${detail}`;
    super(hasTryLine ? `${text}\n${TRY_LINE}` : text, exitCode);
  }
}

/** Returns iptables' parameter problem with `detail` (exit 2, with the "Try" line). */
export function parameterProblem(detail: string): XtablesError {
  return new XtablesError(detail);
}

/** Returns the error for a word that is neither an option nor an option's value. */
export function badArgument(word: string): XtablesError {
  return new XtablesError(`Bad argument \`${word}'`, 2, true, true);
}

/** Returns the error for an extension option given twice (the message ends in a newline). */
export function usedOnce(extension: string, option: string): XtablesError {
  return parameterProblem(`${extension}: option "--${option}" can only be used once.\n`);
}

/** Returns the error for an extension whose mandatory option is missing. */
export function mustBeSpecified(extension: string, option: string): XtablesError {
  return parameterProblem(`${extension}: option "--${option}" must be specified\n`);
}

/** The nat table refuses DROP, as a rule target and as a policy. */
export const NAT_DROP =
  '\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n';

/** Returns the error for `-L`/`-S` of a chain that does not exist. */
export function incompatibleChain(chain: string, table: string): XtablesError {
  return new XtablesError(
    `chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.`,
    1,
    false,
  );
}

/** Returns the error for `-t` naming a table the kernel does not know. */
export function noSuchTable(table: string): XtablesError {
  return new XtablesError(
    `table '${table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`,
    3,
    false,
  );
}
