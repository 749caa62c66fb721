/**
 * Persisted (trusted) documents: the ids codegen writes to
 * `examples/generated/persisted-documents.json`, sent instead of the text.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { TalksByTechnologyDocument } from '../../examples/generated/graphql.ts'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { createContentServer, type YogaOptions } from '../../src/server/create-server.ts'
import { fixtureDir, graphOf, type Json } from '../api/request.ts'

const documentsFile = fileURLToPath(
  new URL('../../examples/generated/persisted-documents.json', import.meta.url),
)
// The id a client built with the generated documents sends.
const id = (TalksByTechnologyDocument as unknown as { __meta__: { hash: string } }).__meta__.hash
const variables = { technology: 'kafka' }

let graph: ContentGraph
beforeAll(async () => {
  graph = await graphOf(fixtureDir)
})

const yogaWith = (options: YogaOptions) =>
  createContentServer({ graph, logging: false, ...options }).yoga

async function send(
  yoga: ReturnType<typeof yogaWith>,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Json }> {
  const response = await yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

describe('persisted documents', () => {
  it('should run a document sent by its id, as `documentId` in a POST body', async () => {
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/)
    const yoga = yogaWith({ persistedDocuments: documentsFile })
    const { status, body } = await send(yoga, { documentId: id, variables })
    expect(status).toBe(200)
    expect(body.data.technology).toMatchObject({ name: 'Kafka', talks: { totalCount: 1 } })
  })

  it('should run it from a GET with `documentId` in the URL, with an ETag', async () => {
    const yoga = yogaWith({ persistedDocuments: documentsFile })
    const url = `http://yoga/graphql?documentId=${encodeURIComponent(id)}&variables=${encodeURIComponent(JSON.stringify(variables))}`
    const response = await yoga.fetch(url, { headers: { accept: 'application/json' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).toBeTruthy()
    expect(((await response.json()) as Json).data.technology.name).toBe('Kafka')
  })

  it("should take Apollo's `extensions.persistedQuery.sha256Hash` too", async () => {
    const yoga = yogaWith({ persistedDocuments: documentsFile })
    const sha256Hash = id.slice('sha256:'.length)
    const { body } = await send(yoga, {
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    })
    expect(body.data.technology.name).toBe('Kafka')
  })

  it('should refuse an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    const yoga = yogaWith({ persistedDocuments: documentsFile })
    const { status, body } = await send(yoga, { documentId: 'sha256:0000' })
    expect(status).toBe(400)
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND')
  })

  it('should still run query text, unless only persisted documents are allowed', async () => {
    const open = yogaWith({ persistedDocuments: documentsFile })
    expect((await send(open, { query: '{ stats { posts } }' })).body).toEqual({
      data: { stats: { posts: 3 } },
    })
    const strict = yogaWith({ persistedDocuments: documentsFile, onlyPersisted: true })
    const refused = await send(strict, { query: '{ stats { posts } }' })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY')
    expect((await send(strict, { documentId: id, variables })).body.data.technology.name).toBe(
      'Kafka',
    )
  })

  it('should take the documents as an object too', async () => {
    const yoga = yogaWith({
      persistedDocuments: { 'sha256:abc': '{ stats { posts } }' },
      onlyPersisted: true,
    })
    expect((await send(yoga, { documentId: 'sha256:abc' })).body).toEqual({
      data: { stats: { posts: 3 } },
    })
  })

  it('should fail at start-up on a bad file or on onlyPersisted alone, naming the problem', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-persisted-'))
    try {
      const bad = path.join(dir, 'documents.json')
      await writeFile(bad, '{"sha256:abc": 1}')
      expect(() => yogaWith({ persistedDocuments: bad })).toThrow(
        `${bad}: the document of "sha256:abc" is not a string`,
      )
      expect(() => yogaWith({ persistedDocuments: path.join(dir, 'missing.json') })).toThrow(
        'cannot read persisted documents',
      )
      expect(() => yogaWith({ onlyPersisted: true })).toThrow('needs `persistedDocuments`')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
