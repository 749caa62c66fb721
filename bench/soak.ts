/**
 * Soak: a watching server under constant load and constant edits for N
 * minutes. Not part of `npm run bench` or CI: run it by hand,
 *
 *   npx tsx bench/soak.ts [minutes=2] [posts=200] [connections=20]
 *
 * It prints, every 10 s: requests and errors so far, the slowest `/health`
 * answer, the server's heap, RSS and open file descriptors, and the update
 * lag (save → visible to a client polling for it); once a minute it saves a
 * large table post (read in a worker). At the end it checks that the final
 * graph is the one a cold start on the folder serves.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadContent } from '../src/load/content.ts'
import { createContentServer } from '../src/server/create-server.ts'

const minutes = Number(process.argv[2] ?? 2)
const postCount = Number(process.argv[3] ?? 200)
const connections = Number(process.argv[4] ?? 20)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const postText = (index: number, edit = 0) =>
  [
    `---\ntitle: Post ${index}\ndate: 2024-02-${String((index % 28) + 1).padStart(2, '0')}\ntags: [t${index % 9}]\n---`,
    ...Array.from({ length: 5 }, (_, talk) =>
      [
        `## ${talk + 1}. Talk ${talk} of post ${index} (edit ${edit})`,
        ...Array.from(
          { length: 8 },
          (_, bullet) => `- note ${bullet} on \`Spark\`, Kafka and 쿠버네티스`,
        ),
      ].join('\n'),
    ),
  ].join('\n\n')

const largeTable = (rows: number) =>
  `# Large table\n\n| a | b | c |\n| --- | --- | --- |\n${Array.from({ length: rows }, (_, row) => `| ${row} \`Spark\` | b | c |`).join('\n')}\n`

const queries = [
  '{ posts(first: 20) { nodes { id title tags talks(first: 5) { nodes { title } } } } }',
  '{ technology(slug: "spark") { name mentionCount talks(first: 20) { nodes { title post { slug } } } } }',
  '{ stats { posts talks bullets technologies problems } }',
  '{ post(slug: "post-1") { title html } }',
]

async function main() {
  const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-soak-'))
  for (let index = 0; index < postCount; index++) {
    await writeFile(path.join(dir, `post-${index}.md`), postText(index))
  }
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const base = `http://127.0.0.1:${port}`
  const server: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      path.join(root, 'bench/soak-probe.mjs'),
      path.join(root, 'bin/content-graph.js'),
      'serve',
      '--watch',
      '--no-graphiql',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--content',
      dir,
      '--cache-dir',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let memory = { heapUsed: 0, rss: 0 }
  const heapSamples: number[] = []
  server.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.startsWith('SOAK-MEMORY ')) continue
      memory = JSON.parse(line.slice(12))
      heapSamples.push(memory.heapUsed)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('Watching')) resolve()
    })
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  const idleHeap = memory.heapUsed

  const endAt = Date.now() + minutes * 60_000
  let requests = 0
  let errors = 0
  const gql = async (query: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })
    const body = (await response.json()) as { data?: unknown; errors?: unknown[] }
    if (response.status !== 200 || body.errors) throw new Error(JSON.stringify(body))
    return body.data as Record<string, unknown>
  }

  // Clients: each sends one query after another.
  const clients = Array.from({ length: connections }, async (_, client) => {
    for (let turn = client; Date.now() < endAt; turn++) {
      try {
        await gql(queries[turn % queries.length] as string)
      } catch {
        errors++
      }
      requests++
    }
  })

  // /health every 100 ms: the slowest answer in each 10 s window.
  let healthMax = 0
  let healthMaxAll = 0
  const health = (async () => {
    while (Date.now() < endAt) {
      const started = performance.now()
      await fetch(`${base}/health`).catch(() => errors++)
      const ms = performance.now() - started
      healthMax = Math.max(healthMax, ms)
      healthMaxAll = Math.max(healthMaxAll, ms)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()

  // Edits: about 3 a second, edits, creations, renames and deletes.
  let edits = 0
  let next = postCount
  const live = new Set(Array.from({ length: postCount }, (_, index) => index))
  const editor = (async () => {
    let largeAt = Date.now() + 20_000
    while (Date.now() < endAt) {
      const pick = [...live][Math.floor(Math.random() * live.size)] as number
      const kind = edits % 10
      const file = (index: number) => path.join(dir, `post-${index}.md`)
      if (kind < 6) await writeFile(file(pick), postText(pick, edits))
      else if (kind < 8) {
        await writeFile(file(next), postText(next))
        live.add(next++)
      } else if (kind === 8 && live.size > postCount / 2) {
        await rename(file(pick), file(next))
        live.delete(pick)
        live.add(next++)
      } else if (live.size > postCount / 2) {
        await unlink(file(pick))
        live.delete(pick)
      }
      edits++
      if (Date.now() > largeAt) {
        await writeFile(path.join(dir, 'large.md'), largeTable(20_000 + edits))
        largeAt = Date.now() + 60_000
      }
      await new Promise((resolve) => setTimeout(resolve, 333))
    }
  })()

  // Save → visible: a new post every 2 s, polled for until a client sees it.
  const lags: number[] = []
  const lagger = (async () => {
    for (let round = 0; Date.now() < endAt; round++) {
      const slug = `lag-${round}`
      const started = performance.now()
      await writeFile(
        path.join(dir, `${slug}.md`),
        `---\ntitle: Lag ${round}\n---\n# Lag\n\n- a note\n`,
      )
      while (Date.now() < endAt + 30_000) {
        const data = await gql(`{ post(slug: "${slug}") { id } }`).catch(() => undefined)
        if (data?.post) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      lags.push(performance.now() - started)
      await unlink(path.join(dir, `${slug}.md`))
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
  })()

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? 0
  }
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
  const fds = () => {
    try {
      return readdirSync(`/proc/${server.pid}/fd`).length
    } catch {
      return Number.NaN
    }
  }
  const rows: string[] = [
    '| Time | Requests | Errors | Edits | Slowest /health | Heap | RSS | fds | Lag median |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const started = Date.now()
  const reporter = setInterval(() => {
    const row = `| ${Math.round((Date.now() - started) / 1000)} s | ${requests} | ${errors} | ${edits} | ${Math.round(healthMax)} ms | ${mb(memory.heapUsed)} | ${mb(memory.rss)} | ${fds()} | ${Math.round(median(lags))} ms |`
    healthMax = 0
    rows.push(row)
    console.log(row)
  }, 10_000)
  console.log(rows.join('\n'))

  await Promise.all([...clients, health, editor, lagger])
  clearInterval(reporter)

  // Once quiet, the served graph must be a cold start's on the same folder.
  await rm(path.join(dir, 'large.md'), { force: true })
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const check =
    '{ stats { posts talks bullets technologies problems } posts(first: 100, orderBy: {field: DATE, direction: ASC}) { nodes { id title } } }'
  const served = await gql(check)
  const cold = createContentServer({
    graph: (await loadContent({ contentDir: dir })).graph,
    logging: false,
  })
  const coldAnswer = await (
    await cold.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: check }),
    })
  ).json()
  const same = JSON.stringify({ data: served }) === JSON.stringify(coldAnswer)
  const sortedLags = [...lags].sort((a, b) => a - b)
  console.log(
    [
      '',
      `Soak of ${minutes} min, ${postCount} posts, ${connections} connections:`,
      `- requests ${requests}, errors ${errors}, edits ${edits}`,
      `- slowest /health ${Math.round(healthMaxAll)} ms`,
      `- save → visible: median ${Math.round(median(lags))} ms, max ${Math.round(sortedLags.at(-1) ?? 0)} ms (${lags.length} saves)`,
      `- heap at start ${mb(idleHeap)}, at end ${mb(memory.heapUsed)}, peak ${mb(Math.max(...heapSamples))}`,
      `- final graph identical to a cold start: ${same ? 'yes' : 'NO'}`,
    ].join('\n'),
  )
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
  await rm(dir, { recursive: true, force: true })
}

await main()
