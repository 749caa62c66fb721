/**
 * The custom scalars of the schema: `Date`, `DateTime`, `URL` and `JSON` from
 * graphql-scalars, and `HTML`.
 *
 * graphql-scalars' own types carry their own descriptions, which would replace
 * the ones in `schema/base.graphql` when handed to graphql-tools; here only
 * their coercion functions are used, under the SDL's descriptions. Inputs are
 * turned back into strings so that resolvers and the graph layer see the same
 * `YYYY-MM-DD` text as the model.
 */
import {
  type DocumentNode,
  GraphQLScalarType,
  type GraphQLScalarTypeConfig,
  Kind,
  parse,
  type ScalarTypeDefinitionNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql'
import { GraphQLDate, GraphQLDateTime, GraphQLJSON, GraphQLURL } from 'graphql-scalars'

/** The scalar resolvers, by scalar name. */
export interface ScalarResolvers {
  readonly Date: GraphQLScalarType
  readonly DateTime: GraphQLScalarType
  readonly URL: GraphQLScalarType
  readonly JSON: GraphQLScalarType
  readonly HTML: GraphQLScalarType
}

/**
 * Build the scalar resolvers, describing each as the SDL does.
 *
 * `DateTime` output is always UTC: graphql-scalars converts any offset
 * (`+09:00`) to `Z`, which is what the SDL promises.
 *
 * @param typeDefs
 *   The SDL that defines the scalars (text or parsed).
 * @returns
 *   One `GraphQLScalarType` per custom scalar.
 */
export function createScalars(typeDefs: string | DocumentNode): ScalarResolvers {
  const document = typeof typeDefs === 'string' ? parse(typeDefs) : typeDefs
  const definitions = new Map<string, ScalarTypeDefinitionNode>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCALAR_TYPE_DEFINITION) {
      definitions.set(definition.name.value, definition)
    }
  }
  const described = (
    name: string,
    config: Omit<GraphQLScalarTypeConfig<unknown, unknown>, 'name'>,
  ) => {
    const definition = definitions.get(name)
    return new GraphQLScalarType({
      ...config,
      name,
      description: definition?.description?.value ?? null,
      specifiedByURL: specifiedBy(definition) ?? null,
    })
  }
  return {
    Date: described('Date', {
      serialize: GraphQLDate.serialize,
      parseValue: (value) => toDay(GraphQLDate.parseValue(value)),
      parseLiteral: (ast, variables) => toDay(GraphQLDate.parseLiteral(ast, variables)),
    }),
    DateTime: described('DateTime', {
      serialize: GraphQLDateTime.serialize,
      parseValue: (value) => toInstant(GraphQLDateTime.parseValue(value)),
      parseLiteral: (ast, variables) => toInstant(GraphQLDateTime.parseLiteral(ast, variables)),
    }),
    URL: described('URL', {
      serialize: GraphQLURL.serialize,
      parseValue: (value) => toHref(GraphQLURL.parseValue(value)),
      parseLiteral: (ast, variables) => toHref(GraphQLURL.parseLiteral(ast, variables)),
    }),
    JSON: described('JSON', {
      serialize: GraphQLJSON.serialize,
      parseValue: GraphQLJSON.parseValue,
      parseLiteral: GraphQLJSON.parseLiteral,
    }),
    HTML: described('HTML', {
      serialize: html,
      parseValue: html,
      parseLiteral: (ast: ValueNode) => {
        if (ast.kind !== Kind.STRING) throw new TypeError(`HTML must be a string, got ${ast.kind}`)
        return ast.value
      },
    }),
  }
}

function html(value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError(`HTML must be a string, got ${typeof value}`)
  }
  return value
}

function specifiedBy(definition: ScalarTypeDefinitionNode | undefined): string | undefined {
  const directive = definition?.directives?.find((found) => found.name.value === 'specifiedBy')
  const argument = directive?.arguments?.find((found) => found.name.value === 'url')
  const value = argument ? valueFromASTUntyped(argument.value) : undefined
  return typeof value === 'string' ? value : undefined
}

// graphql-scalars parses days and instants to `Date` objects at UTC; the model
// keeps text, so turn them back (a day parsed at UTC midnight keeps its date).
function toDay(value: unknown): string {
  return asDate(value).toISOString().slice(0, 10)
}

function toInstant(value: unknown): string {
  return asDate(value).toISOString()
}

function asDate(value: unknown): Date {
  if (!(value instanceof Date)) throw new TypeError('Expected a date')
  return value
}

function toHref(value: unknown): string {
  return value instanceof URL ? value.href : String(value)
}
