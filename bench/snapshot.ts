/**
 * Snapshot bench: how long a server takes to get its graph from a snapshot
 * file (`serve --snapshot`) against reading the Markdown folder cold (no
 * cache, worker threads as `serve` uses them), on the generated corpus.
 *
 * Each measurement runs in a fresh child process, as a replica starting up
 * would: `load` is the time from the start of the call to the graph.
 *
 * CLI: `tsx bench/snapshot.ts [--posts 1000] [--seed 1] [--json]`. In the
 * suite: `npm run bench -- --only snapshot`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { loadContent } from '../src/load/content.ts'
import { loadSnapshot, writeSnapshot } from '../src/load/snapshot.ts'
import { cachedCorpus, defaultBytesPerPost } from './corpus.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  formatBytes,
  formatMs,
  formatRatio,
  ratio,
  runScriptInChild,
  type TargetResult,
} from './lib.ts'

/** What one child measured. */
interface Measured {
  readonly posts: number
  readonly coldMs: number
  readonly writeMs: number
  readonly loadMs: number
  readonly bytes: number
  readonly sameVersion: boolean
}

/**
 * Measure one corpus size in this process: a cold read, a snapshot write,
 * and a snapshot load (after the write, so the file is in the page cache as
 * it is for a container whose image holds it).
 */
async function measure(posts: number, seed: number, bytesPerPost: number): Promise<Measured> {
  const { corpus } = cachedCorpus(posts, seed, bytesPerPost)
  const dir = mkdtempSync(path.join(tmpdir(), 'content-graph-snapshot-bench-'))
  try {
    const file = path.join(dir, 'content.snapshot')
    let started = performance.now()
    const cold = await loadContent({ contentDir: corpus.dir })
    const coldMs = performance.now() - started
    started = performance.now()
    await writeSnapshot(file, { contentDir: corpus.dir })
    const writeMs = performance.now() - started
    started = performance.now()
    const loaded = await loadSnapshot(file)
    const loadMs = performance.now() - started
    return {
      posts: cold.graph.stats.posts,
      coldMs,
      writeMs,
      loadMs,
      bytes: statSync(file).size,
      sameVersion: loaded.graph.version === cold.graph.version,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The snapshot bench for run.ts: one child per corpus size.
 *
 * @returns
 *   The bench.
 */
export function snapshotBench(): Bench {
  return {
    name: 'snapshot',
    async run(context: BenchContext): Promise<BenchReport> {
      const rows: string[][] = []
      const targets: TargetResult[] = []
      for (const size of context.sizes) {
        context.log(`snapshot: ${size} posts`)
        const run = await runScriptInChild(fileURLToPath(import.meta.url), [
          '--posts',
          String(size),
          '--seed',
          String(context.seed),
          '--bytes-per-post',
          String(context.bytesPerPost),
          '--json',
        ])
        if (run.json === undefined) {
          throw new Error(`snapshot bench at ${size} posts failed: ${run.stderrTail}`)
        }
        const measured = run.json as Measured
        const share = ratio(measured.loadMs, measured.coldMs)
        rows.push([
          String(measured.posts),
          formatMs(measured.coldMs),
          formatMs(measured.writeMs),
          formatMs(measured.loadMs),
          share === undefined ? 'n/a' : `${(share * 100).toFixed(1)}%`,
          formatRatio(ratio(measured.coldMs, measured.loadMs), 0),
          formatBytes(measured.bytes),
          measured.sameVersion ? 'yes' : 'NO',
        ])
        if (size >= 10_000) {
          targets.push({
            name: `snapshot load at ${size} posts`,
            target: '< 5% of the cold read',
            measured: `${formatMs(measured.loadMs)} against ${formatMs(measured.coldMs)}`,
            status: share !== undefined && share < 0.05 ? 'met' : 'missed',
          })
        }
      }
      return {
        tables: [
          {
            title: 'Snapshot: serve --snapshot against reading the folder cold',
            headers: [
              'posts',
              'cold read',
              'write snapshot',
              'load snapshot',
              'load / cold',
              'speed-up',
              'file',
              'same graph version',
            ],
            rows,
          },
        ],
        targets,
        notes: [
          'Each size runs in a fresh child process; the cold read uses no cache and worker threads as serve does; the load reads the file just written (in the page cache, as a file in a container image is after the first start).',
        ],
      }
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'bytes-per-post': { type: 'string', default: String(defaultBytesPerPost) },
      json: { type: 'boolean' },
    },
  })
  const measured = await measure(
    Number(values.posts),
    Number(values.seed),
    Number(values['bytes-per-post']),
  )
  process.stdout.write(
    values.json ? JSON.stringify(measured) : `${JSON.stringify(measured, null, 2)}\n`,
  )
}
