/**
 * The compiled path: run a query in Node's request handler, before yoga,
 * when yoga has already accepted its document, with the document's compiled
 * form (`./jit.ts`). It is on when the response cache is off, so that
 * requests that must be executed (every one, then) skip yoga's per-request
 * pipeline: fetch API objects, request parsing, the parse and validation
 * caches and a dozen plugins cost about what Apollo Server's whole request
 * does (bench/RESULTS.md).
 *
 * What makes this safe, check by check:
 *
 * - Document limits (depth, aliases, directives, tokens, introspection):
 *   they depend on the document text alone, and only documents that yoga
 *   validated and ran cleanly under the same options are remembered.
 * - Body size and CSRF: only a JSON POST with a `Content-Length` within the
 *   body limit (and at most 64 KiB) is read here; any other media type (the
 *   ones a browser may send cross-site) goes to yoga.
 * - Variables: their nesting and count are checked here by the same rule as
 *   `useVariablesLimit`, their values by graphql-js's coercion, and the cost
 *   of the operation is counted with them (`operationCost`, as
 *   `useCostLimit` does) before anything runs.
 * - Time budget: every resolver asks the clock first; an operation that runs
 *   out of time here is forgotten and handed to yoga, which stops it with
 *   its own `TIMEOUT` error, so a slow document costs one extra budget once.
 * - Errors and masking: a run with any error is handed to yoga, which runs
 *   it again and answers as it always does. Resolvers only read an immutable
 *   snapshot, so running twice changes nothing.
 * - Headers: the answer carries the headers yoga sent for a request with the
 *   same values of every header yoga or its plugins read (media type, CORS
 *   origin, CSRF headers), learned from yoga's own answer, and is compressed
 *   as `useCompression` would. Requests with any other header go to yoga,
 *   by the fast path's rule (`./fast-path.ts`).
 *
 * Anything else (GET, batches, persisted documents, extensions, a document
 * yoga has not run yet, no snapshot served) goes to yoga untouched.
 */

import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import type { GraphQLSchema } from 'graphql'
import type { GraphQLParams } from 'graphql-yoga'
import { LRUCache } from 'lru-cache'
import type { ApiContext } from '../api/context.ts'
import {
  compress,
  isCompressible,
  minimumBytes,
  negotiateEncoding,
  varyWith,
} from './compression.ts'
import { harmlessHeaders, keyedHeaders } from './fast-path.ts'
import {
  type CompiledDocuments,
  type CompiledOperation,
  guardExecution,
  isClean,
  releaseExecution,
} from './jit.ts'
import { readBody } from './read-body.ts'
import { operationCost } from './security/index.ts'

/** Limits the compiled path enforces; the server's hardening options. */
export interface CompiledPathLimits {
  readonly maxBodyBytes: number
  readonly maxCost: number
  /** `0` for none. */
  readonly executionTimeoutMs: number
  readonly maxVariablesDepth: number
  readonly maxVariablesValues: number
}

/** Options of `createCompiledPath`. */
export interface CompiledPathOptions {
  /** Path of the GraphQL endpoint, such as `/graphql`; other paths go to yoga. */
  readonly endpoint: string
  /** The schema yoga serves (for variables and cost). */
  readonly schema: GraphQLSchema
  /** Compiled documents, shared with `useCompiledExecution`. */
  readonly documents: CompiledDocuments
  /** The context a request runs with, or `undefined` while no snapshot is served. */
  readonly context: () => ApiContext | undefined
  readonly limits: CompiledPathLimits
  /**
   * Most documents remembered; the least recently used go first.
   * @default 1000
   */
  readonly maxDocuments?: number
}

/** Counts of what the compiled path did. */
export interface CompiledPathStats {
  /** Requests answered here. */
  readonly answered: number
  /** Requests handed to yoga. */
  readonly passed: number
  /** Documents remembered. */
  readonly documents: number
}

/** Runs accepted documents before yoga. */
export interface CompiledPath {
  /**
   * Answer a request here, or hand it to `next` (yoga). A POST body is read
   * first; yoga then gets it from `request.body`, which its Node adapter
   * reads instead of the spent stream.
   */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ): void
  /**
   * Remember a document that yoga ran compiled and cleanly for a request
   * this path handed on, and the headers of yoga's answer (before
   * compression). Called by `useCompiledExecution`.
   */
  learn(request: object, params: GraphQLParams, compiled: CompiledOperation, headers: Headers): void
  stats(): CompiledPathStats
}

/** A remembered document. */
interface Entry {
  readonly compiled: CompiledOperation
  readonly operationName: string | undefined
  /** The cost, when it does not depend on variables. */
  readonly cost: number | undefined
}

/** Above this, a POST body goes to yoga unread. */
const largestBodyRead = 64 * 1024

/** Most sets of answer headers kept (one per combination of keyed header values). */
const maxTemplates = 256

const keyed = new Set(keyedHeaders)
const harmlessPrefixes = ['sec-fetch-', 'sec-ch-']

/**
 * Make the compiled path. `listen` puts it in front of yoga;
 * `useCompiledExecution` teaches it.
 *
 * @param options
 *   Endpoint, schema, compiled documents, context and limits.
 * @returns
 *   The compiled path.
 */
export function createCompiledPath(options: CompiledPathOptions): CompiledPath {
  const { endpoint, schema, documents, context, limits } = options
  const maxBody = Math.min(limits.maxBodyBytes, largestBodyRead)
  const entries = new LRUCache<string, Entry>({ max: options.maxDocuments ?? 1000 })
  const templates = new Map<string, string[]>()
  // The header key of each request handed to yoga, for `learn`.
  const pending = new WeakMap<object, string>()
  let answered = 0
  let passed = 0

  const handOff = (
    request: IncomingMessage,
    response: ServerResponse,
    shape: string,
    body: Buffer,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ) => {
    passed++
    pending.set(request, shape)
    // Read by yoga's Node adapter (as a body parser's result would be),
    // since the request stream is spent.
    ;(request as IncomingMessage & { body?: unknown }).body = Readable.from([body], {
      objectMode: false,
    })
    next(request, response)
  }

  /** The answer's bytes, or `undefined` when yoga must answer. */
  const run = (params: PlainParams, entry: Entry, key: string): string | undefined => {
    const served = context()
    if (!served) return undefined
    const { variables } = params
    if (variables && !withinLimits(variables, limits.maxVariablesDepth, limits.maxVariablesValues))
      return undefined
    if (!documents.acceptsVariables(entry.compiled, variables)) return undefined
    let cost = entry.cost
    if (cost === undefined) {
      try {
        cost = operationCost(schema, entry.compiled.document, {
          operationName: entry.operationName,
          variables,
          stopAbove: limits.maxCost,
        })
      } catch {
        // A page out of range: yoga refuses it with its own error.
        return undefined
      }
    }
    if (cost > limits.maxCost) return undefined
    // A context of its own: the guard is found by it.
    const runContext: ApiContext = { ...served }
    let timedOut = false
    if (limits.executionTimeoutMs > 0) {
      const deadline = performance.now() + limits.executionTimeoutMs
      guardExecution(runContext, () => {
        if (timedOut || performance.now() > deadline) {
          timedOut = true
          throw new Error('out of time')
        }
      })
    }
    let result: ReturnType<CompiledOperation['query']>
    try {
      result = entry.compiled.query(undefined, runContext, variables)
    } catch {
      return undefined
    } finally {
      releaseExecution(runContext)
    }
    if (timedOut) {
      entries.delete(key)
      return undefined
    }
    // An answer that waited on a promise (an `html` rendered in a worker) is
    // left to yoga; the render it started is shared with yoga's run through
    // the HTML cache, so it is not made twice.
    if (result instanceof Promise || !isClean(result)) return undefined
    return JSON.stringify(result)
  }

  const answer = (
    request: IncomingMessage,
    response: ServerResponse,
    shape: string,
    body: Buffer,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ) => {
    const params = plainParams(body)
    const key = params && keyOf(params)
    const entry = key === undefined ? undefined : entries.get(key)
    const template = templates.get(shape)
    const json =
      params && key !== undefined && entry && template ? run(params, entry, key) : undefined
    if (json === undefined || !template) {
      handOff(request, response, shape, body, next)
      return
    }
    answered++
    send(request, response, template, json)
  }

  return {
    serve(request, response, next) {
      const shape = shapeOf(request, endpoint, maxBody)
      if (shape === undefined) {
        passed++
        next(request, response)
        return
      }
      readBody(request, (body) => {
        answer(request, response, shape, body, next)
      })
    },

    learn(request, params, compiled, headers) {
      const shape = pending.get(request)
      if (shape === undefined) return
      pending.delete(request)
      const plain = plainParams(params)
      const key = plain && keyOf(plain)
      if (!plain || key === undefined) return
      let cost: number | undefined
      if (!compiled.hasVariables) {
        cost = operationCost(schema, compiled.document, {
          operationName: plain.operationName,
          stopAbove: limits.maxCost,
        })
        if (cost > limits.maxCost) return
      }
      entries.set(key, { compiled, operationName: plain.operationName, cost })
      if (!templates.has(shape)) {
        if (templates.size >= maxTemplates) templates.clear()
        templates.set(shape, templateOf(headers))
      }
    },

    stats: () => ({ answered, passed, documents: entries.size }),
  }
}

/** The parts of a request the compiled path runs, checked. */
interface PlainParams {
  readonly query: string
  readonly operationName: string | undefined
  readonly variables: Readonly<Record<string, unknown>> | undefined
}

/**
 * Read a JSON body (or yoga's parsed params) holding nothing but `query`,
 * `operationName` and `variables`; anything else (a batch, extensions,
 * persisted document ids, odd types) is left to yoga.
 */
function plainParams(input: Buffer | GraphQLParams): PlainParams | undefined {
  let value: unknown = input
  if (Buffer.isBuffer(input)) {
    try {
      value = JSON.parse(input.toString('utf8'))
    } catch {
      return undefined
    }
  }
  if (!isRecord(value)) return undefined
  for (const name in value) {
    if (name !== 'query' && name !== 'operationName' && name !== 'variables') {
      // Yoga's parsed params name `extensions` even when the body had none.
      if (name === 'extensions' && value.extensions == null) continue
      return undefined
    }
  }
  const { query, operationName, variables } = value
  if (typeof query !== 'string') return undefined
  if (operationName != null && typeof operationName !== 'string') return undefined
  if (variables != null && !isRecord(variables)) return undefined
  return {
    query,
    operationName: operationName ?? undefined,
    variables: variables ?? undefined,
  }
}

function keyOf(params: PlainParams): string {
  return `${params.operationName ?? ''}\n${params.query}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The values of the keyed headers of a JSON POST to the endpoint, or
 * `undefined` when the request must go to yoga.
 */
function shapeOf(request: IncomingMessage, endpoint: string, maxBody: number): string | undefined {
  const { method, url, headers } = request
  if (method !== 'POST' || url !== endpoint) return undefined
  for (const name in headers) {
    if (keyed.has(name) || harmlessHeaders.has(name)) continue
    if (!harmlessPrefixes.some((prefix) => name.startsWith(prefix))) return undefined
  }
  const type = headers['content-type']
  if (type === undefined || type.split(';')[0]?.trim().toLowerCase() !== 'application/json')
    return undefined
  if (headers.accept?.includes('text/event-stream')) return undefined
  const length = headers['content-length']
  if (
    length === undefined ||
    !/^\d+$/.test(length) ||
    Number(length) === 0 ||
    Number(length) > maxBody
  ) {
    return undefined
  }
  let key = ''
  // Header values cannot hold control characters: NUL marks an absent header.
  for (const name of keyedHeaders) {
    const value = headers[name]
    key += value === undefined ? '\n\u0000' : `\n${String(value)}`
  }
  return key
}

/**
 * Whether variables nest at most `maxDepth` levels and hold at most
 * `maxValues` values, counted as `useVariablesLimit` counts them (a value
 * past a limit sends the request to yoga, which refuses it).
 */
function withinLimits(variables: object, maxDepth: number, maxValues: number): boolean {
  const stack: [unknown, number][] = [[variables, 0]]
  let count = 0
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number]
    if (++count > maxValues) return false
    if (value === null || typeof value !== 'object') continue
    if (depth > maxDepth) return false
    for (const item of Object.values(value)) stack.push([item, depth + 1])
  }
  return true
}

/** Yoga's answer headers without their length, with `Vary` as compression leaves it. */
function templateOf(headers: Headers): string[] {
  const flat: string[] = []
  let vary = false
  const compressible = isCompressible(headers.get('content-type'))
  headers.forEach((value, given) => {
    const name = given.toLowerCase()
    if (name === 'content-length') return
    if (name === 'vary' && compressible) {
      vary = true
      flat.push(name, varyWith(value, 'Accept-Encoding'))
      return
    }
    flat.push(name, value)
  })
  if (compressible && !vary) flat.push('vary', 'Accept-Encoding')
  return flat
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  template: string[],
  json: string,
): void {
  if (response.destroyed || response.headersSent) return
  let body: Uint8Array = Buffer.from(json)
  const headers = [...template]
  const encoding = negotiateEncoding(request.headers['accept-encoding'])
  if (encoding && body.byteLength >= minimumBytes && isCompressible(typeOf(template))) {
    body = compress(body, encoding)
    headers.push('content-encoding', encoding)
  }
  headers.push('content-length', String(body.byteLength))
  // Headers set before (`Connection: close` while draining) are kept.
  response.writeHead(200, headers)
  response.end(body)
}

function typeOf(template: string[]): string | undefined {
  for (let index = 0; index < template.length; index += 2) {
    if (template[index] === 'content-type') return template[index + 1]
  }
  return undefined
}
