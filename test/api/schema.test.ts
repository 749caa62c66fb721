import {
  type GraphQLNamedType,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  printSchema,
} from 'graphql'
import { describe, expect, it } from 'vitest'
import { mergeResolvers } from '../../src/api/resolvers/index.ts'
import { createSchema, typeDefs } from '../../src/api/schema.ts'
import { builtinCatalogEntries, createCatalog } from '../../src/catalog/catalog.ts'
import { extractPost } from '../../src/extract/post.ts'
import { createContentGraph } from '../../src/graph/content-graph.ts'
import { data, serverFor } from './request.ts'

const schema = createSchema()

describe('the schema', () => {
  it('should describe every type, field, argument, input field and enum value', () => {
    const undescribed: string[] = []
    const check = (name: string, description: string | null | undefined) => {
      if (!description?.trim()) undescribed.push(name)
    }
    const own = Object.values(schema.getTypeMap()).filter(
      (type: GraphQLNamedType) => !type.name.startsWith('__') && !isSpecifiedScalarType(type),
    )
    for (const type of own) {
      check(type.name, type.description)
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          check(`${type.name}.${field.name}`, field.description)
          for (const arg of field.args)
            check(`${type.name}.${field.name}(${arg.name})`, arg.description)
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          check(`${type.name}.${field.name}`, field.description)
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description)
      }
    }
    expect(undescribed).toEqual([])
  })

  it('should keep the SDL descriptions and spec URLs of the graphql-scalars scalars', () => {
    const described = Object.values(schema.getTypeMap()).filter(
      (type) => isScalarType(type) && !isSpecifiedScalarType(type),
    )
    expect(described.map((type) => type.name).sort()).toEqual([
      'Date',
      'DateTime',
      'HTML',
      'JSON',
      'URL',
    ])
    const dateTime = schema.getType('DateTime')
    expect(dateTime?.description).toContain(
      'always sent in UTC, such as `2019-10-12T05:00:00.000Z`',
    )
    expect(schema.getType('URL')?.description).toContain('WHATWG URL Standard')
    expect(isScalarType(dateTime) && dateTime.specifiedByURL).toBe(
      'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
    )
    for (const type of described) expect(typeDefs).toContain(type.description)
  })

  it('should print defaults with their enum names, nested in inputs too', () => {
    const printed = printSchema(schema)
    expect(printed).toContain('orderBy: PostOrder = {field: DATE, direction: DESC}')
    expect(printed).toContain('orderBy: TalkOrder = {field: POSITION, direction: ASC}')
    expect(printed).toContain('format: TextFormat = PLAIN')
  })

  it('should answer the introspection query that GraphiQL and codegen send', async () => {
    const server = serverFor(
      createContentGraph({ posts: [], catalog: createCatalog([]), problems: [] }),
    )
    const result = await data(
      server,
      getIntrospectionQuery({ specifiedByUrl: true, descriptions: true }),
    )
    const query = result.__schema.types.find((type: { name: string }) => type.name === 'Query')
    const posts = query.fields.find((field: { name: string }) => field.name === 'posts')
    const orderBy = posts.args.find((arg: { name: string }) => arg.name === 'orderBy')
    expect(orderBy.defaultValue).toBe('{field: DATE, direction: DESC}')
  })

  it('should refuse a field resolved in two areas', () => {
    expect(() =>
      mergeResolvers([{ Query: { stats: () => null } }, { Query: { stats: () => null } }] as never),
    ).toThrow('Query.stats is resolved twice')
  })
})

describe('technology categories', () => {
  it('should show a category the schema does not know as null', async () => {
    const catalog = createCatalog([
      ...builtinCatalogEntries,
      { name: 'Qubitron', category: 'quantum' },
      { name: 'Dockery', category: 'devops' },
    ])
    const text = '---\ntitle: Q\n---\n## Talk\n\n- `Qubitron` and `Dockery`\n'
    const { post } = extractPost({ path: 'q.md', text }, { catalog })
    const graph = createContentGraph({ posts: post ? [post] : [], catalog, problems: [] })
    const result = await data(
      serverFor(graph),
      `{
        quantum: technology(slug: "qubitron") { name category isInCatalog }
        devops: technology(slug: "dockery") { category }
        filtered: technologies(filter: {category: DEVOPS}) { nodes { slug } }
      }`,
    )
    expect(result.quantum).toEqual({ name: 'Qubitron', category: null, isInCatalog: true })
    expect(result.devops).toEqual({ category: 'DEVOPS' })
    expect(result.filtered.nodes).toEqual([{ slug: 'dockery' }])
  })
})
