/**
 * Negotiated compression (brotli or gzip) of responses: yoga's answers
 * through `useCompression`, the fast path's stored answers through
 * `encodeStored` (compressed once per stored answer and encoding, so a hit
 * stays a copy of bytes), and GraphiQL's assets (compressed once per process).
 *
 * The rules, the same on every path so that every replica and path agree:
 * - Which encoding: the client's `Accept-Encoding`, read by `negotiator`,
 *   brotli preferred over gzip at equal weight.
 * - What: JSON, HTML, JavaScript and CSS bodies of at least `minimumBytes`.
 * - `Vary: Accept-Encoding` on every such response, compressed or not.
 * - The ETag turns weak (`W/"…"`) when the client accepts an encoding, as
 *   the bytes then differ from the identity ones; `If-None-Match` compares
 *   weakly, so either form revalidates.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'graphql-yoga'
import Negotiator from 'negotiator'

/** An encoding this server compresses with. */
export type Encoding = 'br' | 'gzip'

/** Bodies smaller than this are sent as they are: compression would not pay. */
export const minimumBytes = 1024

const offered: Encoding[] = ['br', 'gzip']

/**
 * Pick the encoding for a request.
 *
 * @param acceptEncoding
 *   The request's `Accept-Encoding`.
 * @returns
 *   `br`, `gzip`, or undefined for none (no header, or neither accepted).
 */
export function negotiateEncoding(
  acceptEncoding: string | string[] | null | undefined,
): Encoding | undefined {
  if (!acceptEncoding) return undefined
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(', ') : acceptEncoding
  const chosen = new Negotiator({ headers: { 'accept-encoding': header } }).encoding([
    ...offered,
    'identity',
  ])
  return chosen === 'br' || chosen === 'gzip' ? chosen : undefined
}

/**
 * Whether a media type is worth compressing: text formats, not images or
 * event streams (which must reach the client event by event).
 *
 * @param contentType
 *   The response's `Content-Type`.
 * @returns
 *   Whether to compress it.
 */
export function isCompressible(contentType: string | null | undefined): boolean {
  if (!contentType) return false
  return /^(application\/([\w.+-]*json|javascript)|text\/(html|css|javascript|plain))\b/i.test(
    contentType,
  )
}

/**
 * Compress bytes for one encoding, at a level that suits per-response work
 * (brotli 5, gzip 6: most of the gain for a fraction of the time).
 *
 * @param body
 *   Bytes to compress.
 * @param encoding
 *   `br` or `gzip`.
 * @returns
 *   The compressed bytes.
 */
export function compress(body: Uint8Array, encoding: Encoding): Uint8Array<ArrayBuffer> {
  // zlib's results own plain (not shared) ArrayBuffers.
  return (
    encoding === 'br'
      ? brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
          },
        })
      : gzipSync(body, { level: 6 })
  ) as Uint8Array<ArrayBuffer>
}

/**
 * The weak form of an ETag, for a compressed (or compressible) response.
 *
 * @param etag
 *   An ETag, strong or weak.
 * @returns
 *   The weak ETag.
 */
export function weakEtag(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`
}

/**
 * Add a name to a `Vary` value, keeping those listed.
 *
 * @param vary
 *   The current value, if any.
 * @param name
 *   Header name to add.
 * @returns
 *   The new value.
 */
export function varyWith(vary: string | null | undefined, name: string): string {
  if (!vary) return name
  const listed = vary.split(',').map((item) => item.trim().toLowerCase())
  return listed.includes(name.toLowerCase()) || listed.includes('*') ? vary : `${vary}, ${name}`
}

/**
 * Compress yoga's responses as the client asks, last of the plugins, so that
 * what it compresses is what yoga would send. Responses that carry a
 * `Content-Encoding` already (GraphiQL's assets) are left alone.
 *
 * @returns
 *   A yoga plugin.
 */
export function useCompression(): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.headers.has('content-encoding')) return
      // A 304 has no body to say its type: it stands for the 200 its ETag names.
      const notModified = response.status === 304 && response.headers.has('etag')
      if (!notModified && !isCompressible(response.headers.get('content-type'))) return
      if (/event-stream|multipart/i.test(response.headers.get('content-type') ?? '')) return
      const headers = new fetchAPI.Headers(response.headers)
      headers.set('vary', varyWith(headers.get('vary'), 'Accept-Encoding'))
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'))
      const etag = headers.get('etag')
      if (encoding && etag) headers.set('etag', weakEtag(etag))
      const init = { status: response.status, statusText: response.statusText, headers }
      if (!encoding || response.body === null || notModified) {
        setResponse(new fetchAPI.Response(response.body, init))
        return
      }
      const body = new Uint8Array(await response.arrayBuffer())
      if (body.byteLength < minimumBytes) {
        setResponse(new fetchAPI.Response(body, init))
        return
      }
      const compressed = compress(body, encoding)
      headers.set('content-encoding', encoding)
      headers.set('content-length', String(compressed.byteLength))
      setResponse(new fetchAPI.Response(compressed, init))
    },
  }
}
