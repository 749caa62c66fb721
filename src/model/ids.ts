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
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url')
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
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined
  const text = Buffer.from(id, 'base64url').toString('utf8')
  const colon = text.indexOf(':')
  if (colon === -1) return undefined
  const type = text.slice(0, colon)
  if (!nodeTypes.has(type)) return undefined
  return { type: type as NodeType, key: text.slice(colon + 1) }
}
