import {
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSchema } from '../../src/api/schema.ts'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import type { ContentServer } from '../../src/server/create-server.ts'
import { data, fixtureDir, graphOf, type Json, serverFor } from './request.ts'

// One document that selects every field of every type of the schema. The
// first test checks that claim against the schema, so a field added to the SDL
// fails here until a query (and a resolver) covers it.
const everyField = /* GraphQL */ `
  query EveryField($postId: ID!, $ids: [ID!]!) {
    node(id: $postId) { id ... on Post { slug } }
    nodes(ids: $ids) { id }
    stats { posts talks sections bullets technologies mentions problems errors warnings fallbackReads version }
    problems(first: 5) {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { path line column severity code message } }
      nodes { code }
    }
    post(slug: "data-conference") { ...PostFields }
    posts(first: 5) {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { slug } }
      nodes { slug }
    }
    talks(first: 1, filter: { speaker: "Kim" }) {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { number } }
      nodes { ...TalkFields }
    }
    search(query: "spark", first: 2) {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { score } }
      nodes {
        score
        node {
          __typename
          ... on Post { slug }
          ... on Talk { title }
          ... on Section { title }
          ... on Bullet { text }
        }
        highlights { field snippet ranges { start end } source { ...Source } }
      }
    }
    technology(slug: "kafka") { ...TechnologyFields }
    technologies(first: 2) {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { slug } }
      nodes { slug }
    }
    tags {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { name } }
      nodes { name postCount posts { ...PostPage } }
    }
    categories {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { name } }
      nodes { name postCount posts { ...PostPage } }
    }
  }

  fragment Page on PageInfo { hasNextPage hasPreviousPage startCursor endCursor }

  fragment Source on SourceLocation { path line column endLine endColumn }

  fragment PostPage on PostConnection {
    totalCount
    pageInfo { ...Page }
    edges { cursor node { slug } }
    nodes { slug }
  }

  fragment PostFields on Post {
    id slug title date dateTime tags categories draft excerpt html wordCount readingTimeMinutes
    frontMatter
    source { ...Source }
    talks {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { number } }
      nodes { number }
    }
    sections { id }
    technologies {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { slug } }
      nodes { slug }
    }
  }

  fragment TalkFields on Talk {
    id number title speaker hasNotes html markdown
    group { title number kind }
    post { slug }
    sections { id title depth post { slug } talk { number } bullets { text } source { ...Source } }
    bullets {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { ...BulletFields } }
      nodes { id }
    }
    technologies { slug }
    source { ...Source }
  }

  fragment BulletFields on Bullet {
    id text markdown html depth kind emphasis
    links { url text }
    parent { id }
    children { id }
    post { slug }
    talk { number }
    section { title }
    technologies { slug }
    source { ...Source }
  }

  fragment TechnologyFields on Technology {
    id slug name aliases category homepage isInCatalog mentionCount talkCount
    talks {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { title } }
      nodes { title }
    }
    posts { ...PostPage }
    mentions {
      totalCount
      pageInfo { ...Page }
      edges { cursor node { id } }
      nodes {
        id kind text
        technology { slug }
        post { slug }
        talk { number }
        target {
          __typename
          ... on Talk { id }
          ... on Section { id }
          ... on Bullet { id }
        }
        source { ...Source }
      }
    }
    related { technology { slug } sharedTalks }
  }
`

// Subscription fields, in their own document: the one above is a query.
// test/live/subscription.test.ts receives this selection over SSE.
const everyChangeField = /* GraphQL */ `
  subscription EveryChangeField {
    contentChanged { version added { slug } changed { slug } removed problems { code } }
  }
`

let graph: ContentGraph
let server: ContentServer

beforeAll(async () => {
  graph = await graphOf(fixtureDir)
  server = serverFor(graph)
})

describe('every field of the schema', () => {
  it('should be selected by the every-field document', () => {
    const schema = createSchema()
    const selected = new Set([
      ...selectedFields(schema, everyField),
      ...selectedFields(schema, everyChangeField),
    ])
    const missing = allFields(schema).filter((field) => !selected.has(field))
    expect(missing).toEqual([])
  })

  it('should resolve without errors, with real values', async () => {
    const postId = graph.postBySlug('data-conference')?.id
    const result = await data(server, everyField, { postId, ids: [postId] })

    expect(result.node).toEqual({ id: postId, slug: 'data-conference' })
    expect(result.nodes).toEqual([{ id: postId }])
    expect(result.stats).toEqual({ ...graph.stats, version: graph.version })
    expect(result.search.totalCount).toBeGreaterThan(1)
    const [hit] = result.search.nodes
    expect(hit.score).toBeGreaterThan(0)
    const [highlight] = hit.highlights
    const range = highlight.ranges[0]
    expect(highlight.snippet.slice(range.start, range.end).toLowerCase()).toBe('spark')
    expect(result.problems.totalCount).toBe(2)
    expect(result.problems.edges[0].node.severity).toBe('WARNING')

    const found = result.post
    expect(found).toMatchObject({
      id: postId,
      slug: 'data-conference',
      title: 'Data Conference 2019',
      date: '2019-10-12',
      dateTime: '2019-10-12T05:00:00.000Z',
      draft: false,
      excerpt: 'Notes from the data conference in Seoul.',
      readingTimeMinutes: 1,
      frontMatter: { title: 'Data Conference 2019', tags: ['data', 'spark'] },
      source: { path: '2019-10-12-data-conference.md', line: 1, column: 1 },
      sections: [],
    })
    expect(found.wordCount).toBeGreaterThan(20)
    expect(found.html).toContain('<h2>1. Spark at scale / Kim 님</h2>')
    expect(found.talks.nodes).toEqual([{ number: 1 }, { number: 2 }, { number: 3 }])
    expect(found.talks.edges[2].cursor).toBe(found.talks.pageInfo.endCursor)
    expect(found.technologies.totalCount).toBe(5)

    const talk = result.talks.nodes[0]
    expect(talk).toMatchObject({
      number: 1,
      title: 'Spark at scale',
      speaker: 'Kim',
      hasNotes: true,
      // No heading groups the talks of this post; Talk.group has its own tests.
      group: null,
    })
    expect(talk.bullets.totalCount).toBe(4)
    const bullet = talk.bullets.edges[0].node
    expect(bullet).toMatchObject({ text: 'Using Spark with Kafka', kind: 'ITEM', depth: 0 })
    expect(bullet.children).toEqual([{ id: talk.bullets.edges[1].node.id }])
    expect(talk.bullets.edges[1].node.parent).toEqual({ id: bullet.id })

    const kafka = result.technology
    expect(kafka).toMatchObject({
      slug: 'kafka',
      name: 'Kafka',
      category: 'DATA',
      isInCatalog: true,
      mentionCount: 2,
      talkCount: 1,
    })
    expect(kafka.homepage).toMatch(/^https:\/\/kafka\.apache\.org/)
    expect(kafka.talks.nodes).toEqual([{ title: 'Spark at scale' }])
    expect(kafka.posts.nodes).toEqual([{ slug: 'data-conference' }, { slug: 'alpha-notes' }])
    expect(kafka.mentions.nodes.map((mention: Json) => mention.target.__typename)).toEqual([
      'Bullet',
      'Bullet',
    ])
    expect(kafka.related.map((entry: Json) => entry.technology.slug)).toEqual([
      'kubernetes',
      'spark',
    ])

    expect(result.technologies.nodes).toEqual([{ slug: 'spark' }, { slug: 'airflow' }])
    expect(result.tags.nodes[0]).toMatchObject({ name: 'data', postCount: 2 })
    expect(result.categories.totalCount).toBe(2)
  })
})

/** Every `Type.field` of the object and interface types, introspection aside. */
function allFields(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) =>
      isObjectType(type) || isInterfaceType(type)
        ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`)
        : [],
    )
    .sort()
}

/** The `Type.field` pairs a document selects, through fragments too. */
function selectedFields(schema: GraphQLSchema, source: string): Set<string> {
  const typeInfo = new TypeInfo(schema)
  const selected = new Set<string>()
  visit(
    parse(source),
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType()
        const field = typeInfo.getFieldDef()
        if (parent && field) selected.add(`${parent.name}.${field.name}`)
      },
    }),
  )
  return selected
}
