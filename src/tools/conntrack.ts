/**
 * `conntrack` (conntrack-tools 1.4.7): list (`-L`), count (`-C`), delete (`-D`) and flush (`-F`)
 * the connection tracking table of the namespace it runs in.
 *
 * conntrack writes the entries to stdout and its summary line to stderr. When both streams share
 * one pipe, as in the recorded transcripts, the summary comes first because stdout is flushed
 * only at exit. This tool prints them in that order when the streams are not separated.
 * Messages and exit statuses were recorded with conntrack-tools 1.4.7 on Linux 6.18: a bad
 * option exits 2, deleting nothing exits 1.
 */
import { UsageError, Unsupported } from "../errors.js";
import { STATE_ORDER } from "../netfilter/conntrack.js";
import type { CtView } from "./conntrack-view.js";
import { conntrackViews, formatConntrackLine, liveEntries, viewOfEntry } from "./conntrack-view.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";

/** The text of `/proc/net/nf_conntrack`, for the shell's `cat`. */
export { procNfConntrack } from "./conntrack-view.js";

const PREFIX = "conntrack v1.4.7 (conntrack-tools): ";
const TRY_HELP = "Try `conntrack -h' or 'conntrack --help' for more information.";

/** The usage text that `conntrack` without a command prints to stdout, with exit status 0. */
const USAGE = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address
`;

type Command = "list" | "count" | "delete" | "flush";

const COMMANDS: Record<string, Command> = {
  "-L": "list",
  "--dump": "list",
  "-C": "count",
  "--count": "count",
  "-D": "delete",
  "--delete": "delete",
  "-F": "flush",
  "--flush": "flush",
};

/** Commands conntrack has that the model does not implement. */
const UNMODELLED_COMMANDS = ["-G", "--get", "-I", "--create", "-U", "--update", "-E", "--event"];

/**
 * Address options: the name conntrack prints for them in "Illegal option" (`--src` for every
 * spelling of the original source, as recorded), and the tuple field they test.
 */
const ADDRESS_OPTIONS: Record<string, { long: string; field: AddressField }> = {
  "-s": { long: "--src", field: "origSrc" },
  "--src": { long: "--src", field: "origSrc" },
  "--orig-src": { long: "--src", field: "origSrc" },
  "-d": { long: "--dst", field: "origDst" },
  "--dst": { long: "--dst", field: "origDst" },
  "--orig-dst": { long: "--dst", field: "origDst" },
  "-r": { long: "--reply-src", field: "replySrc" },
  "--reply-src": { long: "--reply-src", field: "replySrc" },
  "-q": { long: "--reply-dst", field: "replyDst" },
  "--reply-dst": { long: "--reply-dst", field: "replyDst" },
};

/** Port options, which exist only after `-p tcp` or `-p udp` loaded that protocol's options. */
const PORT_OPTIONS: Record<string, PortField> = {
  "--sport": "origSrcPort",
  "--orig-port-src": "origSrcPort",
  "--dport": "origDstPort",
  "--orig-port-dst": "origDstPort",
  "--reply-port-src": "replySrcPort",
  "--reply-port-dst": "replyDstPort",
};

/**
 * Options that `-p PROTO` loads (conntrack's protocol extensions): TCP state, ICMP type, code
 * and id, and the SCTP and GRE fields; the model filters on none of them.
 */
const PROTOCOL_OPTIONS = [
  "--state",
  "--icmp-type",
  "--icmp-code",
  "--icmp-id",
  "--orig-vtag",
  "--reply-vtag",
  "--srckey",
  "--dstkey",
];

/** Reports whether `arg` is a strict prefix of one of conntrack's long options. */
function isAbbreviation(arg: string): boolean {
  const longs = [
    ...Object.keys(COMMANDS),
    ...UNMODELLED_COMMANDS,
    ...Object.keys(ADDRESS_OPTIONS),
    ...Object.keys(PORT_OPTIONS),
    ...UNMODELLED_OPTIONS,
    ...PROTOCOL_OPTIONS,
    "--protonum",
    "--family",
    "--src-nat",
    "--dst-nat",
  ].filter((name) => name.startsWith("--"));
  return longs.some((name) => name !== arg && name.startsWith(arg));
}

/** Options conntrack has that the model does not implement. */
const UNMODELLED_OPTIONS = [
  "-j",
  "--any-nat",
  "-m",
  "--mark",
  "-c",
  "--secmark",
  "-e",
  "--event-mask",
  "-z",
  "--zero",
  "-o",
  "--output",
  "-l",
  "--label",
  "-t",
  "--timeout",
  "-u",
  "--status",
  "-w",
  "--zone",
  "--orig-zone",
  "--reply-zone",
  "-b",
  "--buffer-size",
  "--mask-src",
  "--mask-dst",
  "--tuple-src",
  "--tuple-dst",
  "--label-add",
  "--label-del",
];

type AddressField = "origSrc" | "origDst" | "replySrc" | "replyDst";
type PortField = "origSrcPort" | "origDstPort" | "replySrcPort" | "replyDstPort";

/** The selection `-L` and `-D` apply; every field that is set must match. */
interface CtFilter {
  protocolNumber?: number;
  family?: "ipv4" | "ipv6";
  addresses: Partial<Record<AddressField, number>>;
  ports: Partial<Record<PortField, number>>;
  /** `--state` after `-p tcp`: the TCP state name an entry must have. */
  tcpState?: string;
}

/**
 * The TCP state names `--state` accepts, compared case-sensitively (conntrack-tools 1.4.7,
 * extensions/libct_proto_tcp.c). LISTEN (the kernel's SYN_SENT2) fails as not supported instead,
 * because the name the model prints for that state was not recorded.
 */
const TCP_STATE_NAMES: readonly string[] = STATE_ORDER.filter((state) => state !== "SYN_SENT2");

/** The formats `-o` accepts; the model prints only `extended`. */
const OUTPUT_FORMATS = ["xml", "extended", "timestamp", "id", "ktimestamp", "labels", "userspace"];

/** Protocols conntrack accepts by name after `-p`, with their numbers. */
const PROTOCOLS: Record<string, number> = {
  icmp: 1,
  tcp: 6,
  udp: 17,
  dccp: 33,
  gre: 47,
  sctp: 132,
  udplite: 136,
  icmpv6: 58,
};

/** Runs `conntrack ARGS`. */
export function conntrack(ctx: ToolContext, args: string[]): number {
  const parsed = parseArgs(args);
  if (parsed === undefined) {
    ctx.out.push(...USAGE.split("\n"));
    return 0;
  }
  const { command, filter, isExtended } = parsed;
  const ns = currentNs(ctx);
  const views = conntrackViews(ctx.state, ns.id);
  switch (command) {
    case "count":
      ctx.out.push(String(views.length));
      return 0;
    case "flush":
      ns.conntrack = [];
      errLines(ctx).push(`${PREFIX}connection tracking table has been emptied.`);
      return 0;
    case "list": {
      const shown = views.filter((view) => matches(view, filter));
      const summary = `${shown.length} flow entries have been shown.`;
      printSummaryAndEntries(ctx, summary, shown, isExtended ? "ipv4     2 " : "");
      return 0;
    }
    case "delete": {
      if (isExtended) throw new Unsupported("conntrack -D -o extended");
      const doomed = liveEntries(ctx.state, ns.id).filter((entry) =>
        matches(viewOfEntry(entry, ctx.state.clock), filter),
      );
      ns.conntrack = (ns.conntrack ?? []).filter((entry) => !doomed.includes(entry));
      const deleted = doomed.map((entry) => viewOfEntry(entry, ctx.state.clock));
      printSummaryAndEntries(ctx, `${deleted.length} flow entries have been deleted.`, deleted);
      return deleted.length === 0 ? 1 : 0;
    }
  }
}

/** Prints the summary line to stderr and each entry, after `prefix` (`-o extended`), to stdout. */
function printSummaryAndEntries(
  ctx: ToolContext,
  summary: string,
  views: CtView[],
  prefix = "",
): void {
  errLines(ctx).push(`${PREFIX}${summary}`);
  ctx.out.push(...views.map((view) => prefix + formatConntrackLine(view)));
}

function usageError(message: string): UsageError {
  return new UsageError(`${PREFIX}${message}\n${TRY_HELP}`, 2);
}

/**
 * Parses the command line; returns undefined when it names no command (conntrack prints its
 * usage then).
 */
function parseArgs(
  args: string[],
): { command: Command; filter: CtFilter; isExtended: boolean } | undefined {
  let command: Command | undefined;
  let isExtended = false;
  /** Long names of the filter options given, for "Illegal option" with -C and -F. */
  const given: string[] = [];
  const filter: CtFilter = { addresses: {}, ports: {} };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const takeValue = (): string => {
      const value = args[index + 1];
      if (value === undefined) throw usageError(`option \`${arg}' requires an argument`);
      index++;
      return value;
    };
    const next = COMMANDS[arg];
    if (next !== undefined) {
      if (command !== undefined) throw usageError("Invalid commands combination");
      command = next;
      // An optional table name may follow the command; only the conntrack table is modelled.
      const table = args[index + 1];
      if (table !== undefined && !table.startsWith("-")) {
        if (table === "expect" || table === "dying" || table === "unconfirmed") {
          throw new Unsupported(`conntrack table ${table}`);
        }
        if (table !== "conntrack") throw usageError(`unknown type \`${table}'`);
        index++;
      }
    } else if (UNMODELLED_COMMANDS.includes(arg) || arg === "-S" || arg === "--stats") {
      throw new Unsupported(`conntrack ${arg}`);
    } else if (arg === "-p" || arg === "--protonum") {
      filter.protocolNumber = parseProtocol(takeValue());
      given.push("--protonum");
    } else if (arg === "-f" || arg === "--family") {
      const family = takeValue();
      if (family !== "ipv4" && family !== "ipv6") throw new Unsupported(`conntrack -f ${family}`);
      filter.family = family;
      given.push("--family");
    } else if (arg === "-n" || arg === "--src-nat" || arg === "-g" || arg === "--dst-nat") {
      // conntrack 1.4.7 lists every entry for a bare -n or -g (recorded: the untranslated
      // entries are shown too), so the bare option filters nothing.
      const value = args[index + 1];
      if (value !== undefined && !value.startsWith("-")) {
        throw new Unsupported(`conntrack ${arg} with an address`);
      }
      given.push(arg.startsWith("-n") || arg === "--src-nat" ? "--src-nat" : "--dst-nat");
    } else if (ADDRESS_OPTIONS[arg] !== undefined) {
      const { long, field } = ADDRESS_OPTIONS[arg];
      const text = takeValue();
      if (text.includes("/")) throw new Unsupported(`conntrack ${arg} with a prefix (${text})`);
      const addr = parseInetAton(text);
      if (addr === undefined) throw usageError(`Invalid IP address \`${text}'`);
      filter.addresses[field] = addr;
      given.push(long);
    } else if (PORT_OPTIONS[arg] !== undefined && isPortProtocol(filter.protocolNumber)) {
      const text = takeValue();
      if (!/^\d+$/.test(text)) throw new Unsupported(`conntrack port value ${text}`);
      // conntrack-tools 1.4.7 keeps the port in 16 bits, so 70000 filters for 4464 without an error.
      filter.ports[PORT_OPTIONS[arg]] = Number(text) & 0xffff;
      given.push(arg);
    } else if (arg === "--state" && filter.protocolNumber === PROTOCOLS.tcp) {
      const state = takeValue();
      if (state === "LISTEN") throw new Unsupported("conntrack --state LISTEN");
      if (!TCP_STATE_NAMES.includes(state)) throw usageError(`unknown TCP state \`${state}'`);
      filter.tcpState = state;
      given.push(arg);
    } else if (arg === "--state" && filter.protocolNumber !== PROTOCOLS.tcp) {
      // Only the tcp extension that -p tcp loads defines --state.
      throw usageError(`unknown option \`${arg}'`);
    } else if (arg === "-o" || arg === "--output") {
      const formats = takeValue().split(",");
      const unknown = formats.find((format) => !OUTPUT_FORMATS.includes(format));
      if (unknown !== undefined) throw usageError(`Bad parameter \`${unknown}'`);
      if (formats.some((format) => format !== "extended")) {
        throw new Unsupported(`conntrack -o ${formats.join(",")}`);
      }
      isExtended = true;
      given.push("--output");
    } else if (UNMODELLED_OPTIONS.includes(arg) || PROTOCOL_OPTIONS.includes(arg)) {
      throw new Unsupported(`conntrack ${arg}`);
    } else if (arg.startsWith("--") && isAbbreviation(arg)) {
      // getopt_long accepts any unique prefix of a long option (--proto for --protonum).
      throw new Unsupported(`conntrack abbreviated option ${arg}`);
    } else if (!arg.startsWith("-")) {
      // getopt_long moves words that are no option to the end, and conntrack never reads them.
      continue;
    } else {
      throw usageError(`unknown option \`${arg}'`);
    }
  }
  if (command === undefined) return undefined;
  if ((command === "count" || command === "flush") && given.length > 0) {
    throw usageError(`Illegal option \`${given[0]}' with this command`);
  }
  return { command, filter, isExtended };
}

function isPortProtocol(protocolNumber: number | undefined): boolean {
  return protocolNumber === PROTOCOLS["tcp"] || protocolNumber === PROTOCOLS["udp"];
}

function parseProtocol(text: string): number {
  const named = PROTOCOLS[text];
  if (named !== undefined) return named;
  if (/^\d+$/.test(text) && Number(text) <= 255) return Number(text);
  throw usageError(`\`${text}' unsupported protocol`);
}

/**
 * Parses an IPv4 address as inet_aton(3) does, which conntrack uses: one to four parts, the
 * last filling the remaining bytes ("10.0.1" is 10.0.0.1). Hexadecimal and octal parts are not
 * accepted here. Returns undefined for invalid text.
 */
export function parseInetAton(text: string): number | undefined {
  if (!/^\d+(\.\d+){0,3}$/.test(text)) return undefined;
  const parts = text.split(".").map(Number);
  const last = parts.pop()!;
  if (parts.some((part) => part > 255)) return undefined;
  const lastBits = 8 * (4 - parts.length);
  if (last >= 2 ** lastBits) return undefined;
  const high = parts.reduce((value, part) => value * 256 + part, 0);
  return high * 2 ** lastBits + last;
}

function matches(view: CtView, filter: CtFilter): boolean {
  if (filter.family === "ipv6") return false;
  if (filter.protocolNumber !== undefined && filter.protocolNumber !== view.protocolNumber) {
    return false;
  }
  const { addresses, ports } = filter;
  const addressOf: Record<AddressField, number> = {
    origSrc: view.orig.src,
    origDst: view.orig.dst,
    replySrc: view.reply.src,
    replyDst: view.reply.dst,
  };
  for (const [field, addr] of Object.entries(addresses) as [AddressField, number][]) {
    if (addressOf[field] !== addr) return false;
  }
  for (const [field, port] of Object.entries(ports) as [PortField, number][]) {
    if (portOf(view, field) !== port) return false;
  }
  if (filter.tcpState !== undefined && view.tcpState !== filter.tcpState) return false;
  return true;
}

function portOf(view: CtView, field: PortField): number | undefined {
  const tuple = field.startsWith("orig") ? view.orig : view.reply;
  if (tuple.l4.kind !== "ports") return undefined;
  return field.endsWith("SrcPort") ? tuple.l4.srcPort : tuple.l4.dstPort;
}
