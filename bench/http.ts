/**
 * HTTP bench: query throughput and latency of content-graph's yoga server,
 * side by side with Apollo Server over the same schema and resolvers and
 * with a bare `node:http` server that sends the same bytes precomputed (the
 * ceiling), on the sample `content/` folder and on a generated corpus. Then
 * CPU profiles of yoga on query (b), with and without its response cache, to
 * show where its time goes.
 *
 * Every server runs in its own child process (bench/http-servers.ts); the
 * load generator (autocannon, programmatic) runs in this process, on
 * 127.0.0.1 only, for a bounded time per run.
 *
 * The bench keeps to the run's deadline (`--budget`): each content gets an
 * equal share of the time left, its runs and warm-ups are shortened to fit
 * it (`planRuns`), and what would still overrun is skipped and reported as
 * such.
 *
 * Run alone with `npm run bench -- --only http [--quick] [--budget 60]`.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { isDeepStrictEqual } from 'node:util'
import autocannon from 'autocannon'
import { cachedCorpus, corpusCacheRoot } from './corpus.ts'
import type { ChildMessage, ParentMessage, ServerKind, ServerName } from './http-servers.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  formatMs,
  formatPercent,
  formatRatio,
  ratio,
  remainingMs,
  repoRoot,
  type Table,
  type TargetResult,
} from './lib.ts'

/** Settings of the HTTP bench beyond the shared ones. */
export interface HttpOptions {
  /**
   * Posts in the generated corpus (the indexing bench's cached corpus of that
   * size and seed is reused).
   * @default 1000
   */
  readonly posts?: number
  /**
   * Also measure the sample `content/` folder (one post).
   * @default true, false with `--quick` (to stay within ~40 s)
   */
  readonly sample?: boolean
  /**
   * Seconds of each measured run. Shortened (down to 0.5 s), with the
   * warm-up, when the run's time budget (`--budget`) would not allow it.
   * @default 1.5, or 1 with `--quick`
   */
  readonly seconds?: number
  /**
   * Seconds of load, thrown away, that each server process (yoga's, Apollo's)
   * gets before any run is measured, spread over its servers and queries
   * (yoga's while Apollo's process reads the content); the ceiling gets at
   * most one second. A fresh server needs seconds of
   * load before V8 has compiled its hot paths: yoga's cost per cached
   * request fell from 1.7 ms to 0.3 ms over its first five seconds.
   * @default 6, or 3 with `--quick`
   */
  readonly warmupSeconds?: number
  /**
   * Concurrent connections (closed loop: each sends its next request when
   * the previous one is answered).
   * @default 10
   */
  readonly connections?: number
  /**
   * Profile yoga (response cache on and off) on query (b) over the corpus
   * after the measured runs.
   * @default true
   */
  readonly profile?: boolean
}

/** A query of the bench. */
interface BenchQuery {
  readonly id: string
  readonly label: string
  readonly document: string
}

/** The typical queries: one lookup with a join, a page of nested lists, and an aggregate. */
const queries: readonly BenchQuery[] = [
  {
    id: 'a',
    label: '(a) technology → talks',
    document: '{ technology(slug: "spark") { talks { nodes { number title post { title } } } } }',
  },
  {
    id: 'b',
    label: '(b) talks → bullets',
    document:
      '{ talks(first: 20) { nodes { title speaker bullets(first: 10) { nodes { text depth } } } } }',
  },
  {
    id: 'c',
    label: '(c) technologies → related',
    document:
      '{ technologies(first: 50) { nodes { name mentionCount related(first: 3) { technology { name } sharedTalks } } } }',
  },
]

/** The query the profiles run: nested lists, the shape most reads take. */
const profiledQuery = 'b'

/** A way of sending a query to a server. */
interface Target {
  readonly id:
    | 'ceiling'
    | 'yoga-post'
    | 'yoga-get'
    | 'yoga-no-fast-path'
    | 'yoga-uncached'
    | 'apollo-post'
  readonly label: string
  /** The process it runs in. */
  readonly kind: ServerKind
  /** The server in that process. */
  readonly server: ServerName
  readonly method: 'GET' | 'POST'
}

const targets: readonly Target[] = [
  {
    id: 'ceiling',
    label: '(1) ceiling: node:http, fixed bytes',
    kind: 'ceiling',
    server: 'ceiling',
    method: 'POST',
  },
  {
    id: 'yoga-post',
    label: '(2) yoga POST, as shipped',
    kind: 'yoga',
    server: 'yoga',
    method: 'POST',
  },
  {
    id: 'yoga-get',
    label: '(2) yoga GET, as shipped',
    kind: 'yoga',
    server: 'yoga',
    method: 'GET',
  },
  {
    id: 'yoga-no-fast-path',
    label: '(2″) yoga POST, fastPath: false',
    kind: 'yoga',
    server: 'yoga-no-fast-path',
    method: 'POST',
  },
  {
    id: 'yoga-uncached',
    label: '(2′) yoga POST, responseCache: false',
    kind: 'yoga',
    server: 'yoga-uncached',
    method: 'POST',
  },
  {
    id: 'apollo-post',
    label: '(3) Apollo Server POST',
    kind: 'apollo',
    server: 'apollo',
    method: 'POST',
  },
]

const targetById = (id: Target['id']) => targets.find((target) => target.id === id) as Target

/** Targets that no performance target compares: measured last. */
const sideTargets: ReadonlySet<Target['id']> = new Set(['yoga-no-fast-path', 'yoga-uncached'])

// What a GraphQL-over-HTTP client sends; all three servers answer it with
// `application/graphql-response+json`.
const accept = 'application/graphql-response+json, application/json;q=0.9'

/** One measured run. */
interface RunResult {
  readonly requestsPerSecond: number
  readonly p50: number | undefined
  readonly p99: number | undefined
  /** Responses outside 2xx plus connection errors and timeouts. */
  readonly failures: number
  /** Cores the server process used (CPU time over wall time). */
  readonly serverCores: number | undefined
  /** Cores this process (the load generator) used. */
  readonly loadCores: number
  /** Cores everything else on the machine used (Linux only). */
  readonly otherCores: number | undefined
  /** Server CPU time per request it answered (counted by the server), in microseconds. */
  readonly serverUsPerRequest: number | undefined
  /** Share of the requests the server answered that its fast path answered. */
  readonly fastPathShare: number | undefined
}

/** A row of the results: one content, query and target. */
interface Row {
  readonly content: string
  readonly query: BenchQuery
  readonly target: Target
  readonly bytes: number | undefined
  /** Set when the run was skipped or failed. */
  readonly error?: string
  readonly result?: RunResult
}

/** A server child process. */
interface ServerProcess {
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

const serverScript = path.join(repoRoot, 'bench', 'http-servers.ts')
// A cold read of a 1,000-post corpus takes ~30–60 s on two busy cores; ten
// minutes only catches a hung child.
const startTimeoutMs = 10 * 60_000
const askTimeoutMs = 60_000

// Time budget: what stopping the servers and writing the report may take
// after the last run; a content is not started with less than
// `minContentMs` left; the time a run takes beyond its measured seconds
// (waiting for the server to go idle, twice, and starting autocannon), and
// a profile's (writing and reading it).
const reserveMs = 5000
const minContentMs = 15_000
const runOverheadMs = 400
const profileOverheadMs = 2000
const minSeconds = 0.5
const minWarmupSeconds = 1

/** Why a row was not measured when time ran out. */
const budgetSkip = 'skipped (time budget)'

/** How long each run and warm-up of one content lasts, and whether to profile. */
interface RunTimes {
  readonly seconds: number
  readonly warmupSeconds: number
  readonly profile: boolean
}

/**
 * Shorten the runs and warm-ups of one content to fit the time it has:
 * both by the same factor, down to `minSeconds` and `minWarmupSeconds`,
 * dropping the profiles first when that is not enough. Runs that would
 * still overrun are skipped as they come.
 *
 * @param wanted
 *   The times asked for.
 * @param runs
 *   Measured runs (queries × targets).
 * @param profiles
 *   Profiled runs.
 * @param availableMs
 *   Time left for this content once its servers have started.
 * @returns
 *   `wanted` itself when it fits, else shorter times.
 */
function planRuns(wanted: RunTimes, runs: number, profiles: number, availableMs: number): RunTimes {
  const cost = (times: RunTimes) => {
    const profiled = times.profile ? profiles : 0
    // yoga's and Apollo's warm-ups, then the ceiling's (at most 1 s).
    const warmUp = (2 * times.warmupSeconds + Math.min(1, times.warmupSeconds)) * 1000
    return (
      warmUp +
      runs * (times.seconds * 1000 + runOverheadMs) +
      profiled * (times.seconds * 1000 + profileOverheadMs)
    )
  }
  if (cost(wanted) <= availableMs) return wanted
  for (const profile of wanted.profile ? [true, false] : [false]) {
    const profiled = profile ? profiles : 0
    const fixed = runs * runOverheadMs + profiled * profileOverheadMs + 1000
    const scalable = (2 * wanted.warmupSeconds + (runs + profiled) * wanted.seconds) * 1000
    const factor = (availableMs - fixed) / scalable
    if (factor * wanted.seconds >= minSeconds) {
      return {
        seconds: wanted.seconds * factor,
        warmupSeconds: Math.max(minWarmupSeconds, wanted.warmupSeconds * factor),
        profile,
      }
    }
  }
  return { seconds: minSeconds, warmupSeconds: minWarmupSeconds, profile: false }
}

/**
 * Build the HTTP bench.
 *
 * @param options
 *   Corpus size, run lengths, connections, profiling.
 * @returns
 *   The bench, to list in run.ts.
 */
export function httpBench(options: HttpOptions = {}): Bench {
  return { name: 'http', run: (context) => runHttp(context, options) }
}

async function runHttp(context: BenchContext, options: HttpOptions): Promise<BenchReport> {
  const posts = options.posts ?? 1000
  const seconds = options.seconds ?? (context.quick ? 1 : 1.5)
  const warmupSeconds = options.warmupSeconds ?? (context.quick ? 3 : 6)
  const connections = options.connections ?? 10
  const notes: string[] = []
  const rows: Row[] = []
  const live = new Set<ChildProcess>()
  // Last resort if this process ends abruptly between starting and stopping
  // servers; the children also exit when their IPC channel closes.
  const killAll = () => {
    for (const child of live) child.kill('SIGKILL')
  }
  process.on('exit', killAll)

  const generated = cachedCorpus(posts, context.seed, context.bytesPerPost)
  context.log(
    `http: ${posts}-post corpus in ${generated.corpus.dir} (${generated.reused ? 'reused' : `generated in ${formatMs(generated.ms)}`})`,
  )
  // Kept between runs (beside the cached corpora): a cold read of the corpus
  // would cost each run 30 s or more; the cache is keyed by content and reader.
  const cacheDir = path.join(corpusCacheRoot, 'http-extract-cache')
  const contents = [
    ...((options.sample ?? !context.quick)
      ? [{ label: 'content/ (sample)', dir: path.join(repoRoot, 'content') }]
      : []),
    { label: `${posts.toLocaleString('en-US')} posts`, dir: generated.corpus.dir },
  ]
  const profiles: Profiled[] = []
  const loads: string[] = []
  const getHeaders = new Set<string>()
  const byteNotes = new Map<string, string[]>()
  const shortened: string[] = []
  const wanted: RunTimes = { seconds, warmupSeconds, profile: options.profile ?? true }
  // Time left for one more step, leaving the reserve for stopping servers.
  const left = () => remainingMs(context) - reserveMs
  try {
    for (const [index, content] of contents.entries()) {
      const servers: ServerProcess[] = []
      // Each content gets an equal share of the time left; the last one
      // also gets whatever the ones before did not use.
      const contentEnds = performance.now() + left() / (contents.length - index)
      const leftHere = () => Math.min(left(), contentEnds - performance.now())
      const skipRest = (reason: string) => {
        for (const query of queries) {
          for (const target of targets) {
            if (
              !rows.some(
                (row) =>
                  row.content === content.label && row.query === query && row.target === target,
              )
            ) {
              rows.push({ content: content.label, query, target, bytes: undefined, error: reason })
            }
          }
        }
      }
      if (leftHere() < minContentMs) {
        context.log(`  ${content.label}: skipped (time budget used up)`)
        notes.push(
          `${content.label}: not measured, the run's time budget was used up (\`--budget 0\` lifts it).`,
        )
        skipRest(budgetSkip)
        continue
      }
      let times = wanted
      try {
        const startLimit = () => Math.max(1000, Math.min(startTimeoutMs, leftHere()))
        const spawnOne = (kind: ServerKind, args: readonly string[]) => {
          context.log(`  ${content.label}: starting ${kind}…`)
          const server = spawnServer(kind, args, live)
          servers.push(server)
          return server
        }
        const contentArgs = ['--content', content.dir, '--cache-dir', cacheDir]
        // All three processes start (and import their modules) at once, but
        // Apollo's reads the content only once yoga's has, so that it reads
        // a warm cache: two cold reads at once would fight over the two
        // cores. The ceiling waits for yoga's answers.
        const ceiling = spawnOne('ceiling', [])
        const apolloProcess = spawnOne('apollo', contentArgs)
        const yoga = await waitReady(spawnOne('yoga', contentArgs), undefined, startLimit())
        const last = index === contents.length - 1
        times = planRuns(wanted, queries.length * targets.length, last ? 2 : 1, leftHere())
        if (times !== wanted) {
          shortened.push(
            `${content.label}: ${times.seconds.toFixed(2)} s per run after ${times.warmupSeconds.toFixed(1)} s of warm-up${wanted.profile && !times.profile ? ', no profile' : ''}`,
          )
        }
        context.log(
          `  ${content.label}: yoga read ${yoga.posts} posts in ${formatMs(yoga.loadMs)}; warming it up while Apollo reads…`,
        )
        const apolloReady = waitReady(apolloProcess, undefined, startLimit())
        // Awaited below; a failure must not surface as an unhandled rejection
        // while yoga warms up.
        apolloReady.catch(() => {})
        // Warm-up is thrown away, so it may share the cores with Apollo's
        // reading; it runs before verification, and a server that answers
        // wrongly is simply not measured later.
        const warmUp = async (server: ServerProcess, total: number) => {
          const pairs = queries.flatMap((query) =>
            targets
              .filter((target) => target.kind === server.kind)
              .map((target) => ({ target, query })),
          )
          for (const { target, query } of pairs) {
            await hammer(httpRequest(target, query, server), total / pairs.length, connections)
          }
        }
        await warmUp(yoga, times.warmupSeconds)
        const apollo = await apolloReady
        loads.push(
          `${content.label}: ${yoga.posts} posts read in ${formatMs(yoga.loadMs)} (yoga's process) and ${formatMs(apollo.loadMs)} (Apollo's).`,
        )

        // Verify before measuring: every server must answer the same data.
        context.log(`  ${content.label}: verifying, then warming up Apollo and the ceiling…`)
        const bodies: Record<string, string> = {}
        const verified = new Map<string, Map<Target['id'], string | undefined>>()
        for (const query of queries) {
          const check = await verify(query, yoga, apollo)
          verified.set(query.id, check.errors)
          for (const header of check.getHeaders) getHeaders.add(header)
          if (check.body !== undefined) bodies[query.id] = check.body
          for (const [id, text] of check.byteNotes) {
            byteNotes.set(id, [...(byteNotes.get(id) ?? []), text])
          }
          notes.push(...check.notes.map((note) => `${content.label}, ${query.label}: ${note}`))
        }
        await waitReady(ceiling, { type: 'bodies', bodies }, startLimit())
        const byKind: Record<ServerKind, ServerProcess> = { yoga, apollo, ceiling }
        await warmUp(apollo, times.warmupSeconds)
        // node:http with fixed bytes has little code to compile.
        await warmUp(ceiling, Math.min(1, times.warmupSeconds))

        const skip = (query: BenchQuery, target: Target) =>
          target.id === 'ceiling'
            ? bodies[query.id] === undefined
              ? 'no yoga response to copy'
              : undefined
            : verified.get(query.id)?.get(target.id)

        // The targets' comparisons first, for every query, so that a run cut
        // short by the time budget loses the side measurements.
        const passes = [
          targets.filter((target) => !sideTargets.has(target.id)),
          targets.filter((target) => sideTargets.has(target.id)),
        ]
        for (const [query, target] of passes.flatMap((pass) =>
          queries.flatMap((query) => pass.map((target) => [query, target] as const)),
        )) {
          const body = bodies[query.id]
          const bytes = body === undefined ? undefined : Buffer.byteLength(body)
          const error =
            skip(query, target) ??
            (leftHere() < times.seconds * 1000 + runOverheadMs ? budgetSkip : undefined)
          if (error !== undefined) {
            rows.push({ content: content.label, query, target, bytes, error })
            continue
          }
          const server = byKind[target.kind]
          const request = httpRequest(target, query, server)
          context.log(`  ${content.label}, ${query.label}, ${target.label}…`)
          const result = await measureRun(server, request, times.seconds, connections)
          context.log(
            `    ${Math.round(result.requestsPerSecond)} req/s, p50 ${formatMs(result.p50)}, p99 ${formatMs(result.p99)}, ${formatUs(result.serverUsPerRequest)} server CPU/req${target.kind === 'yoga' ? `, fast path ${formatPercent(result.fastPathShare)}` : ''}`,
          )
          rows.push({ content: content.label, query, target, bytes, result })
        }

        if (times.profile) {
          // Execution on every content (on the sample, yoga's own overhead
          // shows; on the corpus, the resolvers'); the cached path once.
          const query = queries.find((item) => item.id === profiledQuery) as BenchQuery
          const profiled = last
            ? [targetById('yoga-post'), targetById('yoga-uncached')]
            : [targetById('yoga-uncached')]
          for (const target of profiled) {
            const what = `${target.label}, ${query.label}, ${content.label}`
            if (leftHere() < times.seconds * 1000 + profileOverheadMs) {
              notes.push(`Profile of ${what}: skipped (time budget).`)
              continue
            }
            context.log(`  profiling ${what}…`)
            try {
              profiles.push({
                label: `${target.label}, ${content.label}`,
                summary: await profileYoga(yoga, target, query, what, times.seconds, connections),
              })
            } catch (error) {
              notes.push(`Profile of ${what} failed: ${message(error)}`)
            }
          }
        }
      } catch (error) {
        // One content failing (a server that does not start) must not lose
        // the other's rows.
        notes.push(`${content.label}: the bench failed: ${message(error)}`)
        context.log(`  ${content.label}: failed: ${message(error)}`)
        skipRest(
          leftHere() < runOverheadMs ? budgetSkip : 'not measured: the bench failed (see notes)',
        )
      } finally {
        await Promise.all(servers.map((server) => stopServer(server, live)))
      }
    }
  } finally {
    killAll()
    process.off('exit', killAll)
  }

  if (shortened.length > 0 || rows.some((row) => row.error === budgetSkip)) {
    notes.push(
      `To end within the run's time budget (\`--budget\`; \`--budget 0\` lifts it), runs were shortened (${shortened.join('; ') || 'none'}) and those that would still overrun it were skipped (${rows.filter((row) => row.error === budgetSkip).length} of ${rows.length}).`,
    )
  }

  notes.unshift(...methodNotes(seconds, warmupSeconds, connections, cacheDir), ...loads)
  for (const [id, texts] of byteNotes) {
    const label = targetById(id as Target['id']).label
    notes.push(
      texts.every((text) => text.endsWith('trailing whitespace'))
        ? `${label}: the same data as yoga POST for every query; the bytes differ only in trailing whitespace (a final newline).`
        : `${label}: the same data as yoga POST, but ${texts.join('; ')}.`,
    )
  }
  notes.push(
    getHeaders.size > 0
      ? `yoga's GET responses carry ${[...getHeaders].join(', ')}; autocannon sends no If-None-Match, so every GET is a full 200 (from the fast path), never a 304.`
      : "yoga's GET responses carry no ETag or Cache-Control: no HTTP caching was in place.",
  )
  notes.push(...oddities(rows))
  const tables = [resultTable(rows), ratioTable(rows)]
  for (const { summary } of profiles) tables.push(summary.functions)
  if (profiles.length > 0) tables.push(areaTable(profiles))
  for (const { summary } of profiles) notes.push(...summary.notes)
  return { tables, targets: targetResults(rows), notes }
}

// ---------------------------------------------------------------------------
// Server processes.

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
function spawnServer(
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
async function waitReady(
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
async function stopServer(server: ServerProcess, live: Set<ChildProcess>): Promise<void> {
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
function ask<T extends ChildMessage['type']>(
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

// ---------------------------------------------------------------------------
// Requests.

/** What autocannon sends for one target and query. */
interface HttpRequest {
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly headers: Record<string, string>
  readonly body?: string
}

const postHeaders = { 'content-type': 'application/json', accept }

function httpRequest(target: Target, query: BenchQuery, server: ServerProcess): HttpRequest {
  const base = server.urls[target.server]
  if (!base) throw new Error(`${server.kind} has no ${target.server} server`)
  const body = JSON.stringify({ query: query.document })
  if (target.kind === 'ceiling') {
    // One path per query: the ceiling looks its answer up by path alone.
    return { url: new URL(query.id, base).href, method: 'POST', headers: postHeaders, body }
  }
  if (target.method === 'GET') {
    const url = new URL(base)
    url.searchParams.set('query', query.document)
    return { url: url.href, method: 'GET', headers: { accept } }
  }
  return { url: base, method: 'POST', headers: postHeaders, body }
}

/** What `verify` found for one query. */
interface Verification {
  /** yoga's POST response body, which the ceiling will send. */
  readonly body: string | undefined
  /** Why a target cannot be measured, by target; absent when it can. */
  readonly errors: Map<Target['id'], string | undefined>
  /** Caching headers seen on yoga's GET response. */
  readonly getHeaders: readonly string[]
  /** How bodies with the same data differ in bytes, by target. */
  readonly byteNotes: Map<Target['id'], string>
  readonly notes: readonly string[]
}

/**
 * Send a query once to every server but the ceiling and compare: each must
 * answer 200 with `data`, no `errors`, and the same `data` as yoga's POST.
 * Byte-for-byte differences are noted but allowed.
 */
async function verify(
  query: BenchQuery,
  yoga: ServerProcess,
  apollo: ServerProcess,
): Promise<Verification> {
  const errors = new Map<Target['id'], string | undefined>()
  const byteNotes = new Map<Target['id'], string>()
  const notes: string[] = []
  const answers = new Map<Target['id'], { text: string; data: unknown; headers: Headers }>()
  for (const target of targets) {
    if (target.kind === 'ceiling') continue
    try {
      const request = httpRequest(target, query, target.kind === 'yoga' ? yoga : apollo)
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      })
      const text = await response.text()
      if (response.status !== 200)
        throw new Error(`status ${response.status}: ${text.slice(0, 200)}`)
      const json = JSON.parse(text) as { data?: unknown; errors?: unknown[] }
      if (json.errors) throw new Error(`errors: ${JSON.stringify(json.errors).slice(0, 300)}`)
      if (json.data === undefined || json.data === null) throw new Error('no data')
      answers.set(target.id, { text, data: json.data, headers: response.headers })
    } catch (error) {
      errors.set(target.id, error instanceof Error ? error.message : String(error))
    }
  }
  const reference = answers.get('yoga-post')
  for (const [id, answer] of answers) {
    if (!reference || id === 'yoga-post') continue
    if (!isDeepStrictEqual(answer.data, reference.data)) {
      errors.set(id, 'data differs from yoga POST')
    } else if (answer.text !== reference.text) {
      byteNotes.set(
        id,
        answer.text.trimEnd() === reference.text.trimEnd()
          ? `${query.id}: bytes differ only in trailing whitespace`
          : `${query.id}: bytes differ (${Buffer.byteLength(answer.text)} vs ${Buffer.byteLength(reference.text)} B)`,
      )
    }
  }
  for (const [id, error] of errors) {
    if (error !== undefined) notes.push(`${targetById(id).label} not measured: ${error}`)
  }
  const getHeaders: string[] = []
  const get = answers.get('yoga-get')
  for (const name of ['etag', 'cache-control', 'last-modified']) {
    // The ETag's value differs per query; its presence is what matters.
    if (get?.headers.has(name)) {
      getHeaders.push(name === 'etag' ? 'an ETag' : `${name}: ${get.headers.get(name)}`)
    }
  }
  return { body: reference?.text, errors, getHeaders, byteNotes, notes }
}

/**
 * Load a server for a time with autocannon and record every 2xx latency
 * (autocannon's own histogram rounds to whole milliseconds, too coarse for
 * sub-millisecond answers).
 */
function hammer(
  request: HttpRequest,
  seconds: number,
  connections: number,
): Promise<{ latencies: Float64Array; count: number; failures: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16)
    let count = 0
    const instance = autocannon(
      {
        url: request.url,
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        connections,
        pipelining: 1,
        duration: seconds,
        // autocannon notices the end of the run only at a sample tick (1 s
        // by default), which would stretch a 0.3 s run to 1 s.
        sampleInt: 50,
        timeout: 10,
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)))
          return
        }
        resolve({
          latencies: latencies.subarray(0, count),
          count,
          failures: result.non2xx + result.errors,
          seconds: result.duration,
        })
      },
    )
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode < 200 || statusCode >= 300) return
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2)
        grown.set(latencies)
        latencies = grown
      }
      latencies[count++] = ms
    })
  })
}

/** One measured run, with the CPU each side (and everything else) used during it. */
async function measureRun(
  server: ServerProcess,
  request: HttpRequest,
  seconds: number,
  connections: number,
): Promise<RunResult> {
  // The server may still be answering requests of the run before, which
  // the load generator dropped when that run ended.
  const serverBefore = await settle(server)
  const machineBefore = machineCpu()
  const loadBefore = process.cpuUsage()
  const started = performance.now()
  const run = await hammer(request, seconds, connections)
  const wallUs = (performance.now() - started) * 1000
  const load = process.cpuUsage(loadBefore)
  const machineAfter = machineCpu()
  const serverEnd = await ask(server, { type: 'cpu' }, 'cpu')
  // Once the server has answered the requests left in flight, their CPU
  // time and their number are both counted: the cost per request is exact.
  const serverAfter = await settle(server)
  const serverCores = (cpuUs(serverEnd) - cpuUs(serverBefore)) / wallUs
  const loadCores = (load.user + load.system) / wallUs
  let otherCores: number | undefined
  if (machineBefore && machineAfter && machineAfter.total > machineBefore.total) {
    const busy =
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
      availableParallelism()
    otherCores = Math.max(0, busy - serverCores - loadCores)
  }
  const sorted = run.latencies.sort()
  return {
    requestsPerSecond: run.count / run.seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    failures: run.failures,
    serverCores,
    loadCores,
    otherCores,
    serverUsPerRequest:
      serverAfter.requests > serverBefore.requests
        ? (cpuUs(serverAfter) - cpuUs(serverBefore)) /
          (serverAfter.requests - serverBefore.requests)
        : undefined,
    fastPathShare:
      serverAfter.requests > serverBefore.requests
        ? (serverAfter.fastPath - serverBefore.fastPath) /
          (serverAfter.requests - serverBefore.requests)
        : undefined,
  }
}

type CpuReply = Extract<ChildMessage, { type: 'cpu' }>

const cpuUs = (reply: CpuReply) => reply.user + reply.system

/**
 * Wait until a server is idle: its CPU time grows by less than a fifth of
 * the wall time over 25 ms (at most 3 s).
 *
 * @returns
 *   Its CPU time and request count once idle.
 */
async function settle(server: ServerProcess): Promise<CpuReply> {
  const interval = 25
  const deadline = performance.now() + 3000
  let last = await ask(server, { type: 'cpu' }, 'cpu')
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, interval))
    const now = await ask(server, { type: 'cpu' }, 'cpu')
    const busy = cpuUs(now) - cpuUs(last) > interval * 1000 * 0.2
    last = now
    if (!busy) break
  }
  return last
}

/**
 * Busy and total CPU time of the whole machine, from `/proc/stat`: shows
 * when other work competed with the run (this machine is shared).
 */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const ticks = line.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest is inside user).
    const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0)
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
    return { busy: total - idle, total }
  } catch {
    return undefined
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, share: number): number | undefined {
  if (sorted.length === 0) return undefined
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]
}

// ---------------------------------------------------------------------------
// Profile.

/** A V8 CPU profile, as `Profiler.stop` returns it. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number
    readonly callFrame: {
      readonly functionName: string
      readonly url: string
      readonly lineNumber: number
      readonly columnNumber: number
    }
  }[]
  readonly startTime: number
  readonly endTime: number
  readonly samples?: readonly number[]
  readonly timeDeltas?: readonly number[]
}

/** One profile, boiled down. */
interface ProfileSummary {
  readonly functions: Table
  /** Self time by area, in microseconds, and the busy total. */
  readonly areas: ReadonlyMap<string, number>
  readonly busyUs: number
  readonly notes: readonly string[]
}

// 250 µs gives a few thousand samples per second of load, enough to rank
// functions, at a cost (a few percent) paid only in the profiled runs.
const sampleIntervalUs = 250

/** A profile and what it profiled, for the area table. */
interface Profiled {
  readonly label: string
  readonly summary: ProfileSummary
}

async function profileYoga(
  yoga: ServerProcess,
  target: Target,
  query: BenchQuery,
  what: string,
  seconds: number,
  connections: number,
): Promise<ProfileSummary> {
  const request = httpRequest(target, query, yoga)
  await settle(yoga)
  mkdirSync(corpusCacheRoot, { recursive: true })
  const slug = what
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  const file = path.join(corpusCacheRoot, `http-${slug}.cpuprofile`)
  await ask(yoga, { type: 'profile-start', intervalUs: sampleIntervalUs }, 'profile-started')
  const run = await hammer(request, seconds, connections)
  await ask(yoga, { type: 'profile-stop', file }, 'profile-written')
  return summarizeProfile(
    JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
    what,
    `${Math.round(run.count / run.seconds)} req/s while profiled; saved to ${file}`,
  )
}

/**
 * Self time per function and per area (graphql-js, yoga and the fetch
 * layer, our code, Node's HTTP, GC) from a CPU profile; idle time is left
 * out of the shares.
 */
function summarizeProfile(profile: CpuProfile, what: string, detail: string): ProfileSummary {
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map<number, number>()
  // timeDeltas[i] is the gap before sample i, so sample i lasts until the
  // next one: timeDeltas[i + 1] (the last one until endTime).
  let at = profile.startTime
  for (let index = 0; index < samples.length; index++) {
    at += deltas[index] ?? 0
    const duration =
      index + 1 < samples.length ? (deltas[index + 1] ?? 0) : Math.max(0, profile.endTime - at)
    const id = samples[index] as number
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration)
  }
  const byFunction = new Map<string, { name: string; where: string; area: string; us: number }>()
  const areas = new Map<string, number>()
  let busyUs = 0
  let idleUs = 0
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame
    if (!frame) continue
    if (frame.functionName === '(idle)') {
      idleUs += us
      continue
    }
    busyUs += us
    const area = areaOf(frame.functionName, frame.url)
    areas.set(area, (areas.get(area) ?? 0) + us)
    const where = frame.url
      ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`
      : ''
    const name = frame.functionName || '(anonymous)'
    const key = `${name}\u0000${where}`
    const entry = byFunction.get(key) ?? { name, where, area, us: 0 }
    entry.us += us
    byFunction.set(key, entry)
  }
  const top = [...byFunction.values()].sort((a, b) => b.us - a.us).slice(0, 10)
  const functions: Table = {
    title: `yoga profile, ${what}: top 10 functions by self time (share of busy time)`,
    headers: ['#', 'Function', 'Where', 'Area', 'Self', 'Share'],
    rows: top.map((entry, index) => [
      String(index + 1),
      entry.name,
      entry.where,
      entry.area,
      formatMs(entry.us / 1000),
      formatPercent(entry.us / busyUs),
    ]),
  }
  const total = busyUs + idleUs
  return {
    functions,
    areas,
    busyUs,
    notes: [
      `Profile of ${what}: ${detail}; sampled every ${sampleIntervalUs} µs by the in-process inspector; the server was busy ${formatPercent(total > 0 ? busyUs / total : undefined)} of the time (idle is waiting for the load generator, which shares the cores).`,
    ],
  }
}

function areaTable(profiles: readonly Profiled[]): Table {
  // Ordered by the largest share an area takes in any profile, so that one
  // busy profile does not decide the order alone.
  const names = new Map<string, number>()
  for (const { summary } of profiles) {
    for (const [area, us] of summary.areas) {
      names.set(area, Math.max(names.get(area) ?? 0, us / summary.busyUs))
    }
  }
  return {
    title: 'yoga profile: self time by area (share of busy time)',
    headers: ['Area', ...profiles.map(({ label }) => label)],
    rows: [...names.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area]) => [
        area,
        ...profiles.map(({ summary }) =>
          formatPercent((summary.areas.get(area) ?? 0) / summary.busyUs),
        ),
      ]),
  }
}

// Native functions seen in profiles that do socket I/O for node:http.
const socketNatives = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String'])

/** Which part of the stack a profiled function belongs to. */
function areaOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(program)') return 'V8 and native code outside JS (program)'
  if (url === '') {
    if (socketNatives.has(functionName)) return 'Node core (http, net, streams, …)'
    // tsx compiles with esbuild's keepNames: every named inner function gets
    // `__name(fn, "name")` each time it is created, which lands in this
    // builtin (V8 has labelled it both ways, inlined into the caller).
    if (functionName === 'set name' || functionName === 'set natives') {
      return "esbuild's __name (tsx keepNames)"
    }
    // JSON.parse and JSON.stringify show up as bare `parse` and `stringify`.
    if (functionName === 'parse' || functionName === 'stringify') return 'JSON parse and stringify'
    return 'V8 builtins (microtasks, RegExp, Map, …)'
  }
  // yoga executes with @graphql-tools/executor, Apollo with graphql-js.
  if (
    url.includes('/node_modules/graphql/execution/') ||
    url.includes('/node_modules/@graphql-tools/executor/')
  ) {
    return 'GraphQL execution (graphql-js, @graphql-tools/executor)'
  }
  if (url.includes('/node_modules/graphql/')) return 'graphql-js other (types, utilities)'
  if (url.includes('/node_modules/@whatwg-node/')) return 'whatwg-node (fetch API over node:http)'
  if (/\/node_modules\/(graphql-yoga|@graphql-yoga|@envelop)\//.test(url)) {
    return 'graphql-yoga and envelop'
  }
  if (url.includes('/node_modules/')) {
    const match = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
    return match?.[1] ?? 'other packages'
  }
  if (url.includes(`${repoRoot}/src/api/`)) return 'content-graph src/api (resolvers)'
  if (url.includes(`${repoRoot}/src/graph/`)) return 'content-graph src/graph (queries)'
  if (url.includes(`${repoRoot}/src/`)) return 'content-graph src/ other (server plugins)'
  if (url.startsWith('node:')) return 'Node core (http, net, streams, …)'
  return 'other'
}

/** A profile URL, shortened to the package path or repository-relative path. */
function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/')
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length)
  const root = url.indexOf(`${repoRoot}/`)
  if (root !== -1) return url.slice(root + repoRoot.length + 1)
  return url
}

// ---------------------------------------------------------------------------
// Report.

const find = (rows: readonly Row[], content: string, query: string, target: Target['id']) =>
  rows.find((row) => row.content === content && row.query.id === query && row.target.id === target)
    ?.result

function resultTable(measured: readonly Row[]): Table {
  // In the order of contents, queries and targets, whatever order they ran in.
  const contents = [...new Set(measured.map((row) => row.content))]
  const rows = [...measured].sort(
    (a, b) =>
      contents.indexOf(a.content) - contents.indexOf(b.content) ||
      queries.indexOf(a.query) - queries.indexOf(b.query) ||
      targets.indexOf(a.target) - targets.indexOf(b.target),
  )
  return {
    title: 'Throughput and latency per server and query (closed loop)',
    headers: [
      'Content',
      'Query',
      'Server',
      'Response',
      'req/s',
      'p50',
      'p99',
      'Server CPU',
      'Server CPU/req',
      'Fast path',
      'Load gen CPU',
      'Other CPU',
      'Failures',
    ],
    rows: rows.map((row) => {
      const result = row.result
      const bytes = row.bytes === undefined ? 'n/a' : `${row.bytes.toLocaleString('en-US')} B`
      if (!result) {
        return [row.content, row.query.label, row.target.label, bytes, row.error ?? 'n/a']
      }
      return [
        row.content,
        row.query.label,
        row.target.label,
        bytes,
        Math.round(result.requestsPerSecond).toLocaleString('en-US'),
        formatMs(result.p50),
        formatMs(result.p99),
        formatCores(result.serverCores),
        formatUs(result.serverUsPerRequest),
        row.target.kind === 'yoga' ? formatPercent(result.fastPathShare) : 'n/a',
        formatCores(result.loadCores),
        formatCores(result.otherCores),
        String(result.failures),
      ]
    }),
  }
}

function formatUs(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : `${Math.round(value).toLocaleString('en-US')} µs`
}

function formatCores(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(2)} cores`
}

/** Ratios per content and query. */
interface Ratios {
  readonly content: string
  readonly query: BenchQuery
  readonly postVsApollo: number | undefined
  /** yoga POST as shipped over the same with the fast path off: what the fast path gains. */
  readonly fastPathGain: number | undefined
  /** Server CPU per request with the fast path off over as shipped. */
  readonly fastPathCpuGain: number | undefined
  readonly uncachedVsApollo: number | undefined
  /** Apollo's server CPU per request over uncached yoga's: the cost ratio. */
  readonly apolloCpuVsUncached: number | undefined
  readonly postVsCeiling: number | undefined
  readonly getVsCeiling: number | undefined
  readonly uncachedVsCeiling: number | undefined
  readonly apolloVsCeiling: number | undefined
}

function ratios(rows: readonly Row[]): Ratios[] {
  const out: Ratios[] = []
  const seen = new Set<string>()
  for (const row of rows) {
    const key = `${row.content}\u0000${row.query.id}`
    if (seen.has(key)) continue
    seen.add(key)
    const get = (target: Target['id']) => find(rows, row.content, row.query.id, target)
    const rps = (target: Target['id']) => get(target)?.requestsPerSecond
    out.push({
      content: row.content,
      query: row.query,
      postVsApollo: ratio(rps('yoga-post'), rps('apollo-post')),
      fastPathGain: ratio(rps('yoga-post'), rps('yoga-no-fast-path')),
      fastPathCpuGain: ratio(
        get('yoga-no-fast-path')?.serverUsPerRequest,
        get('yoga-post')?.serverUsPerRequest,
      ),
      uncachedVsApollo: ratio(rps('yoga-uncached'), rps('apollo-post')),
      apolloCpuVsUncached: ratio(
        get('apollo-post')?.serverUsPerRequest,
        get('yoga-uncached')?.serverUsPerRequest,
      ),
      postVsCeiling: ratio(rps('yoga-post'), rps('ceiling')),
      getVsCeiling: ratio(rps('yoga-get'), rps('ceiling')),
      uncachedVsCeiling: ratio(rps('yoga-uncached'), rps('ceiling')),
      apolloVsCeiling: ratio(rps('apollo-post'), rps('ceiling')),
    })
  }
  return out
}

function ratioTable(rows: readonly Row[]): Table {
  return {
    title: 'Ratios (req/s unless noted)',
    headers: [
      'Content',
      'Query',
      'yoga POST ÷ Apollo',
      'fast path: yoga POST ÷ fastPath: false',
      'CPU/req: fastPath: false ÷ yoga POST',
      'yoga uncached ÷ Apollo',
      'CPU/req: Apollo ÷ yoga uncached',
      'yoga POST ÷ ceiling',
      'yoga GET ÷ ceiling',
      'yoga uncached ÷ ceiling',
      'Apollo ÷ ceiling',
    ],
    rows: ratios(rows).map((item) => [
      item.content,
      item.query.label,
      formatRatio(item.postVsApollo),
      formatRatio(item.fastPathGain),
      formatRatio(item.fastPathCpuGain),
      formatRatio(item.uncachedVsApollo),
      formatRatio(item.apolloCpuVsUncached),
      formatPercent(item.postVsCeiling),
      formatPercent(item.getVsCeiling),
      formatPercent(item.uncachedVsCeiling),
      formatPercent(item.apolloVsCeiling),
    ]),
  }
}

function targetResults(rows: readonly Row[]): TargetResult[] {
  const all = ratios(rows)
  const lowest = (pick: (item: Ratios) => number | undefined) => {
    let found: { value: number; where: string } | undefined
    for (const item of all) {
      const value = pick(item)
      if (value === undefined) continue
      if (!found || value < found.value) {
        found = { value, where: `${item.content}, ${item.query.label}` }
      }
    }
    return found
  }
  const result = (
    name: string,
    target: string,
    found: { value: number; where: string } | undefined,
    format: (value: number) => string,
    goal: number,
  ): TargetResult => ({
    name,
    target,
    measured: found ? `${format(found.value)} (lowest: ${found.where})` : 'n/a',
    status: found ? (found.value >= goal ? 'met' : 'missed') : 'n/a',
  })
  return [
    result(
      'HTTP: yoga POST as shipped (response cache, fast path) req/s ÷ Apollo Server',
      '≥ 3×',
      lowest((item) => item.postVsApollo),
      formatRatio,
      3,
    ),
    result(
      'HTTP: yoga POST with responseCache: false req/s ÷ Apollo Server (execution alone)',
      '≥ 3×',
      lowest((item) => item.uncachedVsApollo),
      formatRatio,
      3,
    ),
    result(
      'HTTP: yoga GET as shipped (response cache, fast path) req/s ÷ static node:http ceiling',
      '≥ 50%',
      lowest((item) => item.getVsCeiling),
      formatPercent,
      0.5,
    ),
  ]
}

function methodNotes(
  seconds: number,
  warmupSeconds: number,
  connections: number,
  cacheDir: string,
): string[] {
  return [
    `Each run: ${seconds} s measured, ${connections} keep-alive connections, no pipelining, 127.0.0.1 only, after a warm-up pass (thrown away) of ${warmupSeconds} s of load per server process (at most 1 s for the ceiling) spread over its servers and queries (yoga's while Apollo's process reads the content), and after the server has gone idle. autocannon ${autocannonVersion()} runs in the bench process; each server process (yoga's, Apollo's, the ceiling) is a child of it, started with --expose-gc and collected after reading the content (Node ${process.version}, tsx, NODE_ENV ${process.env.NODE_ENV ?? 'unset'}).`,
    "Server CPU/req divides the server's CPU time by the requests it started, counted by the server (diagnostics_channel) from idle to idle, so the requests the load generator drops at the end of a run are counted with their CPU time.",
    `The machine has ${availableParallelism()} cores: the load generator and the server under test share them, so req/s is a closed-loop figure for this machine, not a server maximum. "Server CPU/req" (server CPU time ÷ requests answered) is the fairer cost comparison; "Other CPU" is what the rest of the machine used meanwhile (high values mean the figures are noisy).`,
    "p50 and p99 are over every 2xx response's own latency (µs resolution); at saturation latency ≈ connections ÷ throughput, so it mirrors req/s.",
    'yoga as shipped keeps serialized responses per snapshot and request (response cache, GET and POST alike), and once yoga has answered a request from that cache, its fast path answers the same request again before yoga (listen.ts); so its rows repeat a cached answer, and "Fast path" is the share of the requests the server answered that way (from its counters). "yoga POST, fastPath: false" is the same server with the fast path off, where every repeat goes through yoga to its response cache; "yoga POST, responseCache: false" has the cache off too and executes every request, as Apollo Server (defaults, no cache) does. They listen on other ports of the same process, idle while another is measured.',
    'The ceiling answers every request with the bytes yoga sent for that query, after reading the request body: what node:http alone can do here, so yoga ÷ ceiling is the share of it that yoga reaches.',
    `Before measuring, each query was sent once to every server; a row is measured only when its \`data\` equals yoga POST's. The corpus is read with the content-hash cache in ${cacheDir}, kept between runs (the first run after src/ changes reads it cold).`,
  ]
}

function autocannonVersion(): string {
  try {
    const file = path.join(repoRoot, 'node_modules', 'autocannon', 'package.json')
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  } catch {
    return '(unknown version)'
  }
}

/** Things worth a second look. */
function oddities(rows: readonly Row[]): string[] {
  const notes: string[] = []
  const busy: number[] = []
  for (const row of rows) {
    const result = row.result
    if (!result) continue
    const at = `${row.content}, ${row.query.label}, ${row.target.label}`
    if (result.failures > 0) notes.push(`${at}: ${result.failures} failed requests.`)
    if ((result.otherCores ?? 0) > 0.25) busy.push(result.otherCores ?? 0)
  }
  if (busy.length > 0) {
    notes.push(
      `In ${busy.length} of ${rows.length} runs other processes used more than a quarter of a core (up to ${formatCores(Math.max(...busy))}): those figures are low by an unknown amount; rerun on a quiet machine to compare.`,
    )
  }
  return notes
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
