/**
 * Hardening of the GraphQL endpoint against hostile and oversized requests:
 * limits on query depth, aliases, directives, tokens and cost, an execution
 * time budget, CSRF prevention, introspection and field suggestions, and the
 * body-size and batching settings of yoga. `SECURITY.md` lists every limit,
 * its default and how to change it.
 *
 * The checks come from maintained libraries where one does the job (GraphQL
 * Armor, yoga and its plugins, graphql-js's own rules). The few written here
 * (cost limit, time budget, CSRF check for POST only, scrubbing of the JSON
 * error and of suggestions) say why at their definition.
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor'
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
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
  type ValidationContext,
  validate,
} from 'graphql'
import {
  type BatchingOptions,
  createGraphQLError,
  isPromise,
  type Plugin,
  type YogaInitialContext,
} from 'graphql-yoga'
import { defaultPageSize } from '../api/connection.ts'
import { maxItems, paginationLimit } from '../api/errors.ts'
import type { ServerTimeouts } from './listen.ts'

/** Codes of the errors that refused requests get, in `extensions.code`. */
export const SecurityErrorCode = {
  /** Fields are nested deeper than `maxDepth`. */
  depthLimit: 'DEPTH_LIMIT',
  /** The operation uses more aliases than `maxAliases`. */
  aliasLimit: 'ALIAS_LIMIT',
  /** The operation uses more directives than `maxDirectives`. */
  directiveLimit: 'DIRECTIVE_LIMIT',
  /** A browser-like POST came without a CSRF header (see `csrfPrevention`). */
  csrfHeaderRequired: 'CSRF_HEADER_REQUIRED',
  /** The document has more tokens than `maxTokens`. */
  tokenLimit: 'TOKEN_LIMIT',
  /** The operation could return more values than `maxCost`. */
  costLimit: 'COST_LIMIT',
  /** Execution took longer than `executionTimeoutMs`. */
  timeout: 'TIMEOUT',
  /** Variables nest deeper than `maxVariablesDepth` or hold more than `maxVariablesValues`. */
  variablesLimit: 'VARIABLES_LIMIT',
} as const

/** Limits and switches of the GraphQL endpoint. Every one has a safe default. */
export interface HardeningOptions {
  /**
   * Answer introspection queries (`__schema`, `__type`), which GraphiQL and
   * codegen use to read the schema. When off, field suggestions ("Did you
   * mean …?") are hidden from error messages too, so that they do not give
   * the schema away. `INTROSPECTION=false` (or `true`) sets the default;
   * without it, introspection is on unless `NODE_ENV` is `production`.
   * @default true, or false when NODE_ENV=production
   */
  readonly introspection?: boolean
  /**
   * Most levels of nested fields: `{ stats { posts } }` has 1 level, the leaf
   * fields are not counted. Fragments count as the fields they hold.
   * @default 10
   */
  readonly maxDepth?: number
  /**
   * Most aliases in an operation, fragments included.
   * @default 15
   */
  readonly maxAliases?: number
  /**
   * Most directives (`@include`, `@skip`) in an operation, fragments included.
   * @default 50
   */
  readonly maxDirectives?: number
  /**
   * Most tokens (names, punctuation, values) in a document. Checked while
   * parsing, so a huge document is refused before it is even read whole.
   * @default 1000
   */
  readonly maxTokens?: number
  /**
   * Most values an operation can return, counted before it runs: every field
   * counts 1 for each time it can appear in the response, so a connection
   * multiplies what it selects by its page size (`first`/`last`, or 20), and
   * `nodes(ids:)` by the number of ids. Introspection is not counted.
   * @default 50000
   */
  readonly maxCost?: number
  /**
   * Longest time an operation may execute, in milliseconds; past it the
   * operation stops and gets a `TIMEOUT` error. `0` for no limit.
   * @default 5000
   */
  readonly executionTimeoutMs?: number
  /**
   * Largest request body, in bytes; a larger one gets `413`. Checked on the
   * `Content-Length` header and again while the body streams in, so a chunked
   * body cannot get around it.
   * @default 1000000 (1 MB)
   */
  readonly maxBodyBytes?: number
  /**
   * Most levels of lists and objects inside the variables of a request:
   * `{"filter": {"tags": ["a"]}}` has 2. The schema's inputs nest 2 deep.
   * @default 16
   */
  readonly maxVariablesDepth?: number
  /**
   * Most values (scalars, lists and objects, counted together) in the
   * variables of a request; 100 ids for `nodes(ids:)` are 101.
   * @default 10000
   */
  readonly maxVariablesValues?: number
  /**
   * Several operations in one request (a JSON array), up to a number of them.
   * @default false
   */
  readonly batching?: BatchingOptions
  /**
   * Refuse POST requests that a browser may send cross-site without a CORS
   * preflight (`text/plain`, form and multipart bodies) unless they carry an
   * `x-graphql-csrf` header. JSON POSTs and GET requests pass as they are.
   * @default true
   */
  readonly csrfPrevention?: boolean
}

/** Every option of `HardeningOptions` with its default applied. */
export type ResolvedHardening = Required<HardeningOptions>

/** The default limits, apart from `introspection`, which depends on the environment. */
export const hardeningDefaults = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 50_000,
  executionTimeoutMs: 5000,
  maxBodyBytes: 1_000_000,
  maxVariablesDepth: 16,
  maxVariablesValues: 10_000,
  batching: false,
  csrfPrevention: true,
} as const satisfies Omit<ResolvedHardening, 'introspection'>

/** Headers that mark a request as sent on purpose by a GraphQL client (see `csrfPrevention`). */
export const csrfHeaders = ['x-graphql-csrf', 'x-graphql-yoga-csrf', 'apollo-require-preflight']

/**
 * Size assumed for a list that has no page arguments (`Talk.sections`,
 * `Bullet.children`), when computing the cost. Real posts have at most a few
 * dozen; 10 is above what 95% of the lists in the corpus hold.
 */
export const assumedListSize = 10

/**
 * Decide whether introspection is on when the options do not say.
 *
 * @param env
 *   Environment variables: `INTROSPECTION` (`true`/`false`, `1`/`0`) wins,
 *   else `NODE_ENV=production` turns introspection off.
 * @returns
 *   Whether to answer introspection queries.
 */
export function defaultIntrospection(env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = env.INTROSPECTION?.trim().toLowerCase()
  if (flag === 'true' || flag === '1') return true
  if (flag === 'false' || flag === '0') return false
  return env.NODE_ENV !== 'production'
}

/**
 * Apply the defaults to hardening options.
 *
 * @param options
 *   Options as given; `undefined` values take the default.
 * @returns
 *   Every option with a value.
 */
export function resolveHardening(options: HardeningOptions = {}): ResolvedHardening {
  return {
    introspection: options.introspection ?? defaultIntrospection(),
    maxDepth: options.maxDepth ?? hardeningDefaults.maxDepth,
    maxAliases: options.maxAliases ?? hardeningDefaults.maxAliases,
    maxDirectives: options.maxDirectives ?? hardeningDefaults.maxDirectives,
    maxTokens: options.maxTokens ?? hardeningDefaults.maxTokens,
    maxCost: options.maxCost ?? hardeningDefaults.maxCost,
    executionTimeoutMs: options.executionTimeoutMs ?? hardeningDefaults.executionTimeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? hardeningDefaults.maxBodyBytes,
    maxVariablesDepth: options.maxVariablesDepth ?? hardeningDefaults.maxVariablesDepth,
    maxVariablesValues: options.maxVariablesValues ?? hardeningDefaults.maxVariablesValues,
    batching: options.batching ?? hardeningDefaults.batching,
    csrfPrevention: options.csrfPrevention ?? hardeningDefaults.csrfPrevention,
  }
}

/**
 * The options of `createYoga` that hardening sets: body size, batching and
 * multipart. Spread them into the `createYoga` call.
 *
 * @param options
 *   Hardening options.
 * @returns
 *   `maxRequestBodySize`, `batching` and `multipart` for `createYoga`.
 */
export function hardeningYogaOptions(options: HardeningOptions = {}): {
  maxRequestBodySize: false
  batching: BatchingOptions
  multipart: boolean
} {
  const { batching } = resolveHardening(options)
  return {
    // `useBodySizeLimit` (in `useHardening`) enforces `maxBodyBytes`.
    maxRequestBodySize: false,
    batching,
    // The schema takes no file uploads, so multipart bodies only add a parser
    // to attack (and a form type that browsers send without a preflight).
    multipart: false,
  }
}

/**
 * The hardening plugins of the GraphQL endpoint, to spread into yoga's
 * `plugins` list (before any response cache, so that a stored response is
 * never served for a request that these would refuse).
 *
 * @param options
 *   Limits and switches; see `HardeningOptions` for the defaults.
 * @returns
 *   Yoga plugins.
 */
export function useHardening(options: HardeningOptions = {}): Plugin[] {
  const settings = resolveHardening(options)
  const plugins: Plugin[] = [
    useScrubbedRequestErrors(),
    useBodySizeLimit(settings.maxBodyBytes),
    useVariablesLimit(settings.maxVariablesDepth, settings.maxVariablesValues),
  ]
  if (settings.csrfPrevention) plugins.push(useCsrfPreventionForPost())
  if (!settings.introspection) {
    plugins.push(useDisableIntrospection(), useHiddenSuggestions())
  }
  plugins.push(
    ...new EnvelopArmor<YogaInitialContext>({
      // Armor's regular expression misses some suggestions ("Did you mean the
      // enum value …"), so `useHiddenSuggestions` asks graphql-js to leave them
      // all out; this one stays as a second net.
      blockFieldSuggestion: { enabled: !settings.introspection },
      maxTokens: {
        n: settings.maxTokens,
        onReject: [
          // Tokens are counted while parsing, with no validation context to
          // report to: throwing is how a parse error gets out.
          () => {
            throw refused(
              SecurityErrorCode.tokenLimit,
              `The document has more than ${settings.maxTokens} tokens: send a shorter query`,
              settings.maxTokens,
            )
          },
        ],
      },
      maxDepth: {
        // Fragments count as the fields they hold, not as a level of their own,
        // so that naming a selection costs nothing and hiding one gains nothing.
        flattenFragments: true,
        // Introspection nests `ofType` nine times; graphql-js's
        // MaxIntrospectionDepthRule bounds the costly part of it instead.
        ignoreIntrospection: true,
        ...report(
          SecurityErrorCode.depthLimit,
          `Fields are nested more than ${settings.maxDepth} levels deep: ask for less at a time`,
          settings.maxDepth,
          // Armor counts the leaf field as a level too (`{ stats { posts } }`
          // is 2 to it); the limit here counts nested selections, as
          // graphql-depth-limit does.
          settings.maxDepth + 1,
        ),
      },
      maxAliases: report(
        SecurityErrorCode.aliasLimit,
        `The operation uses more than ${settings.maxAliases} aliases`,
        settings.maxAliases,
      ),
      maxDirectives: report(
        SecurityErrorCode.directiveLimit,
        `The operation uses more than ${settings.maxDirectives} directives`,
        settings.maxDirectives,
      ),
      // Armor's cost limit counts `first` only when written as a literal
      // (`first: $n` counts 1), knows nothing of the default page of 20, and
      // grows by 1.5 per level of depth; `useCostLimit` counts what a
      // response can hold instead.
      costLimit: { enabled: false },
    }).protect().plugins,
    useCostLimit(settings.maxCost),
  )
  if (settings.executionTimeoutMs > 0)
    plugins.push(useExecutionTimeout(settings.executionTimeoutMs))
  return plugins
}

/**
 * The Armor options that report a refusal as a validation error with a code,
 * rather than as Armor's bare "Syntax Error: …" without one.
 */
function report(code: string, message: string, limit: number, n = limit) {
  const onReject = (context: ValidationContext | null) => {
    context?.reportError(refused(code, message, limit))
  }
  return { n, propagateOnRejection: false, onReject: [onReject] }
}

/**
 * Make the error of a refused request: HTTP 400 for clients that accept
 * `application/graphql-response+json`, 200 for `application/json` clients,
 * as GraphQL over HTTP asks (`spec: true` tells yoga so).
 */
function refused(code: string, message: string, limit: number): GraphQLError {
  return createGraphQLError(message, {
    extensions: { code, limit, http: { status: 400, spec: true } },
  })
}

/**
 * Yoga's CSRF prevention, for POST requests only.
 *
 * Hand-written wrapper: yoga's plugin asks every GET for a header, which would
 * refuse plain links, `curl` and GraphQL over HTTP's GET. A GET can only run
 * queries here (yoga refuses mutations over GET, and the schema has none), the
 * API has no cookies or credentials to ride on, and any origin may read it by
 * CORS anyway, so a forged GET gets nothing its sender could not fetch. A
 * browser POST without a preflight (form, multipart, `text/plain`) is refused
 * unless it names one of `csrfHeaders`.
 */
function useCsrfPreventionForPost(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: csrfHeaders })
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET' || payload.request.method === 'HEAD') return
      try {
        // The plugin's check is synchronous; it throws a 403 error without a code.
        return csrf.onRequestParse?.(payload)
      } catch {
        throw createGraphQLError(
          `Refused as a possible cross-site request forgery: send JSON, or name one of the headers ${csrfHeaders.join(', ')}`,
          {
            extensions: {
              code: SecurityErrorCode.csrfHeaderRequired,
              headers: csrfHeaders,
              http: { status: 403 },
            },
          },
        )
      }
    },
  }
}

/**
 * Drop the echo of the body from yoga's "invalid JSON" error.
 *
 * Hand-written: yoga puts `JSON.parse`'s message in `extensions.originalError`,
 * and Node's message quotes the start of the body, so a secret sent in a broken
 * request came back in the response (and in any log of it). This keeps yoga's
 * own message and code, and answers 400 whatever the client accepts.
 */
function useScrubbedRequestErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return
      setRequestParser(async (request) => {
        try {
          return await requestParser(request)
        } catch (error) {
          const extensions = (error as GraphQLError).extensions
          if (extensions?.code !== 'BAD_REQUEST' || !('originalError' in extensions)) throw error
          throw createGraphQLError((error as GraphQLError).message, {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          })
        }
      })
    },
  }
}

/**
 * Leave "Did you mean …?" out of every validation and execution error, so that
 * a server without introspection does not spell its schema out one guess at a
 * time.
 *
 * graphql-js leaves suggestions out of validation errors when asked; variable
 * values are checked by yoga's executor, which under graphql 16 cannot pass
 * the request on to enum types, so what is left is cut from the messages.
 */
function useHiddenSuggestions(): Plugin {
  return {
    onValidate({ setValidationFn }) {
      setValidationFn((schema, document, rules) =>
        validate(schema, document, rules, { hideSuggestions: true }),
      )
    },
    onExecutionResult({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (!single || !('errors' in single)) continue
        for (const error of single.errors ?? []) {
          // GraphQLError keeps `message` writable, as GraphQL Armor relies on too.
          ;(error as { message: string }).message = error.message.replace(suggestion, '')
        }
      }
    },
  }
}

/** A suggestion in an error message, with the space before it. */
const suggestion = / ?Did you mean [^?]*\?/g

/**
 * Refuse an operation whose response could hold more than `maxCost` values.
 *
 * Hand-written: GraphQL Armor's cost limit runs at validation, before the
 * variables are known, so `first: $n` counts 1 and a connection without
 * `first` (a page of 20) counts 1 too; and it multiplies by 1.5 per level,
 * which has nothing to do with the work. This counts at execution, with the
 * variables, what the response can hold at most (see `operationCost`).
 *
 * @param maxCost
 *   Highest cost allowed.
 * @returns
 *   A plugin that stops execution with `COST_LIMIT` beyond it.
 */
export function useCostLimit(maxCost: number): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: {
      schema: GraphQLSchema
      document: DocumentNode
      operationName?: string | null | undefined
      variableValues?: { readonly [name: string]: unknown } | null | undefined
    }
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void
  }) => {
    let cost: number
    try {
      cost = operationCost(args.schema, args.document, {
        operationName: args.operationName,
        variables: args.variableValues,
        stopAbove: maxCost,
      })
    } catch (error) {
      // A page out of range; anything else is a bug, for yoga to mask.
      if (!(error instanceof GraphQLError)) throw error
      setResultAndStopExecution({ errors: [error] })
      return
    }
    if (cost > maxCost) {
      setResultAndStopExecution({
        errors: [
          refused(
            SecurityErrorCode.costLimit,
            `The query could return more than ${maxCost} values: ask for smaller pages (first/last) or fewer nested lists`,
            maxCost,
          ),
        ],
      })
    }
  }
  return { onExecute: check, onSubscribe: check }
}

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

/**
 * Refuse a request body larger than `limit` bytes with 413.
 *
 * Yoga's own limit pipes every body through a counting stream, whose
 * pipeline makes an AbortController and a DOMException per request: some 15%
 * of the CPU time of a small request. A body with a valid Content-Length
 * cannot be longer than it says (Node's HTTP parser reads exactly that many
 * bytes), so only a body without one (chunked) is counted as it streams.
 *
 * @param limit
 *   Largest body, in bytes.
 * @returns
 *   A plugin.
 */
export function useBodySizeLimit(limit: number): Plugin {
  const tooLarge = () =>
    createGraphQLError(`The request body is larger than ${limit} bytes`, {
      extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', limit, http: { status: 413 } },
    })
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length')
      if (length !== null) {
        // One non-negative integer only: comma-joined values are a smuggling attempt.
        if (!/^\d+$/.test(length)) {
          throw createGraphQLError('The Content-Length header is invalid', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          })
        }
        if (Number(length) > limit) throw tooLarge()
        return
      }
      if (!requestParser || !request.body) return
      const parse = requestParser
      setRequestParser((received) => {
        let read = 0
        // As yoga does: a native stream needs the native TransformStream.
        const Transform =
          received.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream
        const counted = received.body?.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength
              if (read > limit) controller.error(tooLarge())
              else controller.enqueue(chunk)
            },
          }),
        )
        return parse(
          new fetchAPI.Request(received.url, {
            method: received.method,
            headers: received.headers,
            signal: received.signal,
            body: counted ?? null,
            duplex: 'half',
          } as RequestInit),
        )
      })
    },
  }
}

/**
 * Refuse variables nested deeper than `maxDepth` levels of lists and objects,
 * or holding more than `maxValues` values, before anything else reads them:
 * the response cache's key and graphql-js's coercion walk variables
 * recursively, and 10,000 levels overflow the stack (a 500 per request).
 *
 * Hand-written: neither yoga nor GraphQL Armor limits variables. The walk
 * here uses its own stack, so it cannot overflow, and stops at the first
 * value past a limit.
 *
 * @param maxDepth
 *   Most levels of lists and objects.
 * @param maxValues
 *   Most values in all.
 * @returns
 *   A plugin.
 */
export function useVariablesLimit(maxDepth: number, maxValues: number): Plugin {
  return {
    onParams({ params }) {
      const variables: unknown = params.variables
      if (variables === null || typeof variables !== 'object') return
      const refuse = (message: string, limit: number) => {
        throw createGraphQLError(message, {
          extensions: {
            code: SecurityErrorCode.variablesLimit,
            limit,
            http: { status: 400, spec: true },
          },
        })
      }
      const stack: [unknown, number][] = [[variables, 0]]
      let count = 0
      while (stack.length > 0) {
        const [value, depth] = stack.pop() as [unknown, number]
        if (++count > maxValues) {
          refuse(`The variables hold more than ${maxValues} values: send fewer`, maxValues)
        }
        if (value === null || typeof value !== 'object') continue
        if (depth > maxDepth) {
          refuse(`The variables nest more than ${maxDepth} levels deep`, maxDepth)
        }
        for (const item of Object.values(value)) stack.push([item, depth + 1])
      }
    },
  }
}

/**
 * Stop an operation that executes longer than `timeoutMs`, with a `TIMEOUT`
 * error.
 *
 * Hand-written: yoga has no execution time limit. The resolvers read an
 * in-memory graph synchronously, so a timer alone would only fire once the
 * work is done; the executor asks its abort signal before every field, so
 * the signal given here checks the clock when asked, and a timer still
 * covers any asynchronous resolver.
 *
 * @param timeoutMs
 *   Time budget of one execution, in milliseconds.
 * @returns
 *   A plugin.
 */
export function useExecutionTimeout(timeoutMs: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        const controller = new AbortController()
        const given = (args as { signal?: AbortSignal }).signal
        const signal = given ? AbortSignal.any([given, controller.signal]) : controller.signal
        const deadline = performance.now() + timeoutMs
        const stop = () =>
          controller.abort(
            createGraphQLError(
              `The query ran longer than ${timeoutMs} ms and was stopped: ask for less at a time`,
              {
                extensions: {
                  code: SecurityErrorCode.timeout,
                  limit: timeoutMs,
                  http: { status: 400, spec: true },
                },
              },
            ),
          )
        const throwIfAborted = signal.throwIfAborted.bind(signal)
        Object.defineProperty(signal, 'throwIfAborted', {
          value: () => {
            if (!signal.aborted && performance.now() > deadline) stop()
            throwIfAborted()
          },
        })
        const timer = setTimeout(stop, timeoutMs)
        const done = () => clearTimeout(timer)
        try {
          const result = executeFn({ ...args, signal } as typeof args)
          if (!isPromise(result)) done()
          return isPromise(result)
            ? result.then(
                (value) => {
                  done()
                  return value
                },
                (error: unknown) => {
                  done()
                  throw error
                },
              )
            : result
        } catch (error) {
          done()
          throw error
        }
      })
    },
  }
}

/** Every limit that the command line can set: hardening and HTTP time limits. */
export type LimitOptions = HardeningOptions & ServerTimeouts

/**
 * The command line's flags for limits, each with its option and environment
 * variable (a flag wins over the variable).
 */
export const limitFlags = {
  'max-depth': { option: 'maxDepth', env: 'MAX_DEPTH' },
  'max-aliases': { option: 'maxAliases', env: 'MAX_ALIASES' },
  'max-directives': { option: 'maxDirectives', env: 'MAX_DIRECTIVES' },
  'max-tokens': { option: 'maxTokens', env: 'MAX_TOKENS' },
  'max-cost': { option: 'maxCost', env: 'MAX_COST' },
  'max-body-bytes': { option: 'maxBodyBytes', env: 'MAX_BODY_BYTES' },
  'max-variables-depth': { option: 'maxVariablesDepth', env: 'MAX_VARIABLES_DEPTH' },
  'max-variables-values': { option: 'maxVariablesValues', env: 'MAX_VARIABLES_VALUES' },
  'execution-timeout': { option: 'executionTimeoutMs', env: 'EXECUTION_TIMEOUT_MS' },
  'headers-timeout': { option: 'headersTimeoutMs', env: 'HEADERS_TIMEOUT_MS' },
  'request-timeout': { option: 'requestTimeoutMs', env: 'REQUEST_TIMEOUT_MS' },
  'keep-alive-timeout': { option: 'keepAliveTimeoutMs', env: 'KEEP_ALIVE_TIMEOUT_MS' },
  'shutdown-timeout': { option: 'shutdownTimeoutMs', env: 'SHUTDOWN_TIMEOUT_MS' },
} as const satisfies Record<string, { option: keyof LimitOptions; env: string }>

/** `parseArgs` options for `limitFlags`, plus `--introspection` and `--no-introspection`. */
export const limitArgs = {
  ...(Object.fromEntries(Object.keys(limitFlags).map((flag) => [flag, { type: 'string' }])) as {
    [Flag in keyof typeof limitFlags]: { type: 'string' }
  }),
  introspection: { type: 'boolean' },
  'no-introspection': { type: 'boolean' },
} as const

/**
 * Read the limits given as flags or environment variables.
 *
 * @param values
 *   Values from `parseArgs` with `limitArgs`.
 * @param env
 *   Environment variables (`MAX_DEPTH`, …; `INTROSPECTION` is read by
 *   `defaultIntrospection`).
 * @returns
 *   The options given, or the message of a usage error for a value that is
 *   not a whole number.
 */
export function readLimits(
  values: { readonly [flag: string]: string | boolean | undefined },
  env: NodeJS.ProcessEnv = process.env,
): { options: LimitOptions } | { error: string } {
  const options: Record<string, number | boolean> = {}
  for (const [flag, { option, env: name }] of Object.entries(limitFlags)) {
    const given = values[flag]
    const text = typeof given === 'string' ? given : env[name]
    if (text === undefined || text === '') continue
    if (!/^\d+$/.test(text.trim())) {
      return { error: `--${flag} (${name}) must be a whole number, got "${text}"` }
    }
    options[option] = Number(text)
  }
  if (values['no-introspection']) options.introspection = false
  else if (values.introspection) options.introspection = true
  return { options: options as LimitOptions }
}
