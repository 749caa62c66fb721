/**
 * An empty file reads the same wherever it is read: in the main thread, in
 * the worker threads of a cold start, from the cache, and on a save in watch
 * mode: a warning, and no post.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { watchContent } from '../../src/watch/live-content.ts'
import { postText } from '../live/helpers.ts'

let dir: string
let cacheDir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-empty-'))
  cacheDir = await mkdtemp(path.join(tmpdir(), 'content-graph-empty-cache-'))
  await writeFile(path.join(dir, 'empty.md'), '')
  await writeFile(path.join(dir, 'blank.md'), ' \n\n\t\n')
  for (const name of ['one', 'two', 'three']) {
    await writeFile(path.join(dir, `${name}.md`), postText(name))
  }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await rm(cacheDir, { recursive: true, force: true })
})

/** What a reader of the graph sees of the empty files: posts and problems. */
const seen = (graph: ContentGraph) => ({
  posts: graph.posts.map((post) => post.source.path).sort(),
  problems: graph.problems.map(({ path, code, severity }) => ({ path, code, severity })),
})

const expected = {
  posts: ['one.md', 'three.md', 'two.md'],
  problems: [
    { path: 'blank.md', code: 'empty-file', severity: 'warning' },
    { path: 'empty.md', code: 'empty-file', severity: 'warning' },
  ],
}

describe('an empty file', () => {
  it('should be a warning and no post when read in the main thread', async () => {
    const { graph } = await loadContent({ contentDir: dir, workers: 0 })
    expect(seen(graph)).toEqual(expected)
  })

  it('should be a warning and no post when read in worker threads', async () => {
    const { graph } = await loadContent({ contentDir: dir, workers: 2 })
    expect(seen(graph)).toEqual(expected)
  })

  it('should read the same from the cache, whichever thread filled it', async () => {
    const filled = await loadContent({ contentDir: dir, workers: 2, cacheDir })
    expect(filled.cached).toBe(0)
    const warm = await loadContent({ contentDir: dir, workers: 0, cacheDir })
    expect(warm.cached).toBe(warm.files)
    expect(seen(warm.graph)).toEqual(expected)
  })

  it('should be a warning and no post when made in watch mode, in a worker or not', async () => {
    for (const workers of [1, 0]) {
      const live = await watchContent({ contentDir: dir, workers, debounceMs: 10 })
      try {
        const changed = new Promise<ContentGraph>((resolve) => {
          const stop = live.subscribe((graph) => {
            stop()
            resolve(graph)
          })
        })
        // (A post emptied by a save keeps its last good version instead, as
        // an editor may truncate a file before writing it.)
        await writeFile(path.join(dir, 'new.md'), '')
        const graph = await changed
        expect(seen(graph)).toEqual({
          posts: expected.posts,
          problems: [
            ...expected.problems,
            { path: 'new.md', code: 'empty-file', severity: 'warning' },
          ],
        })
      } finally {
        await live.close()
        await rm(path.join(dir, 'new.md'), { force: true })
      }
    }
  }, 60_000)
})
