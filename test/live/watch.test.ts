/**
 * Watch mode end to end: real file changes in a temporary folder, seen by a
 * started server through real HTTP requests.
 */
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Json } from '../api/request.ts'
import { eventually, gql, type LiveServer, postText, startLive } from './helpers.ts'

let live: LiveServer | undefined

afterEach(async () => {
  await live?.close()
  live = undefined
})

const postsQuery = '{ posts(orderBy: {field: SLUG, direction: ASC}) { nodes { slug title } } }'

/** The posts served, as `slug: title`. */
async function served(server: LiveServer): Promise<string[]> {
  const data = await gql(server.url, postsQuery)
  return data.posts.nodes.map((post: Json) => `${post.slug}: ${post.title}`)
}

const same = (expected: string[]) => (value: string[]) => value.join('|') === expected.join('|')

describe('a watching server', () => {
  it('should serve an edit, leaving the other posts as they were', async () => {
    live = await startLive({ 'a.md': postText('A'), 'b.md': postText('B') })
    expect(await served(live)).toEqual(['a: A', 'b: B'])
    const before = await gql(live.url, '{ post(slug: "b") { id } stats { version } }')
    await live.write('a.md', postText('A edited', 'now about `Kafka`'))
    const server = live
    await eventually(() => served(server), same(['a: A edited', 'b: B']))
    const after = await gql(
      live.url,
      '{ post(slug: "b") { id } stats { version } technology(slug: "kafka") { posts { nodes { slug } } } }',
    )
    expect(after.post.id).toBe(before.post.id)
    expect(after.stats.version).not.toBe(before.stats.version)
    expect(after.technology.posts.nodes).toEqual([{ slug: 'a' }])
  })

  it('should serve a new post and forget a deleted one', async () => {
    live = await startLive({ 'a.md': postText('A'), 'b.md': postText('B') })
    const server = live
    await live.write('c.md', postText('C'))
    await eventually(() => served(server), same(['a: A', 'b: B', 'c: C']))
    const id = (await gql(live.url, '{ post(slug: "b") { id } }')).post.id
    await rm(path.join(live.dir, 'b.md'))
    await eventually(() => served(server), same(['a: A', 'c: C']))
    const gone = await gql(
      live.url,
      'query ($id: ID!) { post(slug: "b") { id } node(id: $id) { id } }',
      {
        id,
      },
    )
    expect(gone).toEqual({ post: null, node: null })
  })

  it('should serve a renamed post once, under its new path', async () => {
    live = await startLive({ 'a.md': postText('A'), 'b.md': postText('B') })
    const server = live
    await rename(path.join(live.dir, 'a.md'), path.join(live.dir, 'z.md'))
    await eventually(() => served(server), same(['b: B', 'z: A']))
    const data = await gql(live.url, '{ posts { totalCount nodes { source { path } } } }')
    expect(data.posts.totalCount).toBe(2)
    expect(data.posts.nodes.map((post: Json) => post.source.path).sort()).toEqual(['b.md', 'z.md'])
  })

  it('should serve an empty graph once the last post is deleted', async () => {
    live = await startLive({ 'a.md': postText('A') })
    await mkdir(path.join(live.dir, 'notes'))
    await live.write('notes/n.md', postText('N'))
    const server = live
    await eventually(() => served(server), same(['a: A', 'n: N']))
    await rm(path.join(live.dir, 'a.md'))
    await rm(path.join(live.dir, 'notes'), { recursive: true })
    await eventually(() => served(server), same([]))
    const data = await gql(live.url, '{ stats { posts talks technologies } talks { totalCount } }')
    expect(data).toEqual({
      stats: { posts: 0, talks: 0, technologies: 0 },
      talks: { totalCount: 0 },
    })
  })

  it('should keep serving the last good version of a broken save, with its problem, until fixed', async () => {
    live = await startLive({ 'a.md': postText('A', 'about `Spark`'), 'b.md': postText('B') })
    const health =
      '{ stats { errors warnings } problems { nodes { path line column severity code } } }'
    expect((await gql(live.url, health)).stats).toEqual({ errors: 0, warnings: 0 })

    await live.write('a.md', '---\ntitle: A broken\ntags: [x]]\n---\n### 1. Talk\n\n- broken\n')
    const server = live
    const broken = await eventually(
      () => gql(server.url, health),
      (data) => data.stats.errors === 1,
    )
    expect(broken.stats).toEqual({ errors: 1, warnings: 1 })
    expect(broken.problems.nodes).toEqual([
      { path: 'a.md', line: 1, column: 1, severity: 'WARNING', code: 'kept-last-good' },
      { path: 'a.md', line: 3, column: expect.any(Number), severity: 'ERROR', code: 'yaml-syntax' },
    ])
    // The post is still there, as it read before the broken save.
    expect(await served(live)).toEqual(['a: A', 'b: B'])
    const spark = await gql(live.url, '{ technology(slug: "spark") { posts { nodes { slug } } } }')
    expect(spark.technology.posts.nodes).toEqual([{ slug: 'a' }, { slug: 'b' }])

    await live.write('a.md', postText('A fixed'))
    await eventually(() => served(server), same(['a: A fixed', 'b: B']))
    expect(await gql(live.url, health)).toEqual({
      stats: { errors: 0, warnings: 0 },
      problems: { nodes: [] },
    })
  })

  it('should end a burst of 50 saves in the state of the last one', async () => {
    const files = ['a.md', 'b.md', 'c.md', 'd.md', 'e.md']
    live = await startLive(Object.fromEntries(files.map((file) => [file, postText(file)])))
    // Ten rounds over five files, without waiting between saves.
    for (let save = 0; save < 50; save++) {
      const file = files[save % files.length] as string
      await live.write(
        file,
        postText(`${file.slice(0, 1)} ${save}`, `note ${save} about \`Kafka\``),
      )
    }
    const expected = ['a: a 45', 'b: b 46', 'c: c 47', 'd: d 48', 'e: e 49']
    const server = live
    await eventually(() => served(server), same(expected))
    // Settled, and consistent throughout: counts and indexes agree with the posts.
    await new Promise((resolve) => setTimeout(resolve, 400))
    const data = await gql(
      live.url,
      `{
        stats { posts talks bullets problems }
        posts(orderBy: {field: SLUG, direction: ASC}) { nodes { slug title talks { nodes { title } } } }
        technology(slug: "kafka") { mentionCount posts { totalCount } }
      }`,
    )
    expect(data.stats).toEqual({ posts: 5, talks: 5, bullets: 5, problems: 0 })
    expect(data.posts.nodes.map((post: Json) => `${post.slug}: ${post.title}`)).toEqual(expected)
    expect(data.posts.nodes.map((post: Json) => post.talks.nodes[0].title)).toEqual(
      expected.map((entry) => `${entry.slice(3)} talk`),
    )
    expect(data.technology).toEqual({ mentionCount: 5, posts: { totalCount: 5 } })
  })
})

describe('search on a watching server', () => {
  const hits = async (server: LiveServer, query: string): Promise<string[]> => {
    const data = await gql(
      server.url,
      'query ($q: String!) { search(query: $q) { nodes { node { ... on Bullet { text post { slug } } } } } }',
      { q: query },
    )
    return data.search.nodes
      .filter((hit: Json) => hit.node.text !== undefined)
      .map((hit: Json) => `${hit.node.post.slug}: ${hit.node.text}`)
  }

  it('should find what a save wrote and forget what it replaced', async () => {
    live = await startLive({
      'a.md': postText('A', '메모: 데이터 플랫폼을 만들었다'),
      'b.md': postText('B'),
    })
    const server = live
    expect(await hits(server, '플랫폼')).toEqual(['a: 메모: 데이터 플랫폼을 만들었다'])
    await live.write('a.md', postText('A', '이번에는 파이프라인에서 Kafka로 옮겼다'))
    await eventually(
      () => hits(server, 'kafka'),
      (found) => found.join('|') === 'a: 이번에는 파이프라인에서 Kafka로 옮겼다',
    )
    expect(await hits(server, '플랫폼')).toEqual([])
  })
})
