/**
 * A least-recently-used map whose entries all belong to one snapshot: the
 * first look-up for another snapshot drops them all. Used by the response
 * cache (`./caching.ts`) and by the fast path in front of yoga
 * (`./fast-path.ts`).
 *
 * The least-recently-used part is `lru-cache` (which yoga uses for its own
 * caches); what is written here is the snapshot rule around it.
 */
import { LRUCache } from 'lru-cache'

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
export function createSnapshotLru<Value extends NonNullable<unknown>>(
  limits: LruLimits,
  sizeOf: (key: string, value: Value) => number,
): SnapshotLru<Value> {
  const { maxEntries, maxBytes } = limits
  // lru-cache wants limits of at least 1; with a limit of 0 nothing gets in
  // anyway (`accepts` and the size check below), so 1 changes nothing.
  const entries = new LRUCache<string, Value>({
    max: Math.max(1, maxEntries),
    maxSize: Math.max(1, maxBytes),
    // lru-cache counts sizes as positive integers; an entry always has a key.
    sizeCalculation: (value, key) => Math.max(1, Math.ceil(sizeOf(key, value))),
  })
  let snapshot: string | undefined
  const accepts = (current: string) =>
    maxEntries > 0 && (snapshot === undefined || snapshot === current)
  const switchTo = (next: string) => {
    if (next === snapshot) return
    entries.clear()
    snapshot = next
  }
  return {
    get(key, current) {
      switchTo(current)
      return entries.get(key)
    },
    accepts,
    set(key, current, value) {
      // Checked here rather than left to lru-cache, which would drop the
      // entry already kept under the key when the new one is too large.
      if (sizeOf(key, value) > maxBytes || !accepts(current)) return
      switchTo(current)
      entries.set(key, value)
    },
    get size() {
      return entries.size
    },
    get bytes() {
      return entries.calculatedSize
    },
  }
}
