/**
 * Runs the benchmark suite in sequence, prints every table, and writes
 * `bench/RESULTS.md` (machine, date, command, tables, targets met or missed).
 *
 * Usage: `npm run bench -- [--sizes 1000,10000] [--quick] [--seed 1]
 * [--bytes-per-post 10240] [--sample 1000] [--full] [--only indexing]
 * [--node-flags "--max-semi-space-size=64"] [--budget 570] [--out bench/RESULTS.md]`
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { defaultBytesPerPost } from './corpus.ts'
import { httpBench } from './http/index.ts'
import { incrementalBench } from './incremental.ts'
import { indexingBench } from './indexing.ts'
import {
  type Bench,
  type BenchContext,
  type BenchReport,
  describeMachine,
  formatMachine,
  formatTable,
  progressLogger,
  repoRoot,
  type TargetResult,
  targetTable,
} from './lib.ts'
import { readerBench } from './reader.ts'
import { replicasBench } from './replicas.ts'
import { snapshotBench } from './snapshot.ts'
import { stallsBench } from './stalls.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    'bytes-per-post': { type: 'string', default: String(defaultBytesPerPost) },
    sample: { type: 'string', default: '1000' },
    full: { type: 'boolean', default: false },
    budget: { type: 'string' },
    only: { type: 'string' },
    'node-flags': { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'bench', 'RESULTS.md') },
  },
})

const numbers = (text: string, flag: string): number[] =>
  text.split(',').map((part) => {
    const value = Number(part.trim())
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`${flag}: not a positive integer: ${part}`)
    return value
  })

const sizes = numbers(values.sizes ?? (values.quick ? '200,1000' : '1000,10000'), '--sizes')
const nodeFlags = values['node-flags']?.split(/\s+/).filter(Boolean) ?? []
// `npm run bench` must end within ten minutes, so measurements that would
// overrun are stopped and reported as bounds; `--full` or `--budget 0` lifts it.
const budgetSeconds = Number(values.budget ?? (values.full ? 0 : 570))

/**
 * The benches, in the order they run. To add one, write `bench/<name>.ts`
 * exporting a function that returns a `Bench` (see bench/lib.ts and
 * bench/indexing.ts) and list it here; `--only <name>` selects it.
 */
const benches: Bench[] = [
  indexingBench({ sampleSize: Number(values.sample), full: values.full, nodeFlags }),
  // reader: cold read with the fast reader against the remark path, and one large post.
  readerBench(),
  // incremental: from saving one post of a watched corpus to a query seeing it.
  incrementalBench({ nodeFlags }),
  // stalls: saves and /health under load, worker threads against the main thread.
  stallsBench(),
  // http: queries per second and latency over HTTP, against Apollo and a static ceiling.
  httpBench(),
  // snapshot: a replica starting from a snapshot file against a cold read.
  snapshotBench(),
  // replicas: requests/s through HAProxy with 1, 2 and 3 replicas.
  replicasBench(),
]

async function main(): Promise<void> {
  const started = performance.now()
  const log = progressLogger(started)
  const machine = describeMachine()
  const loadBefore = loadavg()
  const only = values.only?.split(',').map((name) => name.trim())
  const selected = benches.filter((bench) => !only || only.includes(bench.name))
  if (selected.length === 0) throw new Error(`--only: no bench named ${values.only}`)
  const context: BenchContext = {
    sizes,
    seed: Number(values.seed),
    bytesPerPost: Number(values['bytes-per-post']),
    quick: values.quick,
    log,
    deadline: budgetSeconds > 0 ? started + budgetSeconds * 1000 : undefined,
  }
  log(`machine: ${formatMachine(machine)}`)
  log(`benches: ${selected.map((bench) => bench.name).join(', ')}; sizes: ${sizes.join(', ')}`)

  const reports: { name: string; report: BenchReport }[] = []
  for (const bench of selected) {
    log(`${bench.name}: start`)
    let report: BenchReport
    try {
      report = await bench.run(context)
    } catch (error) {
      // One broken bench must not lose the others' results.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      report = { tables: [], targets: [], notes: [`The bench failed: ${message}`] }
    }
    reports.push({ name: bench.name, report })
    log(`${bench.name}: done`)
  }

  const loadAfter = loadavg()
  const seconds = (performance.now() - started) / 1000
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  const allTargets: TargetResult[] = reports.flatMap(({ report }) => report.targets)
  const lines = [
    '# Benchmark results',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${formatMachine(machine)}`,
    `- Load average (1 min) at start / end: ${loadBefore[0]?.toFixed(2)} / ${loadAfter[0]?.toFixed(2)} (above the core count means other work competed for the CPU)`,
    `- Command: \`${command}\``,
    `- Sizes: ${sizes.join(', ')} posts, ~${Number(values['bytes-per-post']).toLocaleString('en-US')} bytes each, seed ${values.seed}`,
    `- Total time: ${seconds.toFixed(0)} s${budgetSeconds > 0 ? ` (time budget ${budgetSeconds} s)` : ''}`,
    '',
  ]
  for (const { name, report } of reports) {
    lines.push(`## ${name}`, '')
    for (const table of report.tables) lines.push(formatTable(table), '')
    if (report.notes.length > 0) {
      lines.push('Notes:', '', ...report.notes.map((note) => `- ${note}`), '')
    }
  }
  lines.push('## Targets', '', formatTable(targetTable(allTargets)), '')
  const markdown = lines.join('\n')
  process.stdout.write(`${markdown}\n`)
  writeFileSync(values.out, markdown)
  log(`wrote ${path.relative(process.cwd(), values.out) || values.out}`)
}

await main()
