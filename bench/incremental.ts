/**
 * Incremental bench: how long after saving one post of a watched corpus a
 * client's query sees the change, against the floor of reading that one file
 * (`extractPost` on its text, in this process).
 *
 * A watching server is started on a real port over a fresh copy of the
 * generated corpus; then, one save at a time, a post's title is changed on
 * disk and the post is asked for over HTTP (GET, every 2 ms) until the new
 * title comes back; or, with `--mode subscribe`, asked for once the
 * `contentChanged` event names it. The server's own figure (`ContentChange.durationMs`, from
 * the first file event to the new snapshot) splits the wait into the file
 * watcher's share and the update's.
 *
 * CLI: `tsx bench/incremental.ts [--posts 1000] [--saves 30] [--seed 1]
 * [--bytes-per-post 10240] [--mode poll|subscribe] [--json]`. In the suite:
 * `npm run bench -- --only incremental`, one child process per size.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { builtinCatalogEntries, createCatalog } from '../src/catalog/catalog.ts'
import { extractPost } from '../src/extract/post.ts'
import { toGlobalId } from '../src/model/ids.ts'
import { createContentServer } from '../src/server/create-server.ts'
import { listen } from '../src/server/listen.ts'
import { corpusCacheRoot, defaultBytesPerPost, generateCorpus } from './corpus.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  delay,
  formatMs,
  formatRatio,
  formatTable,
  percentile,
  ratio,
  remainingMs,
  runScriptInChild,
  type Table,
  type TargetResult,
} from './lib.ts'

/** Settings of the incremental bench beyond the shared ones. */
export interface IncrementalOptions {
  /**
   * Saves measured per corpus size (three more warm the JIT first).
   * @default 30 (10 with `--quick`)
   */
  readonly saves?: number
  /**
   * How the client learns of a save (see `MeasureOptions.mode`).
   * @default 'poll'
   */
  readonly mode?: 'poll' | 'subscribe'
  /** Extra Node flags for the children (e.g. `--max-semi-space-size=64`). */
  readonly nodeFlags?: readonly string[]
}

/** What one run over one corpus measured. */
export interface IncrementalResult {
  readonly posts: number
  /** How the client learned of each save. */
  readonly mode: 'poll' | 'subscribe'
  /** Markdown bytes of the corpus. */
  readonly bytes: number
  /** First read of the folder by the watching server. */
  readonly loadMs: number
  /** Per save: from the start of the write to the first query that saw it. */
  readonly visibleMs: readonly number[]
  /**
   * Per save: the server's share, from the first file event to the new
   * snapshot (the 40 ms debounce, then re-read, extract, relink, diff).
   */
  readonly updateMs: readonly number[]
  /** Per save: the file watcher's share, from the start of the write to the first file event. */
  readonly watcherMs: readonly number[]
  /** Per save: `extractPost` on the saved text alone (median of 5 warm runs). */
  readonly parseMs: readonly number[]
  /** Mean size of the saved files in bytes. */
  readonly savedBytes: number
  /** Longest time the server's event loop was blocked while saves were measured. */
  readonly maxStallMs: number
  /** Polls that failed (connection reset by a stalled server) and were sent again. */
  readonly failedPolls: number
}

/** Options of `measureIncremental`. */
export interface MeasureOptions {
  readonly posts: number
  readonly seed: number
  /** @default 10240 */
  readonly bytesPerPost?: number
  /** @default 30 */
  readonly saves?: number
  /**
   * How the client learns of a save: `poll` sends the GET every 2 ms until it
   * sees the new title (what a client without subscriptions does, and load on
   * the server while it updates); `subscribe` waits for the `contentChanged`
   * event over SSE, then sends the GET once.
   * @default 'poll'
   */
  readonly mode?: 'poll' | 'subscribe'
  /** Progress output. */
  readonly log?: (message: string) => void
}

/** Saves made before measuring, so the update path runs warm (JIT, caches). */
const warmUpSaves = 3
/** The watcher's default debounce (`watchContent`'s `debounceMs`), inside every update. */
const debounceMs = 40
/** Quiet time between saves, past the watcher's re-check of files it read (120 ms). */
const pauseMs = 300
/** A save not seen by then counts as lost and fails the run. */
const visibleTimeoutMs = 30_000

/**
 * Build the incremental bench for `bench/run.ts`.
 *
 * @param options
 *   Number of saves and Node flags.
 * @returns
 *   The bench; each corpus size runs in its own child process.
 */
export function incrementalBench(options: IncrementalOptions = {}): Bench {
  return { name: 'incremental', run: (context) => runIncremental(context, options) }
}

async function runIncremental(
  context: BenchContext,
  options: IncrementalOptions,
): Promise<BenchReport> {
  const saves = options.saves ?? (context.quick ? 10 : 30)
  const results: IncrementalResult[] = []
  const notes: string[] = []
  for (const posts of [...context.sizes].sort((a, b) => a - b)) {
    const left = remainingMs(context)
    // Not worth starting: a corpus must be generated and read before any save.
    if (left < 30_000) {
      notes.push(
        `${posts} posts: skipped, the run's time budget is used up (\`--budget 0\` lifts it)`,
      )
      continue
    }
    context.log(`incremental: ${posts} posts, ${saves} saves`)
    try {
      results.push(
        await runChild(
          [
            '--posts',
            String(posts),
            '--saves',
            String(saves),
            '--seed',
            String(context.seed),
            '--bytes-per-post',
            String(context.bytesPerPost),
            '--mode',
            options.mode ?? 'poll',
          ],
          options.nodeFlags ?? [],
          context.log,
          left,
        ),
      )
    } catch (error) {
      notes.push(`${posts} posts: the run failed: ${(error as Error).message}`)
    }
  }
  notes.unshift(...methodNotes(saves))
  return { tables: [resultTable(results)], targets: targets(results), notes }
}

/**
 * Measure save-to-visible times over one generated corpus.
 *
 * @param options
 *   Corpus size and seed, number of saves.
 * @returns
 *   Every figure, per save.
 * @throws
 *   When a save is not seen within 30 s.
 */
export async function measureIncremental(options: MeasureOptions): Promise<IncrementalResult> {
  const { posts, seed, bytesPerPost = defaultBytesPerPost, saves = 30, mode = 'poll' } = options
  const log = options.log ?? (() => {})
  // A copy of its own, since saves change it (the cached corpora of
  // bench/corpus.ts are shared with the other benches), written afresh on
  // every run so that earlier saves are undone. Its path stays the same, as
  // the content-hash cache is kept per folder: a second run starts warm, and
  // what is measured here is the saves, not the first read.
  const suffix = bytesPerPost === defaultBytesPerPost ? '' : `-${bytesPerPost}b`
  const dir = path.join(corpusCacheRoot, `incremental-${posts}-${seed}${suffix}`)
  const cacheDir = path.join(corpusCacheRoot, 'incremental-load-cache')
  mkdirSync(cacheDir, { recursive: true })
  const generating = performance.now()
  const corpus = generateCorpus({ dir, posts, seed, bytesPerPost })
  log(`  wrote ${posts} posts to ${dir} in ${formatMs(performance.now() - generating)}`)

  const served: { at: number; durationMs: number; changed: readonly string[] }[] = []
  const loading = performance.now()
  const server = createContentServer({
    contentDir: dir,
    watch: true,
    logging: false,
    cacheDir,
    onChange: (_, change) => {
      served.push({
        at: performance.now(),
        durationMs: change.durationMs,
        changed: change.changed,
      })
    },
  })
  const listening = await listen(server, { port: 0, host: '127.0.0.1' })
  await server.ready
  const loadMs = performance.now() - loading
  log(`  first read in ${formatMs(loadMs)}`)

  const visibleMs: number[] = []
  const updateMs: number[] = []
  const watcherMs: number[] = []
  const savedTexts: { path: string; text: string }[] = []
  let failedPolls = 0
  const stalls = monitorEventLoopDelay({ resolution: 10 })
  const events =
    mode === 'subscribe'
      ? await openEvents(`${listening.url}?query=${encodeURIComponent(changedTitles)}`)
      : undefined
  try {
    for (let save = 0; save < warmUpSaves + saves; save++) {
      // Spread over the corpus, so no file is saved twice in a row.
      const index = Math.floor(((save + 0.5) / (warmUpSaves + saves)) * corpus.files.length)
      const file = corpus.files[index] as string
      const absolute = path.join(dir, file)
      const before = readFileSync(absolute, 'utf8')
      const title = `${/^title: (.*)$/m.exec(before)?.[1] ?? file} rev ${save}`
      const text = before.replace(/^title: .*$/m, `title: ${title}`)
      const query = `{ node(id: "${toGlobalId('Post', file)}") { ... on Post { title } } }`
      const url = `${listening.url}?query=${encodeURIComponent(query)}`

      const seen = served.length
      const started = performance.now()
      await writeFile(absolute, text)
      if (events) await events.until(title, visibleTimeoutMs)
      for (;;) {
        const answer = await poll(url)
        if (answer === title) break
        if (answer === undefined) failedPolls++
        if (performance.now() - started > visibleTimeoutMs) {
          throw new Error(`save ${save} of ${file} not seen within ${visibleTimeoutMs} ms`)
        }
        await delay(2)
      }
      const visible = performance.now() - started
      const update = served.slice(seen).find((change) => change.changed.includes(file))
      if (save >= warmUpSaves) {
        visibleMs.push(visible)
        savedTexts.push({ path: file, text })
        if (update) {
          updateMs.push(update.durationMs)
          watcherMs.push(update.at - started - update.durationMs)
        }
      }
      await delay(pauseMs)
      if (save === warmUpSaves - 1) stalls.enable()
    }
  } finally {
    stalls.disable()
    events?.close()
    await listening.close()
  }

  // The floor, measured after the saves, warm and with nothing else running.
  const catalog = createCatalog(builtinCatalogEntries)
  const parseMs = savedTexts.map((file) => {
    for (let run = 0; run < 2; run++) extractPost(file, { catalog })
    const runs = Array.from({ length: 5 }, () => {
      const started = performance.now()
      extractPost(file, { catalog })
      return performance.now() - started
    })
    return percentile(runs, 0.5)
  })
  const savedBytes =
    savedTexts.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) /
    Math.max(1, savedTexts.length)
  return {
    posts,
    mode,
    bytes: corpus.bytes,
    loadMs,
    visibleMs,
    updateMs,
    watcherMs,
    parseMs,
    savedBytes,
    maxStallMs: stalls.max / 1e6,
    failedPolls,
  }
}

/** The subscription of subscribe mode: the titles of the posts each update changed. */
const changedTitles = 'subscription { contentChanged { changed { title } } }'

/** A `contentChanged` stream, read as `EventSource` would. */
interface Events {
  /** Resolves once an event names a changed post with this title. */
  until(title: string, timeoutMs: number): Promise<void>
  close(): void
}

async function openEvents(url: string): Promise<Events> {
  const abort = new AbortController()
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  })
  if (!response.body) throw new Error(`no event stream: ${response.status}`)
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  // The server subscribes once its first block (a ping) has been read.
  while (!buffer.includes('\n\n')) buffer += (await reader.read()).value ?? ''
  return {
    async until(title, timeoutMs) {
      const started = performance.now()
      for (;;) {
        const end = buffer.indexOf('\n\n')
        if (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (block.includes(JSON.stringify(title))) return
          continue
        }
        if (performance.now() - started > timeoutMs) throw new Error(`no event for ${title}`)
        const { value, done } = await reader.read()
        if (done) throw new Error('the event stream ended')
        buffer += value
      }
    },
    close: () => abort.abort(),
  }
}

/** The title a GET returns, or undefined when the request failed. */
async function poll(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' } })
    const body = (await response.json()) as { data?: { node?: { title?: string } } }
    return body.data?.node?.title ?? ''
  } catch {
    return undefined
  }
}

/** Node flags the server runs with, as `npm start` and `npm run dev` give them. */
const serverNodeFlags = ['--max-semi-space-size=32']

/** Run `measureIncremental` in a fresh process, so a 10,000-post graph's heap is its own. */
async function runChild(
  args: readonly string[],
  nodeFlags: readonly string[],
  log: (message: string) => void,
  timeoutMs: number,
): Promise<IncrementalResult> {
  const run = await runScriptInChild(fileURLToPath(import.meta.url), [...args, '--json'], {
    nodeFlags: [...serverNodeFlags, ...nodeFlags],
    timeoutMs,
    // Progress lines, passed on as they come.
    onStderrLine: log,
  })
  if (run.json !== undefined) return run.json as IncrementalResult
  throw new Error(
    run.timedOut
      ? `stopped after ${formatMs(timeoutMs)} at the run's time budget (\`--budget 0\` lifts it)`
      : `exit code ${run.code}: ${run.stderrTail}`,
  )
}

/**
 * The target: a changed post visible within 100 ms plus the time to parse
 * that one file, whatever the corpus size. Judged per size on the median
 * save (and the 95th percentile, shown against the same allowance).
 */
function targets(results: readonly IncrementalResult[]): TargetResult[] {
  return results.flatMap((result) => {
    const parse = percentile(result.parseMs, 0.5)
    const at = `at ${result.posts.toLocaleString('en-US')} posts`
    return ([0.5, 0.95] as const).map((share) => {
      const visible = percentile(result.visibleMs, share)
      const over = visible - parse
      return {
        name: `Save → visible, ${share === 0.5 ? 'median' : '95th percentile'}, minus parsing that file`,
        target: '≤ 100 ms',
        measured: `${formatMs(visible)} − ${formatMs(parse)} = ${formatMs(over)} ${at}`,
        status: over <= 100 ? 'met' : 'missed',
      } satisfies TargetResult
    })
  })
}

/** One row per corpus size: the save-to-visible distribution and its parts. */
function resultTable(results: readonly IncrementalResult[]): Table {
  return {
    title: 'Save to visible: one post saved, until a GET query returns the new text',
    headers: [
      'posts',
      'client',
      'saves',
      'median',
      'p95',
      'max',
      'parse one file',
      'median ÷ parse',
      'file event (median)',
      'event → snapshot (median)',
      'of which work',
      'work ÷ parse',
      'longest stall',
      'first read',
    ],
    rows: results.map((result) => {
      const visible = percentile(result.visibleMs, 0.5)
      const parse = percentile(result.parseMs, 0.5)
      const update = percentile(result.updateMs, 0.5)
      const work = update - debounceMs
      return [
        result.posts.toLocaleString('en-US'),
        result.mode === 'poll' ? 'polls every 2 ms' : 'subscribes (SSE), then GET',
        String(result.visibleMs.length),
        formatMs(visible),
        formatMs(percentile(result.visibleMs, 0.95)),
        formatMs(Math.max(...result.visibleMs)),
        formatMs(parse),
        formatRatio(ratio(visible, parse), 1),
        formatMs(percentile(result.watcherMs, 0.5)),
        formatMs(update),
        formatMs(work),
        formatRatio(ratio(work, parse), 1),
        `${formatMs(result.maxStallMs)}${result.failedPolls > 0 ? ` (${result.failedPolls} polls failed)` : ''}`,
        formatMs(result.loadMs),
      ]
    }),
  }
}

function methodNotes(saves: number): string[] {
  return [
    `Each size: a fresh copy of the generated corpus, a watching server (createContentServer({watch: true}) + listen) in a child process, ${warmUpSaves} warm-up saves, then ${saves} measured saves spread over the corpus, ${pauseMs} ms apart; each save rewrites one post's title.`,
    `Save to visible: from the start of \`writeFile\` to the first GET (through the response cache) that returns the new title; the client either polls, sending the GET every 2 ms (load on the server while it updates), or subscribes to \`contentChanged\` over SSE and sends the GET once the event names the post. File event: from the write to the watcher's event. Event → snapshot: \`ContentChange.durationMs\`, the ${debounceMs} ms debounce (quiet time that folds a burst of saves into one update) then the work: re-read and extract the file, relink, diff; work is that less the debounce. The rest of save to visible is the client's: the poll interval or the event's delivery, then the query.`,
    "Parse one file: `extractPost` on the saved text, median of 5 warm runs in the same process after the saves: the floor an incremental update cannot beat. Longest stall: the longest the server's event loop was blocked during the measured saves (a GET is not answered meanwhile; past the server's 10 s `headersTimeout` a waiting connection is reset, and the poll is sent again). 'First read' uses a content-hash cache kept between runs, so only the first run of a size is cold.",
  ]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '1000' },
      saves: { type: 'string', default: '30' },
      seed: { type: 'string', default: '1' },
      'bytes-per-post': { type: 'string', default: String(defaultBytesPerPost) },
      mode: { type: 'string', default: 'poll' },
      json: { type: 'boolean', default: false },
    },
  })
  const log = (message: string) => process.stderr.write(`${message}\n`)
  const result = await measureIncremental({
    posts: Number(values.posts),
    seed: Number(values.seed),
    bytesPerPost: Number(values['bytes-per-post']),
    saves: Number(values.saves),
    mode: values.mode === 'subscribe' ? 'subscribe' : 'poll',
    log,
  })
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } else {
    process.stdout.write(`${formatTable(resultTable([result]))}\n\n`)
    for (const note of methodNotes(result.visibleMs.length)) process.stdout.write(`- ${note}\n`)
  }
  // The watcher and keep-alive sockets are closed; exit without waiting on
  // anything a dependency may have left scheduled.
  process.exit(0)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
