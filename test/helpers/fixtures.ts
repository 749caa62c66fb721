import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Nodes } from 'mdast'
import { builtinCatalogEntries, createCatalog } from '../../src/catalog/catalog.ts'
import { htmlText } from '../../src/extract/plain-text.ts'
import { type ExtractResult, extractPost } from '../../src/extract/post.ts'
import { parseMarkdown } from '../../src/parse/markdown.ts'

/** Folder of the reader fixtures. */
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** The shipped catalog, built once for every test. */
export const catalog = createCatalog(builtinCatalogEntries)

/** One fixture: its folder name, Markdown file (relative to the folder) and parsed result. */
export interface Fixture {
  readonly name: string
  readonly folder: string
  readonly file: string
  readonly text: string
  readonly result: ExtractResult
}

/**
 * Read every fixture folder (one `.md` file each) through the reader.
 *
 * @returns
 *   The fixtures in name order.
 */
export function loadFixtures(): Fixture[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const folder = path.join(fixturesDir, name)
      // The post may sit in a subfolder when its path matters (`_drafts/`, a
      // page bundle's `index.md`).
      const file = readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .map((candidate) => candidate.split(path.sep).join('/'))
        .find((candidate) => candidate.endsWith('.md'))
      if (!file) throw new Error(`Fixture ${name} has no .md file`)
      const text = readFileSync(path.join(folder, file), 'utf8')
      const result = extractPost({ path: `${name}/${file}`, text }, { catalog })
      return { name, folder, file, text, result }
    })
}

/** Words of a text: runs of letters and digits, so punctuation and markup don't matter. */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}

/**
 * Every word a reader of some Markdown sees, read straight from its mdast
 * tree: text, inline and block code, HTML text and image alt text.
 *
 * @param markdown
 *   Markdown without front matter.
 * @returns
 *   The words in document order.
 */
export function sourceWords(markdown: string): string[] {
  const into: string[] = []
  const visit = (node: Nodes) => {
    if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') {
      into.push(...words(node.value))
    } else if (node.type === 'html') {
      into.push(...words(htmlText(node.value)))
    } else if (node.type === 'image') {
      into.push(...words(node.alt ?? ''))
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
  }
  visit(parseMarkdown(markdown))
  return into
}
