import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/** Path of the `content-graph` command, run with `node` in tests. */
export const bin = fileURLToPath(new URL('../../bin/content-graph.js', import.meta.url))

/**
 * A port nobody listens on right now, for starting the real CLI on.
 *
 * @returns
 *   A free TCP port on 127.0.0.1.
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
