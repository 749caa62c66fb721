/**
 * Errors the API reports to clients. Each carries a stable `extensions.code`
 * that clients can test; yoga passes these through `maskedErrors` untouched,
 * while unexpected errors stay masked.
 */
import type { GraphQLError } from 'graphql'
import { createGraphQLError } from 'graphql-yoga'
import { SearchQueryError } from '../search/index.ts'

/** Codes of the errors the API reports on purpose. */
export const ErrorCode = {
  /** An argument is malformed, such as a cursor that no connection gave out. */
  badUserInput: 'BAD_USER_INPUT',
  /** A page size or list of ids is beyond the limit of 100. */
  paginationLimit: 'PAGINATION_LIMIT',
  /** The content is still being read; try again shortly. */
  notReady: 'NOT_READY',
  /** A search query is longer than the search reads (characters or words). */
  searchQueryTooLong: 'SEARCH_QUERY_TOO_LONG',
} as const

/** Most items a page (or a `nodes(ids:)` call) may ask for. */
export const maxItems = 100

/**
 * Make an error for a bad argument.
 *
 * @param message
 *   What is wrong, naming the argument.
 * @param extensions
 *   More fields for `extensions`, such as `{argument: 'after'}`.
 * @returns
 *   An error with `extensions.code` `BAD_USER_INPUT`.
 */
export function badUserInput(
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return createGraphQLError(message, {
    extensions: { ...extensions, code: ErrorCode.badUserInput },
  })
}

/**
 * Check that a count of items asked for is within 1 to 100.
 *
 * @param argument
 *   Name of the argument, such as `first`, for the message.
 * @param value
 *   The count; nothing is checked when null or undefined.
 * @throws
 *   An error with `extensions.code` `PAGINATION_LIMIT` when out of range.
 */
export function assertWithinLimit(argument: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return
  if (value < 1 || value > maxItems) throw paginationLimit(argument, value)
}

/**
 * Make the error for a count of items outside 1 to 100.
 *
 * @param argument
 *   Name of the argument, such as `first` or `ids`, for the message.
 * @param value
 *   The count asked for.
 * @returns
 *   An error with `extensions.code` `PAGINATION_LIMIT`.
 */
export function paginationLimit(argument: string, value: number): GraphQLError {
  return createGraphQLError(
    `\`${argument}\` asks for ${value} items, but the limit is ${maxItems}: ask for 1 to ${maxItems} at a time`,
    { extensions: { code: ErrorCode.paginationLimit, argument, limit: maxItems } },
  )
}

/**
 * Make the error GraphQL requests get while the first content load runs.
 *
 * @returns
 *   An error with `extensions.code` `NOT_READY` and HTTP status 503.
 */
export function notReady(): GraphQLError {
  return createGraphQLError('The content is still being read; try again in a moment', {
    extensions: {
      code: ErrorCode.notReady,
      http: { status: 503, headers: { 'retry-after': '1' } },
    },
  })
}

/**
 * Fail on a reference to a record that is not in the snapshot.
 *
 * A snapshot is built whole, so this only happens on a bug in the graph
 * layer; it is a plain `Error`, which yoga masks for clients and logs.
 *
 * @param what
 *   Kind of record referred to, such as `post`.
 * @param id
 *   Its id.
 * @returns
 *   Never.
 */
export function brokenReference(what: string, id: string): never {
  throw new Error(`content-graph: the graph has no ${what} with id ${id}`)
}

/**
 * Run a search, turning a refused query into the API's error.
 *
 * @param run
 *   The search.
 * @returns
 *   What it returns.
 * @throws
 *   `SEARCH_QUERY_TOO_LONG` (with `extensions.limit`) for a query over the
 *   search's limits; anything else as thrown.
 */
export function searching<T>(run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof SearchQueryError) {
      throw createGraphQLError(error.message, {
        extensions: { code: error.code, limit: error.limit, argument: 'query' },
      })
    }
    throw error
  }
}
