/**
 * Load for the HTTP bench: the request each target sends, a check that every
 * server answers the same data, and measured runs of autocannon with the CPU
 * each side used.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { isDeepStrictEqual } from 'node:util'
import autocannon from 'autocannon'
import {
  accept,
  type BenchQuery,
  type RunResult,
  type Target,
  targetById,
  targets,
} from './plan.ts'
import type { ChildMessage } from './server-child.ts'
import { ask, type ServerProcess } from './servers.ts'

/** What autocannon sends for one target and query. */
interface HttpRequest {
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly headers: Record<string, string>
  readonly body?: string
}

const postHeaders = { 'content-type': 'application/json', accept }

/**
 * The request a target sends for a query: the ceiling looks its answer up by
 * path, GET puts the query in the URL, POST sends it as JSON.
 */
export function httpRequest(target: Target, query: BenchQuery, server: ServerProcess): HttpRequest {
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
export async function verify(
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
export function hammer(
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
export async function measureRun(
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
export async function settle(server: ServerProcess): Promise<CpuReply> {
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
