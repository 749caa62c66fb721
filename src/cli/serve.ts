import { performance } from 'node:perf_hooks'
import { loadSnapshot } from '../load/snapshot.ts'
import type { HttpCachingOptions } from '../server/caching.ts'
import { type CorsOption, createContentServer, defaultGraphiql } from '../server/create-server.ts'
import { type Listening, listen } from '../server/listen.ts'
import { counts, formatProblem, plural } from './check.ts'
import type { LimitOptions } from './limits.ts'
import { createProgressBar } from './progress.ts'

/** Options of `serve`. */
export interface ServeOptions {
  /** Content folder to read (and to name problems' files from). */
  readonly contentDir: string
  /** Snapshot file to serve instead of reading the folder. */
  readonly snapshot?: string
  /** Port; 0 picks a free one. */
  readonly port: number
  readonly host: string
  /** Serve GraphiQL to browsers; by default unless NODE_ENV=production. */
  readonly graphiql?: boolean | undefined
  /** Follow the folder and serve each change. */
  readonly watch?: boolean
  /** Serve draft posts too (hidden by default). */
  readonly drafts?: boolean
  /** Folder for the content-hash cache that makes warm starts fast. */
  readonly cacheDir?: string | undefined
  /** Worker threads for the first read; default one per core for large folders. */
  readonly workers?: number | undefined
  /** Request logging; the CLI keeps yoga's warnings and errors only. */
  readonly logging?: boolean | 'debug' | 'info' | 'warn' | 'error'
  /** HTTP caching: `Cache-Control`, response cache size, persisted documents. */
  readonly caching?: HttpCachingOptions
  /** Limits of hostile requests and HTTP time limits (see SECURITY.md). */
  readonly limits?: LimitOptions
  /** Cross-origin requests (`--cors-origin`); any origin, without credentials, by default. */
  readonly cors?: CorsOption | undefined
}

/**
 * Serve a content folder over HTTP until closed.
 *
 * Listens first and reads the content while listening, so health probes get
 * answers during a long first read; `/ready` turns 200 once it is done.
 *
 * @param options
 *   Folder, address and features.
 * @param write
 *   Receives each output line: the URL, one per content problem (as `check`
 *   prints them), then `Read N posts, … (N problems) in N ms`.
 * @returns
 *   The listening server, once the content is read.
 * @throws
 *   When the port cannot be bound or the folder cannot be read; the server is
 *   closed first.
 */
export async function runServe(
  options: ServeOptions,
  write: (line: string) => void,
): Promise<Listening> {
  const started = performance.now()
  // Reading a large folder takes a while: show how far it is on a terminal.
  const progress = createProgressBar(process.stderr, 'posts read')
  // A snapshot is read before listening: it takes a fraction of a second.
  const snapshot = options.snapshot === undefined ? undefined : await loadSnapshot(options.snapshot)
  const graphiql = options.graphiql ?? defaultGraphiql()
  const http = {
    graphiql,
    ...(options.cors === undefined ? {} : { cors: options.cors }),
    logging: options.logging ?? 'warn',
    ...options.caching,
    // The HTTP time limits among these go to `listen`; yoga ignores them.
    ...options.limits,
  } as const
  const server = snapshot
    ? createContentServer({ ...http, graph: snapshot.graph })
    : createContentServer({
        ...http,
        contentDir: options.contentDir,
        watch: options.watch ?? false,
        drafts: options.drafts ?? false,
        cacheDir: options.cacheDir,
        onProgress: progress.update,
        onWarning: (message) => process.stderr.write(`content-graph: warning: ${message}\n`),
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        onChange: (graph, change) => {
          const parts = [
            change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
            change.changed.length > 0 ? `changed ${change.changed.join(', ')}` : '',
            change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : '',
          ].filter(Boolean)
          for (const problem of change.problems) write(formatProblem(problem, options.contentDir))
          write(
            `Updated in ${Math.round(change.durationMs)} ms: ${parts.join('; ') || 'no post changed'} (${plural(graph.problems.length, 'problem')})`,
          )
        },
      })
  const listening = await listen(server, {
    port: options.port,
    host: options.host,
    ...options.limits,
  })
  write(
    `Serving ${options.snapshot ? `snapshot ${options.snapshot}` : options.contentDir} at ${listening.url}${graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  )
  try {
    const graph = await server.ready.finally(() => progress.done())
    for (const problem of graph.problems) write(formatProblem(problem, options.contentDir))
    const ms = Math.round(performance.now() - started)
    write(`Read ${counts(graph.stats)} (${plural(graph.stats.problems, 'problem')}) in ${ms} ms`)
    if (options.watch) write(`Watching ${options.contentDir} for changes`)
  } catch (error) {
    await listening.close()
    throw error
  }
  return listening
}
