/**
 * Quoting for the scripts hoptrace writes for people to paste into a root shell (topology
 * scripts, snapshots). Pure: no Node APIs.
 */

/**
 * Returns `value` as one shell word: as it is when it contains only characters no shell treats
 * specially, else in single quotes, so that a name such as `c;reboot` stays one argument.
 */
export function shellWord(value: string): string {
  if (/^[\w.:/@%+=,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, "'\\''")}'`;
}
