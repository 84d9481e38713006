/**
 * The virtual file system the shell's redirections and `cat` use: regular files by absolute
 * path, as plain strings in the state. Only what the kernel cases touch is modelled: files a
 * script writes (typically under a `/tmp` it mounted as tmpfs), `/dev/null`, and the generated
 * files under `/proc` that a tool module registers.
 */
import type { NetState } from "../netns/state.js";

/** Returns the contents of the file at `path`, or undefined when it does not exist. */
export function readFile(state: NetState, path: string): string | undefined {
  if (path === "/dev/null") return "";
  return state.files[path];
}

/** Replaces the contents of the file at `path`, creating it. */
export function writeFile(state: NetState, path: string, text: string): void {
  if (path === "/dev/null") return;
  state.files[path] = text;
}

/** Appends to the file at `path`, creating it. */
export function appendFile(state: NetState, path: string, text: string): void {
  if (path === "/dev/null") return;
  state.files[path] = (state.files[path] ?? "") + text;
}
