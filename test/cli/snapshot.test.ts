/**
 * Snapshots: `build` writes the read content to one file, and a server
 * started from it answers exactly as one that read the folder.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadContent } from '../../src/load/content.ts'
import { loadSnapshot, snapshotFormat, writeSnapshot } from '../../src/load/snapshot.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { fixtureDir } from '../api/request.ts'
import { bin, freePort } from '../helpers/cli.ts'

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))

/** Run the CLI to completion. */
function run(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [...args])
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Start `serve --snapshot` on a free port, once it serves. */
async function startSnapshot(
  file: string,
): Promise<{ child: ChildProcess; base: string; lines: string[] }> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--snapshot', file, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const lines: string[] = []
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      if (lines.some((line) => line.startsWith('Read '))) resolve()
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
  })
  return { child, base: `http://127.0.0.1:${port}`, lines }
}

/** Queries over every kind of node, problems included. */
const queries = [
  '{ stats { posts talks sections bullets technologies mentions problems errors warnings } }',
  '{ problems(first: 100) { nodes { path line column severity code message } } }',
  '{ posts(first: 100) { totalCount nodes { id slug title date tags categories wordCount source { path line column endLine endColumn } } } }',
  '{ talks(first: 100) { totalCount nodes { id number title speaker post { slug } sections { title } bullets(first: 50) { nodes { id text markdown depth } } } } }',
  '{ technologies(first: 100) { totalCount nodes { id name slug category mentionCount talks(first: 10) { nodes { id } } } } }',
  '{ posts(first: 5) { nodes { html } } }',
  '{ tags(first: 50) { nodes { name } } categories(first: 50) { nodes { name } } }',
]

/** Each query's answer, as bytes, and its ETag, from a server over a graph. */
async function answers(
  server: ReturnType<typeof createContentServer>,
): Promise<{ body: string; etag: string | null }[]> {
  await server.ready
  const out = []
  for (const query of queries) {
    const response = await server.yoga.fetch(
      `http://localhost/graphql?query=${encodeURIComponent(query)}`,
      { headers: { accept: 'application/json' } },
    )
    out.push({ body: await response.text(), etag: response.headers.get('etag') })
  }
  return out
}

describe('a snapshot file', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'content-graph-snapshot-'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const folders = [
    ['the fixture content', fixtureDir],
    ...(existsSync(corpus) ? [['the real corpus', corpus]] : []),
  ] as const

  for (const [name, folder] of folders) {
    it(`should give byte-identical answers and ETags to a cold read of ${name}`, async () => {
      const file = path.join(dir, `${name.replaceAll(' ', '-')}.snapshot`)
      const written = await writeSnapshot(file, { contentDir: folder, workers: 0 })
      const { graph: cold } = await loadContent({ contentDir: folder, workers: 0 })
      const { graph, header } = await loadSnapshot(file)
      expect(header.graphVersion).toBe(cold.version)
      expect(graph.version).toBe(cold.version)
      expect(graph.problems).toEqual(cold.problems)
      expect(written.header.posts).toBe(cold.stats.posts)
      const fromSnapshot = await answers(createContentServer({ graph, logging: false }))
      const fromFolder = await answers(createContentServer({ graph: cold, logging: false }))
      expect(fromSnapshot).toEqual(fromFolder)
      for (const { body, etag } of fromSnapshot) {
        expect(body).toMatch(/^\{"data":/)
        expect(etag).toMatch(/^"/)
      }
    }, 120_000)
  }

  it('should be written by `build` and served by two processes with the same answers and ETags', async () => {
    const file = path.join(dir, 'cli.snapshot')
    const built = await run([bin, 'build', '--content', fixtureDir, '--out', file])
    expect(built.stdout).toMatch(
      new RegExp(
        `^Wrote ${escapeRegExp(file)}: 3 posts, .+ \\(\\d+ problems, \\d+ bytes, version [0-9a-f]{16}\\) in \\d+ ms$`,
        'm',
      ),
    )
    const servers = await Promise.all([startSnapshot(file), startSnapshot(file)])
    try {
      const query = encodeURIComponent('{ stats { posts talks } }')
      const [first, second] = await Promise.all(
        servers.map(({ base }) => fetch(`${base}/graphql?query=${query}`)),
      )
      const etag = first?.headers.get('etag')
      // fetch accepts gzip and brotli: the ETag of an encoded answer is weak.
      expect(etag).toMatch(/^W\/"/)
      expect(second?.headers.get('etag')).toBe(etag)
      expect(await second?.text()).toBe(await first?.text())
      // The ETag one replica gave revalidates on the other.
      const again = await fetch(`${servers[1]?.base}/graphql?query=${query}`, {
        headers: { 'if-none-match': etag ?? '' },
      })
      expect(again.status).toBe(304)
      expect(servers[0]?.lines[0]).toMatch(
        new RegExp(`^Serving snapshot ${escapeRegExp(file)} at `),
      )
    } finally {
      for (const { child } of servers) child.kill('SIGTERM')
      await Promise.all(servers.map(({ child }) => once(child, 'exit')))
    }
  }, 120_000)

  it('should be refused, saying why, when another version of the program wrote it', async () => {
    const file = path.join(dir, 'old.snapshot')
    await writeSnapshot(file, { contentDir: fixtureDir, workers: 0 })
    const text = await readFile(file)
    const lines = text.toString('latin1').split('\n')
    const header = JSON.parse(lines[1] ?? '') as { program: string }
    const old = Buffer.from(
      text.toString('latin1').replace(`"program":"${header.program}"`, '"program":"0.0.1-old"'),
      'latin1',
    )
    await writeFile(file, old)
    await expect(loadSnapshot(file)).rejects.toThrow(
      `${file} was written by content-graph 0.0.1-old (snapshot format ${snapshotFormat}); this is ${header.program} (format ${snapshotFormat}): rebuild it with \`content-graph build --out ${file}\``,
    )
  })

  it('should keep drafts only when built with them, as a cold read does', async () => {
    const folder = path.join(dir, 'with-draft')
    await import('node:fs/promises').then((fs) => fs.mkdir(folder))
    await writeFile(path.join(folder, 'out.md'), '---\ntitle: Out\ndate: 2024-01-01\n---\n- note\n')
    await writeFile(
      path.join(folder, 'draft.md'),
      '---\ntitle: Draft\ndate: 2024-01-02\ndraft: true\n---\n- note\n',
    )
    for (const drafts of [false, true]) {
      const file = path.join(dir, `drafts-${drafts}.snapshot`)
      await writeSnapshot(file, { contentDir: folder, workers: 0, drafts })
      const { graph, header } = await loadSnapshot(file)
      const { graph: cold } = await loadContent({ contentDir: folder, workers: 0, drafts })
      expect(header.drafts).toBe(drafts)
      expect(graph.posts.map((post) => post.title)).toEqual(cold.posts.map((post) => post.title))
      expect(graph.stats.posts).toBe(drafts ? 2 : 1)
      expect(graph.version).toBe(cold.version)
    }
  })

  it('should be refused when it is not a snapshot, or cut short', async () => {
    const other = path.join(dir, 'other.snapshot')
    await writeFile(other, '# a post\n')
    await expect(loadSnapshot(other)).rejects.toThrow(`${other} is not a content-graph snapshot`)
    const file = path.join(dir, 'cut.snapshot')
    await writeSnapshot(file, { contentDir: fixtureDir, workers: 0 })
    const whole = await readFile(file)
    await writeFile(file, whole.subarray(0, whole.length - 10))
    await expect(loadSnapshot(file)).rejects.toThrow(/is cut short/)
  })
})
