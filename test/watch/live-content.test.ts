import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { type ContentChange, type LiveContent, watchContent } from '../../src/watch/live-content.ts'

let dir: string
let live: LiveContent | undefined

const post = (title: string, note = 'a note about `Spark`') =>
  `---\ntitle: ${title}\ndate: 2024-01-02\n---\n### 1. ${title} talk\n\n- ${note}\n`

/** The next change the live content publishes (fails after a few seconds). */
function nextChange(content: LiveContent): Promise<{ graph: ContentGraph; change: ContentChange }> {
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('no change within 5 s')), 5000)
    const stop = content.subscribe((graph, change) => {
      clearTimeout(timeout)
      stop()
      resolve({ graph, change })
    })
  })
}

const titles = (graph: ContentGraph) => graph.posts.map((p) => p.title)

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-watch-'))
  await writeFile(path.join(dir, 'a.md'), post('A'))
  await writeFile(path.join(dir, 'b.md'), post('B'))
})

afterEach(async () => {
  await live?.close()
  live = undefined
  await rm(dir, { recursive: true, force: true })
})

describe('watchContent', () => {
  it('should reflect an edit, keeping the other posts as they were', async () => {
    live = await watchContent({ contentDir: dir })
    const before = live.graph
    const changed = nextChange(live)
    await writeFile(path.join(dir, 'a.md'), post('A edited', 'now about `Kafka`'))
    const { graph, change } = await changed
    expect(change).toMatchObject({ added: [], changed: ['a.md'], removed: [] })
    expect(titles(graph)).toEqual(['A edited', 'B'])
    expect(graph.technologyByName('kafka')).toBeDefined()
    expect(graph.posts[1]).toBe(before.posts[1])
    expect(change.durationMs).toBeLessThan(1000)
  })

  it('should reflect a create and a delete', async () => {
    live = await watchContent({ contentDir: dir })
    let changed = nextChange(live)
    await writeFile(path.join(dir, 'c.md'), post('C'))
    expect((await changed).change.added).toEqual(['c.md'])
    changed = nextChange(live)
    await rm(path.join(dir, 'b.md'))
    const { graph, change } = await changed
    expect(change.removed).toEqual(['b.md'])
    expect(titles(graph)).toEqual(['A', 'C'])
  })

  it('should not duplicate a renamed post', async () => {
    live = await watchContent({ contentDir: dir })
    const changed = nextChange(live)
    await rename(path.join(dir, 'a.md'), path.join(dir, 'z.md'))
    await changed
    await waitFor(() => live?.graph.posts.map((p) => p.source.path).join() === 'b.md,z.md')
    expect(titles(live.graph)).toEqual(['B', 'A'])
  })

  it('should follow a renamed folder and the last post deleted', async () => {
    await mkdir(path.join(dir, 'notes'))
    await writeFile(path.join(dir, 'notes/n.md'), post('N'))
    await rm(path.join(dir, 'a.md'))
    await rm(path.join(dir, 'b.md'))
    live = await watchContent({ contentDir: dir })
    expect(titles(live.graph)).toEqual(['N'])
    await rename(path.join(dir, 'notes'), path.join(dir, 'archive'))
    await waitFor(() => live?.graph.posts.map((p) => p.source.path).join() === 'archive/n.md')
    const changed = nextChange(live)
    await rm(path.join(dir, 'archive/n.md'))
    const { graph } = await changed
    expect(graph.posts).toEqual([])
    expect(graph.stats.talks).toBe(0)
  })

  it('should keep the last good version of a broken save and recover when fixed', async () => {
    live = await watchContent({ contentDir: dir })
    const broken = '---\ntitle: A\ntags: [x]]\n---\n- broken\n'
    for (let round = 0; round < 2; round++) {
      // The same broken text twice: reported both times.
      const changed = nextChange(live)
      await writeFile(path.join(dir, 'a.md'), broken)
      const { graph, change } = await changed
      expect(titles(graph)).toEqual(['A', 'B'])
      expect(change.problems).toContainEqual(
        expect.objectContaining({ path: 'a.md', line: 3, code: 'yaml-syntax' }),
      )
      expect(graph.problems.map((p) => p.code).sort()).toEqual(['kept-last-good', 'yaml-syntax'])
      await writeFile(path.join(dir, 'a.md'), post('A'))
      await live.settled()
      await waitFor(() => live?.graph.problems.length === 0).catch((error) => {
        throw new Error(
          `round ${round}: ${live?.graph.problems.map((p) => p.message).join('; ')}`,
          { cause: error },
        )
      })
    }
    const fixed = nextChange(live)
    await writeFile(path.join(dir, 'a.md'), post('A fixed'))
    expect(titles((await fixed).graph)).toEqual(['A fixed', 'B'])
  })

  it('should coalesce a burst of 50 saves into a consistent update', async () => {
    live = await watchContent({ contentDir: dir })
    const changes: ContentChange[] = []
    live.subscribe((_, change) => changes.push(change))
    for (let index = 0; index < 50; index++) {
      await writeFile(path.join(dir, 'a.md'), post(`A ${index}`))
    }
    await waitFor(() => live?.graph.posts[0]?.title === 'A 49')
    await live.settled()
    expect(changes.length).toBeLessThan(50)
    expect(titles(live.graph)).toEqual(['A 49', 'B'])
  })

  it('should re-read every post when the catalog file changes', async () => {
    await writeFile(path.join(dir, 'a.md'), post('A', 'we use Grepper daily'))
    live = await watchContent({ contentDir: dir })
    expect(live.graph.technologyByName('grepper')).toBeUndefined()
    const changed = nextChange(live)
    await writeFile(path.join(dir, 'technologies.yml'), '- name: Grepper\n  category: tool\n')
    const { graph } = await changed
    expect(graph.technologyByName('grepper')?.inCatalog).toBe(true)
  })
})

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met within 5 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
