import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { builtinCatalogEntries, createCatalog } from '../catalog/catalog.ts'
import type { ContentFile, ExtractedPost, ExtractResult, ReadingDefaults } from '../extract/post.ts'
import { readPostSafely } from '../extract/read-safely.ts'
import { type PackedResult, unpackResult } from '../extract/records.ts'
import { type ContentGraph, createContentGraph, type GraphInput } from '../graph/content-graph.ts'
import type { Catalog, CatalogEntryInput } from '../model/catalog.ts'
import { type Problem, ProblemCode } from '../model/problems.ts'
import { hashText, openExtractCache } from './cache.ts'
import { readUserCatalog } from './catalog-file.ts'
import { readContentConfig } from './config-file.ts'
import { createExtractPool, type ExtractPool } from './extract-pool.ts'
import { type FoundFile, listContentFiles, readContentFile } from './files.ts'

/** Options for `loadContent`. */
export interface LoadOptions {
  /** Content folder to read. */
  readonly contentDir: string
  /**
   * Files larger than this many bytes are reported and skipped.
   * @default 2_097_152 (2 MiB)
   */
  readonly maxFileBytes?: number
  /** Called after each file is read, for progress reporting. */
  readonly onProgress?: (done: number, total: number) => void
  /**
   * Worker threads that read posts in parallel. 0 reads in the main thread.
   * In watch mode (`watchContent`) saves are read in this many workers too
   * (0: in the main thread, where reading competes with answering requests).
   * @default one per core when there are at least 64 files to read, else 0;
   *   in watch mode, for saves, one per core but one (1 to 4)
   */
  readonly workers?: number
  /**
   * Folder for the content-hash cache: unchanged files are not read again.
   * @default no cache
   */
  readonly cacheDir?: string | undefined
  /**
   * Time one file may take to read in a worker before it is stopped and reported.
   * @default 20_000
   */
  readonly parseTimeoutMs?: number
  /**
   * Keep draft posts in the graph (Hugo's `-D`). Without it they are read,
   * and their problems reported, but left out of the graph, so that posts,
   * talks, technology counts and stats all agree.
   * @default false
   */
  readonly drafts?: boolean
  /**
   * Keep each file's result in packed form too (`FolderRead.packed`), for
   * writing a snapshot; off by default, as it holds the posts twice.
   * @default false
   */
  readonly keepPacked?: boolean
  /**
   * Told what went wrong with the cache (it cannot be written, an entry is
   * damaged): the content is read all the same.
   * @default `process.emitWarning`
   */
  readonly onWarning?: (message: string) => void
}

/** A loaded content folder. */
export interface LoadedContent {
  readonly graph: ContentGraph
  readonly catalog: Catalog
  /** How many Markdown files were found. */
  readonly files: number
  /** How many files came from the cache unchanged. */
  readonly cached: number
  readonly durationMs: number
}

/** Default for `maxFileBytes`. */
export const defaultMaxFileBytes = 2 * 1024 * 1024

/** Everything read from a content folder, per file, before linking. */
export interface FolderRead {
  readonly catalog: Catalog
  /** Entries the catalog was built from (built-in, then the user's). */
  readonly catalogEntries: readonly CatalogEntryInput[]
  /** Folder-wide reading settings (`content-graph.yml`). */
  readonly defaults: ReadingDefaults
  /** Result of each Markdown file, by path relative to the folder. */
  readonly results: Map<string, ExtractResult>
  /** Problems with the folder itself (listing) and the user catalog. */
  readonly folderProblems: readonly Problem[]
  /** How many files came from the cache unchanged. */
  readonly cached: number
  /** Each file's result in packed form, in path order, with `keepPacked`. */
  readonly packed?: ReadonlyMap<string, PackedResult>
}

/**
 * Read a content folder into a content graph: list the Markdown files, read
 * and extract each, and link them with the catalog (built-in, extended by a
 * `technologies.yml` in the folder). A broken file is reported in the graph's
 * problems and skipped; every other file is still read.
 *
 * @param options
 *   Folder and limits.
 * @returns
 *   The graph and timing.
 */
export async function loadContent(options: LoadOptions): Promise<LoadedContent> {
  const started = performance.now()
  const read = await readContentFolder(options)
  const graph = linkResults(read.results.values(), read.catalog, read.folderProblems, {
    drafts: options.drafts ?? false,
  })
  return {
    graph,
    catalog: read.catalog,
    files: read.results.size,
    cached: read.cached,
    durationMs: performance.now() - started,
  }
}

/**
 * Link per-file results into a graph.
 *
 * @param results
 *   One result per file.
 * @param catalog
 *   Catalog in use.
 * @param folderProblems
 *   Problems not tied to one post.
 * @param options
 *   `drafts`: keep draft posts (default: leave them out, keeping their
 *   problems). `previous`: the snapshot before, and the paths read again
 *   since: linking then redoes only those (see `createContentGraph`); it must
 *   have been linked with the same `drafts`.
 * @returns
 *   The graph.
 */
export function linkResults(
  results: Iterable<ExtractResult>,
  catalog: Catalog,
  folderProblems: readonly Problem[],
  options: { readonly drafts?: boolean; readonly previous?: GraphInput['previous'] } = {},
): ContentGraph {
  const { drafts = false, previous } = options
  const posts: ExtractedPost[] = []
  const problems: Problem[] = [...folderProblems]
  for (const result of results) {
    const post = shownPost(result, drafts)
    if (post) posts.push(post)
    problems.push(...result.problems)
  }
  return createContentGraph({ posts, catalog, problems, ...(previous ? { previous } : {}) })
}

/**
 * The post a result puts in a graph: none for a draft unless drafts are shown.
 *
 * @param result
 *   One file's result.
 * @param drafts
 *   Whether drafts are shown.
 * @returns
 *   The post, or undefined.
 */
export function shownPost(result: ExtractResult, drafts: boolean): ExtractedPost | undefined {
  const post = result.post
  return post && (drafts || !post.post.draft) ? post : undefined
}

/**
 * Read every file of a content folder, keeping one result per file: what
 * `loadContent` links, and what watch mode updates file by file.
 *
 * @param options
 *   Folder, limits, workers and cache.
 * @returns
 *   The catalog and the results.
 */
export async function readContentFolder(options: LoadOptions): Promise<FolderRead> {
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes
  const [listing, user, config] = await Promise.all([
    listContentFiles(options.contentDir),
    readUserCatalog(options.contentDir),
    readContentConfig(options.contentDir),
  ])
  const defaults = config.defaults
  const catalogEntries = [...builtinCatalogEntries, ...user.entries]
  const catalog = createCatalog(catalogEntries)
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message))
  const cache = options.cacheDir
    ? await openExtractCache(
        options.cacheDir,
        options.contentDir,
        `${catalog.version}:${JSON.stringify(defaults)}`,
        warn,
      )
    : undefined
  const results = new Map<string, ExtractResult>()
  const packed = options.keepPacked ? new Map<string, PackedResult>() : undefined
  const total = listing.files.length
  const record = (path: string, result: PackedResult) => {
    results.set(path, unpackResult(result))
    packed?.set(path, result)
    options.onProgress?.(results.size, total)
  }

  // Read every file (cheap, I/O-bound), serve unchanged ones from the cache,
  // and queue the rest for the parser (expensive, CPU-bound).
  const pending: { file: ContentFile; hash: string }[] = []
  await forEachLimited(listing.files, 32, async (found) => {
    const read = await readContentFile(found, maxFileBytes)
    if (read.problem) return record(found.path, { post: undefined, problems: [read.problem] })
    const hash = hashText(read.text)
    const cached = cache?.get(found.path, hash)
    if (cached) return record(found.path, cached)
    pending.push({ file: { path: found.path, text: read.text }, hash })
  })

  const workers = options.workers ?? (pending.length >= 64 ? availableParallelism() : 0)
  const pool =
    workers > 0 && pending.length > 1
      ? createExtractPool({
          size: Math.min(workers, pending.length),
          catalog: catalogEntries,
          defaults,
          ...(options.parseTimeoutMs === undefined ? {} : { timeoutMs: options.parseTimeoutMs }),
        })
      : undefined
  const readText = textReader({ catalog, defaults, pool })
  try {
    await Promise.all(
      pending.map(async ({ file, hash }) => {
        const result = await readText(file)
        // Timeouts are not cached: the next start tries the file again.
        if (!result.problems.some((problem) => problem.code === ProblemCode.parseTimeout)) {
          cache?.set(file.path, hash, result)
        }
        record(file.path, result)
      }),
    )
  } finally {
    await pool?.close()
  }
  if (cache && options.cacheDir) {
    cache.keepOnly(new Set(listing.files.map((file) => file.path)))
    try {
      await cache.save()
    } catch (error) {
      // The cache only makes the next start faster: serve without it, and
      // say so once, not on every save of watch mode.
      if (!unwritableCaches.has(options.cacheDir)) {
        unwritableCaches.add(options.cacheDir)
        const code = (error as NodeJS.ErrnoException).code ?? String(error)
        warn(`Cannot write the cache in ${options.cacheDir} (${code}); serving without it`)
      }
    }
  }
  // Results in path order, whatever order reads finished in.
  const byPath = <T>(map: Map<string, T>) =>
    new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return {
    catalog,
    catalogEntries,
    defaults,
    results: byPath(results),
    folderProblems: [...listing.problems, ...user.problems, ...config.problems],
    cached: cache?.hits ?? 0,
    ...(packed ? { packed: byPath(packed) } : {}),
  }
}

/** Cache folders already reported as not writable, so each is reported once. */
const unwritableCaches = new Set<string>()

/**
 * How a file's text becomes its result: here, or in a pool's workers. Either
 * way it goes through `readPostSafely`, the one entry point, so a file reads
 * the same wherever it is read.
 */
export type TextReader = (file: ContentFile) => Promise<PackedResult>

/**
 * A `TextReader` for this thread, or for a pool's workers when one is given.
 *
 * @param options
 *   Catalog and folder-wide settings (for this thread), and the pool, if any
 *   (built with the same catalog and settings).
 * @returns
 *   The reader.
 */
export function textReader(options: {
  readonly catalog: Catalog
  readonly defaults: ReadingDefaults
  readonly pool?: ExtractPool | undefined
}): TextReader {
  const { pool } = options
  if (pool) return (file) => pool.extract(file)
  const settings = { catalog: options.catalog, defaults: options.defaults }
  return async (file) => readPostSafely(file, settings)
}

/**
 * How a file on the disk becomes its result (see `fileReader`).
 */
export type FileReader = (file: FoundFile) => Promise<ExtractResult>

/**
 * A `FileReader`: in this thread (`readContentPost`), or, given a pool,
 * wholly in a worker, from the disk to the post, so that this thread waits
 * for one message rather than for each step of the read (under load, each
 * step waits its turn behind the requests being answered).
 *
 * @param options
 *   Catalog and settings (for this thread), the pool, if any, and the size limit.
 * @returns
 *   The reader.
 */
export function fileReader(options: {
  readonly catalog: Catalog
  readonly defaults: ReadingDefaults
  readonly pool?: ExtractPool | undefined
  readonly maxFileBytes?: number | undefined
}): FileReader {
  const { pool, maxFileBytes = defaultMaxFileBytes } = options
  if (pool) return async (file) => unpackResult(await pool.readFile(file, maxFileBytes))
  const text = textReader(options)
  return (file) => readContentPost(file, text, maxFileBytes)
}

/**
 * Read one file from the disk and its post. Never throws: a file that cannot
 * be read as text (gone, unreadable, too large, binary, outside the folder)
 * is a problem naming it, and so is any failure of the reader.
 *
 * @param file
 *   File to read.
 * @param reader
 *   Where its text is read (see `textReader`).
 * @param maxFileBytes
 *   Size limit.
 * @returns
 *   The post, if any, and problems.
 */
export async function readContentPost(
  file: FoundFile,
  reader: TextReader,
  maxFileBytes: number = defaultMaxFileBytes,
): Promise<ExtractResult> {
  const read = await readContentFile(file, maxFileBytes)
  if (read.problem) return { post: undefined, problems: [read.problem] }
  return unpackResult(await reader({ path: file.path, text: read.text }))
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await run(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
