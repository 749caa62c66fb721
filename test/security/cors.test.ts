/**
 * Cross-origin requests: any origin may read the public API, but never with
 * credentials, and `--cors-origin` narrows the origins a browser lets in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContentServer } from '../../src/server/create-server.ts'
import { sampleDir } from '../api/request.ts'
import { type Served, startServe } from '../helpers/serve.ts'

const preflight = (origin: string): RequestInit => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  },
})

describe('CORS by default', () => {
  const yoga = createContentServer({ contentDir: sampleDir, logging: false }).yoga

  it('should let any origin call the API without allowing credentials', async () => {
    const answer = await yoga.fetch('http://yoga/graphql', preflight('https://evil.example'))
    expect(answer.status).toBe(204)
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('should send no credentials header on an ordinary cross-origin request', async () => {
    const answer = await yoga.fetch('http://yoga/graphql?query=%7B__typename%7D', {
      headers: { origin: 'https://evil.example', accept: 'application/json' },
    })
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull()
  })
})

describe('content-graph serve --cors-origin', () => {
  let served: Served

  beforeAll(async () => {
    served = await startServe([
      '--content',
      sampleDir,
      '--cache-dir',
      '',
      '--cors-origin',
      'https://blog.example, https://admin.example',
    ])
  })

  afterAll(async () => {
    await served?.close()
  })

  it('should allow the origins listed, without credentials', async () => {
    const answer = await fetch(served.url, preflight('https://admin.example'))
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://admin.example')
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('should not allow another origin', async () => {
    const answer = await fetch(served.url, preflight('https://evil.example'))
    expect(answer.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull()
  })
})
