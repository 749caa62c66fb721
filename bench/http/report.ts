/**
 * The HTTP bench's report: the results table, the ratios between servers,
 * the performance targets, and notes on method and on runs worth a second
 * look.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import {
  formatMs,
  formatPercent,
  formatRatio,
  ratio,
  repoRoot,
  type Table,
  type TargetResult,
} from '../lib.ts'
import { type BenchQuery, queries, type Row, type Target, targets } from './plan.ts'

const find = (rows: readonly Row[], content: string, query: string, target: Target['id']) =>
  rows.find((row) => row.content === content && row.query.id === query && row.target.id === target)
    ?.result

/** The table of every run: throughput, latency and CPU per content, query and target. */
export function resultTable(measured: readonly Row[]): Table {
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

/** Microseconds, rounded, or `n/a`. */
export function formatUs(value: number | undefined): string {
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
  /** The same for uncached yoga with graphql-js (the path before compiled execution). */
  readonly apolloCpuVsGraphqlJs: number | undefined
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
      apolloCpuVsGraphqlJs: ratio(
        get('apollo-post')?.serverUsPerRequest,
        get('yoga-uncached-graphql-js')?.serverUsPerRequest,
      ),
      postVsCeiling: ratio(rps('yoga-post'), rps('ceiling')),
      getVsCeiling: ratio(rps('yoga-get'), rps('ceiling')),
      uncachedVsCeiling: ratio(rps('yoga-uncached'), rps('ceiling')),
      apolloVsCeiling: ratio(rps('apollo-post'), rps('ceiling')),
    })
  }
  return out
}

/** The ratios between servers that the performance targets are judged on, per content and query. */
export function ratioTable(rows: readonly Row[]): Table {
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
      'CPU/req: Apollo ÷ yoga uncached, graphql-js',
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
      formatRatio(item.apolloCpuVsGraphqlJs),
      formatPercent(item.postVsCeiling),
      formatPercent(item.getVsCeiling),
      formatPercent(item.uncachedVsCeiling),
      formatPercent(item.apolloVsCeiling),
    ]),
  }
}

/** The performance targets, each judged on its lowest ratio over contents and queries. */
export function targetResults(rows: readonly Row[]): TargetResult[] {
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
      'HTTP: Apollo Server CPU/req ÷ yoga POST with responseCache: false (requests per server CPU-second)',
      '≥ 3×',
      lowest((item) => item.apolloCpuVsUncached),
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

/** How the runs were made, for the notes above the tables. */
export function methodNotes(
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
    'yoga as shipped keeps serialized responses per snapshot and request (response cache, GET and POST alike), and once yoga has answered a request from that cache, its fast path answers the same request again before yoga (listen.ts); so its rows repeat a cached answer, and "Fast path" is the share of the requests the server answered that way (from its counters). "yoga POST, fastPath: false" is the same server with the fast path off, where every repeat goes through yoga to its response cache; "yoga POST, responseCache: false" has the cache off too and executes every request, as Apollo Server (defaults, no cache) does: with compiled execution (graphql-jit), and, once yoga has accepted a document, before yoga (the compiled path, src/server/compiled-path.ts, counted in "Fast path"); "compiledExecution: false" executes with graphql-js through yoga, as before. They listen on other ports of the same process, idle while another is measured.',
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
export function oddities(rows: readonly Row[]): string[] {
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
