/**
 * The HTTP bench's server child processes (`./server-child.ts`): start one,
 * wait until it listens, ask it something over IPC, stop it.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { formatMs, repoRoot } from '../lib.ts'
import type { ChildMessage, ParentMessage, ServerKind, ServerName } from './server-child.ts'

/** A server child process. */
export interface ServerProcess {
  readonly kind: ServerKind
  readonly child: ChildProcess
  /** Settles when the child listens for messages (after its imports). */
  readonly greeted: Promise<void>
  /** Set once it is ready. */
  urls: Partial<Record<ServerName, string>>
  loadMs: number
  posts: number
  /** Why it failed or exited, once it has. */
  ended: string | undefined
  /** The last lines it printed, for error messages. */
  output: string
}

/** The child's script, run with tsx. */
const serverScript = path.join(repoRoot, 'bench', 'http', 'server-child.ts')

/**
 * Longest a child may take to read its content and listen. A cold read of a
 * 1,000-post corpus takes ~30–60 s on two busy cores; ten minutes only
 * catches a hung child.
 */
export const startTimeoutMs = 10 * 60_000
const askTimeoutMs = 60_000

/**
 * Start one server child. It is not ready until `waitReady` says so.
 *
 * @param kind
 *   Which server.
 * @param args
 *   Arguments after the kind.
 * @param live
 *   Set of running children, to add it to (and remove it from on exit).
 * @returns
 *   The child, with its state.
 */
export function spawnServer(
  kind: ServerKind,
  args: readonly string[],
  live: Set<ChildProcess>,
): ServerProcess {
  // --expose-gc: the child collects the garbage of reading before it listens.
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', serverScript, kind, ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  )
  live.add(child)
  const greeted = new Promise<void>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'hello') resolve()
    })
    child.on('exit', () => reject(new Error(`${kind} exited before it could be started`)))
  })
  // Rejections are reported by `waitReady`; a child never started must not
  // crash the bench with an unhandled rejection.
  greeted.catch(() => {})
  const server: ServerProcess = {
    kind,
    child,
    greeted,
    urls: {},
    loadMs: 0,
    posts: 0,
    ended: undefined,
    output: '',
  }
  const keep = (chunk: string) => {
    // Only the tail matters, for error messages.
    server.output = (server.output + chunk).slice(-4000)
  }
  child.stdout?.setEncoding('utf8').on('data', keep)
  child.stderr?.setEncoding('utf8').on('data', keep)
  // Recorded here, not only by `ask`, so that a child that dies before
  // anyone asks it anything is still reported.
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'failed') server.ended ??= message.error
  })
  child.on('exit', (code, signal) => {
    live.delete(child)
    server.ended ??= `exited (${signal ?? `code ${code}`})`
  })
  return server
}

/**
 * Wait until a server child listens.
 *
 * @param server
 *   From `spawnServer`.
 * @param message
 *   What starts it: `load` (yoga, Apollo) or the ceiling's bodies.
 * @param timeoutMs
 *   How long it may take to be ready, from now.
 * @returns
 *   The same server, its URLs filled in.
 */
export async function waitReady(
  server: ServerProcess,
  message: ParentMessage = { type: 'load' },
  timeoutMs: number = startTimeoutMs,
): Promise<ServerProcess> {
  try {
    const until = performance.now() + timeoutMs
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      server.greeted,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no hello')), timeoutMs)
      }),
    ]).finally(() => clearTimeout(timer))
    const ready = await ask(server, message, 'ready', Math.max(0, until - performance.now()))
    server.urls = ready.urls
    server.loadMs = ready.loadMs
    server.posts = ready.posts
    return server
  } catch (error) {
    server.child.kill('SIGKILL')
    const reason = error instanceof Error ? error.message : String(error)
    const output = server.output.trim()
    throw new Error(`${server.kind} did not start: ${reason}${output ? `\n${output}` : ''}`)
  }
}

/** Stop a server child: SIGTERM, then SIGKILL if it lingers. */
export async function stopServer(server: ServerProcess, live: Set<ChildProcess>): Promise<void> {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(timer)
      live.delete(child)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/**
 * Send a message to a server child (or none) and wait for a reply of a type.
 *
 * @returns
 *   The reply; rejects on `failed`, on exit, or after the timeout.
 */
export function ask<T extends ChildMessage['type']>(
  server: ServerProcess,
  message: ParentMessage | undefined,
  reply: T,
  timeoutMs: number = askTimeoutMs,
): Promise<Extract<ChildMessage, { type: T }>> {
  const { child } = server
  return new Promise((resolve, reject) => {
    if (server.ended !== undefined) {
      reject(new Error(`${server.kind}: ${server.ended}`))
      return
    }
    const done = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    const onMessage = (received: ChildMessage) => {
      if (received.type === reply) {
        done()
        resolve(received as Extract<ChildMessage, { type: T }>)
      } else if (received.type === 'failed') {
        done()
        reject(new Error(received.error))
      }
    }
    const onExit = (code: number | null, signal: string | null) => {
      done()
      reject(new Error(`${server.kind} exited (${signal ?? `code ${code}`})`))
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`${server.kind}: no ${reply} within ${formatMs(timeoutMs)}`))
    }, timeoutMs)
    child.on('message', onMessage)
    child.on('exit', onExit)
    if (message) child.send(message)
  })
}
