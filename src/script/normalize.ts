/**
 * Replaces the fields of a transcript that change from run to run with fixed placeholders, so
 * that a kernel recording, a fresh kernel run and hoptrace's output can be compared as text.
 *
 * Source of truth: the volatile fields listed with the kernel case recordings. Two kernel runs of
 * the same case differed only in these fields: ping and traceroute timings, MAC addresses and
 * what derives from them (IPv6 link-local addresses, solicited-node multicast MACs), DAD state,
 * wall-clock lines, and in the netfilter cases tcpdump timestamps, ICMP echo ids, TCP ephemeral
 * ports and sequence state, conntrack timeouts, reference counts and entry order, and
 * `iptables-save` dates, and process ids in bash's messages. Every other byte is compared as it is.
 *
 * Pure: no Node APIs.
 */

/** A replacement applied to one line at a time. */
interface LineRule {
  /** Only lines that match `applies` are rewritten; all lines when it is absent. */
  readonly applies?: RegExp;
  readonly pattern: RegExp;
  readonly replacement: string | ((match: string, ...groups: string[]) => string);
}

/** First and last port of Linux's default `net.ipv4.ip_local_port_range` (32768 60999). */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;

/** Marks a port as `<port>` when the kernel could have picked it as an ephemeral port. */
function maskEphemeral(port: string): string {
  const value = Number(port);
  return value >= EPHEMERAL_FIRST && value <= EPHEMERAL_LAST ? "<port>" : port;
}

/**
 * A conntrack entry, as `conntrack -L` or `/proc/net/nf_conntrack` prints it, before or after its
 * timeout column was masked.
 */
const CONNTRACK_ENTRY = /^(?:ipv[46] +\d+ +)?[a-z]+ +\d+ +(?:\d+|<timeout>) .*\bsrc=\S+ dst=\S+/;
/** A tcpdump line for a TCP segment. */
const TCPDUMP_TCP = / Flags \[[^\]]*\]/;
/** A tcpdump line of a TCP segment without SYN. */
const TCPDUMP_TCP_AFTER_SYN = / Flags \[[^\]S]*\]/;
/** A traceroute hop line: the hop number right-aligned in two columns, then two spaces. */
const TRACEROUTE_HOP = /^[ \d]\d {2}\S/;

const LINE_RULES: readonly LineRule[] = [
  // ping measures each round trip.
  { pattern: /\btime=\d+(?:\.\d+)? ms\b/g, replacement: "time=<rtt> ms" },
  // ping's summary gives the time from first to last probe, which varies by some milliseconds.
  { pattern: /\btime \d+ms\b/g, replacement: "time <elapsed>ms" },
  // The rtt line summarises the measured round trips.
  {
    pattern: /^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/,
    replacement: "rtt min/avg/max/mdev = <rtt>/<rtt>/<rtt>/<rtt> ms",
  },
  // traceroute prints a measured time after each answering probe.
  { applies: TRACEROUTE_HOP, pattern: /(?<= {2})\d+\.\d{3} ms/g, replacement: "<rtt> ms" },
  // bash's `time` keyword, with TIMEFORMAT='[took %1R s]', prints wall-clock time. The kernel's
  // runs take some milliseconds longer than the timers alone, so whole seconds are compared.
  {
    pattern: /^\[took (\d+(?:\.\d+)?) s\]$/,
    replacement: (_match: string, seconds: string) =>
      `[took about ${Math.round(Number(seconds))} s]`,
  },
  // Without TIMEFORMAT it prints the wall-clock, user and system times on lines of their own.
  { pattern: /^(real|user|sys)\t\d+m\d+\.\d{3}s$/, replacement: "$1\t<time>" },
  // A solicited-node multicast MAC carries the low 24 bits of the link-local address, which is
  // derived from the random MAC.
  { pattern: /\b33:33:ff(?::[0-9a-f]{2}){3}\b/g, replacement: "33:33:ff:<mac>" },
  // veth and bridge MACs are random; the all-zero, broadcast and multicast group MACs are fixed.
  // NOTE: a unicast MAC set by hand (`ip link set X address ...`) is masked too, so a wrong one
  // goes unnoticed; no recorded case sets one yet.
  { pattern: /\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, replacement: maskMac },
  // IPv6 link-local addresses are derived from the random MAC. Column padding after the address
  // is kept at the same total width, so a padded column still lines up.
  {
    pattern: /\bfe80::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,3}\b( {2,})?/g,
    replacement: (match: string, padding: string | undefined) =>
      padding === undefined ? "fe80::<iid>" : "fe80::<iid>".padEnd(match.length, " "),
  },
  // An IPv6 address is `tentative` only during duplicate address detection, about 1-2 s.
  { pattern: / tentative\b/g, replacement: "" },
  // bash's `kill` and `wait` name a process id, which the kernel picks.
  { pattern: /\b(kill: \(|wait: pid )\d+\b/g, replacement: "$1<pid>" },
  // bash reports a job that a signal killed by its pid, padded to five columns.
  {
    pattern: /^(bash: line \d+:) +\d+ (?=Hangup|Quit|Killed|User defined signal)/,
    replacement: "$1 <pid> ",
  },
  // tcpdump prints the capture time of each packet.
  { pattern: /^\d{2}:\d{2}:\d{2}\.\d{6} /, replacement: "<time> " },
  // ping picks its ICMP echo identifier per run; tcpdump prints it as "id N".
  { applies: /ICMP echo (?:request|reply)/, pattern: /\bid \d+,/g, replacement: "id <id>," },
  // TCP picks a source port from the ephemeral range; tcpdump prints it after the address.
  {
    pattern: /\b(\d{1,3}(?:\.\d{1,3}){3})\.(\d{5})\b/g,
    replacement: (_match: string, addr: string, port: string) => `${addr}.${maskEphemeral(port)}`,
  },
  // Initial sequence numbers and TCP timestamps are random; the window scale follows memory size.
  { applies: TCPDUMP_TCP, pattern: /\bseq \d+(?::\d+)?/g, replacement: "seq <seq>" },
  { applies: TCPDUMP_TCP, pattern: /\back \d+/g, replacement: "ack <seq>" },
  { applies: TCPDUMP_TCP, pattern: /\bTS val \d+ ecr \d+/g, replacement: "TS val <ts> ecr <ts>" },
  { applies: TCPDUMP_TCP, pattern: /\bwscale \d+/g, replacement: "wscale <n>" },
  // After the handshake the window field is scaled down by that window scale.
  { applies: TCPDUMP_TCP_AFTER_SYN, pattern: /\bwin \d+/, replacement: "win <win>" },
  // A conntrack entry's timeout counts down from the moment the flow was last seen.
  {
    applies: CONNTRACK_ENTRY,
    pattern: /^((?:ipv[46] +\d+ +)?[a-z]+ +\d+ +)\d+ /,
    replacement: "$1<timeout> ",
  },
  // conntrack prints ping's ICMP echo identifier as id=N and the reference count as use=N.
  { applies: CONNTRACK_ENTRY, pattern: /\bid=\d+/g, replacement: "id=<id>" },
  { applies: CONNTRACK_ENTRY, pattern: /\buse=\d+/g, replacement: "use=<n>" },
  {
    applies: CONNTRACK_ENTRY,
    pattern: /\b([sd]port)=(\d+)/g,
    replacement: (_match: string, key: string, port: string) => `${key}=${maskEphemeral(port)}`,
  },
  // coreutils quotes with U+2018 and U+2019 in a UTF-8 locale and with ' in the C locale; the
  // recordings ran under C.UTF-8 and the sandbox runs under LC_ALL=C.
  { pattern: /[\u2018\u2019]/g, replacement: "'" },
  // iptables-save stamps its header and footer with the current date.
  {
    pattern: /^(# (?:Generated by iptables-save v[\d.]+ \([^)]*\) on|Completed on)) .+$/,
    replacement: "$1 <date>",
  },
];

function maskMac(mac: string): string {
  if (mac === "00:00:00:00:00:00" || mac === "ff:ff:ff:ff:ff:ff") return mac;
  // The group bit (lowest bit of the first octet) marks a multicast MAC.
  const isMulticast = (Number.parseInt(mac.slice(0, 2), 16) & 1) === 1;
  return isMulticast ? mac : "<mac>";
}

/**
 * Returns `text` with every volatile field replaced by a fixed placeholder such as `<rtt>` or
 * `<mac>`, and with each run of consecutive conntrack entries sorted, because conntrack lists
 * entries in hash order.
 *
 * The all-zero and broadcast MACs and multicast group MACs such as `01:00:5e:00:00:01` are kept,
 * because they do not change between runs; only the solicited-node group `33:33:ff:..` is masked.
 * Ports are masked only inside the kernel's default ephemeral range, so fixed ports such as 80,
 * 8080 or 5000 stay. Normalising an already normalised text changes nothing.
 */
export function normalizeTranscript(text: string): string {
  const lines = dropIgmpEntries(text.split("\n")).map(normalizeLine);
  return sortNeighbourListings(sortConntrackRuns(lines)).join("\n");
}

/**
 * The command of an `ip neigh` listing, any abbreviation and options (`-n NS` and `-netns NS`
 * take a value): bare, `show`, `list` or `ls`.
 */
const NEIGH_LISTING =
  /(?:^|\s)ip(?:\s+-n(?:e|et|etn|etns)?\s+\S+|\s+-\S+)*\s+n(?:e|ei|eigh|eighbour)?(?:\s+(?:show|list|ls|lst)\b.*)?$/;

/**
 * Sorts the entries that `ip neigh show` prints, keeping IPv4 entries before IPv6 ones. The
 * kernel lists a neighbour table in hash order, and it seeds that hash at random each time it
 * allocates the table's buckets, so two runs of one script can list the same entries in
 * different orders.
 */
function sortNeighbourListings(lines: string[]): string[] {
  const sorted: string[] = [];
  let listing = false;
  let run: string[] = [];
  const flush = (): void => {
    run.sort(compareNeighbours);
    sorted.push(...run);
    run = [];
  };
  for (const line of lines) {
    if (line.startsWith("$ ")) {
      flush();
      listing = NEIGH_LISTING.test(line.slice(2));
      sorted.push(line);
    } else if (listing && line !== "" && !line.startsWith("[exit ")) {
      run.push(line);
    } else {
      flush();
      sorted.push(line);
    }
  }
  flush();
  return sorted;
}

/** Orders neighbour entries IPv4 first, then by their text. */
function compareNeighbours(a: string, b: string): number {
  const byFamily = neighbourFamily(a) - neighbourFamily(b);
  if (byFamily !== 0) return byFamily;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Returns 4 or 6: an entry's address comes first, and only IPv6 addresses contain a colon. */
function neighbourFamily(entry: string): number {
  return (entry.split(" ", 1)[0] ?? "").includes(":") ? 6 : 4;
}

/** A conntrack entry of an IGMP report that a bridge with an address sent on its own. */
const IGMP_ENTRY = /^(?:ipv4 {5}2 )?unknown {2}2 .* dst=224\.0\.0\.22 /;

/**
 * Removes conntrack's entries for the IGMP reports Linux sends on its own after an address is
 * added, and lowers the `N flow entries` count of the same command to match. The entry is
 * volatile: whether a report falls after tracking started depends on a random delay.
 */
function dropIgmpEntries(lines: string[]): string[] {
  const kept: string[] = [];
  let summaryAt: number | undefined;
  for (const line of lines) {
    if (line.startsWith("$ ")) summaryAt = undefined;
    if (/ flow entries have been shown\.$/.test(line)) summaryAt = kept.length;
    if (!IGMP_ENTRY.test(line)) {
      kept.push(line);
      continue;
    }
    if (summaryAt === undefined) continue;
    kept[summaryAt] = kept[summaryAt]!.replace(/(\d+)(?= flow entries)/, (count) =>
      String(Number(count) - 1),
    );
  }
  return kept;
}

function normalizeLine(line: string): string {
  let result = line;
  for (const rule of LINE_RULES) {
    if (rule.applies !== undefined && !rule.applies.test(result)) continue;
    // A string or a function both fit replace(); TypeScript needs the overloads spelled out.
    result =
      typeof rule.replacement === "string"
        ? result.replace(rule.pattern, rule.replacement)
        : result.replace(rule.pattern, rule.replacement);
  }
  return result;
}

function sortConntrackRuns(lines: string[]): string[] {
  const sorted = [...lines];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end < sorted.length && CONNTRACK_ENTRY.test(sorted[end] ?? "")) end++;
    if (end - start > 1) {
      const run = sorted.slice(start, end).sort();
      sorted.splice(start, run.length, ...run);
    }
    start = Math.max(end, start + 1);
  }
  return sorted;
}
