/**
 * `filter.search` on the post and talk lists: the same index and query
 * syntax as `Query.search`, turned into the set of ids the graph's own
 * filters keep.
 */
import type { ContentGraph } from '../graph/content-graph.ts'
import { searchIndexOf } from './search-index.ts'

type Maybe<T> = T | null | undefined

/**
 * Replace a filter's `search` text by the ids of the posts it matches.
 *
 * @param graph
 *   The snapshot.
 * @param filter
 *   A post filter as the API receives it, or nothing.
 * @returns
 *   The filter without `search`, with `within` set when a search was given.
 * @throws
 *   `SearchQueryError` for a query over the length limits.
 */
export function postFilterWithSearch<F extends { readonly search?: Maybe<string> }>(
  graph: ContentGraph,
  filter: Maybe<F>,
): (Omit<F, 'search'> & { within?: ReadonlySet<string> }) | null {
  return withSearch(filter, (search) => searchIndexOf(graph).matchingPosts(search))
}

/**
 * Replace a filter's `search` text by the ids of the talks it matches (in
 * their title or speaker, or in their sections and bullets).
 *
 * @param graph
 *   The snapshot.
 * @param filter
 *   A talk filter as the API receives it, or nothing.
 * @returns
 *   The filter without `search`, with `within` set when a search was given.
 * @throws
 *   `SearchQueryError` for a query over the length limits.
 */
export function talkFilterWithSearch<F extends { readonly search?: Maybe<string> }>(
  graph: ContentGraph,
  filter: Maybe<F>,
): (Omit<F, 'search'> & { within?: ReadonlySet<string> }) | null {
  return withSearch(filter, (search) => searchIndexOf(graph).matchingTalks(search))
}

/** A filter with its `search` text replaced by the ids `matching` gives; an empty text is no condition. */
function withSearch<F extends { readonly search?: Maybe<string> }>(
  filter: Maybe<F>,
  matching: (search: string) => ReadonlySet<string>,
): (Omit<F, 'search'> & { within?: ReadonlySet<string> }) | null {
  if (!filter) return null
  const { search, ...rest } = filter
  if (search === null || search === undefined || search.trim() === '') return rest
  return { ...rest, within: matching(search) }
}
