/** Bullets: the fields the model lacks, and the `BulletKind` values. */

import type { Resolvers } from '../../generated/graphql.ts'
import { absoluteLinks, recordsOf } from '../../graph/queries.ts'
import { BulletKind } from '../../model/types.ts'
import type { ApiContext } from '../context.ts'
import { brokenReference } from '../errors.ts'

/** Resolvers for bullets. */
export const bulletResolvers: Resolvers<ApiContext> = {
  Bullet: {
    html: (bullet, _, { html }) => html.render(bullet.markdown),
    parent: (bullet, _, { graph }) =>
      bullet.parentId ? (graph.bullet(bullet.parentId) ?? null) : null,
    children: (bullet, _, { graph }) => recordsOf(bullet.childIds, (id) => graph.bullet(id)),
    post: (bullet, _, { graph }) =>
      graph.post(bullet.postId) ?? brokenReference('post', bullet.postId),
    talk: (bullet, _, { graph }) => (bullet.talkId ? (graph.talk(bullet.talkId) ?? null) : null),
    section: (bullet, _, { graph }) =>
      bullet.sectionId ? (graph.section(bullet.sectionId) ?? null) : null,
    technologies: (bullet, _, { graph }) => [...graph.technologiesOf(bullet.id)],
    emphasis: (bullet) => [...bullet.emphasis],
    links: (bullet) => absoluteLinks(bullet.links),
  },
  BulletKind,
}
