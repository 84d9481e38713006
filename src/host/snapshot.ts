/// <reference types="node" />
/**
 * Reads the network state of a live Linux host through the real tools, for `hoptrace snapshot`.
 *
 * Source of truth: what iproute2's `ip -json` prints (`link -d`, `addr`, `-4 route show table
 * all`, `-4 rule`, `-4 neigh`, `netns list-id`), `sysctl` for the keys the simulator models, and
 * `iptables-save` when it is installed. It reads the namespace it runs in and every namespace
 * named in /run/netns (`ip netns list`); it changes nothing. Node-only: it runs processes.
 */
import { spawnSync } from "node:child_process";
import type { HostSnapshot, JsonAddr, JsonLink, NamespaceSnapshot } from "./snapshot-script.js";
import { SNAPSHOT_CONF_KEYS, SNAPSHOT_GLOBAL_KEYS } from "./snapshot-script.js";
import { findMissingTools } from "./sandbox.js";

/** Runs a program with arguments and returns its standard output, or throws on failure. */
export type RunTool = (argv: readonly string[]) => string;

/** Failure to read the live host: a tool is missing or failed. */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
}

/** Runs `argv` with `LC_ALL=C` and the sbin folders on the path; throws when it fails. */
export function runTool(argv: readonly string[]): string {
  const [program, ...args] = argv;
  const path = `${process.env.PATH ?? ""}:/usr/local/sbin:/usr/sbin:/sbin`;
  const result = spawnSync(program!, args, {
    encoding: "utf8",
    env: { ...process.env, PATH: path, LC_ALL: "C" },
    timeout: 30_000,
  });
  if (result.error !== undefined || result.status !== 0) {
    const detail = result.error?.message ?? (result.stderr.trim() || `exit ${result.status}`);
    throw new SnapshotError(`"${argv.join(" ")}" failed: ${detail}`);
  }
  return result.stdout;
}

function parseJson<T>(text: string, argv: readonly string[]): T {
  try {
    return JSON.parse(text.trim() === "" ? "[]" : text) as T;
  } catch {
    throw new SnapshotError(`"${argv.join(" ")}" printed something other than JSON`);
  }
}

/**
 * Reads the host: its own namespace, then each namespace of `ip netns list`, oldest first.
 *
 * @throws SnapshotError when `ip` or `sysctl` is missing or fails.
 */
export function readHost(run: RunTool = runTool): HostSnapshot {
  if (run === runTool) {
    const missing = findMissingTools(["ip", "sysctl"]);
    if (missing.length > 0) throw new SnapshotError(`missing tools: ${missing.join(", ")}`);
  }
  const listArgv = ["ip", "-json", "netns", "list"];
  const listed = parseJson<{ name: string }[]>(run(listArgv), listArgv);
  const names = listed.map((entry) => entry.name).reverse();
  const hasIptables = run === runTool ? findMissingTools(["iptables-save"]).length === 0 : true;
  return {
    namespaces: [undefined, ...names].map((name) => readNamespace(run, name, hasIptables)),
  };
}

function readNamespace(
  run: RunTool,
  name: string | undefined,
  hasIptables: boolean,
): NamespaceSnapshot {
  const ip = (...args: string[]): unknown => {
    const argv = name === undefined ? ["ip", ...args] : ["ip", "-n", name, ...args];
    return parseJson(run(argv), argv);
  };
  const exec = name === undefined ? [] : ["ip", "netns", "exec", name];
  const links = ip("-d", "-json", "link", "show") as JsonLink[];
  const addrEntries = ip("-json", "addr", "show") as { ifname: string; addr_info?: JsonAddr[] }[];
  const nsidEntries = ip("-json", "netns", "list-id") as { nsid: number; name?: string }[];
  const snapshot: NamespaceSnapshot = {
    links,
    addrs: Object.fromEntries(addrEntries.map((entry) => [entry.ifname, entry.addr_info ?? []])),
    routes: ip("-4", "-json", "route", "show", "table", "all") as NamespaceSnapshot["routes"],
    rules: ip("-4", "-json", "rule", "show") as NamespaceSnapshot["rules"],
    neigh: ip("-4", "-json", "neigh", "show") as NamespaceSnapshot["neigh"],
    nsids: Object.fromEntries(
      nsidEntries.flatMap((entry) => (entry.name === undefined ? [] : [[entry.nsid, entry.name]])),
    ),
    sysctl: readSysctls(run, exec, links),
  };
  if (name !== undefined) snapshot.name = name;
  if (hasIptables) snapshot.iptables = readIptables(run, exec);
  return snapshot;
}

/** Reads the modelled sysctls; `-e` skips keys this kernel lacks instead of failing. */
function readSysctls(run: RunTool, exec: string[], links: JsonLink[]): Record<string, number> {
  const targets = [
    "all",
    "default",
    ...links.map((link) => link.ifname).filter((n) => !n.includes(".")),
  ];
  const keys = [
    "net.ipv4.ip_forward",
    ...SNAPSHOT_GLOBAL_KEYS,
    ...targets.flatMap((target) =>
      SNAPSHOT_CONF_KEYS.map((key) => `net.ipv4.conf.${target}.${key}`),
    ),
  ];
  const values: Record<string, number> = {};
  for (const line of run([...exec, "sysctl", "-e", ...keys]).split("\n")) {
    const match = /^(\S+) = (-?\d+)$/.exec(line.trim());
    if (match !== null) values[match[1]!] = Number(match[2]);
  }
  return values;
}

function readIptables(run: RunTool, exec: string[]): string {
  try {
    return run([...exec, "iptables-save"]);
  } catch (error) {
    return `iptables-save failed: ${(error as Error).message}`;
  }
}

/** Reports whether this process can read a host: Linux with `ip` and `sysctl` installed. */
export function canReadHost(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== "linux")
    return { ok: false, reason: `this is ${process.platform}, not Linux` };
  const missing = findMissingTools(["ip", "sysctl"]);
  return missing.length === 0
    ? { ok: true }
    : { ok: false, reason: `missing tools: ${missing.join(", ")}` };
}
