/**
 * Start `content-graph serve` as a real process on a free port of 127.0.0.1,
 * for the tests of faults that only a real process meets: files, folders,
 * permissions and signals.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { bin, freePort } from './cli.ts'

/** A running `content-graph serve`. */
export interface Served {
  readonly child: ChildProcess
  /** `http://127.0.0.1:PORT`. */
  readonly base: string
  /** The GraphQL endpoint. */
  readonly url: string
  /** Lines printed on stdout so far. */
  readonly lines: string[]
  /** What was printed on stderr so far. */
  stderr(): string
  /** Stop the process (SIGTERM) and wait for it to exit. */
  close(): Promise<void>
}

/** How to start the process. */
export interface ServeProcessOptions {
  /**
   * A command that runs the CLI for us, such as `setpriv` with its flags, so
   * that the server runs as another user; `node` comes right after it.
   */
  readonly prefix?: readonly string[]
  /** Line that means the server is ready, tested on each stdout line. */
  readonly readyWhen?: (line: string) => boolean
  /** Environment of the process. */
  readonly env?: NodeJS.ProcessEnv
}

/**
 * Start `content-graph serve` with the given flags (port and host are added).
 *
 * @param args
 *   Flags after `serve`, such as `['--content', dir, '--watch']`.
 * @param options
 *   Prefix command, readiness line and environment.
 * @returns
 *   The process, once it printed its `Read …` line (or `readyWhen`'s).
 */
export async function startServe(
  args: readonly string[],
  options: ServeProcessOptions = {},
): Promise<Served> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const [command, ...prefixArgs] = options.prefix ?? []
  const serveArgs = [bin, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args]
  const child =
    command === undefined
      ? spawn(process.execPath, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env })
      : spawn(command, [...prefixArgs, process.execPath, ...serveArgs], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: options.env,
        })
  const lines: string[] = []
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const readyWhen = options.readyWhen ?? ((line: string) => line.startsWith('Read '))
  await new Promise<void>((resolve, reject) => {
    let buffer = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      const complete = buffer.split('\n')
      buffer = complete.pop() ?? ''
      lines.push(...complete)
      if (complete.some(readyWhen)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
  })
  return {
    child,
    base,
    url: `${base}/graphql`,
    lines,
    stderr: () => stderr,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}
