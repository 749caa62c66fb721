import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { ExtractResult } from '../extract/post.ts'

/** A content-hash cache of extraction results, one file per content folder. */
export interface ExtractCache {
  /** The cached result for a file, if its text is unchanged. */
  get(path: string, textHash: string): ExtractResult | undefined
  set(path: string, textHash: string, result: ExtractResult): void
  /** Forget files that no longer exist, so the cache does not grow forever. */
  keepOnly(paths: ReadonlySet<string>): void
  /** Write the cache if anything changed. */
  save(): Promise<void>
  /** Entries served from the cache since it was opened. */
  readonly hits: number
}

interface CacheFile {
  readonly version: string
  readonly entries: Map<string, { hash: string; result: ExtractResult }>
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
  const file = path.join(cacheDir, `extract-${key}.v8`)
  let entries = new Map<string, { hash: string; result: ExtractResult }>()
  try {
    const stored = deserialize(await readFile(file)) as CacheFile
    if (stored.version === version) entries = stored.entries
  } catch {
    // Missing or unreadable: start empty; it is only a cache.
  }
  let dirty = false
  let hits = 0
  return {
    get(filePath, textHash) {
      const entry = entries.get(filePath)
      if (entry?.hash !== textHash) return undefined
      hits++
      return entry.result
    },
    set(filePath, textHash, result) {
      entries.set(filePath, { hash: textHash, result })
      dirty = true
    },
    keepOnly(paths) {
      for (const filePath of entries.keys()) {
        if (!paths.has(filePath)) {
          entries.delete(filePath)
          dirty = true
        }
      }
    },
    async save() {
      if (!dirty) return
      await mkdir(cacheDir, { recursive: true })
      const temporary = `${file}.${process.pid}.tmp`
      await writeFile(temporary, serialize({ version, entries } satisfies CacheFile))
      // Rename is atomic: a reader never sees half a cache file.
      await rename(temporary, file)
      dirty = false
    },
    get hits() {
      return hits
    },
  }
}

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
