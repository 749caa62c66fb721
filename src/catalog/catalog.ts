import { createHash } from 'node:crypto'
import type { CatalogEntry } from '../graph/model.ts'
import builtin from './technologies.json' with { type: 'json' }

/** A technology catalog with its lookups. */
export interface Catalog {
  readonly entries: readonly CatalogEntry[]
  /** Hash of the entries, so caches and snapshots can tell catalogs apart. */
  readonly version: string
  /** Entry by slug. */
  readonly bySlug: ReadonlyMap<string, CatalogEntry>
  /**
   * Find an entry by its name, slug or one of its aliases, ignoring case.
   * Used for code spans and API lookups, where the text is explicitly a name.
   */
  lookup(name: string): CatalogEntry | undefined
  /** Find every catalog name in a run of plain text. */
  matchText(text: string): readonly TextMatch[]
}

/** A catalog name found in plain text. */
export interface TextMatch {
  readonly entry: CatalogEntry
  /** Offset of the match in the text. */
  readonly start: number
  readonly end: number
  /** The text as written. */
  readonly text: string
}

/** A catalog entry as written in a file: everything but the name is optional. */
export interface CatalogEntryInput {
  name: string
  slug?: string
  aliases?: string[]
  category?: string | null
  homepage?: string | null
  caseSensitive?: boolean
  matchText?: boolean
}

/** The catalog shipped with the project. */
export const builtinCatalogEntries: readonly CatalogEntryInput[] = builtin as CatalogEntryInput[]

// Korean particles and endings that may follow a technology name: `쿠버네티스를`,
// `스파크로는`. A Hangul alias only matches when what follows it is made of these,
// so `뷰` (Vue) does not match `뷰티`.
const particle =
  '(?:이|가|을|를|은|는|의|에|에서|에게|께|로|으로|와|과|도|만|까지|부터|처럼|보다|랑|이랑|하고|나|이나|라는|이라는|란|이란|같은|기반|이다|입니다|이며|였|이었|엔|에선|로서|으로서|로써|으로써|한테)'
const particles = new RegExp(`^${particle}*$`)

// Latin tokens keep dots, pluses, hashes, hyphens and underscores inside
// (`Node.js`, `C++`, `torch-serve`); Hangul runs are tokens of their own.
const hangulStart = /^\p{Script=Hangul}/u
const tokenPattern = /\p{Script=Hangul}+|[\p{Script=Latin}\p{N}][\p{Script=Latin}\p{N}.+#_-]*/gu
const joinerPattern = /^(?:[ \t]+|[ \t]*[/-][ \t]*|\.)$/

/**
 * Build a catalog from entries.
 *
 * @param inputs
 *   Entries in order; a later entry with the slug of an earlier one overrides
 *   its fields and adds to its aliases.
 * @returns
 *   The catalog.
 */
export function createCatalog(inputs: readonly CatalogEntryInput[]): Catalog {
  const bySlug = new Map<string, CatalogEntry>()
  for (const input of inputs) {
    const slug = input.slug ?? slugify(input.name)
    const previous = bySlug.get(slug)
    const aliases = [...(previous?.aliases ?? []), ...(input.aliases ?? [])]
    const name = input.name
    bySlug.set(slug, {
      name,
      slug,
      aliases: [...new Set(aliases.filter((alias) => alias !== name))],
      category: input.category === undefined ? (previous?.category ?? null) : input.category,
      homepage: input.homepage === undefined ? (previous?.homepage ?? null) : input.homepage,
      caseSensitive: input.caseSensitive ?? previous?.caseSensitive ?? false,
      matchText: input.matchText ?? previous?.matchText ?? true,
    })
  }
  const entries = [...bySlug.values()]
  const byKey = new Map<string, CatalogEntry>()
  const byText = new Map<string, { entry: CatalogEntry; spelling: string }[]>()
  for (const entry of entries) {
    for (const key of [entry.slug, entry.name, ...entry.aliases]) {
      const lower = normalizeKey(key)
      if (!byKey.has(lower)) byKey.set(lower, entry)
    }
    if (!entry.matchText) continue
    for (const spelling of [entry.name, ...entry.aliases]) {
      const lower = normalizeKey(spelling)
      const list = byText.get(lower) ?? []
      list.push({ entry, spelling })
      byText.set(lower, list)
    }
  }
  // The first word of every spelling, with the most words a spelling that
  // starts with it has: most words of a text start none and are passed over,
  // and most that do start only one-word spellings.
  const firstWords = new Map<string, number>()
  for (const spelling of byText.keys()) {
    const words = tokens(spelling)
    const first = words[0]
    if (!first) continue
    const key = normalizeKey(first.text)
    firstWords.set(key, Math.max(firstWords.get(key) ?? 0, words.length))
  }
  const hangulFirst = new Set(
    [...byText.keys()].filter((key) => hangulStart.test(key)).map((key) => key.charCodeAt(0)),
  )
  const hangulLengths = [
    ...new Set(
      [...byText.keys()]
        .filter((key) => /^\p{Script=Hangul}+$/u.test(key))
        .map((key) => key.length),
    ),
  ].sort((a, b) => b - a)

  const version = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16)

  return {
    entries,
    version,
    bySlug,
    lookup(name) {
      return byKey.get(normalizeKey(name))
    },
    matchText(text) {
      const found: TextMatch[] = []
      const list = tokens(text)
      for (let index = 0; index < list.length; ) {
        const match = longestAt(list, index)
        if (match) {
          found.push(match.match)
          index += match.length
        } else {
          index++
        }
      }
      return found

      function longestAt(
        list: readonly Token[],
        index: number,
      ): { match: TextMatch; length: number } | undefined {
        const first = list[index]
        if (!first) return undefined
        const key = wordKey(first.text)
        const most = firstWords.get(key) ?? 0
        for (let count = Math.min(most, list.length - index); count >= 1; count--) {
          const last = list[index + count - 1]
          if (!last) continue
          if (!joined(list, index, count)) continue
          const written = count === 1 ? first.text : text.slice(first.start, last.end)
          const match = find(written, first.start, count === 1 ? key : normalizeKey(written))
          if (match) return { match, length: count }
        }
        // A Korean word with a particle: only when some Hangul spelling
        // starts with the word's first syllable (Latin words never do).
        if (hangulFirst.has(first.text.charCodeAt(0)) && hangulStart.test(first.text)) {
          for (const length of hangulLengths) {
            if (length >= first.text.length) continue
            const head = first.text.slice(0, length)
            const headKey = wordKey(head)
            if (!byText.has(headKey)) continue
            if (!particles.test(first.text.slice(length))) continue
            const match = find(head, first.start, headKey)
            if (match) return { match, length: 1 }
          }
        }
        return undefined
      }

      function joined(list: readonly Token[], index: number, count: number): boolean {
        for (let offset = 1; offset < count; offset++) {
          const before = list[index + offset - 1]
          const after = list[index + offset]
          if (!before || !after) return false
          if (!joinerPattern.test(text.slice(before.end, after.start))) return false
        }
        return true
      }

      function find(written: string, start: number, key: string): TextMatch | undefined {
        const candidates = byText.get(key)
        if (!candidates) return undefined
        const exact = candidates.find((candidate) => candidate.spelling === written)
        const loose = candidates.find((candidate) => !candidate.entry.caseSensitive)
        const chosen = exact ?? loose
        if (!chosen) return undefined
        return { entry: chosen.entry, start, end: start + written.length, text: written }
      }
    },
  }
}

/**
 * Turn a name into a URL-safe slug: lowercase, with runs of other characters
 * as single hyphens. `C++` and `C#` keep their meaning as `c-plus-plus` and `c-sharp`.
 *
 * @param name
 *   Any name.
 * @returns
 *   The slug (may be empty for a name with no letters or digits).
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\+\+/g, '-plus-plus')
    .replace(/#/g, '-sharp')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

interface Token {
  readonly text: string
  readonly start: number
  readonly end: number
}

function tokens(text: string): Token[] {
  const list: Token[] = []
  const pattern = new RegExp(tokenPattern)
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    // Trailing punctuation ends a sentence, it is not part of a name: `Spark.`
    const written = match[0]
    let end = written.length
    while (end > 0 && trailing.has(written.charCodeAt(end - 1))) end--
    if (end === 0) continue
    const value = end === written.length ? written : written.slice(0, end)
    list.push({ text: value, start: match.index, end: match.index + end })
  }
  return list
}

/** `.`, `_` and `-`: punctuation a word cannot end with. */
const trailing = new Set([0x2e, 0x5f, 0x2d])

/**
 * `normalizeKey` of one word, without its cost for the usual words: ASCII
 * only needs lowercasing, and Hangul syllables are already normalized.
 */
function wordKey(word: string): string {
  let ascii = true
  let syllables = true
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index)
    if (code >= 0x80) ascii = false
    if (code < 0xac00 || code > 0xd7a3) syllables = false
    if (!ascii && !syllables) return normalizeKey(word)
  }
  return ascii ? word.toLowerCase() : word
}

function normalizeKey(value: string): string {
  // Words repeat from post to post: most keys are asked for again.
  let key = normalizedKeys.get(value)
  if (key === undefined) {
    key = value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
    if (normalizedKeys.size >= maxNormalizedKeys) normalizedKeys.clear()
    normalizedKeys.set(value, key)
  }
  return key
}

const normalizedKeys = new Map<string, string>()
const maxNormalizedKeys = 50_000
