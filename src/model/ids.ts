/** The kinds of node that have global ids. */
export type NodeType = 'Post' | 'Talk' | 'Section' | 'Bullet' | 'Technology' | 'Mention'

const nodeTypes: ReadonlySet<string> = new Set<NodeType>([
  'Post',
  'Talk',
  'Section',
  'Bullet',
  'Technology',
  'Mention',
])

/**
 * Make an opaque global id from a node type and a key.
 *
 * Keys are derived from content paths and positions within one post, so an id
 * stays the same across restarts and does not move when another post changes.
 *
 * @param type
 *   Node type.
 * @param key
 *   Key unique within the type.
 * @returns
 *   Base64url text.
 */
export function toGlobalId(type: NodeType, key: string): string {
  const text = `${type}:${key}`
  let id = encoded.get(text)
  if (id === undefined) {
    id = Buffer.from(text, 'utf8').toString('base64url')
    encoded.set(text, id)
  }
  return id
}

/**
 * Read a global id back into its type and key.
 *
 * @param id
 *   Id made by `toGlobalId`.
 * @returns
 *   The type and key, or undefined when the id is not one of ours.
 */
export function fromGlobalId(id: string): { type: NodeType; key: string } | undefined {
  const known = decoded.get(id)
  if (known !== undefined) return known
  const found = decode(id)
  // Ids that are not ours are not kept: they could be anything a client sends.
  if (found) decoded.set(id, found)
  return found
}

function decode(id: string): { type: NodeType; key: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined
  const text = Buffer.from(id, 'base64url').toString('utf8')
  const colon = text.indexOf(':')
  if (colon === -1) return undefined
  const type = text.slice(0, colon)
  if (!nodeTypes.has(type)) return undefined
  return Object.freeze({ type: type as NodeType, key: text.slice(colon + 1) })
}

/**
 * A map that keeps about the `limit` most recently used entries: two
 * generations, the older dropped whole when the newer fills up. Lookups and
 * inserts stay O(1) with no per-entry bookkeeping.
 *
 * Hand-written rather than lru-cache: ids are made and read on every field
 * of every request (a page of bullets makes and reads hundreds), and a
 * plain `Map` lookup costs a fraction of a list-reordering LRU's.
 */
class RecentMap<V> {
  #young = new Map<string, V>()
  #old = new Map<string, V>()
  readonly #limit: number

  constructor(limit: number) {
    this.#limit = limit
  }

  get(key: string): V | undefined {
    const young = this.#young.get(key)
    if (young !== undefined) return young
    const old = this.#old.get(key)
    if (old !== undefined) this.set(key, old)
    return old
  }

  set(key: string, value: V): void {
    if (this.#young.size >= this.#limit / 2) {
      this.#old = this.#young
      this.#young = new Map()
    }
    this.#young.set(key, value)
  }
}

// Base64 costs a buffer, a copy and a string each way, and the same ids are
// made and read again on every request that reaches their nodes. The most
// recent ones are kept: 16,384 ids of each kind are a few MB at most.
const encoded = new RecentMap<string>(16_384)
const decoded = new RecentMap<{ type: NodeType; key: string }>(16_384)
