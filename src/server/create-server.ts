/**
 * The HTTP GraphQL server as a value: built here from options, listened on in
 * `./listen.ts` (or called with `yoga.fetch` in tests, without a port).
 */

import type { GraphQLSchema } from 'graphql'
import {
  createPubSub,
  createYoga,
  type LogLevel,
  type Plugin,
  type YogaLogger,
  type YogaServerInstance,
} from 'graphql-yoga'
import type { ApiContext, ContentChanges } from '../api/context.ts'
import { notReady } from '../api/errors.ts'
import { sharedHtmlRenderer } from '../api/html.ts'
import { createSchema } from '../api/schema.ts'
import type { ContentGraph } from '../graph/content-graph.ts'
import { type LoadOptions, loadContent } from '../load/content.ts'
import { searchIndexOf } from '../search/index.ts'
import { type ContentChange, type LiveContent, watchContent } from '../watch/live-content.ts'
import {
  type HttpCachingOptions,
  responseCacheDefaults,
  snapshotKey,
  useHttpCaching,
} from './caching.ts'
import { type CompiledPath, createCompiledPath } from './compiled-path.ts'
import { useCompression } from './compression.ts'
import { createFastPath, type FastPath } from './fast-path.ts'
import { defaultQuery } from './graphiql.ts'
import { renderGraphiqlPage, useGraphiqlAssets } from './graphiql-assets.ts'
import { type CompiledDocuments, createCompiledDocuments } from './jit.ts'
import {
  type HardeningOptions,
  hardeningYogaOptions,
  resolveHardening,
  useHardening,
} from './security/index.ts'
import { createGraphStore, type GraphStore } from './store.ts'
import { useCompiledExecution } from './use-compiled-execution.ts'

/** CORS settings: `true` for any origin, `false` for none, or yoga's options. */
export type CorsOption = NonNullable<Parameters<typeof createYoga>[0]['cors']>

/**
 * Options shared by every way of building the server, HTTP caching included
 * (`cacheControl`, `responseCache`, `fastPath`, `persistedDocuments`,
 * `onlyPersisted`), and
 * the limits of hostile requests (`HardeningOptions`, see SECURITY.md).
 */
export interface YogaOptions extends HttpCachingOptions, HardeningOptions {
  /**
   * Serve GraphiQL to browsers at the GraphQL endpoint. Asked for outright
   * (`true`), it turns introspection on too unless `introspection` says
   * otherwise, since GraphiQL shows the schema from it.
   * @default true, or false when NODE_ENV=production
   */
  readonly graphiql?: boolean
  /**
   * Cross-origin requests. By default any origin may call the API, which suits
   * local frontends on another port; pass `{origin: ['https://example.com']}`
   * to restrict it, or `false` to send no CORS headers. The API has no
   * credentials (no cookies, no authentication), so credentials are never
   * allowed unless an object here sets `credentials: true` itself.
   * @default true (any origin, without credentials)
   */
  readonly cors?: CorsOption
  /**
   * Hide the message of unexpected errors from clients. Errors the API throws
   * on purpose (with an `extensions.code`) are shown either way.
   * @default true
   */
  readonly maskedErrors?: boolean
  /**
   * Log requests and errors: `false` for silence, a level, or a logger.
   * @default true (level `info`)
   */
  readonly logging?: boolean | LogLevel | YogaLogger
  /**
   * Worker threads that render the `html` fields (shared by the servers of a
   * process), so that rendering long texts never holds up other requests; 0
   * renders on the thread that answers requests.
   * @default 1, or 0 when a content folder is read with `workers: 0`
   */
  readonly htmlWorkers?: number
  /**
   * Run queries compiled by graphql-jit, with the same answers and errors
   * (`./jit.ts`); with `responseCache: false`, also run the queries yoga has
   * accepted before yoga, in Node's request handler (`./compiled-path.ts`).
   * `false` runs every query with graphql-js through yoga.
   * @default true
   */
  readonly compiledExecution?: boolean
}

/** How to read a content folder: the loader's options, plus watching. */
export interface ContentFolderOptions
  extends Pick<
    LoadOptions,
    | 'workers'
    | 'cacheDir'
    | 'maxFileBytes'
    | 'parseTimeoutMs'
    | 'onProgress'
    | 'drafts'
    | 'onWarning'
  > {
  readonly contentDir: string
  readonly graph?: undefined
  /**
   * Follow the folder: re-read changed files and serve each new snapshot.
   * @default false
   */
  readonly watch?: boolean
  /** Called with each new snapshot while watching, after it is served. */
  readonly onChange?: (graph: ContentGraph, change: ContentChange) => void
}

/** Options of `createContentServer`: a content folder to read, or a graph already built. */
export type ContentServerOptions = YogaOptions &
  (ContentFolderOptions | { readonly graph: ContentGraph; readonly contentDir?: undefined })

/** A built server, not yet listening. */
export interface ContentServer {
  /** The yoga instance: a fetch handler and a Node request listener. */
  readonly yoga: YogaServerInstance<Record<string, never>, ApiContext>
  /** The snapshot being served; `replace` it to serve new content. */
  readonly store: GraphStore
  readonly schema: GraphQLSchema
  /**
   * Settles once the first graph is served: at once for `graph`, after the
   * folder is read for `contentDir`. Until then `/ready` answers 503 and
   * GraphQL requests get a `NOT_READY` error.
   */
  readonly ready: Promise<ContentGraph>
  /** Content changes, published after each new snapshot is served (watch mode). */
  readonly changes: ContentChanges
  /**
   * Answers repeated requests before yoga once `listen` serves this server
   * (`fastPath` option); `stats()` counts what it did. Undefined when off.
   */
  readonly fastPath: FastPath | undefined
  /**
   * Runs queries yoga has accepted before yoga once `listen` serves this
   * server (`compiledExecution` with `responseCache: false`); `stats()`
   * counts what it did. Undefined when off.
   */
  readonly compiledPath: CompiledPath | undefined
  /** Stop watching the folder, if watching. */
  close(): Promise<void>
}

/**
 * Build the content server: schema, store and yoga instance.
 *
 * With `contentDir`, reading starts at once but the server is returned before
 * it ends, so it can listen (and answer health probes) while a large folder is
 * read.
 *
 * @param options
 *   A content folder or a graph, and HTTP options.
 * @returns
 *   The server and a promise of its first graph.
 */
export function createContentServer(options: ContentServerOptions): ContentServer {
  // Each snapshot's search index is built (or, after a save, updated for the
  // changed posts) before the snapshot is served, not by the first search.
  const store = createGraphStore(options.graph, { prepare: searchIndexOf })
  const changes: ContentChanges = createPubSub()
  const schema = createSchema()
  const fastPath = fastPathFor(store, options)
  // `workers: 0` asks for no worker threads at all: HTML is then rendered
  // on the request thread too, unless said otherwise.
  const htmlWorkers =
    options.htmlWorkers ?? (!options.graph && options.workers === 0 ? 0 : undefined)
  const serverOptions = htmlWorkers === undefined ? options : { ...options, htmlWorkers }
  const documents =
    options.compiledExecution === false ? undefined : createCompiledDocuments(schema)
  const compiledPath =
    documents && compiledPathFor(store, serverOptions, schema, documents, changes)
  const yoga = createYogaForStore(store, serverOptions, schema, changes, fastPath, {
    documents,
    path: compiledPath,
  })
  let live: LiveContent | undefined
  let ready: Promise<ContentGraph>
  if (options.graph) {
    ready = Promise.resolve(options.graph)
  } else if (options.watch) {
    const { onChange, ...folder } = options
    const folderState = (present: boolean) =>
      store.setUnavailable?.(present ? undefined : 'content-folder-missing')
    ready = watchContent({
      ...folder,
      onChange: (graph, change) => {
        store.replace(graph)
        changes.publish('contentChanged', { ...change, graph })
        onChange?.(graph, change)
      },
      onFolder: folderState,
    }).then((content) => {
      live = content
      store.setBacklog?.(() => content.backlog())
      folderState(content.folderPresent)
      store.replace(content.graph)
      return content.graph
    })
  } else {
    ready = loadContent(options).then(({ graph }) => {
      store.replace(graph)
      return graph
    })
  }
  // Callers that never await `ready` must not crash the process; the
  // failure still reaches those that do, and `/ready` stays 503.
  ready.catch(() => {})
  return {
    yoga,
    store,
    schema,
    ready,
    changes,
    fastPath,
    compiledPath,
    async close() {
      await ready.catch(() => {})
      await live?.close()
    },
  }
}

/**
 * Build a yoga instance that serves whatever graph a store holds.
 *
 * @param store
 *   Store to read once per request.
 * @param options
 *   HTTP options.
 * @param schema
 *   Schema to serve; built when omitted.
 * @param changes
 *   Where content changes are published, for subscriptions.
 * @param fastPath
 *   Fast path to record the response cache's answers into, for `listen` to
 *   give before yoga (see `createContentServer`).
 * @param compiled
 *   Compiled documents to execute with, and the compiled path to teach
 *   (see `createContentServer`); made here when omitted, unless
 *   `compiledExecution` is false.
 * @returns
 *   The yoga instance, with `/health` and `/ready`.
 */
export function createYogaForStore(
  store: GraphStore,
  options: YogaOptions = {},
  schema: GraphQLSchema = createSchema(),
  changes: ContentChanges = createPubSub(),
  fastPath?: FastPath | undefined,
  compiled?: {
    readonly documents: CompiledDocuments | undefined
    readonly path?: CompiledPath | undefined
  },
): YogaServerInstance<Record<string, never>, ApiContext> {
  const { cors = true, maskedErrors = true, logging = true, htmlWorkers = 1 } = options
  const html = sharedHtmlRenderer(htmlWorkers)
  const documents =
    compiled?.documents ??
    (compiled || options.compiledExecution === false ? undefined : createCompiledDocuments(schema))
  const graphiql = options.graphiql ?? defaultGraphiql()
  if (options.graphiql === true && options.introspection === undefined) {
    options = { ...options, introspection: true }
  }
  return createYoga<Record<string, never>, ApiContext>({
    schema,
    graphqlEndpoint,
    context: () => {
      const graph = store.current()
      if (!graph) throw notReady()
      return { graph, changes, html }
    },
    graphiql: graphiql ? { title: 'content-graph', defaultQuery } : false,
    // GraphiQL's scripts and styles are served by this server rather than a
    // CDN, so the playground works offline and behind strict networks; the
    // page links to them at hashed, immutable URLs (./graphiql-assets.ts).
    renderGraphiQL: renderGraphiqlPage,
    cors: withoutCredentials(cors),
    maskedErrors,
    logging,
    // Yoga answers this path itself with an empty 200 before any plugin runs;
    // it is moved aside so that `/health` can answer with a JSON body.
    healthCheckEndpoint: '/_yoga/health',
    // Body size, batching and multipart: see SECURITY.md.
    ...hardeningYogaOptions(options),
    // HTTP caching last: a stored response must never skip a check that an
    // earlier plugin makes.
    // Compression last of all: it compresses what every other plugin made.
    plugins: [
      useProbes(store),
      ...(graphiql ? [useGraphiqlAssets()] : []),
      // Before the hardening plugins, whose time budget wraps its execution.
      ...(documents ? [useCompiledExecution(documents, compiled?.path)] : []),
      ...useHardening(options),
      ...useHttpCaching(options, fastPath),
      useCompression(),
    ],
  })
}

const graphqlEndpoint = '/graphql'

/**
 * Whether GraphiQL is served when the options do not say: not in production,
 * where introspection is off by default and a playground is rarely wanted.
 *
 * @param env
 *   Environment variables.
 * @returns
 *   Whether to serve GraphiQL.
 */
export function defaultGraphiql(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production'
}

/**
 * CORS settings that never allow credentials unless asked to: yoga's own
 * default reflects any origin with `Access-Control-Allow-Credentials: true`,
 * which would let any page read answers with the visitor's cookies, were there
 * any to send.
 */
function withoutCredentials(cors: CorsOption): CorsOption {
  if (cors === true) return { origin: '*', credentials: false }
  if (typeof cors === 'object') return { credentials: false, ...cors }
  return cors
}

/**
 * The fast path for a store's server, unless turned off, without a response
 * cache to fill it, or with a CORS function (which may read any header, so
 * that no request could be known to get the same answer).
 */
function fastPathFor(store: GraphStore, options: YogaOptions): FastPath | undefined {
  const { fastPath = true, responseCache = {}, cors } = options
  if (!fastPath || responseCache === false || typeof cors === 'function') return undefined
  return createFastPath({
    endpoint: graphqlEndpoint,
    snapshot: () => {
      const graph = store.current()
      return graph && snapshotKey(graph)
    },
    maxBodyBytes: resolveHardening(options).maxBodyBytes,
    limits: {
      maxEntries: responseCache.maxEntries ?? responseCacheDefaults.maxEntries,
      maxBytes: responseCache.maxBytes ?? responseCacheDefaults.maxBytes,
    },
  })
}

/**
 * The compiled path for a store's server: only with the response cache off
 * (with it on, a repeat is answered from stored bytes, which the compiled
 * path would bypass), and not when only persisted documents may run or CORS
 * is a function (which may read any header).
 */
function compiledPathFor(
  store: GraphStore,
  options: YogaOptions,
  schema: GraphQLSchema,
  documents: CompiledDocuments,
  changes: ContentChanges,
): CompiledPath | undefined {
  if (options.responseCache !== false || options.onlyPersisted) return undefined
  if (typeof options.cors === 'function') return undefined
  const html = sharedHtmlRenderer(options.htmlWorkers ?? 1)
  return createCompiledPath({
    endpoint: graphqlEndpoint,
    schema,
    documents,
    context: () => {
      const graph = store.current()
      return graph && !store.unavailable?.() ? { graph, changes, html } : undefined
    },
    limits: resolveHardening(options),
  })
}

/**
 * Answer `/health` (the process is up) and `/ready` (a graph is loaded, and
 * its content folder is there when watched) for load balancers and
 * orchestrators. While watching, `/ready` also tells how many saves are not
 * yet served (`updates: {waiting, reading}`).
 *
 * @param store
 *   Store whose graph decides readiness.
 * @returns
 *   A yoga plugin.
 */
export function useProbes(store: GraphStore): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        )
      if (url.pathname === '/health') {
        json(200, { status: 'ok' })
      } else if (url.pathname === '/ready') {
        const graph = store.current()
        const unavailable = store.unavailable?.()
        // While watching: saves not yet served (files waiting, files being read).
        const backlog = store.backlog?.()
        const updates = backlog ? { updates: backlog } : {}
        if (!graph) json(503, { status: 'loading' })
        else if (unavailable) json(503, { status: unavailable, version: graph.version, ...updates })
        else json(200, { status: 'ready', version: graph.version, ...updates })
      }
    },
  }
}
