/**
 * The server in production: GraphiQL off unless asked for (and working when
 * it is), its assets immutable and compressed, and API responses compressed
 * as the client asks, on yoga's path and the fast path alike.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { type Listening, listen } from '../../src/server/listen.ts'
import { sampleDir } from '../api/request.ts'

let graph: ContentGraph

beforeAll(async () => {
  graph = (await loadContent({ contentDir: sampleDir })).graph
})

afterEach(() => {
  vi.unstubAllEnvs()
})

const html = { accept: 'text/html' }

describe('GraphiQL in production', () => {
  it('should not be served when NODE_ENV=production, unless asked for', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const off = createContentServer({ graph, logging: false })
    const page = await off.yoga.fetch('http://localhost/graphql', { headers: html })
    expect(await page.text()).not.toContain('YogaGraphiQL')
  })

  it('should work when asked for in production: introspection answers', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const on = createContentServer({ graph, graphiql: true, logging: false })
    const page = await on.yoga.fetch('http://localhost/graphql', { headers: html })
    expect(await page.text()).toContain('YogaGraphiQL.renderYogaGraphiQL')
    const introspection = await on.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    })
    expect(await introspection.json()).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    })
  })
})

describe('GraphiQL assets', () => {
  const server = () => createContentServer({ graph, graphiql: true, logging: false })

  it('should link a small page to hashed assets that are immutable and compressed', async () => {
    const { yoga } = server()
    const page = await (await yoga.fetch('http://localhost/graphql', { headers: html })).text()
    expect(page.length).toBeLessThan(4096)
    const links = [...page.matchAll(/(?:href|src)="(\/graphiql\/[^"]+)"/g)].map((m) => m[1])
    expect(links).toHaveLength(3)
    const script = links.find((link) => link?.endsWith('.js'))
    expect(script).toMatch(/^\/graphiql\/graphiql\.[0-9a-f]{16}\.js$/)
    const plain = await yoga.fetch(`http://localhost${script}`)
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(plain.headers.get('content-encoding')).toBeNull()
    const source = Buffer.from(await plain.arrayBuffer())
    expect(source.toString('utf8')).toContain('renderYogaGraphiQL')
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const response = await yoga.fetch(`http://localhost${script}`, {
        headers: { 'accept-encoding': encoding },
      })
      expect(response.headers.get('content-encoding')).toBe(encoding)
      expect(response.headers.get('vary')).toBe('Accept-Encoding')
      const bytes = Buffer.from(await response.arrayBuffer())
      expect(bytes.length).toBeLessThan(source.length / 3)
      expect(decode(bytes).equals(source)).toBe(true)
    }
    const again = await yoga.fetch(`http://localhost${script}`, {
      headers: { 'if-none-match': plain.headers.get('etag') ?? '' },
    })
    expect(again.status).toBe(304)
  })

  it('should not serve an unknown asset, nor any asset with GraphiQL off', async () => {
    const { yoga } = server()
    expect((await yoga.fetch('http://localhost/graphiql/graphiql.0000.js')).status).toBe(404)
    const page = await (await yoga.fetch('http://localhost/graphql', { headers: html })).text()
    const script = page.match(/src="(\/graphiql\/[^"]+\.js)"/)?.[1]
    const off = createContentServer({ graph, graphiql: false, logging: false })
    expect((await off.yoga.fetch(`http://localhost${script}`)).status).not.toBe(200)
  })
})

describe('compressed API responses over HTTP', () => {
  let listening: Listening
  let content: ReturnType<typeof createContentServer>
  const query = encodeURIComponent(
    '{ talks(first: 20) { nodes { title bullets(first: 20) { nodes { text } } } } }',
  )

  beforeAll(async () => {
    content = createContentServer({ graph, logging: false })
    listening = await listen(content, {
      port: 0,
      host: '127.0.0.1',
    })
  })

  afterAll(async () => {
    await listening.close()
  })

  /** GET the query with an Accept-Encoding (fetch would decode, so node:http). */
  async function get(encoding: string, headers: Record<string, string> = {}) {
    const { request } = await import('node:http')
    return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        const req = request(
          `http://127.0.0.1:${listening.port}/graphql?query=${query}`,
          { headers: { accept: 'application/json', 'accept-encoding': encoding, ...headers } },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks),
              }),
            )
          },
        )
        req.on('error', reject)
        req.end()
      },
    )
  }

  it('should send the same bytes compressed as asked, from yoga and then from the fast path', async () => {
    const identity = await get('identity')
    expect(identity.headers['content-encoding']).toBeUndefined()
    expect(identity.headers.vary).toMatch(/Accept-Encoding/)
    const json = identity.body.toString('utf8')
    expect(json).toMatch(/^\{"data":\{"talks"/)
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip, deflate', gunzipSync],
    ] as const) {
      // The first is executed or cached by yoga, the next ones come from the fast path.
      const answers = [await get(encoding), await get(encoding), await get(encoding)]
      for (const answer of answers) {
        expect(answer.headers['content-encoding']).toBe(encoding.split(',')[0])
        expect(decode(answer.body).toString('utf8')).toBe(json)
        expect(answer.headers.etag).toBe(`W/${identity.headers.etag}`)
        expect(answer.headers['content-length']).toBe(String(answer.body.length))
      }
      expect(answers[2]?.body.equals(answers[1]?.body ?? Buffer.alloc(0))).toBe(true)
    }
    expect(content.fastPath?.stats().hits).toBeGreaterThanOrEqual(3)
  })

  it('should revalidate with either form of the ETag', async () => {
    const first = await get('br')
    const etag = String(first.headers.etag)
    const weak = await get('br', { 'if-none-match': etag })
    expect(weak.status).toBe(304)
    const strong = await get('identity', { 'if-none-match': etag.replace(/^W\//, '') })
    expect(strong.status).toBe(304)
  })
})
