import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/content-graph.js', import.meta.url))
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-cli-drafts-'))
  await mkdir(path.join(dir, '_drafts'))
  await writeFile(path.join(dir, 'done.md'), '---\ntitle: Done\ndate: 2024-01-01\n---\n- note\n')
  await writeFile(
    path.join(dir, 'later.md'),
    '---\ntitle: Later\ndate: 2024-01-02\npublished: false\n---\n- note\n',
  )
  // No date anywhere: `check` must still warn about it.
  await writeFile(path.join(dir, '_drafts', 'idea.md'), '---\ntitle: Idea\n---\n- note\n')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Run `content-graph query` on the folder and return the post titles. */
async function titles(...flags: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [
    bin,
    'query',
    ...flags,
    '--content',
    dir,
    '{ posts(orderBy: {field: TITLE, direction: ASC}) { nodes { title draft } } }',
  ])
  const result = JSON.parse(stdout) as {
    data: { posts: { nodes: { title: string; draft: boolean }[] } }
  }
  return result.data.posts.nodes.map((post) => `${post.title}${post.draft ? ' (draft)' : ''}`)
}

describe('content-graph and drafts', () => {
  it('should leave drafts out of query results by default', async () => {
    expect(await titles()).toEqual(['Done'])
  })

  it('should include drafts in query results with --drafts or -D', async () => {
    const [long, short] = await Promise.all([titles('--drafts'), titles('-D')])
    expect(long).toEqual(['Done', 'Idea (draft)', 'Later (draft)'])
    expect(short).toEqual(long)
  })

  it('should check drafts too', async () => {
    const { stdout } = await run(process.execPath, [bin, 'check', dir])
    expect(stdout).toContain(`${path.join(dir, '_drafts', 'idea.md')}:1:1: warning: No date`)
    expect(stdout.trim().split('\n').at(-1)).toBe(
      '3 posts, 3 talks, 3 bullets, 0 technologies; 0 errors, 1 warning',
    )
  })

  it('should serve drafts over HTTP only when serve is given --drafts', async () => {
    const [hidden, shown] = await Promise.all([servedCounts([]), servedCounts(['--drafts'])])
    expect(hidden).toEqual({ posts: { totalCount: 1 }, stats: { posts: 1 } })
    expect(shown).toEqual({ posts: { totalCount: 3 }, stats: { posts: 3 } })
  })
})

/** Start `content-graph serve` with some flags, ask it for its post counts, and stop it. */
async function servedCounts(flags: readonly string[]): Promise<unknown> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', ...flags, '--port', '0', '--host', '127.0.0.1', '--content', dir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CACHE_DIR: '' } },
  )
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = ''
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8')
        const found = /Serving \S+ at (\S+)/.exec(buffer)?.[1]
        if (found && buffer.includes('Read ')) resolve(found)
      })
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ posts { totalCount } stats { posts } }' }),
    })
    return ((await response.json()) as { data: unknown }).data
  } finally {
    child.kill('SIGTERM')
    if (child.exitCode === null) await once(child, 'exit')
  }
}
