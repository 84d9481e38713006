/**
 * Parsers of the `-j` targets the model knows: the standard verdicts, REJECT, LOG, MASQUERADE,
 * SNAT and DNAT, with iptables 1.8.9's option names and error texts.
 *
 * Source of truth: iptables-extensions(8) of iptables 1.8.9 and transcripts recorded with it on
 * Linux 6.18. NAT addresses must be full dotted quads; ports need `-p tcp`, `udp`, `sctp` or
 * `dccp`; MASQUERADE's port range uses a dash, not a colon.
 */
import { Unsupported } from "../../errors.js";
import { parseIp4Strict } from "../../addr/ip4.js";
import type { NatRange, RejectWith, Target } from "../../netfilter/target.js";
import {
  LOG_DEFAULT_LEVEL,
  LOG_FLAGS,
  LOG_LEVELS,
  REJECT_ALIASES,
  REJECT_TYPES,
} from "../../netfilter/target.js";
import type { ExtensionParser, ParseContext } from "./extension.js";
import { plainProto } from "./extension.js";
import { mustBeSpecified, parameterProblem, usedOnce } from "./messages.js";

/** A parser that builds one target. */
export type TargetParser = ExtensionParser<Target>;

/** Target extensions iptables 1.8.9 ships that the model does not implement. */
const UNMODELLED_TARGETS = new Set(
  "AUDIT CHECKSUM CLASSIFY CLUSTERIP CONNMARK CONNSECMARK CT DSCP ECN HL HMARK IDLETIMER LED MARK NETMAP NFLOG NFQUEUE NOTRACK QUEUE RATEEST REDIRECT SECMARK SET SYNPROXY TCPMSS TCPOPTSTRIP TEE TOS TPROXY TRACE TTL ULOG".split(
    " ",
  ),
);

/** Every target name a user chain may not take, as `-N` checks it. */
export const TARGET_NAMES: ReadonlySet<string> = new Set([
  ...UNMODELLED_TARGETS,
  "ACCEPT",
  "DROP",
  "RETURN",
  "REJECT",
  "LOG",
  "MASQUERADE",
  "SNAT",
  "DNAT",
]);

/**
 * Returns a parser for target `name`, or undefined when the name is a chain to jump to.
 *
 * @throws Unsupported for a real target extension the model lacks.
 */
export function loadTarget(name: string): TargetParser | undefined {
  if (name === "ACCEPT" || name === "DROP" || name === "RETURN") return new StandardParser(name);
  if (name === "REJECT") return new RejectParser();
  if (name === "LOG") return new LogParser();
  if (name === "MASQUERADE") return new MasqueradeParser();
  if (name === "SNAT" || name === "DNAT") return new NatParser(name);
  if (UNMODELLED_TARGETS.has(name)) throw new Unsupported(`iptables -j ${name}`);
  return undefined;
}

class StandardParser implements TargetParser {
  readonly options = {};

  constructor(readonly name: "ACCEPT" | "DROP" | "RETURN") {}

  parse(): void {}

  finish(): Target {
    return { kind: this.name };
  }
}

class RejectParser implements TargetParser {
  readonly name = "REJECT";
  readonly options = { "reject-with": true };
  private with?: RejectWith;

  parse(option: string, value: string): void {
    if (this.with !== undefined) throw usedOnce("REJECT", option);
    const type = REJECT_TYPES.find((candidate) => candidate === value) ?? REJECT_ALIASES[value];
    if (type === undefined) throw parameterProblem(`unknown reject type "${value}"`);
    this.with = type;
  }

  finish(): Target {
    return { kind: "REJECT", with: this.with ?? "icmp-port-unreachable" };
  }
}

/** The longest prefix LOG keeps; longer ones are cut. */
const LOG_PREFIX_MAX = 29;

class LogParser implements TargetParser {
  readonly name = "LOG";
  readonly options: Record<string, boolean> = {
    "log-level": true,
    "log-prefix": true,
    ...Object.fromEntries(LOG_FLAGS.map(([flag]) => [flag.slice(2), false])),
  };
  private readonly seen = new Set<string>();
  private readonly target: Extract<Target, { kind: "LOG" }> = {
    kind: "LOG",
    level: LOG_DEFAULT_LEVEL,
    flags: 0,
  };

  parse(option: string, value: string): void {
    if (this.seen.has(option)) throw usedOnce("LOG", option);
    this.seen.add(option);
    if (option === "log-prefix") {
      if (value === "")
        throw parameterProblem("Argument must have a minimum length of 1 characters\n");
      this.target.prefix = value.slice(0, LOG_PREFIX_MAX);
    } else if (option === "log-level") {
      const level = /^[0-7]$/.test(value) ? Number(value) : LOG_LEVELS[value];
      if (level === undefined) throw parameterProblem(`log level "${value}" unknown\n`);
      this.target.level = level;
    } else {
      this.target.flags |= LOG_FLAGS.find(([flag]) => flag === `--${option}`)![1];
    }
  }

  finish(): Target {
    return this.target;
  }
}

/** Protocols whose ports NAT can change. */
const NAT_PORT_PROTOCOLS = [6, 17, 33, 132];
const NEED_PORT_PROTO = "Need TCP, UDP, SCTP or DCCP with port specification";

function requirePortProto(context: ParseContext): void {
  if (!NAT_PORT_PROTOCOLS.includes(plainProto(context) ?? -1))
    throw parameterProblem(NEED_PORT_PROTO);
}

class MasqueradeParser implements TargetParser {
  readonly name = "MASQUERADE";
  readonly options = { "to-ports": true, random: false, "random-fully": false };
  private readonly target: Extract<Target, { kind: "MASQUERADE" }> = {
    kind: "MASQUERADE",
    isRandom: false,
    isRandomFully: false,
  };

  parse(option: string, value: string, _isInverted: boolean, context: ParseContext): void {
    if (option === "random") this.target.isRandom = true;
    else if (option === "random-fully") this.target.isRandomFully = true;
    else {
      requirePortProto(context);
      if (value.includes(":")) throw parameterProblem("Invalid port:port syntax - use dash");
      const range = parseNatPorts(value);
      this.target.minPort = range.minPort;
      this.target.maxPort = range.maxPort;
    }
  }

  finish(): Target {
    return this.target;
  }
}

class NatParser implements TargetParser {
  readonly options: Record<string, boolean>;
  private readonly option: string;
  private readonly target: Extract<Target, { kind: "SNAT" | "DNAT" }>;

  constructor(readonly name: "SNAT" | "DNAT") {
    this.option = name === "SNAT" ? "to-source" : "to-destination";
    this.options = { [this.option]: true, random: false, "random-fully": false, persistent: false };
    this.target = {
      kind: name,
      range: {},
      isRandom: false,
      isRandomFully: false,
      isPersistent: false,
    };
  }

  parse(option: string, value: string, _isInverted: boolean, context: ParseContext): void {
    if (option === "random") this.target.isRandom = true;
    else if (option === "random-fully") this.target.isRandomFully = true;
    else if (option === "persistent") this.target.isPersistent = true;
    else {
      if (Object.keys(this.target.range).length > 0) throw usedOnce(this.name, option);
      this.target.range = parseNatRange(value, context);
    }
  }

  finish(): Target {
    if (Object.keys(this.target.range).length === 0) throw mustBeSpecified(this.name, this.option);
    return this.target;
  }
}

/** Parses `[a[-b]][:p[-q]]` as `--to-source`/`--to-destination` take it. */
function parseNatRange(text: string, context: ParseContext): NatRange {
  const colon = text.indexOf(":");
  const addrs = colon < 0 ? text : text.slice(0, colon);
  let range: NatRange = {};
  if (colon >= 0) {
    requirePortProto(context);
    range = parseNatPorts(text.slice(colon + 1));
  }
  if (addrs === "") return range;
  const [first = "", last] = addrs.split("-");
  const minAddr = parseIp4Strict(first);
  if (minAddr === undefined) throw parameterProblem(`Bad IP address "${first}"`);
  const maxAddr = last === undefined ? minAddr : parseIp4Strict(last);
  if (maxAddr === undefined) throw parameterProblem(`Bad IP address "${last}"`);
  return { minAddr, maxAddr, ...range };
}

function parseNatPorts(text: string): { minPort: number; maxPort: number } {
  const [first = "", last] = text.split("-");
  const minPort = parseNatPort(first);
  const maxPort = last === undefined ? minPort : parseNatPort(last);
  if (maxPort < minPort) throw parameterProblem(`Port range \`${last}' funky`);
  return { minPort, maxPort };
}

function parseNatPort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw parameterProblem(`Port \`${text}' not valid`);
  return Number(text);
}
