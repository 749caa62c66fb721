/**
 * Drafts through the API: hidden unless the server is started with drafts,
 * and then hidden or shown alike in every list, count and lookup.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { data, type Json } from './request.ts'

let dir: string

/** A post with one numbered talk that mentions a technology. */
function postText(frontMatter: string, technology: string): string {
  return `---\n${frontMatter}\n---\n### 1. Notes from the hall\n\n- We used \`${technology}\` in production\n`
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-drafts-'))
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), text)
  }
  await write('published.md', postText('title: Published\ndate: 2024-03-01', 'Kafka'))
  await write('flagged.md', postText('title: Flagged\ndate: 2024-03-02\ndraft: true', 'Spark'))
  await write(
    'unpublished.md',
    postText('title: Unpublished\ndate: 2024-03-03\npublished: false', 'Kafka'),
  )
  await write('_drafts/in-folder.md', postText('title: In a drafts folder', 'Spark'))
  // A list page and a page bundle, beside the drafts.
  await write('_index.md', '---\ntitle: Posts\n---\nAll the posts.\n')
  await write('pycon-2024/index.md', postText('date: 2024-05-01', 'Kafka'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A server over the folder, with or without drafts, once its graph is read. */
async function serve(drafts?: boolean): Promise<ContentServer> {
  const server = createContentServer({
    contentDir: dir,
    logging: false,
    ...(drafts === undefined ? {} : { drafts }),
  })
  await server.ready
  return server
}

const everything = `{
  posts(orderBy: {field: SLUG, direction: ASC}) { totalCount nodes { slug title draft } }
  talks { totalCount }
  spark: technology(slug: "spark") { mentionCount talkCount posts { totalCount } }
  kafka: technology(slug: "kafka") { mentionCount talkCount }
  flagged: post(slug: "flagged") { title }
  stats { posts talks technologies }
}`

describe('drafts', () => {
  it('should leave drafts out of every list, count and lookup by default', async () => {
    const result = await data(await serve(), everything)
    expect(result.posts.nodes).toEqual([
      { slug: 'published', title: 'Published', draft: false },
      { slug: 'pycon-2024', title: 'pycon-2024', draft: false },
    ])
    expect(result.posts.totalCount).toBe(2)
    expect(result.talks.totalCount).toBe(2)
    // Spark is mentioned in drafts only: it is not in the graph at all.
    expect(result.spark).toBeNull()
    expect(result.kafka).toEqual({ mentionCount: 2, talkCount: 2 })
    expect(result.flagged).toBeNull()
    expect(result.stats).toMatchObject({ posts: 2, talks: 2 })
  })

  it('should show every kind of draft, marked, when started with drafts', async () => {
    const result = await data(await serve(true), everything)
    const drafts = result.posts.nodes.filter((post: Json) => post.draft)
    expect(drafts.map((post: Json) => post.slug)).toEqual(['flagged', 'in-folder', 'unpublished'])
    expect(result.posts.totalCount).toBe(5)
    expect(result.talks.totalCount).toBe(5)
    expect(result.spark).toEqual({ mentionCount: 2, talkCount: 2, posts: { totalCount: 2 } })
    expect(result.kafka).toEqual({ mentionCount: 3, talkCount: 3 })
    expect(result.flagged).toEqual({ title: 'Flagged' })
    expect(result.stats).toMatchObject({ posts: 5, talks: 5 })
  })

  it('should make no post of a list page, with or without drafts', async () => {
    for (const drafts of [false, true]) {
      const result = await data(await serve(drafts), '{ posts { nodes { slug title } } }')
      const titles = result.posts.nodes.map((post: Json) => post.title)
      expect(titles).not.toContain('Posts')
      expect(result.posts.nodes.map((post: Json) => post.slug)).not.toContain('_index')
    }
  })
})
