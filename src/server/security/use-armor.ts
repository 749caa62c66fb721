/**
 * GraphQL Armor's limits on the shape of a document: depth, aliases,
 * directives and tokens, plus its net for field suggestions.
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor'
import type { ValidationContext } from 'graphql'
import type { Plugin, YogaInitialContext } from 'graphql-yoga'
import { refused, SecurityErrorCode } from './errors.ts'
import { hardeningDefaults } from './options.ts'

/** Options of `useArmor`. */
export interface ArmorOptions {
  /**
   * Most levels of nested fields, the leaf fields not counted.
   * @default 10
   */
  readonly maxDepth?: number
  /**
   * Most aliases in an operation, fragments included.
   * @default 15
   */
  readonly maxAliases?: number
  /**
   * Most directives in an operation, fragments included.
   * @default 50
   */
  readonly maxDirectives?: number
  /**
   * Most tokens in a document, counted while parsing.
   * @default 1000
   */
  readonly maxTokens?: number
  /**
   * Cut field suggestions from error messages (when introspection is off).
   * @default false
   */
  readonly blockFieldSuggestion?: boolean
}

/**
 * GraphQL Armor's plugins, configured so that each refusal carries a code and
 * the limit it passed.
 *
 * @param options
 *   The limits.
 * @returns
 *   Yoga plugins, to spread into the `plugins` list.
 */
export function useArmor(options: ArmorOptions = {}): Plugin[] {
  const {
    maxDepth = hardeningDefaults.maxDepth,
    maxAliases = hardeningDefaults.maxAliases,
    maxDirectives = hardeningDefaults.maxDirectives,
    maxTokens = hardeningDefaults.maxTokens,
    blockFieldSuggestion = false,
  } = options
  return new EnvelopArmor<YogaInitialContext>({
    // Armor's regular expression misses some suggestions ("Did you mean the
    // enum value …"), so `useHiddenSuggestions` asks graphql-js to leave them
    // all out; this one stays as a second net.
    blockFieldSuggestion: { enabled: blockFieldSuggestion },
    maxTokens: {
      n: maxTokens,
      onReject: [
        // Tokens are counted while parsing, with no validation context to
        // report to: throwing is how a parse error gets out.
        () => {
          throw refused(
            SecurityErrorCode.tokenLimit,
            `The document has more than ${maxTokens} tokens: send a shorter query`,
            maxTokens,
          )
        },
      ],
    },
    maxDepth: {
      // Fragments count as the fields they hold, not as a level of their own,
      // so that naming a selection costs nothing and hiding one gains nothing.
      flattenFragments: true,
      // Introspection nests `ofType` nine times; graphql-js's
      // MaxIntrospectionDepthRule bounds the costly part of it instead.
      ignoreIntrospection: true,
      ...report(
        SecurityErrorCode.depthLimit,
        `Fields are nested more than ${maxDepth} levels deep: ask for less at a time`,
        maxDepth,
        // Armor counts the leaf field as a level too (`{ stats { posts } }`
        // is 2 to it); the limit here counts nested selections, as
        // graphql-depth-limit does.
        maxDepth + 1,
      ),
    },
    maxAliases: report(
      SecurityErrorCode.aliasLimit,
      `The operation uses more than ${maxAliases} aliases`,
      maxAliases,
    ),
    maxDirectives: report(
      SecurityErrorCode.directiveLimit,
      `The operation uses more than ${maxDirectives} directives`,
      maxDirectives,
    ),
    // Armor's cost limit counts `first` only when written as a literal
    // (`first: $n` counts 1), knows nothing of the default page of 20, and
    // grows by 1.5 per level of depth; `useCostLimit` counts what a
    // response can hold instead.
    costLimit: { enabled: false },
  }).protect().plugins
}

/**
 * The Armor options that report a refusal as a validation error with a code,
 * rather than as Armor's bare "Syntax Error: …" without one.
 */
function report(code: string, message: string, limit: number, n = limit) {
  const onReject = (context: ValidationContext | null) => {
    context?.reportError(refused(code, message, limit))
  }
  return { n, propagateOnRejection: false, onReject: [onReject] }
}
