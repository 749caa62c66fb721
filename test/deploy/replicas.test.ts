/**
 * Three replicas serving one snapshot behind a real load balancer (HAProxy,
 * with `deploy/haproxy.cfg` as documented), all on 127.0.0.1: the same
 * answers and ETags from every replica, conditional GETs that revalidate on
 * any of them, a replica restarted under load without one failed request,
 * and a new snapshot rolled out replica by replica without any response
 * mixing the two.
 *
 * CI installs HAProxy (`.ci/run`); without it this file is skipped, saying so.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSnapshot } from '../../src/load/snapshot.ts'
import { fixtureDir } from '../api/request.ts'
import { bin, freePort } from '../helpers/cli.ts'

const haproxyConfig = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url))
const hasHaproxy = spawnSync('haproxy', ['-v']).error === undefined
if (!hasHaproxy) {
  console.warn('replicas.test.ts: skipped, no `haproxy` on PATH (apt-get install -y haproxy)')
}

/** A query whose answer shows, by itself, whether it mixes two snapshots. */
const query = '{ stats { posts } posts(first: 100) { totalCount nodes { slug } } }'
const queryPath = `/graphql?query=${encodeURIComponent(query)}`

/** A started replica. */
interface Replica {
  readonly port: number
  child: ChildProcess
}

/** Start `serve --snapshot` on a port; resolves once it serves. */
async function startReplica(port: number, snapshot: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--snapshot', snapshot, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      if (/^Read /m.test(out)) resolve()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}: ${out}`)))
  })
  return child
}

/** Stop a replica as an orchestrator does; resolves with its exit code. */
async function stopReplica(replica: Replica): Promise<number | null> {
  const exited = once(replica.child, 'exit')
  replica.child.kill('SIGTERM')
  const [code] = await exited
  return code as number | null
}

/** GET the query from a base URL. */
async function get(base: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${queryPath}`, {
    headers: { accept: 'application/json', ...headers },
  })
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: await response.text(),
  }
}

/** Wait until HAProxy counts every replica up, as seen through it. */
async function untilServing(base: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/ready`).catch(() => undefined)
    await response?.body?.cancel()
    if (response?.status === 200) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${base}/ready did not answer 200 within 30 s`)
}

/** What the load saw: statuses, bodies by ETag, and the post counts served. */
interface Seen {
  readonly statuses: Map<number, number>
  readonly bodiesByEtag: Map<string, Set<string>>
  readonly postCounts: Set<number>
  inconsistent: number
}

/**
 * Send GETs through the balancer until `during` settles (at most 120 s),
 * checking each response body as it comes.
 */
async function underLoad(
  base: string,
  during: () => Promise<void>,
): Promise<{ result: autocannon.Result; seen: Seen }> {
  const seen: Seen = {
    statuses: new Map(),
    bodiesByEtag: new Map(),
    postCounts: new Set(),
    inconsistent: 0,
  }
  let settle: (result: autocannon.Result) => void = () => {}
  let fail: (error: unknown) => void = () => {}
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    settle = resolve
    fail = reject
  })
  const instance = autocannon(
    {
      url: `${base}${queryPath}`,
      connections: 4,
      duration: 120,
      headers: { accept: 'application/json' },
      requests: [
        {
          method: 'GET',
          onResponse: (status, body, _context, headers) => {
            seen.statuses.set(status, (seen.statuses.get(status) ?? 0) + 1)
            if (status !== 200) return
            const answer = JSON.parse(body) as {
              data: { stats: { posts: number }; posts: { totalCount: number; nodes: unknown[] } }
            }
            const { stats, posts } = answer.data
            if (stats.posts !== posts.totalCount || posts.nodes.length !== stats.posts) {
              seen.inconsistent++
            }
            seen.postCounts.add(stats.posts)
            const etag = String(headers?.etag ?? '')
            const bodies = seen.bodiesByEtag.get(etag) ?? new Set<string>()
            bodies.add(body)
            seen.bodiesByEtag.set(etag, bodies)
          },
        },
      ],
    },
    (error, result) => (error ? fail(error) : settle(result)),
  )
  try {
    // Some load first, so the change happens under it.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await during()
    await new Promise((resolve) => setTimeout(resolve, 500))
  } finally {
    instance.stop()
  }
  return { result: await finished, seen }
}

describe.skipIf(!hasHaproxy)('three replicas from one snapshot behind HAProxy', () => {
  let dir: string
  let snapshotA: string
  let snapshotB: string
  let replicas: Replica[] = []
  let balancer: ChildProcess | undefined
  let base: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'content-graph-replicas-'))
    snapshotA = path.join(dir, 'a.snapshot')
    snapshotB = path.join(dir, 'b.snapshot')
    // The next version of the content has one post more.
    const next = path.join(dir, 'next')
    await cp(fixtureDir, next, { recursive: true })
    await writeFile(
      path.join(next, '2024-05-01-new-post.md'),
      '---\ntitle: New post\n---\n\n## 1. A talk on Kafka\n\n- `Kafka` streams\n',
    )
    await writeSnapshot(snapshotA, { contentDir: fixtureDir, workers: 0 })
    await writeSnapshot(snapshotB, { contentDir: next, workers: 0 })

    const ports = [await freePort(), await freePort(), await freePort()]
    replicas = await Promise.all(
      ports.map(async (port) => ({ port, child: await startReplica(port, snapshotA) })),
    )
    const front = await freePort()
    base = `http://127.0.0.1:${front}`
    balancer = spawn('haproxy', ['-db', '-f', haproxyConfig], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        LISTEN: `127.0.0.1:${front}`,
        REPLICA_1: `127.0.0.1:${ports[0]}`,
        REPLICA_2: `127.0.0.1:${ports[1]}`,
        REPLICA_3: `127.0.0.1:${ports[2]}`,
      },
    })
    await untilServing(base)
  }, 180_000)

  afterAll(async () => {
    balancer?.kill('SIGTERM')
    for (const { child } of replicas) if (child.exitCode === null) child.kill('SIGKILL')
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('should give the same answer and ETag from every replica, directly and through it', async () => {
    const direct = await Promise.all(replicas.map(({ port }) => get(`http://127.0.0.1:${port}`)))
    const through = await Promise.all(Array.from({ length: 6 }, () => get(base)))
    const first = direct[0]
    expect(first?.status).toBe(200)
    // fetch accepts gzip and brotli, so the ETag is the weak, compressed one.
    expect(first?.etag).toMatch(/^W\/"/)
    for (const answer of [...direct, ...through]) {
      expect(answer).toEqual(first)
    }
  })

  it('should revalidate an ETag on any replica', async () => {
    const { etag } = await get(base)
    for (const { port } of replicas) {
      const again = await get(`http://127.0.0.1:${port}`, { 'if-none-match': etag ?? '' })
      expect(again.status).toBe(304)
    }
    expect((await get(base, { 'if-none-match': etag ?? '' })).status).toBe(304)
  })

  it('should fail no request while a replica is stopped with SIGTERM and restarted', async () => {
    const replica = replicas[0] as Replica
    const { result, seen } = await underLoad(base, async () => {
      expect(await stopReplica(replica)).toBe(0)
      replica.child = await startReplica(replica.port, snapshotA)
      await untilServing(base)
    })
    expect(result.requests.total).toBeGreaterThan(0)
    expect(result.errors).toBe(0)
    expect(result.timeouts).toBe(0)
    expect(result.non2xx).toBe(0)
    expect([...seen.statuses.keys()]).toEqual([200])
    expect(seen.inconsistent).toBe(0)
    // One snapshot: one answer, one ETag.
    expect(seen.bodiesByEtag.size).toBe(1)
  }, 180_000)

  it('should roll out a new snapshot replica by replica, never mixing the two in a response', async () => {
    const { result, seen } = await underLoad(base, async () => {
      for (const replica of replicas) {
        expect(await stopReplica(replica)).toBe(0)
        replica.child = await startReplica(replica.port, snapshotB)
        await untilServing(base)
      }
    })
    expect(result.errors).toBe(0)
    expect(result.non2xx).toBe(0)
    expect(seen.inconsistent).toBe(0)
    // Both versions were served meanwhile, each with its own ETag and bytes.
    expect([...seen.postCounts].sort()).toEqual([3, 4])
    expect(seen.bodiesByEtag.size).toBe(2)
    for (const bodies of seen.bodiesByEtag.values()) expect(bodies.size).toBe(1)
    // Afterwards, every replica serves the new snapshot.
    for (const { port } of replicas) {
      expect(JSON.parse((await get(`http://127.0.0.1:${port}`)).body).data.stats.posts).toBe(4)
    }
  }, 240_000)
})
