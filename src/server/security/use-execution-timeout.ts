/**
 * The time budget of one execution.
 */
import { isPromise, type Plugin } from 'graphql-yoga'
import { refused, SecurityErrorCode } from './errors.ts'
import { hardeningDefaults } from './options.ts'

/** Options of `useExecutionTimeout`. */
export interface ExecutionTimeoutOptions {
  /**
   * Time budget of one execution, in milliseconds.
   * @default 5000
   */
  readonly executionTimeoutMs?: number
}

/**
 * Stop an operation that executes longer than `executionTimeoutMs`, with a
 * `TIMEOUT` error.
 *
 * Hand-written: yoga has no execution time limit. The resolvers read an
 * in-memory graph synchronously, so a timer alone would only fire once the
 * work is done; the executor asks its abort signal before every field, so
 * the signal given here checks the clock when asked, and a timer still
 * covers any asynchronous resolver.
 *
 * @param options
 *   The time budget.
 * @returns
 *   A plugin.
 */
export function useExecutionTimeout(options: ExecutionTimeoutOptions = {}): Plugin {
  const { executionTimeoutMs: timeoutMs = hardeningDefaults.executionTimeoutMs } = options
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        const controller = new AbortController()
        const given = (args as { signal?: AbortSignal }).signal
        const signal = given ? AbortSignal.any([given, controller.signal]) : controller.signal
        const deadline = performance.now() + timeoutMs
        const stop = () =>
          controller.abort(
            refused(
              SecurityErrorCode.timeout,
              `The query ran longer than ${timeoutMs} ms and was stopped: ask for less at a time`,
              timeoutMs,
            ),
          )
        const throwIfAborted = signal.throwIfAborted.bind(signal)
        Object.defineProperty(signal, 'throwIfAborted', {
          value: () => {
            if (!signal.aborted && performance.now() > deadline) stop()
            throwIfAborted()
          },
        })
        const timer = setTimeout(stop, timeoutMs)
        const done = () => clearTimeout(timer)
        try {
          const result = executeFn({ ...args, signal } as typeof args)
          if (!isPromise(result)) done()
          return isPromise(result)
            ? result.then(
                (value) => {
                  done()
                  return value
                },
                (error: unknown) => {
                  done()
                  throw error
                },
              )
            : result
        } catch (error) {
          done()
          throw error
        }
      })
    },
  }
}
