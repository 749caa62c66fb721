import { createHash } from 'node:crypto'
import type { ExtractedPost } from '../extract/post.ts'
import type { Catalog } from '../model/catalog.ts'
import { fromGlobalId } from '../model/ids.ts'
import { type Problem, ProblemCode, problem } from '../model/problems.ts'
import type {
  Bullet,
  Mention,
  MentionKind,
  Post,
  Section,
  Talk,
  Technology,
} from '../model/types.ts'
import { compare, type Linked, link, postAt, push, relink } from './linking.ts'

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
  /** Posts the fast Markdown reader left to remark (constructs it does not read identically). */
  readonly fallbackReads: number
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
  /**
   * The snapshot this one was relinked from and the paths that changed since
   * (see `GraphInput.previous`), so indexes kept beside a snapshot can be
   * updated for the change alone. The earlier snapshot is held weakly: a
   * chain of snapshots never keeps old ones alive.
   */
  readonly derivedFrom: Lineage | undefined

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

/** Where a relinked snapshot came from. */
export interface Lineage {
  /** The snapshot before, while something else keeps it alive. */
  readonly graph: WeakRef<ContentGraph>
  /** Paths whose posts were added, edited or removed since. */
  readonly changed: ReadonlySet<string>
}

/** What a graph is built from. */
export interface GraphInput {
  readonly posts: readonly ExtractedPost[]
  readonly catalog: Catalog
  /** Problems found while loading and reading, kept in the snapshot. */
  readonly problems: readonly Problem[]
  /**
   * The snapshot this one follows and the paths whose posts changed since
   * (added, edited or removed). Linking then costs what the change does:
   * every post at another path must be the very object `previous` holds.
   */
  readonly previous?: {
    readonly graph: ContentGraph
    readonly changed: ReadonlySet<string>
  }
}

const linkedGraphs = new WeakMap<ContentGraph, Linked>()

/**
 * Link extracted posts into a content graph: create technology nodes and
 * build the indexes.
 *
 * Linking does little up front (the posts by path and by slug), so a
 * snapshot can be rebuilt after every edit; given the previous snapshot and
 * the changed paths, it costs what the change does, whatever the corpus
 * size. Lists and indexes over the whole graph are computed on first use and
 * kept with the snapshot; node lookups go straight to their post through the
 * path inside the id.
 *
 * @param input
 *   Extracted posts (any order), the catalog, and the problems so far.
 * @returns
 *   The graph.
 */
export function createContentGraph(input: GraphInput): ContentGraph {
  const previous = input.previous && linkedGraphs.get(input.previous.graph)
  const relinked =
    previous && input.previous && previous.catalog === input.catalog ? input.previous : undefined
  const linked =
    previous && relinked
      ? relink(previous, input.posts, relinked.changed)
      : link(input.posts, input.catalog)
  // The closures below capture what they name and nothing else: `input`
  // holds the snapshot before this one, and naming it in a closure would
  // chain every snapshot since the first to the one being served.
  const { extracted } = linked
  const { catalog } = input
  const problems = [...input.problems]
  for (const slug of linked.duplicates) {
    const [owner, ...others] = linked.bySlug.get(slug) ?? []
    for (const item of others) {
      problems.push(
        problem(
          { path: item.path },
          'warning',
          ProblemCode.duplicateSlug,
          `Slug "${item.post.slug}" is also used by ${owner?.path}; post(slug:) finds that one`,
        ),
      )
    }
  }
  problems.sort((a, b) => compare(a.path, b.path) || a.line - b.line || a.column - b.column)

  const all = <T>(read: (item: ExtractedPost) => readonly T[]) =>
    lazy(() => Object.freeze(extracted.flatMap(read)))
  // Bullets and mentions are views made on demand: the lists are not kept.
  // They are filled one record at a time, with no list per post on the way.
  const every =
    <T>(count: (item: ExtractedPost) => number, at: (item: ExtractedPost, index: number) => T) =>
    (): readonly T[] => {
      const list: T[] = []
      for (const item of extracted) {
        const size = count(item)
        for (let index = 0; index < size; index++) list.push(at(item, index))
      }
      return Object.freeze(list)
    }
  const posts = lazy(() => Object.freeze(extracted.map((item) => item.post)))
  const talks = all((item) => item.talks)
  const sections = all((item) => item.sections)
  const bullets = every(
    (item) => item.bulletCount,
    (item, index) => item.bullet(index) as Bullet,
  )
  const mentions = every(
    (item) => item.mentionCount,
    (item, index) => item.mention(index) as Mention,
  )

  // Which posts mention each technology: built from each post's short list
  // of technologies, so a new snapshot rebuilds it without visiting mentions.
  const postsMentioning = lazy(() => {
    const index = new Map<string, ExtractedPost[]>()
    for (const item of extracted) {
      for (const id of item.technologyIds) push(index, id, item)
    }
    return index
  })
  // Technology nodes of the technologies mentioned at least once.
  const technologies = lazy(() => {
    const index = new Map<string, Technology>()
    for (const [id, items] of postsMentioning()) {
      const item = items[0]
      const ref = item?.technologies[item.technologyIds.indexOf(id)]
      if (ref) index.set(id, technologyNode(id, ref, catalog))
    }
    return index
  })
  const mentionsByTechnology = memo((id: string): readonly Mention[] =>
    Object.freeze((postsMentioning().get(id) ?? empty).flatMap((item) => item.mentionsOf(id))),
  )
  // Keyed by kind and id: asking again gives the same list, not a new one.
  const mentionsByKind = memo((key: string): readonly Mention[] => {
    const split = key.indexOf('\0')
    const kind = key.slice(0, split)
    return Object.freeze(
      mentionsByTechnology(key.slice(split + 1)).filter((mention) => mention.kind === kind),
    )
  })
  const mentionCount = memo((id: string) =>
    (postsMentioning().get(id) ?? empty).reduce((sum, item) => sum + item.mentionCountOf(id), 0),
  )
  const sortedTechnologies = lazy(() =>
    Object.freeze(
      [...technologies().values()].sort(
        (a, b) => mentionCount(b.id) - mentionCount(a.id) || compare(a.name, b.name),
      ),
    ),
  )
  const technologiesByCategory = memo((category: string) =>
    Object.freeze(sortedTechnologies().filter((technology) => technology.category === category)),
  )
  const technologyByName = lazy(() => {
    const index = new Map<string, Technology>()
    for (const technology of sortedTechnologies()) {
      for (const key of [technology.slug, technology.name, ...technology.aliases]) {
        const normalized = key.toLowerCase()
        if (!index.has(normalized)) index.set(normalized, technology)
      }
    }
    return index
  })

  // Where each node sits: ids carry the post's path and the node's index.
  const locate = (id: string) => {
    const parsed = fromGlobalId(id)
    if (!parsed) return undefined
    if (parsed.type === 'Post' || parsed.type === 'Technology') {
      return { type: parsed.type, item: postAt(extracted, parsed.key), index: -1, key: parsed.key }
    }
    const hash = parsed.key.lastIndexOf('#')
    const index = Number(parsed.key.slice(hash + 1))
    const item = postAt(extracted, parsed.key.slice(0, hash))
    return { type: parsed.type, item, index, key: parsed.key }
  }
  const find = <T extends { id: string }>(
    list: readonly T[] | undefined,
    index: number,
    id: string,
  ) => {
    const found = list?.[index]
    return found?.id === id ? found : undefined
  }
  const node = (id: string): GraphNode | undefined => {
    const place = locate(id)
    if (!place) return undefined
    const { item, index } = place
    switch (place.type) {
      case 'Post':
        return item ? { type: 'Post', value: item.post } : undefined
      case 'Technology': {
        const technology = technologies().get(id) ?? technologyByName().get(place.key.toLowerCase())
        return technology ? { type: 'Technology', value: technology } : undefined
      }
      case 'Talk': {
        const value = find(item?.talks, index, id)
        return value && { type: 'Talk', value }
      }
      case 'Section': {
        const value = find(item?.sections, index, id)
        return value && { type: 'Section', value }
      }
      case 'Bullet': {
        const value = item?.bullet(index)
        return value?.id === id ? { type: 'Bullet', value } : undefined
      }
      case 'Mention': {
        const value = item?.mention(index)
        return value?.id === id ? { type: 'Mention', value } : undefined
      }
    }
  }
  const typed = <T extends GraphNode['type']>(id: string, type: T) => {
    const found = node(id)
    return found?.type === type
      ? (found.value as Extract<GraphNode, { type: T }>['value'])
      : undefined
  }

  // Technologies of each node of a post, built per post on first use.
  const technologiesByPost = new Map<string, Map<string, Technology[]>>()
  const technologiesOf = (id: string): readonly Technology[] => {
    const item = locate(id)?.item
    if (!item) return empty
    let index = technologiesByPost.get(item.post.id)
    if (!index) {
      index = new Map()
      for (const mention of item.mentions) {
        const technology = technologies().get(mention.technologyId)
        if (!technology) continue
        for (const nodeId of [mention.targetId, mention.talkId, mention.postId]) {
          if (nodeId === null) continue
          const list = index.get(nodeId)
          if (!list) index.set(nodeId, [technology])
          else if (!list.includes(technology)) list.push(technology)
        }
      }
      technologiesByPost.set(item.post.id, index)
    }
    return index.get(id) ?? empty
  }

  const talksByTechnology = memo((technologyId: string) =>
    Object.freeze(
      (postsMentioning().get(technologyId) ?? empty).flatMap((item) =>
        item.talksMentioning(technologyId),
      ),
    ),
  )
  const postsByTechnology = memo((technologyId: string) =>
    Object.freeze((postsMentioning().get(technologyId) ?? empty).map((item) => item.post)),
  )
  const related = memo((technologyId: string) => {
    const counts = new Map<string, number>()
    for (const talk of talksByTechnology(technologyId)) {
      for (const other of technologiesOf(talk.id)) {
        if (other.id !== technologyId) counts.set(other.id, (counts.get(other.id) ?? 0) + 1)
      }
    }
    return Object.freeze(
      [...counts]
        .map(([otherId, sharedTalks]) => ({
          technology: technologies().get(otherId) as Technology,
          sharedTalks,
        }))
        .sort(
          (a, b) => b.sharedTalks - a.sharedTalks || compare(a.technology.name, b.technology.name),
        ),
    )
  })

  const tags = lazy(() => terms(posts(), (post) => post.tags))
  const categories = lazy(() => terms(posts(), (post) => post.categories))
  const tagIndex = lazy(() => new Map(tags().map((term) => [term.name, term.posts])))
  const categoryIndex = lazy(() => new Map(categories().map((term) => [term.name, term.posts])))

  const count = (read: (item: ExtractedPost) => readonly unknown[]) =>
    extracted.reduce((sum, item) => sum + read(item).length, 0)
  // Counts visit every post: made on first use, not on every save.
  const stats = lazy((): GraphStats => {
    const errors = problems.filter((found) => found.severity === 'error').length
    return Object.freeze({
      posts: extracted.length,
      talks: count((item) => item.talks),
      sections: count((item) => item.sections),
      bullets: extracted.reduce((sum, item) => sum + item.bulletCount, 0),
      technologies: technologies().size,
      mentions: extracted.reduce((sum, item) => sum + item.mentionCount, 0),
      problems: problems.length,
      errors,
      warnings: problems.length - errors,
      fallbackReads: extracted.reduce((sum, item) => sum + (item.refused === null ? 0 : 1), 0),
    })
  })
  // The version covers what a client can see: posts, catalog and problems (a
  // broken save changes the problems while the post keeps its last good text).
  const version = createHash('sha256')
    .update(catalog.version)
    .update(linked.digest.toString(16))
    .update(problems.map((found) => `${found.path}:${found.line}:${found.code}`).join('\n'))
    .digest('hex')
    .slice(0, 16)

  const graph: ContentGraph = Object.freeze({
    version,
    get posts() {
      return posts()
    },
    get talks() {
      return talks()
    },
    get sections() {
      return sections()
    },
    get bullets() {
      return bullets()
    },
    get technologies() {
      return sortedTechnologies()
    },
    get mentions() {
      return mentions()
    },
    problems: Object.freeze(problems),
    get stats() {
      return stats()
    },
    get tags() {
      return tags()
    },
    get categories() {
      return categories()
    },
    derivedFrom: relinked
      ? Object.freeze({
          graph: new WeakRef(relinked.graph),
          changed: new Set(relinked.changed) as ReadonlySet<string>,
        })
      : undefined,
    node,
    post: (id: string) => typed(id, 'Post'),
    postBySlug: (slug: string) => linked.bySlug.get(slug)?.[0]?.post,
    talk: (id: string) => typed(id, 'Talk'),
    section: (id: string) => typed(id, 'Section'),
    bullet: (id: string) => typed(id, 'Bullet'),
    technology: (id: string) => typed(id, 'Technology'),
    technologyByName: (name: string) => technologyByName().get(name.trim().toLowerCase()),
    mention: (id: string) => typed(id, 'Mention'),
    postsByTag: (tag: string) => tagIndex().get(tag) ?? empty,
    postsByCategory: (category: string) => categoryIndex().get(category) ?? empty,
    postsByTechnology,
    talksByTechnology,
    talksOfPost: (id: string) => postAt(extracted, locate(id)?.key ?? '')?.talks ?? empty,
    technologiesByCategory,
    technologiesOf,
    mentionsOf: (id: string, kind?: MentionKind) =>
      kind ? mentionsByKind(`${kind}\0${id}`) : mentionsByTechnology(id),
    mentionCount,
    related,
  })
  linkedGraphs.set(graph, linked)
  return graph
}

const empty: readonly never[] = Object.freeze([])

function technologyNode(
  id: string,
  ref: ExtractedPost['technologies'][number],
  catalog: Catalog,
): Technology {
  // An ad-hoc code-span name whose slug is a catalog slug is that entry.
  const entry = catalog.bySlug.get(ref.slug)
  return Object.freeze(
    entry
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
        },
  )
}

/** A value computed on first use and kept. */
function lazy<T>(compute: () => T): () => T {
  let done = false
  let value: T | undefined
  return () => {
    if (!done) {
      value = compute()
      done = true
    }
    return value as T
  }
}

/** A function of one key whose results are kept per key. */
function memo<T>(compute: (key: string) => T): (key: string) => T {
  const results = new Map<string, T>()
  return (key) => {
    let result = results.get(key)
    if (result === undefined) {
      result = compute(key)
      results.set(key, result)
    }
    return result
  }
}

function terms(posts: readonly Post[], read: (post: Post) => readonly string[]): Term[] {
  const index = new Map<string, Post[]>()
  for (const post of posts) for (const name of read(post)) push(index, name, post)
  return [...index]
    .map(([name, list]) => ({ name, posts: Object.freeze(list) }))
    .sort((a, b) => b.posts.length - a.posts.length || compare(a.name, b.name))
}
