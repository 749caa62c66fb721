/**
 * HTTP caching for the GraphQL endpoint: ETags and `304 Not Modified` for GET
 * queries, a response cache that serves stored bytes until the content
 * changes, and persisted (trusted) documents.
 *
 * Everything is keyed by the snapshot served: a response depends only on the
 * snapshot and the request (document, variables, operation name, extensions,
 * accepted media type), because the API is read-only and the same for every
 * client. So a new snapshot makes every old entry and ETag stale at once, and
 * nothing else ever does.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations'
import type { ExecutionResult } from 'graphql'
import type { GraphQLParams, Plugin } from 'graphql-yoga'
import type { ApiContext } from '../api/context.ts'
import type { ContentGraph } from '../graph/content-graph.ts'
import { programVersion } from '../program.ts'
import { type FastPath, matchesEtag } from './fast-path.ts'
import { createSnapshotLru } from './snapshot-lru.ts'

/** Size limits of the response cache. */
export interface ResponseCacheOptions {
  /**
   * Most responses kept; the least recently used go first.
   * @default 1000
   */
  readonly maxEntries?: number
  /**
   * Most bytes kept (response bodies and their keys, which hold the query);
   * the least recently used go first.
   * @default 67108864 (64 MiB)
   */
  readonly maxBytes?: number
}

/** HTTP caching options of the server. */
export interface HttpCachingOptions {
  /**
   * `Cache-Control` of successful GET query responses. The default makes
   * browsers and proxies store the response but ask again every time, with
   * `If-None-Match`, so a client never shows stale content and an unchanged
   * one costs a `304` with no body. Use `public, max-age=60` to let them
   * serve it for a minute without asking.
   * @default 'no-cache'
   */
  readonly cacheControl?: string
  /**
   * Keep serialized responses per snapshot and request, and send the
   * stored bytes again instead of executing (GET and POST alike). Dropped as
   * a whole when the content changes. `false` turns it off.
   * @default {maxEntries: 1000, maxBytes: 64 MiB}
   */
  readonly responseCache?: ResponseCacheOptions | false
  /**
   * Answer a request that yoga has already answered from the response
   * cache, for the same snapshot, straight from Node's request handler
   * (`listen`) with the same bytes and headers, before yoga parses anything.
   * Only requests made of nothing but the method, URL, a small POST body and
   * headers known to the server qualify (see README, "HTTP caching"). Needs
   * the response cache, and is off when `cors` is a function (which may read
   * any header). Requests sent with `yoga.fetch` always run through yoga.
   * Keeps up to as many answers and bytes as `responseCache` allows.
   * @default true
   */
  readonly fastPath?: boolean
  /**
   * Persisted documents: the path of a JSON file, or an object, mapping
   * document ids (`sha256:<hex>`, as `npm run codegen` writes to
   * `examples/generated/persisted-documents.json`) to document text. A client
   * may then send `documentId` (or Apollo's `extensions.persistedQuery
   * .sha256Hash`) instead of the query.
   */
  readonly persistedDocuments?: string | Readonly<Record<string, string>> | undefined
  /**
   * Run only the persisted documents; any request carrying query text is
   * refused with `PERSISTED_QUERY_ONLY`. Needs `persistedDocuments`.
   * @default false
   */
  readonly onlyPersisted?: boolean
}

/** Default limits of the response cache. */
export const responseCacheDefaults = {
  maxEntries: 1000,
  maxBytes: 64 * 1024 * 1024,
} as const satisfies Required<ResponseCacheOptions>

/** Default `Cache-Control` of GET query responses. */
export const defaultCacheControl = 'no-cache'

/**
 * The HTTP caching plugins, in the order they must run: persisted documents
 * (which turn an id into a document) before the response cache (which keys on
 * the document). List them after any plugin that may refuse a request, so that
 * a cached response never skips a check.
 *
 * @param options
 *   `Cache-Control`, response cache limits and persisted documents.
 * @param fastPath
 *   The fast path that `listen` puts in front of yoga, to record the
 *   response cache's answers into (see `./fast-path.ts`).
 * @returns
 *   Yoga plugins, to spread into the `plugins` list.
 * @throws
 *   When the persisted documents file cannot be read, or `onlyPersisted` is
 *   set without persisted documents.
 */
export function useHttpCaching(
  options: HttpCachingOptions = {},
  fastPath?: FastPath | undefined,
): Plugin[] {
  const {
    cacheControl = defaultCacheControl,
    responseCache = {},
    persistedDocuments,
    onlyPersisted = false,
  } = options
  const plugins: Plugin[] = []
  if (persistedDocuments !== undefined) {
    const documents =
      typeof persistedDocuments === 'string'
        ? loadPersistedDocuments(persistedDocuments)
        : new Map(Object.entries(persistedDocuments))
    plugins.push(usePersistedDocuments(documents, onlyPersisted))
  } else if (onlyPersisted) {
    throw new Error('content-graph: `onlyPersisted` needs `persistedDocuments` to run anything')
  }
  plugins.push(useResponseCache(cacheControl, responseCache, fastPath))
  return plugins
}

/**
 * Read a persisted documents file: a JSON object of document id to text.
 *
 * @param file
 *   Path of the file, such as `examples/generated/persisted-documents.json`.
 * @returns
 *   The documents by id.
 * @throws
 *   When the file is missing, is not JSON, or holds anything but strings,
 *   with a message naming the file.
 */
export function loadPersistedDocuments(file: string): Map<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new Error(`content-graph: cannot read persisted documents from ${file}`, { cause })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`content-graph: ${file} must hold a JSON object of {"<id>": "<document>"}`)
  }
  const documents = new Map<string, string>()
  for (const [id, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') {
      throw new Error(`content-graph: ${file}: the document of "${id}" is not a string`)
    }
    documents.set(id, document)
  }
  return documents
}

/**
 * Accept document ids instead of text: `documentId` as the GraphQL over HTTP
 * draft says (in the JSON body, or the query string of a GET), or Apollo's
 * `extensions.persistedQuery.sha256Hash`.
 */
function usePersistedDocuments(documents: Map<string, string>, only: boolean): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: !only,
    // Apollo sends the bare hex digest; codegen writes ids as `sha256:<hex>`.
    getPersistedOperation: (id) => documents.get(id) ?? documents.get(`sha256:${id}`) ?? null,
    extractPersistedOperationId: (params, request) => {
      const body = (params as GraphQLParams & { documentId?: unknown }).documentId
      if (typeof body === 'string') return body
      // Yoga's GET parser keeps only the four standard parameters.
      if (request.method === 'GET') {
        const query = new URL(request.url).searchParams.get('documentId')
        if (query) return query
      }
      const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined
      return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null
    },
    customErrors: {
      // Apollo's wording and code, which its clients act on.
      notFound: {
        message: 'PersistedQueryNotFound',
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
      },
      persistedQueryOnly: {
        message:
          'This server runs persisted documents only: send `documentId` instead of the query text',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
      },
      keyNotFound: {
        message: 'Send a query, or the `documentId` of a persisted document',
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      },
    },
  })
}

/** A serialized response kept for one snapshot and request. */
interface Entry {
  readonly body: Uint8Array<ArrayBuffer>
  readonly contentType: string
}

/** What the cache decided for one request, from `onExecute` to `onResponse`. */
type Decision =
  | {
      readonly kind: 'not-modified'
      readonly snapshot: string
      readonly etag: string
      readonly placeholder: ExecutionResult
      /** Set once the 304 is what yoga sends (not, say, part of a batch). */
      served?: boolean
    }
  | {
      readonly kind: 'hit'
      readonly snapshot: string
      readonly entry: Entry
      readonly etag: string | undefined
      readonly placeholder: ExecutionResult
      /** Set once the stored bytes are what yoga sends. */
      served?: boolean
    }
  | {
      readonly kind: 'miss'
      readonly key: string
      readonly snapshot: string
      readonly get: boolean
      cacheable?: boolean
    }

/**
 * Serve stored bytes for a request seen before on the same snapshot, answer
 * `If-None-Match` with 304, and give GET responses an `ETag` and
 * `Cache-Control`.
 *
 * Stored bytes, not results: a hit costs neither execution nor
 * `JSON.stringify`, only sending bytes already made, which is also what lets
 * the fast path give them again before yoga (`docs/decisions.md`).
 *
 * The decision is taken in `onExecute`, where the context holds the snapshot
 * the request reads (the store is read once per request, by the context):
 * the snapshot in the key is always the one the bytes came from. Parsing and
 * validation run first, but yoga caches both per document text.
 *
 * Each answer given from the cache (200 or 304) is then recorded, as sent,
 * into the fast path, which gives it again before yoga to the same request.
 */
function useResponseCache(
  cacheControl: string,
  limits: ResponseCacheOptions | false,
  fastPath: FastPath | undefined,
): Plugin {
  const cache =
    limits === false
      ? undefined
      : createSnapshotLru<Entry>(
          {
            maxEntries: limits.maxEntries ?? responseCacheDefaults.maxEntries,
            maxBytes: limits.maxBytes ?? responseCacheDefaults.maxBytes,
          },
          // The key holds the document text, which may be as large as the response.
          (key, entry) => entry.body.byteLength + key.length,
        )
  const decisions = new WeakMap<Request, Decision>()
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { request, params, graph } = args.contextValue as Partial<ApiContext> & {
        request?: Request
        params?: GraphQLParams
      }
      if (!request || !params || !graph) return
      const get = request.method === 'GET'
      const snapshot = snapshotKey(graph)
      const key = `${snapshot}\n${requestKey(request, params)}`
      const etag = get ? etagOf(key) : undefined
      if (etag !== undefined && matchesEtag(request.headers.get('if-none-match'), etag)) {
        const placeholder: ExecutionResult = {}
        decisions.set(request, { kind: 'not-modified', snapshot, etag, placeholder })
        setResultAndStopExecution(placeholder)
        return
      }
      const entry = cache?.get(key, snapshot)
      if (entry) {
        const placeholder: ExecutionResult = {}
        decisions.set(request, { kind: 'hit', snapshot, entry, etag, placeholder })
        setResultAndStopExecution(placeholder)
        return
      }
      decisions.set(request, { kind: 'miss', key, snapshot, get })
    },
    onExecutionResult({ request, result }) {
      const decision = decisions.get(request)
      if (decision?.kind !== 'miss') return
      // Only complete, error-free results: an error may be passing (a masked
      // failure), and a stream (deferred parts) is not a response to replay.
      decision.cacheable =
        result !== undefined && !isAsyncIterable(result) && !(result.errors?.length ?? 0)
    },
    onResultProcess({ request, result, setResultProcessor }) {
      const decision = decisions.get(request)
      if (decision === undefined || decision.kind === 'miss') return
      if (result !== decision.placeholder) return
      decision.served = true
      if (decision.kind === 'not-modified') {
        // `Vary` is added in `onResponse`, after CORS has set its own.
        setResultProcessor(
          (_, fetchAPI) =>
            new fetchAPI.Response(null, {
              status: 304,
              headers: { etag: decision.etag, 'cache-control': cacheControl },
            }),
          '*/*',
        )
        return
      }
      const { entry, etag } = decision
      const headers: Record<string, string> = {
        'content-type': entry.contentType,
        'x-cache': 'HIT',
      }
      if (etag !== undefined) {
        headers.etag = etag
        headers['cache-control'] = cacheControl
      }
      setResultProcessor(
        (_, fetchAPI) => new fetchAPI.Response(entry.body, { status: 200, headers }),
        mediaTypeOf(entry.contentType),
      )
    },
    // Runs after yoga's CORS plugin, which sets `Vary: Origin` (replacing any
    // `Vary` already there) when the request has an `Origin`, and last of the
    // plugins that touch responses: what it records is what yoga sends.
    async onResponse({ request, response, serverContext, setResponse, fetchAPI }) {
      const decision = decisions.get(request)
      if (decision === undefined) return
      if (decision.kind !== 'miss') {
        // Every response with an ETag varies by `Accept`, which picks its media type.
        if (decision.etag !== undefined) addVary(response.headers, 'Accept')
        // Requests that `listen` handed over carry the Node request.
        const node = (serverContext as { req?: IncomingMessage } | undefined)?.req
        if (!fastPath || !node || !decision.served) return
        if (decision.kind === 'hit' && response.status === 200) {
          fastPath.record(node, decision.snapshot, {
            kind: 'ok',
            status: response.status,
            headers: response.headers,
            body: decision.entry.body,
            etag: decision.etag,
          })
        } else if (decision.kind === 'not-modified' && response.status === 304) {
          fastPath.record(node, decision.snapshot, {
            kind: 'not-modified',
            headers: response.headers,
            etag: decision.etag,
          })
        }
        return
      }
      if (!decision.cacheable) return
      const contentType = response.headers.get('content-type') ?? ''
      if (response.status !== 200 || !isJson(contentType)) return
      // POST responses get no ETag: HTTP caches do not store them and
      // browsers do not revalidate them.
      if (decision.get) {
        response.headers.set('etag', etagOf(decision.key))
        response.headers.set('cache-control', cacheControl)
        addVary(response.headers, 'Accept')
      }
      if (!cache?.accepts(decision.snapshot)) return
      const body = new Uint8Array(await response.arrayBuffer())
      cache.set(decision.key, decision.snapshot, { body, contentType })
      response.headers.set('x-cache', 'MISS')
      setResponse(new fetchAPI.Response(body, copyInit(response)))
    },
  }
}

/**
 * What a response depends on in a snapshot: its version, which covers the
 * posts and the catalog, and its problems, which a broken save changes without
 * changing the version (the post keeps its last good version). Computed once
 * per snapshot.
 *
 * @param graph
 *   The snapshot.
 * @returns
 *   Its key: a response cached under another key is stale.
 */
export function snapshotKey(graph: ContentGraph): string {
  let key = snapshotKeys.get(graph)
  if (key === undefined) {
    const problems = createHash('sha1').update(JSON.stringify(graph.problems)).digest('base64url')
    key = `${graph.version}.${problems}`
    snapshotKeys.set(graph, key)
  }
  return key
}

const snapshotKeys = new WeakMap<ContentGraph, string>()

/** The parts of a request that its response depends on, besides the snapshot. */
function requestKey(request: Request, params: GraphQLParams): string {
  return JSON.stringify([
    request.headers.get('accept') ?? '',
    params.query ?? '',
    params.operationName ?? '',
    params.variables ?? null,
    params.extensions ?? null,
  ])
}

/**
 * A strong ETag: the response bytes are the same whenever the key is, for
 * one version of the program. So every replica serving the same content (one
 * snapshot file, or the same folder) gives the same ETag for the same answer,
 * and a conditional GET revalidates on any of them; the program version as
 * salt keeps new code, which may render differently, from confirming what
 * old code sent.
 */
function etagOf(key: string): string {
  return `"${createHash('sha1').update(programVersion).update(key).digest('base64url')}"`
}

/** Add a request header to `Vary`, keeping those already listed. */
function addVary(headers: Headers, name: string): void {
  const vary = headers.get('vary')
  if (!vary) {
    headers.set('vary', name)
    return
  }
  const listed = vary.split(',').map((item) => item.trim().toLowerCase())
  if (!listed.includes(name.toLowerCase()) && !listed.includes('*')) {
    headers.set('vary', `${vary}, ${name}`)
  }
}

function isJson(contentType: string): boolean {
  const type = mediaTypeOf(contentType)
  return type === 'application/json' || type === 'application/graphql-response+json'
}

function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? ''
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

function copyInit(response: Response): ResponseInit {
  return { status: response.status, statusText: response.statusText, headers: response.headers }
}
