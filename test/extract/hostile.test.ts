import { describe, expect, it } from 'vitest'
import { extractPost } from '../../src/extract/post.ts'
import { catalog } from '../helpers/fixtures.ts'

const read = (text: string) => extractPost({ path: 'deep.md', text }, { catalog })

describe('posts nesting blocks thousands deep', () => {
  it('should read quotes nested 10,000 deep, keeping the text and reporting the line', () => {
    const result = read(`# Deep\n\n${'>'.repeat(10_000)} the bottom\n`)
    expect(result.post?.bullets.map((bullet) => bullet.text)).toEqual(['the bottom'])
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'nesting-too-deep', line: 3, column: 101 }),
    )
  })

  it('should read list items nested 10,000 deep on one line', () => {
    const result = read(`# Deep\n\n${'- '.repeat(10_000)}leaf\n`)
    expect(result.post?.bullets.at(-1)?.text).toBe('leaf')
    expect(result.problems.map((problem) => problem.code)).toContain('nesting-too-deep')
  })

  it('should read deeply indented lists once, with one warning for all cut lines', () => {
    const lines = Array.from({ length: 250 }, (_, i) => `${' '.repeat(i * 2)}- item ${i}`)
    const result = read(`# Deep\n\n${lines.join('\n')}\n`)
    const texts = result.post?.bullets.map((bullet) => bullet.text) ?? []
    expect(texts).toContain('item 0')
    expect(texts.join(' ')).toContain('item 249')
    expect(result.problems.filter((problem) => problem.code === 'nesting-too-deep')).toHaveLength(1)
  })
})
