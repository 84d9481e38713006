/// <reference types="node" />
/**
 * The `hoptrace` command line. The only module besides src/host that touches the process: it
 * reads files, prints, and returns exit statuses.
 *
 * `hoptrace run SCRIPT` prints the transcript the real kernel would print. `--trace` adds every
 * packet's hops after each probe, `--json` prints the same as JSON, and `--from SNAPSHOT` starts
 * from a state written by `hoptrace snapshot`. `replay` and `verify` run the script on the real kernel
 * inside a throwaway sandbox (root only); `replay --host` applies it to this machine's own
 * namespace and `replay --undo` takes it back.
 */
import { writeFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import type { ListeningPort, ProbeProtocol } from "../analysis/probe.js";
import { HoptraceError, UsageError } from "../errors.js";
import { formatProbeTrace } from "../path/trace-text.js";
import { presetDescription, presetNames } from "../script/presets.js";
import type { RunOptions, ScriptResult } from "../script/run.js";
import { declaredPreset, runScript, stateFromSnapshot } from "../script/run.js";
import { formatRecord } from "../script/transcript.js";
import { readTextFile } from "./read-file.js";

/** Returns the run as JSON: each line with its output, exit status and packet traces. */
function toJson(result: ScriptResult): string {
  const lines = result.lines.map((line) => ({
    command: line.command,
    output: line.output,
    exitCode: line.exitCode,
    probes: line.probes,
  }));
  return JSON.stringify({ transcript: result.transcript, lines }, null, 2);
}

function printRun(result: ScriptResult, isTrace: boolean, write: (text: string) => void): void {
  if (!isTrace) {
    write(result.transcript);
    return;
  }
  for (const line of result.lines) {
    write(formatRecord(line));
    for (const probe of line.probes) write(`${formatProbeTrace(probe).join("\n")}\n`);
  }
}

interface RunFlags {
  preset?: string;
  from?: string;
  trace?: boolean;
  json?: boolean;
  suggest?: boolean;
}

/** The flags of `hoptrace diff` as commander parses them. */
interface DiffCommandFlags extends RunFlags {
  trace?: boolean;
  protocol?: string;
  port?: string;
}

/**
 * Checks `--protocol` and `--port` of `hoptrace diff`. Throws a usage error for an unknown
 * protocol, a port without tcp or udp, or tcp or udp without a valid port. The error exits 2,
 * as diff(1) does on trouble, because exit 1 means that reachability changed.
 */
function probeFlags(flags: DiffCommandFlags): { protocol?: ProbeProtocol; port?: number } {
  const protocol = flags.protocol ?? "icmp";
  if (protocol !== "icmp" && protocol !== "tcp" && protocol !== "udp") {
    throw new UsageError(`hoptrace: invalid --protocol "${protocol}": use icmp, tcp or udp`, 2);
  }
  if (protocol === "icmp") {
    if (flags.port !== undefined) {
      throw new UsageError("hoptrace: --port needs --protocol tcp or --protocol udp", 2);
    }
    return {};
  }
  const port = Number(flags.port);
  if (flags.port === undefined) {
    throw new UsageError(
      `hoptrace: missing --port: --protocol ${protocol} needs --port with a port from 1 to 65535`,
      2,
    );
  }
  if (!/^\d+$/.test(flags.port) || port < 1 || port > 65535) {
    throw new UsageError(
      `hoptrace: --protocol ${protocol} needs --port with a port from 1 to 65535, got "${flags.port}"`,
      2,
    );
  }
  return { protocol, port };
}

interface CheckCommandFlags {
  expect: string;
  preset?: string;
  from?: string;
  suggest?: boolean;
  listen?: string[];
}

/** A `--listen` value: namespace, port, and optionally the one protocol that listens. */
const LISTEN = /^([^:\s]+):(\d+)(?:\/(tcp|udp))?$/;

/**
 * Parses one `--listen NS:PORT[/PROTOCOL]` of `hoptrace check` and adds it to `previous`. Throws a usage
 * error that exits 2, as an expectations file `check` cannot use does.
 */
function collectListen(value: string, previous: string[] = []): string[] {
  const match = LISTEN.exec(value);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) {
    throw new UsageError(
      `hoptrace: invalid --listen "${value}": write NAMESPACE:PORT with a port from 1 to 65535, such as ns2:22, and /tcp or /udp for one protocol`,
      2,
    );
  }
  return [...previous, value];
}

/** Takes `diff --port`, refusing a second one: a diff probes one port, and the last one silently winning would hide the first. */
function onePort(value: string, previous: string | undefined): string {
  if (previous !== undefined) {
    throw new UsageError(
      `hoptrace: --port given twice (${previous} and ${value}); diff probes one port`,
      2,
    );
  }
  return value;
}

/** Returns the listening sockets of `--listen` values, checked by `collectListen`. */
function listeningOf(values: readonly string[]): ListeningPort[] {
  return values.map((value) => {
    const [, ns = "", port = "", protocol] = LISTEN.exec(value)!;
    return {
      ns,
      port: Number(port),
      ...(protocol === undefined ? {} : { protocol: protocol as "tcp" | "udp" }),
    };
  });
}

/** Returns the run options of `run`'s flags; `--preset` and `--from` exclude each other. */
function runOptions(flags: RunFlags): RunOptions {
  if (flags.preset !== undefined && flags.from !== undefined) {
    throw new HoptraceError(
      "hoptrace: --preset and --from both set a starting state; use one",
      2,
      "usage",
    );
  }
  if (flags.from !== undefined)
    return { from: stateFromSnapshot(readTextFile(flags.from), flags.from) };
  return flags.preset === undefined ? {} : { preset: flags.preset };
}

interface ReplayFlags {
  host?: boolean;
  dryRun?: boolean;
  undo?: boolean;
}

/** Runs `replay` in its three forms: sandbox (default), `--host`, and `--undo`. */
async function replayCommand(
  path: string | undefined,
  flags: ReplayFlags,
  write: (text: string) => void,
): Promise<number> {
  const usage = (message: string): HoptraceError =>
    new HoptraceError(`hoptrace: ${message}`, 2, "usage");
  if (flags.undo === true) {
    if (path !== undefined || flags.host === true)
      throw usage("--undo takes no script and no --host");
    const { undoLastReplay } = await import("../host/host-replay.js");
    return undoLastReplay({ write, isDryRun: flags.dryRun === true });
  }
  if (path === undefined) throw usage("replay needs a script file, or - for stdin");
  if (flags.host === true) {
    const { replayOnHost } = await import("../host/host-replay.js");
    return replayOnHost(readTextFile(path), path, { write, isDryRun: flags.dryRun === true });
  }
  if (flags.dryRun === true) throw usage("--dry-run works only with --host or --undo");
  const { replay } = await import("../host/replay.js");
  write(await replay(readTextFile(path)));
  return 0;
}

/** Builds the command tree; `write` and `writeError` receive all output. */
function buildProgram(
  write: (text: string) => void,
  writeError: (text: string) => void,
  setStatus: (code: number) => void,
): Command {
  const program = new Command("hoptrace")
    .description("Simulate Linux networking commands and trace every packet, without root")
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: writeError });
  program
    .command("run")
    .description("run a script of ip/ping/sysctl commands and print the kernel's transcript")
    .argument("<script>", "script file, or - for stdin")
    .option(
      "--preset <name>",
      `start from a host preset (${presetNames().join(", ")}) instead of a blank host`,
    )
    .option("--from <snapshot>", "start from the state a `hoptrace snapshot` file rebuilds")
    .option("--trace", "after each probe, print every hop of every packet and where it died")
    .option("--json", "print the transcript and the traces as JSON")
    .option("--suggest", "after each failed ping, print fixes that make it pass")
    .action(async (path: string, flags: RunFlags) => {
      const script = readTextFile(path);
      const options = runOptions(flags);
      const result = runScript(script, options);
      if (flags.json === true) write(`${toJson(result)}\n`);
      else if (flags.suggest === true) {
        const { printRunWithSuggestions } = await import("./run-suggest.js");
        printRunWithSuggestions(script, options, result, flags.trace === true, write);
      } else printRun(result, flags.trace === true, write);
      setStatus(0);
    });
  program
    .command("presets")
    .description("list the host presets")
    .action(() => {
      const lines = presetNames().map((name) => `${name}  ${presetDescription(name)}`.trimEnd());
      write(`${lines.join("\n")}\n`);
      setStatus(0);
    });
  program
    .command("snapshot")
    .description(
      "read this host's links, addresses, routes and sysctls into a script for run --from",
    )
    .option("-o, --output <file>", "write the script to FILE instead of standard output")
    .action(async (flags: { output?: string }) => {
      const { readHost } = await import("../host/snapshot.js");
      const { snapshotScript } = await import("../host/snapshot-script.js");
      const taken = `hoptrace snapshot taken ${new Date().toISOString()}; rebuild it with hoptrace run --from FILE`;
      const text = snapshotScript(readHost(), [taken]);
      if (flags.output === undefined) write(text);
      else writeFileSync(flags.output, text);
      setStatus(0);
    });
  program
    .command("replay")
    .description(
      "run a script on the real kernel inside a throwaway namespace sandbox (needs root)",
    )
    .argument("[script]", "script file, or - for stdin")
    .option("--host", "apply the script to this machine's own namespace, after showing the plan")
    .option("--dry-run", "with --host or --undo: show the plan and change nothing")
    .option("--undo", "undo the last script applied with --host")
    .action(async (path: string | undefined, flags: ReplayFlags) => {
      setStatus(await replayCommand(path, flags, write));
    });
  program
    .command("verify")
    .description("run a script in the simulator and on the real kernel, and diff the transcripts")
    .argument("<script>", "script file, or - for stdin")
    .action(async (path: string) => {
      const { verify } = await import("../host/verify.js");
      const script = readTextFile(path);
      const preset = declaredPreset(script);
      if (preset !== undefined) {
        // The sandbox starts as a blank host; comparing a preset's simulated host with it
        // would report differences that are only the preset's.
        throw new HoptraceError(
          `hoptrace: ${path} starts from preset ${preset}, and the kernel sandbox starts blank; ` +
            "verify runs only scripts without a preset",
          2,
          "usage",
        );
      }
      const result = await verify(script, (text) => runScript(text).transcript);
      if (!result.agree) write(result.diff.endsWith("\n") ? result.diff : `${result.diff}\n`);
      write(`${result.agreeing}/${result.commands} commands agree\n`);
      setStatus(result.agree ? 0 : 1);
    });
  program
    .command("check")
    .description("check a change script against expected reachability (one expectation per line)")
    .argument("<change>", "script file of the change, or - for stdin")
    .requiredOption(
      "--expect <file>",
      'expectations such as "ns1 -> 203.0.113.8 icmp: reachable" or "ns2 -> 10.0.0.5 tcp/22: refused"',
    )
    .option(
      "--preset <name>",
      `start from a host preset (${presetNames().join(", ")}) instead of a blank host`,
    )
    .option("--from <snapshot>", "start from the state a `hoptrace snapshot` file rebuilds")
    .option("--suggest", "under each violated reachable expectation, print fixes that make it pass")
    .option(
      "--listen <ns:port[/tcp|/udp]>",
      "a socket that listens during tcp and udp probes, both unless a protocol is given, repeatable; without it every namespace listens on every port",
      collectListen,
    )
    .action(async (path: string, flags: CheckCommandFlags) => {
      const { runCheck } = await import("./check.js");
      const suggest = flags.suggest === true ? { suggest: true } : {};
      const listening = flags.listen === undefined ? {} : { listening: listeningOf(flags.listen) };
      const options = { expect: flags.expect, ...suggest, ...listening, ...runOptions(flags) };
      setStatus(runCheck(path, options, write));
    });
  program
    .command("diff")
    .description("print the reachability that changed between two scripts")
    .argument("<before>", "script file of the network before")
    .argument("<after>", "script file of the network after")
    .option("--preset <name>", `start both from a host preset (${presetNames().join(", ")})`)
    .option("--from <snapshot>", "start both from the state a `hoptrace snapshot` file rebuilds")
    .option("--trace", "print both traces of every changed pair")
    .option("--protocol <name>", "probe with icmp (the default), tcp or udp")
    .option("--port <number>", "the destination port of tcp and udp probes, 1 to 65535", onePort)
    .action(async (before: string, after: string, flags: DiffCommandFlags) => {
      const { runDiff } = await import("./diff.js");
      const trace = flags.trace === true ? { trace: true } : {};
      const kind = probeFlags(flags);
      setStatus(await runDiff(before, after, { ...trace, ...kind, ...runOptions(flags) }, write));
    });
  return program;
}

/** Runs the CLI with `argv` (without node and the script path) and returns the exit status. */
export async function main(
  argv: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
  writeError: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  let status = 0;
  const program = buildProgram(write, writeError, (code) => (status = code));
  try {
    await program.parseAsync(argv, { from: "user" });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // A usage error is trouble (2), so that `check` and `diff` keep 1 for what they found.
      const isInformation =
        error.code === "commander.helpDisplayed" || error.code === "commander.version";
      return isInformation || error.exitCode === 0 ? error.exitCode : 2;
    }
    if (error instanceof HoptraceError) {
      writeError(`${error.message}\n`);
      return error.exitCode;
    }
    // A bug in hoptrace: exit 70 (EX_SOFTWARE) as run's lines do, not 1, which check and diff
    // keep for what they found.
    const message = error instanceof Error ? error.message : String(error);
    writeError(`hoptrace: internal error: ${message}\n`);
    return 70;
  }
}
