/** Collect a request's body for the paths that answer before yoga. */

import type { IncomingMessage } from 'node:http'

/**
 * Read a request's whole body, then call `done` with it.
 *
 * The paths that answer before yoga have already checked the declared
 * length against the body limit, so the body is gathered as it comes.
 *
 * @param request
 *   Node request whose body is read.
 * @param done
 *   Called once with the body when the request ends. A client that stops
 *   sending or disconnects is left to Node, which answers 408 or drops the
 *   connection itself: `done` is then never called.
 */
export function readBody(request: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = []
  let size = 0
  request.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    size += chunk.length
  })
  request.on('error', () => {})
  request.once('end', () => {
    done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
  })
}
