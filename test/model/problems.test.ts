import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ProblemCode, problem } from '../../src/model/problems.ts'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The codes in the first column of the README's problem table, in order. */
function documentedCodes(): string[] {
  const start = readme.indexOf('### Problems')
  const end = readme.indexOf('\n## ', start)
  return [...readme.slice(start, end).matchAll(/^\| `([a-z-]+)` \|/gm)].map(
    (match) => match[1] ?? '',
  )
}

describe('problem codes', () => {
  it('should each be documented in the README, and the README should list no other', () => {
    expect(documentedCodes()).toEqual(Object.values(ProblemCode))
  })

  it('should be unique', () => {
    const codes = Object.values(ProblemCode)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('should make a problem at the start of the file unless a position is given', () => {
    expect(problem({ path: 'a.md' }, 'warning', ProblemCode.emptyFile, 'Empty')).toEqual({
      path: 'a.md',
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'empty-file',
      message: 'Empty',
    })
    expect(
      problem({ path: 'b.md', line: 3, column: 21 }, 'error', ProblemCode.yamlSyntax, 'Bad'),
    ).toMatchObject({ line: 3, column: 21, code: 'yaml-syntax' })
  })
})
