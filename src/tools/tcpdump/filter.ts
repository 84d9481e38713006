/**
 * The subset of pcap-filter(7) expressions that tcpdump captures use here: protocols (`ip`,
 * `arp`, `icmp`, `tcp`, `udp`), `[src|dst] host A`, `[src|dst] net P/L`, `[tcp|udp] [src|dst]
 * port N`, tests of the TCP flags byte (`tcp[tcpflags] & tcp-syn != 0`), `and`/`&&`, `or`/`||`,
 * `not`/`!` and parentheses. An expression is parsed into a tree once and compiled into a
 * predicate over the model's frames.
 *
 * As pcap-filter(7) documents, `not` binds tightest, and `and` and `or` have equal precedence and
 * associate to the left, so `a or b and c` is `(a or b) and c`. A `host` or `net` without a
 * protocol matches IPv4 and ARP (the sender and target addresses), as libpcap generates it.
 * Other valid pcap-filter constructs throw `Unsupported`; text that is not an expression throws
 * tcpdump's `syntax error`.
 */
import { Unsupported, UsageError } from "../../errors.js";
import { formatIp4, maskOf, networkOf } from "../../addr/ip4.js";
import type { Frame } from "../../wire/ipv4.js";

/** The address or port of a packet that a qualifier tests. */
export type Direction = "src" | "dst" | "any";

/** A filter expression tree. */
export type FilterExpr =
  | { kind: "proto"; proto: "ip" | "arp" | "icmp" | "tcp" | "udp" }
  /**
   * `host A` and `net P/L`. A host written with fewer than four parts (`host 10.0.0`) is the
   * network of those parts, so both keep a prefix length.
   */
  | { kind: "host" | "net"; dir: Direction; addr: number; bits: number }
  | { kind: "port"; dir: Direction; port: number; proto?: "tcp" | "udp" }
  /**
   * `PROTO[FIELD] [& mask] == value` (or `!=`): a test of one header byte, the TCP flags (byte
   * 13 of the TCP header), or the ICMP type or code (bytes 0 and 1).
   */
  | { kind: "byte"; field: ByteField; mask?: number; op: "==" | "!="; value: number }
  | { kind: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { kind: "not"; operand: FilterExpr };

/** A header byte that a filter can test, by its pcap-filter(7) name. */
export type ByteField = "tcpflags" | "icmptype" | "icmpcode";

/**
 * The constants pcap-filter(7) defines for header bytes: the TCP flag bits of byte 13, and the
 * ICMP types.
 */
export const BYTE_CONSTANTS: Record<string, number> = {
  "tcp-fin": 0x01,
  "tcp-syn": 0x02,
  "tcp-rst": 0x04,
  "tcp-push": 0x08,
  "tcp-ack": 0x10,
  "tcp-urg": 0x20,
  "tcp-ece": 0x40,
  "tcp-cwr": 0x80,
  "icmp-echoreply": 0,
  "icmp-unreach": 3,
  "icmp-sourcequench": 4,
  "icmp-redirect": 5,
  "icmp-echo": 8,
  "icmp-routeradvert": 9,
  "icmp-routersolicit": 10,
  "icmp-timxceed": 11,
  "icmp-paramprob": 12,
  "icmp-tstamp": 13,
  "icmp-tstampreply": 14,
  "icmp-ireq": 15,
  "icmp-ireqreply": 16,
  "icmp-maskreq": 17,
  "icmp-maskreply": 18,
};

/**
 * pcap-filter keywords the parser does not model: an expression using one is valid for
 * tcpdump, so it raises `Unsupported` instead of a syntax error.
 */
const UNMODELLED_KEYWORDS = new Set([
  "ether",
  "ip6",
  "rarp",
  "icmp6",
  "sctp",
  "igmp",
  "vlan",
  "mpls",
  "portrange",
  "proto",
  "gateway",
  "broadcast",
  "multicast",
  "less",
  "greater",
  "len",
  "inbound",
  "outbound",
  "ifname",
  "mask",
  "link",
  "fddi",
  "wlan",
  "decnet",
  "atalk",
  "iso",
  "ipx",
  "tcpflags",
  "icmptype",
  "icmpcode",
]);

/** The header bytes accepted inside `tcp[...]` and `icmp[...]`, by protocol and index text. */
const BYTE_FIELDS: Record<string, ByteField> = {
  "tcp[tcpflags]": "tcpflags",
  "tcp[13]": "tcpflags",
  "icmp[icmptype]": "icmptype",
  "icmp[0]": "icmptype",
  "icmp[icmpcode]": "icmpcode",
  "icmp[1]": "icmpcode",
};

const SYNTAX_ERROR = "tcpdump: can't parse filter expression: syntax error";

function syntaxError(): UsageError {
  return new UsageError(SYNTAX_ERROR, 1);
}

/** Splits an expression into words, parentheses and operators. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(&&|\|\||==|!=|[()[\]!&|=]|[A-Za-z0-9_.\-/:]+|\S)/y;
  let end = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    tokens.push(match[1]!);
    end = pattern.lastIndex;
  }
  if (text.slice(end).trim() !== "") throw syntaxError();
  return tokens;
}

/**
 * Parses a filter expression (tcpdump joins its expression arguments with spaces). Returns
 * undefined for an empty expression, which captures everything.
 */
export function parseFilter(text: string): FilterExpr | undefined {
  try {
    const tokens = tokenize(text);
    if (tokens.length === 0) return undefined;
    const parser = new Parser(tokens);
    const expr = parser.expression();
    if (!parser.atEnd()) throw syntaxError();
    return expr;
  } catch (error) {
    if (error instanceof UsageError && usesUnmodelledSyntax(text)) {
      // The parser reads a subset of pcap-filter(7), so text beyond it may well be valid.
      throw new Unsupported(`tcpdump filter "${text}"`);
    }
    throw error;
  }
}

/**
 * Reports whether `text` uses pcap-filter syntax the parser does not model: a keyword of the
 * unmodelled list, grouping inside a byte access, a byte access with a length, or a backslash
 * escape. A syntax error in such text does not show that tcpdump would reject it.
 */
function usesUnmodelledSyntax(text: string): boolean {
  if (/[\\:]|\[\s*\d|&\s*\(/.test(text)) return true;
  const words = text.toLowerCase().match(/[a-z][a-z0-9-]*/g) ?? [];
  // The field names of byte accesses are in the list for their other uses; the parser reads them.
  const isRead = (word: string): boolean => ["tcpflags", "icmptype", "icmpcode"].includes(word);
  return words.some(
    (word) => !isRead(word) && (UNMODELLED_KEYWORDS.has(word) || EXTRA_KEYWORDS.has(word)),
  );
}

/** pcap-filter(7) words that are not in the unmodelled list but that the parser cannot read. */
const EXTRA_KEYWORDS = new Set([
  "mask",
  "multicast",
  "less",
  "greater",
  "llc",
  "len",
  "inbound",
  "outbound",
]);

class Parser {
  private position = 0;

  constructor(private readonly tokens: string[]) {}

  atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw syntaxError();
    return token;
  }

  private expect(token: string): void {
    if (this.next() !== token) throw syntaxError();
  }

  /** expression := unary (("and" | "or") unary)*, left-associative with equal precedence. */
  expression(): FilterExpr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const kind =
        token === "and" || token === "&&"
          ? "and"
          : token === "or" || token === "||"
            ? "or"
            : undefined;
      if (kind === undefined) return left;
      this.position++;
      left = { kind, left, right: this.unary() };
    }
  }

  private unary(): FilterExpr {
    const token = this.peek();
    if (token === "not" || token === "!") {
      this.position++;
      return { kind: "not", operand: this.unary() };
    }
    if (token === "(") {
      this.position++;
      const inner = this.expression();
      this.expect(")");
      return inner;
    }
    return this.primitive();
  }

  private primitive(): FilterExpr {
    const token = this.next();
    if (UNMODELLED_KEYWORDS.has(token)) throw new Unsupported(`tcpdump filter keyword "${token}"`);
    if ((token === "tcp" || token === "icmp") && this.peek() === "[") return this.byteTest(token);
    if (token === "tcp" || token === "udp") {
      const following = this.peek();
      if (following === "port" || following === "src" || following === "dst") {
        return this.qualified(token);
      }
      return { kind: "proto", proto: token };
    }
    if (token === "ip" || token === "arp" || token === "icmp") {
      if (this.peek() === "[") throw new Unsupported(`tcpdump filter byte access ${token}[...]`);
      const following = this.peek();
      if (
        following === "host" ||
        following === "net" ||
        following === "src" ||
        following === "dst"
      ) {
        throw new Unsupported(`tcpdump filter "${token} ${following}"`);
      }
      return { kind: "proto", proto: token };
    }
    this.position--;
    return this.qualified(undefined);
  }

  /** [src|dst] (host A | net P/L | port N), with an optional tcp or udp before a port. */
  private qualified(proto: "tcp" | "udp" | undefined): FilterExpr {
    let dir: Direction = "any";
    let token = this.next();
    if (token === "src" || token === "dst") {
      dir = token;
      token = this.next();
      if (token === "or" || token === "and")
        throw new Unsupported(`tcpdump filter "src ${token} dst"`);
    }
    if (token === "port")
      return {
        kind: "port",
        dir,
        port: parsePort(this.next()),
        ...(proto === undefined ? {} : { proto }),
      };
    if (proto !== undefined) throw syntaxError();
    if (token === "host") return { kind: "host", dir, ...parseAddress(this.next(), false) };
    if (token === "net") return { kind: "net", dir, ...parseAddress(this.next(), true) };
    if (UNMODELLED_KEYWORDS.has(token)) throw new Unsupported(`tcpdump filter keyword "${token}"`);
    // pcap-filter assumes `host` when a direction comes without a type ("src 10.0.0.1").
    if (dir !== "any" && /^[\d.]+$/.test(token)) {
      return { kind: "host", dir, ...parseAddress(token, false) };
    }
    // A bare address or number repeats the previous qualifier in pcap-filter ("host a or b").
    if (/^[\d.]+$/.test(token))
      throw new Unsupported(`tcpdump filter without a qualifier before ${token}`);
    throw syntaxError();
  }

  /**
   * `tcp[tcpflags]`, `icmp[icmptype]` or `icmp[icmpcode]` (or their byte numbers), an optional
   * `& mask`, then `==`, `=` or `!=` and a value.
   */
  private byteTest(proto: string): FilterExpr {
    this.expect("[");
    const index = this.next();
    const field = BYTE_FIELDS[`${proto}[${index}]`];
    if (field === undefined) throw new Unsupported(`tcpdump filter byte access ${proto}[${index}]`);
    this.expect("]");
    let mask: number | undefined;
    let operator = this.next();
    if (operator === "&") {
      mask = this.flagValue();
      operator = this.next();
    }
    if (operator !== "==" && operator !== "=" && operator !== "!=") {
      if ([">", "<", ">=", "<="].includes(operator)) {
        throw new Unsupported(`tcpdump filter comparison ${operator}`);
      }
      throw syntaxError();
    }
    const value = this.flagValue();
    return {
      kind: "byte",
      field,
      ...(mask === undefined ? {} : { mask }),
      op: operator === "!=" ? "!=" : "==",
      value,
    };
  }

  /** Parses a constant name or a number, or several joined by `|`, into one byte value. */
  private flagValue(): number {
    let value = this.flagTerm();
    while (this.peek() === "|") {
      this.position++;
      value |= this.flagTerm();
    }
    return value;
  }

  private flagTerm(): number {
    const token = this.next();
    const named = BYTE_CONSTANTS[token];
    if (named !== undefined) return named;
    if (/^\d+$/.test(token) && Number(token) <= 255) return Number(token);
    if (/^\d+$/.test(token) || /^0x[0-9a-f]+$/i.test(token)) {
      throw new Unsupported(`tcpdump filter value ${token}`);
    }
    throw syntaxError();
  }
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text)) {
    // A service name such as "http" is valid for tcpdump; it is not resolved here.
    if (/^[a-z][a-z0-9-]*$/i.test(text)) throw new Unsupported(`tcpdump port name ${text}`);
    throw syntaxError();
  }
  const port = Number(text);
  if (port > 65535) throw new UsageError(`tcpdump: illegal port number ${port} > 65535`, 1);
  return port;
}

/**
 * Parses `A` (one to four decimal parts) or, for `net`, `A/L`. A partial address is the
 * network of its parts: "host 10.0.0" is 10.0.0.0/24, which tcpdump 4.99.3 accepts.
 */
function parseAddress(text: string, isNet: boolean): { addr: number; bits: number } {
  const [address, length] = text.split("/");
  if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(address!)) {
    if (/^[a-z][a-z0-9.-]*$/i.test(address!)) throw new Unsupported(`tcpdump host name ${text}`);
    throw syntaxError();
  }
  const parts = address!.split(".").map(Number);
  // libpcap's scanner reads any dotted number as an IPv4 address, and __pcap_atoin fails on an
  // octet above 255 while the filter compiles.
  if (parts.some((part) => part > 255)) {
    throw new UsageError(`tcpdump: invalid IPv4 address '${address}'`, 1);
  }
  let bits = parts.length * 8;
  while (parts.length < 4) parts.push(0);
  const addr = parts.reduce((value, part) => value * 256 + part, 0);
  if (length !== undefined) {
    if (!isNet || !/^\d+$/.test(length) || Number(length) > 32) throw syntaxError();
    bits = Number(length);
  }
  if (networkOf(addr, bits) !== addr)
    throw new Unsupported(`tcpdump net ${text} with host bits set`);
  return { addr, bits };
}

/** Formats an expression so that {@link parseFilter} reads back the same tree. */
export function formatFilter(expr: FilterExpr): string {
  switch (expr.kind) {
    case "proto":
      return expr.proto;
    case "host":
    case "net": {
      const dir = expr.dir === "any" ? "" : `${expr.dir} `;
      if (expr.kind === "net") return `${dir}net ${formatIp4(expr.addr)}/${expr.bits}`;
      const parts = formatIp4(expr.addr)
        .split(".")
        .slice(0, expr.bits / 8);
      return `${dir}host ${parts.join(".")}`;
    }
    case "port": {
      const proto = expr.proto === undefined ? "" : `${expr.proto} `;
      const dir = expr.dir === "any" ? "" : `${expr.dir} `;
      return `${proto}${dir}port ${expr.port}`;
    }
    case "byte": {
      const mask = expr.mask === undefined ? "" : ` & ${expr.mask}`;
      const proto = expr.field === "tcpflags" ? "tcp" : "icmp";
      return `${proto}[${expr.field}]${mask} ${expr.op} ${expr.value}`;
    }
    case "not":
      return `not ${formatOperand(expr.operand)}`;
    case "and":
    case "or":
      // Left-associative: the left side needs no parentheses, a binary right side does.
      return `${formatFilter(expr.left)} ${expr.kind} ${formatOperand(expr.right)}`;
  }
}

function formatOperand(expr: FilterExpr): string {
  return expr.kind === "and" || expr.kind === "or" ? `(${formatFilter(expr)})` : formatFilter(expr);
}

/** A compiled filter: whether a frame matches. */
export type FramePredicate = (frame: Frame) => boolean;

const compiled = new Map<string, FramePredicate>();

/**
 * Returns the predicate of expression `text`, compiling it on first use; the empty expression
 * matches every frame. Throws like {@link parseFilter}.
 */
export function compileFilterText(text: string): FramePredicate {
  const cached = compiled.get(text);
  if (cached !== undefined) return cached;
  const expr = parseFilter(text);
  const predicate = expr === undefined ? () => true : compileFilter(expr);
  compiled.set(text, predicate);
  return predicate;
}

/**
 * Reports whether expression `expr` (none: undefined) admits an ICMPv6 packet, such as the
 * router solicitations and MLD reports Linux sends on a link. Every test the parser models is
 * false for one (`icmp` is ICMP over IPv4, `tcp` and `udp` are other protocols, and addresses
 * are IPv4), so only `not` turns one true.
 */
export function admitsIcmp6(expr: FilterExpr | undefined): boolean {
  if (expr === undefined) return true;
  switch (expr.kind) {
    case "and":
      return admitsIcmp6(expr.left) && admitsIcmp6(expr.right);
    case "or":
      return admitsIcmp6(expr.left) || admitsIcmp6(expr.right);
    case "not":
      return !admitsIcmp6(expr.operand);
    default:
      return false;
  }
}

/** Compiles an expression tree into a predicate over frames. */
export function compileFilter(expr: FilterExpr): FramePredicate {
  switch (expr.kind) {
    case "proto":
      return compileProto(expr.proto);
    case "host":
    case "net":
      return compileAddress(expr.dir, expr.addr, maskOf(expr.bits));
    case "port":
      return compilePort(expr.dir, expr.port, expr.proto);
    case "byte": {
      const mask = expr.mask ?? 0xff;
      const isEqual = expr.op === "==";
      const { field, value } = expr;
      return (frame) => {
        const byte = headerByte(frame, field);
        if (byte === undefined) return false;
        return ((byte & mask) === value) === isEqual;
      };
    }
    case "not": {
      const operand = compileFilter(expr.operand);
      return (frame) => !operand(frame);
    }
    case "and": {
      const left = compileFilter(expr.left);
      const right = compileFilter(expr.right);
      return (frame) => left(frame) && right(frame);
    }
    case "or": {
      const left = compileFilter(expr.left);
      const right = compileFilter(expr.right);
      return (frame) => left(frame) || right(frame);
    }
  }
}

function compileProto(proto: "ip" | "arp" | "icmp" | "tcp" | "udp"): FramePredicate {
  if (proto === "arp") return (frame) => frame.body.kind === "arp";
  if (proto === "ip") return (frame) => frame.body.kind === "ip";
  return (frame) => frame.body.kind === "ip" && frame.body.packet.protocol === proto;
}

function compileAddress(dir: Direction, addr: number, mask: number): FramePredicate {
  const isIn = (candidate: number) => (candidate & mask) >>> 0 === addr;
  return (frame) => {
    const [src, dst] =
      frame.body.kind === "ip"
        ? [frame.body.packet.src, frame.body.packet.dst]
        : [frame.body.arp.senderIp, frame.body.arp.targetIp];
    if (dir === "src") return isIn(src);
    if (dir === "dst") return isIn(dst);
    return isIn(src) || isIn(dst);
  };
}

function compilePort(
  dir: Direction,
  port: number,
  proto: "tcp" | "udp" | undefined,
): FramePredicate {
  return (frame) => {
    if (frame.body.kind !== "ip") return false;
    const packet = frame.body.packet;
    if (packet.protocol === "icmp") return false;
    if (proto !== undefined && packet.protocol !== proto) return false;
    const header = packet.protocol === "tcp" ? packet.tcp : packet.udp;
    if (dir === "src") return header.srcPort === port;
    if (dir === "dst") return header.dstPort === port;
    return header.srcPort === port || header.dstPort === port;
  };
}

/** Returns the header byte `field` of `frame`, or undefined when the frame has no such header. */
function headerByte(frame: Frame, field: ByteField): number | undefined {
  if (frame.body.kind !== "ip") return undefined;
  const packet = frame.body.packet;
  if (field === "tcpflags")
    return packet.protocol === "tcp" ? tcpFlagsByte(packet.tcp.flags) : undefined;
  if (packet.protocol !== "icmp") return undefined;
  return field === "icmptype" ? packet.icmp.type : packet.icmp.code;
}

/** Returns byte 13 of a TCP header: the flag bits FIN 0x01 to CWR 0x80 (RFC 9293). */
export function tcpFlagsByte(flags: {
  syn?: boolean;
  ack?: boolean;
  fin?: boolean;
  rst?: boolean;
  psh?: boolean;
}): number {
  let byte = 0;
  if (flags.fin === true) byte |= 0x01;
  if (flags.syn === true) byte |= 0x02;
  if (flags.rst === true) byte |= 0x04;
  if (flags.psh === true) byte |= 0x08;
  if (flags.ack === true) byte |= 0x10;
  return byte;
}
