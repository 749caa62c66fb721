/**
 * `Subscription.contentChanged` over Server-Sent Events, from a started
 * watching server, read with `fetch`'s stream reader.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createContentServer } from '../../src/server/create-server.ts'
import { fixtureDir, graphOf, type Json } from '../api/request.ts'
import {
  type EventStream,
  gql,
  type LiveServer,
  postText,
  startLive,
  subscribe,
} from './helpers.ts'

let live: LiveServer | undefined
const streams: EventStream[] = []

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close()
  await live?.close()
  live = undefined
})

const changes = /* GraphQL */ `
  subscription {
    contentChanged {
      version
      added { slug title }
      changed { slug title talks { nodes { title } } }
      removed
      problems { path line severity code }
    }
  }
`

async function open(server: LiveServer, method: 'GET' | 'POST' = 'GET'): Promise<EventStream> {
  const stream = await subscribe(server.url, changes, method)
  streams.push(stream)
  return stream
}

describe('contentChanged', () => {
  it('should tell each change with the posts as they read in the new snapshot', async () => {
    live = await startLive({ 'a.md': postText('A'), 'b.md': postText('B') })
    const stream = await open(live)

    await live.write('a.md', postText('A edited'))
    const edited = (await stream.next()).data.contentChanged
    expect(edited).toEqual({
      version: expect.any(String),
      added: [],
      changed: [{ slug: 'a', title: 'A edited', talks: { nodes: [{ title: 'A edited talk' }] } }],
      removed: [],
      problems: [],
    })
    // The version is the one now served.
    expect((await gql(live.url, '{ stats { version } }')).stats.version).toBe(edited.version)

    await live.write('c.md', postText('C'))
    const added = (await stream.next()).data.contentChanged
    expect(added).toMatchObject({ added: [{ slug: 'c', title: 'C' }], changed: [], removed: [] })
    expect(added.version).not.toBe(edited.version)

    await rm(path.join(live.dir, 'b.md'))
    const removed = (await stream.next()).data.contentChanged
    expect(removed).toMatchObject({ added: [], changed: [], removed: ['b.md'] })
  })

  it('should report a broken save with its problems, the post kept as it was', async () => {
    live = await startLive({ 'a.md': postText('A') })
    const stream = await open(live)
    await live.write('a.md', '---\ntitle: A\ntags: [x]]\n---\n- broken\n')
    const broken = (await stream.next()).data.contentChanged
    expect(broken.changed).toEqual([])
    expect(broken.problems).toContainEqual({
      path: 'a.md',
      line: 3,
      severity: 'ERROR',
      code: 'yaml-syntax',
    })
    await live.write('a.md', postText('A fixed'))
    const fixed = (await stream.next()).data.contentChanged
    expect(fixed).toMatchObject({ changed: [{ slug: 'a', title: 'A fixed' }], problems: [] })
  })

  it('should send every event to every subscriber, over GET and POST (as GraphiQL subscribes)', async () => {
    live = await startLive({ 'a.md': postText('A') })
    const get = await open(live, 'GET')
    const post = await open(live, 'POST')
    await live.write('a.md', postText('A again'))
    const [first, second] = await Promise.all([get.next(), post.next()])
    expect(first).toEqual(second)
    expect(first.data.contentChanged.changed).toMatchObject([{ title: 'A again' }])
  })

  it('should resolve every field of ContentChange (the selection test/api/every-field checks)', async () => {
    live = await startLive({ 'a.md': postText('A') })
    const stream = await subscribe(
      live.url,
      'subscription { contentChanged { version added { slug } changed { slug } removed problems { code } } }',
    )
    streams.push(stream)
    await live.write('b.md', postText('B'))
    const event: Json = await stream.next()
    expect(event.errors).toBeUndefined()
    expect(event.data.contentChanged).toEqual({
      version: expect.stringMatching(/^[0-9a-f]{16}$/),
      added: [{ slug: 'b' }],
      changed: [],
      removed: [],
      problems: [],
    })
  })

  it('should answer a subscription on a server that does not watch, and stay quiet', async () => {
    const server = createContentServer({ graph: await graphOf(fixtureDir), logging: false })
    const response = await server.yoga.fetch(
      `http://yoga/graphql?query=${encodeURIComponent('subscription { contentChanged { version } }')}`,
      { headers: { accept: 'text/event-stream' } },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader()
    // A ping, then nothing until the client leaves.
    expect((await reader?.read())?.value).toBe(':\n\n')
    await reader?.cancel()
  })
})
