/**
 * Shared helpers for the benchmarks: timing, memory, machine description,
 * child processes that measure one thing each, and Markdown tables.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, freemem, totalmem } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

/** Root of the repository (the folder holding `bench/`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// ---------------------------------------------------------------------------
// Bench plumbing: every bench returns a report that run.ts prints and writes.

/** A table of results, printed as Markdown. */
export interface Table {
  readonly title: string
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

/** Whether a target was reached. `n/a` when it could not be measured. */
export type TargetStatus = 'met' | 'missed' | 'n/a'

/** One performance target and what was measured against it. */
export interface TargetResult {
  readonly name: string
  /** The target, in words (`≤ 1.1×`). */
  readonly target: string
  /** What was measured, in words. */
  readonly measured: string
  readonly status: TargetStatus
}

/** What one bench produced. */
export interface BenchReport {
  readonly tables: readonly Table[]
  readonly targets: readonly TargetResult[]
  /** Method notes and anything odd, one sentence each. */
  readonly notes: readonly string[]
}

/** Settings every bench receives from run.ts. */
export interface BenchContext {
  /** Corpus sizes, in posts. */
  readonly sizes: readonly number[]
  readonly seed: number
  readonly bytesPerPost: number
  /** Whether `--quick` was given. */
  readonly quick: boolean
  /** Progress output (stderr), so stdout stays the tables. */
  readonly log: (message: string) => void
  /**
   * `performance.now()` by which the whole run should be over; benches stop
   * measurements that would overrun it. `undefined`: no limit.
   */
  readonly deadline: number | undefined
}

/**
 * Time left before the run's deadline.
 *
 * @param context
 *   The bench context.
 * @returns
 *   Milliseconds (negative when overdue), or `Infinity` with no deadline.
 */
export function remainingMs(context: BenchContext): number {
  return context.deadline === undefined
    ? Number.POSITIVE_INFINITY
    : context.deadline - performance.now()
}

/** A bench: a name and a function that measures and reports. */
export interface Bench {
  readonly name: string
  readonly run: (context: BenchContext) => Promise<BenchReport>
}

// ---------------------------------------------------------------------------
// Measuring in this process.

/**
 * Time a function with `performance.now`.
 *
 * @param run
 *   Function to time (sync or async).
 * @returns
 *   Its value and the elapsed milliseconds.
 */
export async function time<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await run()
  return { value, ms: performance.now() - started }
}

/**
 * Run a full garbage collection when the process was started with
 * `--expose-gc`; twice, because the first pass can leave weakly held
 * objects that only the second one frees.
 *
 * @returns
 *   Whether a collection ran.
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return false
  gc()
  gc()
  return true
}

/**
 * Memory in use after a full collection (the live set, not garbage waiting
 * to be collected): the JS heap plus array buffers, which live outside it
 * (the graph keeps its bullet and mention columns in typed arrays).
 *
 * @returns
 *   Bytes, or `undefined` when `--expose-gc` was not given (the figure
 *   would count garbage and mislead).
 */
export function heapUsedAfterGc(): number | undefined {
  if (!collectGarbage()) return undefined
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

/**
 * Peak resident set size of this process so far, worker threads included.
 *
 * @returns
 *   Bytes (`maxRSS` is reported in kilobytes).
 */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024
}

/**
 * Number of OS threads in this process, read from `/proc` (Linux only):
 * tells whether worker threads were actually started.
 *
 * @returns
 *   The count, or `undefined` off Linux.
 */
export function threadCount(): number | undefined {
  try {
    const match = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/**
 * List Markdown files under a folder, sorted, skipping dot-named entries as
 * the loader does.
 *
 * @param dir
 *   Folder.
 * @returns
 *   Absolute paths.
 */
export function listMarkdown(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  return entries
    .filter(
      (entry) =>
        /\.(md|markdown)$/i.test(entry) && !entry.split(path.sep).some((p) => p.startsWith('.')),
    )
    .sort()
    .map((entry) => path.join(dir, entry))
}

/** The machine the benchmarks ran on. */
export interface Machine {
  readonly cpu: string
  readonly cores: number
  readonly memoryBytes: number
  readonly freeMemoryBytes: number
  readonly node: string
  readonly platform: string
}

/**
 * Describe this machine: results mean little without it.
 *
 * @returns
 *   CPU model, core count, memory, Node version and platform.
 */
export function describeMachine(): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  }
}

/**
 * One line describing a machine, for headers.
 *
 * @param machine
 *   From `describeMachine`.
 * @returns
 *   Text such as `Intel Xeon …, 2 cores, 23.5 GiB, Node v20.20.2, linux x64`.
 */
export function formatMachine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${formatBytes(machine.memoryBytes)} RAM, Node ${machine.node}, ${machine.platform}`
}

// ---------------------------------------------------------------------------
// Child processes: one measurement each, so heap and RSS belong to it alone
// and one measurement does not warm the JIT or caches for the next.

/** What a measurement child prints (one JSON line). */
export interface Measurement {
  // Optional fields admit `undefined`: JSON drops them, and a child fills
  // them from probes (heap, threads) that may have nothing to say.
  readonly what: string
  readonly ok: boolean
  /** Why the measurement failed, when `ok` is false. */
  readonly error?: string | undefined
  readonly ms?: number | undefined
  readonly files?: number | undefined
  /** Markdown bytes the measurement went through. */
  readonly bytes?: number | undefined
  /** Heap used after gc before the work, after imports. */
  readonly heapBefore?: number | undefined
  /** Heap used after gc with the result still held. */
  readonly heapAfter?: number | undefined
  readonly maxRssBytes?: number | undefined
  /** CPU time (user + system, all threads) over wall time. */
  readonly cpuRatio?: number | undefined
  readonly threadsBefore?: number | undefined
  readonly threadsPeak?: number | undefined
  /** Graph counts, to check that every way of loading builds the same graph. */
  readonly stats?: Record<string, number> | undefined
  /** Fields of the load result beyond graph and catalog (such as `cached`). */
  readonly extra?: Record<string, unknown> | undefined
  /** Set by the parent: the child was killed at its time limit. */
  readonly timedOut?: boolean | undefined
  /** Set by the parent: wall time from spawn to exit, Node start-up included. */
  readonly elapsedMs?: number | undefined
  /** Set by the parent: peak RSS polled from `/proc` (a floor when the child was killed). */
  readonly observedPeakRssBytes?: number | undefined
}

/**
 * Run `bench/measure.ts` in a fresh Node process (`--expose-gc`, tsx loader)
 * and return the JSON line it prints. While it runs, the child's peak RSS is
 * polled from `/proc`, so that a run stopped at its time limit still tells
 * how much memory it had reached.
 *
 * @param args
 *   Arguments for measure.ts: what to measure, the folder, flags.
 * @param options
 *   Extra Node flags and a time limit (the child is killed past it).
 * @returns
 *   The measurement; failures (crash, timeout, bad output) give `ok: false`
 *   rather than throwing, so one bad figure does not lose the others.
 */
export async function measureInChild(
  args: readonly string[],
  options: { nodeFlags?: readonly string[]; timeoutMs?: number } = {},
): Promise<Measurement> {
  const what = args[0] ?? '?'
  const script = path.join(repoRoot, 'bench', 'measure.ts')
  let observedPeakRssBytes: number | undefined
  const run = await runScriptInChild(script, args, {
    nodeFlags: ['--expose-gc', ...(options.nodeFlags ?? [])],
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    whileRunning: (pid) => {
      const peak = childPeakRss(pid)
      if (peak !== undefined) observedPeakRssBytes = Math.max(observedPeakRssBytes ?? 0, peak)
    },
  })
  const { elapsedMs, timedOut } = run
  if (run.json !== undefined) {
    return { ...(run.json as Measurement), elapsedMs, observedPeakRssBytes }
  }
  const reason = timedOut
    ? `stopped after ${formatMs(elapsedMs)} (time limit)`
    : run.signal
      ? `killed by ${run.signal}`
      : `exit code ${run.code}`
  const detail = timedOut ? '' : run.stderrTail
  return {
    what,
    ok: false,
    error: `${reason}${detail ? `: ${detail}` : ''}`,
    timedOut,
    elapsedMs,
    observedPeakRssBytes,
  }
}

/** How a child started by `runScriptInChild` ended. */
export interface ChildRun {
  /** The last line of its standard output, parsed as JSON, if it was JSON. */
  readonly json: unknown
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** Whether it was killed at its time limit. */
  readonly timedOut: boolean
  /** Wall time from spawn to exit, Node start-up included. */
  readonly elapsedMs: number
  /** The last three lines of its standard error, joined with ` | `. */
  readonly stderrTail: string
}

/**
 * Run a bench script in a fresh Node process (tsx loader), whose answer is
 * the last line it prints, as JSON. Never rejects: a crash, a timeout or
 * output that is not JSON comes back as `json: undefined` with the reason.
 *
 * @param script
 *   Path of the script.
 * @param args
 *   Its arguments.
 * @param options
 *   Node flags, a time limit (the child is killed past it), a callback every
 *   250 ms while it runs, and one for each line it writes to standard error.
 * @returns
 *   How it ended.
 */
export function runScriptInChild(
  script: string,
  args: readonly string[],
  options: {
    nodeFlags?: readonly string[]
    timeoutMs?: number
    whileRunning?: (pid: number | undefined) => void
    onStderrLine?: (line: string) => void
  } = {},
): Promise<ChildRun> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    let partial = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      if (!options.onStderrLine) return
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) options.onStderrLine(line.trim())
    })
    const poll = options.whileRunning
      ? setInterval(() => options.whileRunning?.(child.pid), 250)
      : undefined
    let timedOut = false
    const timer =
      options.timeoutMs === undefined || !Number.isFinite(options.timeoutMs)
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill('SIGKILL')
          }, options.timeoutMs)
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll)
      if (timer) clearTimeout(timer)
      let json: unknown
      try {
        json = JSON.parse(stdout.trim().split('\n').pop() ?? '')
      } catch {
        json = undefined
      }
      resolve({
        json,
        code,
        signal,
        timedOut,
        elapsedMs: performance.now() - started,
        stderrTail: stderr.trim().split('\n').slice(-3).join(' | '),
      })
    })
  })
}

/** Peak RSS (`VmHWM`) of another process, from `/proc` (Linux only). */
function childPeakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------
// Formatting.

/**
 * A ratio, or `undefined` when either side is missing or the divisor is 0.
 *
 * @param numerator
 *   Top.
 * @param denominator
 *   Bottom.
 * @returns
 *   `numerator / denominator`.
 */
export function ratio(
  numerator: number | undefined,
  denominator: number | undefined,
): number | undefined {
  if (numerator === undefined || denominator === undefined || denominator === 0) return undefined
  return numerator / denominator
}

/**
 * Format a ratio as `1.23×`.
 *
 * @param value
 *   The ratio.
 * @param digits
 *   Decimals.
 * @returns
 *   Text, or `n/a`.
 */
export function formatRatio(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(digits)}×`
}

/**
 * Format a share as a percentage.
 *
 * @param value
 *   The share (0.05 is 5%).
 * @returns
 *   Text, or `n/a`.
 */
export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a'
  return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`
}

/**
 * Format milliseconds, switching to seconds above ten of them.
 *
 * @param ms
 *   Milliseconds.
 * @returns
 *   Text, or `n/a`.
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a'
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`
}

/**
 * Format a byte count in binary units.
 *
 * @param bytes
 *   Bytes.
 * @returns
 *   Text such as `12.3 MiB`, or `n/a`.
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return 'n/a'
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}

/**
 * Throughput in decimal megabytes per second, as parsers are usually quoted.
 *
 * @param bytes
 *   Bytes processed.
 * @param ms
 *   Time taken.
 * @returns
 *   MB/s, or `undefined`.
 */
export function mbPerSecond(bytes: number | undefined, ms: number | undefined): number | undefined {
  if (bytes === undefined || ms === undefined || ms <= 0) return undefined
  return bytes / 1e6 / (ms / 1000)
}

/**
 * Format a throughput.
 *
 * @param value
 *   MB/s.
 * @returns
 *   Text, or `n/a`.
 */
export function formatMbps(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a'
  return `${value.toFixed(value < 10 ? 2 : 0)} MB/s`
}

/**
 * Format a table as GitHub Markdown; cells are padded so it reads in a
 * terminal too. Numeric-looking columns are right-aligned.
 *
 * @param table
 *   Title, headers and rows.
 * @returns
 *   Markdown: a bold title line, then the table.
 */
export function formatTable(table: Table): string {
  const widths = table.headers.map((header, column) =>
    Math.max(displayWidth(header), ...table.rows.map((row) => displayWidth(row[column] ?? '')), 3),
  )
  // Numbers, optionally bounded (`> 12 s`), with a unit; `n/a` fits any column.
  const number = /^([<>≥] )?[-+]?[\d.,]+\s*\S*$/
  const numeric = table.headers.map((_, column) => {
    const cells = table.rows.map((row) => row[column] ?? '').filter((cell) => cell !== 'n/a')
    return cells.length > 0 && cells.every((cell) => number.test(cell))
  })
  const cell = (text: string, column: number) => {
    const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(text)))
    return numeric[column] ? pad + text : text + pad
  }
  const line = (cells: readonly string[]) =>
    `| ${table.headers.map((_, column) => cell(cells[column] ?? '', column)).join(' | ')} |`
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`
  return [`**${table.title}**`, '', line(table.headers), rule, ...table.rows.map(line)].join('\n')
}

/** Terminal width of a string: Hangul and other wide characters take two columns. */
function displayWidth(text: string): number {
  let width = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0xac00 && code <= 0xd7a3) ? 2 : 1
  }
  return width
}

/**
 * Format targets as a table with met / missed.
 *
 * @param targets
 *   Targets from one or more benches.
 * @returns
 *   The table.
 */
export function targetTable(targets: readonly TargetResult[]): Table {
  return {
    title: 'Targets',
    headers: ['Target', 'Goal', 'Measured', 'Status'],
    rows: targets.map((target) => [
      target.name,
      target.target,
      target.measured,
      target.status === 'met' ? 'met' : target.status === 'missed' ? 'MISSED' : 'n/a',
    ]),
  }
}

/**
 * Print progress to stderr with the elapsed time, keeping stdout for results.
 *
 * @param started
 *   `performance.now()` at the start of the run.
 * @returns
 *   A logging function.
 */
export function progressLogger(started: number): (message: string) => void {
  return (message) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6)
    process.stderr.write(`[${seconds} s] ${message}\n`)
  }
}

/**
 * The value below which a share of the values fall (nearest rank).
 *
 * @param values
 *   Measurements, in any order.
 * @param q
 *   Share, from 0 to 1.
 * @returns
 *   The value, or `NaN` for no values.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number
}

/**
 * Wait.
 *
 * @param ms
 *   Milliseconds.
 * @returns
 *   A promise resolved after that time.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
