/**
 * The server on a real port: GraphQL over HTTP conformance (the `graphql-http`
 * audits), slow clients timed out, a chunked body over the limit, and a
 * graceful `close` that lets requests in flight finish.
 */
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { serverAudits } from 'graphql-http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { type Listening, listen } from '../../src/server/listen.ts'
import { graphOf, sampleDir } from '../api/request.ts'
import { expectServing } from './helpers.ts'

/**
 * Audits of `graphql-http` that this server is allowed to fail, by id, with
 * the reason; SECURITY.md lists the same. None at present: every MUST, SHOULD
 * and MAY audit passes.
 */
const auditExceptions: Readonly<Record<string, string>> = {}

let graph: ContentGraph

beforeAll(async () => {
  graph = await graphOf(sampleDir)
})

/** Open a raw TCP connection to a listening server. */
async function rawSocket(listening: Listening): Promise<Socket> {
  const socket = connect(listening.port, '127.0.0.1')
  await once(socket, 'connect')
  return socket
}

/** Everything the server sends on a socket until it closes it, and when that was. */
function readUntilClosed(socket: Socket): Promise<{ text: string; closedAt: number }> {
  return new Promise((resolve) => {
    let text = ''
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8')
    })
    socket.on('error', () => {})
    socket.once('close', () => resolve({ text, closedAt: performance.now() }))
  })
}

describe('GraphQL over HTTP conformance', () => {
  let listening: Listening

  beforeAll(async () => {
    listening = await listen(createContentServer({ graph, logging: false }), {
      port: 0,
      host: '127.0.0.1',
    })
  })

  afterAll(async () => {
    await listening.close()
  })

  it('should pass every MUST and SHOULD audit of graphql-http', async () => {
    const results = await Promise.all(
      serverAudits({ url: listening.url }).map((audit) => audit.fn()),
    )
    const failed = results
      .filter((result) => result.status !== 'ok' && !(result.id in auditExceptions))
      .map(
        (result) =>
          `${result.id} ${result.status} ${result.name}: ${'reason' in result ? result.reason : ''}`,
      )
    expect(failed).toEqual([])
    // graphql-http 1.23 has 61 audits: 13 MUST, 23 SHOULD and 25 MAY.
    expect(results.length).toBeGreaterThanOrEqual(61)
    expect(results.filter((result) => result.status === 'ok')).toHaveLength(
      results.length - Object.keys(auditExceptions).length,
    )
  })
})

describe('slow clients', () => {
  let listening: Listening

  beforeAll(async () => {
    listening = await listen(createContentServer({ graph, logging: false }), {
      port: 0,
      host: '127.0.0.1',
      headersTimeoutMs: 500,
      requestTimeoutMs: 1500,
    })
  })

  afterAll(async () => {
    await listening.close()
  })

  it('should cut a client that sends its headers a byte every 100 ms, and keep serving', async () => {
    const socket = await rawSocket(listening)
    const closed = readUntilClosed(socket)
    const started = performance.now()
    const request = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`
    let sent = 0
    const trickle = setInterval(() => {
      if (socket.destroyed || sent >= request.length) return clearInterval(trickle)
      socket.write(request[sent++] ?? '')
    }, 100)
    // Others are served meanwhile.
    await expectServing(globalThis, listening.url)
    const { text, closedAt } = await closed
    clearInterval(trickle)
    expect(text).toMatch(/^HTTP\/1\.1 408/)
    // 500 ms, plus up to one check of Node's timer (a quarter of it) and slack.
    expect(closedAt - started).toBeLessThan(1500)
    expect(sent).toBeLessThan(request.length)
    await expectServing(globalThis, listening.url)
  })

  it('should cut a client whose body never finishes arriving', async () => {
    const socket = await rawSocket(listening)
    const closed = readUntilClosed(socket)
    const started = performance.now()
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
    )
    const { text, closedAt } = await closed
    expect(text).toMatch(/^HTTP\/1\.1 408/)
    expect(closedAt - started).toBeLessThan(3000)
    await expectServing(globalThis, listening.url)
  })

  it('should refuse a chunked body over the limit with 413 as it streams in', async () => {
    const socket = await rawSocket(listening)
    const closed = readUntilClosed(socket)
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    )
    const chunk = `{"query": "{ stats { posts } }", "variables": {"pad": "${'x'.repeat(100_000)}`
    for (let i = 0; i < 15 && !socket.destroyed; i++) {
      socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    if (!socket.destroyed) socket.end('0\r\n\r\n')
    const { text } = await closed
    expect(text).toMatch(/^HTTP\/1\.1 413/)
    expect(text).toContain('REQUEST_ENTITY_TOO_LARGE')
    await expectServing(globalThis, listening.url)
  })
})

describe('graceful close', () => {
  it('should answer /ready with 503 while a request in flight finishes, then stop', async () => {
    const listening = await listen(createContentServer({ graph, logging: false }), {
      port: 0,
      host: '127.0.0.1',
    })
    const base = listening.url.replace('/graphql', '')
    // A client sending its request slowly: headers now, the body later.
    const body = JSON.stringify({ query: '{ stats { posts } }' })
    const socket = await rawSocket(listening)
    const answered = readUntilClosed(socket)
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    )
    await expect.poll(() => listening.inFlight()).toBe(1)

    const closing = listening.close()
    const ready = await fetch(`${base}/ready`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'draining' })
    expect((await fetch(`${base}/health`)).status).toBe(200)

    socket.write(body.slice(5))
    const { text } = await answered
    expect(text).toMatch(/^HTTP\/1\.1 200/)
    expect(text).toContain('{"data":{"stats":{"posts":1}}}')
    await closing
    await expect(fetch(`${base}/health`)).rejects.toThrow()
  })

  it('should cut what is still running at the shutdown deadline', async () => {
    const listening = await listen(createContentServer({ graph, logging: false }), {
      port: 0,
      host: '127.0.0.1',
      shutdownTimeoutMs: 300,
    })
    const socket = await rawSocket(listening)
    const cut = readUntilClosed(socket)
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    )
    await expect.poll(() => listening.inFlight()).toBe(1)
    const started = performance.now()
    await listening.close()
    expect(performance.now() - started).toBeLessThan(1500)
    await cut
  })
})
