import type { Nodes } from 'mdast'
import { describe, expect, it } from 'vitest'
import { htmlText } from '../../src/extract/plain-text.ts'
import { parseFrontMatter } from '../../src/parse/front-matter.ts'
import { parseMarkdown } from '../../src/parse/markdown.ts'
import { loadFixtures } from '../helpers/fixtures.ts'

/** Words of a text: runs of letters and digits, so punctuation and markup don't matter. */
function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}

/** Every word a reader of the Markdown sees, from the source tree itself. */
function sourceWords(node: Nodes, into: string[]) {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') {
    into.push(...words(node.value))
  } else if (node.type === 'html') {
    into.push(...words(htmlText(node.value)))
  } else if (node.type === 'image') {
    into.push(...words(node.alt ?? ''))
  }
  if ('children' in node) for (const child of node.children as Nodes[]) sourceWords(child, into)
}

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
      const seen: string[] = []
      sourceWords(parseMarkdown(body), seen)
      const reachable = parts.join('\n')
      const lost = [...new Set(seen.filter((word) => !reachable.includes(word)))]
      expect(lost).toEqual([])
      expect(seen.length).toBeGreaterThan(0)
    })
  }

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
        const seen: string[] = []
        sourceWords(parseMarkdown(talk.markdown), seen)
        const lost = [...new Set(seen.filter((word) => !own.includes(word)))]
        expect(lost, `${fixture.name}: ${talk.title}`).toEqual([])
      }
    }
  })
})
