/**
 * Hostile and broken requests, through `yoga.fetch`: batches, oversized and
 * malformed bodies, unexpected errors, cross-site requests and slow
 * resolvers. Each gets an error with a code and the server goes on serving.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { defaultQuery } from '../../src/server/graphiql.ts'
import { csrfHeaders } from '../../src/server/security/index.ts'
import { graphOf, sampleDir } from '../api/request.ts'
import { expectServing, graphqlResponse, query, send } from './helpers.ts'

let graph: ContentGraph
let server: ContentServer

beforeAll(async () => {
  graph = await graphOf(sampleDir)
  server = createContentServer({ graph, logging: false })
})

afterEach(() => {
  vi.unstubAllEnvs()
})

const stats = JSON.stringify({ query: '{ stats { posts } }' })

describe('batching', () => {
  it('should refuse a batch of operations by default, with a code', async () => {
    for (const accept of [graphqlResponse, 'application/json']) {
      const batch = await send(server.yoga, { headers: { accept }, body: `[${stats}, ${stats}]` })
      expect(batch.status).toBe(400)
      expect(batch.body.errors[0].extensions.code).toBe('BAD_REQUEST')
      expect(batch.body.errors[0].message).toBe('Batching is not supported.')
    }
    await expectServing(server.yoga)
  })

  it('should run a batch when turned on, up to its limit', async () => {
    const batching = createContentServer({ graph, batching: { limit: 2 }, logging: false })
    const two = await send(batching.yoga, { body: `[${stats}, ${stats}]` })
    expect(two.body).toEqual([{ data: { stats: { posts: 1 } } }, { data: { stats: { posts: 1 } } }])
    const three = await send(batching.yoga, { body: `[${stats}, ${stats}, ${stats}]` })
    expect(three.status).toBe(413)
  })
})

describe('request bodies', () => {
  /** A valid request padded to about `bytes` with a long variable. */
  const padded = (bytes: number) =>
    JSON.stringify({ query: '{ stats { posts } }', variables: { pad: 'x'.repeat(bytes) } })

  it('should refuse a body over 1 MB with 413, by its Content-Length', async () => {
    expect((await send(server.yoga, { body: padded(900_000) })).status).toBe(200)
    for (const accept of [graphqlResponse, 'application/json']) {
      const big = await send(server.yoga, { headers: { accept }, body: padded(1_000_001) })
      expect(big.status).toBe(413)
      expect(big.body.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE')
    }
    await expectServing(server.yoga)
  })

  it('should refuse a streamed body without Content-Length once it passes the limit', async () => {
    const chunk = new TextEncoder().encode(padded(300_000))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // A JSON body that never ends: only the byte count can stop it.
        sent += chunk.byteLength
        controller.enqueue(chunk)
        if (sent > 50_000_000) controller.close()
      },
    })
    const response = await server.yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(sent).toBeLessThan(5_000_000)
    await expectServing(server.yoga)
  })

  it('should take another limit from the options', async () => {
    const small = createContentServer({ graph, maxBodyBytes: 1000, logging: false })
    expect((await send(small.yoga, { body: padded(800) })).status).toBe(200)
    expect((await send(small.yoga, { body: padded(1000) })).status).toBe(413)
  })

  it('should answer malformed JSON with 400, without echoing the body', async () => {
    const secret = 'hunter2-SECRET-do-not-echo'
    const broken = `{"query": "{ stats { posts } }", "password": "${secret}"`
    for (const accept of [graphqlResponse, 'application/json']) {
      const response = await send(server.yoga, { headers: { accept }, body: broken })
      expect(response.status).toBe(400)
      expect(response.text).not.toContain(secret)
      expect(response.text).not.toContain('password')
      expect(response.body).toEqual({
        errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      })
    }
    await expectServing(server.yoga)
  })
})

describe('unexpected errors', () => {
  /** A graph whose lookup fails as a bug would, with details no client should see. */
  const failing = (): ContentGraph => ({
    ...graph,
    technologyByName: () => {
      throw new Error('ENOENT: /srv/secret/catalog.yml at line 3')
    },
  })

  it('should mask them in production: "Unexpected error.", no message, no stack', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { yoga } = createContentServer({ graph: failing(), logging: false })
    const response = await query(yoga, '{ technology(slug: "spark") { name } }')
    expect(response.status).toBe(200)
    expect(response.body.data).toEqual({ technology: null })
    expect(response.body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 3 }],
        path: ['technology'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ])
    expect(response.text).not.toMatch(/secret|ENOENT|stack|at line/)
    await expectServing(yoga)
  })

  it('should mask them by default outside development too', async () => {
    vi.stubEnv('NODE_ENV', '')
    const { yoga } = createContentServer({ graph: failing(), logging: false })
    const response = await query(yoga, '{ technology(slug: "spark") { name } }')
    expect(response.body.errors[0].message).toBe('Unexpected error.')
    expect(response.text).not.toMatch(/secret|stack/)
  })
})

describe('cross-site requests', () => {
  const form = 'query=%7B%20stats%20%7B%20posts%20%7D%20%7D'

  it('should refuse a form or text POST that a browser sends without preflight', async () => {
    for (const contentType of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await send(server.yoga, {
        headers: { 'content-type': contentType },
        body: contentType === 'text/plain' ? stats : form,
      })
      expect(response.status, contentType).toBe(403)
      expect(response.body.errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED')
    }
    await expectServing(server.yoga)
  })

  it('should take a form POST that names a CSRF header', async () => {
    for (const header of csrfHeaders) {
      const response = await send(server.yoga, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', [header]: '1' },
        body: form,
      })
      expect(response.body).toEqual({ data: { stats: { posts: 1 } } })
    }
  })

  it('should take JSON POSTs as GraphiQL sends them, and plain GETs', async () => {
    const page = await server.yoga.fetch('http://yoga/graphql', {
      headers: { accept: 'text/html' },
    })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('TalksAboutSpark')
    // GraphiQL's fetcher: a JSON POST, which browsers preflight.
    const graphiql = await send(server.yoga, {
      headers: {
        accept: 'application/graphql-response+json, application/json, multipart/mixed',
        origin: 'http://localhost:4000',
      },
      body: JSON.stringify({ query: defaultQuery, operationName: 'TalksAboutSpark' }),
    })
    expect(graphiql.status).toBe(200)
    expect(graphiql.body.data.talks.totalCount).toBe(2)
    const get = await server.yoga.fetch(
      `http://yoga/graphql?query=${encodeURIComponent('{ stats { posts } }')}`,
    )
    expect(await get.json()).toEqual({ data: { stats: { posts: 1 } } })
  })

  it('should take every POST when turned off', async () => {
    const open = createContentServer({ graph, csrfPrevention: false, logging: false })
    const response = await send(open.yoga, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    })
    expect(response.body).toEqual({ data: { stats: { posts: 1 } } })
  })
})

describe('execution time', () => {
  /** A graph whose every lookup takes 100 ms of CPU, as a runaway resolver would. */
  const slow = (): ContentGraph => ({
    ...graph,
    technologyByName: (name) => {
      const until = performance.now() + 100
      while (performance.now() < until) {
        // Busy: a synchronous resolver gives a timer no chance to fire.
      }
      return graph.technologyByName(name)
    },
  })
  const lookups = `{ ${Array.from({ length: 10 }, (_, i) => `t${i}: technology(slug: "spark") { name }`).join(' ')} }`

  it('should stop an execution past its time budget with TIMEOUT', async () => {
    const { yoga } = createContentServer({ graph: slow(), executionTimeoutMs: 250, logging: false })
    for (const [accept, status] of [
      [graphqlResponse, 400],
      ['application/json', 200],
    ] as const) {
      const started = performance.now()
      const response = await query(yoga, lookups, { accept })
      expect(performance.now() - started).toBeLessThan(1000)
      expect(response.status).toBe(status)
      expect(response.body.errors).toEqual([
        {
          message: 'The query ran longer than 250 ms and was stopped: ask for less at a time',
          extensions: { code: 'TIMEOUT', limit: 250 },
        },
      ])
    }
    await expectServing(yoga)
  })

  it('should let an execution within its budget finish', async () => {
    const { yoga } = createContentServer({
      graph: slow(),
      executionTimeoutMs: 5000,
      logging: false,
    })
    const response = await query(yoga, '{ a: technology(slug: "spark") { name } }')
    expect(response.body).toEqual({ data: { a: { name: 'Spark' } } })
  })
})
