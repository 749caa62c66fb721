/**
 * HTTP bench: query throughput and latency of content-graph's yoga server,
 * side by side with Apollo Server over the same schema and resolvers and
 * with a bare `node:http` server that sends the same bytes precomputed (the
 * ceiling), on the sample `content/` folder and on a generated corpus. Then
 * CPU profiles of yoga on query (b), with and without its response cache, to
 * show where its time goes.
 *
 * Every server runs in its own child process (`./server-child.ts`); the
 * load generator (autocannon, programmatic) runs in this process, on
 * 127.0.0.1 only, for a bounded time per run.
 *
 * The bench keeps to the run's deadline (`--budget`): each content gets an
 * equal share of the time left, its runs and warm-ups are shortened to fit
 * it (`planRuns`), and what would still overrun is skipped and reported as
 * such.
 *
 * Run alone with `npm run bench -- --only http [--quick] [--budget 60]`.
 *
 * One file per job: `plan.ts` (queries, targets, time budget), `servers.ts`
 * (child processes), `load.ts` (requests, verification, measured runs),
 * `profile.ts` (CPU profiles) and `report.ts` (tables and notes).
 */
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { cachedCorpus, corpusCacheRoot } from '../corpus.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  formatMs,
  formatPercent,
  remainingMs,
  repoRoot,
} from '../lib.ts'
import { hammer, httpRequest, measureRun, verify } from './load.ts'
import {
  type BenchQuery,
  budgetSkip,
  type HttpOptions,
  minContentMs,
  planRuns,
  profiledQuery,
  profileOverheadMs,
  queries,
  type Row,
  type RunTimes,
  reserveMs,
  runOverheadMs,
  sideTargets,
  type Target,
  targetById,
  targets,
} from './plan.ts'
import { areaTable, type Profiled, profileYoga } from './profile.ts'
import {
  formatUs,
  methodNotes,
  oddities,
  ratioTable,
  resultTable,
  targetResults,
} from './report.ts'
import type { ServerKind } from './server-child.ts'
import {
  type ServerProcess,
  spawnServer,
  startTimeoutMs,
  stopServer,
  waitReady,
} from './servers.ts'

export type { HttpOptions } from './plan.ts'

/**
 * Build the HTTP bench.
 *
 * @param options
 *   Corpus size, run lengths, connections, profiling.
 * @returns
 *   The bench, to list in `../run.ts`.
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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
