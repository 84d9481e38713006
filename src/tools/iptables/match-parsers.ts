/**
 * Parsers of the `-m` matches the model knows: tcp, udp, icmp, multiport, conntrack, state,
 * physdev, addrtype and comment, with iptables 1.8.9's option names and error texts.
 *
 * Source of truth: iptables-extensions(8) of iptables 1.8.9 and transcripts recorded with it on
 * Linux 6.18. A port range `0:65535` means any port and is dropped; a range with min above max
 * is kept as given. multiport takes up to 15 ports, a range counting twice.
 */
import { Unsupported } from "../../errors.js";
import type { AddrType, CtState, Match, PortMatch, TcpFlagsMatch } from "../../netfilter/match.js";
import { ADDR_TYPES, CT_STATES, ICMP_NAMES, TCP_FLAG_NAMES } from "../../netfilter/match.js";
import type { ExtensionParser, ParseContext } from "./extension.js";
import { plainProto } from "./extension.js";
import { mustBeSpecified, parameterProblem, usedOnce } from "./messages.js";
import { parseIface, parsePortRange, parseUdpPortRange } from "./values.js";

/** A parser that builds one match. */
export type MatchParser = ExtensionParser<Match>;

/** Match extensions iptables 1.8.9 ships that the model does not implement. */
const UNMODELLED_MATCHES = new Set(
  "ah bpf cgroup cluster connbytes connlabel connlimit connmark cpu dccp devgroup dscp ecn esp frag hashlimit helper hl iprange ipvs length limit mac mark nfacct osf owner pkttype policy quota rateest realm recent rpfilter sctp set socket statistic string tcpmss time tos ttl u32".split(
    " ",
  ),
);

/**
 * Returns a fresh parser for match `name`.
 *
 * @throws Unsupported for a real extension the model lacks; XtablesError for an unknown name.
 */
export function loadMatch(name: string): MatchParser {
  const factory = MATCHES[name];
  if (factory !== undefined) return factory();
  if (UNMODELLED_MATCHES.has(name)) throw new Unsupported(`iptables -m ${name}`);
  throw parameterProblem(`Couldn't load match \`${name}':No such file or directory\n`);
}

const MATCHES: Record<string, () => MatchParser> = {
  tcp: () => new PortsParser("tcp"),
  udp: () => new PortsParser("udp"),
  icmp: () => new IcmpParser(),
  multiport: () => new MultiportParser(),
  conntrack: () => new StateParser("conntrack"),
  state: () => new StateParser("state"),
  physdev: () => new PhysdevParser(),
  addrtype: () => new AddrTypeParser(),
  comment: () => new CommentParser(),
};

/** Protocol numbers whose `-p` loads a match of the same name (tcp, udp, icmp). */
const IMPLICIT_MATCHES: Record<number, string> = { 1: "icmp", 6: "tcp", 17: "udp" };

/** Returns the implicit match `-p` loads when an option is not found elsewhere. */
export function implicitMatchFor(proto: number): string | undefined {
  return IMPLICIT_MATCHES[proto];
}

/** The options of libxt_udp: the two ports, each under two names. */
const UDP_OPTIONS = {
  "source-port": true,
  sport: true,
  "destination-port": true,
  dport: true,
} as const;

/** The options of libxt_tcp: the ports, and the flag and option tests. */
const TCP_OPTIONS = { ...UDP_OPTIONS, "tcp-flags": 2, syn: false, "tcp-option": true } as const;

class PortsParser implements MatchParser {
  readonly options: Readonly<Record<string, boolean | 2>>;
  private sport?: PortMatch;
  private dport?: PortMatch;
  private tcpFlags?: TcpFlagsMatch;
  readonly name: string;

  constructor(private readonly kind: "tcp" | "udp") {
    this.name = kind;
    this.options = kind === "tcp" ? TCP_OPTIONS : UDP_OPTIONS;
  }

  parse(
    option: string,
    value: string,
    isInverted: boolean,
    _context: ParseContext,
    second?: string,
  ): void {
    if (option === "tcp-option") throw new Unsupported(`iptables -m tcp --${option}`);
    if (option === "syn" || option === "tcp-flags") {
      if (this.tcpFlags !== undefined) {
        // The two spaces are libxt_tcp's: its message is two string literals joined.
        throw parameterProblem("Only one of `--syn' or `--tcp-flags'  allowed");
      }
      // --syn is --tcp-flags SYN,RST,ACK,FIN SYN.
      const [mask, comp] = option === "syn" ? ["SYN,RST,ACK,FIN", "SYN"] : [value, second!];
      this.tcpFlags = { mask: parseTcpFlags(mask), comp: parseTcpFlags(comp), isInverted };
      return;
    }
    const isSource = option === "sport" || option === "source-port";
    const canonical = isSource ? "source-port" : "destination-port";
    if ((isSource ? this.sport : this.dport) !== undefined) {
      // The tcp match keeps iptables' older parser, with its own text for a repeated option.
      if (this.kind === "tcp") throw parameterProblem(`Only one \`--${canonical}' allowed`);
      throw usedOnce("udp", canonical);
    }
    const ports =
      this.kind === "tcp"
        ? parsePortRange(value, "invalid portrange (min > max)")
        : parseUdpPortRange(value, canonical);
    const range = { ...ports, isInverted };
    if (isSource) this.sport = range;
    else this.dport = range;
  }

  finish(context: ParseContext): Match {
    const proto = this.kind === "tcp" ? 6 : 17;
    // iptables checks the number only: `! -p tcp --dport 80` passes and can never match.
    if (context.proto?.number !== proto) {
      throw parameterProblem(`${this.kind.toUpperCase()} match requires '-p ${this.kind}'`);
    }
    const match: Match = { kind: this.kind };
    if (this.sport !== undefined && !isAnyPort(this.sport)) match.sport = this.sport;
    if (this.dport !== undefined && !isAnyPort(this.dport)) match.dport = this.dport;
    if (this.tcpFlags !== undefined) match.tcpFlags = this.tcpFlags;
    return match;
  }
}

/**
 * Reads a comma-separated list of TCP flag names, case-insensitively, as libxt_tcp's
 * `parse_tcp_flag` does: empty items are skipped, and ALL and NONE are names too.
 */
function parseTcpFlags(text: string): number {
  let bits = 0;
  for (const item of text.split(",").filter((part) => part !== "")) {
    const named = TCP_FLAG_NAMES.find(([name]) => name === item.toUpperCase());
    if (named === undefined) throw parameterProblem(`Unknown TCP flag \`${item}'`);
    bits |= named[1];
  }
  return bits;
}

function isAnyPort(range: PortMatch): boolean {
  return range.min === 0 && range.max === 65535 && !range.isInverted;
}

class IcmpParser implements MatchParser {
  readonly name = "icmp";
  readonly options = { "icmp-type": true };
  private match?: Match;

  parse(_option: string, value: string, isInverted: boolean): void {
    const named = ICMP_NAMES[value];
    if (named !== undefined) {
      const [type, codeMin, codeMax] = named;
      this.match = { kind: "icmp", type, codeMin, codeMax, isInverted };
      return;
    }
    const parts = /^(\d+)(?:\/(\d+))?$/.exec(value);
    if (parts === null || Number(parts[1]) > 255)
      throw parameterProblem(`Unknown ICMP type \`${value}'`);
    if (parts[2] !== undefined && Number(parts[2]) > 255) {
      throw parameterProblem(`Unknown ICMP code \`${value}'`);
    }
    const code = parts[2] === undefined ? undefined : Number(parts[2]);
    const type = Number(parts[1]);
    this.match = { kind: "icmp", type, codeMin: code ?? 0, codeMax: code ?? 255, isInverted };
  }

  finish(): Match {
    // Without --icmp-type the match takes any type.
    return this.match ?? { kind: "icmp", type: 255, codeMin: 0, codeMax: 255, isInverted: false };
  }
}

/** The canonical multiport option names, which its messages use. */
const MULTIPORT_OPTIONS: Record<string, "sports" | "dports" | "ports"> = {
  "source-ports": "sports",
  sports: "sports",
  "destination-ports": "dports",
  dports: "dports",
  ports: "ports",
};
const MULTIPORT_CANONICAL = { sports: "source-ports", dports: "destination-ports", ports: "ports" };
/** Protocols multiport accepts. */
const PORT_PROTOCOLS = [6, 17, 33, 132, 136];
/** The most ports one multiport match holds; a range takes two. */
const MULTIPORT_SLOTS = 15;

class MultiportParser implements MatchParser {
  readonly name = "multiport";
  readonly options = {
    "source-ports": true,
    sports: true,
    "destination-ports": true,
    dports: true,
    ports: true,
  };
  private match?: Extract<Match, { kind: "multiport" }>;

  parse(option: string, value: string, isInverted: boolean, context: ParseContext): void {
    const direction = MULTIPORT_OPTIONS[option]!;
    if (!PORT_PROTOCOLS.includes(plainProto(context) ?? -1)) {
      throw parameterProblem(
        "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'",
      );
    }
    if (this.match !== undefined) {
      const used = MULTIPORT_CANONICAL[this.match.direction];
      throw parameterProblem(
        `multiport: option "--${MULTIPORT_CANONICAL[direction]}" cannot be used together with "--${used}".\n`,
      );
    }
    const ports = value.split(",").map((text) => {
      const range = parsePortRange(text, "invalid portrange specified", false);
      // multiport wants a range's first port below its last (`parse_multi_ports_v1`).
      if (text.includes(":") && range.min === range.max) {
        throw parameterProblem("invalid portrange specified");
      }
      return range;
    });
    const slots = ports.reduce((sum, range) => sum + (range.min === range.max ? 1 : 2), 0);
    if (slots > MULTIPORT_SLOTS) throw parameterProblem("too many ports specified");
    this.match = { kind: "multiport", direction, ports, isInverted };
  }

  finish(): Match {
    // The misspelling is iptables 1.8.9's own.
    if (this.match === undefined) throw parameterProblem("multiport expection an option");
    return this.match;
  }
}

class StateParser implements MatchParser {
  readonly options: Record<string, boolean>;
  private match?: Extract<Match, { kind: "conntrack" | "state" }>;

  constructor(readonly name: "conntrack" | "state") {
    this.options =
      name === "state"
        ? { state: true }
        : {
            ctstate: true,
            ctproto: true,
            ctorigsrc: true,
            ctorigdst: true,
            ctstatus: true,
            ctexpire: true,
            ctdir: true,
          };
  }

  parse(option: string, value: string, isInverted: boolean): void {
    if (option !== "ctstate" && option !== "state") {
      throw new Unsupported(`iptables -m conntrack --${option}`);
    }
    if (this.match !== undefined) throw usedOnce(this.name, option);
    const allowed: readonly CtState[] = this.name === "state" ? CT_STATES.slice(0, 5) : CT_STATES;
    const given = value.split(",").map((word) => {
      const state = allowed.find((candidate) => candidate === word.toUpperCase());
      if (state === undefined)
        throw parameterProblem(`Bad ${this.name === "state" ? "state" : "ctstate"} "${word}"`);
      return state;
    });
    const states = allowed.filter((state) => given.includes(state));
    this.match = { kind: this.name, states, isInverted };
  }

  finish(): Match {
    if (this.match !== undefined) return this.match;
    if (this.name === "state") throw mustBeSpecified("state", "state");
    throw parameterProblem("conntrack: At least one option is required");
  }
}

class PhysdevParser implements MatchParser {
  readonly name = "physdev";
  readonly options = {
    "physdev-in": true,
    "physdev-out": true,
    "physdev-is-in": false,
    "physdev-is-out": false,
    "physdev-is-bridged": false,
  };
  private readonly match: Extract<Match, { kind: "physdev" }> = { kind: "physdev" };

  parse(option: string, value: string, isInverted: boolean): void {
    if (option === "physdev-in") this.match.in = parseIface(value, isInverted);
    else if (option === "physdev-out") this.match.out = parseIface(value, isInverted);
    else if (option === "physdev-is-in") this.match.isIn = { isInverted };
    else if (option === "physdev-is-out") this.match.isOut = { isInverted };
    else this.match.isBridged = { isInverted };
  }

  finish(): Match {
    if (Object.keys(this.match).length === 1) {
      throw parameterProblem("PHYSDEV: no physdev option specified");
    }
    return this.match;
  }
}

class AddrTypeParser implements MatchParser {
  readonly name = "addrtype";
  readonly options = {
    "src-type": true,
    "dst-type": true,
    "limit-iface-in": false,
    "limit-iface-out": false,
  };
  private readonly match: Extract<Match, { kind: "addrtype" }> = { kind: "addrtype" };

  parse(option: string, value: string, isInverted: boolean): void {
    if (option.startsWith("limit-iface")) throw new Unsupported(`iptables -m addrtype --${option}`);
    const given = value.split(",").map((word) => {
      const type = ADDR_TYPES.find((candidate) => candidate === word.toUpperCase());
      if (type === undefined) throw parameterProblem(`addrtype: bad type "${word}"`);
      return type;
    });
    const types: AddrType[] = ADDR_TYPES.filter((type) => given.includes(type));
    if (option === "src-type") this.match.src = { types, isInverted };
    else this.match.dst = { types, isInverted };
  }

  finish(): Match {
    if (this.match.src === undefined && this.match.dst === undefined) {
      throw parameterProblem("addrtype: you must specify --src-type or --dst-type");
    }
    return this.match;
  }
}

class CommentParser implements MatchParser {
  readonly name = "comment";
  readonly options = { comment: true };
  private text?: string;

  parse(_option: string, value: string): void {
    if (this.text !== undefined) throw usedOnce("comment", "comment");
    this.text = value;
  }

  finish(): Match {
    if (this.text === undefined) throw mustBeSpecified("comment", "comment");
    return { kind: "comment", text: this.text };
  }
}
