/**
 * A least-recently-used map whose entries all belong to one snapshot: the
 * first look-up for another snapshot drops them all. Used by the response
 * cache (`./caching.ts`) and by the fast path in front of yoga
 * (`./fast-path.ts`).
 */

/** Size limits of a snapshot LRU. */
export interface LruLimits {
  /** Most entries kept; `0` keeps none. */
  readonly maxEntries: number
  /** Most bytes kept, as `sizeOf` counts them. */
  readonly maxBytes: number
}

/** A least-recently-used map for one snapshot at a time. */
export interface SnapshotLru<Value> {
  /** The entry for a key, if kept; another snapshot drops every entry. */
  get(key: string, snapshot: string): Value | undefined
  /**
   * Whether entries of this snapshot are worth keeping: not when a request of
   * a newer one has already looked up the map (a slow request of the old one
   * must not fill it, nor clear the new entries).
   */
  accepts(snapshot: string): boolean
  /** Keep an entry, dropping the least recently used beyond the limits. */
  set(key: string, snapshot: string, value: Value): void
  /** Entries kept. */
  readonly size: number
  /** Bytes kept, as `sizeOf` counts them. */
  readonly bytes: number
}

/**
 * Make a snapshot LRU.
 *
 * @param limits
 *   Most entries and bytes.
 * @param sizeOf
 *   Bytes an entry takes, its key included.
 * @returns
 *   An empty map.
 */
export function createSnapshotLru<Value>(
  limits: LruLimits,
  sizeOf: (key: string, value: Value) => number,
): SnapshotLru<Value> {
  const { maxEntries, maxBytes } = limits
  // A Map iterates in insertion order: re-inserting on each hit keeps the
  // least recently used first.
  const entries = new Map<string, Value>()
  let bytes = 0
  let snapshot: string | undefined
  const accepts = (current: string) =>
    maxEntries > 0 && (snapshot === undefined || snapshot === current)
  const switchTo = (next: string) => {
    if (next === snapshot) return
    entries.clear()
    bytes = 0
    snapshot = next
  }
  return {
    get(key, current) {
      switchTo(current)
      const value = entries.get(key)
      if (value !== undefined) {
        entries.delete(key)
        entries.set(key, value)
      }
      return value
    },
    accepts,
    set(key, current, value) {
      if (sizeOf(key, value) > maxBytes || !accepts(current)) return
      switchTo(current)
      const old = entries.get(key)
      if (old !== undefined) {
        bytes -= sizeOf(key, old)
        entries.delete(key)
      }
      entries.set(key, value)
      bytes += sizeOf(key, value)
      for (const [oldest, dropped] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break
        entries.delete(oldest)
        bytes -= sizeOf(oldest, dropped)
      }
    },
    get size() {
      return entries.size
    },
    get bytes() {
      return bytes
    },
  }
}
