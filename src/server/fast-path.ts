/**
 * The fast path: answer a request in Node's request handler, before yoga,
 * when yoga has already answered the very same request from its response
 * cache for the snapshot being served.
 *
 * A response-cache hit through yoga still costs its whole pipeline (fetch API
 * objects, request parsing, the parse and validation caches, every plugin):
 * 200–300 µs a request, against some 30 µs for node:http sending fixed bytes
 * (bench/RESULTS.md). Here a request is looked up by what it is made of,
 * before anything is parsed, and answered with the bytes and headers yoga
 * sent for it.
 *
 * What makes this safe:
 *
 * - The key is everything a response can depend on: the method, the URL
 *   (path and query string), the bytes of a POST body, and the request
 *   headers that yoga or its plugins read (`keyedHeaders`: media type, CORS
 *   origin, CSRF headers). A request carrying any header outside those and a
 *   short list known to change nothing (`Host`, `User-Agent`, forwarding and
 *   fetch metadata headers, …) goes to yoga, as does any method but GET and
 *   POST, any path but the GraphQL endpoint, a request for an event stream,
 *   and a POST body that is chunked, empty or larger than `maxBodyBytes`
 *   (yoga then reads it and enforces its own limit).
 * - What is stored is yoga's own answer, recorded by the response cache
 *   plugin once every plugin has run (CORS headers included): a 200 that yoga
 *   served from the response cache, or the 304 it gave for `If-None-Match`.
 *   Errors, executed answers, GraphiQL, probes and streams are never stored;
 *   every check (CSRF, limits, persisted documents) has already passed for
 *   the same request.
 * - Entries belong to one snapshot: the first look-up under another one (a
 *   content change) drops them all, as the response cache does.
 * - `If-None-Match` is compared here with the stored ETag as the plugin does;
 *   a match is answered with the 304 yoga sent for that request, else the
 *   request goes to yoga once to record it.
 */

import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import {
  compress,
  type Encoding,
  isCompressible,
  minimumBytes,
  negotiateEncoding,
  varyWith,
  weakEtag,
} from './compression.ts'
import { readBody } from './read-body.ts'
import { csrfHeaders } from './security/index.ts'
import { createSnapshotLru, type LruLimits } from './snapshot-lru.ts'

/** Options of `createFastPath`. */
export interface FastPathOptions {
  /** Path of the GraphQL endpoint, such as `/graphql`; other paths go to yoga. */
  readonly endpoint: string
  /** Key of the snapshot being served, or `undefined` while none is. */
  readonly snapshot: () => string | undefined
  /**
   * Largest POST body read here (further capped at 64 KiB); a larger one
   * goes to yoga unread, which refuses it beyond its own limit.
   */
  readonly maxBodyBytes: number
  /** Most answers kept, and most bytes (bodies, headers and keys). */
  readonly limits: LruLimits
}

/** Counts of what the fast path did. */
export interface FastPathStats {
  /** Requests answered here with a stored 200. */
  readonly hits: number
  /** Requests answered here with a stored 304. */
  readonly notModified: number
  /** Requests handed to yoga: not eligible, or not stored yet. */
  readonly passed: number
  /** Answers kept for the current snapshot. */
  readonly entries: number
  /** Bytes kept (bodies, headers and keys). */
  readonly bytes: number
}

/** An answer of yoga's to record, with its final headers. */
export type RecordedAnswer =
  | {
      readonly kind: 'ok'
      readonly status: number
      readonly headers: Headers
      readonly body: Uint8Array
      /** The response's ETag (GET only), to compare with `If-None-Match`. */
      readonly etag: string | undefined
    }
  | { readonly kind: 'not-modified'; readonly headers: Headers; readonly etag: string }

/** Answers requests before yoga from what yoga answered before. */
export interface FastPath {
  /**
   * Answer a request from a stored answer, or hand it to `next` (yoga). A
   * POST body is read first; yoga then gets it from `request.body`, which
   * its Node adapter reads instead of the spent stream.
   */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ): void
  /**
   * Keep yoga's answer to a request that `serve` handed on, for the snapshot
   * it was computed from. Called by the response cache plugin.
   */
  record(request: IncomingMessage, snapshot: string, answer: RecordedAnswer): void
  stats(): FastPathStats
}

/**
 * Request headers whose values are part of the key: those yoga or the
 * server's plugins read. `If-None-Match` is compared, not keyed.
 */
export const keyedHeaders: readonly string[] = ['accept', 'content-type', 'origin', ...csrfHeaders]

/**
 * Request headers that change nothing in a response of this server, so a
 * request may carry them and still be answered here. Any other header
 * (`Authorization`, `Cookie`, `Expect`, `Upgrade`, `Transfer-Encoding`,
 * `Access-Control-Request-*`, …) sends the request to yoga.
 */
export const harmlessHeaders: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  // A GET must have none (or 0); a POST's is checked against the body limit.
  'content-length',
  'user-agent',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'pragma',
  'referer',
  'dnt',
  'priority',
  'upgrade-insecure-requests',
  'via',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-real-ip',
  'x-request-id',
  'traceparent',
  'tracestate',
])

/** Prefixes of harmless headers: browsers' fetch metadata and client hints. */
const harmlessPrefixes = ['sec-fetch-', 'sec-ch-']

const keyed = new Set(keyedHeaders)

/** Above this, a POST body goes to yoga unread: repeated queries are small. */
const largestBodyRead = 64 * 1024

/** A stored answer: the 200, the 304, or both, of one request. */
interface Stored {
  readonly etag: string | undefined
  /** Status and headers as a flat list (name, value, …) for `writeHead`. */
  readonly ok?: StoredOk
  readonly notModified?: { readonly headers: string[] }
}

/** A stored 200, and the forms of it sent so far, made once per encoding. */
interface StoredOk {
  readonly status: number
  readonly headers: string[]
  readonly body: Uint8Array
  readonly variants: Map<Encoding | 'identity', { headers: string[]; body: Uint8Array }>
}

/**
 * Make a fast path. `listen` puts it in front of yoga; the response cache
 * plugin records into it.
 *
 * @param options
 *   Endpoint, snapshot, body limit and size limits.
 * @returns
 *   The fast path.
 */
export function createFastPath(options: FastPathOptions): FastPath {
  const { endpoint, snapshot } = options
  const maxBody = Math.min(options.maxBodyBytes, largestBodyRead)
  const lru = createSnapshotLru<Stored>(options.limits, sizeOf)
  // The key of each request handed to yoga, for `record`.
  const pending = new WeakMap<IncomingMessage, string>()
  let hits = 0
  let notModified = 0
  let passed = 0

  const answer = (
    request: IncomingMessage,
    response: ServerResponse,
    key: string,
    body: Buffer | undefined,
    next: (request: IncomingMessage, response: ServerResponse) => void,
  ) => {
    const current = snapshot()
    const stored = current === undefined ? undefined : lru.get(key, current)
    if (stored !== undefined) {
      const condition = request.headers['if-none-match']
      if (
        condition !== undefined &&
        stored.etag !== undefined &&
        matchesEtag(condition, stored.etag)
      ) {
        if (stored.notModified) {
          notModified++
          const encoding = negotiateEncoding(request.headers['accept-encoding'])
          send(response, 304, encodedHeaders(stored.notModified.headers, encoding, true), undefined)
          return
        }
      } else if (stored.ok) {
        hits++
        const variant = variantOf(stored.ok, negotiateEncoding(request.headers['accept-encoding']))
        send(response, stored.ok.status, variant.headers, variant.body)
        return
      }
    }
    passed++
    pending.set(request, key)
    if (body !== undefined) {
      // Read by yoga's Node adapter (as a body parser's result would be),
      // since the request stream is spent.
      ;(request as IncomingMessage & { body?: unknown }).body = Readable.from([body], {
        objectMode: false,
      })
    }
    next(request, response)
  }

  return {
    serve(request, response, next) {
      const key = keyOf(request, endpoint, maxBody)
      if (key === undefined) {
        passed++
        next(request, response)
        return
      }
      if (request.method === 'GET') {
        answer(request, response, key, undefined, next)
        return
      }
      readBody(request, (body) => {
        // Latin-1 maps every byte to one character: distinct bodies, distinct keys.
        answer(request, response, `${key}\n${body.toString('latin1')}`, body, next)
      })
    },

    record(request, at, recorded) {
      const key = pending.get(request)
      if (key === undefined || !lru.accepts(at)) return
      pending.delete(request)
      const headers = flatten(recorded.headers)
      const old = lru.get(key, at)
      const base = old?.etag === recorded.etag ? old : undefined
      lru.set(
        key,
        at,
        recorded.kind === 'ok'
          ? {
              etag: recorded.etag,
              ok: { status: recorded.status, headers, body: recorded.body, variants: new Map() },
              ...(base?.notModified ? { notModified: base.notModified } : {}),
            }
          : {
              etag: recorded.etag,
              notModified: { headers },
              ...(base?.ok ? { ok: base.ok } : {}),
            },
      )
    },

    stats: () => ({ hits, notModified, passed, entries: lru.size, bytes: lru.bytes }),
  }
}

/**
 * The key of a request, without its body, or `undefined` when the request
 * must go to yoga.
 */
function keyOf(request: IncomingMessage, endpoint: string, maxBody: number): string | undefined {
  const { method, url, headers } = request
  if ((method !== 'GET' && method !== 'POST') || url === undefined) return undefined
  const query = url.indexOf('?')
  if ((query === -1 ? url : url.slice(0, query)) !== endpoint) return undefined
  for (const name in headers) {
    if (keyed.has(name) || name === 'if-none-match' || harmlessHeaders.has(name)) continue
    if (!harmlessPrefixes.some((prefix) => name.startsWith(prefix))) return undefined
  }
  // Subscriptions are streams, never stored: skip reading their bodies.
  if (headers.accept?.includes('text/event-stream')) return undefined
  const length = headers['content-length']
  if (method === 'GET') {
    if (length !== undefined && length !== '0') return undefined
  } else if (
    length === undefined ||
    !/^\d+$/.test(length) ||
    Number(length) === 0 ||
    Number(length) > maxBody
  ) {
    return undefined
  }
  let key = `${method} ${url}`
  // Header values cannot hold control characters: NUL marks an absent header.
  for (const name of keyedHeaders) {
    const value = headers[name]
    key += value === undefined ? '\n\u0000' : `\n${String(value)}`
  }
  return key
}

/**
 * Whether an `If-None-Match` header names an ETag (weak comparison, as RFC
 * 9110 says); the response cache plugin answers 304 by the same rule.
 *
 * @param header
 *   The request's `If-None-Match`.
 * @param etag
 *   The response's ETag.
 * @returns
 *   Whether the client's copy is current.
 */
export function matchesEtag(header: string | null | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

function send(
  response: ServerResponse,
  status: number,
  headers: string[],
  body: Uint8Array | undefined,
): void {
  if (response.destroyed || response.headersSent) return
  // Headers set before (`Connection: close` while draining) are kept.
  response.writeHead(status, headers)
  response.end(body)
}

/**
 * A stored 200 as sent to a client that accepts an encoding (or none), made
 * on first use and kept: compressing costs once per answer and encoding, and
 * every later hit sends the same bytes, as yoga's `useCompression` would.
 */
function variantOf(
  ok: StoredOk,
  encoding: Encoding | undefined,
): { headers: string[]; body: Uint8Array } {
  const key = encoding ?? 'identity'
  const known = ok.variants.get(key)
  if (known) return known
  let variant = { headers: encodedHeaders(ok.headers, encoding), body: ok.body }
  if (encoding && isCompressible(headerOf(ok.headers, 'content-type'))) {
    if (ok.body.byteLength >= minimumBytes) {
      const body = compress(ok.body, encoding)
      const headers = variant.headers.filter((_, index, all) => {
        const name = all[index - (index % 2)]?.toLowerCase()
        return name !== 'content-length' && name !== 'content-encoding'
      })
      headers.push('content-encoding', encoding, 'content-length', String(body.byteLength))
      variant = { headers, body }
    }
  }
  ok.variants.set(key, variant)
  return variant
}

/**
 * Stored headers as `useCompression` leaves them: `Vary: Accept-Encoding` on
 * compressible responses, and a weak ETag when the client accepts an encoding.
 */
function encodedHeaders(
  headers: string[],
  encoding: Encoding | undefined,
  notModified = false,
): string[] {
  // A 304 has no body to say its type: it stands for the 200 its ETag names.
  if (!notModified && !isCompressible(headerOf(headers, 'content-type'))) return headers
  const out: string[] = []
  let vary = false
  for (let index = 0; index < headers.length; index += 2) {
    const name = headers[index] as string
    let value = headers[index + 1] as string
    const lower = name.toLowerCase()
    if (lower === 'vary') {
      value = varyWith(value, 'Accept-Encoding')
      vary = true
    } else if (lower === 'etag' && encoding) {
      value = weakEtag(value)
    }
    out.push(name, value)
  }
  if (!vary) out.push('vary', 'Accept-Encoding')
  return out
}

/** The value of a header in a flat list, if there. */
function headerOf(headers: string[], name: string): string | undefined {
  for (let index = 0; index < headers.length; index += 2) {
    if (headers[index]?.toLowerCase() === name) return headers[index + 1]
  }
  return undefined
}

function flatten(headers: Headers): string[] {
  const flat: string[] = []
  headers.forEach((value, name) => {
    flat.push(name, value)
  })
  return flat
}

function sizeOf(key: string, stored: Stored): number {
  let bytes = key.length
  for (const part of [stored.ok, stored.notModified]) {
    if (!part) continue
    for (const text of part.headers) bytes += text.length
  }
  return bytes + (stored.ok?.body.byteLength ?? 0)
}
