/** Tags and categories: the front-matter labels and their posts. */

import type { Resolvers } from '../../generated/graphql.ts'
import { sortPosts } from '../../graph/queries.ts'
import { connectionFromList } from '../connection.ts'
import type { ApiContext } from '../context.ts'

/** Resolvers for tags and categories. */
export const taxonomyResolvers: Resolvers<ApiContext> = {
  Query: {
    tags: (_, page, { graph }) => connectionFromList(graph.tags, page),
    categories: (_, page, { graph }) => connectionFromList(graph.categories, page),
  },
  Tag: {
    postCount: (term) => term.posts.length,
    posts: (term, { orderBy, ...page }) => connectionFromList(sortPosts(term.posts, orderBy), page),
  },
  Category: {
    postCount: (term) => term.posts.length,
    posts: (term, { orderBy, ...page }) => connectionFromList(sortPosts(term.posts, orderBy), page),
  },
}
