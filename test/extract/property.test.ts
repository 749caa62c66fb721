import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractPost } from '../../src/extract/post.ts'
import { catalog, sourceWords } from '../helpers/fixtures.ts'

const word = fc.oneof(
  fc.constantFrom(
    'Spark',
    'Kafka로',
    '쿠버네티스',
    'torch-serve',
    'BigQuery',
    '데이터',
    'note',
    '님',
  ),
  fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }),
)
const inline = fc.oneof(
  word,
  word.map((text) => `\`${text}\``),
  word.map((text) => `**${text}**`),
  word.map((text) => `[${text}](https://example.com/${encodeURIComponent(text)})`),
)
const sentence = fc.array(inline, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' '))
const block = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom('', '1. ', 'Session 2. ', 'Talk 3: ', '#4 '),
      sentence,
    )
    .map(([depth, prefix, text]) => `${'#'.repeat(depth)} ${prefix}${text}`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 4 }),
      fc.constantFrom('-', '*', '1.', '+'),
      fc.option(sentence),
    )
    .map(([indent, marker, text]) => `${'  '.repeat(indent)}${marker} ${text ?? ''}`),
  sentence.map((text) => `> ${text}`),
  sentence,
  fc.constantFrom(
    '---',
    '<br>',
    '<!--more-->',
    '```\ncode `x`\n```',
    '| a | b |\n|---|---|\n| 1 | 2 |',
    '\t- tab',
    '',
  ),
)
const frontMatter = fc.oneof(
  fc.constant(''),
  fc
    .record({
      title: fc.option(sentence),
      date: fc.option(
        fc.constantFrom('2024-01-02', '2019-05-12 20:04:01', 'soon', '2017-11-06T16:25+01:00'),
      ),
      tags: fc.option(fc.oneof(fc.array(word), word)),
    })
    .map((data) => {
      const lines = Object.entries(data)
        .filter(([, value]) => value !== null)
        .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      return `---\n${lines.join('\n')}\n---\n`
    }),
  fc.string({ maxLength: 40 }).map((text) => `---\n${text}\n---\n`),
  fc.string({ maxLength: 40 }).map((text) => `+++\n${text}\n+++\n`),
)
const post = fc
  .tuple(
    frontMatter,
    fc.array(block, { maxLength: 25 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([head, blocks, eol, finalNewline]) => {
    const text = `${head}${blocks.join('\n\n')}${finalNewline ? '\n' : ''}`
    return text.replace(/\n/g, eol)
  })

/** Runs per property; raise it (PROPERTY_RUNS=20000) to search harder. */
const numRuns = Number(process.env.PROPERTY_RUNS ?? 300)

describe('the reader on arbitrary posts', () => {
  it('should never throw, and report errors only with a file, line and column', () => {
    fc.assert(
      fc.property(post, (text) => {
        const result = extractPost({ path: 'any.md', text }, { catalog })
        for (const problem of result.problems) {
          expect(problem.path).toBe('any.md')
          expect(problem.line).toBeGreaterThanOrEqual(1)
          expect(problem.column).toBeGreaterThanOrEqual(1)
        }
        if (!result.post) {
          expect(result.problems.some((problem) => problem.severity === 'error')).toBe(true)
        }
      }),
      { numRuns },
    )
  })

  it("should keep every word of every talk reachable from the talk's nodes", () => {
    fc.assert(
      fc.property(post, (text) => {
        const extracted = extractPost({ path: 'any.md', text }, { catalog }).post
        if (!extracted) return
        for (const talk of extracted.talks) {
          const reachable = [
            talk.heading,
            ...extracted.sections.filter((s) => s.talkId === talk.id).map((s) => s.title),
            ...extracted.bullets.filter((b) => b.talkId === talk.id).map((b) => b.text),
          ].join('\n')
          for (const found of sourceWords(talk.markdown)) expect(reachable).toContain(found)
          for (const id of talk.bulletIds) {
            const bullet = extracted.bullets.find((candidate) => candidate.id === id)
            expect(bullet?.text.trim()).not.toBe('')
          }
        }
      }),
      {
        numRuns,
        examples: [
          // An indented first list item: its indent decides that the line
          // under it is a nested list, not indented code.
          ['---\n\n---\n  1. ` `\n\n        - [ ](https://example.com/%20) ` `'],
        ],
      },
    )
  })
})
