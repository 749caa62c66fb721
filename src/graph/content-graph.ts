import { createHash } from 'node:crypto'
import type { Catalog } from '../catalog/catalog.ts'
import type { ExtractedPost } from '../extract/post.ts'
import { fromGlobalId, toGlobalId } from './ids.ts'
import type {
  Bullet,
  Mention,
  MentionKind,
  Post,
  Problem,
  Section,
  Talk,
  Technology,
} from './model.ts'

/** Any node of the graph, tagged with its type. */
export type GraphNode =
  | { readonly type: 'Post'; readonly value: Post }
  | { readonly type: 'Talk'; readonly value: Talk }
  | { readonly type: 'Section'; readonly value: Section }
  | { readonly type: 'Bullet'; readonly value: Bullet }
  | { readonly type: 'Technology'; readonly value: Technology }
  | { readonly type: 'Mention'; readonly value: Mention }

/** A technology that shares talks with another. */
export interface RelatedTechnology {
  readonly technology: Technology
  readonly sharedTalks: number
}

/** A tag or category and the posts that carry it. */
export interface Term {
  readonly name: string
  readonly posts: readonly Post[]
}

/** Counts over the whole graph. */
export interface GraphStats {
  readonly posts: number
  readonly talks: number
  readonly sections: number
  readonly bullets: number
  readonly technologies: number
  readonly mentions: number
  readonly problems: number
  readonly errors: number
  readonly warnings: number
}

/**
 * An immutable snapshot of the content: every node, with the indexes the API
 * asks for. Pure data: no I/O, nothing about GraphQL.
 */
export interface ContentGraph {
  /** Changes whenever any post or the catalog changes. */
  readonly version: string
  /** Posts in path order. */
  readonly posts: readonly Post[]
  /** Talks in post path order, then position. */
  readonly talks: readonly Talk[]
  readonly sections: readonly Section[]
  readonly bullets: readonly Bullet[]
  /** Technologies mentioned at least once, by mention count (most first), then name. */
  readonly technologies: readonly Technology[]
  readonly mentions: readonly Mention[]
  /** Content problems, by path, line and column. */
  readonly problems: readonly Problem[]
  readonly stats: GraphStats
  /** Tags by number of posts (most first), then name. */
  readonly tags: readonly Term[]
  readonly categories: readonly Term[]

  node(id: string): GraphNode | undefined
  post(id: string): Post | undefined
  postBySlug(slug: string): Post | undefined
  talk(id: string): Talk | undefined
  section(id: string): Section | undefined
  bullet(id: string): Bullet | undefined
  technology(id: string): Technology | undefined
  /** Find a technology by slug, name or alias, ignoring case. */
  technologyByName(name: string): Technology | undefined
  mention(id: string): Mention | undefined

  postsByTag(tag: string): readonly Post[]
  postsByCategory(category: string): readonly Post[]
  postsByTechnology(technologyId: string): readonly Post[]
  talksByTechnology(technologyId: string): readonly Talk[]
  talksOfPost(postId: string): readonly Talk[]
  technologiesByCategory(category: string): readonly Technology[]
  /** Technologies of a post, talk, section or bullet, in order of first mention. */
  technologiesOf(nodeId: string): readonly Technology[]
  mentionsOf(technologyId: string, kind?: MentionKind): readonly Mention[]
  mentionCount(technologyId: string): number
  /** Technologies mentioned in the same talks, by number of shared talks. */
  related(technologyId: string): readonly RelatedTechnology[]
}

/** What a graph is built from. */
export interface GraphInput {
  readonly posts: readonly ExtractedPost[]
  readonly catalog: Catalog
  /** Problems found while loading and reading, kept in the snapshot. */
  readonly problems: readonly Problem[]
}

/**
 * Link extracted posts into a content graph: create technology nodes, give
 * mentions ids, and build the indexes.
 *
 * @param input
 *   Extracted posts (any order), the catalog, and the problems so far.
 * @returns
 *   The graph.
 */
export function createContentGraph(input: GraphInput): ContentGraph {
  const extracted = [...input.posts].sort((a, b) => compare(a.post.source.path, b.post.source.path))
  const problems = [...input.problems]

  const posts: Post[] = []
  const talks: Talk[] = []
  const sections: Section[] = []
  const bullets: Bullet[] = []
  const mentions: Mention[] = []
  const nodes = new Map<string, GraphNode>()
  const bySlug = new Map<string, Post>()

  const technologies = new Map<string, Technology>()
  const mentionsByTechnology = new Map<string, Mention[]>()
  const technologiesByNode = new Map<string, Technology[]>()

  for (const item of extracted) {
    const post = item.post
    const existing = bySlug.get(post.slug)
    if (existing) {
      problems.push({
        path: post.source.path,
        line: 1,
        column: 1,
        severity: 'warning',
        code: 'duplicate-slug',
        message: `Slug "${post.slug}" is also used by ${existing.source.path}; post(slug:) finds that one`,
      })
    } else {
      bySlug.set(post.slug, post)
    }
    posts.push(post)
    nodes.set(post.id, { type: 'Post', value: post })
    for (const talk of item.talks) {
      talks.push(talk)
      nodes.set(talk.id, { type: 'Talk', value: talk })
    }
    for (const section of item.sections) {
      sections.push(section)
      nodes.set(section.id, { type: 'Section', value: section })
    }
    for (const bullet of item.bullets) {
      bullets.push(bullet)
      nodes.set(bullet.id, { type: 'Bullet', value: bullet })
    }
    item.mentions.forEach((found, index) => {
      const technology = technologyFor(found.technology)
      const mention: Mention = {
        id: toGlobalId('Mention', `${post.source.path}#${index}`),
        technologyId: technology.id,
        kind: found.kind,
        text: found.text,
        postId: post.id,
        talkId: found.talkId,
        target: found.target,
        targetId: found.targetId,
        source: found.source,
      }
      mentions.push(mention)
      nodes.set(mention.id, { type: 'Mention', value: mention })
      push(mentionsByTechnology, technology.id, mention)
      for (const nodeId of new Set([mention.targetId, mention.talkId, post.id])) {
        if (nodeId === null) continue
        const list = technologiesByNode.get(nodeId) ?? []
        if (!list.includes(technology)) list.push(technology)
        technologiesByNode.set(nodeId, list)
      }
    })
  }

  function technologyFor(ref: ExtractedPost['mentions'][number]['technology']): Technology {
    const entry = input.catalog.bySlug.get(ref.slug)
    const id = toGlobalId('Technology', ref.slug)
    const known = technologies.get(id)
    if (known) return known
    const technology: Technology = entry
      ? {
          id,
          slug: entry.slug,
          name: entry.name,
          aliases: entry.aliases,
          category: entry.category,
          homepage: entry.homepage,
          inCatalog: true,
        }
      : {
          id,
          slug: ref.slug,
          name: ref.name,
          aliases: [],
          category: null,
          homepage: null,
          inCatalog: false,
        }
    technologies.set(id, technology)
    nodes.set(id, { type: 'Technology', value: technology })
    return technology
  }

  // Technology indexes.
  const talksByTechnology = new Map<string, Talk[]>()
  const postsByTechnology = new Map<string, Post[]>()
  const talkById = new Map(talks.map((talk) => [talk.id, talk]))
  const postById = new Map(posts.map((post) => [post.id, post]))
  for (const [technologyId, list] of mentionsByTechnology) {
    const talkIds = new Set(list.map((mention) => mention.talkId).filter(isString))
    const postIds = new Set(list.map((mention) => mention.postId))
    talksByTechnology.set(
      technologyId,
      talks.filter((talk) => talkIds.has(talk.id)),
    )
    postsByTechnology.set(
      technologyId,
      posts.filter((post) => postIds.has(post.id)),
    )
  }
  const mentionCount = (id: string) => mentionsByTechnology.get(id)?.length ?? 0
  const sortedTechnologies = [...technologies.values()].sort(
    (a, b) => mentionCount(b.id) - mentionCount(a.id) || compare(a.name, b.name),
  )
  const technologyByName = new Map<string, Technology>()
  for (const technology of sortedTechnologies) {
    for (const key of [technology.slug, technology.name, ...technology.aliases]) {
      const normalized = key.toLowerCase()
      if (!technologyByName.has(normalized)) technologyByName.set(normalized, technology)
    }
  }

  // Co-occurrence: technologies mentioned in the same talk.
  const related = new Map<string, Map<string, number>>()
  for (const talk of talks) {
    const inTalk = technologiesByNode.get(talk.id) ?? []
    for (const a of inTalk) {
      for (const b of inTalk) {
        if (a === b) continue
        const counts = related.get(a.id) ?? new Map<string, number>()
        counts.set(b.id, (counts.get(b.id) ?? 0) + 1)
        related.set(a.id, counts)
      }
    }
  }

  const tags = terms(posts, (post) => post.tags)
  const categories = terms(posts, (post) => post.categories)
  const tagIndex = new Map(tags.map((term) => [term.name, term.posts]))
  const categoryIndex = new Map(categories.map((term) => [term.name, term.posts]))
  const talksByPost = new Map<string, Talk[]>()
  for (const talk of talks) push(talksByPost, talk.postId, talk)

  problems.sort((a, b) => compare(a.path, b.path) || a.line - b.line || a.column - b.column)
  const errors = problems.filter((found) => found.severity === 'error').length
  const stats: GraphStats = {
    posts: posts.length,
    talks: talks.length,
    sections: sections.length,
    bullets: bullets.length,
    technologies: technologies.size,
    mentions: mentions.length,
    problems: problems.length,
    errors,
    warnings: problems.length - errors,
  }
  const version = createHash('sha256')
    .update(input.catalog.version)
    .update(posts.map((post) => `${post.source.path}\0${post.contentHash}`).join('\n'))
    .digest('hex')
    .slice(0, 16)

  const typed = <T extends GraphNode['type']>(id: string, type: T) => {
    const found = nodes.get(id)
    return found?.type === type
      ? (found.value as Extract<GraphNode, { type: T }>['value'])
      : undefined
  }
  const empty: readonly never[] = Object.freeze([])

  return Object.freeze({
    version,
    posts: Object.freeze(posts),
    talks: Object.freeze(talks),
    sections: Object.freeze(sections),
    bullets: Object.freeze(bullets),
    technologies: Object.freeze(sortedTechnologies),
    mentions: Object.freeze(mentions),
    problems: Object.freeze(problems),
    stats,
    tags,
    categories,
    node: (id: string) => {
      const found = nodes.get(id)
      if (found) return found
      // Ids are opaque, but a technology id made from an alias's slug still resolves.
      const parsed = fromGlobalId(id)
      if (parsed?.type === 'Technology') {
        const technology = technologyByName.get(parsed.key.toLowerCase())
        if (technology) return { type: 'Technology', value: technology } as const
      }
      return undefined
    },
    post: (id: string) => postById.get(id) ?? typed(id, 'Post'),
    postBySlug: (slug: string) => bySlug.get(slug),
    talk: (id: string) => talkById.get(id),
    section: (id: string) => typed(id, 'Section'),
    bullet: (id: string) => typed(id, 'Bullet'),
    technology: (id: string) => typed(id, 'Technology'),
    technologyByName: (name: string) => technologyByName.get(name.trim().toLowerCase()),
    mention: (id: string) => typed(id, 'Mention'),
    postsByTag: (tag: string) => tagIndex.get(tag) ?? empty,
    postsByCategory: (category: string) => categoryIndex.get(category) ?? empty,
    postsByTechnology: (id: string) => postsByTechnology.get(id) ?? empty,
    talksByTechnology: (id: string) => talksByTechnology.get(id) ?? empty,
    talksOfPost: (id: string) => talksByPost.get(id) ?? empty,
    technologiesByCategory: (category: string) =>
      sortedTechnologies.filter((technology) => technology.category === category),
    technologiesOf: (id: string) => technologiesByNode.get(id) ?? empty,
    mentionsOf: (id: string, kind?: MentionKind) => {
      const list = mentionsByTechnology.get(id) ?? empty
      return kind ? list.filter((mention) => mention.kind === kind) : list
    },
    mentionCount,
    related: (id: string) =>
      [...(related.get(id) ?? new Map<string, number>())]
        .map(([otherId, sharedTalks]) => ({
          technology: technologies.get(otherId) as Technology,
          sharedTalks,
        }))
        .sort(
          (a, b) => b.sharedTalks - a.sharedTalks || compare(a.technology.name, b.technology.name),
        ),
  })
}

function terms(posts: readonly Post[], read: (post: Post) => readonly string[]): Term[] {
  const index = new Map<string, Post[]>()
  for (const post of posts) for (const name of read(post)) push(index, name, post)
  return [...index]
    .map(([name, list]) => ({ name, posts: Object.freeze(list) }))
    .sort((a, b) => b.posts.length - a.posts.length || compare(a.name, b.name))
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function isString(value: string | null): value is string {
  return value !== null
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
