/**
 * The generated files under /proc that scripts read with `cat` and list with `ls`: the
 * conntrack table (`/proc/net/nf_conntrack`) and the sysctl files under `/proc/sys/net`, which
 * shell redirections also write. Both depend on the namespace the reader runs in, as on Linux,
 * where /proc/net and /proc/sys/net follow the reader's network namespace.
 */
import { Unsupported } from "../errors.js";
import type { NetState } from "../netns/state.js";
import { linksOf } from "../netns/state.js";
import { procNfConntrack } from "../tools/conntrack-view.js";
import { keyOfSysctlPath, readSysctlText, writeSysctlText } from "../tools/sysctl.js";
import { SYSCTL_NAMES, SYSCTL_NAME_PREFIXES } from "../tools/sysctl-names.js";

/** Reports whether `path` lies under /proc, where the model generates what it shows. */
export function isProcPath(path: string): boolean {
  return path === "/proc" || path.startsWith("/proc/");
}

/**
 * Returns the text of /proc file `path` for a reader in namespace `nsId`, or undefined
 * when Linux has no such file.
 *
 * @throws Unsupported for /proc files the model does not generate.
 */
export function readProcFile(state: NetState, nsId: number, path: string): string | undefined {
  if (path === "/proc/net/nf_conntrack") return procNfConntrack(state, nsId);
  const key = sysctlKey(path);
  if (key === undefined) throw new Unsupported(`reading ${path}`);
  if (key === null) return undefined;
  const value = readSysctlText(state.namespaces[nsId]!, key);
  return value === undefined ? undefined : `${value}\n`;
}

/**
 * Opens /proc file `path` for writing by a writer in namespace `nsId`, and returns the dotted
 * name of its sysctl, or undefined when Linux has no such file.
 *
 * @throws Unsupported for /proc files other than the modelled sysctls.
 */
export function openProcFileForWrite(
  state: NetState,
  nsId: number,
  path: string,
): string | undefined {
  const key = sysctlKey(path);
  if (key === undefined) throw new Unsupported(`writing ${path}`);
  if (key === null) return undefined;
  return readSysctlText(state.namespaces[nsId]!, key) === undefined ? undefined : key;
}

/**
 * Writes `text` to the sysctl `key` of namespace `nsId`, as one write(2) to its /proc/sys file
 * does. Returns EINVAL when the kernel rejects the value, and ENOENT when the name went away
 * since the file was opened (a link deleted meanwhile).
 */
export function writeProcSysctl(
  state: NetState,
  nsId: number,
  key: string,
  text: string,
): "ENOENT" | "EINVAL" | undefined {
  return writeSysctlText(state.namespaces[nsId]!, key, text);
}

/**
 * Returns the names in /proc directory `path` in `ls` order, or undefined when it is not a
 * directory Linux has.
 *
 * @throws Unsupported for directories whose contents the model does not know in full.
 */
export function listProcDir(state: NetState, nsId: number, path: string): string[] | undefined {
  const dir = pathUnderProcSys(path);
  const isCovered =
    dir !== undefined &&
    SYSCTL_NAME_PREFIXES.some((prefix) => `${dir.replaceAll("/", ".")}.`.startsWith(prefix));
  if (!isCovered) throw new Unsupported(`listing ${path}`);
  const names = new Set<string>();
  for (const sysctlPath of sysctlPaths(state, nsId)) {
    if (!sysctlPath.startsWith(`${dir}/`)) continue;
    names.add(sysctlPath.slice(dir.length + 1).split("/")[0]!);
  }
  if (names.size === 0) return undefined;
  // ls sorts by byte value in the C locale the cases run in, as sort() compares ASCII names.
  return [...names].sort();
}

/**
 * Returns the dotted sysctl key of a path under /proc/sys, null when no sysctl has that path,
 * or undefined for a path outside /proc/sys.
 */
function sysctlKey(path: string): string | null | undefined {
  const sysctlPath = pathUnderProcSys(path);
  return sysctlPath === undefined ? undefined : (keyOfSysctlPath(sysctlPath) ?? null);
}

/** Returns `path` relative to /proc/sys without trailing slashes, or undefined outside it. */
function pathUnderProcSys(path: string): string | undefined {
  return /^\/proc\/sys\/(.+?)\/*$/.exec(path)?.[1];
}

/**
 * Returns the path under /proc/sys of every sysctl of namespace `nsId`, with the per-link ones
 * spelled out. A link name keeps its dots, so `v0.5` is one directory.
 */
function sysctlPaths(state: NetState, nsId: number): string[] {
  const targets = {
    conf: ["all", "default", ...linksOf(state.namespaces[nsId]!).map((link) => link.name)],
    neigh: ["default", ...linksOf(state.namespaces[nsId]!).map((link) => link.name)],
  };
  return SYSCTL_NAMES.flatMap((name) => {
    const perLink = /^net\.ipv4\.(conf|neigh)\.\*\.(.+)$/.exec(name);
    if (perLink === null) return [name.replaceAll(".", "/")];
    const family = perLink[1] as "conf" | "neigh";
    return targets[family].map((target) => `net/ipv4/${family}/${target}/${perLink[2]}`);
  });
}
