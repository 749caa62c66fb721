/**
 * How a read post is held: compactly.
 *
 * A post of 10 KB has a few talks and sections but a few hundred bullets and
 * mentions. Held as plain objects, each with its own global id, source
 * location, Markdown copy and id lists, they took about 15 times the size of
 * the Markdown. Here the post keeps its text once; bullets and mentions keep
 * offsets into it and the indexes of their parents, and derive ids, source
 * locations and Markdown when asked.
 *
 * Two forms:
 * - `PackedPost`: plain data with typed arrays, what a worker thread sends
 *   and the cache stores (cheap to clone and serialize);
 * - the records (`PostRecord`, `TalkRecord`, …): what the graph holds and the
 *   API reads, made from a packed post by `unpackPost`.
 */
import { toGlobalId } from '../model/ids.ts'
import type { Problem } from '../model/problems.ts'
import {
  type Bullet,
  BulletKind,
  type Link,
  type Mention,
  MentionKind,
  type MentionTarget,
  type Post,
  type Section,
  type SourceLocation,
  type Talk,
  type TalkGroup,
} from '../model/types.ts'
import { createLineIndex, type LineIndex } from '../parse/markdown.ts'
import type { GroupReading, TalkRule } from './outline.ts'
import { rowLayout } from './row-layout.ts'

/** A technology as a mention names it, before the graph gives it a node. */
export interface TechnologyRef {
  readonly slug: string
  readonly name: string
  readonly inCatalog: boolean
}

/** Everything read from one post: its records, ids already assigned. */
export interface ExtractedPost {
  /** The post's path relative to the content folder (its `source.path`). */
  readonly path: string
  readonly post: Post
  readonly talks: readonly Talk[]
  readonly sections: readonly Section[]
  readonly bulletCount: number
  /** The bullet at an index (document order), made on each call. */
  bullet(index: number): Bullet | undefined
  /** Every bullet in document order, made on each call: prefer `bullet(index)`. */
  readonly bullets: readonly Bullet[]
  readonly mentionCount: number
  /** The mention at an index (document order), made on each call. */
  mention(index: number): Mention | undefined
  /** Every mention in document order, made on each call. */
  readonly mentions: readonly Mention[]
  /** The mentions of one technology (by id), in document order. */
  mentionsOf(technologyId: string): readonly Mention[]
  /** How many mentions one technology has here (without making them). */
  mentionCountOf(technologyId: string): number
  /** The talks that mention one technology, once each, in document order. */
  talksMentioning(technologyId: string): readonly Talk[]
  /** The technologies the mentions name, once each, in order of first mention. */
  readonly technologies: readonly TechnologyRef[]
  /** Their ids, in the same order. */
  readonly technologyIds: readonly string[]
  /** Which rule found the talks. */
  readonly talkRule: TalkRule
  /** The parser that read the Markdown. */
  readonly parser: 'markdown-it' | 'remark'
  /** Why the fast reader left the post to remark, when it did (see `FastReadRefusal`). */
  readonly refused: string | null
}

/** The result of reading one file: the post, unless an error stopped it, and its problems. */
export interface ExtractResult {
  readonly post: ExtractedPost | undefined
  readonly problems: readonly Problem[]
}

/** `ExtractResult` in packed form: for threads and the cache. */
export interface PackedResult {
  readonly post: PackedPost | undefined
  readonly problems: readonly Problem[]
}

/** What the post record holds besides its text and nodes. */
export interface PackedMeta {
  readonly slug: string
  readonly title: string
  readonly date: string | null
  readonly dateTime: string | null
  readonly tags: readonly string[]
  readonly categories: readonly string[]
  readonly excerptMarkdown: string
  readonly excerptText: string
  readonly frontMatter: Readonly<Record<string, unknown>>
  readonly wordCount: number
  readonly contentHash: string
  /** Whether the post is a draft (see `readDraft`). */
  readonly draft: boolean
}

/** A talk in packed form. Offsets index the post's `text`. */
export interface PackedTalk {
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
  readonly heading: string
  /** The group (day, track, session block) the talk sits in, or null. */
  readonly group: GroupReading | null
  readonly line: number
  readonly column: number
  /** Offsets of the talk's Markdown, heading included, trailing space cut. */
  readonly start: number
  readonly end: number
  /** Its sections and bullets: index ranges (they follow each other in the post). */
  readonly sections: readonly [number, number]
  readonly bullets: readonly [number, number]
}

/** A section in packed form. */
export interface PackedSection {
  /** Index of its talk, or -1 outside talks. */
  readonly talk: number
  readonly title: string
  readonly depth: number
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
  readonly bullets: readonly [number, number]
}

/** One post in packed form. */
export interface PackedPost {
  readonly path: string
  /**
   * The Markdown as read: front matter blanked to empty lines, so offsets
   * give the file's own lines and columns.
   */
  readonly text: string
  /** Where the body starts (after the blank front matter lines). */
  readonly bodyStart: number
  readonly meta: PackedMeta
  readonly talkRule: TalkRule
  /** The parser that read the Markdown. */
  readonly parser: 'markdown-it' | 'remark'
  /** Why the fast reader left the post to remark, or null. */
  readonly refused: string | null
  readonly technologies: readonly TechnologyRef[]
  readonly talks: readonly PackedTalk[]
  readonly sections: readonly PackedSection[]
  /** Bullets as rows of `bulletLayout`. */
  readonly bullets: Int32Array
  /**
   * Each bullet's text, or null when it is made from `text`: at the packed
   * offsets when `textStart` is 0 or more, else from `textEnd` runs of
   * `textRuns` starting at run `-2 - textStart`.
   */
  readonly bulletTexts: readonly (string | null)[]
  /**
   * Pairs of offsets into `text` whose slices, joined, make bullet texts; a
   * pair `[-1 - code, 0]` stands for that one character.
   */
  readonly textRuns: Int32Array
  readonly emphasis: readonly (readonly [number, readonly string[]])[]
  readonly links: readonly (readonly [number, readonly Link[]])[]
  /** Mentions as rows of `mentionLayout`. */
  readonly mentions: Int32Array
  /** Mention texts that are not `text` at their offsets, by mention index. */
  readonly mentionTexts: readonly (readonly [number, string])[]
}

/**
 * A bullet's numbers in `PackedPost.bullets`, by name: what the reader writes
 * and the records read. `textStart`/`textEnd` are offsets of its text in the
 * post, or a run reference (see `PackedPost.bulletTexts`).
 */
export const bulletLayout = rowLayout([
  'kind',
  'depth',
  'start',
  'end',
  'parent',
  'talk',
  'section',
  'textStart',
  'textEnd',
])

/** The name of one of a bullet's packed numbers. */
export type BulletField = (typeof bulletLayout.names)[number]

/** A mention's numbers in `PackedPost.mentions`, by name. */
export const mentionLayout = rowLayout([
  'kind',
  'target',
  'targetIndex',
  'talk',
  'start',
  'end',
  'technology',
])

/** The name of one of a mention's packed numbers. */
export type MentionField = (typeof mentionLayout.names)[number]

// A kind is packed as its position in the model's table.
export const bulletKinds: readonly BulletKind[] = Object.values(BulletKind)
export const mentionKinds: readonly MentionKind[] = Object.values(MentionKind)
export const mentionTargets: readonly MentionTarget[] = ['talk', 'section', 'bullet']

const none: readonly never[] = Object.freeze([])

// Technology ids repeat across posts: one string each.
const technologyIds = new Map<string, string>()
const technologyId = (slug: string): string => {
  let id = technologyIds.get(slug)
  if (id === undefined) {
    id = toGlobalId('Technology', slug)
    technologyIds.set(slug, id)
  }
  return id
}

// Posts name the same technologies: one reference object for each.
const technologyRefs = new Map<string, TechnologyRef>()
const sharedRef = (ref: TechnologyRef): TechnologyRef => {
  const key = `${ref.slug}\0${ref.name}\0${ref.inCatalog}`
  let shared = technologyRefs.get(key)
  if (shared === undefined) {
    shared = Object.freeze({ slug: ref.slug, name: ref.name, inCatalog: ref.inCatalog })
    if (technologyRefs.size < 100_000) technologyRefs.set(key, shared)
  }
  return shared
}

/** One post's text, columns and records: what its records read from. */
class PostData implements ExtractedPost {
  readonly path: string
  readonly postId: string
  readonly text: string
  readonly post: PostRecord
  readonly talks: TalkRecord[] = []
  readonly sections: SectionRecord[] = []
  readonly technologies: readonly TechnologyRef[]
  readonly technologyIds: readonly string[]
  readonly talkRule: TalkRule
  readonly parser: 'markdown-it' | 'remark'
  readonly refused: string | null
  readonly bulletCount: number
  readonly mentionCount: number
  /** Copies of the packed columns (a view could hold a whole cache file). */
  readonly bulletColumns: Int32Array
  readonly mentionColumns: Int32Array
  readonly bulletTexts: readonly (string | null)[]
  readonly textRuns: Int32Array
  readonly emphasis: ReadonlyMap<number, readonly string[]>
  readonly links: ReadonlyMap<number, readonly Link[]>
  readonly mentionTexts: ReadonlyMap<number, string>
  private lineIndex: LineIndex | undefined
  private byTechnology: Map<string, number[]> | undefined

  constructor(packed: PackedPost) {
    this.path = packed.path
    this.postId = toGlobalId('Post', packed.path)
    this.text = packed.text
    this.technologies = packed.technologies.map(sharedRef)
    this.technologyIds = packed.technologies.map((ref) => technologyId(ref.slug))
    this.talkRule = packed.talkRule
    this.parser = packed.parser
    this.refused = packed.refused
    this.bulletColumns = packed.bullets.slice()
    this.mentionColumns = packed.mentions.slice()
    this.bulletCount = bulletLayout.rows(this.bulletColumns)
    this.mentionCount = mentionLayout.rows(this.mentionColumns)
    this.textRuns = packed.textRuns.slice()
    this.bulletTexts = packed.bulletTexts.some((text) => text !== null)
      ? packed.bulletTexts.slice()
      : none
    // Exact-size copies: arrays from a thread or the cache keep spare room.
    this.emphasis = sparse(packed.emphasis.map(([index, list]) => [index, list.slice()] as const))
    this.links = sparse(packed.links.map(([index, list]) => [index, list.slice()] as const))
    this.mentionTexts = sparse(packed.mentionTexts)
    packed.talks.forEach((talk, index) => {
      this.talks.push(new TalkRecord(this, index, talk))
    })
    packed.sections.forEach((section, index) => {
      this.sections.push(new SectionRecord(this, index, section))
    })
    this.post = new PostRecord(this, packed)
  }

  bullet(index: number): Bullet | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.bulletCount
      ? new BulletRecord(this, index)
      : undefined
  }

  get bullets(): readonly Bullet[] {
    return Array.from({ length: this.bulletCount }, (_, index) => new BulletRecord(this, index))
  }

  mention(index: number): Mention | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.mentionCount
      ? new MentionRecord(this, index)
      : undefined
  }

  get mentions(): readonly Mention[] {
    return Array.from({ length: this.mentionCount }, (_, index) => new MentionRecord(this, index))
  }

  mentionsOf(id: string): readonly Mention[] {
    return this.mentionIndexes(id).map((index) => new MentionRecord(this, index))
  }

  mentionCountOf(id: string): number {
    return this.mentionIndexes(id).length
  }

  talksMentioning(id: string): readonly Talk[] {
    const talks = new Set<TalkRecord>()
    for (const index of this.mentionIndexes(id)) {
      const talk = this.talks[this.mentionColumn(index, 'talk')]
      if (talk) talks.add(talk)
    }
    return [...talks]
  }

  /** Indexes of one technology's mentions, grouped on first use. */
  private mentionIndexes(id: string): readonly number[] {
    if (!this.byTechnology) {
      this.byTechnology = new Map()
      for (let index = 0; index < this.mentionCount; index++) {
        const technology = this.mentionColumn(index, 'technology')
        const key = this.technologyIds[technology] ?? ''
        const list = this.byTechnology.get(key)
        if (list) list.push(index)
        else this.byTechnology.set(key, [index])
      }
    }
    return this.byTechnology.get(id) ?? none
  }

  bulletColumn(index: number, field: BulletField): number {
    return bulletLayout.get(this.bulletColumns, index, field)
  }

  mentionColumn(index: number, field: MentionField): number {
    return mentionLayout.get(this.mentionColumns, index, field)
  }

  /** Line and column of an offset, the line index made on first use. */
  position(offset: number): { line: number; column: number } {
    this.lineIndex ??= createLineIndex(this.text)
    return this.lineIndex.position(offset)
  }

  location(start: number, end: number): SourceLocation {
    const from = this.position(start)
    const to = this.position(end)
    return located(this.path, from.line, from.column, to.line, to.column)
  }

  bulletId(index: number): string {
    return toGlobalId('Bullet', `${this.path}#${index}`)
  }

  bulletIds(range: readonly [number, number]): string[] {
    const ids: string[] = []
    for (let index = range[0]; index < range[1]; index++) ids.push(this.bulletId(index))
    return ids
  }
}

function sparse<K, V>(entries: readonly (readonly [K, V])[]): ReadonlyMap<K, V> {
  return entries.length === 0 ? emptyMap : new Map(entries)
}

const emptyMap: ReadonlyMap<never, never> = new Map<never, never>()

function located(
  path: string,
  line: number,
  column: number,
  endLine: number,
  endColumn: number,
): SourceLocation {
  return { path, line, column, endLine, endColumn }
}

/** A post record. */
export class PostRecord implements Post {
  readonly id: string
  readonly slug: string
  readonly title: string
  readonly date: string | null
  readonly dateTime: string | null
  readonly tags: readonly string[]
  readonly categories: readonly string[]
  readonly excerptMarkdown: string
  readonly excerptText: string
  readonly frontMatter: Readonly<Record<string, unknown>>
  readonly wordCount: number
  readonly contentHash: string
  readonly draft: boolean
  readonly talkIds: readonly string[]
  readonly sectionIds: readonly string[]
  readonly bulletCount: number
  readonly #data: PostData
  readonly #bodyStart: number

  constructor(data: PostData, packed: PackedPost) {
    const meta = packed.meta
    this.#data = data
    this.#bodyStart = packed.bodyStart
    this.id = data.postId
    this.slug = meta.slug
    this.title = meta.title
    this.date = meta.date
    this.dateTime = meta.dateTime
    this.tags = meta.tags
    this.categories = meta.categories
    this.excerptMarkdown = meta.excerptMarkdown
    this.excerptText = meta.excerptText
    this.frontMatter = meta.frontMatter
    this.wordCount = meta.wordCount
    this.contentHash = meta.contentHash
    this.draft = meta.draft
    this.talkIds = data.talks.map((talk) => talk.id)
    this.sectionIds = data.sections.filter((section) => section.talkId === null).map((s) => s.id)
    this.bulletCount = data.bulletCount
  }

  get body(): string {
    return this.#data.text.slice(this.#bodyStart)
  }

  get bulletIds(): readonly string[] {
    return this.#data.bulletIds([0, this.bulletCount])
  }

  get source(): SourceLocation {
    const end = this.#data.position(this.#data.text.length)
    return located(this.#data.path, 1, 1, end.line, end.column)
  }

  toJSON(): Post {
    return {
      ...this,
      body: this.body,
      bulletIds: this.bulletIds,
      source: this.source,
    } as Post
  }
}

/** A talk record. */
export class TalkRecord implements Talk {
  readonly id: string
  readonly index: number
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
  readonly heading: string
  readonly group: TalkGroup | null
  readonly #data: PostData
  readonly #line: number
  readonly #column: number
  readonly #start: number
  readonly #end: number
  readonly #bullets: readonly [number, number]

  constructor(data: PostData, index: number, packed: PackedTalk) {
    this.#data = data
    this.#line = packed.line
    this.#column = packed.column
    this.#start = packed.start
    this.#end = packed.end
    this.#bullets = [packed.bullets[0], packed.bullets[1]]
    this.id = toGlobalId('Talk', `${data.path}#${index}`)
    this.index = index
    this.number = packed.number
    this.title = packed.title
    this.speaker = packed.speaker
    this.heading = packed.heading
    this.group = packed.group
    this.#sections = [packed.sections[0], packed.sections[1]]
  }

  readonly #sections: readonly [number, number]

  get sectionIds(): readonly string[] {
    return this.#data.sections.slice(this.#sections[0], this.#sections[1]).map((s) => s.id)
  }

  get postId(): string {
    return this.#data.postId
  }

  get bulletIds(): readonly string[] {
    return this.#data.bulletIds(this.#bullets)
  }

  get bulletCount(): number {
    return this.#bullets[1] - this.#bullets[0]
  }

  get hasNotes(): boolean {
    return this.bulletCount > 0
  }

  get markdown(): string {
    // Leading blank lines go, but not the first line's indent: it decides
    // how the lines under it parse (a list item's indented code, say).
    return this.#data.text.slice(this.#start, this.#end).replace(leadingBlankLines, '')
  }

  get source(): SourceLocation {
    const end = this.#data.position(this.#end)
    return located(this.#data.path, this.#line, this.#column, end.line, end.column)
  }

  toJSON(): Talk {
    return {
      ...this,
      postId: this.postId,
      sectionIds: this.sectionIds,
      bulletIds: this.bulletIds,
      bulletCount: this.bulletCount,
      hasNotes: this.hasNotes,
      markdown: this.markdown,
      source: this.source,
    } as Talk
  }
}

const leadingBlankLines = /^(?:[ \t]*\r?\n)+/

/** A section record. */
export class SectionRecord implements Section {
  readonly id: string
  readonly talkId: string | null
  readonly title: string
  readonly depth: number
  readonly #data: PostData
  readonly #source: readonly [number, number, number, number]
  readonly #bullets: readonly [number, number]

  constructor(data: PostData, index: number, packed: PackedSection) {
    this.#data = data
    this.#source = [packed.line, packed.column, packed.endLine, packed.endColumn]
    this.#bullets = [packed.bullets[0], packed.bullets[1]]
    this.id = toGlobalId('Section', `${data.path}#${index}`)
    this.talkId = data.talks[packed.talk]?.id ?? null
    this.title = packed.title
    this.depth = packed.depth
  }

  get postId(): string {
    return this.#data.postId
  }

  get bulletIds(): readonly string[] {
    return this.#data.bulletIds(this.#bullets)
  }

  get source(): SourceLocation {
    const [line, column, endLine, endColumn] = this.#source
    return located(this.#data.path, line, column, endLine, endColumn)
  }

  toJSON(): Section {
    return { ...this, postId: this.postId, bulletIds: this.bulletIds, source: this.source }
  }
}

/**
 * A bullet: a view of one row of its post's columns, made when asked for
 * (bullets are many; their post keeps only the numbers and texts).
 */
export class BulletRecord implements Bullet {
  readonly #data: PostData
  readonly #index: number

  constructor(data: PostData, index: number) {
    this.#data = data
    this.#index = index
  }

  #column(field: BulletField): number {
    return this.#data.bulletColumn(this.#index, field)
  }

  get id(): string {
    return this.#data.bulletId(this.#index)
  }

  get postId(): string {
    return this.#data.postId
  }

  get talkId(): string | null {
    return this.#data.talks[this.#column('talk')]?.id ?? null
  }

  get sectionId(): string | null {
    return this.#data.sections[this.#column('section')]?.id ?? null
  }

  get parentId(): string | null {
    const parent = this.#column('parent')
    return parent < 0 ? null : this.#data.bulletId(parent)
  }

  get childIds(): readonly string[] {
    // A bullet's descendants follow it; the first bullet whose parent comes
    // before it ends them.
    const data = this.#data
    const ids: string[] = []
    for (let next = this.#index + 1; next < data.bulletCount; next++) {
      const parent = data.bulletColumn(next, 'parent')
      if (parent < this.#index) break
      if (parent === this.#index) ids.push(data.bulletId(next))
    }
    return ids
  }

  get kind(): BulletKind {
    return bulletKinds[this.#column('kind')] ?? 'paragraph'
  }

  get depth(): number {
    return this.#column('depth')
  }

  get text(): string {
    const data = this.#data
    const own = data.bulletTexts[this.#index]
    if (own != null) return own
    const start = this.#column('textStart')
    const end = this.#column('textEnd')
    if (start >= 0) return data.text.slice(start, end)
    // Runs of the source: `end` of them, from run `-2 - start`.
    let text = ''
    for (let run = -2 - start; run < -2 - start + end; run++) {
      const from = data.textRuns[run * 2] as number
      const to = data.textRuns[run * 2 + 1] as number
      text += from >= 0 ? data.text.slice(from, to) : String.fromCharCode(-1 - from)
    }
    return text
  }

  get emphasis(): readonly string[] {
    return this.#data.emphasis.get(this.#index) ?? none
  }

  get links(): readonly Link[] {
    return this.#data.links.get(this.#index) ?? none
  }

  get markdown(): string {
    const start = this.#column('start')
    const source = this.#data.text.slice(start, this.#column('end'))
    const column = this.#data.position(start).column
    // Continuation lines are indented to the content's column in the file;
    // without that indent the Markdown stands on its own.
    return column > 1 ? source.replace(new RegExp(`\n[ \t]{0,${column - 1}}`, 'g'), '\n') : source
  }

  get source(): SourceLocation {
    return this.#data.location(this.#column('start'), this.#column('end'))
  }

  toJSON(): Bullet {
    return {
      id: this.id,
      postId: this.postId,
      talkId: this.talkId,
      sectionId: this.sectionId,
      parentId: this.parentId,
      childIds: this.childIds,
      kind: this.kind,
      depth: this.depth,
      text: this.text,
      markdown: this.markdown,
      emphasis: this.emphasis,
      links: this.links,
      source: this.source,
    }
  }
}

/** A mention: a view of one row of its post's columns, made when asked for. */
export class MentionRecord implements Mention {
  readonly #data: PostData
  readonly #index: number

  constructor(data: PostData, index: number) {
    this.#data = data
    this.#index = index
  }

  #column(field: MentionField): number {
    return this.#data.mentionColumn(this.#index, field)
  }

  get id(): string {
    return toGlobalId('Mention', `${this.#data.path}#${this.#index}`)
  }

  get technologyId(): string {
    return this.#data.technologyIds[this.#column('technology')] ?? ''
  }

  get kind(): MentionKind {
    return mentionKinds[this.#column('kind')] ?? 'catalog'
  }

  get target(): MentionTarget {
    return mentionTargets[this.#column('target')] ?? 'bullet'
  }

  get text(): string {
    return (
      this.#data.mentionTexts.get(this.#index) ??
      this.#data.text.slice(this.#column('start'), this.#column('end'))
    )
  }

  get postId(): string {
    return this.#data.postId
  }

  get talkId(): string | null {
    return this.#data.talks[this.#column('talk')]?.id ?? null
  }

  get targetId(): string {
    const data = this.#data
    const index = this.#column('targetIndex')
    switch (this.target) {
      case 'talk':
        return data.talks[index]?.id ?? ''
      case 'section':
        return data.sections[index]?.id ?? ''
      default:
        return data.bulletId(index)
    }
  }

  get source(): SourceLocation {
    return this.#data.location(this.#column('start'), this.#column('end'))
  }

  toJSON(): Mention {
    return {
      id: this.id,
      technologyId: this.technologyId,
      kind: this.kind,
      text: this.text,
      postId: this.postId,
      talkId: this.talkId,
      target: this.target,
      targetId: this.targetId,
      source: this.source,
    }
  }
}

/**
 * Make the records of a packed post.
 *
 * @param packed
 *   A post from the reader, a worker or the cache.
 * @returns
 *   Its records.
 */
export function unpackPost(packed: PackedPost): ExtractedPost {
  return new PostData(packed)
}

/**
 * Make the records of a packed result.
 *
 * @param result
 *   A result from the reader, a worker or the cache.
 * @returns
 *   The result with records.
 */
export function unpackResult(result: PackedResult): ExtractResult {
  return {
    post: result.post ? unpackPost(result.post) : undefined,
    problems: result.problems,
  }
}
