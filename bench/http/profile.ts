/**
 * CPU profiles of yoga under load, boiled down to the functions and the
 * areas of the stack (graphql-js, yoga, our code, Node, GC) that take its
 * time.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { corpusCacheRoot } from '../corpus.ts'
import { formatMs, formatPercent, repoRoot, type Table } from '../lib.ts'
import { hammer, httpRequest, settle } from './load.ts'
import type { BenchQuery, Target } from './plan.ts'
import { ask, type ServerProcess } from './servers.ts'

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
export interface Profiled {
  readonly label: string
  readonly summary: ProfileSummary
}

/**
 * Profile yoga's process while one target is under load, and boil the
 * profile down (the file stays in the corpus cache for a closer look).
 */
export async function profileYoga(
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

/** Self time by area, one column per profile, to compare where the time goes. */
export function areaTable(profiles: readonly Profiled[]): Table {
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
