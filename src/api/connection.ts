/**
 * GitHub-style cursor connections over in-memory lists: `first`/`after`,
 * `last`/`before`, `totalCount` and `pageInfo`.
 *
 * Cursors encode an offset into the list as the request computed it. Every
 * request reads one immutable snapshot, so an offset means the same item for
 * as long as the snapshot is served; after a reload a cursor still points at a
 * position, as with GitHub's own cursors.
 */
import { assertWithinLimit, badUserInput } from './errors.ts'

/** Page size when neither `first` nor `last` is given. */
export const defaultPageSize = 20

/** The pagination arguments of a connection field. */
export interface ConnectionArgs {
  readonly first?: number | null | undefined
  readonly after?: string | null | undefined
  readonly last?: number | null | undefined
  readonly before?: string | null | undefined
}

/** One item of a page with its cursor. */
export interface Edge<T> {
  readonly cursor: string
  readonly node: T
}

/** Where a page stands in its list. */
export interface PageInfo {
  readonly hasNextPage: boolean
  readonly hasPreviousPage: boolean
  readonly startCursor: string | null
  readonly endCursor: string | null
}

/** A page of a list, shaped like every `XConnection` type of the schema. */
export interface Connection<T> {
  readonly edges: Edge<T>[]
  readonly nodes: T[]
  readonly pageInfo: PageInfo
  readonly totalCount: number
}

/**
 * Cut one page out of a list.
 *
 * Follows the Relay cursor connection algorithm: `after` and `before` narrow
 * the list, then `first` keeps the head and `last` the tail. Unlike the bare
 * algorithm, both `pageInfo` flags are always exact, since the whole list is
 * at hand.
 *
 * @param items
 *   The whole list, already filtered and ordered.
 * @param args
 *   Pagination arguments; a page of 20 from the start when none are given.
 * @returns
 *   The page.
 * @throws
 *   `PAGINATION_LIMIT` when `first` or `last` is outside 1 to 100,
 *   `BAD_USER_INPUT` when a cursor is malformed.
 */
export function connectionFromList<T>(
  items: readonly T[],
  args: ConnectionArgs = {},
): Connection<T> {
  const { first, after, last, before } = args
  assertWithinLimit('first', first)
  assertWithinLimit('last', last)
  let start = 0
  let end = items.length
  if (after !== null && after !== undefined) start = Math.min(end, offsetOf('after', after) + 1)
  if (before !== null && before !== undefined)
    end = Math.max(start, Math.min(end, offsetOf('before', before)))
  const pageFirst = first ?? (last === null || last === undefined ? defaultPageSize : undefined)
  if (pageFirst !== undefined) end = Math.min(end, start + pageFirst)
  if (last !== null && last !== undefined) start = Math.max(start, end - last)

  const nodes = items.slice(start, end)
  return new Page(nodes, start, end, items.length)
}

/**
 * A page as `connectionFromList` cuts it. A class rather than an object
 * literal so that its edges can be made on first read at no cost to pages
 * that never read them: most queries select `nodes` alone, and a cursor per
 * item is a string made for nothing.
 */
class Page<T> implements Connection<T> {
  readonly nodes: T[]
  readonly pageInfo: PageInfo
  readonly totalCount: number
  readonly #start: number
  #edges: Edge<T>[] | undefined

  constructor(nodes: T[], start: number, end: number, total: number) {
    this.nodes = nodes
    this.#start = start
    this.totalCount = total
    this.pageInfo = {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? toCursor(start) : null,
      endCursor: nodes.length > 0 ? toCursor(end - 1) : null,
    }
  }

  get edges(): Edge<T>[] {
    this.#edges ??= this.nodes.map((node, index) => ({
      cursor: toCursor(this.#start + index),
      node,
    }))
    return this.#edges
  }
}

const prefix = 'offset:'

function toCursor(offset: number): string {
  // Pages start and end at the same few offsets: their cursors are made once.
  if (offset < cursors.length) {
    cursors[offset] ??= Buffer.from(`${prefix}${offset}`, 'utf8').toString('base64url')
    return cursors[offset]
  }
  return Buffer.from(`${prefix}${offset}`, 'utf8').toString('base64url')
}

const cursors: (string | undefined)[] = new Array(4096)

function offsetOf(argument: string, cursor: string): number {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : ''
  const digits = text.startsWith(prefix) ? text.slice(prefix.length) : ''
  if (!/^\d{1,9}$/.test(digits)) {
    throw badUserInput(`\`${argument}\` is not a cursor given out by this API: "${cursor}"`, {
      argument,
    })
  }
  return Number(digits)
}
