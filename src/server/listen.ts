/** Listen on a port with Node's HTTP server; the server itself is built elsewhere. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ContentServer } from './create-server.ts'

/** Where to listen. */
export interface ListenOptions {
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
  /** Stop listening and drop open connections. */
  close(): Promise<void>
}

/**
 * Serve a content server over HTTP.
 *
 * @param content
 *   Server from `createContentServer`.
 * @param options
 *   Port and host.
 * @returns
 *   Once listening: the URL, port and a `close` function.
 */
export async function listen(
  content: Pick<ContentServer, 'yoga'> & Partial<Pick<ContentServer, 'close'>>,
  options: ListenOptions = {},
): Promise<Listening> {
  const { port = 4000, host = 'localhost' } = options
  const server = createServer(content.yoga)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  const hostname = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${hostname}:${bound}${content.yoga.graphqlEndpoint}`,
    port: bound,
    server,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive connections would hold `close` open until they time out.
        server.closeAllConnections()
      })
      // Stop watching the content folder too, if the server was watching it.
      await content.close?.()
    },
  }
}
