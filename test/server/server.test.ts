import { parse, validate } from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import {
  createContentServer,
  createYogaForStore,
  type YogaOptions,
} from '../../src/server/create-server.ts'
import { defaultQuery } from '../../src/server/graphiql.ts'
import { listen } from '../../src/server/listen.ts'
import { createGraphStore, type GraphStore } from '../../src/server/store.ts'
import { fixtureDir, graphOf, sampleDir } from '../api/request.ts'

let sample: ContentGraph
let fixture: ContentGraph

beforeAll(async () => {
  ;[sample, fixture] = await Promise.all([graphOf(sampleDir), graphOf(fixtureDir)])
})

const quiet: YogaOptions = { logging: false }
const statsQuery = JSON.stringify({ query: '{ stats { posts version } }' })

function postJson(
  yoga: { fetch: (url: string, init: RequestInit) => Promise<Response> | Response },
  body: string,
  headers: Record<string, string> = {},
) {
  return yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
}

describe('health and readiness', () => {
  it('should answer /health with 200 {status: "ok"}, loaded or not', async () => {
    const yoga = createYogaForStore(createGraphStore(), quiet)
    const response = await yoga.fetch('http://yoga/health')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('should answer /ready with 503 and refuse GraphQL with NOT_READY until a graph is in', async () => {
    const store = createGraphStore()
    const yoga = createYogaForStore(store, quiet)
    const ready = await yoga.fetch('http://yoga/ready')
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'loading' })
    const refused = await postJson(yoga, statsQuery)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    const body = (await refused.json()) as { errors: { extensions: { code: string } }[] }
    expect(body.errors[0]?.extensions.code).toBe('NOT_READY')

    store.replace(sample)
    const now = await yoga.fetch('http://yoga/ready')
    expect(now.status).toBe(200)
    expect(await now.json()).toEqual({ status: 'ready', version: sample.version })
    const answered = await postJson(yoga, statsQuery)
    expect(await answered.json()).toEqual({
      data: { stats: { posts: 1, version: sample.version } },
    })
  })

  it('should read a content folder after returning, then be ready', async () => {
    const server = createContentServer({ contentDir: fixtureDir, ...quiet })
    expect(server.store.current()).toBeUndefined()
    const graph = await server.ready
    expect(server.store.current()).toBe(graph)
    expect(graph.stats.posts).toBe(3)
    expect((await server.yoga.fetch('http://yoga/ready')).status).toBe(200)
  })
})

describe('snapshots', () => {
  it('should serve a replaced graph to the next request', async () => {
    const server = createContentServer({ graph: sample, ...quiet })
    const before = (await (await postJson(server.yoga, statsQuery)).json()) as { data: unknown }
    server.store.replace(fixture)
    const after = (await (await postJson(server.yoga, statsQuery)).json()) as { data: unknown }
    expect(before.data).toEqual({ stats: { posts: 1, version: sample.version } })
    expect(after.data).toEqual({ stats: { posts: 3, version: fixture.version } })
    expect(sample.version).not.toBe(fixture.version)
  })

  it('should read the store once per request, so one request sees one snapshot', async () => {
    let reads = 0
    const store: GraphStore = {
      current: () => {
        reads++
        // Swap on every read: a request that read twice would mix snapshots.
        return reads % 2 === 1 ? sample : fixture
      },
      replace: () => {},
    }
    const yoga = createYogaForStore(store, quiet)
    const response = await postJson(
      yoga,
      JSON.stringify({
        query: '{ a: stats { posts } b: posts { totalCount } c: stats { version } }',
      }),
    )
    expect(await response.json()).toEqual({
      data: { a: { posts: 1 }, b: { totalCount: 1 }, c: { version: sample.version } },
    })
    expect(reads).toBe(1)
  })
})

describe('HTTP', () => {
  it('should answer GET and POST per GraphQL over HTTP', async () => {
    const { yoga } = createContentServer({ graph: sample, ...quiet })
    const query = '{ technology(slug: "spark") { talks { nodes { number } } } }'
    const expected = { data: { technology: { talks: { nodes: [{ number: 1 }, { number: 3 }] } } } }
    const get = await yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'application/graphql-response+json' },
    })
    expect(get.status).toBe(200)
    expect(get.headers.get('content-type')).toContain('application/graphql-response+json')
    expect(await get.json()).toEqual(expected)
    const post = await postJson(yoga, JSON.stringify({ query }))
    expect(await post.json()).toEqual(expected)
  })

  it('should serve GraphiQL titled content-graph, opened on the example queries', async () => {
    const { yoga } = createContentServer({ graph: sample, ...quiet })
    const response = await yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.toLowerCase()).toContain('graphiql')
    expect(html).toContain('<title>content-graph</title>')
    expect(html).toContain('TalksAboutSpark')
    expect(html).toContain('TechnologiesAndTheirTalks')
  })

  it('should not serve GraphiQL when turned off', async () => {
    const { yoga } = createContentServer({ graph: sample, graphiql: false, ...quiet })
    const response = await yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } })
    expect(await response.text()).not.toContain('TalksAboutSpark')
  })

  it('should open GraphiQL on a query that is valid and answers the questions', async () => {
    const { schema, yoga } = createContentServer({ graph: sample, ...quiet })
    expect(validate(schema, parse(defaultQuery))).toEqual([])
    const response = await postJson(
      yoga,
      JSON.stringify({ query: defaultQuery, operationName: 'TalksAboutSpark' }),
    )
    const body = (await response.json()) as { data: { talks: { totalCount: number } } }
    expect(body.data.talks.totalCount).toBe(2)
  })

  it('should allow any origin by default, and only the given ones when configured', async () => {
    const preflight = {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    }
    const open = createContentServer({ graph: sample, ...quiet }).yoga
    const allowed = await open.fetch('http://yoga/graphql', preflight)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')

    const strict = createContentServer({
      graph: sample,
      cors: { origin: ['https://blog.example'] },
      ...quiet,
    }).yoga
    const refused = await strict.fetch('http://yoga/graphql', preflight)
    expect(refused.headers.get('access-control-allow-origin')).not.toBe('http://localhost:5173')
    const listed = await strict.fetch('http://yoga/graphql', {
      ...preflight,
      headers: { ...preflight.headers, origin: 'https://blog.example' },
    })
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://blog.example')

    const none = createContentServer({ graph: sample, cors: false, ...quiet }).yoga
    const post = await postJson(none, statsQuery, { origin: 'http://localhost:5173' })
    expect(post.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('should mask unexpected errors unless told not to, but never coded ones', async () => {
    // A graph whose talks point at posts it does not have: a bug, not bad input.
    const broken: ContentGraph = { ...sample, post: () => undefined }
    const query = JSON.stringify({ query: '{ talks(first: 1) { nodes { post { slug } } } }' })
    type Body = { errors: { message: string; extensions?: { code?: string } }[] }

    const masked = createContentServer({ graph: broken, ...quiet }).yoga
    const hidden = (await (await postJson(masked, query)).json()) as Body
    expect(hidden.errors[0]?.message).toBe('Unexpected error.')

    const open = createContentServer({ graph: broken, maskedErrors: false, ...quiet }).yoga
    const shown = (await (await postJson(open, query)).json()) as Body
    expect(shown.errors[0]?.message).toContain('the graph has no post with id')

    const limit = (await (
      await postJson(masked, JSON.stringify({ query: '{ talks(first: 500) { totalCount } }' }))
    ).json()) as Body
    expect(limit.errors[0]?.extensions?.code).toBe('PAGINATION_LIMIT')
  })
})

describe('listen', () => {
  it('should listen on a free port, answer over HTTP and close', async () => {
    const server = createContentServer({ graph: sample, ...quiet })
    const listening = await listen(server, { port: 0, host: '127.0.0.1' })
    try {
      expect(listening.port).toBeGreaterThan(0)
      expect(listening.url).toBe(`http://127.0.0.1:${listening.port}/graphql`)
      const response = await fetch(listening.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: statsQuery,
      })
      expect(await response.json()).toEqual({
        data: { stats: { posts: 1, version: sample.version } },
      })
    } finally {
      await listening.close()
    }
    await expect(fetch(listening.url)).rejects.toThrow()
  })

  it('should reject when the port is taken', async () => {
    const server = createContentServer({ graph: sample, ...quiet })
    const first = await listen(server, { port: 0, host: '127.0.0.1' })
    try {
      await expect(listen(server, { port: first.port, host: '127.0.0.1' })).rejects.toThrow(
        /EADDRINUSE/,
      )
    } finally {
      await first.close()
    }
  })
})
