/**
 * One measurement in a fresh process, printed as one JSON line on stdout.
 * Started by `measureInChild` (bench/lib.ts) as
 * `node --expose-gc --import tsx bench/measure.ts <what> <dir> [flags]`:
 *
 * - `read <dir>`: list and read every Markdown file's bytes (the I/O floor).
 * - `parse <dir>`: remark-parse + remark-gfm over every body, front matter
 *   stripped, in this thread (the parser floor); reading is not timed.
 * - `load <dir> [--workers N] [--cache-dir D]`: `loadContent`, full build.
 *
 * Kept apart from the parent so that heap and peak RSS belong to this one
 * measurement and no measurement warms the JIT for the next.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { type LoadOptions, loadContent } from '../src/load/content.ts'
import {
  collectGarbage,
  heapUsedAfterGc,
  listMarkdown,
  type Measurement,
  peakRssBytes,
  threadCount,
} from './lib.ts'

/** The body of a post: its text with YAML front matter removed. */
function body(text: string): string {
  const match = /^---[ \t]*\n[\s\S]*?\n---[ \t]*\n/.exec(text)
  return match ? text.slice(match[0].length) : text
}

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name)
  return index === -1 ? undefined : argv[index + 1]
}

async function measure(argv: readonly string[]): Promise<Measurement> {
  const [what, dir] = argv
  if (!what || !dir) throw new Error('usage: measure.ts <read|parse|load> <dir> [flags]')
  const threadsBefore = threadCount()
  let threadsPeak = threadsBefore
  // Sampled while the main thread is idle, which it is when workers parse.
  // Left ref'd on purpose: it keeps this process alive while it awaits the
  // load, as a server's listening socket would (the process exits below).
  setInterval(() => {
    const now = threadCount()
    if (now !== undefined && (threadsPeak === undefined || now > threadsPeak)) threadsPeak = now
  }, 20)

  const common = () => ({ threadsBefore, threadsPeak, maxRssBytes: peakRssBytes() })

  if (what === 'read') {
    const heapBefore = heapUsedAfterGc()
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    const files = listMarkdown(dir)
    let bytes = 0
    for (const file of files) bytes += readFileSync(file).length
    const ms = performance.now() - started
    return {
      what,
      ok: true,
      ms,
      files: files.length,
      bytes,
      cpuRatio: cpuRatio(cpuStart, ms),
      heapBefore,
      ...common(),
    }
  }

  if (what === 'parse') {
    // Exactly the processor parseMarkdown uses (src/parse/markdown.ts).
    const processor = unified().use(remarkParse).use(remarkGfm).freeze()
    const bodies = listMarkdown(dir).map((file) => body(readFileSync(file, 'utf8')))
    const bytes = bodies.reduce((sum, text) => sum + Buffer.byteLength(text), 0)
    const heapBefore = heapUsedAfterGc()
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    let nodes = 0
    for (const text of bodies) nodes += processor.parse(text).children.length
    const ms = performance.now() - started
    return {
      what,
      ok: true,
      ms,
      files: bodies.length,
      bytes,
      cpuRatio: cpuRatio(cpuStart, ms),
      stats: { topLevelNodes: nodes },
      heapBefore,
      ...common(),
    }
  }

  if (what === 'load') {
    const workers = flag(argv, '--workers')
    const cacheDir = flag(argv, '--cache-dir')
    const options: LoadOptions = {
      contentDir: dir,
      ...(workers === undefined ? {} : { workers: Number(workers) }),
      ...(cacheDir === undefined ? {} : { cacheDir }),
    }
    const files = listMarkdown(dir)
    let bytes = 0
    for (const file of files) bytes += readFileSync(file).length
    const heapBefore = heapUsedAfterGc()
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    const loaded = await loadContent(options)
    const ms = performance.now() - started
    const cpu = cpuRatio(cpuStart, ms)
    // Array buffers are freed shortly after the collection that finds them
    // dead (the cache's file buffers, say): wait for that before counting.
    collectGarbage()
    await new Promise((resolve) => setTimeout(resolve, 300))
    const heapAfter = heapUsedAfterGc()
    const { graph, catalog: _catalog, ...rest } = loaded
    const extra: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(rest)) {
      if (typeof value !== 'object' && typeof value !== 'function') extra[key] = value
    }
    return {
      what,
      ok: true,
      ms,
      files: files.length,
      bytes,
      cpuRatio: cpu,
      // Read after the heap figure, so the graph is certainly still alive then.
      stats: { ...graph.stats },
      extra,
      heapBefore,
      heapAfter,
      ...common(),
    }
  }
  throw new Error(`unknown measurement: ${what}`)
}

function cpuRatio(start: NodeJS.CpuUsage, ms: number): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / ms
}

const argv = process.argv.slice(2)
try {
  const result = await measure(argv)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  process.stdout.write(`${JSON.stringify({ what: argv[0] ?? '?', ok: false, error: message })}\n`)
}
// Idle worker threads or timers left behind must not keep the child alive.
process.exit(0)
