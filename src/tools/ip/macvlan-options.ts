/**
 * The options after `ip link add ... type macvlan`, read as iproute2 6.1 reads them
 * (`macvlan_parse_opt` in ip/iplink_macvlan.c). iproute2 reads every word before it checks the
 * flags against the mode, so a bad word anywhere gets its own error first, and the model only
 * rejects what it does not cover once the whole command line is valid.
 */
import { UsageError, Unsupported, rtnetlinkError } from "../../errors.js";
import type { Link, MacvlanMode } from "../../netns/state.js";
import { Args, matches, parseLladdrBytes, readU32 } from "./args.js";

/** The usage iproute2 6.1 prints for `help` and after an invalid macvlan option (`explain`). */
const MACVLAN_USAGE = [
  "Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]",
  "",
  "MODE: private | vepa | bridge | passthru | source",
  "MODE_FLAG: null | nopromisc | nodst",
  'MODE_OPTS: for mode "source":',
  "\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }",
  "BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]",
].join("\n");

/** The modes `ip link add ... type macvlan mode MODE` accepts, in iproute2's error text order. */
const MACVLAN_MODES = ["private", "vepa", "bridge", "passthru", "source"] as const;

type ParsedMode = (typeof MACVLAN_MODES)[number];

/** The macvlan options of one command line, as iproute2 would send them. */
interface ParsedOptions {
  mode?: ParsedMode;
  /** The `flag` words and bare `nopromisc`/`nodst`, `null` included. */
  flags: string[];
  /** The first option the model does not cover, for the not-supported message. */
  unmodelled?: string;
}

/**
 * Reads the options after `type macvlan` and returns the mode, or undefined for the kernel's
 * default (vepa). Of the options only `mode` and `flag null` are modelled, and of the modes
 * neither passthru nor source. passthru is rejected with EINVAL where the lower link already has
 * a macvlan, as `macvlan_common_newlink` does.
 */
export function parseMacvlanOptions(args: Args, lower: Link | undefined): MacvlanMode | undefined {
  const parsed = readOptions(args);
  const { mode, flags } = parsed;
  if (flags.includes("nopromisc") && mode !== "passthru") {
    throw new UsageError(`macvlan: nopromisc flag only valid in passthru mode\n${MACVLAN_USAGE}`);
  }
  if (mode === "passthru" && (lower?.macvlans ?? []).length > 0) throw rtnetlinkError("EINVAL");
  if (mode === "passthru" || mode === "source") throw new Unsupported(`macvlan mode ${mode}`);
  const flag = flags.find((word) => word !== "null");
  if (flag !== undefined) throw new Unsupported(`ip link add ... type macvlan flag ${flag}`);
  if (parsed.unmodelled !== undefined) {
    throw new Unsupported(`ip link add ... type macvlan ${parsed.unmodelled}`);
  }
  return mode;
}

/** Reads every option word, throwing iproute2's error for the first invalid one. */
function readOptions(args: Args): ParsedOptions {
  const parsed: ParsedOptions = { flags: [] };
  while (args.hasMore) {
    const word = args.next()!;
    if (matches(word, "mode")) parsed.mode = readMode(args.value(word));
    else if (matches(word, "flag")) parsed.flags.push(readFlag(args.value(word)));
    else if (matches(word, "macaddr")) {
      readMacaddr(args, args.value(word));
      parsed.unmodelled ??= "macaddr";
    } else if (matches(word, "nopromisc")) parsed.flags.push("nopromisc");
    else if (matches(word, "nodst")) parsed.flags.push("nodst");
    else if (matches(word, "bcqueuelen")) {
      const value = args.value(word);
      if (readU32(value) === undefined) {
        throw new UsageError(
          `Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${value}"`,
        );
      }
      parsed.unmodelled ??= "bcqueuelen";
    } else if (matches(word, "help")) throw new UsageError(MACVLAN_USAGE);
    else throw new UsageError(`macvlan: unknown option "${word}"?\n${MACVLAN_USAGE}`);
  }
  return parsed;
}

function readMode(value: string): ParsedMode {
  const known = MACVLAN_MODES.find((candidate) => value === candidate);
  if (known !== undefined) return known;
  throw new UsageError(
    `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${value}"`,
  );
}

function readFlag(value: string): string {
  if (value === "nopromisc" || value === "nodst" || value === "null") return value;
  throw new UsageError(
    `Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${value}"`,
  );
}

/**
 * Reads `macaddr add|del MAC` or `macaddr flush`. `macaddr set` is not modelled, because
 * iproute2 reads the words after it as MACs until one fails, and prints an error for that one.
 */
function readMacaddr(args: Args, action: string): void {
  if (action === "add" || action === "del") {
    const bytes = parseLladdrBytes(args.value("macaddr"), 6);
    // NOTE: iproute2 exits 1 without a message for a MAC of fewer than 6 bytes.
    if (bytes.length !== 6) throw new Unsupported(`macaddr ${action} with a short MAC`);
  } else if (action === "set") throw new Unsupported("ip link add ... type macvlan macaddr set");
  else if (action !== "flush") throw new UsageError(MACVLAN_USAGE);
}
