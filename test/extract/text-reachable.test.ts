import { describe, expect, it } from 'vitest'
import { parseFrontMatter } from '../../src/parse/front-matter.ts'
import { loadFixtures, sourceWords } from '../helpers/fixtures.ts'

describe('no text of a post is lost', () => {
  for (const fixture of loadFixtures()) {
    const extracted = fixture.result.post
    if (!extracted) continue
    it(`should reach every word of ${fixture.name} from titles, sections and bullets`, () => {
      // Inline markup splits words in the source (`Kafka`로), so a source word
      // only needs to appear inside the reachable text, not as a whole word.
      const parts: string[] = []
      const add = (text: string | number | null) => {
        parts.push(String(text ?? ''))
      }
      add(extracted.post.title)
      for (const talk of extracted.talks) {
        add(talk.heading)
        add(talk.number)
        add(talk.title)
        add(talk.speaker)
      }
      for (const section of extracted.sections) add(section.title)
      for (const bullet of extracted.bullets) add(bullet.text)

      const body = parseFrontMatter(fixture.text.replace(/\r\n?/g, '\n')).body
      const seen = sourceWords(body)
      const reachable = parts.join('\n')
      const lost = [...new Set(seen.filter((word) => !reachable.includes(word)))]
      expect(lost).toEqual([])
      expect(seen.length).toBeGreaterThan(0)
    })
  }

  it('should count the words of titles, sections and bullets', () => {
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length
    for (const fixture of loadFixtures()) {
      const extracted = fixture.result.post
      if (!extracted) continue
      const texts = [
        extracted.post.title,
        ...extracted.sections.map((section) => section.title),
        ...extracted.talks.map((talk) => talk.title),
        ...extracted.bullets.map((bullet) => bullet.text),
      ]
      const expected = texts.reduce((sum, text) => sum + words(text), 0)
      expect(extracted.post.wordCount, fixture.name).toBe(expected)
    }
  })

  it('should keep the text of every talk reachable from its own nodes', () => {
    for (const fixture of loadFixtures()) {
      const extracted = fixture.result.post
      if (!extracted) continue
      for (const talk of extracted.talks) {
        const own = [
          talk.heading,
          ...extracted.bullets.filter((bullet) => bullet.talkId === talk.id).map((b) => b.text),
          ...extracted.sections.filter((s) => s.talkId === talk.id).map((s) => s.title),
        ].join('\n')
        // The talk's Markdown source, heading included, holds nothing its nodes lack.
        const seen = sourceWords(talk.markdown)
        const lost = [...new Set(seen.filter((word) => !own.includes(word)))]
        expect(lost, `${fixture.name}: ${talk.title}`).toEqual([])
      }
    }
  })
})
