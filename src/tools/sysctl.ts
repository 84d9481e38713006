/**
 * `sysctl` (procps-ng) for the IPv4 keys the model implements. Writing `net.ipv4.ip_forward`
 * rewrites `conf.all.forwarding` and every link's `forwarding`, as the kernel does
 * (net/ipv4/devinet.c, `devinet_sysctl_forward` and `inet_forward_change`); writing
 * `conf.all.forwarding` does the same in reverse.
 */
import { Unsupported } from "../errors.js";
import type { ConfKey, Link, Netns } from "../netns/state.js";
import { CONF_KEYS, DEFAULT_COPIED_CONF_KEYS, findLink, linksOf } from "../netns/state.js";
import type { ToolContext } from "./context.js";
import { currentNs, errLines } from "./context.js";
import { isDirectory, readFile } from "../proc/vfs.js";
import { SYSCTL_NAME_PREFIXES, SYSCTL_NAMES } from "./sysctl-names.js";

/** The help procps-ng's sysctl prints to stderr when it gets no arguments at all. */
const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).`;

/** The options of one `sysctl` run that change how each name is handled. */
interface SysctlFlags {
  isWrite: boolean;
  isQuiet: boolean;
  isValueOnly: boolean;
  isIgnoringUnknown: boolean;
}

/** Runs `sysctl ARGS`. */
export function sysctl(ctx: ToolContext, args: string[]): number {
  const flags: SysctlFlags = {
    isWrite: false,
    isQuiet: false,
    isValueOnly: false,
    isIgnoringUnknown: false,
  };
  // With -p (or -f, --load), every operand names a file of settings to write.
  let isLoading = false;
  const operands: string[] = [];
  for (const arg of args) {
    // -o and -x do nothing. -p takes its file only when it is attached (`-pFILE`).
    const short = /^-([wqnNeox]*)([pf]?)(.*)$/.exec(arg);
    if (arg.startsWith("--load")) {
      if (arg !== "--load" && !arg.startsWith("--load="))
        throw new Unsupported(`sysctl option ${arg}`);
      isLoading = true;
      if (arg.startsWith("--load=")) operands.push(arg.slice("--load=".length));
    } else if (short !== null && arg !== "-" && (short[2] !== "" || short[3] === "")) {
      const letters = short[1]!;
      flags.isWrite ||= letters.includes("w");
      flags.isQuiet ||= letters.includes("q");
      flags.isValueOnly ||= letters.includes("n");
      flags.isIgnoringUnknown ||= letters.includes("e");
      if (short[2] !== "") isLoading = true;
      if (short[3] !== "") operands.push(short[3]!);
    } else if (arg.startsWith("-")) throw new Unsupported(`sysctl option ${arg}`);
    else operands.push(arg);
  }
  if (args.length === 0) {
    errLines(ctx).push(USAGE);
    return 1;
  }
  if (isLoading) return loadFiles(ctx, operands, flags);
  if (operands.length === 0) {
    errLines(ctx).push(
      "sysctl: no variables specified",
      "Try `sysctl --help' for more information.",
    );
    return 1;
  }
  const ns = currentNs(ctx);
  let status = 0;
  // procps handles each operand on its own: a bad one prints an error and the operands after it
  // still run. A failed write ORs 1 into the exit status and a failed read adds 1, so
  // `sysctl bad1 ok bad2` exits 2 (recorded with procps-ng on Linux 6.18). With -e, a name that
  // Linux lacks is skipped without a message and leaves the status alone.
  for (const operand of operands) status = applyOperand(ctx, ns, operand, flags, status);
  // procps sums the statuses in an int, and the exit status is its low byte, so -1 is 255.
  return status & 0xff;
}

/**
 * `sysctl -p FILE...` (procps-ng 4.0.2, recorded on Linux 6.18): reads every file first, which
 * prints each unreadable file and each line without `=` in file order, then writes every
 * setting as `-w NAME=VALUE` would, in order. A line is trimmed, and blank lines and lines that
 * start with `#` or `;` are skipped. A leading `-` on a name is dropped. An unreadable file or a
 * failed write makes the exit status 1, a line without `=` does not.
 */
function loadFiles(ctx: ToolContext, files: readonly string[], flags: SysctlFlags): number {
  if (files.length === 0) {
    throw new Unsupported(
      "sysctl -p without a file (it reads /etc/sysctl.conf, which the model does not have)",
    );
  }
  let status = 0;
  const settings: string[] = [];
  for (const file of files) {
    if (!file.startsWith("/")) throw new Unsupported(`relative paths (${file})`);
    if (file.startsWith("/proc/")) throw new Unsupported(`sysctl -p of ${file}`);
    const text = readFile(ctx.state, file);
    if (text === undefined || isDirectory(ctx.state, file)) {
      errLines(ctx).push(`sysctl: cannot open "${file}": No such file or directory`);
      status |= 1;
      continue;
    }
    text.split("\n").forEach((raw, index) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
      const eq = line.indexOf("=");
      if (eq < 0) {
        errLines(ctx).push(`sysctl: ${file}(${index + 1}): invalid syntax, continuing...`);
        return;
      }
      const name = line.slice(0, eq).trim().replace(/^-/, "");
      if (/[*?[]/.test(name)) throw new Unsupported(`sysctl -p with a pattern in a name (${name})`);
      settings.push(`${name}=${line.slice(eq + 1).trim()}`);
    });
  }
  const ns = currentNs(ctx);
  for (const setting of settings) {
    status = applyOperand(ctx, ns, setting, { ...flags, isWrite: true }, status);
  }
  return status & 0xff;
}

/** Reads or writes one operand (`NAME` or `NAME=VALUE`) and returns the updated exit status. */
function applyOperand(
  ctx: ToolContext,
  ns: Netns,
  operand: string,
  flags: SysctlFlags,
  status: number,
): number {
  const eq = operand.indexOf("=");
  if (eq < 0 && flags.isWrite) {
    errLines(ctx).push("sysctl: command line(0): invalid syntax, continuing...");
    return status | 1;
  }
  // A name to write is trimmed, one to read is taken as it is.
  const name = eq < 0 ? operand : operand.slice(0, eq).trim();
  if (eq < 0 && name === "") {
    errLines(ctx).push(`sysctl: "" is an unknown key`);
    return status - 1;
  }
  // A dotted name becomes a path by swapping dots and slashes, so a link named `v0.5` is
  // `conf.v0/5`. A name written as a path prints dotted the same way. A leading separator is
  // dropped, and repeated ones count once, with a warning.
  const repeated = /[./]{2}/.exec(name);
  if (repeated !== null) {
    errLines(ctx).push(`sysctl: separators should not be repeated: ${name.slice(repeated.index)}`);
  }
  const path = slashdot(name, ".", "/")
    .replace(/\/{2,}/g, "/")
    .replace(/^\//, "");
  const dottedName = slashdot(name, "/", ".");
  if (path === "") {
    errLines(ctx).push("sysctl: Path is not under /proc/sys/: /proc/sys/");
    return status | 1;
  }
  if (isDirectoryPath(ns, path)) throw new Unsupported(`sysctl on the directory ${path}`);
  const key = keyOfSysctlPath(path);
  if (eq >= 0) {
    const value = operand.slice(eq + 1).trim();
    const errno = key === undefined ? "ENOENT" : writeKey(ns, key, value);
    if (errno === "ENOENT" && flags.isIgnoringUnknown) return status;
    if (errno !== undefined) {
      errLines(ctx).push(
        errno === "ENOENT"
          ? cannotStat(ns, path)
          : `sysctl: setting key "${dottedName}": Invalid argument`,
      );
      return status | 1;
    }
    // procps echoes the value as it was given (`ip_forward=2` prints 2), not the value read
    // back, and not the tab-separated text of ping_group_range.
    if (!flags.isQuiet) ctx.out.push(flags.isValueOnly ? value : `${dottedName} = ${value}`);
    return status;
  }
  const value = key === undefined ? undefined : readSysctlText(ns, key);
  if (value === undefined) {
    if (flags.isIgnoringUnknown) return status;
    errLines(ctx).push(cannotStat(ns, path));
    return status + 1;
  }
  ctx.out.push(flags.isValueOnly ? value : `${dottedName} = ${value}`);
  return status;
}

/**
 * Returns the text of the /proc/sys file of sysctl `key` (dotted) in `ns`, without its newline,
 * or undefined when Linux has no such name.
 *
 * @throws Unsupported for a real name the model does not implement.
 */
export function readSysctlText(ns: Netns, key: string): string | undefined {
  if (key === PING_GROUP_RANGE) return pingGroupRangeText(ns);
  const value = readKey(ns, key);
  return value === undefined ? undefined : String(value);
}

/**
 * Writes `text` to sysctl `key` (dotted) in `ns`, as a write(2) of it to the /proc/sys file
 * does. Returns ENOENT when Linux has no such name and EINVAL when the kernel rejects the value.
 * The kernel skips leading whitespace and, for a one-number sysctl, stops after the first
 * number and its whitespace: the write succeeds in part, and a strict-mode kernel ignores the
 * rest, so `1\n0\n` sets 1.
 *
 * @throws Unsupported for a real name the model does not implement.
 */
export function writeSysctlText(
  ns: Netns,
  key: string,
  text: string,
): "ENOENT" | "EINVAL" | undefined {
  const trimmed = text.trim();
  return writeKey(ns, key, key === PING_GROUP_RANGE ? trimmed : trimmed.split(/\s+/)[0]!);
}

/** The one modelled sysctl with two numbers: the gid range allowed to open ICMP sockets. */
const PING_GROUP_RANGE = "net.ipv4.ping_group_range";

/** Returns the file text of `ping_group_range`: low and high gid, tab-separated; `1 0` by default. */
function pingGroupRangeText(ns: Netns): string {
  const [low, high] = ns.pingGroupRange ?? [1, 0];
  return `${low}\t${high}`;
}

/**
 * Writes `ping_group_range` (net/ipv4/sysctl_net_ipv4.c, `ipv4_ping_group_range`): two gids
 * from 0 to 2^31-1. Returns EINVAL when the kernel rejects the text.
 */
function writePingGroupRange(ns: Netns, text: string): "EINVAL" | undefined {
  const match = /^(\d+)\s+(\d+)$/.exec(text);
  const gids = match === null ? [] : [Number(match[1]), Number(match[2])];
  if (gids.length !== 2 || gids.some((gid) => gid > 2 ** 31 - 1)) return "EINVAL";
  ns.pingGroupRange = [gids[0]!, gids[1]!];
  return undefined;
}

/**
 * Swaps `from` and `to` in `name` from its first separator on, unless that separator is already
 * `to` (procps `slashdot`): `net.ipv4.conf.v0/5.rp_filter` and `net/ipv4/conf/v0.5/rp_filter`
 * are the same file.
 */
function slashdot(name: string, from: string, to: string): string {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === to) return name;
  const swapped = name
    .slice(first)
    .replace(/[./]/g, (separator) => (separator === from ? to : from));
  return name.slice(0, first) + swapped;
}

/**
 * Returns the model's dotted key of the sysctl file at `path` under /proc/sys, or undefined when
 * no sysctl has that path. Only a link name in `net/ipv4/conf/LINK/KEY` or
 * `net/ipv4/neigh/LINK/KEY` may contain a dot.
 */
export function keyOfSysctlPath(path: string): string | undefined {
  const parts = path.split("/");
  const isPerLink = parts[0] === "net" && parts[1] === "ipv4" && /^(conf|neigh)$/.test(parts[2]!);
  if (isPerLink && parts.length !== 5) return undefined;
  if (parts.some((part, index) => part.includes(".") && !(isPerLink && index === 3))) {
    return undefined;
  }
  return parts.join(".");
}

/** Splits `net.ipv4.conf.NAME.KEY` into its link name (or all/default) and key. */
function confParts(key: string): { target: string; name: ConfKey } | undefined {
  const match = /^net\.ipv4\.conf\.(.+)\.([a-z_]+)$/.exec(key);
  if (match === null) return undefined;
  return { target: match[1]!, name: match[2] as ConfKey };
}

function readKey(ns: Netns, key: string): number | undefined {
  const conf = confParts(key);
  if (conf !== undefined) {
    if (!CONF_KEYS.includes(conf.name)) return unmodelledKey(ns, key);
    if (conf.target === "all") return ns.confAll[conf.name];
    if (conf.target === "default") return ns.confDefault[conf.name];
    return findLink(ns, conf.target)?.conf[conf.name];
  }
  const neigh = /^net\.ipv4\.neigh\.([^.]+)\.(mcast_solicit|retrans_time_ms)$/.exec(key);
  if (neigh !== null) {
    if (neigh[1] !== "default" && findLink(ns, neigh[1]!) === undefined) return undefined;
    return ns.sysctl[`net.ipv4.neigh.default.${neigh[2]}`];
  }
  if (key in ns.sysctl) return ns.sysctl[key];
  if (key.startsWith("net.")) return unmodelledKey(ns, key);
  return undefined;
}

/**
 * Handles a name the model has no value for: returns undefined ("cannot stat") when Linux has no
 * such name either, and throws `Unsupported` for a real name that hoptrace does not model or
 * one outside the prefixes the recorded list covers.
 */
function unmodelledKey(ns: Netns, key: string): undefined {
  const isCovered = SYSCTL_NAME_PREFIXES.some((prefix) => key.startsWith(prefix));
  if (isCovered && !isLinuxName(ns, key)) return undefined;
  throw new Unsupported(`sysctl ${key}`);
}

const LINUX_NAMES = new Set(SYSCTL_NAMES);

/** Reports whether Linux has `key` in `ns`; a per-link name needs the link to exist. */
function isLinuxName(ns: Netns, key: string): boolean {
  const perLink = /^net\.ipv4\.(conf|neigh)\.(.+)\.([^.]+)$/.exec(key);
  if (perLink === null) return LINUX_NAMES.has(key);
  const [, family, target, name] = perLink;
  // NOTE: neigh.default exists only in the initial namespace, and it is taken here to have the
  // same names as a link.
  if (!hasTarget(ns, family!, target!)) return false;
  return LINUX_NAMES.has(`net.ipv4.${family}.*.${name}`);
}

/** Reports whether `ns` has the directory `target` under `net.ipv4.conf` or `net.ipv4.neigh`. */
function hasTarget(ns: Netns, family: string, target: string): boolean {
  const isNamedTarget = target === "default" || (family === "conf" && target === "all");
  return isNamedTarget || findLink(ns, target) !== undefined;
}

/** Returns procps's error for a path it cannot stat: a path below a file is not a directory. */
function cannotStat(ns: Netns, path: string): string {
  const parent = path.replace(/\/+$/, "");
  const isBelowFile = parent !== path && isSysctlFile(ns, parent);
  const reason = isBelowFile ? "Not a directory" : "No such file or directory";
  return `sysctl: cannot stat /proc/sys/${path}: ${reason}`;
}

/** Reports whether `path` names a sysctl file of `ns`. */
function isSysctlFile(ns: Netns, path: string): boolean {
  const key = keyOfSysctlPath(path);
  return key !== undefined && readSysctlText(ns, key) !== undefined;
}

/** Reports whether `path` is the directory of a link, or of all or default, under conf or neigh. */
function isDirectoryPath(ns: Netns, path: string): boolean {
  const match = /^net\/ipv4\/(conf|neigh)\/([^/]+)\/?$/.exec(path);
  if (match === null) return false;
  const [, family, target] = match;
  return hasTarget(ns, family!, target!);
}

/** Keys whose handler rejects negative values (`proc_dointvec_ms_jiffies` for the rate limit). */
const NON_NEGATIVE_KEYS = ["net.ipv4.icmp_ratelimit"];

/**
 * Keys the kernel bounds (`proc_dointvec_minmax`), with the bounds Linux 6.18 applied in the
 * tcp-connect-errors recording: values outside them fail with EINVAL.
 */
const BOUNDED_KEYS: Readonly<Record<string, [number, number]>> = {
  "net.ipv4.tcp_syn_retries": [1, 127],
  "net.ipv4.tcp_syn_linear_timeouts": [0, 127],
};

/** Returns the value the kernel would store for `text`, or undefined when it answers EINVAL. */
function parseValue(key: string, text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  if (value < 0 && NON_NEGATIVE_KEYS.includes(key)) return undefined;
  const bounds = BOUNDED_KEYS[key];
  if (bounds !== undefined && (value < bounds[0] || value > bounds[1])) return undefined;
  return value;
}

/**
 * Conf keys whose other values change behaviour the model does not have, with that behaviour:
 * writing 0, their default, is accepted, and any other value is not supported.
 */
const DEFAULT_ONLY_CONF: Partial<Record<ConfKey, string>> = {
  proxy_arp: "proxy ARP is not modelled",
  arp_announce: "ARP source selection by arp_announce is not modelled",
  arp_filter: "ARP filtering by route is not modelled",
  route_localnet: "routing of 127/8 outside lo is not modelled",
};

/** Writes `key`; returns ENOENT when Linux has no such name and EINVAL for a rejected value. */
function writeKey(ns: Netns, key: string, text: string): "ENOENT" | "EINVAL" | undefined {
  if (key === PING_GROUP_RANGE) return writePingGroupRange(ns, text);
  if (readKey(ns, key) === undefined) return "ENOENT";
  const value = parseValue(key, text);
  if (value === undefined) return "EINVAL";
  const conf = confParts(key);
  if (key === "net.ipv4.ip_forward" || (conf?.target === "all" && conf.name === "forwarding")) {
    // devinet_sysctl_forward stores the value as written (2 reads back as 2) and copies it to
    // every link only when it changes, so writing the current value again leaves a link that
    // was turned off alone.
    if (value !== ns.confAll.forwarding) setForwarding(ns, value);
    return undefined;
  }
  if (conf !== undefined) {
    const behaviour = DEFAULT_ONLY_CONF[conf.name];
    if (behaviour !== undefined && value !== 0) {
      throw new Unsupported(`sysctl -w ${key}=${value} (${behaviour})`);
    }
    if (conf.target === "all") ns.confAll[conf.name] = value;
    else if (conf.target === "default") writeDefaultConf(ns, conf.name, value);
    else writeLinkConf(findLink(ns, conf.target)!, conf.name, value);
    return undefined;
  }
  if (key.startsWith("net.ipv4.neigh.")) throw new Unsupported(`sysctl -w ${key}`);
  ns.sysctl[key] = value;
  return undefined;
}

/**
 * Writes `conf.default.KEY`, copies it to every link that has not pinned `key`, and pins it on
 * the default, so that links created later start with it pinned.
 */
function writeDefaultConf(ns: Netns, key: ConfKey, value: number): void {
  ns.confDefault[key] = value;
  if (!DEFAULT_COPIED_CONF_KEYS.includes(key)) return;
  ns.confDefaultPinned = withKey(ns.confDefaultPinned, key);
  for (const link of linksOf(ns)) {
    if (link.confPinned?.includes(key) !== true) link.conf[key] = value;
  }
}

/** Writes `conf.LINK.KEY` and pins `key`, so that later `conf.default` writes leave it alone. */
function writeLinkConf(link: Link, key: ConfKey, value: number): void {
  link.conf[key] = value;
  if (DEFAULT_COPIED_CONF_KEYS.includes(key)) link.confPinned = withKey(link.confPinned, key);
}

function withKey(keys: readonly ConfKey[] | undefined, key: ConfKey): ConfKey[] {
  return keys?.includes(key) === true ? [...keys] : [...(keys ?? []), key];
}

function setForwarding(ns: Netns, value: number): void {
  ns.sysctl["net.ipv4.ip_forward"] = value;
  ns.confAll.forwarding = value;
  ns.confDefault.forwarding = value;
  for (const link of linksOf(ns)) link.conf.forwarding = value;
}
