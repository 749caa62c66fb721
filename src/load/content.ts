import { performance } from 'node:perf_hooks'
import { builtinCatalogEntries, type Catalog, createCatalog } from '../catalog/catalog.ts'
import { type ExtractedPost, extractPost } from '../extract/post.ts'
import { type ContentGraph, createContentGraph } from '../graph/content-graph.ts'
import type { Problem } from '../graph/model.ts'
import { readUserCatalog } from './catalog-file.ts'
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
}

/** A loaded content folder. */
export interface LoadedContent {
  readonly graph: ContentGraph
  readonly catalog: Catalog
  /** How many Markdown files were found. */
  readonly files: number
  readonly durationMs: number
}

/** Default for `maxFileBytes`. */
export const defaultMaxFileBytes = 2 * 1024 * 1024

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
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes
  const [listing, user] = await Promise.all([
    listContentFiles(options.contentDir),
    readUserCatalog(options.contentDir),
  ])
  const catalog = createCatalog([...builtinCatalogEntries, ...user.entries])
  const problems: Problem[] = [...listing.problems, ...user.problems]
  const posts: ExtractedPost[] = []
  let done = 0
  await forEachLimited(listing.files, 16, async (file) => {
    const result = await readAndExtract(file, catalog, maxFileBytes)
    if (result.post) posts.push(result.post)
    problems.push(...result.problems)
    done++
    options.onProgress?.(done, listing.files.length)
  })
  const graph = createContentGraph({ posts, catalog, problems })
  return {
    graph,
    catalog,
    files: listing.files.length,
    durationMs: performance.now() - started,
  }
}

/**
 * Read one file and extract its post. Never throws: unreadable files and
 * unexpected failures become problems naming the file.
 *
 * @param file
 *   File to read.
 * @param catalog
 *   Catalog for technologies.
 * @param maxFileBytes
 *   Size limit.
 * @returns
 *   The post, if any, and problems.
 */
export async function readAndExtract(
  file: FoundFile,
  catalog: Catalog,
  maxFileBytes: number = defaultMaxFileBytes,
): Promise<{ post: ExtractedPost | undefined; problems: readonly Problem[] }> {
  const read = await readContentFile(file, maxFileBytes)
  if (read.problem) return { post: undefined, problems: [read.problem] }
  if (read.text.trim() === '') {
    return {
      post: undefined,
      problems: [
        {
          path: file.path,
          line: 1,
          column: 1,
          severity: 'warning',
          code: 'empty-file',
          message: 'File is empty; no post was made from it',
        },
      ],
    }
  }
  try {
    return extractPost({ path: file.path, text: read.text }, { catalog })
  } catch (error) {
    // A bug in the reader must not take the other posts down.
    return {
      post: undefined,
      problems: [
        {
          path: file.path,
          line: 1,
          column: 1,
          severity: 'error',
          code: 'read-failed',
          message: `Could not read post: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    }
  }
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
