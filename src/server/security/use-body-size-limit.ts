/**
 * The request body size limit, checked before yoga reads the body.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga'
import { hardeningDefaults } from './options.ts'

/** Options of `useBodySizeLimit`. */
export interface BodySizeLimitOptions {
  /**
   * Largest body, in bytes; a larger one gets `413`.
   * @default 1000000 (1 MB)
   */
  readonly maxBodyBytes?: number
}

/**
 * Refuse a request body larger than `maxBodyBytes` with 413.
 *
 * Hand-written: yoga's own limit pipes every body through a counting stream,
 * whose pipeline makes an AbortController and a DOMException per request:
 * some 15% of the CPU time of a small request (see `docs/decisions.md`). A
 * body with a valid Content-Length cannot be longer than it says (Node's HTTP
 * parser reads exactly that many bytes), so only a body without one (chunked)
 * is counted as it streams.
 *
 * @param options
 *   The limit.
 * @returns
 *   A plugin.
 */
export function useBodySizeLimit(options: BodySizeLimitOptions = {}): Plugin {
  const { maxBodyBytes: limit = hardeningDefaults.maxBodyBytes } = options
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
