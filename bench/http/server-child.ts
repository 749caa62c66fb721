/**
 * One server under test for the HTTP bench (`./index.ts`), alone in its own
 * process so that the load generator in the parent does not share its event
 * loop or heap. Started as
 * `node --import tsx bench/http/server-child.ts <kind> [--content <dir>] [--cache-dir <dir>]`
 * with an IPC channel:
 *
 * - `yoga`: content-graph as shipped, `createContentServer({ graph })` +
 *   `listen`, logging off (its response cache and fast path on, as by
 *   default); on a second port the same with `fastPath: false`, so that the
 *   fast path can be compared with a response-cache hit through yoga; on
 *   a third with `responseCache: false`, so that execution can be compared
 *   with Apollo's; and on a fourth the same with `compiledExecution: false`
 *   (graphql-js through yoga, as before compiled execution). All share the
 *   graph; the others are idle while one is measured.
 * - `apollo`: `@apollo/server` v5 `startStandaloneServer` over the same
 *   executable schema (`createSchema()`) and the same `{ graph, changes }`
 *   context.
 * - `ceiling`: a bare `node:http` server that answers every request with
 *   bytes sent by the parent (what yoga answered), read from the `bodies`
 *   message: the most any server in Node can do for the same responses.
 *
 * The child first sends `{type: 'hello'}`, then waits for `{type: 'load'}`
 * (yoga, Apollo) or `{type: 'bodies', bodies}` (ceiling) before reading the
 * content and listening.
 *
 * Other messages (parent → child, each answered once):
 * `{type: 'cpu'}` → `{type: 'cpu', user, system, requests, fastPath}` (µs, all
 * threads; requests answered by the fast path) ·
 * `{type: 'profile-start', intervalUs}` → `{type: 'profile-started'}` ·
 * `{type: 'profile-stop', file}` → `{type: 'profile-written', file}`.
 * The child sends `{type: 'ready', urls, loadMs, posts}` once it listens, and
 * `{type: 'failed', error}` if it cannot.
 */
import { subscribe } from 'node:diagnostics_channel'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { ApolloServer } from '@apollo/server'
import { startStandaloneServer } from '@apollo/server/standalone'
import { createPubSub } from 'graphql-yoga'
import type { ApiContext, ContentChanges } from '../../src/api/context.ts'
import { sharedHtmlRenderer } from '../../src/api/html.ts'
import { createSchema } from '../../src/api/schema.ts'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { type Listening, listen } from '../../src/server/listen.ts'

/** The processes this script can be. */
export type ServerKind = 'yoga' | 'apollo' | 'ceiling'

/** The servers a process listens with, by name: yoga's process has two. */
export type ServerName =
  | 'yoga'
  | 'yoga-no-fast-path'
  | 'yoga-uncached'
  | 'yoga-uncached-graphql-js'
  | 'apollo'
  | 'ceiling'

/** A message from the parent. */
export type ParentMessage =
  | { readonly type: 'load' }
  | { readonly type: 'bodies'; readonly bodies: Readonly<Record<string, string>> }
  | { readonly type: 'cpu' }
  | { readonly type: 'profile-start'; readonly intervalUs: number }
  | { readonly type: 'profile-stop'; readonly file: string }

/** A message from the child. */
export type ChildMessage =
  | { readonly type: 'hello' }
  | {
      readonly type: 'ready'
      /** Where to send GraphQL requests, by server (the ceiling serves one path per query). */
      readonly urls: Partial<Record<ServerName, string>>
      /** Time to read the content folder (0 for the ceiling). */
      readonly loadMs: number
      readonly posts: number
    }
  | { readonly type: 'failed'; readonly error: string }
  | {
      readonly type: 'cpu'
      readonly user: number
      readonly system: number
      /** HTTP requests this process has started to answer, on any of its servers. */
      readonly requests: number
      /** Of those, the ones the fast path answered (before yoga). */
      readonly fastPath: number
    }
  | { readonly type: 'profile-started' }
  | { readonly type: 'profile-written'; readonly file: string }

// Loopback only: the bench must never be reachable from, or send to, another host.
const host = '127.0.0.1'

// Counted by the server, not the client: the load generator drops the
// requests in flight when a run ends, but the server still answers them, and
// their CPU time must be divided by their number.
let requests = 0
subscribe('http.server.request.start', () => {
  requests++
})

/** Requests answered by the fast paths of this process's servers so far. */
let fastPathAnswers = () => 0

function send(message: ChildMessage): void {
  process.send?.(message)
}

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name)
  return index === -1 ? undefined : argv[index + 1]
}

async function load(argv: readonly string[]): Promise<{ graph: ContentGraph; loadMs: number }> {
  const contentDir = flag(argv, '--content')
  if (!contentDir) throw new Error('--content is required')
  const cacheDir = flag(argv, '--cache-dir')
  const started = performance.now()
  const { graph } = await loadContent({ contentDir, ...(cacheDir ? { cacheDir } : {}) })
  const loadMs = performance.now() - started
  // Collect the garbage of reading now (with --expose-gc), not during the
  // first measured runs.
  ;(globalThis as { gc?: () => void }).gc?.()
  return { graph, loadMs }
}

async function startYoga(argv: readonly string[]): Promise<ChildMessage> {
  const { graph, loadMs } = await load(argv)
  // The defaults `content-graph serve` runs with, minus logging (it logs
  // warnings only, and none are expected), from an already read graph.
  const servers = [
    createContentServer({ graph, logging: false }),
    createContentServer({ graph, logging: false, fastPath: false }),
    createContentServer({ graph, logging: false, responseCache: false }),
    // Execution as it was before compiled execution: graphql-js through yoga.
    createContentServer({
      graph,
      logging: false,
      responseCache: false,
      compiledExecution: false,
    }),
  ]
  const [shipped, noFastPath, uncached, graphqlJs] = (await Promise.all(
    servers.map((server) => listen(server, { port: 0, host })),
  )) as [Listening, Listening, Listening, Listening]
  fastPathAnswers = () =>
    servers.reduce((sum, server) => {
      const stats = server.fastPath?.stats()
      // Queries run by the compiled path are answered before yoga too.
      const compiled = server.compiledPath?.stats().answered ?? 0
      return sum + compiled + (stats ? stats.hits + stats.notModified : 0)
    }, 0)
  return {
    type: 'ready',
    urls: {
      yoga: shipped.url,
      'yoga-no-fast-path': noFastPath.url,
      'yoga-uncached': uncached.url,
      'yoga-uncached-graphql-js': graphqlJs.url,
    },
    loadMs,
    posts: graph.posts.length,
  }
}

async function startApollo(argv: readonly string[]): Promise<ChildMessage> {
  const { graph, loadMs } = await load(argv)
  // The same executable schema as yoga's, so both run the same resolvers
  // and scalars; only the HTTP layer and request pipeline differ.
  const apollo = new ApolloServer<ApiContext>({ schema: createSchema() })
  const changes: ContentChanges = createPubSub()
  const context: ApiContext = { graph, changes, html: sharedHtmlRenderer() }
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: 0, host },
    context: async () => context,
  })
  return { type: 'ready', urls: { apollo: url }, loadMs, posts: graph.posts.length }
}

async function startCeiling(bodies: Readonly<Record<string, string>>): Promise<ChildMessage> {
  const responses = new Map(
    Object.entries(bodies).map(([route, text]) => [`/${route}`, Buffer.from(text)]),
  )
  const server = createServer((request, response) => {
    const body = responses.get(request.url ?? '')
    // The request body is read to its end, as a GraphQL server must before
    // answering; skipping it would flatter the ceiling.
    request.resume()
    request.on('end', () => {
      if (!body) {
        response.writeHead(404).end()
        return
      }
      response.writeHead(200, {
        'content-type': 'application/graphql-response+json; charset=utf-8',
        'content-length': body.length,
      })
      response.end(body)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { type: 'ready', urls: { ceiling: `http://${host}:${port}/` }, loadMs: 0, posts: 0 }
}

let session: Session | undefined

/** Settles when the parent sends the message that starts this server. */
let go: (message: ParentMessage) => void = () => {}
const started = new Promise<ParentMessage>((resolve) => {
  go = resolve
})

async function handle(message: ParentMessage): Promise<void> {
  switch (message.type) {
    case 'load':
    case 'bodies':
      go(message)
      return
    case 'cpu': {
      const usage = process.cpuUsage()
      send({
        type: 'cpu',
        user: usage.user,
        system: usage.system,
        requests,
        fastPath: fastPathAnswers(),
      })
      return
    }
    case 'profile-start': {
      // The in-process inspector rather than `--cpu-prof`: it profiles one
      // run of one query, not start-up and loading, and needs no clean exit.
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: message.intervalUs })
      await session.post('Profiler.start')
      send({ type: 'profile-started' })
      return
    }
    case 'profile-stop': {
      if (!session) throw new Error('profile-stop without profile-start')
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      session = undefined
      writeFileSync(message.file, JSON.stringify(profile))
      send({ type: 'profile-written', file: message.file })
      return
    }
  }
}

async function main(argv: readonly string[]): Promise<void> {
  // The parent going away (even killed outright) closes the IPC channel:
  // exit then, so no server outlives the bench.
  process.on('disconnect', () => process.exit(0))
  process.on('message', (message: ParentMessage) => {
    handle(message).catch((error: unknown) => {
      send({ type: 'failed', error: error instanceof Error ? error.message : String(error) })
    })
  })
  // A message that arrives before this process listens for messages may be
  // lost, so the parent sends nothing until it hears this.
  send({ type: 'hello' })
  const kind = argv[0] as ServerKind | undefined
  try {
    // Started by the parent's word, so that it can spawn this process (and
    // pay for its imports) while another one is still reading the content.
    const message = await started
    let ready: ChildMessage
    if (kind === 'yoga') ready = await startYoga(argv)
    else if (kind === 'apollo') ready = await startApollo(argv)
    else if (kind === 'ceiling' && message.type === 'bodies') {
      ready = await startCeiling(message.bodies)
    } else throw new Error('usage: server-child.ts <yoga|apollo|ceiling> [--content <dir>]')
    send(ready)
  } catch (error) {
    send({
      type: 'failed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
    process.exit(1)
  }
}

await main(process.argv.slice(2))
