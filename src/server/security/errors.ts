/**
 * The codes and shape of the errors that refused requests get, shared by the
 * plugins of this folder so that every refusal reads alike to a client.
 */
import type { GraphQLError } from 'graphql'
import { createGraphQLError } from 'graphql-yoga'

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

/**
 * Make the error of a request refused for passing a limit: HTTP 400 for
 * clients that accept `application/graphql-response+json`, 200 for
 * `application/json` clients, as GraphQL over HTTP asks (`spec: true` tells
 * yoga so).
 *
 * @param code
 *   One of `SecurityErrorCode`.
 * @param message
 *   What was refused and what to do instead.
 * @param limit
 *   The limit passed, for `extensions.limit`.
 * @returns
 *   The error, to throw or report.
 */
export function refused(code: string, message: string, limit: number): GraphQLError {
  return createGraphQLError(message, {
    extensions: { code, limit, http: { status: 400, spec: true } },
  })
}
