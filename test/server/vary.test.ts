/**
 * `Vary` of GET query responses: `Accept` picks the media type, `Origin`
 * the CORS headers and `Accept-Encoding` the compression, so a shared HTTP
 * cache must key on all three, whether the
 * response was executed, served from the response cache, or a 304.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { graphOf, sampleDir } from '../api/request.ts'

let graph: ContentGraph

beforeAll(async () => {
  graph = await graphOf(sampleDir)
})

const url = `http://yoga/graphql?query=${encodeURIComponent('{ stats { posts } }')}`
const accept = 'application/graphql-response+json'

/** The names listed in a `Vary` header, lower-cased and sorted. */
const varied = (response: Response) =>
  (response.headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
    .sort()

describe('Vary', () => {
  it('should name Accept, Accept-Encoding and Origin on a miss, a cache hit and a 304 alike', async () => {
    const { yoga } = createContentServer({ graph, logging: false })
    const headers = { accept, origin: 'http://app.example' }
    const miss = await yoga.fetch(url, { headers })
    expect(miss.headers.get('x-cache')).toBe('MISS')
    const hit = await yoga.fetch(url, { headers })
    expect(hit.headers.get('x-cache')).toBe('HIT')
    const etag = miss.headers.get('etag') ?? ''
    const notModified = await yoga.fetch(url, { headers: { ...headers, 'if-none-match': etag } })
    expect(notModified.status).toBe(304)
    for (const response of [miss, hit, notModified]) {
      expect(varied(response)).toEqual(['accept', 'accept-encoding', 'origin'])
    }
  })

  it('should name Accept and Accept-Encoding alone without an Origin', async () => {
    const { yoga } = createContentServer({ graph, logging: false })
    const miss = await yoga.fetch(url, { headers: { accept } })
    const hit = await yoga.fetch(url, { headers: { accept } })
    expect(hit.headers.get('x-cache')).toBe('HIT')
    expect(varied(miss)).toEqual(['accept', 'accept-encoding'])
    expect(varied(hit)).toEqual(['accept', 'accept-encoding'])
  })
})
