/**
 * Yoga's "invalid JSON" error, without the echo of the body.
 */
import type { GraphQLError } from 'graphql'
import { createGraphQLError, type Plugin } from 'graphql-yoga'

/**
 * Drop the echo of the body from yoga's "invalid JSON" error.
 *
 * Hand-written: yoga puts `JSON.parse`'s message in `extensions.originalError`,
 * and Node's message quotes the start of the body, so a secret sent in a broken
 * request came back in the response (and in any log of it). This keeps yoga's
 * own message and code, and answers 400 whatever the client accepts.
 *
 * @returns
 *   A plugin; it takes no options.
 */
export function useScrubbedRequestErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return
      setRequestParser(async (request) => {
        try {
          return await requestParser(request)
        } catch (error) {
          const extensions = (error as GraphQLError).extensions
          if (extensions?.code !== 'BAD_REQUEST' || !('originalError' in extensions)) throw error
          throw createGraphQLError((error as GraphQLError).message, {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          })
        }
      })
    },
  }
}
