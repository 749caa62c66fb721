/** Posts: `Query.post`, `Query.posts` and the fields the model lacks. */

import type { Resolvers } from '../../generated/graphql.ts'
import {
  findPosts,
  readingTimeMinutes,
  recordsOf,
  sortTechnologies,
  talksOfPost,
} from '../../graph/queries.ts'
import { postFilterWithSearch } from '../../search/index.ts'
import { connectionFromList } from '../connection.ts'
import type { ApiContext } from '../context.ts'
import { searching } from '../errors.ts'

/** Resolvers for posts. */
export const postResolvers: Resolvers<ApiContext> = {
  Query: {
    post: (_, { slug }, { graph }) => graph.postBySlug(slug) ?? null,
    posts: (_, { filter, orderBy, ...page }, { graph }) =>
      connectionFromList(
        findPosts(
          graph,
          searching(() => postFilterWithSearch(graph, filter)),
          orderBy,
        ),
        page,
      ),
  },
  Post: {
    excerpt: (post, { format }, { html }) => {
      switch (format) {
        case 'MARKDOWN':
          return post.excerptMarkdown
        case 'HTML':
          return html.render(post.excerptMarkdown)
        default:
          return post.excerptText
      }
    },
    html: (post, _, { html }) => html.render(post.body),
    readingTimeMinutes: (post) => readingTimeMinutes(post),
    talks: (post, { filter, ...page }, { graph }) =>
      connectionFromList(talksOfPost(graph, post.id, filter), page),
    sections: (post, _, { graph }) => recordsOf(post.sectionIds, (id) => graph.section(id)),
    technologies: (post, { orderBy, ...page }, { graph }) =>
      connectionFromList(sortTechnologies(graph, graph.technologiesOf(post.id), orderBy), page),
  },
  PostOrderField: { DATE: 'date', TITLE: 'title', SLUG: 'slug', TALK_COUNT: 'talk-count' },
}
