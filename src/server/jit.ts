/**
 * Compiled execution: validated query documents compiled once by
 * graphql-jit into plain functions, kept per document, and run instead of
 * graphql-js's interpreter.
 *
 * graphql-js walks the document and looks up every field, argument and type
 * on every request; graphql-jit does that once and generates a function per
 * operation. What is kept the same:
 *
 * - Errors. A compiled run whose result holds any error is thrown away and
 *   the operation runs again with graphql-js (`fallback`), so every error a
 *   client sees (messages, paths, codes, masking, variable coercion) is
 *   graphql-js's own. Resolvers only read an immutable snapshot, so running
 *   an operation twice changes nothing but the time it takes.
 * - Variables. They are coerced by graphql-js first; only variables it
 *   accepts reach the compiled function.
 * - The time budget. Every resolver of the schema is wrapped to ask the
 *   request's guard (`guardExecution`) before it runs, as graphql-tools'
 *   executor asks its abort signal before every field.
 *
 * Only queries are compiled; subscriptions and mutations run as before.
 */

import { createRequire } from 'node:module'
import { MapperKind, mapSchema } from '@graphql-tools/utils'
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  type OperationDefinitionNode,
} from 'graphql'
import type { CompiledQuery } from 'graphql-jit'

// Loaded when a server is built, not on import: graphql-jit brings a JSON
// schema compiler with it, and commands that never serve (`check`, `query`,
// `build`) should not pay for loading it. Nor on the first query: loading
// it blocks the event loop for a few hundred milliseconds on a busy machine,
// long enough for a load balancer's health check to give up on the replica.
let jit: typeof import('graphql-jit') | undefined
const load = () => {
  jit ??= createRequire(import.meta.url)('graphql-jit') as typeof import('graphql-jit')
  return jit
}

/** A check run before every resolver; throws to stop the execution. */
export type ExecutionGuard = () => void

// Keyed by the context object of one execution: resolvers receive it, so the
// guard travels with the request without a field on the API's context.
const guards = new WeakMap<object, ExecutionGuard>()

/**
 * Ask `guard` before every resolver that runs with this context, until
 * `releaseExecution`.
 *
 * @param context
 *   The context value the operation runs with.
 * @param guard
 *   A check that throws when the execution must stop (its time is up).
 */
export function guardExecution(context: object, guard: ExecutionGuard): void {
  guards.set(context, guard)
}

/** Stop asking a context's guard. */
export function releaseExecution(context: object): void {
  guards.delete(context)
}

/** One operation of a document, compiled. */
export interface CompiledOperation {
  /** The validated document it was compiled from. */
  readonly document: DocumentNode
  readonly operation: OperationDefinitionNode
  /** Whether the operation declares variables (its cost then depends on them). */
  readonly hasVariables: boolean
  readonly query: CompiledQuery['query']
}

/** Compiled operations, kept per document for as long as the document lives. */
export interface CompiledDocuments {
  /**
   * The compiled form of a query of a validated document, compiled on first
   * use; `undefined` for mutations, subscriptions, an unknown operation, or
   * a document graphql-jit cannot compile (the caller runs graphql-js).
   */
  get(document: DocumentNode, operationName?: string | null): CompiledOperation | undefined
  /**
   * Whether graphql-js accepts these variables for an operation, as it would
   * coerce them before executing.
   */
  acceptsVariables(
    operation: CompiledOperation,
    variables: { readonly [name: string]: unknown } | null | undefined,
  ): boolean
}

/**
 * Make the store of compiled documents for a schema.
 *
 * @param schema
 *   The schema documents are validated against. Its resolvers are wrapped
 *   (in a copy) to ask the execution guard; the schema itself is unchanged.
 * @returns
 *   The store.
 */
export function createCompiledDocuments(schema: GraphQLSchema): CompiledDocuments {
  load()
  // Made with the server too, for the same reason.
  const guarded = guardResolvers(schema)
  // Documents come from yoga's parse cache (or the compiled path's own
  // entries), so the same text is the same object: a weak map keyed by it
  // holds each compiled operation as long as the document is cached, and no
  // longer.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledOperation | null>>()
  return {
    get(document, operationName) {
      let byName = compiled.get(document)
      if (!byName) {
        byName = new Map()
        compiled.set(document, byName)
      }
      const name = operationName ?? ''
      let found = byName.get(name)
      if (found === undefined) {
        found = compile(guarded, document, operationName ?? undefined)
        byName.set(name, found)
      }
      return found ?? undefined
    },
    acceptsVariables(operation, variables) {
      const definitions = operation.operation.variableDefinitions ?? []
      if (definitions.length === 0) return true
      return !getVariableValues(schema, definitions, { ...variables }).errors
    },
  }
}

function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
): CompiledOperation | null {
  const operation = getOperationAST(document, operationName)
  if (operation?.operation !== 'query') return null
  const { compileQuery, isCompiledQuery } = load()
  let result: ReturnType<typeof compileQuery<Record<string, unknown>, Record<string, unknown>>>
  try {
    result = compileQuery<Record<string, unknown>, Record<string, unknown>>(
      schema,
      document,
      operationName,
      {
        // Errors are thrown away (graphql-js runs again), so their stacks are too.
        disablingCapturingStackErrors: true,
      },
    )
  } catch {
    // A document graphql-jit cannot compile runs with graphql-js.
    return null
  }
  if (!isCompiledQuery(result)) return null
  return {
    document,
    operation,
    hasVariables: (operation.variableDefinitions?.length ?? 0) > 0,
    query: result.query,
  }
}

/**
 * A copy of the schema whose resolvers first ask the guard of their
 * execution. Fields without a resolver read a property of their parent and
 * are not wrapped: their work is bounded by the response, which the cost
 * limit bounds.
 */
function guardResolvers(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      const resolve = field.resolve
      if (!resolve) return field
      const guardedResolve: GraphQLFieldResolver<unknown, object> = (
        parent,
        args,
        context,
        info,
      ) => {
        guards.get(context)?.()
        return resolve(parent, args, context, info)
      }
      return { ...field, resolve: guardedResolve }
    },
  })
}

/** Whether a compiled run may be answered as it is: no errors at all. */
export function isClean(result: ExecutionResult): boolean {
  return result.errors === undefined || result.errors.length === 0
}
