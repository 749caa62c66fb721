/**
 * HTTP caching: ETags and 304 for GET queries, and a response cache that a
 * content change invalidates. The live cases run against a started watching
 * server; the option cases use `yoga.fetch`.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { createContentServer, type YogaOptions } from '../../src/server/create-server.ts'
import { fixtureDir, graphOf } from '../api/request.ts'
import { eventually, type LiveServer, postText, startLive } from './helpers.ts'

let live: LiveServer | undefined

afterEach(async () => {
  await live?.close()
  live = undefined
})

const json = 'application/graphql-response+json'
const titleQuery = '{ post(slug: "a") { title } }'

/** GET a query, optionally revalidating an ETag. */
function get(url: string, query: string, etag?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: json }
  if (etag) headers['if-none-match'] = etag
  return fetch(`${url}?query=${encodeURIComponent(query)}`, { headers })
}

/** POST a query. */
function post(url: string, query: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { accept: json, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  })
}

describe('ETags', () => {
  it('should give a GET query an ETag and Cache-Control, and answer If-None-Match with 304', async () => {
    live = await startLive({ 'a.md': postText('A') })
    const first = await get(live.url, titleQuery)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ data: { post: { title: 'A' } } })
    const etag = first.headers.get('etag')
    // fetch accepts gzip and brotli: the ETag of an encoded answer is weak.
    expect(etag).toMatch(/^W\/"[\w-]+"$/)
    expect(first.headers.get('cache-control')).toBe('no-cache')

    const again = await get(live.url, titleQuery)
    expect(again.headers.get('etag')).toBe(etag)
    await again.body?.cancel()

    const revalidated = await get(live.url, titleQuery, etag ?? '')
    expect(revalidated.status).toBe(304)
    expect(revalidated.headers.get('etag')).toBe(etag)
    expect(await revalidated.text()).toBe('')

    // Another query, or other variables, is another ETag.
    const other = await get(live.url, '{ post(slug: "a") { slug } }', etag ?? '')
    expect(other.status).toBe(200)
    expect(other.headers.get('etag')).not.toBe(etag)
    await other.body?.cancel()
  })

  it('should send new data and a new ETag for the same GET after a file edit', async () => {
    live = await startLive({ 'a.md': postText('A'), 'b.md': postText('B') })
    const before = await get(live.url, titleQuery)
    const etag = before.headers.get('etag') ?? ''
    await before.body?.cancel()

    await live.write('a.md', postText('A edited'))
    const server = live
    const after = await eventually(
      async () => {
        const response = await get(server.url, titleQuery, etag)
        return {
          status: response.status,
          etag: response.headers.get('etag'),
          body: await response.text(),
        }
      },
      (response) => response.status === 200,
    )
    expect(JSON.parse(after.body)).toEqual({ data: { post: { title: 'A edited' } } })
    expect(after.etag).not.toBe(etag)
    expect((await get(live.url, titleQuery, after.etag ?? '')).status).toBe(304)
  })

  it('should give POST responses no ETag (HTTP caches do not keep them)', async () => {
    live = await startLive({ 'a.md': postText('A') })
    const response = await post(live.url, titleQuery)
    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).toBeNull()
    expect(response.headers.get('cache-control')).toBeNull()
    await response.body?.cancel()
  })
})

describe('the response cache', () => {
  it('should serve the stored bytes of a repeat, and never stale content after a change', async () => {
    live = await startLive({ 'a.md': postText('A'), 'b.md': postText('B') })
    const query = '{ post(slug: "a") { title } stats { errors } }'
    const first = await post(live.url, query)
    expect(first.headers.get('x-cache')).toBe('MISS')
    const firstBody = await first.text()
    const second = await post(live.url, query)
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'))
    expect(await second.text()).toBe(firstBody)

    // An edit: the very next answer that differs is complete and current.
    await live.write('a.md', postText('A edited'))
    const server = live
    const seen = new Set<string>()
    await eventually(
      async () => {
        const body = await (await post(server.url, query)).text()
        seen.add(body)
        return body
      },
      (body) => body.includes('A edited'),
    )
    expect([...seen].sort()).toEqual(
      [firstBody, '{"data":{"post":{"title":"A edited"},"stats":{"errors":0}}}'].sort(),
    )

    // A broken save keeps the post and its version but changes the problems:
    // still new content, so still a new answer.
    await live.write('a.md', '---\ntitle: A\ntags: [x]]\n---\n- broken\n')
    const broken = await eventually(
      async () => (await post(server.url, query)).json() as Promise<{ data: { stats: unknown } }>,
      (body) => JSON.stringify(body.data.stats) === '{"errors":1}',
    )
    expect(broken).toEqual({ data: { post: { title: 'A edited' }, stats: { errors: 1 } } })
  })
})

describe('caching options', () => {
  let graph: ContentGraph
  beforeAll(async () => {
    graph = await graphOf(fixtureDir)
  })

  const yogaWith = (options: YogaOptions) =>
    createContentServer({ graph, logging: false, ...options }).yoga
  const getIn = (yoga: ReturnType<typeof yogaWith>, query: string, accept = json) =>
    yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent(query)}`, { headers: { accept } })

  it('should send the configured Cache-Control', async () => {
    const yoga = yogaWith({ cacheControl: 'public, max-age=60' })
    const response = await getIn(yoga, '{ stats { posts } }')
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    const revalidated = await yoga.fetch(
      `http://yoga/graphql?query=${encodeURIComponent('{ stats { posts } }')}`,
      { headers: { accept: json, 'if-none-match': response.headers.get('etag') ?? '' } },
    )
    expect(revalidated.status).toBe(304)
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=60')
  })

  it('should still send ETags with the response cache turned off', async () => {
    const yoga = yogaWith({ responseCache: false })
    const first = await getIn(yoga, '{ stats { posts } }')
    const second = await getIn(yoga, '{ stats { posts } }')
    expect(second.headers.get('x-cache')).toBeNull()
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(await second.json()).toEqual({ data: { stats: { posts: 3 } } })
  })

  it('should keep at most maxEntries responses, dropping the least recently used', async () => {
    const yoga = yogaWith({ responseCache: { maxEntries: 2 } })
    const queries = ['{ stats { posts } }', '{ stats { talks } }', '{ stats { bullets } }']
    const cacheOf = async (query: string) => (await getIn(yoga, query)).headers.get('x-cache')
    expect(await cacheOf(queries[0] as string)).toBe('MISS')
    expect(await cacheOf(queries[1] as string)).toBe('MISS')
    expect(await cacheOf(queries[0] as string)).toBe('HIT')
    expect(await cacheOf(queries[2] as string)).toBe('MISS')
    // The second was the least recently used.
    expect(await cacheOf(queries[0] as string)).toBe('HIT')
    expect(await cacheOf(queries[1] as string)).toBe('MISS')
  })

  it('should neither store nor tag a response with errors', async () => {
    const yoga = yogaWith({})
    const query = '{ posts(first: 1000) { totalCount } }'
    for (let round = 0; round < 2; round++) {
      const response = await getIn(yoga, query)
      expect(response.headers.get('etag')).toBeNull()
      expect(response.headers.get('x-cache')).toBeNull()
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] }
      expect(body.errors[0]?.extensions.code).toBe('PAGINATION_LIMIT')
    }
  })

  it('should keep one entry per accepted media type', async () => {
    const yoga = yogaWith({})
    const query = '{ stats { posts } }'
    const modern = await getIn(yoga, query, json)
    const legacy = await getIn(yoga, query, 'application/json')
    expect(modern.headers.get('content-type')).toContain(json)
    expect(legacy.headers.get('content-type')).toContain('application/json')
    expect(legacy.headers.get('x-cache')).toBe('MISS')
    expect((await getIn(yoga, query, 'application/json')).headers.get('content-type')).toContain(
      'application/json',
    )
    expect(legacy.headers.get('etag')).not.toBe(modern.headers.get('etag'))
  })
})
