/**
 * Introspection: on by default in development, off by configuration or in
 * production; and when off, error messages never suggest field, argument,
 * type or enum names.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { defaultIntrospection } from '../../src/server/security/index.ts'
import { graphOf, sampleDir } from '../api/request.ts'
import { type Fetcher, query } from './helpers.ts'

let graph: ContentGraph

beforeAll(async () => {
  graph = await graphOf(sampleDir)
})

afterEach(() => {
  vi.unstubAllEnvs()
})

const schemaQuery = '{ __schema { queryType { name } } }'

/** Documents whose errors name something of the schema when suggestions are on. */
const guesses: readonly [string, Record<string, unknown>?][] = [
  // A field.
  ['{ stats { postz } }'],
  // An argument.
  ['{ talks(frist: 1) { totalCount } }'],
  // A type in a fragment.
  ['{ ...F } fragment F on Quer { stats { posts } }'],
  // An enum value, written in the document…
  ['{ technologies(orderBy: {field: NAME, direction: ASCC}) { totalCount } }'],
  // …or sent as a variable, checked at execution rather than validation.
  [
    'query ($d: OrderDirection!) { technologies(orderBy: {field: NAME, direction: $d}) { totalCount } }',
    { d: 'ASCC' },
  ],
  // A field of an input object, sent as a variable.
  ['query ($f: TalkFilter) { talks(filter: $f) { totalCount } }', { f: { technolgy: 'spark' } }],
]

/** The messages of the errors each guess gets. */
async function messagesOf(fetcher: Fetcher): Promise<string[]> {
  const messages: string[] = []
  for (const [document, variables] of guesses) {
    const response = await query(fetcher, document, variables ? { variables } : {})
    expect(response.body.errors?.length, document).toBeGreaterThan(0)
    messages.push(...response.body.errors.map((error: { message: string }) => error.message))
  }
  return messages
}

describe('introspection', () => {
  it('should be on by default outside production, with suggestions', async () => {
    vi.stubEnv('NODE_ENV', 'development')
    vi.stubEnv('INTROSPECTION', '')
    const { yoga } = createContentServer({ graph, logging: false })
    const response = await query(yoga, schemaQuery)
    expect(response.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } })
    const messages = await messagesOf(yoga)
    expect(messages.filter((message) => message.includes('Did you mean'))).toHaveLength(
      guesses.length,
    )
  })

  it('should be off when the option says so, and suggest nothing', async () => {
    const { yoga } = createContentServer({ graph, introspection: false, logging: false })
    for (const document of [schemaQuery, '{ __type(name: "Post") { name } }']) {
      const response = await query(yoga, document)
      expect(response.status).toBe(400)
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED')
      expect(response.body.errors[0].message).toContain('introspection has been disabled')
    }
    // `__typename` is no introspection of the schema, and clients rely on it.
    expect((await query(yoga, '{ stats { __typename } }')).body).toEqual({
      data: { stats: { __typename: 'Stats' } },
    })
    const messages = await messagesOf(yoga)
    for (const message of messages) {
      expect(message).not.toMatch(/Did you mean|posts|first|Query"|"ASC"|technology"/)
      expect(message).not.toContain('[Suggestion hidden]')
    }
    expect(messages[0]).toBe('Cannot query field "postz" on type "Stats".')
  })

  it('should be off with NODE_ENV=production or INTROSPECTION=false, and on with INTROSPECTION=true', async () => {
    expect(defaultIntrospection({})).toBe(true)
    expect(defaultIntrospection({ NODE_ENV: 'development' })).toBe(true)
    expect(defaultIntrospection({ NODE_ENV: 'production' })).toBe(false)
    expect(defaultIntrospection({ INTROSPECTION: 'false' })).toBe(false)
    expect(defaultIntrospection({ INTROSPECTION: '0' })).toBe(false)
    expect(defaultIntrospection({ NODE_ENV: 'production', INTROSPECTION: 'true' })).toBe(true)

    vi.stubEnv('NODE_ENV', 'production')
    vi.stubEnv('INTROSPECTION', '')
    const production = createContentServer({ graph, logging: false }).yoga
    expect((await query(production, schemaQuery)).status).toBe(400)
    // The option wins over the environment.
    const opened = createContentServer({ graph, introspection: true, logging: false }).yoga
    expect((await query(opened, schemaQuery)).status).toBe(200)

    vi.stubEnv('NODE_ENV', 'development')
    vi.stubEnv('INTROSPECTION', 'false')
    const closed = createContentServer({ graph, logging: false }).yoga
    expect((await query(closed, schemaQuery)).status).toBe(400)
  })
})
