/**
 * Replicas bench: requests per second through HAProxy (`deploy/haproxy.cfg`)
 * in front of 1, 2 and 3 replicas serving one snapshot, side by side in one
 * run, with the CPU each part spent per request. On a 2-core machine the
 * load generator and the balancer share the cores with the replicas, so the
 * CPU columns say where the time went rather than the rate alone.
 *
 * Everything listens on 127.0.0.1; autocannon runs in this process for a
 * bounded time per row. Skipped, saying so, without `haproxy` on PATH.
 *
 * CLI: `tsx bench/replicas.ts [--posts 1000] [--seconds 5] [--connections 16]`.
 * In the suite: `npm run bench -- --only replicas`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { writeSnapshot } from '../src/load/snapshot.ts'
import { cachedCorpus } from './corpus.ts'
import { type Bench, type BenchContext, type BenchReport, formatTable, repoRoot } from './lib.ts'

/** One row: a number of replicas and what the load through HAProxy got. */
interface Row {
  readonly replicas: number
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errors: number
  /** CPU µs per request: the replicas together, HAProxy, the load generator. */
  readonly cpu: { readonly replicas: number; readonly balancer: number; readonly load: number }
}

const query = encodeURIComponent('{ talks(first: 10) { nodes { title post { slug } } } }')

/** Measure 1, 2 and 3 replicas over a snapshot of a generated corpus. */
async function measure(posts: number, seconds: number, connections: number): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'content-graph-replicas-bench-'))
  const started: ChildProcess[] = []
  try {
    const snapshot = path.join(dir, 'content.snapshot')
    await writeSnapshot(snapshot, { contentDir: cachedCorpus(posts, 1).corpus.dir })
    const ports = [await freePort(), await freePort(), await freePort()]
    const replicas = await Promise.all(ports.map((port) => startReplica(port, snapshot)))
    started.push(...replicas)
    const rows: Row[] = []
    for (const count of [1, 2, 3]) {
      const front = await freePort()
      const config = path.join(dir, `haproxy-${count}.cfg`)
      // The documented configuration, with only the first `count` servers.
      const lines = readFileSync(path.join(repoRoot, 'deploy', 'haproxy.cfg'), 'utf8')
        .split('\n')
        .filter((line) => {
          const server = line.match(/^\s*server r(\d)/)
          return !server || Number(server[1]) <= count
        })
      writeFileSync(config, lines.join('\n'))
      const balancer = spawn('haproxy', ['-db', '-f', config], {
        stdio: 'ignore',
        env: {
          ...process.env,
          LISTEN: `127.0.0.1:${front}`,
          REPLICA_1: `127.0.0.1:${ports[0]}`,
          REPLICA_2: `127.0.0.1:${ports[1]}`,
          REPLICA_3: `127.0.0.1:${ports[2]}`,
        },
      })
      try {
        const url = `http://127.0.0.1:${front}/graphql?query=${query}`
        await untilOk(`http://127.0.0.1:${front}/ready`)
        // Warm-up: fills every replica's response cache and fast path.
        await load(url, 1, connections)
        const serving = replicas.slice(0, count)
        const before = serving.map(cpuOf)
        const balancerBefore = cpuOf(balancer)
        const loadBefore = process.cpuUsage()
        const result = await load(url, seconds, connections)
        const loadCpu = process.cpuUsage(loadBefore)
        const replicaCpu = serving.reduce(
          (sum, child, index) => sum + cpuOf(child) - (before[index] ?? 0),
          0,
        )
        const total = Math.max(1, result.requests.total)
        rows.push({
          replicas: count,
          requestsPerSecond: result.requests.total / seconds,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          errors: result.errors + result.non2xx,
          cpu: {
            replicas: replicaCpu / total,
            balancer: (cpuOf(balancer) - balancerBefore) / total,
            load: (loadCpu.user + loadCpu.system) / total,
          },
        })
      } finally {
        balancer.kill('SIGTERM')
        await once(balancer, 'exit')
      }
    }
    return rows
  } finally {
    for (const child of started) child.kill('SIGTERM')
    await Promise.all(started.map((child) => (child.exitCode === null ? once(child, 'exit') : 0)))
    rmSync(dir, { recursive: true, force: true })
  }
}

/** CPU time a process has used so far, in µs, from /proc (Linux). */
function cpuOf(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime, fields 14 and 15 of the line (11 and 12 after the name).
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks / 100) * 1e6
}

function load(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections, duration: seconds, headers: { accept: 'application/json' } },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
}

async function startReplica(port: number, snapshot: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--max-semi-space-size=32',
      path.join(repoRoot, 'bin', 'content-graph.js'),
      'serve',
      '--snapshot',
      snapshot,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  )
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      if (/^Read /m.test(out)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)))
  })
  return child
}

async function untilOk(url: string): Promise<void> {
  for (let tries = 0; tries < 150; tries++) {
    const response = await fetch(url).catch(() => undefined)
    await response?.body?.cancel()
    if (response?.ok) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} never answered 200`)
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function table(rows: readonly Row[], posts: number) {
  const base = rows[0]?.requestsPerSecond ?? 0
  return {
    title: `Replicas behind HAProxy (${posts}-post snapshot, one GET query, fast path)`,
    headers: [
      'replicas',
      'requests/s',
      'vs 1',
      'p50',
      'p99',
      'failed',
      'CPU µs/req: replicas',
      'HAProxy',
      'autocannon',
    ],
    rows: rows.map((row) => [
      String(row.replicas),
      row.requestsPerSecond.toFixed(0),
      base > 0 ? `${(row.requestsPerSecond / base).toFixed(2)}×` : 'n/a',
      `${row.p50Ms} ms`,
      `${row.p99Ms} ms`,
      String(row.errors),
      row.cpu.replicas.toFixed(0),
      row.cpu.balancer.toFixed(0),
      row.cpu.load.toFixed(0),
    ]),
  }
}

/**
 * The replicas bench for run.ts.
 *
 * @returns
 *   The bench.
 */
export function replicasBench(): Bench {
  return {
    name: 'replicas',
    async run(context: BenchContext): Promise<BenchReport> {
      if (spawnSync('haproxy', ['-v']).error !== undefined) {
        return { tables: [], targets: [], notes: ['replicas: skipped, no haproxy on PATH.'] }
      }
      const posts = context.sizes[0] ?? 1000
      context.log(`replicas: 1, 2 and 3 replicas of a ${posts}-post snapshot`)
      const rows = await measure(posts, context.quick ? 3 : 5, 16)
      return {
        tables: [table(rows, posts)],
        targets: [],
        notes: [
          'autocannon (16 connections) and HAProxy share the machine with the replicas; CPU per request is each process’s user and system time over the run (/proc), divided by the requests answered.',
        ],
      }
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
    },
  })
  const posts = Number(values.posts)
  const rows = await measure(posts, Number(values.seconds), Number(values.connections))
  process.stdout.write(`${formatTable(table(rows, posts))}\n`)
}
