/**
 * The search query syntax: words (all must match), `"quoted phrases"`,
 * `-excluded` words or phrases, and prefix matching on the last word while
 * the user is still typing it. Nothing is an error except a query too long
 * to be a question: an unbalanced quote or a stray `-` is read as words.
 */
import { fold } from './text.ts'

/** Longest query accepted, in characters. */
export const maxQueryLength = 256

/** Most words (phrase words included) a query may have. */
export const maxQueryWords = 32

/** A parsed query. Words are folded (NFKC, lowercase). */
export interface ParsedQuery {
  /** Words that must all match, in order, phrase words included. */
  readonly words: readonly string[]
  /** Quoted phrases, each as its words; they must match as written, in order. */
  readonly phrases: readonly (readonly string[])[]
  /** Words or phrases a result must not contain. */
  readonly excluded: readonly (readonly string[])[]
  /** Whether the last word is still being typed and matches as a prefix. */
  readonly prefix: boolean
}

/** Why a query is refused. */
export type SearchQueryErrorCode = 'SEARCH_QUERY_TOO_LONG'

/** A query refused before any search: it names the limit it broke. */
export class SearchQueryError extends Error {
  override readonly name = 'SearchQueryError'

  /**
   * @param code
   *   Stable code, for `extensions.code`.
   * @param message
   *   What is wrong, naming the limit.
   * @param limit
   *   The limit broken.
   */
  constructor(
    readonly code: SearchQueryErrorCode,
    message: string,
    readonly limit: number,
  ) {
    super(message)
  }
}

/**
 * Parse a search query.
 *
 * @param query
 *   The query as typed.
 * @returns
 *   Its words, phrases and exclusions.
 * @throws
 *   `SearchQueryError` (`SEARCH_QUERY_TOO_LONG`) when the query has more than
 *   `maxQueryLength` characters or more than `maxQueryWords` words: checked
 *   before anything else, so a hostile query costs nothing.
 */
export function parseQuery(query: string): ParsedQuery {
  if (query.length > maxQueryLength) {
    throw new SearchQueryError(
      'SEARCH_QUERY_TOO_LONG',
      `The search query has ${query.length} characters; at most ${maxQueryLength} are read`,
      maxQueryLength,
    )
  }
  const text = fold(query)
  const words: string[] = []
  const phrases: string[][] = []
  const excluded: string[][] = []
  let lastIsPlainWord = false
  // A quote opens a phrase only when it is closed; otherwise it is a space.
  const token = /(-?)"([^"]*)"|(\S+)/g
  for (const match of text.matchAll(token)) {
    const [, minus, quoted, bare] = match
    if (quoted !== undefined) {
      const phrase = splitWords(quoted)
      lastIsPlainWord = false
      if (phrase.length === 0) continue
      if (minus) excluded.push(phrase)
      else {
        phrases.push(phrase)
        words.push(...phrase)
      }
      continue
    }
    const word = (bare ?? '').replaceAll('"', '')
    if (word.startsWith('-') && word.length > 1) {
      const rest = splitWords(word.slice(1))
      lastIsPlainWord = false
      if (rest.length > 0) excluded.push(rest)
      continue
    }
    const parts = splitWords(word)
    words.push(...parts)
    lastIsPlainWord = parts.length > 0
  }
  const count = words.length + excluded.reduce((sum, list) => sum + list.length, 0)
  if (count > maxQueryWords) {
    throw new SearchQueryError(
      'SEARCH_QUERY_TOO_LONG',
      `The search query has ${count} words; at most ${maxQueryWords} are read`,
      maxQueryWords,
    )
  }
  return {
    words,
    phrases,
    excluded,
    // Type-ahead: the last word is a prefix until a space follows it.
    prefix: lastIsPlainWord && !/\s$/.test(query),
  }
}

/** Words of a piece of query text: whitespace-separated, without empty ones. */
function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word))
}
