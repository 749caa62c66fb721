/**
 * The technology catalog's vocabulary: what an entry is, as a file writes it
 * and as the reader uses it, and what looking names up gives back. The
 * catalog (`src/catalog/`) builds one; the reader, the loader and the graph
 * only speak of it through these types.
 */

/** One entry of the technology catalog. */
export interface CatalogEntry {
  /** Canonical display name, such as `Kubernetes`. */
  readonly name: string
  /** URL-safe key, such as `kubernetes`. */
  readonly slug: string
  /** Other spellings, Korean ones included (`쿠버네티스`, `k8s`). */
  readonly aliases: readonly string[]
  /** Category key, such as `database` or `ml`. */
  readonly category: string | null
  readonly homepage: string | null
  /**
   * Whether plain-text matches must keep the case of the name or alias.
   * Set for names that are also ordinary words (`Go`, `Swift`, `Spring`).
   */
  readonly caseSensitive: boolean
  /** Whether the name is looked for in plain text at all, or only in code spans. */
  readonly matchText: boolean
  /**
   * Spellings (normalized: NFKC, lowercase) that are also everyday words
   * (`go`, `spark`, `뷰`): in plain text they count only with evidence.
   */
  readonly needsEvidence: readonly string[]
  /** Words that, next to an ambiguous spelling, show it names this technology (`job` for Spark). */
  readonly context: readonly string[]
  /** Where the entry comes from: `core`, `linguist`, `simple-icons`, `user`. */
  readonly sources: readonly string[]
}

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
  /**
   * Find every catalog name in a run of plain text. A spelling that is also
   * an everyday word counts only with evidence (see `src/catalog/evidence.ts`).
   *
   * @param text
   *   Plain text (one text node).
   * @param context
   *   Where the text sits, for the evidence.
   */
  matchText(text: string, context?: MatchContext): readonly TextMatch[]
  /** Whether a lowercase word is an everyday English word (`server`, `data`). */
  isCommonWord(word: string): boolean
}

/** Where a text sits: what evidence for an ambiguous name may look at. */
export interface MatchContext {
  /**
   * Whether the block names a technology in a code span: evidence for a
   * capitalised ambiguous name, as another name in the same sentence is.
   */
  readonly beside?: boolean
  /** The plain text of the whole block (a list item, a heading) the text is part of. */
  readonly block?: string
  /** Offset of the text in `block`. */
  readonly at?: number
  /**
   * What the post is about (its title): a name written in it as a word or
   * at the start of a compound (`RustConf`, `try! Swift`) is evidence.
   */
  readonly topic?: string
  /**
   * The slugs of the entries the post names in code spans: written as the
   * catalog writes it, such a name counts anywhere in the post.
   */
  readonly named?: () => ReadonlySet<string>
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
  /**
   * Whether plain-text matches need evidence: `true` for every one-word
   * spelling, a list for those spellings, `false` for none. By default a
   * one-word spelling that is a common English word needs evidence.
   */
  needsEvidence?: boolean | string[]
  /** Words that, next to an ambiguous spelling, show it names this entry. */
  context?: string[]
  /** Drop the entry (and any earlier entry with its slug) from the catalog. */
  disabled?: boolean
  /** Where the entry comes from (`core`, `linguist`, `simple-icons`, `user`). */
  source?: string
}
