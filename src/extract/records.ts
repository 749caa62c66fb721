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
import { toGlobalId } from '../graph/ids.ts'
import type {
  Bullet,
  BulletKind,
  Link,
  Mention,
  MentionKind,
  MentionTarget,
  Post,
  Problem,
  Section,
  SourceLocation,
  Talk,
} from '../graph/model.ts'
import { createLineIndex, type LineIndex } from '../parse/markdown.ts'
import type { TalkRule } from './talks.ts'

/** A technology as a mention names it, before the graph gives it a node. */
export interface TechnologyRef {
  readonly slug: string
  readonly name: string
  readonly inCatalog: boolean
}

/** Everything read from one post: its records, ids already assigned. */
export interface ExtractedPost {
  readonly post: Post
  readonly talks: readonly Talk[]
  readonly sections: readonly Section[]
  readonly bullets: readonly Bullet[]
  readonly mentions: readonly Mention[]
  /** The technologies the mentions name, once each, in order of first mention. */
  readonly technologies: readonly TechnologyRef[]
  /** Which rule found the talks. */
  readonly talkRule: TalkRule
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
}

/** A talk in packed form. Offsets index the post's `text`. */
export interface PackedTalk {
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
  readonly heading: string
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
  readonly technologies: readonly TechnologyRef[]
  readonly talks: readonly PackedTalk[]
  readonly sections: readonly PackedSection[]
  /** `bulletFields` numbers per bullet; see `BulletField`. */
  readonly bullets: Int32Array
  /** Each bullet's text, or null when it is `text` at the packed offsets. */
  readonly bulletTexts: readonly (string | null)[]
  readonly emphasis: readonly (readonly [number, readonly string[]])[]
  readonly links: readonly (readonly [number, readonly Link[]])[]
  /** `mentionFields` numbers per mention; see `MentionField`. */
  readonly mentions: Int32Array
  /** Mention texts that are not `text` at their offsets, by mention index. */
  readonly mentionTexts: readonly (readonly [number, string])[]
}

/** Positions of a bullet's numbers in `PackedPost.bullets`. */
export const BulletField = {
  kind: 0,
  depth: 1,
  start: 2,
  end: 3,
  parent: 4,
  talk: 5,
  section: 6,
  textStart: 7,
  textEnd: 8,
} as const
export const bulletFields = 9

/** Positions of a mention's numbers in `PackedPost.mentions`. */
export const MentionField = {
  kind: 0,
  target: 1,
  targetIndex: 2,
  talk: 3,
  start: 4,
  end: 5,
  technology: 6,
} as const
export const mentionFields = 7

export const bulletKinds: readonly BulletKind[] = [
  'item',
  'paragraph',
  'quote',
  'code',
  'html',
  'table',
]
export const mentionKinds: readonly MentionKind[] = ['code-span', 'catalog', 'heading']
export const mentionTargets: readonly MentionTarget[] = ['talk', 'section', 'bullet']

const none: readonly never[] = Object.freeze([])

/** What the records of one post share. */
class PostData {
  readonly path: string
  readonly postId: string
  readonly text: string
  readonly talks: TalkRecord[] = []
  readonly sections: SectionRecord[] = []
  readonly bullets: BulletRecord[] = []
  private lineIndex: LineIndex | undefined

  constructor(path: string, text: string) {
    this.path = path
    this.postId = toGlobalId('Post', path)
    this.text = text
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
    this.talkIds = data.talks.map((talk) => talk.id)
    this.sectionIds = data.sections.filter((section) => section.talkId === null).map((s) => s.id)
    this.bulletCount = data.bullets.length
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
  readonly sectionIds: readonly string[]
  readonly #data: PostData
  readonly #packed: PackedTalk

  constructor(data: PostData, index: number, packed: PackedTalk) {
    this.#data = data
    this.#packed = packed
    this.id = toGlobalId('Talk', `${data.path}#${index}`)
    this.index = index
    this.number = packed.number
    this.title = packed.title
    this.speaker = packed.speaker
    this.heading = packed.heading
    const [from, to] = packed.sections
    const ids: string[] = []
    for (let section = from; section < to; section++) {
      ids.push(toGlobalId('Section', `${data.path}#${section}`))
    }
    this.sectionIds = ids
  }

  get postId(): string {
    return this.#data.postId
  }

  get bulletIds(): readonly string[] {
    return this.#data.bulletIds(this.#packed.bullets)
  }

  get bulletCount(): number {
    return this.#packed.bullets[1] - this.#packed.bullets[0]
  }

  get hasNotes(): boolean {
    return this.bulletCount > 0
  }

  get markdown(): string {
    // Leading blank lines go, but not the first line's indent: it decides
    // how the lines under it parse (a list item's indented code, say).
    return this.#data.text
      .slice(this.#packed.start, this.#packed.end)
      .replace(leadingBlankLines, '')
  }

  get source(): SourceLocation {
    const end = this.#data.position(this.#packed.end)
    return located(this.#data.path, this.#packed.line, this.#packed.column, end.line, end.column)
  }

  toJSON(): Talk {
    return {
      ...this,
      postId: this.postId,
      bulletIds: this.bulletIds,
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
  readonly #packed: PackedSection

  constructor(data: PostData, index: number, packed: PackedSection) {
    this.#data = data
    this.#packed = packed
    this.id = toGlobalId('Section', `${data.path}#${index}`)
    this.talkId = data.talks[packed.talk]?.id ?? null
    this.title = packed.title
    this.depth = packed.depth
  }

  get postId(): string {
    return this.#data.postId
  }

  get bulletIds(): readonly string[] {
    return this.#data.bulletIds(this.#packed.bullets)
  }

  get source(): SourceLocation {
    const packed = this.#packed
    return located(this.#data.path, packed.line, packed.column, packed.endLine, packed.endColumn)
  }

  toJSON(): Section {
    return { ...this, postId: this.postId, bulletIds: this.bulletIds, source: this.source }
  }
}

/** A bullet record: numbers into its post, the text, and what little else it has. */
export class BulletRecord implements Bullet {
  readonly kind: BulletKind
  readonly depth: number
  readonly text: string
  readonly emphasis: readonly string[]
  readonly links: readonly Link[]
  readonly #data: PostData
  readonly #index: number
  readonly #start: number
  readonly #end: number
  readonly #parent: number
  readonly #talk: number
  readonly #section: number
  #children: number[] | undefined

  constructor(data: PostData, index: number, fields: Int32Array, text: string) {
    const at = index * bulletFields
    this.#data = data
    this.#index = index
    this.kind = bulletKinds[fields[at + BulletField.kind] as number] ?? 'paragraph'
    this.depth = fields[at + BulletField.depth] as number
    this.#start = fields[at + BulletField.start] as number
    this.#end = fields[at + BulletField.end] as number
    this.#parent = fields[at + BulletField.parent] as number
    this.#talk = fields[at + BulletField.talk] as number
    this.#section = fields[at + BulletField.section] as number
    this.text = text
    this.emphasis = none
    this.links = none
  }

  get id(): string {
    return this.#data.bulletId(this.#index)
  }

  get postId(): string {
    return this.#data.postId
  }

  get talkId(): string | null {
    return this.#data.talks[this.#talk]?.id ?? null
  }

  get sectionId(): string | null {
    return this.#data.sections[this.#section]?.id ?? null
  }

  get parentId(): string | null {
    return this.#parent < 0 ? null : this.#data.bulletId(this.#parent)
  }

  get childIds(): readonly string[] {
    return (this.#children ?? none).map((child) => this.#data.bulletId(child))
  }

  /** Record a nested bullet (while unpacking). */
  addChild(index: number): void {
    this.#children ??= []
    this.#children.push(index)
  }

  get markdown(): string {
    const source = this.#data.text.slice(this.#start, this.#end)
    const column = this.#data.position(this.#start).column
    // Continuation lines are indented to the content's column in the file;
    // without that indent the Markdown stands on its own.
    return column > 1 ? source.replace(new RegExp(`\n[ \t]{0,${column - 1}}`, 'g'), '\n') : source
  }

  get source(): SourceLocation {
    return this.#data.location(this.#start, this.#end)
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

/** A mention record. */
export class MentionRecord implements Mention {
  readonly kind: MentionKind
  readonly target: MentionTarget
  readonly technologyId: string
  readonly text: string
  readonly #data: PostData
  readonly #index: number
  readonly #targetIndex: number
  readonly #talk: number
  readonly #start: number
  readonly #end: number

  constructor(
    data: PostData,
    index: number,
    fields: Int32Array,
    technologyId: string,
    text: string,
  ) {
    const at = index * mentionFields
    this.#data = data
    this.#index = index
    this.kind = mentionKinds[fields[at + MentionField.kind] as number] ?? 'catalog'
    this.target = mentionTargets[fields[at + MentionField.target] as number] ?? 'bullet'
    this.#targetIndex = fields[at + MentionField.targetIndex] as number
    this.#talk = fields[at + MentionField.talk] as number
    this.#start = fields[at + MentionField.start] as number
    this.#end = fields[at + MentionField.end] as number
    this.technologyId = technologyId
    this.text = text
  }

  get id(): string {
    return toGlobalId('Mention', `${this.#data.path}#${this.#index}`)
  }

  get postId(): string {
    return this.#data.postId
  }

  get talkId(): string | null {
    return this.#data.talks[this.#talk]?.id ?? null
  }

  get targetId(): string {
    const data = this.#data
    switch (this.target) {
      case 'talk':
        return data.talks[this.#targetIndex]?.id ?? ''
      case 'section':
        return data.sections[this.#targetIndex]?.id ?? ''
      default:
        return data.bulletId(this.#targetIndex)
    }
  }

  get source(): SourceLocation {
    return this.#data.location(this.#start, this.#end)
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

// Technology ids and short mention texts repeat across posts: one string each.
const technologyIds = new Map<string, string>()
const technologyId = (slug: string): string => {
  let id = technologyIds.get(slug)
  if (id === undefined) {
    id = toGlobalId('Technology', slug)
    technologyIds.set(slug, id)
  }
  return id
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
  const data = new PostData(packed.path, packed.text)
  const text = packed.text
  packed.talks.forEach((talk, index) => {
    data.talks.push(new TalkRecord(data, index, talk))
  })
  packed.sections.forEach((section, index) => {
    data.sections.push(new SectionRecord(data, index, section))
  })

  const fields = packed.bullets
  const count = fields.length / bulletFields
  for (let index = 0; index < count; index++) {
    const at = index * bulletFields
    const own = packed.bulletTexts[index]
    const bulletText =
      own ??
      text.slice(
        fields[at + BulletField.textStart] as number,
        fields[at + BulletField.textEnd] as number,
      )
    const bullet = new BulletRecord(data, index, fields, bulletText)
    data.bullets.push(bullet)
    const parent = fields[at + BulletField.parent] as number
    if (parent >= 0) data.bullets[parent]?.addChild(index)
  }
  for (const [index, list] of packed.emphasis) {
    const bullet = data.bullets[index]
    if (bullet) (bullet as { emphasis: readonly string[] }).emphasis = list
  }
  for (const [index, list] of packed.links) {
    const bullet = data.bullets[index]
    if (bullet) (bullet as { links: readonly Link[] }).links = list
  }

  const technologies = packed.technologies.map((ref) => technologyId(ref.slug))
  const ownTexts = new Map(packed.mentionTexts)
  const names = new Map<string, string>()
  const mentions: MentionRecord[] = []
  const mentionData = packed.mentions
  const mentionCount = mentionData.length / mentionFields
  for (let index = 0; index < mentionCount; index++) {
    const at = index * mentionFields
    const written =
      ownTexts.get(index) ??
      text.slice(
        mentionData[at + MentionField.start] as number,
        mentionData[at + MentionField.end] as number,
      )
    let name = names.get(written)
    if (name === undefined) {
      name = written
      names.set(written, written)
    }
    const id = technologies[mentionData[at + MentionField.technology] as number] ?? ''
    mentions.push(new MentionRecord(data, index, mentionData, id, name))
  }

  return {
    post: new PostRecord(data, packed),
    talks: data.talks,
    sections: data.sections,
    bullets: data.bullets,
    mentions,
    technologies: packed.technologies,
    talkRule: packed.talkRule,
  }
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
