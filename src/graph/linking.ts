/**
 * Linking: the part of a snapshot that follows the posts themselves (posts
 * in path order, posts by slug, the digest of their contents) and how the
 * next snapshot derives it from this one after an edit, at the cost of the
 * change alone. `content-graph.ts` builds everything else on top, lazily.
 */
import { createHash } from 'node:crypto'
import type { ExtractedPost } from '../extract/post.ts'
import type { Catalog } from '../model/catalog.ts'

/** What linking keeps of a snapshot, for the next one to start from. */
export interface Linked {
  readonly catalog: Catalog
  /** Posts in path order (found by path with a binary search). */
  readonly extracted: readonly ExtractedPost[]
  /** Posts by slug, each list in path order (the first one owns the slug). */
  readonly bySlug: LayeredMap<string, readonly ExtractedPost[]>
  /** Slugs more than one post uses. */
  readonly duplicates: ReadonlySet<string>
  /** XOR of every post's digest (path and content hash): the posts' part of the version. */
  readonly digest: bigint
}

/**
 * Link posts from scratch.
 *
 * @param posts
 *   Extracted posts, in any order.
 * @param catalog
 *   The catalog they were read with.
 * @returns
 *   The links of a new snapshot.
 */
export function link(posts: readonly ExtractedPost[], catalog: Catalog): Linked {
  const extracted = [...posts].sort((a, b) => compare(a.path, b.path))
  const bySlug = new Map<string, ExtractedPost[]>()
  let digest = 0n
  for (const item of extracted) {
    push(bySlug, item.post.slug, item)
    digest ^= postDigest(item)
  }
  const duplicates = new Set<string>()
  for (const [slug, list] of bySlug) if (list.length > 1) duplicates.add(slug)
  return { catalog, extracted, bySlug: LayeredMap.of(bySlug), duplicates, digest }
}

/**
 * Link posts from the previous snapshot's links, redoing only the changed
 * paths: no step visits every post.
 *
 * @param previous
 *   The links of the snapshot before.
 * @param posts
 *   The posts now; only those at changed paths are looked at.
 * @param changed
 *   Paths whose posts were added, edited or removed.
 * @returns
 *   The links of the new snapshot.
 */
export function relink(
  previous: Linked,
  posts: readonly ExtractedPost[],
  changed: ReadonlySet<string>,
): Linked {
  const now = new Map<string, ExtractedPost>()
  for (const item of posts) if (changed.has(item.path)) now.set(item.path, item)
  const extracted = [...previous.extracted]
  const slugChanges = new Map<string, readonly ExtractedPost[] | undefined>()
  const slugList = (slug: string) =>
    (slugChanges.has(slug) ? slugChanges.get(slug) : previous.bySlug.get(slug)) ?? []
  let digest = previous.digest
  for (const path of changed) {
    const before = postAt(previous.extracted, path)
    const after = now.get(path)
    if (before === after) continue
    if (before) {
      extracted.splice(indexOfPath(extracted, path), 1)
      const others = slugList(before.post.slug).filter((item) => item !== before)
      slugChanges.set(before.post.slug, others.length > 0 ? others : undefined)
      digest ^= postDigest(before)
    }
    if (after) {
      extracted.splice(indexOfPath(extracted, path), 0, after)
      const list = [...slugList(after.post.slug), after].sort((a, b) => compare(a.path, b.path))
      slugChanges.set(after.post.slug, list)
      digest ^= postDigest(after)
    }
  }
  const duplicates = new Set(previous.duplicates)
  for (const [slug, list] of slugChanges) {
    if (list && list.length > 1) duplicates.add(slug)
    else duplicates.delete(slug)
  }
  return {
    catalog: previous.catalog,
    extracted,
    bySlug: previous.bySlug.with(slugChanges),
    duplicates,
    digest,
  }
}

/** The post at a path of a list sorted by path (a binary search). */
export function postAt(list: readonly ExtractedPost[], path: string): ExtractedPost | undefined {
  const found = list[indexOfPath(list, path)]
  return found?.path === path ? found : undefined
}

/**
 * A map that shares most of itself with the one it was made from: changes
 * sit on top of a shared base until there are many, then are folded in. Each
 * snapshot's slug index costs what its change does, not a copy of the map.
 */
class LayeredMap<K, V> {
  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly top: ReadonlyMap<K, V | undefined>,
  ) {}

  static of<K, V>(map: ReadonlyMap<K, V>): LayeredMap<K, V> {
    return new LayeredMap(map, new Map())
  }

  get(key: K): V | undefined {
    return this.top.has(key) ? this.top.get(key) : this.base.get(key)
  }

  /** A new map with some keys set (`undefined` deletes); this one is unchanged. */
  with(changes: ReadonlyMap<K, V | undefined>): LayeredMap<K, V> {
    const top = new Map(this.top)
    for (const [key, value] of changes) top.set(key, value)
    if (top.size <= maxLayered) return new LayeredMap(this.base, top)
    const base = new Map(this.base)
    for (const [key, value] of top) {
      if (value === undefined) base.delete(key)
      else base.set(key, value)
    }
    return new LayeredMap(base, new Map())
  }
}

/** Changed keys kept on top of a layered map before they are folded into its base. */
const maxLayered = 256

/** Where a path is, or would go, in a list sorted by path. */
function indexOfPath(list: readonly ExtractedPost[], path: string): number {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (compare((list[middle] as ExtractedPost).path, path) < 0) low = middle + 1
    else high = middle
  }
  return low
}

const digests = new WeakMap<ExtractedPost, bigint>()

/** 128 bits from a post's path and content hash, computed once per post. */
function postDigest(item: ExtractedPost): bigint {
  let digest = digests.get(item)
  if (digest === undefined) {
    const hex = createHash('sha256')
      .update(item.path)
      .update('\0')
      .update(item.post.contentHash)
      .digest('hex')
    digest = BigInt(`0x${hex.slice(0, 32)}`)
    digests.set(item, digest)
  }
  return digest
}

/** Add a value to the list kept under a key. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Order strings by code unit, as paths and names are sorted everywhere in the graph. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
