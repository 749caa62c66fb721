import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import type { CatalogEntryInput } from '../model/catalog.ts'
import { isTechnologyCategory, technologyCategories } from '../model/categories.ts'
import { problem as newProblem, type Problem, ProblemCode } from '../model/problems.ts'
import { isYamlSyntaxError, parseYaml, type YamlPlace } from '../parse/yaml.ts'
import { isInside } from './files.ts'

/** File names, in the content folder, of a user catalog that extends the built-in one. */
export const catalogFileNames = ['technologies.yml', 'technologies.yaml', 'technologies.json']

/**
 * Read the user's technology catalog from the content folder, if there is
 * one: a YAML (or JSON) list of entries with at least a `name`. Entries whose
 * slug matches a built-in one override its fields and add aliases;
 * `needsEvidence` marks names that are also everyday words, `context` gives
 * the words that show they are meant, and `disabled: true` removes an entry.
 *
 * @param contentDir
 *   Content folder.
 * @returns
 *   The entries and problems (invalid entries are skipped, with their line).
 */
export async function readUserCatalog(
  contentDir: string,
): Promise<{ entries: CatalogEntryInput[]; problems: Problem[]; path: string | undefined }> {
  for (const name of catalogFileNames) {
    const absolute = path.join(contentDir, name)
    let text: string
    try {
      // A catalog linked from outside the folder is not read, as posts are not.
      const [real, root] = await Promise.all([realpath(absolute), realpath(contentDir)])
      if (!isInside(root, real)) {
        const problem = newProblem(
          { path: name },
          'error',
          ProblemCode.outsideContentRoot,
          'Symbolic link leads outside the content folder; only files inside it are read',
        )
        return { entries: [], problems: [problem], path: undefined }
      }
      text = await readFile(real, 'utf8')
    } catch {
      continue
    }
    return { ...parseCatalogText(text, name), path: absolute }
  }
  return { entries: [], problems: [], path: undefined }
}

/**
 * Parse catalog entries from YAML or JSON text.
 *
 * @param text
 *   File text.
 * @param file
 *   Path to name in problems.
 * @returns
 *   Valid entries and problems for the others.
 */
export function parseCatalogText(
  text: string,
  file: string,
): { entries: CatalogEntryInput[]; problems: Problem[] } {
  const problems: Problem[] = []
  const problem = (place: YamlPlace, message: string) => {
    problems.push(newProblem({ path: file, ...place }, 'error', ProblemCode.catalog, message))
  }
  const document = parseYaml(text)
  if (isYamlSyntaxError(document)) {
    problem(document, `Invalid catalog: ${document.reason}`)
    return { entries: [], problems }
  }
  const { value } = document
  const root = isMapping(value) ? value.technologies : value
  if (!Array.isArray(root)) {
    problem(
      fileStart,
      'Catalog must be a list of technologies (or a map with a `technologies` list)',
    )
    return { entries: [], problems }
  }
  const places = document.placesIn(root)
  const entries: CatalogEntryInput[] = []
  root.forEach((item: unknown, index) => {
    const entry = toEntry(item)
    if (typeof entry === 'string') problem(places[index] ?? fileStart, entry)
    else entries.push(entry)
  })
  return { entries, problems }
}

const fileStart: YamlPlace = { line: 1, column: 1 }

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function toEntry(value: unknown): CatalogEntryInput | string {
  if (typeof value !== 'object' || value === null) return 'Catalog entry must be a mapping'
  const record = value as Record<string, unknown>
  if (typeof record.name !== 'string' || record.name.trim() === '') {
    return 'Catalog entry needs a `name`'
  }
  const entry: CatalogEntryInput = { name: record.name.trim(), source: 'user' }
  if (record.slug !== undefined) {
    if (typeof record.slug !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(record.slug)) {
      return `Catalog entry "${entry.name}": slug must be lowercase letters, digits and hyphens`
    }
    entry.slug = record.slug
  }
  if (record.aliases !== undefined) {
    if (!Array.isArray(record.aliases))
      return `Catalog entry "${entry.name}": aliases must be a list`
    entry.aliases = record.aliases.map(String)
  }
  if (record.category !== undefined && record.category !== null) {
    const category = String(record.category).toLowerCase()
    if (!isTechnologyCategory(category)) {
      return `Catalog entry "${entry.name}": unknown category "${String(record.category)}" (one of ${technologyCategories.join(', ')})`
    }
    entry.category = category
  }
  if (typeof record.homepage === 'string') entry.homepage = record.homepage
  if (typeof record.caseSensitive === 'boolean') entry.caseSensitive = record.caseSensitive
  if (typeof record.matchText === 'boolean') entry.matchText = record.matchText
  if (record.needsEvidence !== undefined) {
    const value = record.needsEvidence
    if (typeof value === 'boolean') entry.needsEvidence = value
    else if (Array.isArray(value)) entry.needsEvidence = value.map(String)
    else
      return `Catalog entry "${entry.name}": needsEvidence must be true, false or a list of spellings`
  }
  if (record.context !== undefined) {
    if (!Array.isArray(record.context))
      return `Catalog entry "${entry.name}": context must be a list of words`
    entry.context = record.context.map((word) => String(word).toLowerCase())
  }
  if (record.disabled !== undefined) {
    if (typeof record.disabled !== 'boolean')
      return `Catalog entry "${entry.name}": disabled must be true or false`
    entry.disabled = record.disabled
  }
  return entry
}
