/**
 * Yoga's CSRF prevention, asked of POST requests only.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { createGraphQLError, type Plugin } from 'graphql-yoga'
import { SecurityErrorCode } from './errors.ts'

/**
 * Headers that mark a request as sent on purpose by a GraphQL client. The
 * fast path keys its answers on them too, since they decide a refusal.
 */
export const csrfHeaders = ['x-graphql-csrf', 'x-graphql-yoga-csrf', 'apollo-require-preflight']

/** Options of `useCsrfPreventionForPost`. */
export interface CsrfPreventionForPostOptions {
  /**
   * Headers of which a POST without a preflight must name one.
   * @default csrfHeaders
   */
  readonly requestHeaders?: readonly string[]
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
 * unless it names one of the headers.
 *
 * @param options
 *   The headers that let a POST through.
 * @returns
 *   A plugin that refuses with `CSRF_HEADER_REQUIRED` (403).
 */
export function useCsrfPreventionForPost(options: CsrfPreventionForPostOptions = {}): Plugin {
  const { requestHeaders = csrfHeaders } = options
  const csrf = useCSRFPrevention({ requestHeaders: [...requestHeaders] })
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET' || payload.request.method === 'HEAD') return
      try {
        // The plugin's check is synchronous; it throws a 403 error without a code.
        return csrf.onRequestParse?.(payload)
      } catch {
        throw createGraphQLError(
          `Refused as a possible cross-site request forgery: send JSON, or name one of the headers ${requestHeaders.join(', ')}`,
          {
            extensions: {
              code: SecurityErrorCode.csrfHeaderRequired,
              headers: requestHeaders,
              http: { status: 403 },
            },
          },
        )
      }
    },
  }
}
