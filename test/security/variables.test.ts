/**
 * Variables nested too deep or holding too many values are refused with a
 * code before anything walks them; ordinary variables pass.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { hardeningDefaults } from '../../src/server/security/index.ts'
import { graphOf, sampleDir } from '../api/request.ts'
import { expectRefused, expectServing, query, send } from './helpers.ts'

let server: ContentServer

beforeAll(async () => {
  server = createContentServer({ graph: await graphOf(sampleDir), logging: false })
})

/** JSON of a value nested `levels` lists deep (`JSON.stringify` would overflow the stack). */
function nestedListJson(levels: number): string {
  return `${'['.repeat(levels)}"bottom"${']'.repeat(levels)}`
}

/** A value nested `levels` lists deep, built without recursion. */
function nestedList(levels: number): unknown {
  let value: unknown = 'bottom'
  for (let level = 0; level < levels; level++) value = [value]
  return value
}

const talksQuery = 'query ($t: String) { talks(filter: {technology: $t}) { totalCount } }'

describe('variables', () => {
  it('should refuse variables nested 10,000 deep with a code, not a 500', async () => {
    const body = `{"query":${JSON.stringify(talksQuery)},"variables":{"t":${nestedListJson(10_000)}}}`
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const answer = await send(server.yoga, { headers: { accept }, body })
      expect(answer.status, answer.text).toBe(accept === 'application/json' ? 200 : 400)
      expect(answer.body.errors[0]).toEqual({
        message: `The variables nest more than ${hardeningDefaults.maxVariablesDepth} levels deep`,
        extensions: { code: 'VARIABLES_LIMIT', limit: hardeningDefaults.maxVariablesDepth },
      })
    }
    await expectServing(server.yoga)
  })

  it('should refuse deep variables sent in a GET query string too', async () => {
    const variables = encodeURIComponent(`{"t":${nestedListJson(10_000)}}`)
    const answer = await send(
      server.yoga,
      { method: 'GET', headers: { accept: 'application/graphql-response+json' } },
      `http://yoga/graphql?query=${encodeURIComponent(talksQuery)}&variables=${variables}`,
    )
    expect(answer.status, answer.text).toBe(400)
    expect(answer.body.errors[0].extensions.code).toBe('VARIABLES_LIMIT')
  })

  it('should refuse more values than the limit', async () => {
    const ids = Array.from({ length: hardeningDefaults.maxVariablesValues }, (_, i) => `id${i}`)
    await expectRefused(
      server.yoga,
      'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      'VARIABLES_LIMIT',
      {
        variables: { ids },
      },
    )
  })

  it('should pass the variables of ordinary queries', async () => {
    const answer = await query(server.yoga, talksQuery, { variables: { t: 'spark' } })
    expect(answer.body).toEqual({ data: { talks: { totalCount: 2 } } })
    const depth = nestedList(hardeningDefaults.maxVariablesDepth - 1)
    const deepButAllowed = await query(server.yoga, talksQuery, { variables: { t: depth } })
    // Within the limits, a wrong type is graphql-js's to report, as always.
    expect(deepButAllowed.body.errors[0].message).toMatch(/^Variable "\$t" got invalid value/)
  })
})
