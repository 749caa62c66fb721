/**
 * Stalls bench: whether a watching server keeps up with saves and keeps
 * answering while it reads and renders, with worker threads (the default)
 * against everything on the main thread (`workers: 0`, the way saves and
 * HTML were handled before), measured side by side in one run.
 *
 * Two rows per mode, each in a fresh child process over a fresh copy of the
 * generated corpus, served by `createContentServer({watch: true})` on a real
 * port with the response cache off (every query executes):
 *
 * 1. Save → visible under load: 20 connections send search queries back to
 *    back while posts are saved one after another, 300 ms apart; for each
 *    save, the time from the write to the first GET that returns the new
 *    title.
 * 2. `/health` while a 1.9 MB table-heavy post is saved and
 *    `posts(first: 100) { nodes { html } }` runs: `/health` is asked over
 *    and over (10 ms apart) from before the save until the post is served (or
 *    reported too slow to read) and the HTML query has run twice.
 *
 * CLI: `tsx bench/stalls.ts [--posts 200] [--saves 20] [--workers 0] [--json]`.
 * In the suite: `npm run bench -- --only stalls`.
 */
import { readFileSync, rmSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { toGlobalId } from '../src/model/ids.ts'
import { createContentServer } from '../src/server/create-server.ts'
import { listen } from '../src/server/listen.ts'
import { corpusCacheRoot, generateCorpus } from './corpus.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  delay,
  formatMs,
  formatRatio,
  percentile,
  ratio,
  remainingMs,
  runScriptInChild,
  type Table,
  type TargetResult,
} from './lib.ts'

/** What one mode measured. */
export interface StallsResult {
  /** Worker threads for saves and HTML (0: the main thread). */
  readonly workers: number | 'default'
  readonly posts: number
  /** Per save: from the write to the first GET that saw it. */
  readonly visibleMs: readonly number[]
  /** Queries the 20 connections completed while saves were measured. */
  readonly loadQueries: number
  /** Queries per second over that time. */
  readonly loadRate: number
  /** Each `/health` answer's latency while the huge post was saved and HTML rendered. */
  readonly healthMs: readonly number[]
  /** From writing the huge post to its being served or reported. */
  readonly hugeVisibleMs: number
  /** How the huge post ended: served, or reported (problem code). */
  readonly hugeOutcome: string
  /** Each `posts(first: 100) { nodes { html } }` run's time. */
  readonly htmlQueryMs: readonly number[]
  /** Each run's error codes other than the huge post's `HTML_TOO_LARGE`, or `ok`. */
  readonly htmlErrors: readonly string[]
}

/** Connections that send queries while saves are measured. */
const connections = 20
/** Time between two saves. */
const pauseMs = 300
/** Time between two `/health` requests. */
const healthGapMs = 10
/** A save or the huge post not seen by then ends the measurement. */
const visibleTimeoutMs = 60_000
/** Bytes of the huge post: under the 2 MiB file limit. */
const hugeBytes = 1_900_000

/**
 * Build the stalls bench for `bench/run.ts`.
 *
 * @returns
 *   The bench; each mode runs in its own child process.
 */
export function stallsBench(): Bench {
  return { name: 'stalls', run: runStalls }
}

async function runStalls(context: BenchContext): Promise<BenchReport> {
  const saves = context.quick ? 10 : 20
  const posts = 200
  const results: StallsResult[] = []
  const notes = methodNotes(saves, posts)
  for (const workers of ['default', '0'] as const) {
    const left = remainingMs(context)
    if (left < 60_000) {
      notes.push(`workers ${workers}: skipped, the run's time budget is used up`)
      continue
    }
    context.log(`stalls: workers ${workers}, ${posts} posts, ${saves} saves`)
    const args = [
      '--posts',
      String(posts),
      '--saves',
      String(saves),
      '--seed',
      String(context.seed),
    ]
    if (workers === '0') args.push('--workers', '0')
    const run = await runScriptInChild(fileURLToPath(import.meta.url), [...args, '--json'], {
      nodeFlags: ['--max-semi-space-size=32'],
      timeoutMs: Math.min(left, 300_000),
      onStderrLine: context.log,
    })
    if (run.json !== undefined) results.push(run.json as StallsResult)
    else
      notes.push(
        `workers ${workers}: ${run.timedOut ? 'stopped at its time limit' : `failed: ${run.stderrTail}`}`,
      )
  }
  return { tables: [resultTable(results)], targets: targets(results), notes }
}

/**
 * Measure both rows in this process.
 *
 * @param options
 *   Corpus size, saves, seed and worker count (`undefined`: the default).
 * @returns
 *   Every figure.
 */
export async function measureStalls(options: {
  readonly posts: number
  readonly saves: number
  readonly seed: number
  readonly workers: number | undefined
  readonly log: (message: string) => void
}): Promise<StallsResult> {
  const { posts, saves, seed, workers, log } = options
  const dir = path.join(corpusCacheRoot, `stalls-${posts}-${seed}-${workers ?? 'default'}`)
  rmSync(dir, { recursive: true, force: true })
  const corpus = generateCorpus({ dir, posts, seed })
  const server = createContentServer({
    contentDir: dir,
    watch: true,
    logging: false,
    responseCache: false,
    ...(workers === undefined ? {} : { workers }),
  })
  const listening = await listen(server, { port: 0, host: '127.0.0.1' })
  await server.ready
  const base = listening.url.replace(/\/graphql$/, '')
  log(`  serving ${posts} posts at ${base}`)

  // Row 1: saves under the load of 20 connections.
  let loading = true
  let loadQueries = 0
  const words = [
    'Spark',
    'Kafka',
    'Kubernetes',
    'React',
    'Python',
    '데이터',
    '서버',
    'cache',
    'API',
  ]
  const load = Array.from({ length: connections }, async (_, connection) => {
    let turn = connection
    while (loading) {
      const search = words[turn++ % words.length] as string
      try {
        await graphql(listening.url, loadQuery, { search })
        loadQueries++
      } catch {
        // A refused or reset request counts as none.
      }
    }
  })
  await delay(1000)
  const visibleMs: number[] = []
  const loadStarted = performance.now()
  const loadCountedFrom = loadQueries
  try {
    for (let save = 0; save < saves; save++) {
      const file = corpus.files[Math.floor(((save + 0.5) / saves) * corpus.files.length)] as string
      const absolute = path.join(dir, file)
      const before = readFileSync(absolute, 'utf8')
      const title = `${/^title: (.*)$/m.exec(before)?.[1] ?? file} rev ${save}`
      const query = `{ node(id: "${toGlobalId('Post', file)}") { ... on Post { title } } }`
      const started = performance.now()
      await writeFile(absolute, before.replace(/^title: .*$/m, `title: ${title}`))
      for (;;) {
        const answer = await graphql(listening.url, query).catch(() => undefined)
        if (answer?.data?.node?.title === title) break
        if (performance.now() - started > visibleTimeoutMs) {
          throw new Error(`save ${save} of ${file} not seen within ${visibleTimeoutMs} ms`)
        }
        await delay(10)
      }
      visibleMs.push(performance.now() - started)
      await delay(pauseMs)
    }
  } finally {
    loading = false
    await Promise.all(load)
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000
  const loadRate = (loadQueries - loadCountedFrom) / loadSeconds
  log(`  saves: median ${formatMs(percentile(visibleMs, 0.5))}, ${loadRate.toFixed(0)} queries/s`)

  // Row 2: `/health` while a huge post is saved and a page of HTML renders.
  // Asked from a thread of its own: a prober on the server's thread could
  // not even start its clock while that thread is blocked.
  const prober = startProber(`${base}/health`, healthGapMs)
  await delay(300)
  const writing = performance.now()
  await writeFile(path.join(dir, 'huge.md'), hugeTable(hugeBytes))
  const htmlQueryMs: number[] = []
  const htmlErrors: string[] = []
  const html = (async () => {
    for (let run = 0; run < 2; run++) {
      const started = performance.now()
      const answer = await graphql(listening.url, '{ posts(first: 100) { nodes { html } } }').catch(
        () => undefined,
      )
      htmlQueryMs.push(performance.now() - started)
      // The huge post's HTML_TOO_LARGE is expected; anything else is noted.
      const codes = (answer?.errors ?? [])
        .map((error) => (error as { extensions?: { code?: string } }).extensions?.code ?? '?')
        .filter((code) => code !== 'HTML_TOO_LARGE')
      htmlErrors.push(codes.length > 0 ? [...new Set(codes)].join(', ') : 'ok')
    }
  })()
  let hugeOutcome = 'not seen'
  let hugeVisibleMs = Number.NaN
  for (;;) {
    const body = await graphql(
      listening.url,
      '{ post(slug: "huge") { title } problems(first: 100) { nodes { path code } } }',
    ).catch(() => undefined)
    const problem = body?.data?.problems?.nodes?.find(
      (node: { path: string }) => node.path === 'huge.md',
    )
    if (body?.data?.post || problem) {
      hugeOutcome = body?.data?.post ? 'served' : `reported ${problem.code}`
      hugeVisibleMs = performance.now() - writing
      break
    }
    if (performance.now() - writing > visibleTimeoutMs * 3) break
    await delay(50)
  }
  await html
  const healthMs = await prober.stop()
  log(
    `  huge post ${hugeOutcome} after ${formatMs(hugeVisibleMs)}; /health p99 ${formatMs(percentile(healthMs, 0.99))}`,
  )
  await listening.close()
  rmSync(dir, { recursive: true, force: true })
  return {
    workers: workers ?? 'default',
    posts,
    visibleMs,
    loadQueries: loadQueries - loadCountedFrom,
    loadRate,
    healthMs,
    hugeVisibleMs,
    hugeOutcome,
    htmlQueryMs,
    htmlErrors,
  }
}

/** A `/health` prober in a worker thread: its own event loop and clock. */
function startProber(url: string, gapMs: number): { stop(): Promise<number[]> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads')
    const latencies = []
    let probing = true
    parentPort.on('message', () => { probing = false })
    ;(async () => {
      while (probing) {
        const started = performance.now()
        try { await (await fetch(workerData.url)).arrayBuffer() } catch {}
        latencies.push(performance.now() - started)
        await new Promise((resolve) => setTimeout(resolve, workerData.gapMs))
      }
      parentPort.postMessage(latencies)
    })()`,
    { eval: true, workerData: { url, gapMs } },
  )
  return {
    async stop() {
      const done = new Promise<number[]>((resolve) => worker.once('message', resolve))
      worker.postMessage('stop')
      const latencies = await done
      await worker.terminate()
      return latencies
    },
  }
}

/** What the 20 connections ask: a search over posts, then their talks. */
const loadQuery = `query Load($search: String!) {
  posts(first: 20, filter: { search: $search }) {
    totalCount
    nodes { title excerpt talks(first: 5) { nodes { title } } }
  }
}`

/** A post of one long table, with a code span per row: what makes the parser slowest. */
function hugeTable(bytes: number): string {
  const lines = ['---', 'title: Huge', 'date: 2024-01-01', '---', '# Huge', '']
  lines.push('| one | two | three |', '| --- | --- | --- |')
  let size = lines.join('\n').length
  for (let row = 0; size < bytes; row++) {
    const line = `| a${row} \`Spark\` | 값 ${row} | c${row} |`
    lines.push(line)
    size += Buffer.byteLength(line) + 1
  }
  return `${lines.join('\n')}\n`
}

// biome-ignore lint/suspicious/noExplicitAny: the shape of a GraphQL answer is the query's.
type Answer = { data?: any; errors?: unknown[] }

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  return (await response.json()) as Answer
}

function resultTable(results: readonly StallsResult[]): Table {
  return {
    title: 'Saves and /health under load: worker threads (default) against the main thread',
    headers: [
      'workers',
      'saves',
      'save → visible, median',
      'p95',
      'max',
      'queries/s (20 connections)',
      '/health p50',
      '/health p99',
      '/health max',
      '/health answers',
      'huge post',
      'posts(first: 100) html, cold / cached',
    ],
    rows: results.map((result) => [
      result.workers === 'default' ? 'default (1 per core but one)' : '0 (main thread)',
      String(result.visibleMs.length),
      formatMs(percentile(result.visibleMs, 0.5)),
      formatMs(percentile(result.visibleMs, 0.95)),
      formatMs(Math.max(...result.visibleMs)),
      result.loadRate.toFixed(0),
      formatMs(percentile(result.healthMs, 0.5)),
      formatMs(percentile(result.healthMs, 0.99)),
      formatMs(Math.max(...result.healthMs)),
      String(result.healthMs.length),
      `${result.hugeOutcome} after ${formatMs(result.hugeVisibleMs)}`,
      result.htmlQueryMs
        .map((ms, run) => `${formatMs(ms)} (${result.htmlErrors[run] ?? '?'})`)
        .join(' / '),
    ]),
  }
}

function targets(results: readonly StallsResult[]): TargetResult[] {
  const pooled = results.find((result) => result.workers === 'default')
  const inline = results.find((result) => result.workers === 0)
  if (!pooled) return []
  const visible = percentile(pooled.visibleMs, 0.5)
  const health = percentile(pooled.healthMs, 0.99)
  const against = (mine: number, theirs: number | undefined) =>
    theirs === undefined
      ? ''
      : ` (main thread: ${formatMs(theirs)}, ${formatRatio(ratio(theirs, mine), 1)})`
  return [
    {
      name: 'Save → visible under load (20 connections), median',
      target: '≤ 1 s',
      measured: `${formatMs(visible)}${against(visible, inline && percentile(inline.visibleMs, 0.5))}`,
      status: visible <= 1000 ? 'met' : 'missed',
    },
    {
      name: '/health p99 while a 1.9 MB table post is saved and posts(first: 100){html} runs',
      target: '≤ 100 ms',
      measured: `${formatMs(health)}${against(health, inline && percentile(inline.healthMs, 0.99))}`,
      status: health <= 100 ? 'met' : 'missed',
    },
  ]
}

function methodNotes(saves: number, posts: number): string[] {
  return [
    `Each mode: a child process, a fresh copy of the generated corpus (${posts} posts of ~10 KB), a watching server (createContentServer({watch: true, responseCache: false}) + listen on 127.0.0.1), so every query executes.`,
    `Save → visible: ${connections} connections send a search query (posts(first: 20, filter: {search}) with excerpts and talks) back to back; ${saves} saves of different posts, ${pauseMs} ms apart, each rewriting one title; from the start of writeFile to the first POST node(id:) query (every 10 ms) that returns the new title.`,
    `/health: GET /health every ${healthGapMs} ms, from a worker thread of the bench process (its clock runs while the server's thread is blocked) from just before a ${(hugeBytes / 1e6).toFixed(1)} MB post of one long table (a code span per row) is written, while posts(first: 100) { nodes { html } } runs twice (cold, then from the HTML cache; the huge post's html is HTML_TOO_LARGE), until the huge post is served or reported (parse-timeout past the 20 s budget in a worker) and both HTML queries are done.`,
    'The HTML query runs under the 5 s execution budget: past it, the answer is a TIMEOUT error (shown in brackets) while the renders it started go on and fill the cache.',
    'workers 0 reads saves and renders HTML on the main thread, as the server did before saves and HTML moved to worker threads: the baseline, measured in the same run.',
  ]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '200' },
      saves: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  const log = (message: string) => process.stderr.write(`${message}\n`)
  const result = await measureStalls({
    posts: Number(values.posts),
    saves: Number(values.saves),
    seed: Number(values.seed),
    workers: values.workers === undefined ? undefined : Number(values.workers),
    log,
  })
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`)
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  process.exit(0)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
