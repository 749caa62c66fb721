import { performance } from 'node:perf_hooks'
import type { GraphStats } from '../graph/content-graph.ts'
import { writeSnapshot } from '../load/snapshot.ts'
import { counts, formatProblem, plural } from './check.ts'
import { createProgressBar } from './progress.ts'

/** Options of `build`. */
export interface BuildOptions {
  /** Content folder to read. */
  readonly contentDir: string
  /** Snapshot file to write. */
  readonly out: string
  /** Worker threads; default one per core for large folders. */
  readonly workers?: number
  /** Keep draft posts in the snapshot (hidden by default). */
  readonly drafts?: boolean
}

/**
 * Read a content folder once and write it to a snapshot file, which
 * `serve --snapshot` starts from without reading Markdown.
 *
 * @param options
 *   Folder, file and workers.
 * @param write
 *   Receives each output line: one per content problem (as `check` prints
 *   them), then `Wrote <file>: N posts, … (N problems, N bytes) in N ms`.
 * @returns
 *   The counts of the graph written.
 */
export async function runBuild(
  options: BuildOptions,
  write: (line: string) => void,
): Promise<{ stats: GraphStats }> {
  const started = performance.now()
  const progress = createProgressBar(process.stderr, 'posts read')
  const { graph, bytes } = await writeSnapshot(options.out, {
    contentDir: options.contentDir,
    onProgress: progress.update,
    drafts: options.drafts ?? false,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  }).finally(() => progress.done())
  for (const problem of graph.problems) write(formatProblem(problem, options.contentDir))
  const ms = Math.round(performance.now() - started)
  write(
    `Wrote ${options.out}: ${counts(graph.stats)} (${plural(graph.stats.problems, 'problem')}, ${bytes} bytes, version ${graph.version}) in ${ms} ms`,
  )
  return { stats: graph.stats }
}
