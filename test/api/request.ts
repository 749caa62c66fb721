/**
 * Helpers for API tests: build a server for a graph and send it GraphQL over
 * `yoga.fetch`, without a port.
 */
import { fileURLToPath } from 'node:url'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'

/** The sample content shipped with the project. */
export const sampleDir = fileURLToPath(new URL('../../content/', import.meta.url))

/** The API test content: dated and undated posts, a user catalog, a broken post. */
export const fixtureDir = fileURLToPath(new URL('./content/', import.meta.url))

/**
 * A value from a response. Responses are checked value by value against what
 * each query selects, so a static type per query would add only noise.
 */
// biome-ignore lint/suspicious/noExplicitAny: see the comment above
export type Json = any

/** A GraphQL response as sent over HTTP. */
export interface Response {
  readonly status: number
  readonly data?: Json
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[]
}

/**
 * Read a content folder into a graph.
 *
 * @param dir
 *   Folder.
 * @returns
 *   The graph.
 */
export async function graphOf(dir: string): Promise<ContentGraph> {
  return (await loadContent({ contentDir: dir })).graph
}

/**
 * Build a quiet server around a graph.
 *
 * @param graph
 *   Graph to serve.
 * @returns
 *   The server.
 */
export function serverFor(graph: ContentGraph): ContentServer {
  return createContentServer({ graph, logging: false })
}

/**
 * POST a GraphQL document.
 *
 * @param server
 *   Server to ask.
 * @param query
 *   Document.
 * @param variables
 *   Variables.
 * @returns
 *   Status and body.
 */
export async function post(
  server: ContentServer,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Response> {
  const response = await server.yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  })
  return { status: response.status, ...((await response.json()) as object) }
}

/**
 * POST a GraphQL document that must succeed.
 *
 * @param server
 *   Server to ask.
 * @param query
 *   Document.
 * @param variables
 *   Variables.
 * @returns
 *   The `data` of the response.
 * @throws
 *   When the response has errors, quoting them.
 */
export async function data(
  server: ContentServer,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Json> {
  const response = await post(server, query, variables)
  if (response.errors?.length) {
    throw new Error(`Unexpected errors: ${JSON.stringify(response.errors, null, 2)}`)
  }
  return response.data
}

/**
 * POST a GraphQL document that must fail, and return the codes of its errors.
 *
 * @param server
 *   Server to ask.
 * @param query
 *   Document.
 * @param variables
 *   Variables.
 * @returns
 *   The errors.
 */
export async function errorsOf(
  server: ContentServer,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<NonNullable<Response['errors']>> {
  const response = await post(server, query, variables)
  if (!response.errors?.length) {
    throw new Error(`Expected errors, got ${JSON.stringify(response.data)}`)
  }
  return response.errors
}
