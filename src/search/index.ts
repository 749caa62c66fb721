/**
 * Ranked full-text search over a content graph snapshot: posts, talks,
 * sections and bullets, with Hangul particles, technology aliases, phrases,
 * exclusions, prefixes and highlights. Sits on the graph layer; the API
 * imports it, the graph never does.
 */
export type { SearchKind } from './documents.ts'
export { searchKinds } from './documents.ts'
export { postFilterWithSearch, talkFilterWithSearch } from './filters.ts'
export { type Highlight, type HighlightRange, highlightsOf } from './highlight.ts'
export {
  maxQueryLength,
  maxQueryWords,
  type ParsedQuery,
  parseQuery,
  SearchQueryError,
  type SearchQueryErrorCode,
} from './query.ts'
export {
  buildSearchIndex,
  hasSearchIndex,
  type SearchFilter,
  type SearchHit,
  type SearchIndex,
  type SearchIndexOptions,
  type SearchQuery,
  searchIndexOf,
} from './search-index.ts'
