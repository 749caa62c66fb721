/**
 * The Markdown reader: a cold read of every post with the fast reader
 * (markdown-it, remark where it refuses) against the remark path (every
 * post through remark-parse + remark-gfm, the reader before it), in one
 * process and one run, and how each grows with the size of one post.
 *
 * CPU time of this thread is measured (`process.cpuUsage`), so the ratio
 * holds on a busy machine better than wall time would. The remark path is
 * slow, so it reads a sample of the corpus; the fast reader reads the same
 * sample (remark, fast, fast, remark, so drifting load falls on both alike),
 * then the whole corpus on its own.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { builtinCatalogEntries, createCatalog } from '../src/catalog/catalog.ts'
import { type ContentFile, readPost } from '../src/extract/post.ts'
import type { MarkdownReader } from '../src/parse/markdown.ts'
import { cachedCorpus, generatePost } from './corpus.ts'
import type { Bench, BenchContext, BenchReport, Table, TargetResult } from './lib.ts'
import { collectGarbage, remainingMs } from './lib.ts'

/** Options for `readerBench`. */
export interface ReaderOptions {
  /**
   * Posts of each corpus read both ways.
   * @default 120
   */
  readonly sample?: number
}

/**
 * Build the reader bench.
 *
 * @param options
 *   Sample size.
 * @returns
 *   The bench, to list in run.ts.
 */
export function readerBench(options: ReaderOptions = {}): Bench {
  return { name: 'reader', run: (context) => runReader(context, options.sample ?? 120) }
}

const catalog = createCatalog(builtinCatalogEntries)

/** CPU seconds of this process spent in `run`. */
function cpuSeconds(run: () => void): number {
  const start = process.cpuUsage()
  run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

function readAll(files: readonly ContentFile[], reader: MarkdownReader): number {
  let fallbacks = 0
  for (const file of files) if (readPost(file, { catalog, reader }).post?.refused) fallbacks++
  return fallbacks
}

const bytesOf = (files: readonly ContentFile[]) =>
  files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0)

async function runReader(context: BenchContext, sampleSize: number): Promise<BenchReport> {
  const rows: string[][] = []
  const targets: TargetResult[] = []
  const notes: string[] = []
  // Warm both readers' code first, so neither pays the JIT in the figures.
  const warm = Array.from({ length: 20 }, (_, index) => generatePost(99, index, 4096))
  readAll(warm, 'remark')
  readAll(warm, 'fast')

  for (const size of context.sizes) {
    const { corpus } = cachedCorpus(size, context.seed, context.bytesPerPost)
    const files = corpus.files.map((file) => ({
      path: file,
      text: readFileSync(path.join(corpus.dir, file), 'utf8'),
    }))
    const sample = files.slice(0, Math.min(sampleSize, files.length))
    context.log(`  reader: ${size} posts, remark and fast on ${sample.length}…`)
    // In the order remark, fast, fast, remark, so drifting load falls on both alike.
    collectGarbage()
    let remark = cpuSeconds(() => readAll(sample, 'remark'))
    collectGarbage()
    let fast = cpuSeconds(() => readAll(sample, 'fast'))
    collectGarbage()
    fast += cpuSeconds(() => readAll(sample, 'fast'))
    collectGarbage()
    remark += cpuSeconds(() => readAll(sample, 'remark'))
    remark /= 2
    fast /= 2
    const sampleMb = bytesOf(sample) / 1e6
    const ratio = remark / fast
    // The whole corpus, fast, when the run has time for it (about 1 ms per KB).
    let whole = 'n/a'
    let fallbacks = 'n/a'
    if (remainingMs(context) > (corpus.bytes / 1000) * 3) {
      context.log(`  reader: ${size} posts, fast on all…`)
      let count = 0
      const seconds = cpuSeconds(() => {
        count = readAll(files, 'fast')
      })
      whole = `${(corpus.bytes / 1e6 / seconds).toFixed(2)} MB/s (${seconds.toFixed(1)} s)`
      fallbacks = String(count)
    }
    rows.push([
      `${size.toLocaleString('en-US')} posts (${(corpus.bytes / 1e6).toFixed(1)} MB)`,
      `${sample.length}`,
      `${(sampleMb / remark).toFixed(2)} MB/s`,
      `${(sampleMb / fast).toFixed(2)} MB/s`,
      `${ratio.toFixed(1)}×`,
      whole,
      fallbacks,
    ])
    targets.push({
      name: `cold read, ${size.toLocaleString('en-US')} posts: fast reader vs remark path`,
      target: '≥ 10×',
      measured: `${ratio.toFixed(1)}×`,
      status: ratio >= 10 ? 'met' : 'missed',
    })
  }

  // One post of growing size: the fast reader stays linear; remark is not.
  const large: string[][] = []
  const perMb = new Map<number, number>()
  for (const [reader, sizes] of [
    ['remark', [0.125, 0.25, 0.5]],
    ['fast', [0.5, 1, 2.5, 5]],
  ] as const) {
    for (const mb of sizes) {
      if (remainingMs(context) < 60_000) break
      const post = generatePost(context.seed, 0, mb * 1024 * 1024)
      context.log(`  reader: one ${mb} MB post, ${reader}…`)
      let parser = ''
      const seconds = cpuSeconds(() => {
        parser = readPost(post, { catalog, reader }).post?.parser ?? 'none'
      })
      const bytes = Buffer.byteLength(post.text) / 1e6
      if (reader === 'fast') perMb.set(mb, seconds / bytes)
      large.push([
        reader === 'fast' ? `fast (${parser})` : 'remark path',
        `${bytes.toFixed(2)} MB`,
        `${seconds.toFixed(2)} s`,
        `${(bytes / seconds).toFixed(2)} MB/s`,
      ])
    }
  }
  const small = perMb.get(1)
  const big = perMb.get(5)
  if (small !== undefined && big !== undefined) {
    targets.push({
      name: 'one 5 MB post: time proportional to size (fast reader)',
      target: 'CPU s per MB at 5 MB ≤ 1.5× that at 1 MB',
      measured: `${(big / small).toFixed(2)}×`,
      status: big / small <= 1.5 ? 'met' : 'missed',
    })
  }
  notes.push(
    'Reader: CPU seconds of one thread in one process for `readPost` (front matter, Markdown, outline, talks, bullets, mentions); the remark path and the fast reader read the same sample twice each (remark, fast, fast, remark), after a warm-up; the ratio divides their CPU times.',
  )
  const tables: Table[] = [
    {
      title: 'Cold read: fast reader (markdown-it) against the remark path, same posts, same run',
      headers: [
        'corpus',
        'sample posts',
        'remark path',
        'fast reader',
        'ratio',
        'fast, whole corpus',
        'fallbacks',
      ],
      rows,
    },
    {
      title: 'One large post: reading time against size',
      headers: ['reader', 'post', 'CPU', 'throughput'],
      rows: large,
    },
  ]
  return { tables, targets, notes }
}
