/**
 * Every kind of broken file in one content folder, beside one good post: the
 * server starts, serves the good post, and lists each broken file in
 * `problems` with its path (and line, where the problem has one). The reader
 * tests (`test/load`, `test/extract/hostile.test.ts`) cover each case alone.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContentServer } from '../../src/server/create-server.ts'
import { query } from './helpers.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-bad-content-'))
  const write = (file: string, text: string | Buffer) => writeFile(path.join(dir, file), text)
  await write('good.md', '---\ntitle: Good\ndate: 2024-01-02\n---\n### 1. Good talk\n\n- `Spark`\n')
  await write('invalid-yaml.md', '---\ntitle: Broken\ntags: [one, two\ndate: 2024-01-02\n---\n')
  await write('toml-error.md', '+++\ntitle = "TOML"\ndate = \n+++\n# TOML\n')
  await write('binary.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))
  await write('empty.md', '')
  await write('huge.md', `# Huge\n\n${'- one bullet of a five megabyte post\n'.repeat(140_000)}`)
  await write(
    'deep.md',
    `---\ntitle: Deep\ndate: 2024-01-02\n---\n\n${'>'.repeat(10_000)} bottom\n`,
  )
  // A folder that links back to its parent: read once, not forever.
  await mkdir(path.join(dir, 'posts'))
  await symlink('..', path.join(dir, 'posts/loop'))
  // A file that vanished after it was listed reads like a link to nothing.
  await symlink(path.join(dir, 'gone.md'), path.join(dir, 'vanished.md'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a content folder of broken files', () => {
  it('should serve the good post and list every broken file with its path and line', async () => {
    const server = createContentServer({ contentDir: dir, logging: false })
    await server.ready
    const response = await query(
      server.yoga,
      `{ stats { posts problems errors warnings }
         posts { nodes { title } }
         problems(first: 100) { nodes { path line column severity code } } }`,
    )
    expect(response.status, response.text).toBe(200)
    const { stats, posts, problems } = response.body.data
    // The post nested 10,000 deep is kept, its text cut at level 100.
    expect(posts.nodes.map((post: { title: string }) => post.title).sort()).toEqual([
      'Deep',
      'Good',
    ])
    expect(stats).toEqual({ posts: 2, problems: 8, errors: 6, warnings: 2 })
    expect(problems.nodes).toEqual([
      { path: 'binary.md', line: 1, column: 1, severity: 'ERROR', code: 'binary-file' },
      { path: 'deep.md', line: 6, column: 101, severity: 'WARNING', code: 'nesting-too-deep' },
      { path: 'empty.md', line: 1, column: 1, severity: 'WARNING', code: 'empty-file' },
      { path: 'huge.md', line: 1, column: 1, severity: 'ERROR', code: 'file-too-large' },
      { path: 'invalid-yaml.md', line: 4, column: 1, severity: 'ERROR', code: 'yaml-syntax' },
      { path: 'posts/loop', line: 1, column: 1, severity: 'ERROR', code: 'symlink-loop' },
      { path: 'toml-error.md', line: 3, column: 8, severity: 'ERROR', code: 'toml-syntax' },
      { path: 'vanished.md', line: 1, column: 1, severity: 'ERROR', code: 'broken-link' },
    ])
    const good = await query(
      server.yoga,
      '{ talks(filter: {technology: "spark"}) { nodes { title post { title } } } }',
    )
    expect(good.body).toEqual({
      data: { talks: { nodes: [{ title: 'Good talk', post: { title: 'Good' } }] } },
    })
  })
})
