/// <reference types="node" />
/** Runs the hoptrace CLI in-process for tests, capturing what it writes. */
import { main } from "../src/cli/main.js";

/** What one CLI run returned and wrote. */
export interface CliRun {
  status: number;
  out: string;
  err: string;
}

/** Runs `hoptrace ARGV` and returns its exit status, standard output and standard error. */
export async function runCli(argv: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const status = await main(
    argv,
    (text) => (out += text),
    (text) => (err += text),
  );
  return { status, out, err };
}
