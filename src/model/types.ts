/**
 * The content graph's model: plain, immutable records that the reader
 * produces and the API serves. Nothing here knows about Markdown or GraphQL.
 */

/** A place in a content file. Lines and columns are 1-based. */
export interface SourceLocation {
  /** Path relative to the content folder, with `/` separators. */
  readonly path: string
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
}

/**
 * What a bullet is: a list item or one of the kinds of note around lists.
 * Keyed by the names the schema gives them (codegen's `enumValues` points
 * here); packed records store a kind as its position in this table, so a new
 * kind goes at the end.
 */
export const BulletKind = {
  ITEM: 'item',
  PARAGRAPH: 'paragraph',
  QUOTE: 'quote',
  CODE: 'code',
  HTML: 'html',
  TABLE: 'table',
} as const

/** What a bullet is, such as `item` or `code`. */
export type BulletKind = (typeof BulletKind)[keyof typeof BulletKind]

/**
 * How a technology mention was found, keyed by the schema's names (as
 * `BulletKind`, and packed by position likewise).
 */
export const MentionKind = {
  CODE_SPAN: 'code-span',
  CATALOG: 'catalog',
  HEADING: 'heading',
} as const

/** How a technology mention was found, such as `code-span`. */
export type MentionKind = (typeof MentionKind)[keyof typeof MentionKind]

/** The kind of node a mention sits in. */
export type MentionTarget = 'talk' | 'section' | 'bullet'

/** A technology node: a catalog entry, or a name seen only in code spans. */
export interface Technology {
  readonly id: string
  readonly slug: string
  readonly name: string
  readonly aliases: readonly string[]
  readonly category: string | null
  readonly homepage: string | null
  /** Whether the technology comes from the catalog rather than from a code span alone. */
  readonly inCatalog: boolean
}

/** One place a technology is mentioned. */
export interface Mention {
  readonly id: string
  readonly technologyId: string
  readonly kind: MentionKind
  /** The text as written, such as `Spark로`'s `Spark` or `torch-serve`. */
  readonly text: string
  readonly postId: string
  readonly talkId: string | null
  readonly target: MentionTarget
  /** Id of the talk, section or bullet the mention sits in. */
  readonly targetId: string
  readonly source: SourceLocation
}

/** A link inside a bullet. */
export interface Link {
  readonly url: string
  readonly text: string
}

/** A post: one Markdown file. */
export interface Post {
  readonly id: string
  readonly slug: string
  readonly title: string
  /** Calendar day as written (`YYYY-MM-DD`), or null when no date is known. */
  readonly date: string | null
  /**
   * Full RFC 3339 date-time when the source gives a time of day, or null.
   * A time written without an offset is taken as UTC.
   */
  readonly dateTime: string | null
  readonly tags: readonly string[]
  readonly categories: readonly string[]
  /** Excerpt as Markdown source; plain text is `excerptText`. */
  readonly excerptMarkdown: string
  readonly excerptText: string
  /** Markdown body without front matter. */
  readonly body: string
  readonly frontMatter: Readonly<Record<string, unknown>>
  readonly wordCount: number
  readonly talkIds: readonly string[]
  /** Sections outside any talk (introductions, conclusions). */
  readonly sectionIds: readonly string[]
  /** Every bullet of the post in document order, talks' and post-level alike. */
  readonly bulletIds: readonly string[]
  /** How many bullets the post has (`bulletIds.length`, without making the list). */
  readonly bulletCount: number
  readonly source: SourceLocation
  /** Hash of the file's text, for caches and ETags. */
  readonly contentHash: string
  /**
   * A draft (`draft: true`, `published: false`, `status: draft`, or under
   * `_drafts/`): left out of a graph built without drafts.
   */
  readonly draft: boolean
}

/** What kind of heading holds a group of talks. */
export type TalkGroupKind = 'DAY' | 'TRACK' | 'SESSION' | 'PART_OF_DAY' | 'KEYNOTES' | 'OTHER'

/**
 * A heading that holds several talks (a day, a track, a numbered session
 * block, keynotes), kept on each talk so a day or track is never lost.
 */
export interface TalkGroup {
  /** The group heading as written, emoji removed. */
  readonly title: string
  /** The number it carries (`Day 2`, `Session 10`, `1일차`), or null. */
  readonly number: number | null
  readonly kind: TalkGroupKind
}

/** A talk (or session) inside a post. */
export interface Talk {
  readonly id: string
  readonly postId: string
  /** 0-based position among the post's talks. */
  readonly index: number
  /** The number written in the heading (`3.`, `Session 3`), or null. */
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
  /** The heading's plain text as written, number and speaker included. */
  readonly heading: string
  /** The group (day, track, session block) the talk sits in, or null. */
  readonly group: TalkGroup | null
  readonly sectionIds: readonly string[]
  /** Every bullet of the talk in document order. */
  readonly bulletIds: readonly string[]
  /** How many bullets the talk has (`bulletIds.length`, without making the list). */
  readonly bulletCount: number
  readonly hasNotes: boolean
  /** Markdown source of the talk, heading included. */
  readonly markdown: string
  readonly source: SourceLocation
}

/** A section: a heading below the talk level, or a post-level heading outside talks. */
export interface Section {
  readonly id: string
  readonly postId: string
  readonly talkId: string | null
  readonly title: string
  /** Heading depth, 1 to 6. */
  readonly depth: number
  readonly bulletIds: readonly string[]
  readonly source: SourceLocation
}

/** A bullet: a list item or a note (paragraph, quote, code, HTML, table). */
export interface Bullet {
  readonly id: string
  readonly postId: string
  readonly talkId: string | null
  readonly sectionId: string | null
  readonly parentId: string | null
  readonly childIds: readonly string[]
  readonly kind: BulletKind
  /** Nesting level: 0 for top-level blocks, 1 for items nested once, and so on. */
  readonly depth: number
  /** Plain text of the bullet itself, without nested items. */
  readonly text: string
  /** Markdown source of the bullet itself, without nested items. */
  readonly markdown: string
  /** Strong or emphasized phrases, as plain text. */
  readonly emphasis: readonly string[]
  readonly links: readonly Link[]
  readonly source: SourceLocation
}
