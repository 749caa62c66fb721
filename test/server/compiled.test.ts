/**
 * Compiled execution (graphql-jit) and the compiled path before yoga: the
 * same answers, errors, codes and headers as graphql-js through yoga, and
 * every protection still in force.
 */
import { once } from 'node:events'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { execute, parse, validate } from 'graphql'
import { createPubSub } from 'graphql-yoga'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSchema } from '../../src/api/schema.ts'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import {
  type ContentServer,
  createContentServer,
  type YogaOptions,
} from '../../src/server/create-server.ts'
import { createCompiledDocuments } from '../../src/server/jit.ts'
import { type Listening, listen } from '../../src/server/listen.ts'
import { fixtureDir, graphOf, sampleDir } from '../api/request.ts'

let sample: ContentGraph
let fixture: ContentGraph

beforeAll(async () => {
  ;[sample, fixture] = await Promise.all([graphOf(sampleDir), graphOf(fixtureDir)])
})

/** Real queries, with variables: lists, filters, orders, fragments, search, nodes, errors. */
const queries: readonly { query: string; variables?: Record<string, unknown> }[] = [
  { query: '{ stats { posts talks sections bullets technologies mentions problems version } }' },
  {
    query: '{ technology(slug: "spark") { talks { nodes { number title post { title } } } } }',
  },
  {
    query:
      '{ talks(first: 20) { nodes { title speaker bullets(first: 10) { nodes { text depth } } } } }',
  },
  {
    query:
      '{ technologies(first: 50) { nodes { name mentionCount related(first: 3) { technology { name } sharedTalks } } } }',
  },
  {
    query: `query Posts($first: Int, $order: PostOrderField!, $direction: OrderDirection!) {
      posts(first: $first, orderBy: { field: $order, direction: $direction }) {
        totalCount pageInfo { ...Page }
        edges { cursor node { id slug title date dateTime tags categories draft wordCount readingTimeMinutes frontMatter
          excerpt excerptMarkdown: excerpt(format: MARKDOWN) excerptHtml: excerpt(format: HTML)
          source { ...Source } sections { id title } technologies(first: 3) { nodes { slug } } } }
      }
    }
    fragment Page on PageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    fragment Source on SourceLocation { path line column endLine endColumn }`,
    variables: { first: 5, order: 'TITLE', direction: 'ASC' },
  },
  {
    query: `query Talks($tech: String, $after: String) {
      talks(first: 3, after: $after, filter: { technology: $tech }, orderBy: { field: NUMBER, direction: DESC }) {
        totalCount pageInfo { endCursor hasNextPage }
        nodes { id number title speaker hasNotes markdown html group { title number kind }
          sections { id title depth post { slug } talk { number } bullets { text } }
          bullets(first: 5, kind: ITEM) { totalCount nodes { id text markdown html depth kind emphasis
            links { url text } parent { id } children { id } talk { number } section { title }
            technologies { slug } source { path line column } } }
          technologies { slug name } }
      }
    }`,
    variables: { tech: 'kafka' },
  },
  {
    query: `{ technologies(first: 10, orderBy: { field: NAME, direction: ASC }, filter: { minMentions: 1 }) {
      nodes { id slug name aliases category homepage isInCatalog mentionCount talkCount
        posts(first: 2) { nodes { slug } }
        mentions(first: 3) { totalCount nodes { id kind text post { slug } talk { number }
          target { __typename ... on Talk { id } ... on Section { id } ... on Bullet { id } } } } } } }`,
  },
  {
    query: `query Search($q: String!) { search(query: $q, first: 5) { totalCount
      nodes { score node { __typename ... on Post { slug } ... on Talk { title } ... on Section { title } ... on Bullet { text } }
        highlights { field snippet ranges { start end } } } } }`,
    variables: { q: 'spark' },
  },
  {
    query: `{ tags { totalCount nodes { name postCount posts { nodes { slug } } } }
      categories { nodes { name postCount posts(orderBy: { field: SLUG, direction: DESC }) { nodes { slug } } } }
      problems(first: 5) { totalCount nodes { path line column severity code message } } }`,
  },
  {
    query: `query Skip($with: Boolean!) { posts(first: 2) { nodes { slug title @include(if: $with) a: title @skip(if: $with) } } }`,
    variables: { with: false },
  },
  // Errors: a cursor that is not one, a page past the limit, a missing node.
  { query: '{ talks(after: "nope") { totalCount } }' },
  { query: 'query($n: Int) { posts(first: $n) { totalCount } }', variables: { n: 101 } },
  { query: 'query($n: Int) { posts(first: $n) { totalCount } }', variables: { n: 'ten' } },
  { query: '{ node(id: "bm9wZTox") { id } post(slug: "no-such-post") { slug } }' },
]

describe('compiled execution', () => {
  it('should give the same result as graphql-js for every real query', () => {
    const schema = createSchema()
    const documents = createCompiledDocuments(schema)
    for (const graph of [sample, fixture]) {
      const contextValue = { graph, changes: createPubSub() }
      for (const { query, variables } of queries) {
        const document = parse(query)
        expect(validate(schema, document)).toEqual([])
        const compiled = documents.get(document)
        expect(compiled, query).toBeDefined()
        const expected = JSON.parse(
          JSON.stringify(execute({ schema, document, contextValue, variableValues: variables })),
        )
        // Variables graphql-js refuses are never given to the compiled form.
        if (!documents.acceptsVariables(compiled as NonNullable<typeof compiled>, variables)) {
          expect(expected.errors?.length).toBeGreaterThan(0)
          continue
        }
        const result = JSON.parse(
          JSON.stringify(compiled?.query(undefined, contextValue, variables ?? {})),
        )
        // Runs with errors are run again by graphql-js; clean runs must match it exactly.
        if (expected.errors) expect(result.errors?.length ?? 0, query).toBeGreaterThan(0)
        else expect(result, query).toEqual(expected)
      }
    }
  })

  it('should answer every query through yoga exactly as without it', async () => {
    for (const graph of [sample, fixture]) {
      const compiled = createContentServer({ graph, logging: false })
      const plain = createContentServer({ graph, logging: false, compiledExecution: false })
      for (const { query, variables } of queries) {
        for (const accept of ['application/graphql-response+json', 'application/json']) {
          const send = (server: ContentServer) =>
            server.yoga.fetch('http://yoga/graphql', {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept },
              body: JSON.stringify({ query, variables }),
            })
          const [a, b] = await Promise.all([send(compiled), send(plain)])
          expect(a.status, query).toBe(b.status)
          expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'))
          // Compared as values: yoga's executor writes a field that waited on
          // a promise (an `html` rendered in a worker) after the others, where
          // graphql-jit keeps the query's order.
          expect(JSON.parse(await a.text()), query).toStrictEqual(JSON.parse(await b.text()))
        }
      }
    }
  })
})

let open: Listening[] = []

afterEach(async () => {
  await Promise.all(open.map((listening) => listening.close()))
  open = []
})

/** A listening server with the response cache off (so the compiled path is on). */
async function start(
  graph: ContentGraph,
  options: YogaOptions = {},
): Promise<{ server: ContentServer; listening: Listening }> {
  const server = createContentServer({ graph, logging: false, responseCache: false, ...options })
  const listening = await listen(server, { port: 0, host: '127.0.0.1' })
  open.push(listening)
  return { server, listening }
}

/** An answer as sent: status, headers (without `Date`), body. */
interface Raw {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

async function post(
  listening: Listening,
  body: string,
  headers: Record<string, string> = {},
): Promise<Raw> {
  const request = httpRequest({
    host: '127.0.0.1',
    port: listening.port,
    method: 'POST',
    path: '/graphql',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...headers,
      'content-length': Buffer.byteLength(body),
    },
  })
  request.end(body)
  const [response] = (await once(request, 'response')) as [IncomingMessage]
  const chunks: Buffer[] = []
  for await (const chunk of response) chunks.push(chunk as Buffer)
  const { date: _, ...rest } = response.headers as Record<string, string>
  return { status: response.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks).toString() }
}

const json = (query: string, variables?: Record<string, unknown>) =>
  JSON.stringify({ query, variables })

describe('the compiled path', () => {
  it('should answer a query yoga has run with the same status, headers and bytes', async () => {
    const plain = await start(fixture, { compiledExecution: false })
    const { server, listening } = await start(fixture)
    expect(plain.server.compiledPath).toBeUndefined()
    for (const { query, variables } of queries) {
      for (const headers of [
        {},
        { origin: 'http://localhost:3000' },
        { accept: 'application/json' },
        { 'accept-encoding': 'gzip, br' },
      ]) {
        const expected = await post(plain.listening, json(query, variables), headers)
        // The first request teaches the path; the second is answered by it.
        for (let round = 0; round < 2; round++) {
          expect(await post(listening, json(query, variables), headers), query).toEqual(expected)
        }
      }
    }
    const stats = server.compiledPath?.stats()
    expect(stats?.answered).toBeGreaterThan(20)
    expect(stats?.documents).toBeGreaterThan(5)
  })

  it('should not be on with the response cache, nor with only persisted documents', () => {
    expect(createContentServer({ graph: sample, logging: false }).compiledPath).toBeUndefined()
    expect(
      createContentServer({
        graph: sample,
        logging: false,
        responseCache: false,
        compiledExecution: false,
      }).compiledPath,
    ).toBeUndefined()
  })

  const page =
    'query($n: Int) { talks(first: $n) { nodes { title bullets(first: 50) { nodes { text } } } } }'

  it('should still refuse an operation over the cost limit', async () => {
    const { server, listening } = await start(sample, { maxCost: 200 })
    expect((await post(listening, json(page, { n: 1 }))).status).toBe(200)
    expect((await post(listening, json(page, { n: 1 }))).status).toBe(200)
    const answered = server.compiledPath?.stats().answered
    expect(answered).toBe(1)
    const refused = await post(listening, json(page, { n: 10 }))
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.body).errors[0].extensions).toEqual({
      code: 'COST_LIMIT',
      limit: 200,
    })
    expect(server.compiledPath?.stats().answered).toBe(answered)
  })

  it('should still refuse variables over their limits and pages over 100', async () => {
    const { server, listening } = await start(sample, { maxVariablesValues: 3 })
    const query =
      'query($n: Int, $ids: [ID!]!) { posts(first: $n) { totalCount } nodes(ids: $ids) { id } }'
    expect((await post(listening, json(query, { n: 1, ids: [] }))).status).toBe(200)
    expect((await post(listening, json(query, { n: 1, ids: [] }))).status).toBe(200)
    expect(server.compiledPath?.stats().answered).toBe(1)
    const many = await post(listening, json(query, { n: 1, ids: ['a', 'b'] }))
    expect(JSON.parse(many.body).errors[0].extensions.code).toBe('VARIABLES_LIMIT')
    const big = await post(listening, json(query, { n: 101, ids: [] }))
    expect(JSON.parse(big.body).errors[0].extensions.code).toBe('PAGINATION_LIMIT')
  })

  it('should still refuse a document nested past the depth limit, every time', async () => {
    const { server, listening } = await start(sample, { maxDepth: 2 })
    const deep = '{ talks { nodes { post { title } } } }'
    for (let round = 0; round < 2; round++) {
      const refused = await post(listening, json(deep))
      expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('DEPTH_LIMIT')
    }
    expect(server.compiledPath?.stats()).toMatchObject({ answered: 0, documents: 0 })
  })

  it('should still refuse a body over its limit and a cross-site form post', async () => {
    const { listening } = await start(sample, { maxBodyBytes: 200 })
    const query = '{ stats { posts } }'
    await post(listening, json(query))
    expect((await post(listening, json(query))).status).toBe(200)
    const padded = JSON.stringify({ query, variables: { pad: 'x'.repeat(300) } })
    expect((await post(listening, padded)).status).toBe(413)
    const form = await post(listening, `query=${encodeURIComponent(query)}`, {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(form.status).toBe(403)
    expect(JSON.parse(form.body).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED')
  })

  it('should still mask an unexpected error of a resolver', async () => {
    let broken = false
    const graph: ContentGraph = {
      ...sample,
      technologyByName: (name) => {
        if (broken) throw new Error('secret detail')
        return sample.technologyByName(name)
      },
    }
    const { server, listening } = await start(graph)
    const query = '{ technology(slug: "spark") { name } }'
    await post(listening, json(query))
    expect(JSON.parse((await post(listening, json(query))).body)).toEqual({
      data: { technology: { name: 'Spark' } },
    })
    expect(server.compiledPath?.stats().answered).toBe(1)
    broken = true
    const masked = await post(listening, json(query))
    expect(masked.body).not.toContain('secret')
    expect(JSON.parse(masked.body).errors[0].message).toBe('Unexpected error.')
  })

  it('should stop a compiled run past its time budget with TIMEOUT, and forget it', async () => {
    let slow = false
    const graph: ContentGraph = {
      ...sample,
      technologyByName: (name) => {
        const until = performance.now() + (slow ? 100 : 0)
        while (performance.now() < until) {
          // Busy: a synchronous resolver gives a timer no chance to fire.
        }
        return sample.technologyByName(name)
      },
    }
    const { server, listening } = await start(graph, { executionTimeoutMs: 250 })
    const lookups = `{ ${Array.from({ length: 10 }, (_, i) => `t${i}: technology(slug: "spark") { name }`).join(' ')} }`
    await post(listening, json(lookups))
    expect((await post(listening, json(lookups))).status).toBe(200)
    expect(server.compiledPath?.stats()).toMatchObject({ answered: 1, documents: 1 })
    slow = true
    const started = performance.now()
    const stopped = await post(listening, json(lookups))
    // Stopped here after 250 ms, then by yoga after 250 ms more.
    expect(performance.now() - started).toBeLessThan(3000)
    expect(stopped.status).toBe(400)
    expect(JSON.parse(stopped.body)).toEqual({
      errors: [
        {
          message: 'The query ran longer than 250 ms and was stopped: ask for less at a time',
          extensions: { code: 'TIMEOUT', limit: 250 },
        },
      ],
    })
    expect(server.compiledPath?.stats()).toMatchObject({ answered: 1, documents: 0 })
  })

  it('should stop a compiled run through yoga past its time budget with TIMEOUT', async () => {
    const graph: ContentGraph = {
      ...sample,
      technologyByName: (name) => {
        const until = performance.now() + 100
        while (performance.now() < until) {
          // Busy, as above.
        }
        return sample.technologyByName(name)
      },
    }
    const { yoga } = createContentServer({ graph, executionTimeoutMs: 250, logging: false })
    const lookups = `{ ${Array.from({ length: 10 }, (_, i) => `t${i}: technology(slug: "spark") { name }`).join(' ')} }`
    const started = performance.now()
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json(lookups),
    })
    expect(performance.now() - started).toBeLessThan(1500)
    expect((await response.json()).errors[0].extensions.code).toBe('TIMEOUT')
  })
})
