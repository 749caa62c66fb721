import type { ContentFile, ReadingDefaults } from '../extract/post.ts'
import type { PackedResult } from '../extract/records.ts'
import type { CatalogEntryInput } from '../model/catalog.ts'
import { ProblemCode, problem } from '../model/problems.ts'
import type { FoundFile } from './files.ts'
import { createWorkerPool, workerModule } from './worker-pool.ts'

/** Options for `createExtractPool`. */
export interface ExtractPoolOptions {
  /** Number of worker threads. */
  readonly size: number
  /** Catalog entries every worker builds its catalog from. */
  readonly catalog: readonly CatalogEntryInput[]
  /** Folder-wide reading settings every worker reads with. */
  readonly defaults?: ReadingDefaults | undefined
  /**
   * Time one file may take before its worker is stopped and the file is
   * reported as too slow to read.
   * @default 20_000
   */
  readonly timeoutMs?: number
}

/**
 * What a worker reads: a file's text already read, or a file to read from
 * the disk first (checked as `readContentFile` does).
 */
export type ExtractTask = ContentFile | { readonly file: FoundFile; readonly maxFileBytes: number }

/** A pool of worker threads that read posts in parallel. */
export interface ExtractPool {
  /** Read one file's text in a worker. Never rejects: failures become problems. */
  extract(file: ContentFile): Promise<PackedResult>
  /** Read one file from the disk, and its post, in a worker. Never rejects. */
  readFile(file: FoundFile, maxFileBytes: number): Promise<PackedResult>
  /** Files given and not yet read (waiting or being read). */
  readonly pending: number
  /** Settles once every worker is ready to read (see `WorkerPool.started`). */
  readonly started: Promise<void>
  /** Stop every worker. */
  close(): Promise<void>
}

/**
 * Start worker threads that read posts, each through `readPostSafely` as the
 * main thread does: for cold starts on many files (the parser is CPU-bound,
 * so each core reads its share) and for every save in watch mode (so reading
 * never competes with answering requests). A file that takes longer than the
 * time budget is reported `parse-timeout` instead of blocking the rest.
 *
 * @param options
 *   Pool size, catalog and time budget.
 * @returns
 *   The pool.
 */
export function createExtractPool(options: ExtractPoolOptions): ExtractPool {
  const timeoutMs = options.timeoutMs ?? 20_000
  const pool = createWorkerPool<ExtractTask, PackedResult>({
    size: options.size,
    module: workerModule(import.meta.url, 'extract-worker'),
    workerData: { catalog: options.catalog, defaults: options.defaults ?? {} },
    timeoutMs,
    failure: (file, failure) =>
      failure.kind === 'timeout'
        ? failed(
            'text' in file ? file : file.file,
            ProblemCode.parseTimeout,
            `Reading took longer than ${timeoutMs} ms and was stopped (parseTimeoutMs)`,
          )
        : failed(
            'text' in file ? file : file.file,
            ProblemCode.readFailed,
            `Could not read post: ${failure.message}`,
          ),
  })
  return {
    extract: (file) => pool.run(file),
    readFile: (file, maxFileBytes) => pool.run({ file, maxFileBytes }),
    get pending() {
      return pool.pending
    },
    started: pool.started,
    close: () => pool.close(),
  }
}

function failed(file: { readonly path: string }, code: ProblemCode, message: string): PackedResult {
  return { post: undefined, problems: [problem({ path: file.path }, 'error', code, message)] }
}
