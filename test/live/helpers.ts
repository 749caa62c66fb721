/**
 * Helpers for the live tests: a watching server on a real port over a
 * temporary content folder, GraphQL over real `fetch`, and a reader of
 * Server-Sent Events.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  type ContentFolderOptions,
  type ContentServer,
  createContentServer,
  type YogaOptions,
} from '../../src/server/create-server.ts'
import { type Listening, listen } from '../../src/server/listen.ts'
import type { Json } from '../api/request.ts'

/** A watching server, listening, over its own temporary folder. */
export interface LiveServer {
  readonly dir: string
  readonly server: ContentServer
  readonly listening: Listening
  /** URL of the GraphQL endpoint. */
  readonly url: string
  /** Write a file of the content folder (path relative to it). */
  write(file: string, text: string): Promise<void>
  /** Stop the server and the watcher, and delete the folder. */
  close(): Promise<void>
}

/**
 * A post in the smallest form the reader takes: front matter and one talk.
 *
 * @param title
 *   Title of the post (and of its talk).
 * @param note
 *   Text of the talk's only bullet.
 * @returns
 *   Markdown.
 */
export function postText(title: string, note = 'a note about `Spark`'): string {
  return `---\ntitle: ${title}\ndate: 2024-01-02\n---\n### 1. ${title} talk\n\n- ${note}\n`
}

/**
 * Start a watching server on a free port over a new folder holding `files`.
 *
 * @param files
 *   Content to start with, by path relative to the folder.
 * @param options
 *   More server options (caching, persisted documents, drafts, a change listener).
 * @returns
 *   The server, once its first snapshot is served.
 */
export async function startLive(
  files: Record<string, string>,
  options: YogaOptions & Pick<ContentFolderOptions, 'drafts' | 'onChange'> = {},
): Promise<LiveServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-live-'))
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text)
  const server = createContentServer({ contentDir: dir, watch: true, logging: false, ...options })
  const listening = await listen(server, { port: 0, host: '127.0.0.1' })
  await server.ready
  return {
    dir,
    server,
    listening,
    url: listening.url,
    write: (file, text) => writeFile(path.join(dir, file), text),
    async close() {
      await listening.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * POST a GraphQL document that must succeed.
 *
 * @param url
 *   Endpoint.
 * @param query
 *   Document.
 * @param variables
 *   Variables.
 * @returns
 *   The `data` of the response.
 * @throws
 *   When the response has errors.
 */
export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Json> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  })
  const body = (await response.json()) as { data?: Json; errors?: unknown[] }
  if (body.errors?.length) throw new Error(`Unexpected errors: ${JSON.stringify(body.errors)}`)
  return body.data
}

/**
 * Ask again until a check passes, as a client polling for a change would.
 *
 * @param read
 *   Reads the state (such as a query).
 * @param check
 *   Whether the state is the one awaited.
 * @param timeoutMs
 *   How long to try.
 * @returns
 *   The first state that passed.
 * @throws
 *   When none did in time, showing the last one.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 8000,
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await read()
    if (check(value)) return value
    if (Date.now() - started > timeoutMs) {
      throw new Error(`not reached within ${timeoutMs} ms; last: ${JSON.stringify(value)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** A subscription read from a `text/event-stream` response. */
export interface EventStream {
  /** The `data` of the next `next` event (fails after a timeout). */
  next(timeoutMs?: number): Promise<Json>
  /** Close the connection. */
  close(): void
}

/**
 * Open a subscription over Server-Sent Events and read its events with
 * `fetch`'s stream reader, as a browser's `EventSource` would.
 *
 * @param url
 *   Endpoint.
 * @param query
 *   Subscription document.
 * @param method
 *   `GET` (query in the URL, as `EventSource` sends it) or `POST` (JSON
 *   body, as GraphiQL sends it).
 * @returns
 *   The stream, once the server has started sending it.
 */
export async function subscribe(
  url: string,
  query: string,
  method: 'GET' | 'POST' = 'GET',
): Promise<EventStream> {
  const abort = new AbortController()
  const response =
    method === 'GET'
      ? await fetch(`${url}?query=${encodeURIComponent(query)}`, {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        })
      : await fetch(url, {
          method: 'POST',
          headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
          signal: abort.signal,
        })
  if (response.headers.get('content-type') !== 'text/event-stream' || !response.body) {
    throw new Error(`not an event stream: ${response.status} ${await response.text()}`)
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  // One block per event, separated by a blank line; `:` lines are pings.
  const nextBlock = async (): Promise<string> => {
    for (;;) {
      const end = buffer.indexOf('\n\n')
      if (end !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        return block
      }
      const { value, done } = await reader.read()
      if (done) throw new Error('the event stream ended')
      buffer += value
    }
  }
  // The server subscribes to changes once the first block (a ping) is read:
  // wait for it, so that no change made after this returns is missed.
  await nextBlock()
  await new Promise((resolve) => setTimeout(resolve, 50))
  return {
    async next(timeoutMs = 8000) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs)
      })
      try {
        for (;;) {
          const block = await Promise.race([nextBlock(), timeout])
          const lines = block.split('\n')
          if (!lines.includes('event: next')) continue
          const data = lines
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n')
          return JSON.parse(data)
        }
      } finally {
        clearTimeout(timer)
      }
    },
    close: () => abort.abort(),
  }
}
