import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ContentFile, ReadingDefaults } from '../extract/post.ts'
import type { PackedResult } from '../extract/records.ts'
import type { CatalogEntryInput } from '../model/catalog.ts'
import { ProblemCode, problem } from '../model/problems.ts'
import type { ExtractRequest } from './extract-worker.ts'

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

/** A pool of worker threads that read posts in parallel. */
export interface ExtractPool {
  /** Read one file in a worker. Never rejects: failures become problems. */
  extract(file: ContentFile): Promise<PackedResult>
  /** Stop every worker. */
  close(): Promise<void>
}

interface Slot {
  worker: Worker | undefined
  /** Whether the worker has loaded its code: the time budget starts after that. */
  ready: boolean
  /** Files sent to the worker, in the order it reads them. */
  inFlight: Task[]
  /** Fires when the file at the head of `inFlight` has taken too long. */
  timer: NodeJS.Timeout | undefined
}

type WorkerMessage = { ready: true } | { id: number; result?: PackedResult; error?: string }

interface Task {
  readonly id: number
  readonly file: ContentFile
  readonly resolve: (result: PackedResult) => void
}

// Parsing makes many objects that live for one file: a post's syntax tree
// outlives a default-sized young generation (16 MiB semi-spaces) and is copied
// from scavenge to scavenge. Twice that room lets most of it die young, which
// reads posts about 1.5× faster for the same heap.
const youngGenerationMb = 96

// Files sent ahead to each worker, so it never waits for the main thread
// (busy reading files, receiving results, or collecting garbage) between two.
const prefetch = 4

/**
 * Start worker threads that read posts, for cold starts on many files: the
 * parser is CPU-bound, so each core reads its share. A file that takes longer
 * than the time budget (pathological Markdown can make the parser quadratic)
 * has its worker stopped and replaced, and is reported instead of blocking
 * the rest.
 *
 * @param options
 *   Pool size, catalog and time budget.
 * @returns
 *   The pool.
 */
export function createExtractPool(options: ExtractPoolOptions): ExtractPool {
  const timeoutMs = options.timeoutMs ?? 20_000
  const queue: Task[] = []
  const slots: Slot[] = []
  let nextId = 0
  let closed = false

  const start = (slot: Slot) => {
    const worker = new Worker(workerEntry.source, {
      eval: workerEntry.eval,
      workerData: { catalog: options.catalog, defaults: options.defaults ?? {} },
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
    })
    slot.worker = worker
    slot.ready = false
    worker.on('message', (message: WorkerMessage) => {
      if (slot.worker !== worker) return
      if ('ready' in message) {
        slot.ready = true
        pump()
        return
      }
      const head = slot.inFlight[0]
      if (!head || head.id !== message.id) return
      complete(
        slot,
        message.result ?? failed(head.file, ProblemCode.readFailed, message.error ?? ''),
      )
    })
    worker.on('error', (error) => {
      if (slot.worker !== worker) return
      const head = slot.inFlight[0]
      if (head) complete(slot, failed(head.file, ProblemCode.readFailed, error.message))
      restart(slot)
    })
    holdProcess()
  }

  // While files wait or are being read, the workers must keep the process
  // alive (a starting worker included); once all is done they must not.
  const holdProcess = () => {
    const busy = queue.length > 0 || slots.some((slot) => slot.inFlight.length > 0)
    for (const slot of slots) {
      if (busy) slot.worker?.ref()
      else slot.worker?.unref()
    }
  }

  /** The head file is done: resolve it and give the next its full budget. */
  const complete = (slot: Slot, result: PackedResult) => {
    const head = slot.inFlight.shift()
    if (!head) return
    head.resolve(result)
    arm(slot)
    pump()
  }

  const arm = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = undefined
    const head = slot.inFlight[0]
    if (!head) return
    slot.timer = setTimeout(() => {
      slot.timer = undefined
      if (slot.inFlight[0] !== head) return
      slot.inFlight.shift()
      head.resolve(
        failed(
          head.file,
          ProblemCode.parseTimeout,
          `Reading took longer than ${timeoutMs} ms and was stopped (parseTimeoutMs)`,
        ),
      )
      restart(slot)
    }, timeoutMs)
  }

  /** Replace a worker; files it had not finished go back to the front of the queue. */
  const restart = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = undefined
    queue.unshift(...slot.inFlight)
    slot.inFlight = []
    void slot.worker?.terminate()
    slot.worker = undefined
    if (closed) return
    start(slot)
    pump()
  }

  const pump = () => {
    for (const slot of slots) {
      const worker = slot.worker
      if (!slot.ready || !worker) continue
      while (slot.inFlight.length < prefetch && queue.length > 0) {
        const task = queue.shift() as Task
        slot.inFlight.push(task)
        const request: ExtractRequest = { id: task.id, path: task.file.path, text: task.file.text }
        worker.postMessage(request)
        if (slot.inFlight.length === 1) arm(slot)
      }
    }
    holdProcess()
  }

  for (let index = 0; index < Math.max(1, options.size); index++) {
    const slot: Slot = { worker: undefined, ready: false, inFlight: [], timer: undefined }
    slots.push(slot)
    start(slot)
  }

  return {
    extract(file) {
      return new Promise((resolve) => {
        queue.push({ id: nextId++, file, resolve })
        pump()
      })
    },
    async close() {
      closed = true
      for (const slot of slots) if (slot.timer) clearTimeout(slot.timer)
      await Promise.all(slots.map((slot) => slot.worker?.terminate()))
    },
  }
}

const workerEntry = entry()

/**
 * How to start a worker. Running from TypeScript sources, the worker must
 * register the tsx loader itself before importing its entry: hooks given with
 * `--import` in `execArgv` are not in place for a worker's first module.
 */
function entry(): { source: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) {
    return { source: new URL('./extract-worker.js', import.meta.url), eval: false }
  }
  // The ESM build of tsx's API: its CommonJS build cannot register ESM hooks.
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>
  }
  const api = manifest.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs'
  const tsx = pathToFileURL(path.join(path.dirname(manifestPath), api)).href
  const target = new URL('./extract-worker.ts', import.meta.url).href
  return {
    source: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(target)}) })`,
    eval: true,
  }
}

function failed(file: ContentFile, code: ProblemCode, message: string): PackedResult {
  const text = code === ProblemCode.readFailed ? `Could not read post: ${message}` : message
  return { post: undefined, problems: [problem({ path: file.path }, 'error', code, text)] }
}
