/**
 * The programs a script can run, by name. Each emulates the real tool's output and exit status;
 * known Linux tools that hoptrace does not model yet fail with `Unsupported`, and unknown names
 * fail as bash reports them.
 */
import { HoptraceError, Unsupported } from "../errors.js";
import { bridge } from "./bridge.js";
import { conntrack } from "./conntrack.js";
import type { Tool, ToolContext } from "./context.js";
import { ip } from "./ip/index.js";
import { iptables, iptablesRestore, iptablesSave } from "./iptables.js";
import { routeN } from "./ip/route.js";
import { nc } from "./nc.js";
import { nstat } from "./nstat.js";
import { ping } from "./ping.js";
import { sysctl } from "./sysctl.js";
import { tcpdump } from "./tcpdump/index.js";
import { traceroute } from "./traceroute.js";
import {
  cat,
  echo,
  kill,
  ls,
  printf,
  mount,
  shellTool,
  sleep,
  tail,
  timeout,
} from "../script/shell-tools.js";
import { grep } from "../script/grep.js";

/**
 * Programs and shell words that a Debian root shell knows but hoptrace does not model yet. Any
 * other unknown name fails as bash reports a missing program.
 */
const NOT_MODELLED = [
  "ip6tables",
  "nft",
  "tracepath",
  "arping",
  "ethtool",
  "brctl",
  "ss",
  "curl",
  "ping6",
  "nsenter",
  "unshare",
  "dash",
  "arp",
  "ifconfig",
  "hostname",
  "!",
  "{",
  "}",
  // bash's compound commands and their reserved words.
  "for",
  "while",
  "until",
  "if",
  "case",
  "select",
  "function",
  "[[",
  "awk",
  "sed",
  "head",
  "umount",
  "tee",
  "tr",
  "cut",
  "sort",
  "uniq",
  "wc",
  "test",
  "[",
  "wget",
  "ssh",
  "dhclient",
  "iw",
  "sudo",
  "systemctl",
  "docker",
  "modprobe",
  "lsmod",
  "cd",
  "export",
  "set",
  "source",
  ".",
  "netstat",
  "ipcalc",
  "tc",
  "ebtables",
];

const TOOLS: Record<string, Tool> = {
  ip: (ctx, args) => ip(ctx, args, execArgv),
  ping,
  traceroute,
  sysctl,
  bridge,
  iptables,
  "iptables-save": iptablesSave,
  "iptables-restore": iptablesRestore,
  route: routeN,
  nstat,
  conntrack,
  tcpdump,
  nc,
  sleep,
  timeout,
  kill,
  tail,
  cat,
  grep,
  ls,
  printf,
  mount,
  bash: shellTool("bash"),
  sh: shellTool("sh"),
  true: () => 0,
  false: () => 1,
  ":": () => 0,
  echo,
};

/** Reports whether `program` is one of the programs a script can run in the simulator. */
export function isSimulatedProgram(program: string): boolean {
  return Object.hasOwn(TOOLS, program);
}

/**
 * Runs `argv` as `ip netns exec` does, with `execvp` and no shell, so a program that does not
 * exist fails with iproute2's message instead of bash's.
 */
function execArgv(ctx: ToolContext, argv: string[]): number {
  const [program] = argv;
  if (program !== undefined && !Object.hasOwn(TOOLS, program) && !NOT_MODELLED.includes(program)) {
    throw new HoptraceError(`exec of "${program}" failed: No such file or directory`, 1, "usage");
  }
  return runArgv(ctx, argv);
}

/** Runs one simple command (program and arguments) and returns its exit status. */
export function runArgv(ctx: ToolContext, argv: string[]): number {
  const [program, ...args] = argv;
  if (program === undefined) return 0;
  // Own keys only, so that a program named like an Object method (`toString`) is not found.
  const tool = Object.hasOwn(TOOLS, program) ? TOOLS[program] : undefined;
  if (tool !== undefined) return tool(ctx, args);
  if (NOT_MODELLED.includes(program)) throw new Unsupported(program);
  throw new HoptraceError(`bash: line 1: ${program}: command not found`, 127, "usage");
}
