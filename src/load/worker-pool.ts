import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { TaskMessage, TaskRequest } from './worker-tasks.ts'

/** Options for `createWorkerPool`. */
export interface WorkerPoolOptions<Input, Output> {
  /** Number of worker threads. */
  readonly size: number
  /**
   * The worker's module (see `workerModule`), which answers tasks with
   * `serveTasks` of `./worker-tasks.ts`.
   */
  readonly module: URL
  /** What every worker starts with (`workerData`). */
  readonly workerData: unknown
  /**
   * Time one task may take once its worker starts on it; past it the worker is
   * stopped and replaced, and the task answered by `failure`.
   */
  readonly timeoutMs: number
  /** The answer to a task that took too long (`timeout`) or whose worker failed (`error`). */
  readonly failure: (input: Input, failure: WorkerFailure) => Output
  /**
   * Tasks sent ahead to each worker, so it never waits for the main thread
   * between two.
   * @default 4
   */
  readonly prefetch?: number
  /**
   * Young generation of each worker, in MiB.
   * @default 96
   */
  readonly youngGenerationMb?: number
}

/** Why a task got no answer from its worker. */
export interface WorkerFailure {
  readonly kind: 'timeout' | 'error'
  readonly message: string
}

/** A pool of worker threads that run one kind of task. */
export interface WorkerPool<Input, Output> {
  /** Run one task in a worker. Never rejects: failures are answered by `failure`. */
  run(input: Input): Promise<Output>
  /** Tasks given and not yet answered (waiting or running). */
  readonly pending: number
  /**
   * Settles once every worker has loaded its code (or failed to start), so
   * that the first task does not wait for a worker's start-up.
   */
  readonly started: Promise<void>
  /** Stop every worker. */
  close(): Promise<void>
}

interface Slot<Input, Output> {
  worker: Worker | undefined
  /** Whether the worker has loaded its code: the time budget starts after that. */
  ready: boolean
  /** Tasks sent to the worker, in the order it runs them. */
  inFlight: Task<Input, Output>[]
  /** Fires when the task at the head of `inFlight` has taken too long. */
  timer: NodeJS.Timeout | undefined
  /** Whether this slot's first start has been counted in `started`. */
  counted: boolean
}

interface Task<Input, Output> {
  readonly id: number
  readonly input: Input
  readonly resolve: (output: Output) => void
}

// Parsing makes many objects that live for one file: a post's syntax tree
// outlives a default-sized young generation (16 MiB semi-spaces) and is copied
// from scavenge to scavenge. Twice that room lets most of it die young, which
// reads posts about 1.5× faster for the same heap.
const defaultYoungGenerationMb = 96

/**
 * Start worker threads for CPU-bound work that must not hold up the thread
 * that answers requests (reading posts, rendering HTML). A task that takes
 * longer than the time budget (pathological Markdown can make a parser
 * quadratic) has its worker stopped and replaced, and is answered as failed
 * instead of blocking the rest. Idle workers do not keep the process alive.
 *
 * Written here rather than taken from a pool library because the tasks'
 * time budget must exclude each worker's start-up (a worker loads the whole
 * reader first) and tasks sent ahead must be re-sent, not lost, when a
 * worker is replaced.
 *
 * @param options
 *   Worker module, pool size and time budget.
 * @returns
 *   The pool.
 */
export function createWorkerPool<Input, Output>(
  options: WorkerPoolOptions<Input, Output>,
): WorkerPool<Input, Output> {
  const { timeoutMs, prefetch = 4 } = options
  const entry = workerEntry(options.module)
  const queue: Task<Input, Output>[] = []
  const slots: Slot<Input, Output>[] = []
  let nextId = 0
  let pending = 0
  let closed = false

  let toStart = Math.max(1, options.size)
  let markStarted: () => void = () => {}
  const started = new Promise<void>((resolve) => {
    markStarted = resolve
  })
  const startedOne = (slot: Slot<Input, Output>) => {
    if (slot.counted) return
    slot.counted = true
    if (--toStart === 0) markStarted()
    holdProcess()
  }

  const start = (slot: Slot<Input, Output>) => {
    const worker = new Worker(entry.source, {
      eval: entry.eval,
      workerData: options.workerData,
      resourceLimits: {
        maxYoungGenerationSizeMb: options.youngGenerationMb ?? defaultYoungGenerationMb,
      },
    })
    slot.worker = worker
    slot.ready = false
    worker.on('message', (message: TaskMessage<Output>) => {
      if (slot.worker !== worker) return
      if ('ready' in message) {
        slot.ready = true
        startedOne(slot)
        pump()
        return
      }
      const head = slot.inFlight[0]
      if (!head || head.id !== message.id) return
      complete(
        slot,
        'output' in message
          ? message.output
          : options.failure(head.input, { kind: 'error', message: message.error }),
      )
    })
    worker.on('error', (error) => {
      if (slot.worker !== worker) return
      startedOne(slot)
      const head = slot.inFlight[0]
      if (head)
        complete(slot, options.failure(head.input, { kind: 'error', message: error.message }))
      restart(slot)
    })
    holdProcess()
  }

  // While tasks wait or run, or workers start, the workers must keep the
  // process alive; once all is done they must not.
  const holdProcess = () => {
    const busy = pending > 0 || toStart > 0
    for (const slot of slots) {
      if (busy) slot.worker?.ref()
      else slot.worker?.unref()
    }
  }

  /** The head task is done: answer it and give the next its full budget. */
  const complete = (slot: Slot<Input, Output>, output: Output) => {
    const head = slot.inFlight.shift()
    if (!head) return
    pending--
    head.resolve(output)
    arm(slot)
    pump()
  }

  const arm = (slot: Slot<Input, Output>) => {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = undefined
    const head = slot.inFlight[0]
    if (!head) return
    slot.timer = setTimeout(() => {
      slot.timer = undefined
      if (slot.inFlight[0] !== head) return
      slot.inFlight.shift()
      pending--
      head.resolve(
        options.failure(head.input, {
          kind: 'timeout',
          message: `took longer than ${timeoutMs} ms and was stopped`,
        }),
      )
      restart(slot)
    }, timeoutMs)
  }

  /** Replace a worker; tasks it had not finished go back to the front of the queue. */
  const restart = (slot: Slot<Input, Output>) => {
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
        const task = queue.shift() as Task<Input, Output>
        slot.inFlight.push(task)
        const request: TaskRequest<Input> = { id: task.id, input: task.input }
        worker.postMessage(request)
        if (slot.inFlight.length === 1) arm(slot)
      }
    }
    holdProcess()
  }

  for (let index = 0; index < Math.max(1, options.size); index++) {
    const slot: Slot<Input, Output> = {
      worker: undefined,
      ready: false,
      inFlight: [],
      timer: undefined,
      counted: false,
    }
    slots.push(slot)
    start(slot)
  }

  return {
    run(input) {
      return new Promise((resolve) => {
        pending++
        queue.push({ id: nextId++, input, resolve })
        pump()
      })
    },
    get pending() {
      return pending
    },
    started,
    async close() {
      closed = true
      markStarted()
      for (const slot of slots) if (slot.timer) clearTimeout(slot.timer)
      await Promise.all(slots.map((slot) => slot.worker?.terminate()))
    },
  }
}

/**
 * The URL of a worker module beside a calling module: its `.ts` source when
 * the caller runs from sources, its compiled `.js` otherwise.
 *
 * @param callerUrl
 *   `import.meta.url` of the calling module.
 * @param name
 *   The worker module's file name without extension.
 * @returns
 *   Its URL.
 */
export function workerModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl)
}

/**
 * How to start a worker. Running from TypeScript sources, the worker must
 * register the tsx loader itself before importing its entry: hooks given with
 * `--import` in `execArgv` are not in place for a worker's first module.
 */
function workerEntry(target: URL): { source: string | URL; eval: boolean } {
  if (!target.pathname.endsWith('.ts')) return { source: target, eval: false }
  // The ESM build of tsx's API: its CommonJS build cannot register ESM hooks.
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>
  }
  const api = manifest.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs'
  const tsx = pathToFileURL(path.join(path.dirname(manifestPath), api)).href
  return {
    source: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(target.href)}) })`,
    eval: true,
  }
}
