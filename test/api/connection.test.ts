import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import { connectionFromList, defaultPageSize } from '../../src/api/connection.ts'

const letters = Array.from({ length: 26 }, (_, index) => String.fromCharCode(97 + index))

function codeOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error
  }
  return undefined
}

describe('connectionFromList', () => {
  it('should give the first 20 items when neither first nor last is given', () => {
    const page = connectionFromList(letters)
    expect(page.nodes).toEqual(letters.slice(0, defaultPageSize))
    expect(page.totalCount).toBe(26)
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
    expect(page.edges.map((edge) => edge.node)).toEqual(page.nodes)
  })

  it('should give opaque cursors that lead to the next and previous pages', () => {
    const first = connectionFromList(letters, { first: 2 })
    expect(first.pageInfo.endCursor).not.toContain('1')
    const second = connectionFromList(letters, { first: 2, after: first.pageInfo.endCursor })
    expect(second.nodes).toEqual(['c', 'd'])
    const back = connectionFromList(letters, { last: 1, before: second.pageInfo.startCursor })
    expect(back.nodes).toEqual(['b'])
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true })
  })

  it('should take the items between after and before, then first or last of them', () => {
    const cursors = connectionFromList(letters, { first: 26 }).edges.map((edge) => edge.cursor)
    const between = { after: cursors[1], before: cursors[6] }
    expect(connectionFromList(letters, between).nodes).toEqual(['c', 'd', 'e', 'f'])
    expect(connectionFromList(letters, { ...between, first: 2 }).nodes).toEqual(['c', 'd'])
    expect(connectionFromList(letters, { ...between, last: 2 }).nodes).toEqual(['e', 'f'])
    expect(connectionFromList(letters, { ...between, first: 3, last: 2 }).nodes).toEqual(['d', 'e'])
  })

  it('should give an empty page past the end, with null cursors', () => {
    const cursors = connectionFromList(letters, { first: 26 }).edges.map((edge) => edge.cursor)
    const page = connectionFromList(letters, { after: cursors[25] })
    expect(page.nodes).toEqual([])
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    })
    expect(connectionFromList([], {}).pageInfo.hasPreviousPage).toBe(false)
  })

  it('should accept 1 and 100 and refuse 0 and 101 with PAGINATION_LIMIT', () => {
    expect(connectionFromList(letters, { first: 1 }).nodes).toEqual(['a'])
    expect(connectionFromList(letters, { last: 100 }).nodes).toHaveLength(26)
    expect(codeOf(() => connectionFromList(letters, { first: 0 }))).toBe('PAGINATION_LIMIT')
    expect(codeOf(() => connectionFromList(letters, { last: 101 }))).toBe('PAGINATION_LIMIT')
  })

  it('should refuse cursors it did not make with BAD_USER_INPUT', () => {
    for (const cursor of [
      '',
      'not a cursor!',
      Buffer.from('offset:x').toString('base64url'),
      'YWJj',
    ]) {
      expect(
        codeOf(() => connectionFromList(letters, { after: cursor })),
        cursor,
      ).toBe('BAD_USER_INPUT')
    }
  })
})
