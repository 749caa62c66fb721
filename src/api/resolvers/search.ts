/** Search: `Query.search` and its hits and highlights. */

import type { Resolvers } from '../../generated/graphql.ts'
import { fromGlobalId } from '../../model/ids.ts'
import { highlightsOf, searchIndexOf } from '../../search/index.ts'
import { connectionFromList } from '../connection.ts'
import type { ApiContext } from '../context.ts'
import { searching } from '../errors.ts'

/** Resolvers for search. */
export const searchResolvers: Resolvers<ApiContext> = {
  Query: {
    search: (_, { query, filter, ...page }, { graph }) =>
      connectionFromList(
        searching(() => searchIndexOf(graph).search(query, filter)),
        page,
      ),
  },
  SearchHit: {
    node: (hit) => hit.node.value,
    highlights: (hit) => highlightsOf(hit),
  },
  SearchResult: {
    // As for `Node`: a record's id says what it is.
    __resolveType: (parent) => {
      const type = fromGlobalId(parent.id)?.type
      return type === 'Post' || type === 'Talk' || type === 'Section' || type === 'Bullet'
        ? type
        : null
    },
  },
  SearchResultKind: { POST: 'post', TALK: 'talk', SECTION: 'section', BULLET: 'bullet' },
  SearchField: {
    TALK_TITLE: 'talkTitle',
    SPEAKER: 'speaker',
    SECTION_TITLE: 'sectionTitle',
    TEXT: 'text',
    POST_TITLE: 'postTitle',
    BODY: 'body',
  },
}
