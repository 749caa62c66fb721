/**
 * Only paths relative to the content folder leave the server: no problem,
 * whatever its cause, names the folder's absolute path or anything above it.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContentServer } from '../../src/server/create-server.ts'
import { query } from './helpers.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-paths-'))
  await writeFile(
    path.join(dir, 'good.md'),
    '---\ntitle: Good\ndate: 2024-01-02\n---\n### 1. Talk\n\n- a note\n',
  )
  await symlink(path.join(dir, 'gone.md'), path.join(dir, 'dangling.md'))
  await mkdir(path.join(dir, 'posts'))
  await symlink(path.join(dir, 'nowhere'), path.join(dir, 'posts/folder-link'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function problemsOf(contentDir: string) {
  const server = createContentServer({ contentDir, logging: false })
  await server.ready
  const response = await query(server.yoga, '{ problems(first: 100) { nodes { path message } } }')
  expect(response.status, response.text).toBe(200)
  return response.body.data.problems.nodes as { path: string; message: string }[]
}

describe('paths in problems', () => {
  it('should name broken links by their relative path, without absolute paths', async () => {
    const problems = await problemsOf(dir)
    expect(problems.map((problem) => problem.path)).toEqual(['dangling.md', 'posts/folder-link'])
    for (const problem of problems) {
      expect(problem.message).not.toContain(dir)
      expect(problem.message).not.toContain(tmpdir())
      expect(problem.message).toMatch(/^Broken symbolic link: ENOENT: no such file or directory/)
    }
  })

  it('should call a missing content folder `.`, not by its absolute path', async () => {
    const missing = path.join(dir, 'no-such-folder')
    const problems = await problemsOf(missing)
    expect(problems).toEqual([
      {
        path: '.',
        message: expect.stringMatching(/^Cannot read content folder: ENOENT/),
      },
    ])
    expect(problems[0]?.message).not.toContain(dir)
  })
})
