/**
 * Renders integer keys as an SQL `IN` list. Only integers pass, so the text is safe
 * to inline; an empty list renders as `NULL` (matches nothing).
 */
export function inList(keys: readonly number[]): string {
  if (keys.length === 0) return 'NULL'
  for (const k of keys) if (!Number.isSafeInteger(k)) throw new TypeError(`series key must be an integer, got ${String(k)}`)
  return keys.join(',')
}
