/**
 * Helpers for the security tests: send raw requests to a yoga instance (or a
 * real server) and check that a refused request gets its code and status,
 * and that the server still answers the next ordinary query.
 */
import { expect } from 'vitest'
import type { Json } from '../api/request.ts'

/** The media type of GraphQL over HTTP, under which refusals get 4xx. */
export const graphqlResponse = 'application/graphql-response+json'

/** Anything with a fetch handler: a yoga instance, or `globalThis` for a real server. */
export interface Fetcher {
  fetch(url: string, init?: RequestInit): Promise<Response> | Response
}

/** A response, its body read once. */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body as JSON, or undefined when it is not JSON. */
  readonly body: Json
}

/**
 * Send a request to the GraphQL endpoint.
 *
 * @param fetcher
 *   Yoga instance (URL `http://yoga/graphql`) or a real server's `fetch`.
 * @param init
 *   Request, POST with a JSON body of `application/json` by default.
 * @param url
 *   Endpoint.
 * @returns
 *   Status, headers and body.
 */
export async function send(
  fetcher: Fetcher,
  init: RequestInit = {},
  url = 'http://yoga/graphql',
): Promise<Answer> {
  const response = await fetcher.fetch(url, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  })
  const text = await response.text()
  let body: Json
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, text, body }
}

/** What a request sends besides its document, and where. */
export interface QueryOptions {
  readonly variables?: Record<string, unknown>
  readonly operationName?: string
  /** Endpoint; the yoga instance's when omitted. */
  readonly url?: string
}

/**
 * POST a GraphQL document as JSON.
 *
 * @param fetcher
 *   Yoga instance or `globalThis`.
 * @param query
 *   Document.
 * @param options
 *   Variables, operation name, the `accept` header and the URL.
 * @returns
 *   Status, headers and body.
 */
export function query(
  fetcher: Fetcher,
  document: string,
  options: QueryOptions & { accept?: string } = {},
): Promise<Answer> {
  const { variables = {}, operationName } = options
  return send(
    fetcher,
    {
      headers: { accept: options.accept ?? graphqlResponse },
      body: JSON.stringify({ query: document, variables, operationName }),
    },
    options.url,
  )
}

/**
 * Check that a document is refused with a code: 400 for clients that accept
 * `application/graphql-response+json`, 200 for `application/json` ones, no
 * data either way; and that the next ordinary query still succeeds.
 *
 * @param fetcher
 *   Yoga instance or `globalThis`.
 * @param document
 *   The hostile document.
 * @param code
 *   Expected `extensions.code` of the first error.
 * @param options
 *   Variables, operation name and the URL.
 * @returns
 *   The errors of the refusal, for more checks.
 */
export async function expectRefused(
  fetcher: Fetcher,
  document: string,
  code: string,
  options: QueryOptions = {},
): Promise<{ message: string; extensions: Record<string, unknown> }[]> {
  const strict = await query(fetcher, document, options)
  expect(strict.status, strict.text).toBe(400)
  expect(strict.body.errors[0].extensions.code, strict.text).toBe(code)
  expect(strict.body.data).toBeUndefined()
  const json = await query(fetcher, document, { ...options, accept: 'application/json' })
  expect(json.status, json.text).toBe(200)
  expect(json.body.errors[0].extensions.code).toBe(code)
  await expectServing(fetcher, options.url)
  return strict.body.errors
}

/**
 * Check that the server answers an ordinary query.
 *
 * @param fetcher
 *   Yoga instance or `globalThis`.
 * @param url
 *   Endpoint.
 */
export async function expectServing(fetcher: Fetcher, url?: string): Promise<void> {
  const ordinary = await query(fetcher, '{ stats { posts } }', url === undefined ? {} : { url })
  expect(ordinary.status, ordinary.text).toBe(200)
  expect(ordinary.body).toEqual({ data: { stats: { posts: expect.any(Number) } } })
}
