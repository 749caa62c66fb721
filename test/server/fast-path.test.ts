/**
 * The fast path over real HTTP: a request that yoga has answered from its
 * response cache is answered again before yoga, with the same status,
 * headers and bytes, until the snapshot changes; anything that could get
 * another answer from yoga still goes to yoga.
 */
import { once } from 'node:events'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { connect } from 'node:net'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import {
  type ContentServer,
  createContentServer,
  type YogaOptions,
} from '../../src/server/create-server.ts'
import type { FastPathStats } from '../../src/server/fast-path.ts'
import { type Listening, listen } from '../../src/server/listen.ts'
import { fixtureDir, graphOf, sampleDir } from '../api/request.ts'

let sample: ContentGraph
let fixture: ContentGraph

beforeAll(async () => {
  ;[sample, fixture] = await Promise.all([graphOf(sampleDir), graphOf(fixtureDir)])
})

let open: Listening[] = []

afterEach(async () => {
  await Promise.all(open.map((listening) => listening.close()))
  open = []
})

/** A listening server over the sample graph, with more options. */
async function start(
  options: YogaOptions = {},
): Promise<{ server: ContentServer; listening: Listening }> {
  const server = createContentServer({ graph: sample, logging: false, ...options })
  const listening = await listen(server, { port: 0, host: '127.0.0.1' })
  open.push(listening)
  return { server, listening }
}

/** An answer as sent: status, headers in order (without `Date`), body. */
interface Raw {
  readonly status: number
  readonly headers: readonly string[]
  readonly body: string
}

/**
 * Send one request with exactly these headers (node:http adds `Host` and
 * `Connection`, both harmless), and read the answer as sent.
 */
async function send(
  listening: Listening,
  options: {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  } = {},
): Promise<Raw> {
  const { method = 'GET', path = '/graphql', headers = {}, body } = options
  const request = httpRequest({
    host: '127.0.0.1',
    port: listening.port,
    method,
    path,
    headers:
      body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
  })
  request.end(body)
  const [response] = (await once(request, 'response')) as [IncomingMessage]
  let text = ''
  response.setEncoding('utf8')
  for await (const chunk of response) text += chunk
  const raw: string[] = []
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    const name = response.rawHeaders[i] as string
    if (name.toLowerCase() === 'date') continue
    raw.push(name, response.rawHeaders[i + 1] as string)
  }
  return { status: response.statusCode ?? 0, headers: raw, body: text }
}

/** A header of an answer, by name in any case. */
function header(answer: Raw, name: string): string | undefined {
  for (let i = 0; i < answer.headers.length; i += 2) {
    if (answer.headers[i]?.toLowerCase() === name) return answer.headers[i + 1]
  }
  return undefined
}

const json = 'application/graphql-response+json'
const query = '{ stats { posts } }'
const getPath = (document = query) => `/graphql?query=${encodeURIComponent(document)}`
const postBody = (document = query) => JSON.stringify({ query: document })

/** The fast path's counts since `before`. */
function since(server: ContentServer, before: FastPathStats) {
  const now = server.fastPath?.stats() as FastPathStats
  return {
    hits: now.hits - before.hits,
    notModified: now.notModified - before.notModified,
    passed: now.passed - before.passed,
  }
}

const stats = (server: ContentServer) => server.fastPath?.stats() as FastPathStats

describe('the fast path', () => {
  it('should answer a repeated GET itself, exactly as yoga answered it from its cache', async () => {
    const { server, listening } = await start()
    const request = { path: getPath(), headers: { accept: json, origin: 'http://app.example' } }
    const executed = await send(listening, request)
    expect(header(executed, 'x-cache')).toBe('MISS')
    const fromYoga = await send(listening, request)
    expect(header(fromYoga, 'x-cache')).toBe('HIT')
    expect(stats(server)).toMatchObject({ hits: 0, passed: 2, entries: 1 })

    const before = stats(server)
    const fast = await send(listening, request)
    expect(since(server, before)).toEqual({ hits: 1, notModified: 0, passed: 0 })
    expect(fast).toEqual(fromYoga)
    expect(fast.body).toBe('{"data":{"stats":{"posts":1}}}')
    expect(header(fast, 'access-control-allow-origin')).toBe('http://app.example')
    expect(header(fast, 'etag')).toBe(header(executed, 'etag'))
  })

  it('should answer a repeated POST itself, with the same bytes', async () => {
    const { server, listening } = await start()
    const request = {
      method: 'POST',
      headers: { accept: json, 'content-type': 'application/json' },
      body: postBody(),
    }
    await send(listening, request)
    const fromYoga = await send(listening, request)
    const before = stats(server)
    const fast = await send(listening, request)
    expect(since(server, before)).toEqual({ hits: 1, notModified: 0, passed: 0 })
    expect(fast).toEqual(fromYoga)
    expect(header(fast, 'etag')).toBeUndefined()

    // Another body (the same query, spaced otherwise) is another request.
    const spaced = await send(listening, { ...request, body: JSON.stringify({ query }, null, 1) })
    expect(spaced.body).toBe(fast.body)
    expect(since(server, before)).toMatchObject({ hits: 1, passed: 1 })
  })

  it('should keep one answer per Origin and per Accept', async () => {
    const { server, listening } = await start()
    const warm = async (headers: Record<string, string>) => {
      for (let i = 0; i < 2; i++) await send(listening, { path: getPath(), headers })
    }
    await warm({ accept: json, origin: 'http://one.example' })
    let before = stats(server)
    const other = await send(listening, {
      path: getPath(),
      headers: { accept: json, origin: 'http://two.example' },
    })
    expect(since(server, before)).toMatchObject({ hits: 0, passed: 1 })
    expect(header(other, 'access-control-allow-origin')).toBe('http://two.example')

    before = stats(server)
    const legacy = await send(listening, {
      path: getPath(),
      headers: { accept: 'application/json', origin: 'http://one.example' },
    })
    expect(since(server, before)).toMatchObject({ hits: 0, passed: 1 })
    expect(header(legacy, 'content-type')).toContain('application/json')

    // Without an Origin, no CORS headers, and its own answer too.
    before = stats(server)
    const none = await send(listening, { path: getPath(), headers: { accept: json } })
    expect(since(server, before)).toMatchObject({ hits: 0, passed: 1 })
    expect(header(none, 'access-control-allow-origin')).toBeUndefined()

    before = stats(server)
    const again = await send(listening, {
      path: getPath(),
      headers: { accept: json, origin: 'http://one.example' },
    })
    expect(since(server, before)).toMatchObject({ hits: 1, passed: 0 })
    expect(header(again, 'access-control-allow-origin')).toBe('http://one.example')
  })

  it('should forget every answer when the snapshot changes', async () => {
    const { server, listening } = await start()
    const request = { path: getPath(), headers: { accept: json } }
    for (let i = 0; i < 3; i++) await send(listening, request)
    expect(stats(server).hits).toBe(1)
    const etag = header(await send(listening, request), 'etag') as string

    server.store.replace(fixture)
    const before = stats(server)
    const after = await send(listening, request)
    expect(since(server, before)).toMatchObject({ hits: 0, passed: 1 })
    expect(after.body).toBe('{"data":{"stats":{"posts":3}}}')
    expect(header(after, 'etag')).not.toBe(etag)
    const revalidated = await send(listening, {
      ...request,
      headers: { ...request.headers, 'if-none-match': etag },
    })
    expect(revalidated.status).toBe(200)
    expect(revalidated.body).toBe(after.body)
    expect(stats(server).entries).toBe(1)
  })

  it('should answer If-None-Match with the 304 yoga gave, and a stale ETag with the 200', async () => {
    const { server, listening } = await start()
    const headers = { accept: json, origin: 'http://app.example' }
    await send(listening, { path: getPath(), headers })
    const ok = await send(listening, { path: getPath(), headers })
    const etag = header(ok, 'etag') as string
    const conditional = { path: getPath(), headers: { ...headers, 'if-none-match': etag } }
    const fromYoga = await send(listening, conditional)
    expect(fromYoga.status).toBe(304)

    let before = stats(server)
    const fast = await send(listening, conditional)
    expect(since(server, before)).toEqual({ hits: 0, notModified: 1, passed: 0 })
    expect(fast).toEqual(fromYoga)
    expect(fast.body).toBe('')

    before = stats(server)
    const stale = await send(listening, {
      path: getPath(),
      headers: { ...headers, 'if-none-match': '"not-this-one"' },
    })
    expect(since(server, before)).toEqual({ hits: 1, notModified: 0, passed: 0 })
    expect(stale).toEqual(ok)
  })

  it('should refuse an oversized body with 413 and run a large one, never storing either', async () => {
    const { server, listening } = await start({ maxBodyBytes: 100_000 })
    const padded = (bytes: number) =>
      JSON.stringify({ query, variables: { pad: 'x'.repeat(bytes) } })
    const post = (body: string) =>
      send(listening, {
        method: 'POST',
        headers: { accept: json, 'content-type': 'application/json' },
        body,
      })
    for (let i = 0; i < 3; i++) {
      const big = await post(padded(100_001))
      expect(big.status).toBe(413)
      expect(big.body).toContain('REQUEST_ENTITY_TOO_LARGE')
      // Within the limit, but above what the fast path reads: yoga's alone.
      expect((await post(padded(80_000))).status).toBe(200)
    }
    expect(stats(server)).toMatchObject({ hits: 0, entries: 0 })
    // A small one, repeated, still is the fast path's.
    for (let i = 0; i < 3; i++) expect((await post(padded(1000))).status).toBe(200)
    expect(stats(server)).toMatchObject({ hits: 1, entries: 1 })
  })

  it('should refuse a chunked body over the limit with 413', async () => {
    const { listening } = await start({ maxBodyBytes: 1000 })
    const socket = connect(listening.port, '127.0.0.1')
    await once(socket, 'connect')
    let text = ''
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8')
    })
    const closed = once(socket, 'close')
    const chunk = JSON.stringify({ query, variables: { pad: 'x'.repeat(2000) } })
    socket.end(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    )
    await closed
    expect(text).toMatch(/^HTTP\/1\.1 413/)
  })

  it('should leave to yoga requests with other headers, errors, GraphiQL and streams', async () => {
    const { server, listening } = await start()
    const cases = [
      // Headers that the fast path does not know.
      { path: getPath(), headers: { accept: json, authorization: 'Bearer x' } },
      { path: getPath(), headers: { accept: json, cookie: 'a=b' } },
      { path: getPath(), headers: { accept: json, 'x-custom': '1' } },
      // An answer with errors.
      { path: getPath('{ posts(first: 1000) { totalCount } }'), headers: { accept: json } },
      // A refused cross-site POST.
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: postBody() },
      // GraphiQL, and the probes.
      { path: '/graphql', headers: { accept: 'text/html' } },
      { path: '/health', headers: {} },
      { path: '/ready', headers: {} },
    ]
    for (const request of cases) {
      const answers = []
      for (let i = 0; i < 3; i++) answers.push(await send(listening, request))
      expect(new Set(answers.map((answer) => answer.status)).size).toBe(1)
    }
    const before = stats(server)
    expect(before.hits).toBe(0)
    expect(before.entries).toBe(0)

    // A subscription streams, through yoga, every time.
    const stream = httpRequest({
      host: '127.0.0.1',
      port: listening.port,
      path: getPath('subscription { contentChanged { version } }'),
      headers: { accept: 'text/event-stream' },
    }).end()
    const [response] = (await once(stream, 'response')) as [IncomingMessage]
    expect(response.headers['content-type']).toBe('text/event-stream')
    response.destroy()
    expect(since(server, before)).toMatchObject({ hits: 0, passed: 1 })
  })

  it('should answer persisted documents by id, and never a refused document', async () => {
    const { server, listening } = await start({
      persistedDocuments: { 'sha256:abc': query },
      onlyPersisted: true,
    })
    const byId = { path: '/graphql?documentId=sha256%3Aabc', headers: { accept: json } }
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await send(listening, byId))
    expect(answers[2]?.body).toBe('{"data":{"stats":{"posts":1}}}')
    expect(stats(server).hits).toBe(1)
    for (let i = 0; i < 3; i++) {
      const refused = await send(listening, { path: getPath(), headers: { accept: json } })
      expect(refused.status).toBe(400)
      expect(refused.body).toContain('PERSISTED_QUERY_ONLY')
    }
    expect(stats(server).hits).toBe(1)
  })

  it('should answer while draining, asking the client to close the connection', async () => {
    const { server, listening } = await start()
    const request = { path: getPath(), headers: { accept: json } }
    for (let i = 0; i < 2; i++) await send(listening, request)
    // A request in flight keeps the server draining.
    const slow = connect(listening.port, '127.0.0.1')
    await once(slow, 'connect')
    slow.on('error', () => {})
    slow.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    )
    await expect.poll(() => listening.inFlight()).toBe(1)
    const closing = listening.close()
    const before = stats(server)
    const answer = await send(listening, request)
    expect(since(server, before)).toMatchObject({ hits: 1 })
    expect(answer.status).toBe(200)
    expect(header(answer, 'connection')).toBe('close')
    slow.destroy()
    await closing
  })

  it('should be off when asked, without a response cache, or with a CORS function', () => {
    const off = (options: YogaOptions) =>
      createContentServer({ graph: sample, logging: false, ...options }).fastPath
    expect(off({})).toBeDefined()
    expect(off({ fastPath: false })).toBeUndefined()
    expect(off({ responseCache: false })).toBeUndefined()
    expect(off({ cors: () => ({ origin: '*' }) })).toBeUndefined()
  })
})
