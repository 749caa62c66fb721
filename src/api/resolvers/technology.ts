/** Technologies and mentions: lookups, lists and the fields the model lacks. */

import type { Resolvers } from '../../generated/graphql.ts'
import {
  findTechnologies,
  mentionsInContentOrder,
  mentionTarget,
  postsOfTechnology,
  talkCount,
  talksOfTechnology,
} from '../../graph/queries.ts'
import { isTechnologyCategory, TechnologyCategory } from '../../model/categories.ts'
import { MentionKind } from '../../model/types.ts'
import { connectionFromList } from '../connection.ts'
import type { ApiContext } from '../context.ts'
import { assertWithinLimit, brokenReference } from '../errors.ts'

/** Resolvers for technologies, mentions and their enums. */
export const technologyResolvers: Resolvers<ApiContext> = {
  Query: {
    technology: (_, { slug }, { graph }) => graph.technologyByName(slug) ?? null,
    technologies: (_, { filter, orderBy, ...page }, { graph }) =>
      connectionFromList(findTechnologies(graph, filter, orderBy), page),
  },
  Technology: {
    // A user catalog may name a category the schema has no value for.
    category: (technology) =>
      isTechnologyCategory(technology.category) ? technology.category : null,
    // Likewise a homepage that is not an absolute URL: null rather than an error.
    homepage: (technology) =>
      technology.homepage !== null && URL.canParse(technology.homepage)
        ? technology.homepage
        : null,
    aliases: (technology) => [...technology.aliases],
    isInCatalog: (technology) => technology.inCatalog,
    mentionCount: (technology, _, { graph }) => graph.mentionCount(technology.id),
    talkCount: (technology, _, { graph }) => talkCount(graph, technology.id),
    talks: (technology, { orderBy, ...page }, { graph }) =>
      connectionFromList(talksOfTechnology(graph, technology.id, orderBy), page),
    posts: (technology, { orderBy, ...page }, { graph }) =>
      connectionFromList(postsOfTechnology(graph, technology.id, orderBy), page),
    mentions: (technology, { kind, ...page }, { graph }) =>
      connectionFromList(mentionsInContentOrder(graph, technology.id, kind), page),
    related: (technology, { first }, { graph }) => {
      assertWithinLimit('first', first)
      return graph.related(technology.id).slice(0, first ?? 10)
    },
  },
  Mention: {
    technology: (mention, _, { graph }) =>
      graph.technology(mention.technologyId) ?? brokenReference('technology', mention.technologyId),
    post: (mention, _, { graph }) =>
      graph.post(mention.postId) ?? brokenReference('post', mention.postId),
    talk: (mention, _, { graph }) => (mention.talkId ? (graph.talk(mention.talkId) ?? null) : null),
    target: (mention, _, { graph }) =>
      mentionTarget(graph, mention) ?? brokenReference(mention.target, mention.targetId),
  },
  MentionKind,
  TechnologyCategory,
  TechnologyOrderField: {
    NAME: 'name',
    MENTION_COUNT: 'mention-count',
    TALK_COUNT: 'talk-count',
  },
}
