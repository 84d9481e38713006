/** Reading the files the CLI is given, with errors a user can act on. */
import { readFileSync } from "node:fs";
import { HoptraceError } from "../errors.js";

/**
 * Reads a text file, or stdin for "-". A missing or unreadable file is a plain error with exit
 * status 2, the status diff(1) and grep(1) use for trouble, apart from 1 for a found change.
 */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "No such file or directory" : String((error as Error).message);
    throw new HoptraceError(`hoptrace: cannot read ${path}: ${reason}`, 2, "usage");
  }
}
