/**
 * Filtering and ordering over a content graph: the questions the API asks
 * ("talks mentioning Spark, newest first"), answered on plain records.
 * Nothing here knows about GraphQL: the API maps its enums onto these
 * lowercase names and passes its inputs straight through.
 */

import type { Problem, Severity } from '../model/problems.ts'
import type {
  Bullet,
  BulletKind,
  Link,
  Mention,
  MentionKind,
  Post,
  Section,
  Talk,
  Technology,
} from '../model/types.ts'
import type { ContentGraph } from './content-graph.ts'

/** Which way a list is ordered. */
export type OrderDirection = 'asc' | 'desc'

/** A value posts can be ordered by. */
export type PostOrderField = 'date' | 'title' | 'slug' | 'talk-count'

/** A value talks can be ordered by. */
export type TalkOrderField = 'position' | 'number' | 'title' | 'bullet-count'

/** A value technologies can be ordered by. */
export type TechnologyOrderField = 'name' | 'mention-count' | 'talk-count'

/** An ordering: a field and a direction. */
export interface Order<Field extends string> {
  readonly field: Field
  readonly direction: OrderDirection
}

// Query inputs accept `null` as well as a missing field, because that is how
// GraphQL hands over omitted input fields.
type Maybe<T> = T | null | undefined

/** Conditions posts must all meet; missing ones do not filter. */
export interface PostQuery {
  /** Tag, written exactly. */
  readonly tag?: Maybe<string>
  /** Tags that must all be present, written exactly. */
  readonly tags?: Maybe<readonly string[]>
  /** Category, written exactly. */
  readonly category?: Maybe<string>
  /** Slug, name or alias of a technology, ignoring case. */
  readonly technology?: Maybe<string>
  /** First day, `YYYY-MM-DD`, inclusive. */
  readonly dateFrom?: Maybe<string>
  /** Last day, `YYYY-MM-DD`, inclusive. */
  readonly dateTo?: Maybe<string>
  /** Ids of the only posts to keep (the posts a search matched, say). */
  readonly within?: Maybe<ReadonlySet<string>>
}

/** Conditions talks must all meet; missing ones do not filter. */
export interface TalkQuery {
  /** Slug, name or alias of a technology, ignoring case. */
  readonly technology?: Maybe<string>
  /** Slug of the post. */
  readonly post?: Maybe<string>
  readonly hasNotes?: Maybe<boolean>
  /** Text the speaker contains, ignoring case; talks without a speaker are left out. */
  readonly speaker?: Maybe<string>
  /** Ids of the only talks to keep (the talks a search matched, say). */
  readonly within?: Maybe<ReadonlySet<string>>
}

/** Conditions technologies must all meet; missing ones do not filter. */
export interface TechnologyQuery {
  /** Category key, such as `database`. */
  readonly category?: Maybe<string>
  /** Text the name or an alias contains, ignoring case. */
  readonly name?: Maybe<string>
  readonly minMentions?: Maybe<number>
  readonly inCatalog?: Maybe<boolean>
}

/** Conditions bullets must all meet; missing ones do not filter. */
export interface BulletQuery {
  readonly kind?: Maybe<BulletKind>
  /** Nesting depth, 0 for top-level blocks. */
  readonly depth?: Maybe<number>
}

/** Default order of post lists: newest first. */
export const defaultPostOrder: Order<PostOrderField> = { field: 'date', direction: 'desc' }

/** Default order of talk lists: content order. */
export const defaultTalkOrder: Order<TalkOrderField> = { field: 'position', direction: 'asc' }

/** Default order of technology lists: most mentioned first. */
export const defaultTechnologyOrder: Order<TechnologyOrderField> = {
  field: 'mention-count',
  direction: 'desc',
}

/**
 * List the posts that meet a query, in an order.
 *
 * @param graph
 *   Graph to read.
 * @param query
 *   Conditions; every post when omitted.
 * @param order
 *   Order; newest first when omitted.
 * @returns
 *   The matching posts, ordered.
 */
export function findPosts(
  graph: ContentGraph,
  query: PostQuery | null = null,
  order: Order<PostOrderField> | null = null,
): Post[] {
  // Filtering keeps the order of the list it is given: sort every post once
  // per snapshot and order, then filter.
  const { field, direction } = order ?? defaultPostOrder
  const sorted = sortedOnce(graph, `posts:${field}:${direction}`, () =>
    sortPosts(graph.posts, order),
  )
  return filterPosts(graph, sorted, query)
}

/**
 * Keep the posts of a list that meet a query.
 *
 * @param graph
 *   Graph the posts belong to, for technology lookups.
 * @param posts
 *   Posts to filter.
 * @param query
 *   Conditions; all posts pass when omitted.
 * @returns
 *   The posts that meet every condition, in their original order.
 */
export function filterPosts(
  graph: ContentGraph,
  posts: readonly Post[],
  query: PostQuery | null = null,
): Post[] {
  if (!query) return [...posts]
  const { tag, tags, category, technology, dateFrom, dateTo, within } = query
  const technologyPosts = isGiven(technology) ? postsMentioning(graph, technology) : undefined
  const byDate = isGiven(dateFrom) || isGiven(dateTo)
  return posts.filter(
    (post) =>
      (!isGiven(tag) || post.tags.includes(tag)) &&
      (!tags || tags.every((name) => post.tags.includes(name))) &&
      (!isGiven(category) || post.categories.includes(category)) &&
      (!technologyPosts || technologyPosts.has(post.id)) &&
      // Days are `YYYY-MM-DD`, so text order is date order.
      (!byDate ||
        (post.date !== null &&
          (!isGiven(dateFrom) || post.date >= dateFrom) &&
          (!isGiven(dateTo) || post.date <= dateTo))) &&
      (!within || within.has(post.id)),
  )
}

/**
 * Order posts. Posts without a date come last in either direction; ties are
 * broken by slug, ascending, so pages stay stable.
 *
 * @param posts
 *   Posts to order; not changed.
 * @param order
 *   Order; newest first when omitted.
 * @returns
 *   A new, ordered list.
 */
export function sortPosts(
  posts: readonly Post[],
  order: Order<PostOrderField> | null = null,
): Post[] {
  const { field, direction } = order ?? defaultPostOrder
  const sign = direction === 'asc' ? 1 : -1
  const compare = (a: Post, b: Post): number => {
    switch (field) {
      case 'date':
        return nullsLast(postInstant(a), postInstant(b), sign)
      case 'title':
        return sign * compareText(fold(a.title), fold(b.title))
      case 'slug':
        return sign * compareText(a.slug, b.slug)
      case 'talk-count':
        return sign * (a.talkIds.length - b.talkIds.length)
    }
  }
  return [...posts].sort((a, b) => compare(a, b) || compareText(a.slug, b.slug))
}

/**
 * List the talks that meet a query, in an order.
 *
 * @param graph
 *   Graph to read.
 * @param query
 *   Conditions; every talk when omitted.
 * @param order
 *   Order; content order when omitted.
 * @returns
 *   The matching talks, ordered.
 */
export function findTalks(
  graph: ContentGraph,
  query: TalkQuery | null = null,
  order: Order<TalkOrderField> | null = null,
): Talk[] {
  if (query && isGiven(query.post)) {
    const post = graph.postBySlug(query.post)
    const talks = post ? graph.talksOfPost(post.id) : []
    return sortTalks(graph, filterTalks(graph, talks, query), order)
  }
  // As for posts: every talk sorted once per snapshot and order, then filtered.
  const { field, direction } = order ?? defaultTalkOrder
  const sorted = sortedOnce(graph, `talks:${field}:${direction}`, () =>
    sortTalks(graph, graph.talks, order),
  )
  return filterTalks(graph, sorted, query)
}

/**
 * Keep the talks of a list that meet a query.
 *
 * @param graph
 *   Graph the talks belong to, for post and technology lookups.
 * @param talks
 *   Talks to filter.
 * @param query
 *   Conditions; all talks pass when omitted.
 * @returns
 *   The talks that meet every condition, in their original order.
 */
export function filterTalks(
  graph: ContentGraph,
  talks: readonly Talk[],
  query: TalkQuery | null = null,
): Talk[] {
  if (!query) return [...talks]
  const { technology, post, hasNotes, speaker, within } = query
  const technologyTalks = isGiven(technology) ? talksMentioning(graph, technology) : undefined
  const postId = isGiven(post) ? (graph.postBySlug(post)?.id ?? null) : undefined
  const speakerNeedle = isGiven(speaker) ? fold(speaker) : undefined
  return talks.filter(
    (talk) =>
      (!technologyTalks || technologyTalks.has(talk.id)) &&
      (postId === undefined || talk.postId === postId) &&
      (!isGiven(hasNotes) || talk.hasNotes === hasNotes) &&
      (speakerNeedle === undefined ||
        (talk.speaker !== null && fold(talk.speaker).includes(speakerNeedle))) &&
      (!within || within.has(talk.id)),
  )
}

/**
 * Order talks. Talks without a number come last when ordering by number; ties
 * are broken by position, ascending, so pages stay stable.
 *
 * @param graph
 *   Graph the talks belong to, for their posts' dates.
 * @param talks
 *   Talks to order; not changed.
 * @param order
 *   Order; content order when omitted.
 * @returns
 *   A new, ordered list.
 */
export function sortTalks(
  graph: ContentGraph,
  talks: readonly Talk[],
  order: Order<TalkOrderField> | null = null,
): Talk[] {
  const { field, direction } = order ?? defaultTalkOrder
  const sign = direction === 'asc' ? 1 : -1
  const position = positions(graph)
  const byPosition = (a: Talk, b: Talk) => comparePosition(position, a, b)
  const compare = (a: Talk, b: Talk): number => {
    switch (field) {
      case 'position': {
        // Undated posts stay last either way, as the content order says.
        const dated =
          Number(position.undated.has(a.postId)) - Number(position.undated.has(b.postId))
        return dated || sign * byPosition(a, b)
      }
      case 'number':
        return nullsLast(a.number, b.number, sign)
      case 'title':
        return sign * compareText(fold(a.title), fold(b.title))
      case 'bullet-count':
        return sign * (a.bulletCount - b.bulletCount)
    }
  }
  return [...talks].sort((a, b) => compare(a, b) || byPosition(a, b))
}

/**
 * List the technologies that meet a query, in an order.
 *
 * @param graph
 *   Graph to read.
 * @param query
 *   Conditions; every technology when omitted.
 * @param order
 *   Order; most mentioned first when omitted.
 * @returns
 *   The matching technologies, ordered.
 */
export function findTechnologies(
  graph: ContentGraph,
  query: TechnologyQuery | null = null,
  order: Order<TechnologyOrderField> | null = null,
): Technology[] {
  // As for posts: every technology sorted once per snapshot and order, then
  // filtered, so no request sorts.
  const { field, direction } = order ?? defaultTechnologyOrder
  const sorted = sortedOnce(graph, `technologies:${field}:${direction}`, () =>
    sortTechnologies(graph, graph.technologies, order),
  )
  return filterTechnologies(graph, sorted, query)
}

/**
 * Keep the technologies of a list that meet a query.
 *
 * @param graph
 *   Graph the technologies belong to, for mention counts.
 * @param technologies
 *   Technologies to filter.
 * @param query
 *   Conditions; all technologies pass when omitted.
 * @returns
 *   The technologies that meet every condition, in their original order.
 */
export function filterTechnologies(
  graph: ContentGraph,
  technologies: readonly Technology[],
  query: TechnologyQuery | null = null,
): Technology[] {
  if (!query) return [...technologies]
  const { category, name, minMentions, inCatalog } = query
  const needle = isGiven(name) ? fold(name) : undefined
  return technologies.filter(
    (technology) =>
      (!isGiven(category) || technology.category === category) &&
      (needle === undefined ||
        [technology.name, ...technology.aliases].some((text) => fold(text).includes(needle))) &&
      (!isGiven(minMentions) || graph.mentionCount(technology.id) >= minMentions) &&
      (!isGiven(inCatalog) || technology.inCatalog === inCatalog),
  )
}

/**
 * Order technologies; ties are broken by slug, ascending, so pages stay stable.
 *
 * @param graph
 *   Graph the technologies belong to, for mention and talk counts.
 * @param technologies
 *   Technologies to order; not changed.
 * @param order
 *   Order; most mentioned first when omitted.
 * @returns
 *   A new, ordered list.
 */
export function sortTechnologies(
  graph: ContentGraph,
  technologies: readonly Technology[],
  order: Order<TechnologyOrderField> | null = null,
): Technology[] {
  const { field, direction } = order ?? defaultTechnologyOrder
  const sign = direction === 'asc' ? 1 : -1
  const compare = (a: Technology, b: Technology): number => {
    switch (field) {
      case 'name':
        return sign * compareText(fold(a.name), fold(b.name))
      case 'mention-count':
        return sign * (graph.mentionCount(a.id) - graph.mentionCount(b.id))
      case 'talk-count':
        return sign * (talkCount(graph, a.id) - talkCount(graph, b.id))
    }
  }
  return [...technologies].sort((a, b) => compare(a, b) || compareText(a.slug, b.slug))
}

/**
 * Number of distinct talks that mention a technology.
 *
 * @param graph
 *   Graph to read.
 * @param technologyId
 *   Id of the technology.
 * @returns
 *   The count; 0 for an unknown id.
 */
export function talkCount(graph: ContentGraph, technologyId: string): number {
  return graph.talksByTechnology(technologyId).length
}

/**
 * The talks that mention a technology, in an order (kept per snapshot).
 *
 * @param graph
 *   Graph to read.
 * @param technologyId
 *   Id of the technology.
 * @param order
 *   Order; content order when omitted.
 * @returns
 *   The talks, ordered.
 */
export function talksOfTechnology(
  graph: ContentGraph,
  technologyId: string,
  order: Order<TalkOrderField> | null = null,
): readonly Talk[] {
  const { field, direction } = order ?? defaultTalkOrder
  return sortedOnce(graph, `technology-talks:${technologyId}:${field}:${direction}`, () =>
    sortTalks(graph, graph.talksByTechnology(technologyId), order),
  )
}

/**
 * The posts that mention a technology, in an order (kept per snapshot).
 *
 * @param graph
 *   Graph to read.
 * @param technologyId
 *   Id of the technology.
 * @param order
 *   Order; newest first when omitted.
 * @returns
 *   The posts, ordered.
 */
export function postsOfTechnology(
  graph: ContentGraph,
  technologyId: string,
  order: Order<PostOrderField> | null = null,
): readonly Post[] {
  const { field, direction } = order ?? defaultPostOrder
  return sortedOnce(graph, `technology-posts:${technologyId}:${field}:${direction}`, () =>
    sortPosts(graph.postsByTechnology(technologyId), order),
  )
}

/**
 * The mentions of a technology in content order: posts by date (posts without
 * a date last, then by path), then by place in the post.
 *
 * @param graph
 *   Graph to read.
 * @param technologyId
 *   Id of the technology.
 * @param kind
 *   Only mentions found this way; all when omitted.
 * @returns
 *   The mentions, ordered.
 */
export function mentionsInContentOrder(
  graph: ContentGraph,
  technologyId: string,
  kind: MentionKind | null = null,
): Mention[] {
  const { post } = positions(graph)
  const rank = (mention: Mention) => post.get(mention.postId) ?? Number.MAX_SAFE_INTEGER
  // The graph lists mentions by path, then place in the post; a stable sort by
  // post rank keeps that inner order.
  return [...graph.mentionsOf(technologyId, kind ?? undefined)].sort((a, b) => rank(a) - rank(b))
}

/**
 * The talks of one post that meet a query, in the order written.
 *
 * @param graph
 *   Graph to read.
 * @param postId
 *   Id of the post.
 * @param query
 *   Conditions (`hasNotes`, `technology`); all talks when omitted.
 * @returns
 *   The talks.
 */
export function talksOfPost(
  graph: ContentGraph,
  postId: string,
  query: Pick<TalkQuery, 'hasNotes' | 'technology'> | null = null,
): Talk[] {
  return filterTalks(graph, graph.talksOfPost(postId), query)
}

/**
 * The bullets of a talk that meet a query, in document order.
 *
 * @param graph
 *   Graph to read.
 * @param talk
 *   The talk.
 * @param query
 *   Conditions (`kind`, `depth`); all bullets when omitted.
 * @returns
 *   The bullets.
 */
export function bulletsOfTalk(
  graph: ContentGraph,
  talk: Talk,
  query: BulletQuery | null = null,
): readonly Bullet[] {
  const bullets = bulletsOf(graph, talk)
  if (!query || (!isGiven(query.kind) && !isGiven(query.depth))) return bullets
  const { kind, depth } = query
  return bullets.filter(
    (bullet) =>
      (!isGiven(kind) || bullet.kind === kind) && (!isGiven(depth) || bullet.depth === depth),
  )
}

/**
 * The talk, section or bullet a mention sits in.
 *
 * @param graph
 *   Graph to read.
 * @param mention
 *   The mention.
 * @returns
 *   The record, or undefined when the graph does not have it.
 */
export function mentionTarget(
  graph: ContentGraph,
  mention: Mention,
): Talk | Section | Bullet | undefined {
  switch (mention.target) {
    case 'talk':
      return graph.talk(mention.targetId)
    case 'section':
      return graph.section(mention.targetId)
    case 'bullet':
      return graph.bullet(mention.targetId)
  }
}

/**
 * The content problems of one severity, or all of them.
 *
 * @param graph
 *   Graph to read.
 * @param severity
 *   Severity to keep; all when omitted.
 * @returns
 *   The problems, by path, line and column.
 */
export function problemsOf(graph: ContentGraph, severity: Severity | null = null): Problem[] {
  return severity
    ? graph.problems.filter((problem) => problem.severity === severity)
    : [...graph.problems]
}

/** Words read per minute, for `readingTimeMinutes`. */
export const wordsPerMinute = 200

/**
 * Estimated reading time of a post, in whole minutes.
 *
 * @param post
 *   The post.
 * @returns
 *   `wordCount / 200` rounded up, at least 1.
 */
export function readingTimeMinutes(post: Post): number {
  return Math.max(1, Math.ceil(post.wordCount / wordsPerMinute))
}

/**
 * The links of a bullet that point at an absolute URL (http, https or mailto).
 *
 * Relative links and `#anchors` have no meaning outside the site the notes
 * came from, and clients expect a URL they can follow as is.
 *
 * @param links
 *   Links as written.
 * @returns
 *   The absolute ones, in order.
 */
export function absoluteLinks(links: readonly Link[]): Link[] {
  return links.filter((link) => {
    if (!URL.canParse(link.url)) return false
    const { protocol } = new URL(link.url)
    return protocol === 'http:' || protocol === 'https:' || protocol === 'mailto:'
  })
}

// A talk's bullets, made on first use and kept as long as the talk: a talk
// belongs to one read of its post, as do its bullet records, so the list is
// right in every snapshot that holds the talk. Made through the graph, each
// bullet costs an id made and read again and a search for its post; a page
// of a talk's bullets would otherwise make every bullet of the talk.
const talkBullets = new WeakMap<Talk, readonly Bullet[]>()

function bulletsOf(graph: ContentGraph, talk: Talk): readonly Bullet[] {
  let bullets = talkBullets.get(talk)
  if (!bullets) {
    bullets = Object.freeze(recordsOf(talk.bulletIds, (id) => graph.bullet(id)))
    // A talk the graph does not hold (a stale reference) is not remembered.
    if (bullets.length === talk.bulletCount) talkBullets.set(talk, bullets)
  }
  return bullets
}

/** Where each post and talk stands in content order, computed once per graph. */
interface Positions {
  /** Rank of each post: by date (undated last), then path. */
  readonly post: ReadonlyMap<string, number>
  /** Rank of each talk: by its post's rank, then its place in the post. */
  readonly talk: ReadonlyMap<string, number>
  /** Posts without a date. */
  readonly undated: ReadonlySet<string>
}

// Graphs are immutable snapshots, so their derived order can be kept for as
// long as the snapshot lives and no longer.
const positionCache = new WeakMap<ContentGraph, Positions>()
const sortedCache = new WeakMap<ContentGraph, Map<string, readonly unknown[]>>()

/** A sorted list of a snapshot, computed on first use and kept with it. */
function sortedOnce<T>(graph: ContentGraph, key: string, sort: () => T[]): readonly T[] {
  let lists = sortedCache.get(graph)
  if (!lists) {
    lists = new Map()
    sortedCache.set(graph, lists)
  }
  let list = lists.get(key) as readonly T[] | undefined
  if (!list) {
    list = Object.freeze(sort())
    lists.set(key, list)
  }
  return list
}

function positions(graph: ContentGraph): Positions {
  let found = positionCache.get(graph)
  if (!found) {
    // graph.posts is in path order; a stable sort by date keeps it for ties.
    const ordered = [...graph.posts].sort((a, b) => nullsLast(postInstant(a), postInstant(b), 1))
    // Talk ranks are computed once per snapshot: sorting talks then compares
    // two numbers instead of looking up posts on every comparison.
    const talk = new Map<string, number>()
    for (const post of ordered) {
      for (const found of graph.talksOfPost(post.id)) talk.set(found.id, talk.size)
    }
    found = {
      post: new Map(ordered.map((post, index) => [post.id, index])),
      talk,
      undated: new Set(graph.posts.filter((post) => post.date === null).map((post) => post.id)),
    }
    positionCache.set(graph, found)
  }
  return found
}

function comparePosition(position: Positions, a: Talk, b: Talk): number {
  return (
    (position.talk.get(a.id) ?? Number.MAX_SAFE_INTEGER) -
    (position.talk.get(b.id) ?? Number.MAX_SAFE_INTEGER)
  )
}

/** Milliseconds since the epoch of a post's date-time, else of its day at midnight UTC. */
function postInstant(post: Post): number | null {
  // Posts outlive snapshots: each date is parsed once, not on every comparison.
  let time = instants.get(post)
  if (time === undefined) {
    const text = post.dateTime ?? post.date
    const parsed = text === null ? Number.NaN : Date.parse(text)
    time = Number.isNaN(parsed) ? null : parsed
    instants.set(post, time)
  }
  return time
}

const instants = new WeakMap<Post, number | null>()

/** Compare two nullable numbers so that null comes last whatever the direction. */
function nullsLast(a: number | null, b: number | null, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
  return sign * (a - b)
}

function postsMentioning(graph: ContentGraph, name: string): Set<string> {
  const technology = graph.technologyByName(name)
  return new Set(technology ? graph.postsByTechnology(technology.id).map((post) => post.id) : [])
}

function talksMentioning(graph: ContentGraph, name: string): Set<string> {
  const technology = graph.technologyByName(name)
  return new Set(technology ? graph.talksByTechnology(technology.id).map((talk) => talk.id) : [])
}

function isGiven<T>(value: Maybe<T>): value is T {
  return value !== null && value !== undefined
}

// Case folding for "ignoring case": lowercase without locale rules, so results
// do not depend on the server's locale.
function fold(text: string): string {
  return text.toLowerCase()
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Look up records by id, leaving out ids the graph does not know.
 *
 * @param ids
 *   Ids, in the order wanted.
 * @param lookup
 *   A lookup of the graph, such as `graph.bullet`.
 * @returns
 *   The records found, in the order of `ids`.
 */
export function recordsOf<T>(ids: readonly string[], lookup: (id: string) => T | undefined): T[] {
  const found: T[] = []
  for (const id of ids) {
    const record = lookup(id)
    if (record !== undefined) found.push(record)
  }
  return found
}
