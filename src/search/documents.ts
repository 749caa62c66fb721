/**
 * What the search index holds of a post: one document per post, talk and
 * section, each with the fields its kind has and the text of the bullets
 * under it. Shared by the index and the benchmark that compares search
 * libraries.
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
  /** The plain text of the bullets directly under the node, one per line. */
  readonly text?: string
  /** A post's title. */
  readonly postTitle?: string
  /** A post's excerpt, tags and categories: its body as far as no bullet holds it. */
  readonly body?: string
}

/** Names of the searchable fields. */
export type SearchField = keyof SearchFields

/** The fields of a document's own node: every field but the bullets' text. */
export const ownFields: readonly SearchField[] = [
  'talkTitle',
  'speaker',
  'sectionTitle',
  'postTitle',
  'body',
]

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

/** One document to index: a post, talk or section, with the notes written directly under it. */
export interface SearchDocument {
  readonly kind: Exclude<SearchKind, 'bullet'>
  readonly nodeId: string
  /** The talk the node belongs to (a talk's own id), or null. */
  readonly talkId: string | null
  /** The bullets whose text is the `text` field, in document order. */
  readonly bulletIds: readonly string[]
  readonly fields: SearchFields
}

/**
 * The documents of one post, in document order: the post, its talks, its
 * sections. Each bullet is indexed once, as part of the `text` field of the
 * node it sits directly under (its section, else its talk, else the post),
 * one line per bullet; a search finds the bullets inside a matching
 * document (see `search-index.ts`).
 *
 * One document per bullet made the index five times the graph's heap and a
 * fifth of a cold read at 1,000 posts: most bullets are a line or two, and
 * a document costs MiniSearch its bookkeeping whatever its length.
 *
 * @param graph
 *   Graph the post belongs to.
 * @param post
 *   The post.
 * @returns
 *   Its documents.
 */
export function documentsOf(graph: ContentGraph, post: Post): SearchDocument[] {
  const postBullets: string[] = []
  const talkBullets = new Map<string, string[]>()
  const sectionBullets = new Map<string, string[]>()
  for (const id of post.bulletIds) {
    const bullet = graph.bullet(id)
    if (!bullet || bullet.text.trim().length === 0) continue
    if (bullet.sectionId !== null) push(sectionBullets, bullet.sectionId, id)
    else if (bullet.talkId !== null) push(talkBullets, bullet.talkId, id)
    else postBullets.push(id)
  }
  const text = (ids: readonly string[] | undefined) =>
    (ids ?? []).map((id) => graph.bullet(id)?.text ?? '').join('\n')
  const out: SearchDocument[] = []
  const body = [post.excerptText, post.tags.join(' '), post.categories.join(' ')]
    .filter((part) => part.length > 0)
    .join('\n')
  out.push({
    kind: 'post',
    nodeId: post.id,
    talkId: null,
    bulletIds: postBullets,
    fields: { postTitle: post.title, body, text: text(postBullets) },
  })
  const sectionIds = [...post.sectionIds]
  for (const talkId of post.talkIds) {
    const talk = graph.talk(talkId)
    if (!talk) continue
    const bulletIds = talkBullets.get(talk.id) ?? []
    const fields: { talkTitle: string; speaker?: string; text: string } = {
      talkTitle: talk.title,
      text: text(bulletIds),
    }
    if (talk.speaker) fields.speaker = talk.speaker
    out.push({ kind: 'talk', nodeId: talk.id, talkId: talk.id, bulletIds, fields })
    sectionIds.push(...talk.sectionIds)
  }
  for (const id of sectionIds) {
    const section = graph.section(id)
    if (!section) continue
    const bulletIds = sectionBullets.get(section.id) ?? []
    out.push({
      kind: 'section',
      nodeId: section.id,
      talkId: section.talkId,
      bulletIds,
      fields: { sectionTitle: section.title, text: text(bulletIds) },
    })
  }
  return out
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
