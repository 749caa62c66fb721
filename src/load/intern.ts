import type { ExtractResult } from '../extract/post.ts'

/**
 * Share repeated strings of a post that crossed a thread or came from the
 * cache. In the reader, every bullet's `postId`, `talkId` and `source.path`
 * point at one string; structured cloning and `v8.deserialize` give each
 * field its own copy, which doubled the heap of a graph read with workers.
 * Rewriting the fields to one instance per value restores the sharing.
 *
 * @param result
 *   A result fresh from a worker or the cache (changed in place).
 * @returns
 *   The same result.
 */
export function internResult(result: ExtractResult): ExtractResult {
  const extracted = result.post
  if (!extracted) return result
  const pool = new Map<string, string>()
  const one = (value: string): string => {
    const known = pool.get(value)
    if (known !== undefined) return known
    pool.set(value, value)
    return value
  }
  const maybe = (value: string | null) => (value === null ? null : one(value))
  type Writable<T> = { -readonly [K in keyof T]: T[K] }
  const path = one(extracted.post.source.path)
  const located = (node: { source: { path: string } }) => {
    ;(node.source as Writable<typeof node.source>).path = path
  }

  const post = extracted.post as Writable<typeof extracted.post>
  post.id = one(post.id)
  located(post)
  for (const talk of extracted.talks as Writable<(typeof extracted.talks)[number]>[]) {
    talk.id = one(talk.id)
    talk.postId = post.id
    located(talk)
  }
  for (const section of extracted.sections as Writable<(typeof extracted.sections)[number]>[]) {
    section.id = one(section.id)
    section.postId = post.id
    section.talkId = maybe(section.talkId)
    located(section)
  }
  for (const bullet of extracted.bullets as Writable<(typeof extracted.bullets)[number]>[]) {
    bullet.id = one(bullet.id)
    bullet.postId = post.id
    bullet.talkId = maybe(bullet.talkId)
    bullet.sectionId = maybe(bullet.sectionId)
    bullet.parentId = maybe(bullet.parentId)
    located(bullet)
  }
  // Id lists, now that every id has its one instance.
  const ids = (list: readonly string[]) => list.map(one)
  post.talkIds = ids(post.talkIds)
  post.sectionIds = ids(post.sectionIds)
  post.bulletIds = ids(post.bulletIds)
  for (const talk of extracted.talks as Writable<(typeof extracted.talks)[number]>[]) {
    talk.sectionIds = ids(talk.sectionIds)
    talk.bulletIds = ids(talk.bulletIds)
  }
  for (const section of extracted.sections as Writable<(typeof extracted.sections)[number]>[]) {
    section.bulletIds = ids(section.bulletIds)
  }
  for (const bullet of extracted.bullets as Writable<(typeof extracted.bullets)[number]>[]) {
    bullet.childIds = ids(bullet.childIds)
  }
  for (const mention of extracted.mentions as Writable<(typeof extracted.mentions)[number]>[]) {
    mention.postId = post.id
    mention.talkId = maybe(mention.talkId)
    mention.targetId = one(mention.targetId)
    mention.technologyId = one(mention.technologyId)
    located(mention)
  }
  return result
}
