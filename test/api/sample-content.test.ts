import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { toGlobalId } from '../../src/model/ids.ts'
import type { ContentServer } from '../../src/server/create-server.ts'
import { data, errorsOf, graphOf, type Json, post, sampleDir, serverFor } from './request.ts'

let graph: ContentGraph
let server: ContentServer

beforeAll(async () => {
  graph = await graphOf(sampleDir)
  server = serverFor(graph)
})

describe('the API on the sample post', () => {
  it('should find the talks that mention Spark: talks 1 and 3', async () => {
    const result = await data(
      server,
      '{ technology(slug: "spark") { name talkCount talks { totalCount nodes { number title } } } }',
    )
    expect(result.technology.name).toBe('Spark')
    expect(result.technology.talkCount).toBe(2)
    expect(result.technology.talks.totalCount).toBe(2)
    expect(result.technology.talks.nodes).toEqual([
      { number: 1, title: '당근마켓이 데이터와 함께 노는 법' },
      { number: 3, title: 'Kubernetes와 함께 데이터 흐름을 더 나이스하게 바꾸기' },
    ])
  })

  it('should filter talks by technology: kubernetes is talk 3', async () => {
    const result = await data(
      server,
      '{ talks(filter: {technology: "kubernetes"}) { totalCount nodes { number } } }',
    )
    expect(result.talks).toEqual({ totalCount: 1, nodes: [{ number: 3 }] })
  })

  it('should accept an alias or a name in the talk filter, ignoring case', async () => {
    const result = await data(
      server,
      `{
        k8s: talks(filter: {technology: "k8s"}) { nodes { number } }
        korean: talks(filter: {technology: "쿠버네티스"}) { nodes { number } }
        name: talks(filter: {technology: "KUBERNETES"}) { nodes { number } }
        unknown: talks(filter: {technology: "no-such-thing"}) { totalCount nodes { number } }
      }`,
    )
    expect(result.k8s.nodes).toEqual([{ number: 3 }])
    expect(result.korean.nodes).toEqual([{ number: 3 }])
    expect(result.name.nodes).toEqual([{ number: 3 }])
    expect(result.unknown).toEqual({ totalCount: 0, nodes: [] })
  })

  it('should find Kubernetes by its Korean alias, and other technologies by name', async () => {
    const result = await data(
      server,
      `{
        korean: technology(slug: "쿠버네티스") { slug name aliases }
        byName: technology(slug: "TorchServe") { slug }
        bySpelling: technology(slug: "torch-serve") { slug }
        missing: technology(slug: "cobol-on-cogs") { slug }
      }`,
    )
    expect(result.korean.slug).toBe('kubernetes')
    expect(result.korean.name).toBe('Kubernetes')
    expect(result.korean.aliases).toContain('쿠버네티스')
    expect(result.korean.aliases).not.toContain('Kubernetes')
    expect(result.byName.slug).toBe('torchserve')
    expect(result.bySpelling.slug).toBe('torchserve')
    expect(result.missing).toBeNull()
  })

  it('should return null for a missing post, not an error', async () => {
    const response = await post(server, '{ post(slug: "no-such-post") { title } }')
    expect(response.errors).toBeUndefined()
    expect(response.data).toEqual({ post: null })
  })

  it('should read the post with its eight talks in order', async () => {
    const result = await data(
      server,
      `{ post(slug: "datayanolja-2020") {
          title date dateTime tags categories wordCount readingTimeMinutes
          excerpt
          talks(first: 10) { totalCount nodes { number title hasNotes } }
          withoutNotes: talks(filter: {hasNotes: false}) { nodes { number } }
          aboutSpark: talks(filter: {technology: "spark", hasNotes: true}) { nodes { number } }
      } }`,
    )
    const found = result.post
    expect(found.title).toBe('데이터야놀자 2019')
    expect(found.date).toBeNull()
    expect(found.dateTime).toBeNull()
    expect(found.tags).toEqual(['seminar'])
    expect(found.categories).toEqual(['Etc'])
    expect(found.readingTimeMinutes).toBe(Math.max(1, Math.ceil(found.wordCount / 200)))
    expect(found.excerpt).toBe('2020 데이터야놀자에서 듣고 메모한 내용을 적어 보았습니다.')
    expect(found.talks.totalCount).toBe(8)
    expect(found.talks.nodes.map((talk: Json) => talk.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(found.withoutNotes.nodes).toEqual([{ number: 5 }, { number: 6 }, { number: 8 }])
    expect(found.aboutSpark.nodes).toEqual([{ number: 1 }, { number: 3 }])
  })

  it('should page forward with first/after and set the pageInfo flags', async () => {
    const query = `query ($after: String) {
      talks(first: 3, after: $after) {
        totalCount
        edges { cursor node { number } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`
    const numbers: number[][] = []
    const flags: [boolean, boolean][] = []
    let after: string | null = null
    for (let page = 0; page < 5; page++) {
      const { talks } = await data(server, query, { after })
      expect(talks.totalCount).toBe(8)
      numbers.push(talks.edges.map((edge: Json) => edge.node.number))
      flags.push([talks.pageInfo.hasPreviousPage, talks.pageInfo.hasNextPage])
      expect(talks.pageInfo.startCursor).toBe(talks.edges[0].cursor)
      expect(talks.pageInfo.endCursor).toBe(talks.edges.at(-1).cursor)
      if (!talks.pageInfo.hasNextPage) break
      after = talks.pageInfo.endCursor
    }
    expect(numbers).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ])
    expect(flags).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ])
  })

  it('should page backward with last/before and set the pageInfo flags', async () => {
    const query = `query ($before: String) {
      talks(last: 3, before: $before) {
        nodes { number }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`
    const numbers: number[][] = []
    const flags: [boolean, boolean][] = []
    let before: string | null = null
    for (let page = 0; page < 5; page++) {
      const { talks } = await data(server, query, { before })
      numbers.push(talks.nodes.map((talk: Json) => talk.number))
      flags.push([talks.pageInfo.hasPreviousPage, talks.pageInfo.hasNextPage])
      if (!talks.pageInfo.hasPreviousPage) break
      before = talks.pageInfo.startCursor
    }
    expect(numbers).toEqual([
      [6, 7, 8],
      [3, 4, 5],
      [1, 2],
    ])
    expect(flags).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ])
  })

  it('should give a page of 20 when neither first nor last is given', async () => {
    const result = await data(
      server,
      '{ technologies { totalCount nodes { slug } pageInfo { hasNextPage } } }',
    )
    expect(result.technologies.totalCount).toBe(graph.technologies.length)
    expect(graph.technologies.length).toBeGreaterThan(20)
    expect(result.technologies.nodes).toHaveLength(20)
    expect(result.technologies.pageInfo.hasNextPage).toBe(true)
  })

  it('should refuse first: 101 with the code PAGINATION_LIMIT, naming the limit', async () => {
    const errors = await errorsOf(server, '{ talks(first: 101) { totalCount } }')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.extensions?.code).toBe('PAGINATION_LIMIT')
    expect(errors[0]?.message).toContain('limit is 100')
  })

  it('should refuse page sizes below 1 and over-long lists with PAGINATION_LIMIT', async () => {
    const ids = Array.from({ length: 101 }, (_, index) => `id-${index}`)
    for (const [query, variables] of [
      ['{ talks(last: 0) { totalCount } }', {}],
      ['{ technologies(first: -1) { totalCount } }', {}],
      ['{ technology(slug: "spark") { related(first: 101) { sharedTalks } } }', {}],
      ['query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }],
    ] as const) {
      const errors = await errorsOf(server, query, variables)
      expect(errors[0]?.extensions?.code, query).toBe('PAGINATION_LIMIT')
    }
  })

  it('should refuse a cursor it did not give out with BAD_USER_INPUT', async () => {
    const errors = await errorsOf(server, '{ talks(after: "not-a-cursor") { totalCount } }')
    expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT')
    expect(errors[0]?.message).toContain('after')
  })

  it('should fetch every kind of node by its id', async () => {
    const talk = graph.talks.find((found) => found.number === 3)
    const section = graph.sections.find((found) => found.talkId !== null)
    const bullet = graph.bullets.find((found) => found.depth === 1)
    const technology = graph.technologyByName('kubernetes')
    const mention = graph.mentions.find((found) => found.text === 'torch-serve')
    const ids = {
      Post: graph.posts[0]?.id,
      Talk: talk?.id,
      Section: section?.id,
      Bullet: bullet?.id,
      Technology: technology?.id,
      Mention: mention?.id,
    }
    const query = `query ($id: ID!) {
      node(id: $id) {
        __typename id
        ... on Post { slug }
        ... on Talk { number }
        ... on Section { title }
        ... on Bullet { text }
        ... on Technology { slug }
        ... on Mention { text technology { slug } }
      }
    }`
    const expected: Record<string, Json> = {
      Post: { slug: 'datayanolja-2020' },
      Talk: { number: 3 },
      Section: { title: section?.title },
      Bullet: { text: bullet?.text },
      Technology: { slug: 'kubernetes' },
      Mention: { text: 'torch-serve', technology: { slug: 'torchserve' } },
    }
    for (const [type, id] of Object.entries(ids)) {
      expect(id, type).toBeTypeOf('string')
      const result = await data(server, query, { id })
      expect(result.node, type).toEqual({ __typename: type, id, ...expected[type] })
    }
  })

  it('should fetch several nodes at once, with null for unknown ids', async () => {
    const postId = graph.posts[0]?.id
    const talkId = graph.talks[1]?.id
    const result = await data(
      server,
      'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } none: nodes(ids: []) { id } }',
      { ids: [postId, 'bm90LWFuLWlk', talkId, toGlobalId('Post', 'gone.md')] },
    )
    expect(result.nodes).toEqual([
      { __typename: 'Post', id: postId },
      null,
      { __typename: 'Talk', id: talkId },
      null,
    ])
    expect(result.none).toEqual([])
  })

  it('should still find a technology by an id made from one of its aliases', async () => {
    const result = await data(
      server,
      'query ($id: ID!) { node(id: $id) { id ... on Technology { slug } } }',
      {
        id: toGlobalId('Technology', 'k8s'),
      },
    )
    expect(result.node).toEqual({
      id: graph.technologyByName('kubernetes')?.id,
      slug: 'kubernetes',
    })
  })

  it('should list what people said about Kubernetes, in content order', async () => {
    const result = await data(
      server,
      `{ technology(slug: "k8s") {
          mentionCount
          mentions(first: 100) { totalCount nodes { kind text talk { number } target { __typename } } }
          headings: mentions(kind: HEADING) { nodes { text target { ... on Talk { number } } } }
      } }`,
    )
    const { mentionCount, mentions, headings } = result.technology
    expect(mentions.totalCount).toBe(mentionCount)
    expect(mentionCount).toBe(graph.mentionCount(graph.technologyByName('kubernetes')?.id ?? ''))
    expect(mentions.nodes.every((mention: Json) => mention.talk.number === 3)).toBe(true)
    expect(headings.nodes).toEqual([{ text: 'Kubernetes', target: { number: 3 } }])
    expect(new Set(mentions.nodes.map((mention: Json) => mention.kind))).toEqual(
      new Set(['HEADING', 'CODE_SPAN', 'CATALOG']),
    )
  })

  it('should give Zeppelin and Jupyter for `Zeppelin/Jupyter`, and related technologies', async () => {
    const result = await data(
      server,
      `{ technology(slug: "zeppelin") {
          category isInCatalog
          mentions { nodes { text kind } }
          related(first: 100) { technology { slug } sharedTalks }
      } }`,
    )
    expect(result.technology.category).toBe('TOOL')
    expect(result.technology.isInCatalog).toBe(true)
    expect(result.technology.mentions.nodes).toEqual([{ text: 'Zeppelin', kind: 'CODE_SPAN' }])
    const related = result.technology.related.map((entry: Json) => entry.technology.slug)
    expect(related).toContain('jupyter')
    expect(related).toContain('spark')
    expect(related).not.toContain('zeppelin')
    const shared = result.technology.related.map((entry: Json) => entry.sharedTalks)
    expect(shared).toEqual([...shared].sort((a: number, b: number) => b - a))
  })

  it('should count the content in stats, with the snapshot version', async () => {
    const { stats } = await data(
      server,
      '{ stats { posts talks sections bullets technologies mentions problems errors warnings fallbackReads version } }',
    )
    expect(stats).toEqual({ ...graph.stats, version: graph.version })
    expect(stats.posts).toBe(1)
    expect(stats.talks).toBe(8)
    expect(stats.warnings).toBe(1)
    // The sample post is plain CommonMark: the fast reader reads it itself.
    expect(stats.fallbackReads).toBe(0)
  })

  it('should list the missing date as a warning problem', async () => {
    const result = await data(
      server,
      `{ problems { totalCount nodes { path line column severity code message } }
         errors: problems(severity: ERROR) { totalCount } }`,
    )
    expect(result.problems.totalCount).toBe(1)
    expect(result.problems.nodes[0]).toMatchObject({
      path: 'posts/datayanolja-2020.md',
      line: 1,
      column: 1,
      severity: 'WARNING',
      code: 'missing-date',
    })
    expect(result.errors.totalCount).toBe(0)
  })
})
