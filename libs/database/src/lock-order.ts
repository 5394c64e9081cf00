/**
 * The one order Herald takes several row locks of a table in: JavaScript
 * code-unit order, the same in every process whatever the database's
 * collation says. Statements lock by the ordinality of an array sorted here,
 * so two writers that share rows queue behind each other instead of
 * deadlocking. A writer that locks in any other order breaks that promise.
 */
export function byLockOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `keys` (distinct) sorted by byLockOrder. */
export function inLockOrder(keys: Iterable<string>): string[] {
  return [...keys].sort(byLockOrder);
}
