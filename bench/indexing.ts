/**
 * Indexing bench: how long building the graph takes, against the floors it
 * cannot beat (reading the bytes, parsing the Markdown), with and without
 * worker threads, cold and warm with the content-hash cache, and how much
 * memory the result holds.
 *
 * Each figure comes from a fresh child process (bench/measure.ts).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { cachedCorpus } from './corpus.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  formatBytes,
  formatMbps,
  formatMs,
  formatPercent,
  formatRatio,
  type Measurement,
  mbPerSecond,
  measureInChild,
  ratio,
  remainingMs,
  type Table,
  type TargetResult,
} from './lib.ts'

/** Settings of the indexing bench beyond the shared ones. */
export interface IndexingOptions {
  /**
   * Corpora larger than this get one full cold parse only (default workers,
   * empty cache); the parse floor and `workers: 0` come from the first
   * `sampleSize` posts (the same posts: the generator is per index) and are
   * scaled by bytes. Keeps `npm run bench` under ten minutes.
   * @default 1000
   */
  readonly sampleSize?: number
  /** Measure everything in full at every size, however long it takes. */
  readonly full?: boolean
  /** Extra Node flags for the children (e.g. `--max-semi-space-size=64`). */
  readonly nodeFlags?: readonly string[]
  /**
   * Most of the run's time budget this bench may use, leaving the rest to
   * the benches after it. Ignored when the run has no deadline.
   * @default 420_000 (7 minutes)
   */
  readonly budgetMs?: number
}

/** One row of the indexing table: a measurement, or a figure scaled from a sample. */
interface Figure {
  readonly measurement: Measurement | undefined
  /** Time, scaled to the full corpus when the measurement ran on a sample. */
  readonly ms: number | undefined
  /** When the run was stopped at its time limit: how long it had run, scaled. */
  readonly atLeastMs: number | undefined
  /** CPU time of every thread (user + system), scaled like `ms`. */
  readonly cpuMs: number | undefined
  /** Bytes of the full corpus the time stands for. */
  readonly bytes: number | undefined
  readonly note: string
}

/** Every figure for one corpus size. */
interface SizeResult {
  readonly posts: number
  readonly bytes: number
  readonly read: Figure
  readonly parse: Figure
  /** The parse floor with the young generation worker threads get. */
  readonly parseTuned: Figure
  readonly load0: Figure
  readonly load1: Figure
  readonly loadDefault: Figure
  readonly cold: Figure
  readonly warm: Figure
  /** Bytes the cold run wrote to cacheDir, and the largest file's size. */
  readonly cache: { bytes: number; largest: number } | undefined
}

/** The semi-space size matching the workers' young generation (96 MiB = 3 × 32). */
const workerSemiSpaceFlag = '--max-semi-space-size=32'

// Long enough for a 10,000-post single-thread parse on a slow, busy machine.
const childTimeoutMs = 30 * 60_000
// A warm run this much slower than cold has missed its 5% target anyway;
// stopping it there keeps a broken cache from costing a second full parse.
const warmCapShare = 0.25

/**
 * Build the indexing bench.
 *
 * @param options
 *   Sampling, Node flags and time budget.
 * @returns
 *   The bench, to list in run.ts.
 */
export function indexingBench(options: IndexingOptions = {}): Bench {
  return { name: 'indexing', run: (context) => runIndexing(context, options) }
}

async function runIndexing(context: BenchContext, options: IndexingOptions): Promise<BenchReport> {
  const sampleSize = options.sampleSize ?? 1000
  const budgetEnds = performance.now() + (options.budgetMs ?? 420_000)
  const left = () => Math.min(remainingMs(context), budgetEnds - performance.now())
  const notes: string[] = []
  const results: SizeResult[] = []
  // Measurements at the sample size, reused when a larger corpus is sampled.
  const bySize = new Map<number, SizeResult>()

  const measure = async (
    label: string,
    args: string[],
    capMs?: number,
    extraFlags: readonly string[] = [],
  ): Promise<Measurement> => {
    const limit = Math.min(childTimeoutMs, left(), capMs ?? Number.POSITIVE_INFINITY)
    if (limit < 5_000) {
      context.log(`  ${label}: skipped (time budget used up)`)
      return {
        what: args[0] ?? '?',
        ok: false,
        timedOut: true,
        error: 'skipped: time budget used up',
      }
    }
    context.log(`  ${label}…`)
    const result = await measureInChild(args, {
      nodeFlags: [...(options.nodeFlags ?? []), ...extraFlags],
      timeoutMs: limit,
    })
    context.log(
      result.ok
        ? `  ${label}: ${formatMs(result.ms)}`
        : `  ${label}: failed (${result.error ?? 'unknown'})`,
    )
    return result
  }
  const warmCap = (cold: Figure) =>
    cold.ms === undefined ? undefined : Math.max(30_000, cold.ms * warmCapShare)

  const sizes = [...context.sizes].sort((a, b) => a - b)
  for (const posts of sizes) {
    const generated = cachedCorpus(posts, context.seed, context.bytesPerPost)
    const { corpus } = generated
    context.log(
      `indexing: ${posts} posts, ${(corpus.bytes / 1e6).toFixed(1)} MB in ${corpus.dir} (${generated.reused ? 'reused' : `generated in ${formatMs(generated.ms)}`})`,
    )
    const dir = corpus.dir
    const full = options.full === true || posts <= sampleSize

    const read = figure(await measure('read floor', ['read', dir]), 1, '')
    let parse: Figure
    let parseTuned: Figure
    let load0: Figure
    let load1: Figure
    let loadDefault: Figure
    let cold: Figure
    let warm: Figure
    let cache: SizeResult['cache']
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'content-graph-bench-cache-'))
    const coldArgs = ['load', dir, '--cache-dir', cacheDir]
    try {
      if (full) {
        parse = figure(await measure('parse floor', ['parse', dir]), 1, '')
        parseTuned = figure(
          await measure("parse floor, workers' young generation", ['parse', dir], undefined, [
            workerSemiSpaceFlag,
          ]),
          1,
          '',
        )
        load0 = figure(await measure('loadContent workers: 0', ['load', dir, '--workers', '0']), 1)
        load1 = figure(await measure('loadContent workers: 1', ['load', dir, '--workers', '1']), 1)
        loadDefault = figure(await measure('loadContent default workers', ['load', dir]), 1)
        cold = figure(await measure('cold, empty cache', coldArgs), 1)
      } else {
        let sample = bySize.get(sampleSize)
        if (!sample) {
          const sampleCorpus = cachedCorpus(sampleSize, context.seed, context.bytesPerPost).corpus
          context.log(`indexing: ${sampleSize}-post sample for the ${posts}-post corpus`)
          const sampleParse = await measure('parse floor (sample)', ['parse', sampleCorpus.dir])
          const sampleParseTuned = await measure(
            "parse floor, workers' young generation (sample)",
            ['parse', sampleCorpus.dir],
            undefined,
            [workerSemiSpaceFlag],
          )
          const sampleLoad0 = await measure('loadContent workers: 0 (sample)', [
            'load',
            sampleCorpus.dir,
            '--workers',
            '0',
          ])
          const sampleLoad1 = await measure('loadContent workers: 1 (sample)', [
            'load',
            sampleCorpus.dir,
            '--workers',
            '1',
          ])
          const none = figure(undefined, 1, 'not measured')
          sample = {
            posts: sampleSize,
            bytes: sampleCorpus.bytes,
            read: none,
            parse: figure(sampleParse, 1, ''),
            parseTuned: figure(sampleParseTuned, 1, ''),
            load0: figure(sampleLoad0, 1),
            load1: figure(sampleLoad1, 1),
            loadDefault: none,
            cold: none,
            warm: none,
            cache: undefined,
          }
          bySize.set(sampleSize, sample)
        }
        const scale = corpus.bytes / sample.bytes
        const scaled = `scaled ×${scale.toFixed(2)} from the ${sampleSize}-post sample`
        parse = figure(sample.parse.measurement, scale, scaled)
        parseTuned = figure(sample.parseTuned.measurement, scale, scaled)
        load0 = figure(sample.load0.measurement, scale, scaled)
        load1 = figure(sample.load1.measurement, scale, scaled)
        cold = figure(await measure('cold, empty cache, default workers', coldArgs), 1)
        loadDefault = { ...cold, note: 'same run as (e): default workers, empty cache' }
      }
      cache = cold.measurement?.ok ? folderSize(cacheDir) : undefined
      warm = figure(await measure('warm, cache filled', coldArgs, warmCap(cold)), 1)
    } finally {
      rmSync(cacheDir, { recursive: true, force: true })
    }
    const result: SizeResult = {
      posts,
      bytes: corpus.bytes,
      read,
      parse,
      parseTuned,
      load0,
      load1,
      loadDefault,
      cold,
      warm,
      cache,
    }
    results.push(result)
    bySize.set(posts, result)
    notes.push(...oddities(result))
  }

  notes.unshift(...methodNotes(sizes, sampleSize, options, context.deadline !== undefined))
  return {
    tables: [timeTable(results), ratioTable(results), memoryTable(results)],
    targets: targets(results),
    notes,
  }
}

/** Total size of the files in a folder (not recursive: the cache is flat) and the largest. */
function folderSize(dir: string): { bytes: number; largest: number } | undefined {
  try {
    let bytes = 0
    let largest = 0
    for (const name of readdirSync(dir)) {
      const size = statSync(path.join(dir, name)).size
      bytes += size
      largest = Math.max(largest, size)
    }
    return { bytes, largest }
  } catch {
    return undefined
  }
}

/** A figure from a measurement, scaled from a sample when `scale` is not 1. */
function figure(measurement: Measurement | undefined, scale: number, note?: string): Figure {
  const empty = { measurement, ms: undefined, atLeastMs: undefined, cpuMs: undefined }
  if (measurement?.timedOut) {
    const ran = measurement.elapsedMs
    return {
      ...empty,
      atLeastMs: ran ? ran * scale : undefined,
      bytes: undefined,
      note: ran ? `stopped after ${formatMs(ran)} (time budget)` : 'skipped (time budget)',
    }
  }
  if (!measurement?.ok) {
    const reason = measurement?.error ? `n/a: ${shorten(measurement.error)}` : (note ?? 'n/a')
    return { ...empty, bytes: undefined, note: reason }
  }
  const { ms, cpuRatio } = measurement
  return {
    measurement,
    ms: ms === undefined ? undefined : ms * scale,
    atLeastMs: undefined,
    cpuMs: ms === undefined || cpuRatio === undefined ? undefined : ms * cpuRatio * scale,
    bytes: measurement.bytes === undefined ? undefined : measurement.bytes * scale,
    note: note ?? '',
  }
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text
}

type FigureKey = Exclude<keyof SizeResult, 'posts' | 'bytes' | 'cache'>

const rowLabels: Record<FigureKey, string> = {
  read: '(a) read floor: list + read bytes',
  parse: '(b) parse floor: remark-parse + gfm, 1 thread',
  parseTuned: "(b′) parse floor, workers' young generation",
  load0: '(c) loadContent, workers: 0',
  load1: '(c′) loadContent, workers: 1',
  loadDefault: '(d) loadContent, default workers',
  cold: '(e) cold, empty cacheDir',
  warm: '(f) warm, same cacheDir',
}

function timeTable(results: readonly SizeResult[]): Table {
  const rows: string[][] = []
  for (const result of results) {
    const floor = floorMs(result)
    for (const key of Object.keys(rowLabels) as FigureKey[]) {
      const item = result[key]
      const stopped = item.atLeastMs !== undefined
      rows.push([
        result.posts.toLocaleString('en-US'),
        rowLabels[key],
        stopped ? `> ${formatMs(item.atLeastMs)}` : formatMs(item.ms),
        formatMs(item.cpuMs),
        stopped
          ? `< ${formatMbps(mbPerSecond(result.bytes, item.atLeastMs))}`
          : formatMbps(mbPerSecond(item.bytes, item.ms)),
        key === 'read' || key === 'parse' || key === 'parseTuned'
          ? ''
          : key === 'load1'
            ? `${formatRatio(ratio(item.ms, tunedFloorMs(result)))} (a+b′)`
            : stopped
              ? `> ${formatRatio(ratio(item.atLeastMs, floor))}`
              : formatRatio(ratio(item.ms, floor)),
        item.note,
      ])
    }
  }
  return {
    title: 'Index build: time and throughput (MB = 10^6 bytes of Markdown)',
    headers: ['Posts', 'Measurement', 'Time', 'CPU time', 'MB/s', 'vs floor (a+b)', 'Note'],
    rows,
  }
}

function floorMs(result: SizeResult): number | undefined {
  return result.read.ms === undefined || result.parse.ms === undefined
    ? undefined
    : result.read.ms + result.parse.ms
}

/** Read floor plus the parse floor run with the workers' young generation. */
function tunedFloorMs(result: SizeResult): number | undefined {
  return result.read.ms === undefined || result.parseTuned.ms === undefined
    ? undefined
    : result.read.ms + result.parseTuned.ms
}

function tunedFloorCpuMs(result: SizeResult): number | undefined {
  return result.read.cpuMs === undefined || result.parseTuned.cpuMs === undefined
    ? undefined
    : result.read.cpuMs + result.parseTuned.cpuMs
}

function floorCpuMs(result: SizeResult): number | undefined {
  return result.read.cpuMs === undefined || result.parse.cpuMs === undefined
    ? undefined
    : result.read.cpuMs + result.parse.cpuMs
}

/** A ratio, or a bound on it when the divisor's or dividend's run was stopped. */
interface Bounded {
  readonly value: number | undefined
  /** `<` or `>` when `value` is a bound, not a measurement. */
  readonly bound: '' | '<' | '>'
}

/** One worker's time over the default pool's: what more cores bring, same GC settings. */
function speedUp(result: SizeResult): Bounded {
  const measured = ratio(result.load1.ms, result.loadDefault.ms)
  if (measured !== undefined) return { value: measured, bound: '' }
  return { value: ratio(result.load1.ms, result.loadDefault.atLeastMs), bound: '<' }
}

function warmShare(result: SizeResult): Bounded {
  const measured = ratio(result.warm.ms, result.cold.ms)
  if (measured !== undefined) return { value: measured, bound: '' }
  return { value: ratio(result.warm.atLeastMs, result.cold.ms), bound: '>' }
}

function showBounded(bounded: Bounded, format: (value: number | undefined) => string): string {
  const text = format(bounded.value)
  return bounded.bound && text !== 'n/a' ? `${bounded.bound} ${text}` : text
}

function ratioTable(results: readonly SizeResult[]): Table {
  return {
    title: 'Ratios',
    headers: [
      'Posts',
      'build/floor (c ÷ a+b)',
      'same, by CPU time',
      'in a worker (c′ ÷ a+b′)',
      'same, by CPU time ',
      'workers speed-up (c′ ÷ d)',
      'vs main thread (c ÷ d)',
      'CPU use in (d)',
      'cache write cost (e ÷ d)',
      'warm/cold (f ÷ e)',
      'cache on disk',
    ],
    rows: results.map((result) => [
      result.posts.toLocaleString('en-US'),
      formatRatio(ratio(result.load0.ms, floorMs(result))),
      formatRatio(ratio(result.load0.cpuMs, floorCpuMs(result))),
      formatRatio(ratio(result.load1.ms, tunedFloorMs(result))),
      formatRatio(ratio(result.load1.cpuMs, tunedFloorCpuMs(result))),
      showBounded(speedUp(result), (value) => formatRatio(value)),
      formatRatio(ratio(result.load0.ms, result.loadDefault.ms)),
      result.loadDefault.measurement?.cpuRatio === undefined
        ? 'n/a'
        : `${result.loadDefault.measurement.cpuRatio.toFixed(2)} cores`,
      result.loadDefault.measurement === result.cold.measurement
        ? 'n/a (same run)'
        : formatRatio(ratio(result.cold.ms, result.loadDefault.ms)),
      showBounded(warmShare(result), formatPercent),
      result.cache
        ? `${formatBytes(result.cache.bytes)} (${formatRatio(result.cache.bytes / result.bytes, 1)} raw)`
        : 'n/a',
    ]),
  }
}

/** Heap the build left alive: heap after gc with the graph held, minus before. */
function retained(measurement: Measurement | undefined): number | undefined {
  if (!measurement?.ok || measurement.heapAfter === undefined) return undefined
  return measurement.heapAfter - (measurement.heapBefore ?? 0)
}

/** Peak RSS of a run, and whether it is only a floor (the run was stopped). */
function peakRss(measurement: Measurement | undefined): {
  bytes: number | undefined
  floor: boolean
} {
  if (measurement?.ok) {
    return { bytes: measurement.maxRssBytes ?? measurement.observedPeakRssBytes, floor: false }
  }
  return { bytes: measurement?.observedPeakRssBytes, floor: true }
}

function memoryTable(results: readonly SizeResult[]): Table {
  const rows: string[][] = []
  for (const result of results) {
    for (const key of ['load0', 'load1', 'loadDefault', 'cold', 'warm'] as const) {
      const item = result[key]
      // Scaled and shared rows repeat another run's memory; show each run once.
      const scaled = item.ms !== undefined && item.ms !== item.measurement?.ms
      if (scaled || (key === 'loadDefault' && item.measurement === result.cold.measurement)) {
        continue
      }
      const measurement = item.measurement
      const heap = retained(measurement)
      const raw = result.bytes
      const rss = peakRss(measurement)
      const floor = rss.floor && rss.bytes !== undefined ? '≥ ' : ''
      rows.push([
        result.posts.toLocaleString('en-US'),
        rowLabels[key],
        formatBytes(heap),
        formatRatio(ratio(heap, raw), 1),
        formatBytes(heap === undefined ? undefined : heap / result.posts),
        floor + formatBytes(rss.bytes),
        floor + formatBytes(rss.bytes === undefined ? undefined : rss.bytes / result.posts),
        floor + formatRatio(ratio(rss.bytes, raw), 1),
      ])
    }
  }
  return {
    title:
      'Memory (heap: JS heap and array buffers used after gc with the graph held, minus before loading)',
    headers: [
      'Posts',
      'Run',
      'Heap retained',
      'Heap/raw',
      'Heap/post',
      'Peak RSS',
      'RSS/post',
      'RSS/raw',
    ],
    rows,
  }
}

function targets(results: readonly SizeResult[]): TargetResult[] {
  if (results.length === 0) return []
  const list: TargetResult[] = []
  // Judged at the largest size that has the figure: a stopped or failed run
  // at the largest size should not hide what a smaller one measured.
  const check = (
    name: string,
    goal: string,
    measure: (result: SizeResult) => Bounded,
    met: (value: number) => boolean,
    shown: (value: number | undefined) => string,
  ) => {
    let found: { result: SizeResult; measured: Bounded; value: number } | undefined
    for (const result of [...results].reverse()) {
      const measured = measure(result)
      if (measured.value !== undefined) {
        found = { result, measured, value: measured.value }
        break
      }
    }
    if (!found) {
      list.push({ name, target: goal, measured: 'n/a', status: 'n/a' })
      return
    }
    const { value } = found
    const { bound } = found.measured
    // A bound decides the target only when it lies on the missing side.
    const status = met(value) ? (bound === '' ? 'met' : 'n/a') : 'missed'
    const at = `at ${found.result.posts.toLocaleString('en-US')} posts`
    list.push({
      name,
      target: goal,
      measured: `${showBounded(found.measured, shown)} ${at}`,
      status,
    })
  }

  check(
    'Index build in a worker vs parse floor, same young generation (c′ ÷ a+b′)',
    '≤ 1.10×',
    (result) => ({ value: ratio(result.load1.ms, tunedFloorMs(result)), bound: '' }),
    (value) => value <= 1.1,
    (value) => formatRatio(value),
  )
  check(
    'Index build in the main thread vs parse floor (c ÷ a+b)',
    '≤ 1.10×',
    (result) => ({ value: ratio(result.load0.ms, floorMs(result)), bound: '' }),
    (value) => value <= 1.1,
    (value) => formatRatio(value),
  )
  const cores = availableParallelism()
  check(
    'Worker speed-up vs workers: 1 (c′ ÷ d)',
    `≥ ${(0.8 * cores).toFixed(1)}× (0.8 × ${cores} cores)`,
    speedUp,
    (value) => value >= 0.8 * cores,
    (value) => formatRatio(value),
  )
  check('Warm start vs cold', '< 5%', warmShare, (value) => value < 0.05, formatPercent)
  check(
    'Heap retained vs raw Markdown (default workers)',
    '≤ 3×',
    (result) => ({
      value: ratio(retained(result.loadDefault.measurement), result.bytes),
      bound: '',
    }),
    (value) => value <= 3,
    (value) => formatRatio(value, 1),
  )
  const tenThousand = results.find((result) => result.posts === 10_000)
  const rss = peakRss(tenThousand?.loadDefault.measurement)
  const over = rss.bytes !== undefined && rss.bytes > 1.5e9
  list.push({
    name: 'Peak RSS, 10,000 posts (default workers)',
    target: '≤ 1.5 GB',
    measured:
      rss.bytes === undefined
        ? `not measured at 10,000 posts${projection(results)}`
        : `${rss.floor ? '≥ ' : ''}${(rss.bytes / 1e9).toFixed(2)} GB (${formatBytes(rss.bytes)})`,
    status: rss.bytes === undefined ? 'n/a' : over ? 'missed' : rss.floor ? 'n/a' : 'met',
  })
  return list
}

/** Linear projection of peak RSS to 10,000 posts from the two largest runs. */
function projection(results: readonly SizeResult[]): string {
  const points = results
    .map((result) => ({ posts: result.posts, rss: peakRss(result.loadDefault.measurement) }))
    .filter((point) => point.rss.bytes !== undefined && !point.rss.floor)
    .map((point) => ({ posts: point.posts, rss: point.rss.bytes ?? 0 }))
  const [a, b] = points.slice(-2)
  if (!a || !b || a.posts === b.posts) return ''
  const slope = (b.rss - a.rss) / (b.posts - a.posts)
  const projected = b.rss + slope * (10_000 - b.posts)
  return ` (linear projection from ${a.posts} and ${b.posts} posts: ${(projected / 1e9).toFixed(2)} GB)`
}

function methodNotes(
  sizes: readonly number[],
  sampleSize: number,
  options: IndexingOptions,
  budgeted: boolean,
): string[] {
  const notes = [
    'Every figure is one run in a fresh `node --expose-gc --import tsx` child; no repeats, so expect a few percent of noise (more on a busy machine: see the load average).',
    'The read floor lists the folder and reads every file with readFileSync; the corpus was just written or read, so the page cache is warm.',
    'The parse floor runs `unified().use(remarkParse).use(remarkGfm).parse` (as parseMarkdown does) over bodies with the front matter cut off, read before timing; trees are dropped as they are made.',
    `Worker threads read posts with a larger young generation than a main thread's default (src/load/worker-pool.ts; parsing makes short-lived trees that a default one copies from scavenge to scavenge). (b′) is the parse floor in a child started with ${workerSemiSpaceFlag}, the same young generation, and (c′) one worker: (c′ ÷ a+b′) compares the build with the floor under the same garbage collector settings, as (c ÷ a+b) does in the main thread. The speed-up from more cores is (c′ ÷ d); (c ÷ d) also counts the young generation.`,
    '"vs floor" divides by read floor + parse floor: loadContent must do both. CPU time (all threads, GC helpers included) is less disturbed than wall time when other processes compete for the cores; compare both.',
    `The warm run is stopped once it has taken ${formatPercent(warmCapShare)} of the cold run (at least 30 s): by then the 5% target is missed anyway.`,
  ]
  if (!options.full && sizes.some((size) => size > sampleSize)) {
    notes.push(
      `Corpora over ${sampleSize.toLocaleString('en-US')} posts get one full cold parse only: default workers with an empty cacheDir, which stands for both (d) and (e) (cache writing included). The parse floor and workers: 0 come from the ${sampleSize.toLocaleString('en-US')}-post corpus (the same first posts) scaled by bytes; \`--full\` measures everything.`,
    )
  }
  if (budgeted) {
    notes.push(
      `Measurements that would overrun the time budget (the run's \`--budget\`, and at most ${formatMs(options.budgetMs ?? 420_000)} for this bench) are stopped and reported as bounds (\`>\`, \`<\`, \`≥\`); peak RSS of a stopped run is what it had reached. \`--budget 0\` or \`--full\` lifts the budget.`,
    )
  }
  if (options.nodeFlags?.length) notes.push(`Children ran with ${options.nodeFlags.join(' ')}.`)
  return notes
}

/** Things worth a second look: failures, graphs that differ, caches that did nothing. */
function oddities(result: SizeResult): string[] {
  const notes: string[] = []
  const at = `${result.posts.toLocaleString('en-US')} posts`
  const loads = (['load0', 'load1', 'loadDefault', 'cold', 'warm'] as const)
    .map((key) => ({ key, measurement: result[key].measurement }))
    .filter(
      (entry): entry is { key: typeof entry.key; measurement: Measurement } =>
        entry.measurement?.ok === true && entry.measurement.bytes === result.bytes,
    )
  const reference = loads[0]
  for (const entry of loads.slice(1)) {
    if (JSON.stringify(entry.measurement.stats) !== JSON.stringify(reference?.measurement.stats)) {
      notes.push(
        `${at}: ${rowLabels[entry.key]} built a different graph than ${reference ? rowLabels[reference.key] : '?'}: ${JSON.stringify(entry.measurement.stats)} vs ${JSON.stringify(reference?.measurement.stats)}.`,
      )
    }
  }
  const problems = reference?.measurement.stats?.problems
  if (problems) notes.push(`${at}: the generated corpus has ${problems} content problems.`)
  const warm = result.warm.measurement
  if (warm?.ok) {
    const cached = warm.extra?.cached
    if (typeof cached !== 'number') {
      notes.push(`${at}: the warm run reports no \`cached\` count; cacheDir may be unsupported.`)
    } else if (cached < (warm.files ?? 0)) {
      notes.push(
        `${at}: the warm run served only ${cached} of ${warm.files} files from the cache (the cache is keyed by the reader's source: was src/ edited between the runs?).`,
      )
    }
  }
  // fs.readFile refuses files over 2 GiB, so such a cache can be written but never read back.
  if (result.cache && result.cache.largest > 2 ** 31 - 1) {
    notes.push(
      `${at}: the cold run wrote a ${formatBytes(result.cache.largest)} cache file, over the 2 GiB that fs.readFile can read (ERR_FS_FILE_TOO_LARGE): the warm run cannot use it.`,
    )
  }
  const parallel = result.loadDefault.measurement
  if (parallel?.ok) {
    const { threadsBefore, threadsPeak, cpuRatio } = parallel
    if (threadsBefore !== undefined && threadsPeak !== undefined && threadsPeak <= threadsBefore) {
      notes.push(`${at}: no worker threads were seen during the default-workers load.`)
    } else if (availableParallelism() > 1 && cpuRatio !== undefined && cpuRatio < 1.2) {
      notes.push(
        `${at}: the default-workers load used only ${cpuRatio.toFixed(2)} cores: the workers waited on the main thread (receiving results, garbage collection) or on other processes.`,
      )
    }
  }
  for (const key of Object.keys(rowLabels) as FigureKey[]) {
    const measurement = result[key].measurement
    if (measurement && !measurement.ok && !measurement.timedOut) {
      notes.push(`${at}: ${rowLabels[key]} failed: ${measurement.error ?? 'unknown error'}.`)
    }
  }
  return notes
}
