import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { fromGlobalId, toGlobalId } from '../../src/model/ids.ts'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-ids-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const post = (title: string, extra = '') =>
  `---\ntitle: ${title}\ndate: 2024-01-02\n---\n### 1. First\n\n- uses \`Spark\`\n  - nested${extra}\n\n### 2. Second\n\n- Kafka 이야기\n`

const ids = (graph: ContentGraph, path: string) => {
  const found = graph.posts.find((candidate) => candidate.source.path === path)
  return {
    post: found?.id,
    talks: graph.talks.filter((talk) => talk.postId === found?.id).map((talk) => talk.id),
    bullets: graph.bullets.filter((bullet) => bullet.postId === found?.id).map((b) => b.id),
    mentions: graph.mentions.filter((mention) => mention.postId === found?.id).map((m) => m.id),
  }
}

describe('global ids', () => {
  it('should round-trip a type and key', () => {
    const id = toGlobalId('Talk', 'posts/a.md#3')
    expect(fromGlobalId(id)).toEqual({ type: 'Talk', key: 'posts/a.md#3' })
    expect(fromGlobalId('not an id!')).toBeUndefined()
    expect(fromGlobalId(Buffer.from('Nope:x').toString('base64url'))).toBeUndefined()
  })

  it('should stay the same across loads and when another post changes', async () => {
    await writeFile(path.join(dir, 'a.md'), post('A'))
    await writeFile(path.join(dir, 'b.md'), post('B'))
    const first = (await loadContent({ contentDir: dir })).graph
    const again = (await loadContent({ contentDir: dir })).graph
    expect(ids(again, 'a.md')).toEqual(ids(first, 'a.md'))
    expect(again.version).toBe(first.version)

    await writeFile(path.join(dir, 'b.md'), post('B edited', '\n- another `Redis` note'))
    const edited = (await loadContent({ contentDir: dir })).graph
    expect(ids(edited, 'a.md')).toEqual(ids(first, 'a.md'))
    expect(ids(edited, 'b.md').bullets.length).toBeGreaterThan(ids(first, 'b.md').bullets.length)
    expect(edited.version).not.toBe(first.version)
    expect(edited.technologyByName('spark')?.id).toBe(first.technologyByName('spark')?.id)
  })

  it('should find every node by its id', async () => {
    await writeFile(path.join(dir, 'a.md'), post('A'))
    const { graph } = await loadContent({ contentDir: dir })
    const all = [
      ...graph.posts,
      ...graph.talks,
      ...graph.sections,
      ...graph.bullets,
      ...graph.technologies,
      ...graph.mentions,
    ]
    expect(all.length).toBeGreaterThan(8)
    // Bullets and mentions are views made on each lookup: compare what they say.
    const json = (value: unknown) => JSON.parse(JSON.stringify(value))
    for (const node of all) expect(json(graph.node(node.id)?.value)).toEqual(json(node))
    for (const missing of ['a.md#999', 'a.md#-1', 'a.md#01', 'gone.md#0']) {
      expect(graph.node(toGlobalId('Bullet', missing))).toBeUndefined()
      expect(graph.node(toGlobalId('Mention', missing))).toBeUndefined()
    }
  })
})
