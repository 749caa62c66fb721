import { slugify } from '../catalog/catalog.ts'
import type { Catalog, CatalogEntry } from '../model/catalog.ts'

/** A technology named by a code span: a catalog entry or a name seen only here. */
export interface NamedTechnology {
  readonly slug: string
  readonly name: string
  readonly entry: CatalogEntry | undefined
  /** The part of the span that names it (`Jupyter` of `Zeppelin/Jupyter`). */
  readonly text: string
}

// Words that are code in every language: keywords, literals and the like.
// A code span holding one of them is code, not the name of a technology.
const codeWords = new Set(
  `none null nil true false undefined nan self this super is id match case if else elif for
  while do return import from def class fn func function let const var new async await yield try
  catch except finally throw raise in of and or not with as pass break continue switch default
  public private protected static void int str string bool boolean float double char byte list dict
  map set get put post delete patch head options main init test type interface enum struct impl
  trait where select insert update create drop table index key value args kwargs lambda print echo
  sudo cd ls cat npm pip yarn go run build start stop`
    .split(/\s+/)
    .filter(Boolean),
)

const word = String.raw`[\p{L}\p{N}][\p{L}\p{N}.+#/-]*`
const namePattern = new RegExp(`^${word}(?: ${word}){0,2}$`, 'u')

/**
 * Read the technologies a code span names. A span naming several
 * (`Zeppelin/Jupyter`, `mongodb, mysql, oracle`) gives each; a span that is
 * code rather than a name (`read_csv()`, `$scope`, `x = 1`) gives none.
 *
 * @param value
 *   The code span's text.
 * @param catalog
 *   Catalog to resolve names and aliases (`torch-serve` → TorchServe).
 * @returns
 *   The technologies, in order.
 */
export function technologiesInCodeSpan(value: string, catalog: Catalog): NamedTechnology[] {
  const text = value.trim()
  if (text === '' || text.length > 60) return []
  const whole = catalog.lookup(text)
  if (whole && !needsCase(whole, text)) return [fromEntry(whole, text)]

  const parts = text
    .split(/\s*(?:,|;|\s\+\s|\s&\s|\sand\s|\s\|\s)\s*/)
    .map((part) => part.trim())
    .filter(Boolean)
  if (parts.length > 1) return parts.flatMap((part) => technologiesInCodeSpan(part, catalog))

  if (text.includes('/')) {
    const pieces = text.split('/').map((piece) => piece.trim())
    const named = pieces.every(
      (piece) => piece !== '' && (catalog.lookup(piece) !== undefined || /^\p{Lu}/u.test(piece)),
    )
    if (named) return pieces.flatMap((piece) => technologiesInCodeSpan(piece, catalog))
  }

  if (!looksLikeName(text, catalog)) return []
  const slug = slugify(text)
  if (slug === '') return []
  return [{ slug, name: text, entry: undefined, text }]
}

/**
 * Whether a code span names an imported entry (nobody curated it) by an
 * everyday word in another case than the catalog's: `beef` is a command, not
 * the Beef language.
 */
function needsCase(entry: CatalogEntry, text: string): boolean {
  if (entry.sources.includes('core') || entry.sources.includes('user')) return false
  if (!entry.needsEvidence.includes(text.toLowerCase())) return false
  return ![entry.name, ...entry.aliases].includes(text)
}

/**
 * Whether a code span outside the catalog reads as a name (`sentencepiece`,
 * `xDM Platform`, `text/template`) rather than code or a phrase.
 */
function looksLikeName(text: string, catalog: Catalog): boolean {
  if (text.length < 2 || text.length > 40) return false
  if (!namePattern.test(text)) return false
  if (/\p{Script=Hangul}/u.test(text)) return false
  if (codeWords.has(text.toLowerCase())) return false
  // An everyday lowercase word is an identifier or a value (`server`, `data`).
  if (/^\p{Ll}+$/u.test(text) && catalog.isCommonWord(text)) return false
  // HTML attributes (`data-reactid`, `aria-label`).
  if (/^(?:data|aria)-[\p{Ll}\d-]+$/u.test(text)) return false
  // Member access (`PorterDuff.Mode`, `os.path`), unless a name ends in a
  // suffix names carry (`Ember.js`, `Socket.IO`).
  if (/^[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}_$][\p{L}\p{N}_$]*)+$/u.test(text)) {
    if (!/\.(?:js|io|ai|net)$/i.test(text)) return false
  }
  // Paths: rooted, relative, or with a file name at the end (`src/app/main.ts`).
  if (
    text.includes('/') &&
    (/^[./~]/.test(text) || /\/.*\//.test(text) || /\/[^/]+\.\w+$/.test(text))
  )
    return false
  if (/^[\d.+#/-]+$/.test(text)) return false
  const words = text.split(' ')
  // Version numbers and years make an event or a release, not a technology:
  // `DEVIEW 2018`, `Spark 2.3`.
  if (words.some((part) => /^v?\d+(?:\.\d+)*$/.test(part))) return false
  // Several lowercase words read as a command (`gomobile bind`), not a name.
  if (words.length > 1 && !words.every((part) => /[\p{Lu}\d]/u.test(part))) return false
  // camelCase and snake_case are identifiers in code.
  if (/^\p{Ll}+\p{Lu}/u.test(text) || text.includes('_')) return false
  // A file name or a dotted member access (`index.js`, `os.path`).
  if (/^[\p{Ll}\d-]+\.[\p{Ll}\d]+$/u.test(text) && !/\.(js|io|ai)$/.test(text)) return false
  return true
}

function fromEntry(entry: CatalogEntry, text: string): NamedTechnology {
  return { slug: entry.slug, name: entry.name, entry, text }
}
