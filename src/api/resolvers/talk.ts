/** Talks and sections: `Query.talks` and the fields the model lacks. */

import type { Resolvers } from '../../generated/graphql.ts'
import { bulletsOfTalk, findTalks, recordsOf } from '../../graph/queries.ts'
import { talkFilterWithSearch } from '../../search/index.ts'
import { connectionFromList } from '../connection.ts'
import type { ApiContext } from '../context.ts'
import { brokenReference, searching } from '../errors.ts'

/** Resolvers for talks and sections. */
export const talkResolvers: Resolvers<ApiContext> = {
  Query: {
    talks: (_, { filter, orderBy, ...page }, { graph }) =>
      connectionFromList(
        findTalks(
          graph,
          searching(() => talkFilterWithSearch(graph, filter)),
          orderBy,
        ),
        page,
      ),
  },
  Talk: {
    post: (talk, _, { graph }) => graph.post(talk.postId) ?? brokenReference('post', talk.postId),
    sections: (talk, _, { graph }) => recordsOf(talk.sectionIds, (id) => graph.section(id)),
    bullets: (talk, { kind, depth, ...page }, { graph }) =>
      connectionFromList(bulletsOfTalk(graph, talk, { kind, depth }), page),
    technologies: (talk, _, { graph }) => [...graph.technologiesOf(talk.id)],
    html: (talk, _, { html }) => html.render(talk.markdown),
  },
  Section: {
    post: (section, _, { graph }) =>
      graph.post(section.postId) ?? brokenReference('post', section.postId),
    talk: (section, _, { graph }) => (section.talkId ? (graph.talk(section.talkId) ?? null) : null),
    bullets: (section, _, { graph }) => recordsOf(section.bulletIds, (id) => graph.bullet(id)),
  },
  TalkOrderField: {
    POSITION: 'position',
    NUMBER: 'number',
    TITLE: 'title',
    BULLET_COUNT: 'bullet-count',
  },
}
