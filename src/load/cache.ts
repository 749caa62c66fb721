import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { PackedResult } from '../extract/records.ts'
import { workerModule } from './worker-pool.ts'

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
  readonly entries: Map<string, CacheEntry>
}

/**
 * One file's result: its serialized bytes, the hash of the source text they
 * were read from, and a checksum of both, so that a damaged entry (a flipped
 * byte on disk) is a miss rather than wrong text served as current.
 */
interface CacheEntry {
  readonly hash: string
  readonly bytes: Uint8Array
  readonly sum: string
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
  onWarning: (message: string) => void = () => {},
): Promise<ExtractCache> {
  const version = `${cacheFormat}:${await readerVersion()}:${catalogVersion}`
  const key = createHash('sha256').update(path.resolve(contentDir)).digest('hex').slice(0, 16)
  // Entries are spread over shards by path: one file per shard keeps each
  // under the 2 GiB a single read allows (10,000 posts make about 2 GB), and a
  // save rewrites only the shards that changed.
  const shardFile = (shard: number) =>
    path.join(cacheDir, `extract-${key}-${String(shard).padStart(2, '0')}.v8`)
  await removeLeftovers(cacheDir, `extract-${key}-`)
  const shards = await Promise.all(
    Array.from({ length: shardCount }, async (_, shard) => {
      let bytes: Buffer
      try {
        bytes = await readFile(shardFile(shard))
      } catch {
        // Missing or unreadable: start empty; it is only a cache.
        return new Map<string, CacheEntry>()
      }
      try {
        const stored = deserialize(bytes) as CacheFile
        if (stored.version === version && stored.entries instanceof Map) return stored.entries
      } catch {
        onWarning(
          `Cache file ${path.basename(shardFile(shard))} is damaged; its posts are read again`,
        )
      }
      return new Map<string, CacheEntry>()
    }),
  )
  const dirty = new Set<number>()
  const shardOf = (filePath: string) =>
    createHash('sha1').update(filePath).digest().readUInt8(0) % shardCount
  let hits = 0
  return {
    get(filePath, textHash) {
      const shard = shardOf(filePath)
      const entry = shards[shard]?.get(filePath)
      if (entry?.hash !== textHash) return undefined
      let result: PackedResult | undefined
      if (checksum(entry.hash, entry.bytes) === entry.sum) {
        try {
          result = deserialize(entry.bytes) as PackedResult
        } catch {
          // Checked bytes that do not deserialize: damaged all the same.
        }
      }
      if (result === undefined) {
        onWarning(
          `Cache entry of ${filePath} is damaged (checksum mismatch); reading the file again`,
        )
        shards[shard]?.delete(filePath)
        dirty.add(shard)
        return undefined
      }
      hits++
      return result
    },
    set(filePath, textHash, result) {
      const shard = shardOf(filePath)
      const bytes = serialize(result)
      shards[shard]?.set(filePath, { hash: textHash, bytes, sum: checksum(textHash, bytes) })
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

/** Checksum of an entry: the source text's hash and the result's bytes. */
function checksum(textHash: string, bytes: Uint8Array): string {
  return createHash('sha1').update(textHash).update(bytes).digest('hex')
}

/**
 * Delete temporary files that a write killed half-way left behind (their
 * name carries the writer's process id): those of processes no longer
 * running, or older than a minute.
 */
async function removeLeftovers(cacheDir: string, prefix: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(cacheDir)
  } catch {
    return
  }
  for (const name of names) {
    const match = /\.(\d+)\.tmp$/.exec(name)
    if (!name.startsWith(prefix) || !match) continue
    const file = path.join(cacheDir, name)
    const info = await stat(file).catch(() => undefined)
    if (!info) continue
    if (isRunning(Number(match[1])) && Date.now() - info.mtimeMs < 60_000) continue
    await rm(file, { force: true }).catch(() => {})
  }
}

/** Whether a process of this id runs (or exists under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Version of the cache files' layout and meaning: 2 gave entries their
 * checksum; 3 drops results of empty files that worker threads read as posts
 * (they skipped the empty-file check that the main thread made).
 */
const cacheFormat = 3

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

/**
 * Hash of the reader's source, so code changes invalidate: the folders it
 * lives in (extract, parse, catalog; `readPostSafely`, the entry point every
 * thread reads through, among them) and the worker modules that run it.
 */
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
    for (const name of ['extract-worker', 'extract-pool']) {
      hash.update(name)
      hash.update(await readFile(workerModule(import.meta.url, name)))
    }
    return hash.digest('hex').slice(0, 16)
  })()
  return cachedReaderVersion
}
