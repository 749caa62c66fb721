import { createHash } from 'node:crypto'
import type { Heading, List, ListItem, Nodes, Root, RootContent } from 'mdast'
import type { Catalog } from '../catalog/catalog.ts'
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
import { FrontMatterError, parseFrontMatter } from '../parse/front-matter.ts'
import { createLineIndex, type LineIndex, parseMarkdown } from '../parse/markdown.ts'
import { limitNesting } from '../parse/nesting.ts'
import { technologiesInCodeSpan } from './code-span.ts'
import { fileBaseName, type MetaProblem, readDate, readList, readSlug, scalarText } from './meta.ts'
import { collapse, htmlText, plainText } from './plain-text.ts'
import { parseTalkTitle, segmentTalks, type TalkRule } from './talks.ts'

/** A content file to read. */
export interface ContentFile {
  /** Path relative to the content folder, with `/` separators. */
  readonly path: string
  readonly text: string
}

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

/** Options for `extractPost`. */
export interface ExtractOptions {
  /** Catalog that names technologies in plain text and resolves code spans. */
  readonly catalog: Catalog
}

const moreSeparators = ['<!--more-->', '<!-- more -->']

/** Deepest block nesting read as written; deeper markers are flattened. */
const maxNesting = 100
const leadingBlankLines = /^(?:[ \t]*\r?\n)+/

/**
 * Read one Markdown post into records: the post, its talks, sections,
 * bullets (list items and notes) and technology mentions.
 *
 * Never throws for bad content: a front matter error gives an `error`
 * problem and no post; smaller issues give `warning` problems.
 *
 * @param file
 *   The file's relative path and text.
 * @param options
 *   Catalog to use.
 * @returns
 *   The post (unless an error stopped it) and the problems found.
 */
export function extractPost(file: ContentFile, options: ExtractOptions): ExtractResult {
  const problems: Problem[] = []
  const problem = (
    severity: Problem['severity'],
    code: string,
    message: string,
    line = 1,
    column = 1,
  ) => {
    problems.push({ path: file.path, line, column, severity, code, message })
  }

  const text = file.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  let frontMatter: ReturnType<typeof parseFrontMatter>
  try {
    frontMatter = parseFrontMatter(text)
  } catch (error) {
    if (error instanceof FrontMatterError) {
      problem('error', error.code, error.message, error.line, error.column)
      return { post: undefined, problems }
    }
    throw error
  }

  const nesting = limitNesting(frontMatter.body, maxNesting)
  const [firstCut] = nesting.cuts
  if (firstCut) {
    const more = nesting.cuts.length > 1 ? ` (and ${nesting.cuts.length - 1} more lines)` : ''
    problem(
      'warning',
      'nesting-too-deep',
      `Quotes or lists nest ${firstCut.depth} levels deep${more}; kept the text at level ${maxNesting}`,
      firstCut.line,
      firstCut.column,
    )
  }
  const reader = new PostReader(file.path, text, nesting.text, frontMatter.data, options)
  const metaProblems: MetaProblem[] = []
  let extracted: ExtractedPost
  try {
    extracted = reader.read(metaProblems)
  } catch (error) {
    // Inline markup nested thousands deep (`*a *a *a …`) still overflows the
    // parser's recursion; the post is refused rather than the process.
    if (error instanceof RangeError) {
      problem('error', 'nesting-too-deep', 'Markdown nests too deeply to read (inline markup)')
      return { post: undefined, problems }
    }
    throw error
  }
  for (const meta of metaProblems) {
    const line = keyLine(frontMatter.raw, meta.key)
    problem('warning', meta.code, meta.message, line ? frontMatter.startLine + line - 1 : 1)
  }
  for (const found of reader.problems) problems.push(found)
  if (!extracted.post.date) {
    problem(
      'warning',
      'missing-date',
      'No date: add `date` to the front matter or a YYYY-MM-DD- prefix to the file name',
    )
  }
  return { post: extracted, problems }
}

interface TalkBuilder {
  readonly id: string
  readonly index: number
  readonly depth: number
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
  readonly heading: string
  readonly startOffset: number
  readonly start: { line: number; column: number }
  endOffset: number
  readonly sectionIds: string[]
  readonly bulletIds: string[]
}

interface SectionBuilder {
  readonly id: string
  readonly talk: TalkBuilder | null
  readonly title: string
  readonly depth: number
  readonly start: { line: number; column: number }
  end: { line: number; column: number }
  readonly bulletIds: string[]
}

interface BulletBuilder {
  readonly id: string
  readonly parentId: string | null
  readonly childIds: string[]
  readonly kind: BulletKind
  readonly depth: number
  readonly text: string
  readonly markdown: string
  readonly emphasis: string[]
  readonly links: Link[]
  readonly source: SourceLocation
  readonly talkId: string | null
  readonly sectionId: string | null
}

/** Reads one post; holds the per-file state of the walk. */
class PostReader {
  readonly problems: Problem[] = []
  private readonly lines: LineIndex
  private readonly postId: string
  private readonly talks: TalkBuilder[] = []
  private readonly sections: SectionBuilder[] = []
  private readonly bullets: BulletBuilder[] = []
  private readonly bulletsById = new Map<string, BulletBuilder>()
  private readonly mentions: Mention[] = []
  private readonly technologies = new Map<string, TechnologyRef>()
  private talk: TalkBuilder | null = null
  private section: SectionBuilder | null = null

  constructor(
    private readonly path: string,
    private readonly fileText: string,
    private readonly body: string,
    private readonly data: Record<string, unknown>,
    private readonly options: ExtractOptions,
  ) {
    this.lines = createLineIndex(body)
    this.postId = toGlobalId('Post', path)
  }

  read(metaProblems: MetaProblem[]): ExtractedPost {
    const tree = parseMarkdown(this.body)
    const headingNodes = tree.children.filter((node): node is Heading => node.type === 'heading')
    const headingTexts = headingNodes.map((node) => collapse(plainText(node)))
    const firstH1 = headingNodes.findIndex((node) => node.depth === 1)
    const givenTitle = scalarText(this.data.title)
    const title =
      givenTitle ?? (firstH1 === -1 ? undefined : headingTexts[firstH1]) ?? fileBaseName(this.path)
    if (!givenTitle && firstH1 === -1) {
      this.problem(
        'warning',
        'missing-title',
        `No title: add \`title\` to the front matter or an H1; using the file name "${title}"`,
        1,
        1,
      )
    }

    const segmentation = segmentTalks(
      headingNodes.map((node, index) => ({ depth: node.depth, text: headingTexts[index] ?? '' })),
      title,
      talkDepth(this.data),
    )

    if (segmentation.rule === 'whole-post') {
      this.talk = this.startTalk(
        { number: null, title, speaker: null },
        title,
        0,
        { line: firstContentLine(tree), column: 1 },
        0,
      )
    }

    let headingIndex = -1
    for (const node of tree.children) {
      if (node.type === 'heading') {
        headingIndex++
        this.heading(node, headingIndex, headingTexts[headingIndex] ?? '', segmentation)
        continue
      }
      this.block(node, 0, null)
    }
    if (this.talk) this.talk.endOffset = this.body.length

    return this.finish(tree, title, metaProblems, segmentation.rule)
  }

  private heading(
    node: Heading,
    index: number,
    text: string,
    segmentation: ReturnType<typeof segmentTalks>,
  ) {
    const start = this.point(node, 'start')
    const offset = node.position?.start.offset ?? 0
    if (index === segmentation.titleHeading) {
      // The title heading belongs to the post; it ends any talk before it
      // (unless the whole post is one talk, which it then titles).
      if (segmentation.rule !== 'whole-post') {
        if (this.talk) this.talk.endOffset = offset
        this.talk = null
        this.section = null
      }
      return
    }
    if (segmentation.talkHeadings.has(index)) {
      if (this.talk) this.talk.endOffset = offset
      if (text === '') {
        this.problem(
          'warning',
          'empty-heading',
          'Talk heading has no text',
          start.line,
          start.column,
        )
      }
      const parsed = parseTalkTitle(text)
      this.talk = this.startTalk(parsed, text, node.depth, start, offset)
      this.section = null
      this.headingMentions(node, 'talk', this.talk.id)
      return
    }
    if (this.talk && (node.depth > this.talk.depth || segmentation.rule === 'whole-post')) {
      this.section = this.startSection(node, text, this.talk)
      this.headingMentions(node, 'section', this.section.id)
      return
    }
    if (this.talk) this.talk.endOffset = offset
    this.talk = null
    this.section = this.startSection(node, text, null)
    this.headingMentions(node, 'section', this.section.id)
  }

  private startTalk(
    parsed: { number: number | null; title: string; speaker: string | null },
    heading: string,
    depth: number,
    start: { line: number; column: number },
    offset: number,
  ): TalkBuilder {
    const index = this.talks.length
    const talk: TalkBuilder = {
      id: toGlobalId('Talk', `${this.path}#${index}`),
      index,
      depth,
      number: parsed.number,
      title: parsed.title,
      speaker: parsed.speaker,
      heading,
      startOffset: offset,
      start,
      endOffset: offset,
      sectionIds: [],
      bulletIds: [],
    }
    this.talks.push(talk)
    return talk
  }

  private startSection(node: Heading, title: string, talk: TalkBuilder | null): SectionBuilder {
    const section: SectionBuilder = {
      id: toGlobalId('Section', `${this.path}#${this.sections.length}`),
      talk,
      title,
      depth: node.depth,
      start: this.point(node, 'start'),
      end: this.point(node, 'end'),
      bulletIds: [],
    }
    this.sections.push(section)
    talk?.sectionIds.push(section.id)
    return section
  }

  /** Read a block into bullets: lists item by item, anything else as one note. */
  private block(node: RootContent, depth: number, parentId: string | null) {
    switch (node.type) {
      case 'list':
        this.list(node, depth, parentId)
        return
      case 'thematicBreak':
      case 'definition':
      case 'yaml':
        return
      case 'heading':
        // A heading inside a list item or quote is a note of its own.
        this.note('paragraph', node, depth, parentId)
        return
      case 'blockquote':
        this.note('quote', node, depth, parentId)
        return
      case 'code':
        this.note('code', node, depth, parentId)
        return
      case 'html':
        this.note('html', node, depth, parentId)
        return
      case 'table':
        this.note('table', node, depth, parentId)
        return
      default:
        this.note('paragraph', node, depth, parentId)
    }
  }

  private list(node: List, depth: number, parentId: string | null) {
    for (const item of node.children) this.item(item, depth, parentId)
  }

  private item(item: ListItem, depth: number, parentId: string | null) {
    const own = item.children.filter((child) => child.type !== 'list')
    const nested = item.children.filter((child): child is List => child.type === 'list')
    const text = own
      .map((child) => plainText(child))
      .join('\n')
      .trim()
    if (text === '') {
      // An empty item (`-` alone) is dropped; its nested items move up to its place.
      for (const list of nested) this.list(list, depth, parentId)
      return
    }
    const firstNested = nested[0]
    const endNode = own[own.length - 1] ?? item
    const bullet = this.addBullet({
      kind: 'item',
      depth,
      parentId,
      text,
      // The item's own content, after its list marker.
      startNode: own[0] ?? item,
      endNode,
      endOffset: firstNested?.position?.start.offset,
      content: own,
    })
    for (const list of nested) this.list(list, depth + 1, bullet.id)
  }

  private note(kind: BulletKind, node: RootContent, depth: number, parentId: string | null) {
    const text = (
      kind === 'html' && node.type === 'html' ? htmlText(node.value) : plainText(node)
    ).replace(/^\n+|\s+$/g, '')
    if (collapse(text) === '') return
    this.addBullet({
      kind,
      depth,
      parentId,
      text,
      startNode: node,
      endNode: node,
      endOffset: undefined,
      content: kind === 'code' || kind === 'html' ? [] : [node],
    })
  }

  private addBullet(input: {
    kind: BulletKind
    depth: number
    parentId: string | null
    text: string
    startNode: Nodes
    endNode: Nodes
    endOffset: number | undefined
    content: readonly Nodes[]
  }): BulletBuilder {
    const startOffset = input.startNode.position?.start.offset ?? 0
    const endOffset = input.endOffset ?? input.endNode.position?.end.offset ?? startOffset
    const source = this.body.slice(startOffset, endOffset).replace(/\s+$/, '')
    const start = this.lines.position(startOffset)
    const end = this.lines.position(startOffset + source.length)
    // Continuation lines are indented to the content's column in the file;
    // without that indent the Markdown stands on its own.
    const indent = new RegExp(`\n[ \t]{0,${start.column - 1}}`, 'g')
    const markdown = start.column > 1 ? source.replace(indent, '\n') : source
    const bullet: BulletBuilder = {
      id: toGlobalId('Bullet', `${this.path}#${this.bullets.length}`),
      parentId: input.parentId,
      childIds: [],
      kind: input.kind,
      depth: input.depth,
      text: input.text,
      markdown,
      emphasis: [],
      links: [],
      source: this.location(start, end),
      talkId: this.talk?.id ?? null,
      sectionId: this.section?.id ?? null,
    }
    this.bullets.push(bullet)
    this.bulletsById.set(bullet.id, bullet)
    if (input.parentId) this.bulletsById.get(input.parentId)?.childIds.push(bullet.id)
    this.talk?.bulletIds.push(bullet.id)
    this.section?.bulletIds.push(bullet.id)
    if (this.section) this.section.end = end
    for (const node of input.content) this.inline(node, bullet)
    return bullet
  }

  /** Collect emphasis, links and technology mentions inside a bullet's own content. */
  private inline(node: Nodes, bullet: BulletBuilder) {
    switch (node.type) {
      case 'list':
        if (bullet.kind === 'item') return
        break
      case 'strong':
      case 'emphasis': {
        const text = collapse(plainText(node))
        if (text) bullet.emphasis.push(text)
        break
      }
      case 'link': {
        bullet.links.push({ url: node.url, text: collapse(plainText(node)) })
        break
      }
      case 'inlineCode':
        this.codeSpanMentions(node.value, node, 'bullet', bullet.id, 'code-span')
        return
      case 'text':
        this.textMentions(node.value, node, 'bullet', bullet.id, 'catalog')
        return
      case 'code':
      case 'html':
        return
      default:
        break
    }
    if ('children' in node) for (const child of node.children as Nodes[]) this.inline(child, bullet)
  }

  private headingMentions(node: Heading, target: MentionTarget, targetId: string) {
    const visit = (child: Nodes) => {
      if (child.type === 'inlineCode') {
        this.codeSpanMentions(child.value, child, target, targetId, 'heading')
      } else if (child.type === 'text') {
        this.textMentions(child.value, child, target, targetId, 'heading')
      } else if ('children' in child) {
        for (const grandchild of child.children as Nodes[]) visit(grandchild)
      }
    }
    visit(node)
  }

  private codeSpanMentions(
    value: string,
    node: Nodes,
    target: MentionTarget,
    targetId: string,
    kind: MentionKind,
  ) {
    const start = node.position?.start.offset ?? 0
    const end = node.position?.end.offset ?? start
    for (const named of technologiesInCodeSpan(value, this.options.catalog)) {
      const inside = this.body.indexOf(named.text, start)
      const offset = inside !== -1 && inside < end ? inside : start
      this.mention(
        { slug: named.slug, name: named.name, inCatalog: named.entry !== undefined },
        kind,
        named.text,
        target,
        targetId,
        offset,
        named.text.length,
      )
    }
  }

  private textMentions(
    value: string,
    node: Nodes,
    target: MentionTarget,
    targetId: string,
    kind: MentionKind,
  ) {
    const base = node.position?.start.offset ?? 0
    // Offsets inside a text node match the source unless escapes or entities
    // were decoded; then the position points at the start of the node.
    const exact = this.body.slice(base, node.position?.end.offset ?? base) === value
    for (const match of this.options.catalog.matchText(value)) {
      this.mention(
        { slug: match.entry.slug, name: match.entry.name, inCatalog: true },
        kind,
        match.text,
        target,
        targetId,
        exact ? base + match.start : base,
        match.text.length,
      )
    }
  }

  private mention(
    technology: TechnologyRef,
    kind: MentionKind,
    text: string,
    target: MentionTarget,
    targetId: string,
    offset: number,
    length: number,
  ) {
    if (!this.technologies.has(technology.slug)) this.technologies.set(technology.slug, technology)
    this.mentions.push({
      id: toGlobalId('Mention', `${this.path}#${this.mentions.length}`),
      technologyId: toGlobalId('Technology', technology.slug),
      kind,
      text,
      postId: this.postId,
      talkId: this.talk?.id ?? null,
      target,
      targetId,
      source: this.location(this.lines.position(offset), this.lines.position(offset + length)),
    })
  }

  private finish(
    tree: Root,
    title: string,
    metaProblems: MetaProblem[],
    rule: TalkRule,
  ): ExtractedPost {
    const date = readDate(this.data, this.path, metaProblems)
    const excerpt = this.excerpt(tree)
    const bullets: Bullet[] = this.bullets.map((bullet) => ({
      id: bullet.id,
      postId: this.postId,
      talkId: bullet.talkId,
      sectionId: bullet.sectionId,
      parentId: bullet.parentId,
      childIds: bullet.childIds,
      kind: bullet.kind,
      depth: bullet.depth,
      text: bullet.text,
      markdown: bullet.markdown,
      emphasis: bullet.emphasis,
      links: bullet.links,
      source: bullet.source,
    }))
    const talks: Talk[] = this.talks.map((talk) => {
      // Leading blank lines go, but not the first line's indent: it decides
      // how the lines under it parse (a list item's indented code, say).
      const slice = this.body.slice(talk.startOffset, talk.endOffset).trimEnd()
      const markdown = slice.replace(leadingBlankLines, '')
      const endOffset = talk.startOffset + slice.length
      return {
        id: talk.id,
        postId: this.postId,
        index: talk.index,
        number: talk.number,
        title: talk.title,
        speaker: talk.speaker,
        heading: talk.heading,
        sectionIds: talk.sectionIds,
        bulletIds: talk.bulletIds,
        hasNotes: talk.bulletIds.length > 0,
        markdown,
        source: this.location(talk.start, this.lines.position(endOffset)),
      }
    })
    const sections: Section[] = this.sections.map((section) => ({
      id: section.id,
      postId: this.postId,
      talkId: section.talk?.id ?? null,
      title: section.title,
      depth: section.depth,
      bulletIds: section.bulletIds,
      source: this.location(section.start, section.end),
    }))
    const words =
      countWords(title) +
      this.sections.reduce((sum, section) => sum + countWords(section.title), 0) +
      this.talks.reduce((sum, talk) => sum + countWords(talk.title), 0) +
      this.bullets.reduce((sum, bullet) => sum + countWords(bullet.text), 0)
    const lastLine = this.lines.position(this.body.length)
    const post: Post = {
      id: this.postId,
      slug: readSlug(this.data, this.path),
      title,
      date: date?.date ?? null,
      dateTime: date?.dateTime ?? null,
      tags: readList(this.data, ['tags', 'tag']),
      categories: readList(this.data, ['categories', 'category']),
      excerptMarkdown: excerpt.markdown,
      excerptText: excerpt.text,
      body: this.body.replace(/^\n+/, ''),
      frontMatter: this.data,
      wordCount: words,
      talkIds: this.talks.map((talk) => talk.id),
      sectionIds: this.sections.filter((section) => !section.talk).map((section) => section.id),
      bulletIds: this.bullets.map((bullet) => bullet.id),
      source: this.location({ line: 1, column: 1 }, lastLine),
      contentHash: createHash('sha256').update(this.fileText).digest('hex').slice(0, 32),
    }
    return {
      post,
      talks,
      sections,
      bullets,
      mentions: this.mentions,
      technologies: [...this.technologies.values()],
      talkRule: rule,
    }
  }

  /**
   * The excerpt: front matter `excerpt`, else the text before the excerpt
   * separator, else the first paragraph.
   */
  private excerpt(tree: Root): { markdown: string; text: string } {
    const given = scalarText(this.data.excerpt) ?? scalarText(this.data.description)
    if (given && typeof this.data.excerpt === 'string') return fromMarkdown(given)
    const separators = [scalarText(this.data.excerpt_separator), ...moreSeparators].filter(
      (value): value is string => value !== undefined,
    )
    for (const separator of separators) {
      const at = this.body.indexOf(separator)
      if (at !== -1) {
        const excerpt = fromMarkdown(this.body.slice(0, at).trim())
        if (excerpt.text) return excerpt
      }
    }
    for (const node of tree.children) {
      if (node.type !== 'paragraph') continue
      const text = collapse(plainText(node))
      if (text === '') continue
      const start = node.position?.start.offset ?? 0
      const end = node.position?.end.offset ?? start
      return { markdown: this.body.slice(start, end), text }
    }
    if (given) return fromMarkdown(given)
    return { markdown: '', text: '' }
  }

  private point(node: Nodes, which: 'start' | 'end'): { line: number; column: number } {
    const point = node.position?.[which]
    return point ? { line: point.line, column: point.column } : { line: 1, column: 1 }
  }

  private location(
    start: { line: number; column: number },
    end: { line: number; column: number },
  ): SourceLocation {
    return {
      path: this.path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    }
  }

  private problem(
    severity: Problem['severity'],
    code: string,
    message: string,
    line: number,
    column: number,
  ) {
    this.problems.push({ path: this.path, line, column, severity, code, message })
  }
}

function fromMarkdown(markdown: string): { markdown: string; text: string } {
  const tree = parseMarkdown(markdown)
  const text = collapse(tree.children.map((node) => plainText(node)).join(' '))
  return { markdown, text }
}

function talkDepth(data: Record<string, unknown>): number | undefined {
  for (const key of ['talk_depth', 'talkDepth', 'talk_level', 'talkLevel', 'talk_heading']) {
    const value = data[key]
    const depth =
      typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? /^#{1,6}$/.test(value.trim())
            ? value.trim().length
            : Number(value.replace(/^h/i, ''))
          : Number.NaN
    if (Number.isInteger(depth) && depth >= 1 && depth <= 6) return depth
  }
  return undefined
}

function firstContentLine(tree: Root): number {
  return tree.children[0]?.position?.start.line ?? 1
}

function keyLine(raw: string, key: string): number | undefined {
  const lines = raw.split('\n')
  const index = lines.findIndex((line) => new RegExp(`^${key}\\s*[:=]`).test(line))
  return index === -1 ? undefined : index + 1
}

function countWords(text: string): number {
  const trimmed = text.trim()
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length
}
