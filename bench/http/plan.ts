/**
 * What the HTTP bench measures and for how long: its options, the queries,
 * the targets (a server and a way of sending), the shapes of its results,
 * and the time budget that shortens runs to fit (`planRuns`).
 */
import type { ServerKind, ServerName } from './server-child.ts'

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
export interface BenchQuery {
  readonly id: string
  readonly label: string
  readonly document: string
}

/** The typical queries: one lookup with a join, a page of nested lists, and an aggregate. */
export const queries: readonly BenchQuery[] = [
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
export const profiledQuery = 'b'

/** A way of sending a query to a server. */
export interface Target {
  readonly id:
    | 'ceiling'
    | 'yoga-post'
    | 'yoga-get'
    | 'yoga-no-fast-path'
    | 'yoga-uncached'
    | 'yoga-uncached-graphql-js'
    | 'apollo-post'
  readonly label: string
  /** The process it runs in. */
  readonly kind: ServerKind
  /** The server in that process. */
  readonly server: ServerName
  readonly method: 'GET' | 'POST'
}

/** Every target, in the order of the report's rows. */
export const targets: readonly Target[] = [
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
    id: 'yoga-uncached-graphql-js',
    label: '(2‴) yoga POST, responseCache: false, compiledExecution: false',
    kind: 'yoga',
    server: 'yoga-uncached-graphql-js',
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

/** A target by its id; every id names one. */
export const targetById = (id: Target['id']) => targets.find((target) => target.id === id) as Target

/** Targets that no performance target compares: measured last. */
export const sideTargets: ReadonlySet<Target['id']> = new Set([
  'yoga-no-fast-path',
  'yoga-uncached',
  'yoga-uncached-graphql-js',
])

/**
 * What a GraphQL-over-HTTP client sends; all three servers answer it with
 * `application/graphql-response+json`.
 */
export const accept = 'application/graphql-response+json, application/json;q=0.9'

/** One measured run. */
export interface RunResult {
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
export interface Row {
  readonly content: string
  readonly query: BenchQuery
  readonly target: Target
  readonly bytes: number | undefined
  /** Set when the run was skipped or failed. */
  readonly error?: string
  readonly result?: RunResult
}

/** Time kept after the last run for stopping the servers and writing the report. */
export const reserveMs = 5000
/** Least time left for a content to be started at all. */
export const minContentMs = 15_000
/**
 * Time a run takes beyond its measured seconds: waiting for the server to go
 * idle, twice, and starting autocannon.
 */
export const runOverheadMs = 400
/** Time a profile takes beyond its measured seconds: writing and reading it. */
export const profileOverheadMs = 2000
// Shortest run and warm-up that `planRuns` shortens to.
const minSeconds = 0.5
const minWarmupSeconds = 1

/** Why a row was not measured when time ran out. */
export const budgetSkip = 'skipped (time budget)'

/** How long each run and warm-up of one content lasts, and whether to profile. */
export interface RunTimes {
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
export function planRuns(
  wanted: RunTimes,
  runs: number,
  profiles: number,
  availableMs: number,
): RunTimes {
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
