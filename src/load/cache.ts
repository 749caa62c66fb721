import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { PackedResult } from '../extract/records.ts'

/** A content-hash cache of extraction results, one file per content folder. */
export interface ExtractCache {
  /** The cached result for a file, if its text is unchanged. */
  get(path: string, textHash: string): PackedResult | undefined
  set(path: string, textHash: string, result: PackedResult): void
  /** Forget files that no longer exist, so the cache does not grow forever. */
  keepOnly(paths: ReadonlySet<string>): void
  /** Write the cache if anything changed. */
  save(): Promise<void>
  /** Entries served from the cache since it was opened. */
  readonly hits: number
}

interface CacheFile {
  readonly version: string
  readonly entries: Map<string, { hash: string; result: PackedResult }>
}

/**
 * Open the extraction cache for a content folder.
 *
 * The cache is invalidated per file by the hash of its text, and whole by
 * the reader's version: the hash of the reader's own source files and the
 * catalog, so a changed rule never serves stale results.
 *
 * @param cacheDir
 *   Folder that holds cache files (created when saving).
 * @param contentDir
 *   Content folder the cache belongs to.
 * @param catalogVersion
 *   Version of the catalog in use.
 * @returns
 *   The cache (empty when missing, unreadable or from another version).
 */
export async function openExtractCache(
  cacheDir: string,
  contentDir: string,
  catalogVersion: string,
): Promise<ExtractCache> {
  const version = `${await readerVersion()}:${catalogVersion}`
  const key = createHash('sha256').update(path.resolve(contentDir)).digest('hex').slice(0, 16)
  // Entries are spread over shards by path: one file per shard keeps each
  // under the 2 GiB a single read allows (10,000 posts make about 2 GB), and a
  // save rewrites only the shards that changed.
  const shardFile = (shard: number) =>
    path.join(cacheDir, `extract-${key}-${String(shard).padStart(2, '0')}.v8`)
  const shards = await Promise.all(
    Array.from({ length: shardCount }, async (_, shard) => {
      try {
        const stored = deserialize(await readFile(shardFile(shard))) as CacheFile
        if (stored.version === version) return stored.entries
      } catch {
        // Missing or unreadable: start empty; it is only a cache.
      }
      return new Map<string, { hash: string; result: PackedResult }>()
    }),
  )
  const dirty = new Set<number>()
  const shardOf = (filePath: string) =>
    createHash('sha1').update(filePath).digest().readUInt8(0) % shardCount
  let hits = 0
  return {
    get(filePath, textHash) {
      const entry = shards[shardOf(filePath)]?.get(filePath)
      if (entry?.hash !== textHash) return undefined
      hits++
      return entry.result
    },
    set(filePath, textHash, result) {
      const shard = shardOf(filePath)
      shards[shard]?.set(filePath, { hash: textHash, result })
      dirty.add(shard)
    },
    keepOnly(paths) {
      shards.forEach((entries, shard) => {
        for (const filePath of entries.keys()) {
          if (!paths.has(filePath)) {
            entries.delete(filePath)
            dirty.add(shard)
          }
        }
      })
    },
    async save() {
      if (dirty.size === 0) return
      await mkdir(cacheDir, { recursive: true })
      for (const shard of [...dirty].sort((a, b) => a - b)) {
        const entries = shards[shard]
        if (!entries) continue
        const file = shardFile(shard)
        const temporary = `${file}.${process.pid}.tmp`
        // One shard at a time, so only one serialized shard is in memory.
        await writeFile(temporary, serialize({ version, entries } satisfies CacheFile))
        // Rename is atomic: a reader never sees half a cache file.
        await rename(temporary, file)
      }
      dirty.clear()
    },
    get hits() {
      return hits
    },
  }
}

/** Number of cache files per content folder. */
const shardCount = 32

/**
 * Hash of a file's text, the key the cache compares.
 *
 * @param text
 *   File text.
 * @returns
 *   Hex digest.
 */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

let cachedReaderVersion: Promise<string> | undefined

/** Hash of the reader's source (extract, parse, catalog), so code changes invalidate. */
function readerVersion(): Promise<string> {
  cachedReaderVersion ??= (async () => {
    const hash = createHash('sha256')
    for (const folder of ['../extract/', '../parse/', '../catalog/']) {
      const url = new URL(folder, import.meta.url)
      const names = (await readdir(url)).sort()
      for (const name of names) {
        hash.update(name)
        hash.update(await readFile(new URL(name, url)))
      }
    }
    return hash.digest('hex').slice(0, 16)
  })()
  return cachedReaderVersion
}
