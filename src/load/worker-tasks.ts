/**
 * The worker side of `createWorkerPool` (./worker-pool.ts): one message in,
 * one answer out, in order.
 */
import { parentPort } from 'node:worker_threads'

/** A task sent to a worker. */
export interface TaskRequest<Input> {
  readonly id: number
  readonly input: Input
}

/** What a worker sends back: that it is ready, or one task's answer or error. */
export type TaskMessage<Output> =
  | { readonly ready: true }
  | { readonly id: number; readonly output: Output }
  | { readonly id: number; readonly error: string }

/**
 * Answer the pool's tasks in this worker, one at a time, with `run` (which
 * may wait, as on the disk); a task that throws is answered with its
 * message, and the worker carries on.
 *
 * @param run
 *   Does one task.
 */
export function serveTasks<Input, Output>(run: (input: Input) => Output | Promise<Output>): void {
  const port = parentPort
  if (!port) throw new Error('serveTasks runs in a worker thread only')
  // Tasks run one after another, in the order sent, even when one waits on
  // the disk: the pool answers them in that order.
  let last: Promise<void> = Promise.resolve()
  port.on('message', (request: TaskRequest<Input>) => {
    last = last.then(async () => {
      let message: TaskMessage<Output>
      try {
        message = { id: request.id, output: await run(request.input) }
      } catch (error) {
        message = { id: request.id, error: error instanceof Error ? error.message : String(error) }
      }
      port.postMessage(message)
    })
  })
  // Tell the pool the code is loaded, so a task's time budget excludes start-up.
  port.postMessage({ ready: true } satisfies TaskMessage<Output>)
}
