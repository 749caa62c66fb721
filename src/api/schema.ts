/**
 * The executable schema: the SDL in `schema/*.graphql` (the contract) with the
 * resolvers of `./resolvers/` and the scalars of `./scalars.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { makeExecutableSchema } from '@graphql-tools/schema'
import {
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  valueFromAST,
} from 'graphql'
import type { Resolvers } from '../generated/graphql.ts'
import type { ApiContext } from './context.ts'
import { resolvers } from './resolvers/index.ts'
import { createScalars } from './scalars.ts'

// Read relative to this module, not the working directory, so the CLI works
// from any folder.
const schemaDir = new URL('../../schema/', import.meta.url)

/** The SDL of every file in `schema/`, in file name order, joined. */
export const typeDefs: string = readdirSync(schemaDir)
  .filter((name) => name.endsWith('.graphql'))
  .sort()
  .map((name) => readFileSync(new URL(name, schemaDir), 'utf8'))
  .join('\n')

/**
 * Build the executable schema.
 *
 * @returns
 *   A schema whose resolvers expect an `ApiContext`.
 */
export function createSchema(): GraphQLSchema {
  const all: Resolvers<ApiContext> = { ...resolvers, ...createScalars(typeDefs) }
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: all,
    // Fail at start-up, not on a request, when the SDL and resolvers drift.
    resolverValidationOptions: {
      requireResolversToMatchSchema: 'error',
      requireResolversForResolveType: 'error',
    },
  })
  rereadDefaults(schema)
  return schema
}

// graphql-tools gives enums their internal values (`DATE` → `'date'`), but
// rewrites defaults nested in input objects with the old enum types, leaving
// `orderBy = {field: 'DATE'}` where `'date'` is meant; introspection then fails
// on it. So every default is read again from its SDL literal with the final
// types. Argument and input field objects are plain and owned by this schema.
function rereadDefaults(schema: GraphQLSchema): void {
  const reread = (input: GraphQLArgument | GraphQLInputField) => {
    const literal = input.astNode?.defaultValue
    if (literal) input.defaultValue = valueFromAST(literal, input.type)
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) field.args.forEach(reread)
    } else if (isInputObjectType(type)) {
      Object.values(type.getFields()).forEach(reread)
    }
  }
}
