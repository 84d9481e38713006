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

/**
 * Directories that every Debian root file system has. A directory also exists when a file lies
 * under it, because the model has no `mkdir`.
 *
 * NOTE: only `/tmp` and `/dev` are checked against the recorded cases; the others are assumed.
 */
const BASE_DIRECTORIES = new Set([
  "/",
  "/tmp",
  "/dev",
  "/proc",
  "/run",
  "/root",
  "/etc",
  "/var",
  "/var/tmp",
]);

/** Returns whether `path` names a directory. */
export function isDirectory(state: NetState, path: string): boolean {
  const dir = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (BASE_DIRECTORIES.has(dir)) return true;
  return Object.keys(state.files).some((file) => file.startsWith(`${dir}/`));
}

/** Returns whether the directory that would hold `path` exists. */
export function parentExists(state: NetState, path: string): boolean {
  const parent = path.slice(0, path.lastIndexOf("/")) || "/";
  return isDirectory(state, parent);
}

/** Mounts an empty tmpfs on `dir`: the files under it are hidden, so they are dropped here. */
export function mountEmpty(state: NetState, dir: string): void {
  for (const file of Object.keys(state.files)) {
    if (file.startsWith(`${dir}/`)) delete state.files[file];
  }
}

/**
 * Returns the names in directory `path` (files, and folders that hold files), sorted, or
 * undefined when it is not a directory; a file's path returns the path itself, as ls prints it.
 */
export function listDirectory(state: NetState, path: string): string[] | undefined {
  if (readFile(state, path) !== undefined) return [path];
  if (!isDirectory(state, path)) return undefined;
  const dir = path.replace(/\/+$/, "");
  const names = new Set<string>();
  for (const file of Object.keys(state.files)) {
    if (file.startsWith(`${dir}/`)) names.add(file.slice(dir.length + 1).split("/")[0]!);
  }
  return [...names].sort();
}
