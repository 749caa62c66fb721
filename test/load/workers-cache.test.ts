import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { fixturesDir } from '../helpers/fixtures.ts'

let dir: string
let cacheDir: string

/**
 * What a graph holds, without functions: enough to compare two loads.
 * Records derive ids, sources and Markdown on demand: JSON gives them all.
 */
const shape = (graph: ContentGraph): unknown =>
  JSON.parse(
    JSON.stringify({
      posts: graph.posts,
      talks: graph.talks,
      sections: graph.sections,
      bullets: graph.bullets,
      mentions: graph.mentions,
      technologies: graph.technologies,
      problems: graph.problems,
      version: graph.version,
    }),
  )

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-workers-'))
  cacheDir = await mkdtemp(path.join(tmpdir(), 'content-graph-cache-'))
  // Three copies of every fixture post: enough files for the pool to share out.
  for (const copy of ['a', 'b', 'c']) {
    for (const name of await readdir(fixturesDir)) {
      if (name.endsWith('.md')) continue
      await cp(path.join(fixturesDir, name), path.join(dir, copy, name), {
        recursive: true,
        filter: (source) => !source.endsWith('.json'),
      })
    }
  }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await rm(cacheDir, { recursive: true, force: true })
})

describe('reading in worker threads', () => {
  it('should build the same graph as reading in the main thread', async () => {
    const inline = await loadContent({ contentDir: dir, workers: 0 })
    const pooled = await loadContent({ contentDir: dir, workers: 2 })
    expect(inline.files).toBeGreaterThan(60)
    expect(shape(pooled.graph)).toEqual(shape(inline.graph))
  })

  it('should stop a file that takes too long and still read the others', async () => {
    const slow = await mkdtemp(path.join(tmpdir(), 'content-graph-slow-'))
    try {
      await writeFile(path.join(slow, 'ok.md'), '---\ntitle: OK\ndate: 2024-01-01\n---\n- fine\n')
      // Nested emphasis this deep makes the parser quadratic: many seconds of
      // work. The budget leaves the small file room to be read on a busy
      // machine, where a fresh worker's first file can take a second.
      await writeFile(
        path.join(slow, 'bomb.md'),
        `# Bomb\n\n${'*a '.repeat(12000)}x${' a*'.repeat(12000)}\n`,
      )
      const { graph } = await loadContent({ contentDir: slow, workers: 2, parseTimeoutMs: 3000 })
      expect(graph.posts.map((post) => post.title)).toEqual(['OK'])
      expect(graph.problems).toContainEqual(
        expect.objectContaining({ path: 'bomb.md', code: 'parse-timeout', severity: 'error' }),
      )
    } finally {
      await rm(slow, { recursive: true, force: true })
    }
  })
})

describe('the content-hash cache', () => {
  it('should serve unchanged files from the cache and re-read changed ones', async () => {
    const cold = await loadContent({ contentDir: dir, cacheDir, workers: 0 })
    expect(cold.cached).toBe(0)
    const warm = await loadContent({ contentDir: dir, cacheDir, workers: 0 })
    expect(warm.cached).toBe(warm.files)
    expect(shape(warm.graph)).toEqual(shape(cold.graph))

    const edited = path.join(dir, 'a/no-headings/java-perf-seminar.md')
    await writeFile(edited, '---\ntitle: Edited\ndate: 2024-01-01\n---\n- only this\n')
    const after = await loadContent({ contentDir: dir, cacheDir, workers: 0 })
    expect(after.cached).toBe(warm.cached - 1)
    expect(
      after.graph.posts.find((post) => post.source.path.startsWith('a/no-headings'))?.title,
    ).toBe('Edited')
  })
})
