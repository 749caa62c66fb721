/**
 * What the search index holds of a post: one document per post, talk,
 * section and bullet, each with the fields its kind has. Shared by the index
 * and the benchmark that compares search libraries.
 */
import type { ContentGraph } from '../graph/content-graph.ts'
import type { Post } from '../model/types.ts'

/** The kinds of node a search finds. */
export type SearchKind = 'post' | 'talk' | 'section' | 'bullet'

/** Every kind, in the order hits of equal score are listed. */
export const searchKinds: readonly SearchKind[] = ['talk', 'section', 'bullet', 'post']

/** The searchable fields of a document. A document fills only those of its kind. */
export interface SearchFields {
  /** A talk's title. */
  readonly talkTitle?: string
  /** A talk's speaker. */
  readonly speaker?: string
  /** A section's title. */
  readonly sectionTitle?: string
  /** A bullet's plain text. */
  readonly text?: string
  /** A post's title. */
  readonly postTitle?: string
  /** A post's excerpt, tags and categories: its body as far as no bullet holds it. */
  readonly body?: string
}

/** Names of the searchable fields. */
export type SearchField = keyof SearchFields

/** Every searchable field. */
export const searchFields: readonly SearchField[] = [
  'talkTitle',
  'speaker',
  'sectionTitle',
  'text',
  'postTitle',
  'body',
]

/**
 * Weight of each field in the ranking: a talk's title says most about what
 * was said, then a section's title, then a bullet; a post's excerpt, tags and
 * categories repeat what its talks say and weigh least.
 */
export const fieldWeights: Readonly<Record<SearchField, number>> = {
  talkTitle: 4,
  speaker: 3,
  postTitle: 3,
  sectionTitle: 2.5,
  text: 1.5,
  body: 1,
}

/** One document to index: a node of a post and its fields. */
export interface SearchDocument {
  readonly kind: SearchKind
  readonly nodeId: string
  /** The talk the node belongs to (a talk's own id), or null. */
  readonly talkId: string | null
  readonly fields: SearchFields
}

/**
 * The documents of one post, in document order: the post, its talks, its
 * sections, its bullets.
 *
 * @param graph
 *   Graph the post belongs to.
 * @param post
 *   The post.
 * @returns
 *   Its documents.
 */
export function documentsOf(graph: ContentGraph, post: Post): SearchDocument[] {
  const out: SearchDocument[] = []
  const body = [post.excerptText, post.tags.join(' '), post.categories.join(' ')]
    .filter((part) => part.length > 0)
    .join('\n')
  out.push({ kind: 'post', nodeId: post.id, talkId: null, fields: { postTitle: post.title, body } })
  const sectionIds = [...post.sectionIds]
  for (const talkId of post.talkIds) {
    const talk = graph.talk(talkId)
    if (!talk) continue
    const fields: { talkTitle: string; speaker?: string } = { talkTitle: talk.title }
    if (talk.speaker) fields.speaker = talk.speaker
    out.push({ kind: 'talk', nodeId: talk.id, talkId: talk.id, fields })
    sectionIds.push(...talk.sectionIds)
  }
  for (const id of sectionIds) {
    const section = graph.section(id)
    if (section) {
      out.push({
        kind: 'section',
        nodeId: section.id,
        talkId: section.talkId,
        fields: { sectionTitle: section.title },
      })
    }
  }
  for (const id of post.bulletIds) {
    const bullet = graph.bullet(id)
    if (bullet && bullet.text.trim().length > 0) {
      out.push({
        kind: 'bullet',
        nodeId: bullet.id,
        talkId: bullet.talkId,
        fields: { text: bullet.text },
      })
    }
  }
  return out
}
