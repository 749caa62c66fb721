/**
 * The cost of an operation: the most values its response can hold, counted
 * with its variables. `useCostLimit` refuses operations above a limit.
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql'
import { createGraphQLError } from 'graphql-yoga'
import { defaultPageSize } from '../../api/connection.ts'
import { maxItems, paginationLimit } from '../../api/errors.ts'

/**
 * Size assumed for a list that has no page arguments (`Talk.sections`,
 * `Bullet.children`), when computing the cost. Real posts have at most a few
 * dozen; 10 is above what 95% of the lists in the corpus hold.
 */
export const assumedListSize = 10

/** Options of `operationCost`. */
export interface CostOptions {
  /** Operation to count, when the document has several. */
  readonly operationName?: string | null | undefined
  /** Variables of the request, as sent. */
  readonly variables?: { readonly [name: string]: unknown } | null | undefined
  /**
   * Stop counting once the cost passes this; the result is then only known
   * to be above it. Keeps the count itself cheap for a hostile query.
   * @default Infinity
   */
  readonly stopAbove?: number
}

/**
 * Count the values the response of an operation can hold at most.
 *
 * Every field counts 1 for each time it can appear: a field under a list
 * counts once per item. A connection's `nodes` and `edges` hold a page
 * (`first`, `last`, the smaller of both, or 20 when neither is given),
 * `nodes(ids:)` one item per id, and any other list of objects
 * `assumedListSize` items. A fragment spread twice in one selection counts
 * once, as execution runs it once; introspection fields count 1.
 *
 * @param schema
 *   Schema the document was validated against.
 * @param document
 *   A valid document.
 * @param options
 *   Operation name, variables and where to stop counting.
 * @returns
 *   The cost; 0 when the operation or its variables are invalid (execution
 *   reports those).
 * @throws
 *   `PAGINATION_LIMIT` when a page asks for more than 100 items (or fewer
 *   than 1), or `nodes(ids:)` for more than 100 ids.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: CostOptions = {},
): number {
  const stopAbove = options.stopAbove ?? Number.POSITIVE_INFINITY
  const operation = getOperationAST(document, options.operationName ?? undefined)
  const root = operation && schema.getRootType(operation.operation)
  if (!operation || !root) return 0
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], {
    ...options.variables,
  })
  if (coerced.errors) return 0
  const variables = coerced.coerced
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition)
    }
  }
  let cost = 0

  // `page` is the page size of the connection whose selection this is, for
  // its `nodes` and `edges` lists.
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    times: number,
    page: number | undefined,
    inFragments: ReadonlySet<string>,
  ): void => {
    const spread = new Set<string>()
    for (const selection of selectionSet.selections) {
      if (cost > stopAbove) return
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent
        if (type) walk(selection.selectionSet, type, times, page, inFragments)
        continue
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value
        const fragment = fragments.get(name)
        // Execution runs a fragment once per selection set; a cycle is
        // refused by validation, but is skipped here all the same.
        if (!fragment || spread.has(name) || inFragments.has(name)) continue
        spread.add(name)
        const type = schema.getType(fragment.typeCondition.name.value)
        if (type) {
          walk(fragment.selectionSet, type, times, page, new Set([...inFragments, name]))
        }
        continue
      }
      cost += times
      const field = fieldOf(parent, selection.name.value)
      if (!field || !selection.selectionSet) continue
      let args: Record<string, unknown> = {}
      try {
        args = getArgumentValues(field, selection, variables)
      } catch {
        // A bad argument fails the execution anyway, with a better message.
      }
      const isList = isListType(getNullableType(field.type))
      const paged = field.args.some((arg) => arg.name === 'first' || arg.name === 'last')
      const size = paged ? pageSize(args, selection) : undefined
      let itemTimes = times
      if (isList) {
        const ids = args.ids
        if (Array.isArray(ids) && ids.length > maxItems) {
          throw pageRefused('ids', ids.length, selection)
        }
        itemTimes *=
          size ?? page ?? (Array.isArray(ids) ? Math.max(1, ids.length) : assumedListSize)
      }
      walk(
        selection.selectionSet,
        getNamedType(field.type),
        itemTimes,
        isList ? undefined : size,
        inFragments,
      )
    }
  }
  walk(operation.selectionSet, root, 1, undefined, new Set())
  return cost
}

/** A field of an object or interface type; undefined for introspection fields. */
function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name.startsWith('__')) return undefined
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined
}

/**
 * The most items a page can hold, as `connectionFromList` cuts it.
 *
 * @throws
 *   `PAGINATION_LIMIT`, the API's own error, when `first` or `last` is outside
 *   1 to 100: refused here before anything runs, rather than by the resolver.
 */
function pageSize(args: Record<string, unknown>, field: FieldNode): number {
  const first = typeof args.first === 'number' ? args.first : undefined
  const last = typeof args.last === 'number' ? args.last : undefined
  for (const [argument, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value !== undefined && (value < 1 || value > maxItems)) {
      throw pageRefused(argument, value, field)
    }
  }
  if (first === undefined && last === undefined) return defaultPageSize
  return Math.min(first ?? maxItems, last ?? maxItems)
}

/** The API's `PAGINATION_LIMIT` error, located at the field and refused with 400. */
function pageRefused(argument: string, value: number, field: FieldNode): GraphQLError {
  const error = paginationLimit(argument, value)
  return createGraphQLError(error.message, {
    nodes: [field],
    extensions: { ...error.extensions, http: { status: 400, spec: true } },
  })
}
