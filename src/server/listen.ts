/**
 * Listen on a port with Node's HTTP server; the server itself is built
 * elsewhere. This is where slow clients are timed out, where shutdown
 * drains the requests in flight, and where the fast path answers repeated
 * requests before yoga (`./fast-path.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ContentServer } from './create-server.ts'

/**
 * Time limits of the HTTP server, in milliseconds, so that a client that sends
 * slowly (or not at all) cannot hold a connection, and a shutdown ends in time.
 */
export interface ServerTimeouts {
  /**
   * Longest time to receive a request's headers; a client still sending them
   * then gets `408` and is disconnected.
   * @default 10000
   */
  readonly headersTimeoutMs?: number
  /**
   * Longest time to receive a whole request, body included; `0` for none.
   * Raised to `headersTimeoutMs` when shorter, as Node requires.
   * @default 30000
   */
  readonly requestTimeoutMs?: number
  /**
   * How long an idle keep-alive connection stays open. Behind a load balancer,
   * make it longer than the balancer's own idle timeout.
   * @default 5000
   */
  readonly keepAliveTimeoutMs?: number
  /**
   * On `close`, how long requests in flight may take to finish before their
   * connections are cut.
   * @default 8000
   */
  readonly shutdownTimeoutMs?: number
}

/** The default time limits of the HTTP server. */
export const timeoutDefaults = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5000,
  shutdownTimeoutMs: 8000,
} as const satisfies Required<ServerTimeouts>

/** Where to listen, and the time limits of the HTTP server. */
export interface ListenOptions extends ServerTimeouts {
  /**
   * TCP port; 0 picks a free one.
   * @default 4000
   */
  readonly port?: number
  /**
   * Host name or address to bind.
   * @default 'localhost'
   */
  readonly host?: string
}

/** A listening server. */
export interface Listening {
  /** URL of the GraphQL endpoint, such as `http://localhost:4000/graphql`. */
  readonly url: string
  /** The port actually bound (useful with port 0). */
  readonly port: number
  readonly server: Server
  /** Number of requests being received or answered right now. */
  inFlight(): number
  /**
   * Shut down gracefully: `/ready` answers 503 at once, requests in flight
   * (and any that still arrive meanwhile) are answered, then the server stops
   * listening and closes its connections; after `shutdownTimeoutMs` the
   * connections left are cut. Calling it again returns the same promise.
   */
  close(): Promise<void>
}

/**
 * Serve a content server over HTTP.
 *
 * @param content
 *   Server from `createContentServer`; its `fastPath`, when on, answers
 *   repeated requests before `yoga`.
 * @param options
 *   Port, host and time limits.
 * @returns
 *   Once listening: the URL, port and a `close` function.
 */
export async function listen(
  content: Pick<ContentServer, 'yoga'> &
    Partial<Pick<ContentServer, 'close' | 'fastPath' | 'compiledPath'>>,
  options: ListenOptions = {},
): Promise<Listening> {
  const {
    port = 4000,
    host = 'localhost',
    headersTimeoutMs = timeoutDefaults.headersTimeoutMs,
    keepAliveTimeoutMs = timeoutDefaults.keepAliveTimeoutMs,
    shutdownTimeoutMs = timeoutDefaults.shutdownTimeoutMs,
  } = options
  const requestTimeoutMs =
    options.requestTimeoutMs === 0
      ? 0
      : Math.max(options.requestTimeoutMs ?? timeoutDefaults.requestTimeoutMs, headersTimeoutMs)
  let draining = false
  // Requests being received or answered, and which of them are event streams.
  const active = new Map<ServerResponse, boolean>()
  let onIdle: (() => void) | undefined
  const { fastPath, compiledPath } = content
  const yoga = (request: IncomingMessage, response: ServerResponse) => {
    content.yoga(request, response)
  }
  // The compiled path runs queries yoga has accepted, before yoga.
  const toYoga = compiledPath
    ? (request: IncomingMessage, response: ServerResponse) =>
        compiledPath.serve(request, response, yoga)
    : yoga

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (draining) {
      // Keep-alive clients should take their next request elsewhere.
      response.setHeader('connection', 'close')
      // Answered here rather than by the yoga plugin, which knows the content
      // but not that the process is stopping.
      if (request.url?.split('?')[0] === '/ready') {
        response.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        response.end(JSON.stringify({ status: 'draining' }))
        return
      }
    }
    active.set(response, request.headers.accept?.includes('text/event-stream') ?? false)
    response.once('close', () => {
      active.delete(response)
      if (active.size === 0) onIdle?.()
    })
    if (fastPath) fastPath.serve(request, response, toYoga)
    else toYoga(request, response)
  }

  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default),
      // which would let a short timeout run long.
      connectionsCheckingInterval: checkingInterval(headersTimeoutMs, requestTimeoutMs),
    },
    handle,
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  const hostname = host.includes(':') ? `[${host}]` : host

  let closing: Promise<void> | undefined
  const shutdown = async () => {
    draining = true
    const deadline = Date.now() + shutdownTimeoutMs
    // A subscription never ends by itself: cut it now, so that its client
    // reconnects to another server rather than wait for the deadline here.
    for (const [response, stream] of active) if (stream) response.destroy()
    // Keep listening while requests are in flight: a load balancer probing
    // `/ready` then sees 503 rather than a refused connection, and a request
    // it sent before noticing is still answered.
    if (active.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, shutdownTimeoutMs)
        onIdle = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    await new Promise<void>((resolve, reject) => {
      // Whatever still runs at the deadline (a stream, a client that never
      // reads its response) is cut.
      const force = setTimeout(
        () => server.closeAllConnections(),
        Math.max(0, deadline - Date.now()),
      )
      server.close((error) => {
        clearTimeout(force)
        if (error) reject(error)
        else resolve()
      })
      server.closeIdleConnections()
    })
    // Stop watching the content folder too, if the server was watching it.
    await content.close?.()
  }

  return {
    url: `http://${hostname}:${bound}${content.yoga.graphqlEndpoint}`,
    port: bound,
    server,
    inFlight: () => active.size,
    close: () => {
      closing ??= shutdown()
      return closing
    },
  }
}

/** How often Node should look for connections past their timeouts: a quarter of the shortest. */
function checkingInterval(headersTimeoutMs: number, requestTimeoutMs: number): number {
  const shortest = Math.min(headersTimeoutMs, requestTimeoutMs || Number.POSITIVE_INFINITY)
  return Math.min(30_000, Math.max(50, Math.floor(shortest / 4)))
}
