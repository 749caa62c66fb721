/**
 * Hostile queries: too deep, too many aliases, directives or tokens, too
 * costly, pages too large, fragment cycles and nesting hidden behind
 * fragments. Each is refused with a code (400 under GraphQL over HTTP, 200
 * for `application/json` clients) and the server goes on serving; legitimate
 * queries, GraphiQL's and the example client's included, pass every limit.
 */
import { getIntrospectionQuery, parse, print } from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import { talksByTechnologyDocument } from '../../examples/talks-by-technology.ts'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { defaultQuery } from '../../src/server/graphiql.ts'
import { hardeningDefaults, operationCost } from '../../src/server/security/index.ts'
import { graphOf, sampleDir } from '../api/request.ts'
import { expectRefused, query } from './helpers.ts'

let graph: ContentGraph
let server: ContentServer

beforeAll(async () => {
  graph = await graphOf(sampleDir)
  server = createContentServer({ graph, logging: false })
})

/** A query nested `levels` levels deep, cheap at any depth (`Bullet.parent` is no list). */
function nested(levels: number): string {
  // talks(1) → nodes(2) → bullets(3) → nodes(4) → parent… → text (a leaf: not counted)
  const parents = levels - 4
  return `{ talks(first: 1) { nodes { bullets(first: 1) { nodes { ${'parent { '.repeat(parents)}text${' }'.repeat(parents)} } } } } }`
}

/** Aliases `count` times over. */
function aliased(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: stats { posts }`).join(' ')} }`
}

describe('depth', () => {
  it('should allow the deepest legitimate query, 10 levels, and refuse 11', async () => {
    // The example of the deepest query a client may send: 10 levels
    // of nesting (the leaf fields are not counted).
    const deepest = `{ technology(slug: "spark") { talks(first: 5) { nodes { post { talks(first: 5) { nodes {
      bullets(first: 5) { nodes { children { technologies { name } } } } } } } } } } }`
    const allowed = await query(server.yoga, deepest)
    expect(allowed.status, allowed.text).toBe(200)
    expect(allowed.body.data.technology.talks.nodes).toHaveLength(2)

    expect((await query(server.yoga, nested(10))).body.errors).toBeUndefined()
    const errors = await expectRefused(server.yoga, nested(11), 'DEPTH_LIMIT')
    expect(errors[0]?.message).toContain('more than 10 levels')
    expect(errors[0]?.extensions.limit).toBe(10)
  })

  it('should count the fields of fragments, named or inline, without hiding any', async () => {
    const hidden = `query { talks(first: 1) { ...Talk } }
      fragment Talk on TalkConnection { nodes { bullets(first: 1) { ...Bullets } } }
      fragment Bullets on BulletConnection { nodes { ... on Bullet { ...Deep } } }
      fragment Deep on Bullet { ${'parent { '.repeat(7)}text${' }'.repeat(7)} }`
    await expectRefused(server.yoga, hidden, 'DEPTH_LIMIT')
  })

  it('should count a field aliased __schema as any other', async () => {
    const disguised = nested(11).replace('{ talks(', '{ __schema: talks(')
    await expectRefused(server.yoga, disguised, 'DEPTH_LIMIT')
    const fragment = `{ ...__schema } fragment __schema on Query ${nested(11)}`
    await expectRefused(server.yoga, fragment, 'DEPTH_LIMIT')
  })

  it('should refuse introspection nested in circles (graphql-js MaxIntrospectionDepthRule)', async () => {
    const circles =
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'
    await expectRefused(server.yoga, circles, 'GRAPHQL_VALIDATION_FAILED')
  })

  it('should take a lower limit from the options', async () => {
    const shallow = createContentServer({ graph, maxDepth: 2, logging: false })
    expect((await query(shallow.yoga, '{ stats { posts } }')).status).toBe(200)
    expect((await query(shallow.yoga, '{ talks { nodes { title } } }')).status).toBe(200)
    await expectRefused(shallow.yoga, '{ talks { nodes { post { title } } } }', 'DEPTH_LIMIT')
  })
})

describe('aliases, directives and tokens', () => {
  it('should allow 15 aliases and refuse 16', async () => {
    expect((await query(server.yoga, aliased(15))).status).toBe(200)
    await expectRefused(server.yoga, aliased(16), 'ALIAS_LIMIT')
  })

  it('should refuse more than 50 directives', async () => {
    const directives = (count: number) =>
      `{ stats { ${Array.from({ length: count }, (_, i) => `p${i % 10}: posts @include(if: true)`).join(' ')} } }`
    const allowed = await query(server.yoga, directives(50).replace(/p\d: /g, ''))
    expect(allowed.body.errors).toBeUndefined()
    await expectRefused(server.yoga, directives(51), 'DIRECTIVE_LIMIT')
  })

  it('should refuse more than 1000 tokens while parsing', async () => {
    // `query Qn { stats { posts } }` is 8 tokens: 125 of them make 1000.
    const operations = (count: number) =>
      Array.from({ length: count }, (_, i) => `query Q${i} { stats { posts } }`).join('\n')
    const allowed = await query(server.yoga, operations(125), { operationName: 'Q7' })
    expect(allowed.status, allowed.text).toBe(200)
    await expectRefused(server.yoga, operations(126), 'TOKEN_LIMIT', { operationName: 'Q7' })
  })

  it('should refuse 5,000 copies of one field before validating them', async () => {
    const started = performance.now()
    await expectRefused(server.yoga, `{ stats { ${'posts '.repeat(5000)}} }`, 'TOKEN_LIMIT')
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('should refuse a fragment cycle', async () => {
    const cycle =
      '{ ...A } fragment A on Query { stats { posts } ...B } fragment B on Query { ...A }'
    const errors = await expectRefused(server.yoga, cycle, 'GRAPHQL_VALIDATION_FAILED')
    expect(errors[0]?.message).toContain('Cannot spread fragment "A" within itself')
  })
})

describe('cost', () => {
  const costOf = (document: string, variables: Record<string, unknown> = {}) =>
    operationCost(server.schema, parse(document), { variables })

  it('should count every value a response can hold, pages multiplying', () => {
    expect(costOf('{ stats { posts talks } }')).toBe(3)
    // talks 1 + nodes 1 + 7 × (title 1) = 9
    expect(costOf('{ talks(first: 7) { nodes { title } } }')).toBe(9)
    expect(costOf('{ talks(last: 7) { nodes { title } } }')).toBe(9)
    expect(costOf('{ talks(first: 7, last: 3) { nodes { title } } }')).toBe(5)
    // Without first or last, a page of 20.
    expect(costOf('{ talks { nodes { title } } }')).toBe(22)
    // From variables, as execution sees them, defaults included.
    expect(costOf('query ($n: Int) { talks(first: $n) { nodes { title } } }', { n: 7 })).toBe(9)
    expect(costOf('query ($n: Int = 7) { talks(first: $n) { nodes { title } } }')).toBe(9)
    // Nested pages multiply: 1 + 1 + 10 × (1 + 1 + 5 × 1) = 72.
    expect(
      costOf('{ technologies(first: 10) { nodes { talks(first: 5) { nodes { title } } } } }'),
    ).toBe(72)
    // nodes(ids:) holds one item per id.
    expect(costOf('{ nodes(ids: ["a", "b", "c"]) { id } }')).toBe(4)
    // A fragment spread twice in a selection runs once.
    expect(costOf('{ ...S ...S } fragment S on Query { stats { posts } }')).toBe(2)
  })

  it('should refuse a query whose pages multiply past the limit, literal or variable', async () => {
    const huge = `query ($n: Int = 100) { technologies(first: $n) { nodes {
      talks(first: $n) { nodes { bullets(first: $n) { nodes { text } } } } } } }`
    const errors = await expectRefused(server.yoga, huge, 'COST_LIMIT')
    expect(errors[0]?.extensions.limit).toBe(hardeningDefaults.maxCost)
    await expectRefused(server.yoga, huge, 'COST_LIMIT', { variables: { n: 50 } })
    const literal = `{ technologies(first: 100) { nodes {
      talks(first: 100) { nodes { bullets(first: 100) { nodes { text } } } } } } }`
    await expectRefused(server.yoga, literal, 'COST_LIMIT')
    // The same query with small pages is fine.
    const small = await query(server.yoga, huge, { variables: { n: 5 } })
    expect(small.status, small.text).toBe(200)
  })

  it('should count the default page of 20 where a query gives no page size', async () => {
    // The deepest query without page sizes: 20 × 20 × 20 × 10 × 10
    // values at worst, though this sample holds few.
    const unpaged = `{ technology(slug: "spark") { talks { nodes { post { talks { nodes {
      bullets { nodes { children { technologies { name } } } } } } } } } } }`
    await expectRefused(server.yoga, unpaged, 'COST_LIMIT')
  })

  it('should take another limit from the options', async () => {
    const strict = createContentServer({ graph, maxCost: 5, logging: false })
    expect((await query(strict.yoga, '{ stats { posts } }')).status).toBe(200)
    await expectRefused(strict.yoga, '{ talks(first: 5) { nodes { title } } }', 'COST_LIMIT')
  })
})

describe('pages', () => {
  it('should refuse first or last over 100 with PAGINATION_LIMIT before running', async () => {
    for (const document of [
      '{ talks(first: 101) { totalCount } }',
      '{ technologies(last: 1000) { totalCount } }',
      '{ technology(slug: "spark") { talks(first: 0) { totalCount } } }',
      'query ($n: Int) { posts(first: $n) { totalCount } }',
      `{ nodes(ids: [${Array.from({ length: 101 }, (_, i) => `"${i}"`).join(', ')}]) { id } }`,
    ]) {
      const errors = await expectRefused(server.yoga, document, 'PAGINATION_LIMIT', {
        variables: { n: 101 },
      })
      expect(errors[0]?.message).toMatch(/the limit is 100/)
      expect(errors[0]?.extensions.limit).toBe(100)
    }
  })
})

describe('legitimate queries', () => {
  it('should run both GraphiQL example queries', async () => {
    for (const operationName of ['TechnologiesAndTheirTalks', 'TalksAboutSpark']) {
      const response = await server.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify({ query: defaultQuery, operationName }),
      })
      const body = (await response.json()) as { errors?: unknown }
      expect(response.status).toBe(200)
      expect(body.errors).toBeUndefined()
    }
  })

  it('should run the example client query', async () => {
    const response = await query(server.yoga, print(talksByTechnologyDocument), {
      variables: { technology: 'spark', after: null },
    })
    expect(response.status, response.text).toBe(200)
    expect(response.body.data.technology.talks.totalCount).toBe(2)
  })

  it('should answer the introspection query that GraphiQL and codegen send', async () => {
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    })
    const response = await query(server.yoga, introspection)
    expect(response.status, response.text.slice(0, 500)).toBe(200)
    expect(response.body.data.__schema.queryType.name).toBe('Query')
  })

  it('should run a dashboard: 100 technologies with 10 talks each', async () => {
    const dashboard = `{ technologies(first: 100) { totalCount nodes { name category mentionCount
      talks(first: 10) { totalCount nodes { title post { title slug } } } } } }`
    const response = await query(server.yoga, dashboard)
    expect(response.status, response.text.slice(0, 500)).toBe(200)
    expect(response.body.errors).toBeUndefined()
  })

  it('should run a post page: every talk with its bullets and their technologies', async () => {
    const page = `query ($slug: String!) { post(slug: $slug) { title date tags html
      talks(first: 20) { totalCount nodes { number title speaker
        sections { title }
        bullets(first: 100) { nodes { text depth kind technologies { name slug } } } } } } }`
    const response = await query(server.yoga, page, { variables: { slug: 'datayanolja-2020' } })
    expect(response.status, response.text.slice(0, 500)).toBe(200)
    expect(response.body.errors).toBeUndefined()
  })
})
