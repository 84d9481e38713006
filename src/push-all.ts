/**
 * Appends `items` to `target` one at a time. `target.push(...items)` passes every item as an
 * argument on the stack, and Node 20 throws "Maximum call stack size exceeded" from about
 * 125,000 of them: the output of `ip route show` on a full table is longer.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
