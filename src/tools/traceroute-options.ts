/**
 * The command line of traceroute 2.1.2 (Dmitry Butskoy's, as Debian 12 ships it), parsed the way
 * its CLIF library does: short options may be clustered (`-nI`) or take their value joined
 * (`-q1`), long options take `=VALUE` or the next word, and the host and packet length may come
 * anywhere among the options. Every message and exit status below was recorded with that
 * version; checks run in the order of its `main`.
 */
import { UsageError, Unsupported } from "../errors.js";
import { parseIp4Strict } from "../addr/ip4.js";
import { rejectIp6 } from "../addr/ip6.js";

/** The parsed command line of one traceroute run. */
export interface TracerouteOptions {
  /** The host as typed, which the header repeats. */
  target: string;
  dst: number;
  /** `-I`: ICMP echo probes instead of UDP. */
  isIcmp: boolean;
  /** `-U` (the udp method): every UDP probe goes to one port, 53 unless `-p` gives another. */
  isFixedUdp: boolean;
  /** `-T` (the tcp method): TCP SYN probes to port 80 unless `-p` gives another. */
  isTcp: boolean;
  /** `-n`: print addresses only, without trying reverse lookups. */
  isNumeric: boolean;
  firstHop: number;
  maxHops: number;
  /** `-q`: probes per hop. */
  perHop: number;
  /** `-N`: probes in flight at once. */
  simProbes: number;
  /** `-w MAX`: the longest wait for a probe, in ms. */
  waitMs: number;
  /** `-w ,HERE`: a probe waits at most this many times the round trip of its hop's answer. */
  hereFactor: number;
  /** `-w ,,NEAR`: or this many times the round trip of a later hop's answer. */
  nearFactor: number;
  /** `-z`: the least time between two probes, in ms. */
  sendWaitMs: number;
  /** `-p`: the first UDP port, or the first ICMP sequence number; 0 means the default. */
  port: number;
  /** The probe's IP payload after the 8-byte UDP or ICMP header. */
  dataLen: number;
  /** The header's "N byte packets": the IP and transport headers plus the data. */
  packetLen: number;
}

/** The result of parsing: options to run with, or the help text for an empty command line. */
export type ParsedCommandLine = { kind: "run"; options: TracerouteOptions } | { kind: "usage" };

const MAX_HOPS = 255;
const MAX_PROBES = 10;
const MAX_PACKET_LEN = 65000;
/** IPv4 header plus the UDP or ICMP header, which have the same size. */
const HEADER_LEN = 28;
/** traceroute's `DEF_DATA_LEN`: everything after the IP header by default. */
const DEFAULT_DATA_LEN = 40;

/** An option that takes a value: its long name, the value's name in messages, and its setter. */
interface ValueOption {
  long: string;
  argName: string;
  apply: (options: TracerouteOptions, value: string) => boolean;
}

/** Options whose value is an unsigned integer (`CLIF_set_uint`). */
function uintOption(long: string, argName: string, key: UintKey): ValueOption {
  return {
    long,
    argName,
    apply: (options, value) => {
      const number = parseUint(value);
      if (number === undefined) return false;
      options[key] = number;
      return true;
    },
  };
}

type UintKey = "firstHop" | "maxHops" | "perHop" | "simProbes" | "port";

const VALUE_OPTIONS: Record<string, ValueOption> = {
  f: uintOption("first", "first_ttl", "firstHop"),
  m: uintOption("max-hops", "max_ttl", "maxHops"),
  q: uintOption("queries", "nqueries", "perHop"),
  N: uintOption("sim-queries", "squeries", "simProbes"),
  p: uintOption("port", "port", "port"),
  w: { long: "wait", argName: "MAX,HERE,NEAR", apply: applyWait },
  z: { long: "sendwait", argName: "sendwait", apply: applySendWait },
};

const FLAG_OPTIONS: Record<string, { long?: string; apply: (options: TracerouteOptions) => void }> =
  {
    n: { apply: (options) => (options.isNumeric = true) },
    I: { long: "icmp", apply: (options) => (options.isIcmp = true) },
    U: { long: "udp", apply: (options) => (options.isFixedUdp = true) },
    T: { long: "tcp", apply: (options) => (options.isTcp = true) },
    "4": { apply: () => undefined },
  };

/** Valid traceroute options that hoptrace does not model, flags and valued ones alike. */
const UNMODELLED_FLAGS = "6dFreADV";
const UNMODELLED_VALUES = "gitlsMOP";
const UNMODELLED_LONG = [
  "debug",
  "dont-fragment",
  "gateway",
  "interface",
  "tos",
  "flowlabel",
  "source",
  "extensions",
  "as-path-lookups",
  "module",
  "options",
  "sport",
  "fwmark",
  "dccp",
  "protocol",
  "mtu",
  "back",
  "version",
  "help",
];

/** Parses `strtoul(value, &end, 0)` that must use the whole word; wraps as C's unsigned does. */
function parseUint(value: string): number | undefined {
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(value);
  if (match === null) return undefined;
  const digits = match[2]!;
  const magnitude = /^0[xX]/.test(digits)
    ? parseInt(digits.slice(2), 16)
    : digits.startsWith("0")
      ? parseInt(digits, 8)
      : Number(digits);
  return (match[1] === "-" ? -magnitude : magnitude) >>> 0;
}

/** `set_wait_specs`: `MAX[,HERE[,NEAR]]`; any `-w` turns the factors it leaves out to 0. */
function applyWait(options: TracerouteOptions, value: string): boolean {
  const parts = value.split(",");
  if (parts.length > 3) return false;
  const numbers = parts.map(parseDouble);
  if (numbers.some((number) => number === undefined)) return false;
  options.waitMs = numbers[0]! * 1000;
  options.hereFactor = numbers[1] ?? 0;
  options.nearFactor = numbers[2] ?? 0;
  return true;
}

/** `-z`: seconds, or milliseconds when 10 or more (checked and scaled in `validate`). */
function applySendWait(options: TracerouteOptions, value: string): boolean {
  const number = parseDouble(value);
  if (number === undefined) return false;
  options.sendWaitMs = number;
  return true;
}

function parseDouble(text: string): number | undefined {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Resolves the host as getaddrinfo does for the names the model has: numbers and localhost. */
function resolveHost(host: string): number | undefined {
  if (host === "localhost") return 0x7f000001;
  if (/^\d+$/.test(host)) return Number(host) >>> 0;
  rejectIp6(host);
  return parseIp4Strict(host);
}

function defaults(): TracerouteOptions {
  return {
    target: "",
    dst: 0,
    isIcmp: false,
    isFixedUdp: false,
    isTcp: false,
    isNumeric: false,
    firstHop: 1,
    maxHops: 30,
    perHop: 3,
    simProbes: 16,
    waitMs: 5000,
    hereFactor: 3,
    nearFactor: 10,
    sendWaitMs: 0,
    port: 0,
    dataLen: DEFAULT_DATA_LEN - 8,
    packetLen: -1,
  };
}

/** Parses traceroute's arguments, or throws the error traceroute prints with exit status 2. */
export function parseTracerouteArgs(args: string[]): ParsedCommandLine {
  if (args.length === 0) return { kind: "usage" };
  const options = defaults();
  const positionals: { value: string; argc: number }[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const argc = i + 1;
    if (arg.startsWith("--") && arg.length > 2) {
      i = parseLong(options, args, i);
    } else if (arg.startsWith("-") && arg.length > 1) {
      i = parseCluster(options, args, i);
    } else {
      positionals.push({ value: arg, argc });
    }
  }
  applyPositionals(options, positionals);
  validate(options);
  return { kind: "run", options };
}

/** Parses one word of short options starting at `args[index]`; returns the last index used. */
function parseCluster(options: TracerouteOptions, args: string[], index: number): number {
  const arg = args[index]!;
  for (let j = 1; j < arg.length; j++) {
    const letter = arg[j]!;
    const flag = FLAG_OPTIONS[letter];
    if (flag !== undefined) {
      flag.apply(options);
      continue;
    }
    if (UNMODELLED_FLAGS.includes(letter) || UNMODELLED_VALUES.includes(letter)) {
      throw new Unsupported(`traceroute -${letter}`);
    }
    const valued = VALUE_OPTIONS[letter];
    if (valued === undefined) throw usage(`Bad option \`-${letter}' (argc ${index + 1})`);
    const joined = arg.slice(j + 1);
    if (joined !== "") {
      setValue(options, `-${letter}`, valued, joined, index + 1);
      return index;
    }
    if (index + 1 >= args.length) {
      throw usage(
        `Option \`-${letter}' (argc ${index + 1}) requires an argument: \`-${letter} ${valued.argName}'`,
      );
    }
    setValue(options, `-${letter}`, valued, args[index + 1]!, index + 2);
    return index + 1;
  }
  return index;
}

/** Parses one `--name[=value]` option at `args[index]`; returns the last index used. */
function parseLong(options: TracerouteOptions, args: string[], index: number): number {
  const arg = args[index]!;
  const eq = arg.indexOf("=");
  const name = arg.slice(2, eq < 0 ? undefined : eq);
  const flag = Object.values(FLAG_OPTIONS).find((candidate) => candidate.long === name);
  if (flag !== undefined && eq < 0) {
    flag.apply(options);
    return index;
  }
  if (UNMODELLED_LONG.includes(name)) throw new Unsupported(`traceroute --${name}`);
  const valued = Object.values(VALUE_OPTIONS).find((candidate) => candidate.long === name);
  if (valued === undefined) throw usage(`Bad option \`${arg}' (argc ${index + 1})`);
  if (eq >= 0) {
    setValue(options, `--${name}`, valued, arg.slice(eq + 1), index + 1);
    return index;
  }
  if (index + 1 >= args.length) {
    throw usage(
      `Option \`--${name}' (argc ${index + 1}) requires an argument: \`--${name}=${valued.argName}'`,
    );
  }
  setValue(options, `--${name}`, valued, args[index + 1]!, index + 2);
  return index + 1;
}

function setValue(
  options: TracerouteOptions,
  spelled: string,
  option: ValueOption,
  value: string,
  argc: number,
): void {
  if (!option.apply(options, value)) {
    throw usage(`Cannot handle \`${spelled}' option with arg \`${value}' (argc ${argc})`);
  }
}

/** `set_host` and the packet length argument, in the order CLIF met them. */
function applyPositionals(
  options: TracerouteOptions,
  positionals: { value: string; argc: number }[],
): void {
  positionals.forEach(({ value, argc }, index) => {
    const position = index + 1;
    if (position === 1) {
      const dst = resolveHost(value);
      if (dst === undefined) {
        throw usage(
          `${value}: Temporary failure in name resolution\nCannot handle "host" cmdline arg \`${value}' on position 1 (argc ${argc})`,
        );
      }
      options.target = value;
      options.dst = dst;
    } else if (position === 2) {
      const length = /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
      if (length === undefined) {
        throw usage(
          `Cannot handle "packetlen" cmdline arg \`${value}' on position 2 (argc ${argc})`,
        );
      }
      options.packetLen = length;
    } else {
      throw usage(`Extra arg \`${value}' (position ${position}, argc ${argc})`);
    }
  });
  if (positionals.length === 0) throw usage(`Specify "host" missing argument.`);
}

/** The range checks of traceroute's `main`, then the probe size. */
function validate(options: TracerouteOptions): void {
  if (options.firstHop === 0 || options.firstHop > options.maxHops) {
    throw usage("first hop out of range");
  }
  if (options.maxHops > MAX_HOPS) throw usage(`max hops cannot be more than ${MAX_HOPS}`);
  if (options.perHop === 0 || options.perHop > MAX_PROBES) {
    throw usage(`no more than ${MAX_PROBES} probes per hop`);
  }
  const { waitMs, hereFactor, nearFactor } = options;
  if (waitMs < 0 || hereFactor < 0 || nearFactor < 0) {
    throw usage(`bad wait specifications \`${waitMs / 1000},${hereFactor},${nearFactor}' used`);
  }
  if (options.packetLen > MAX_PACKET_LEN) {
    throw usage(`too big packetlen ${options.packetLen} specified`);
  }
  // Until here sendWaitMs holds the number as typed.
  const sendWait = options.sendWaitMs;
  if (sendWait < 0) throw usage(`bad sendtime \`${sendWait}' specified`);
  options.sendWaitMs = sendWait >= 10 ? sendWait : sendWait * 1000;
  // A length below the headers keeps the data empty, and the header then shows 28 bytes.
  if (options.packetLen >= 0) options.dataLen = Math.max(options.packetLen - HEADER_LEN, 0);
  options.packetLen = HEADER_LEN + options.dataLen;
}

function usage(message: string): UsageError {
  return new UsageError(message, 2);
}
