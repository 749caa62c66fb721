/**
 * The limits and switches of the GraphQL endpoint, their defaults, and the
 * options of `createYoga` that they set. Every plugin of this folder takes
 * its own slice of them; `useHardening` (`./index.ts`) resolves them once.
 */
import type { BatchingOptions } from 'graphql-yoga'

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
