/**
 * Helpers for the fault tests: temporary folders, queries against a real
 * server, and the comparison of a served graph with a cold read of the folder.
 */
import { spawnSync } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { loadContent } from '../../src/load/content.ts'
import type { Json } from '../api/request.ts'

/**
 * A new empty folder under the system's temporary folder.
 *
 * @param name
 *   Part of the folder's name, for whoever finds it left behind.
 * @returns
 *   Its path.
 */
export function temporaryFolder(name: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `content-graph-${name}-`))
}

/**
 * POST a GraphQL document to a real server and return the whole body.
 *
 * @param url
 *   Endpoint.
 * @param query
 *   Document.
 * @returns
 *   The JSON body (data and errors).
 */
export async function post(url: string, query: string): Promise<Json> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  })
  return response.json()
}

/** What a client sees of a whole graph: every post and every problem. */
export const graphQuery = `{
  stats { posts problems errors warnings }
  posts(first: 100) { nodes { id slug title wordCount source { path } talks(first: 100) { nodes { id title } } } }
  problems(first: 100) { nodes { path line column code message } }
}`

/**
 * Check that a server serves the same graph as a cold read of its folder now.
 *
 * @param url
 *   Endpoint of the server.
 * @param contentDir
 *   The folder it serves.
 */
export async function expectSameAsColdStart(url: string, contentDir: string): Promise<void> {
  const served = await post(url, graphQuery)
  const { createContentServer } = await import('../../src/server/create-server.ts')
  const { graph } = await loadContent({ contentDir })
  const cold = createContentServer({ graph, logging: false })
  const response = await cold.yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: graphQuery }),
  })
  expect(served).toEqual(await response.json())
}

/**
 * The status and body of `/ready`.
 *
 * @param base
 *   `http://127.0.0.1:PORT` of the server.
 * @returns
 *   Status code and JSON body.
 */
export async function ready(base: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${base}/ready`)
  return { status: response.status, body: await response.json() }
}

/**
 * The paths of the posts a server serves, sorted.
 *
 * @param url
 *   Endpoint.
 * @returns
 *   Paths relative to the content folder.
 */
export async function postPaths(url: string): Promise<string[]> {
  const body = await post(url, '{ posts(first: 100) { nodes { source { path } } } }')
  return body.data.posts.nodes.map((node: { source: { path: string } }) => node.source.path).sort()
}

/**
 * How to run a process that file permissions apply to: as it is when not
 * root; as root (as in CI), through `setpriv` as user `nobody`, since
 * `chmod 000` does not stop root. Checked by trying: a file made unreadable
 * must refuse a read.
 *
 * @returns
 *   The prefix for `startServe` (empty when none is needed), or the reason
 *   why no process here can be refused a read.
 */
export async function refusablePrefix(): Promise<{ prefix: string[] } | { reason: string }> {
  const dir = await temporaryFolder('refusable')
  const file = path.join(dir, 'locked.md')
  try {
    await chmod(dir, 0o755)
    await writeFile(file, 'locked')
    await chmod(file, 0o000)
    const probe = `require('node:fs').readFile(${JSON.stringify(file)}, (error) => process.stdout.write(error ? error.code : 'read'))`
    const candidates: string[][] =
      process.getuid?.() === 0
        ? [['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']]
        : [[]]
    for (const prefix of candidates) {
      const [command, ...args] = [...prefix, process.execPath, '-e', probe]
      const result = spawnSync(command as string, args, { encoding: 'utf8' })
      if (result.stdout === 'EACCES') return { prefix }
    }
    return {
      reason:
        process.getuid?.() === 0
          ? 'running as root and setpriv cannot drop to user nobody here, so chmod 000 refuses nothing'
          : 'chmod 000 does not refuse reads on this file system',
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
