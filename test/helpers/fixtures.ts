import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtinCatalogEntries, createCatalog } from '../../src/catalog/catalog.ts'
import { type ExtractResult, extractPost } from '../../src/extract/post.ts'

/** Folder of the reader fixtures. */
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** The shipped catalog, built once for every test. */
export const catalog = createCatalog(builtinCatalogEntries)

/** One fixture: its folder name, Markdown file and parsed result. */
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
      const file = readdirSync(folder).find((candidate) => candidate.endsWith('.md'))
      if (!file) throw new Error(`Fixture ${name} has no .md file`)
      const text = readFileSync(path.join(folder, file), 'utf8')
      const result = extractPost({ path: `${name}/${file}`, text }, { catalog })
      return { name, folder, file, text, result }
    })
}
