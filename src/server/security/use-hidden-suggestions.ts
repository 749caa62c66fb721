/**
 * Error messages without "Did you mean …?", for a server that hides its schema.
 */
import { validate } from 'graphql'
import type { Plugin } from 'graphql-yoga'

/** A suggestion in an error message, with the space before it. */
const suggestion = / ?Did you mean [^?]*\?/g

/**
 * Leave "Did you mean …?" out of every validation and execution error, so that
 * a server without introspection does not spell its schema out one guess at a
 * time.
 *
 * graphql-js leaves suggestions out of validation errors when asked; variable
 * values are checked by yoga's executor, which under graphql 16 cannot pass
 * the request on to enum types, so what is left is cut from the messages.
 * GraphQL Armor's `blockFieldSuggestion` misses some of them ("Did you mean
 * the enum value …"), which is why this is written here.
 *
 * @returns
 *   A plugin; it takes no options.
 */
export function useHiddenSuggestions(): Plugin {
  return {
    onValidate({ setValidationFn }) {
      setValidationFn((schema, document, rules) =>
        validate(schema, document, rules, { hideSuggestions: true }),
      )
    },
    onExecutionResult({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (!single || !('errors' in single)) continue
        for (const error of single.errors ?? []) {
          // GraphQLError keeps `message` writable, as GraphQL Armor relies on too.
          ;(error as { message: string }).message = error.message.replace(suggestion, '')
        }
      }
    },
  }
}
