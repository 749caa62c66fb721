import { createHash } from 'node:crypto'
import { debuglog } from 'node:util'
import type { Heading, List, ListItem, Nodes, Root, RootContent } from 'mdast'
import type { Catalog } from '../model/catalog.ts'
import {
  problem as newProblem,
  type Problem,
  ProblemCode,
  type Severity,
} from '../model/problems.ts'
import type { BulletKind, Link, MentionKind, MentionTarget } from '../model/types.ts'
import { FrontMatterError, parseFrontMatter } from '../parse/front-matter.ts'
import {
  createLineIndex,
  type LineIndex,
  type MarkdownReader,
  readMarkdown,
} from '../parse/markdown.ts'
import { limitNesting } from '../parse/nesting.ts'
import { technologiesInCodeSpan } from './code-span.ts'
import { MentionContext } from './mention-context.ts'
import {
  field,
  fileBaseName,
  isListPage,
  type MetaProblem,
  readDate,
  readDraft,
  readList,
  readSlug,
  scalarText,
} from './meta.ts'
import { type GroupReading, type Outline, readOutline, type TalkRule } from './outline.ts'
import { collapse, htmlText, plainText } from './plain-text.ts'
import {
  bulletKinds,
  bulletLayout,
  type ExtractResult,
  mentionKinds,
  mentionLayout,
  mentionTargets,
  type PackedPost,
  type PackedResult,
  type PackedSection,
  type PackedTalk,
  type TechnologyRef,
  unpackResult,
} from './records.ts'
import {
  outlineHeadings,
  preambleTalkLines,
  stripLabel,
  type TalkLine,
  talkLineOf,
} from './talk-lines.ts'
import { parseTalkTitle, speakerLine } from './talk-title.ts'

/** A content file to read. */
export interface ContentFile {
  /** Path relative to the content folder, with `/` separators. */
  readonly path: string
  readonly text: string
}

export type { ExtractedPost, ExtractResult, PackedResult, TechnologyRef } from './records.ts'

/** Options for `extractPost`. */
export interface ExtractOptions {
  /** Catalog that names technologies in plain text and resolves code spans. */
  readonly catalog: Catalog
  /** Folder-wide defaults from the content folder's config; a post's front matter wins. */
  readonly defaults?: ReadingDefaults | undefined
  /**
   * Which Markdown reader to use: `fast` reads with markdown-it and leaves
   * the posts it cannot read identically to remark; `remark` reads every
   * post with remark (the reference, for comparing).
   * @default 'fast'
   */
  readonly reader?: MarkdownReader | undefined
}

// `NODE_DEBUG=content-graph` shows which posts the fast reader left to remark.
const debug = debuglog('content-graph')

/** How to read posts when their front matter does not say (`content-graph.yml`). */
export interface ReadingDefaults {
  /** Depth of talk headings (`talk_heading`). */
  readonly talkDepth?: number | undefined
  /** Every post is one talk (`talks: none`). */
  readonly oneTalk?: boolean | undefined
}

const moreSeparators = ['<!--more-->', '<!-- more -->']

/** Deepest block nesting read as written; deeper markers are flattened. */
const maxNesting = 100

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
  return unpackResult(readPost(file, options))
}

/**
 * Read one Markdown post into its packed form: what `extractPost` gives,
 * ready to cross a thread or go into the cache.
 *
 * @param file
 *   The file's relative path and text.
 * @param options
 *   Catalog to use.
 * @returns
 *   The packed post (unless an error stopped it) and the problems found.
 */
export function readPost(file: ContentFile, options: ExtractOptions): PackedResult {
  const problems: Problem[] = []
  const problem = (
    severity: Severity,
    code: ProblemCode,
    message: string,
    line = 1,
    column = 1,
  ) => {
    problems.push(newProblem({ path: file.path, line, column }, severity, code, message))
  }

  // A Hugo list page (`_index.md`) describes a section of the site: no post.
  if (isListPage(file.path)) return { post: undefined, problems }
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
      ProblemCode.nestingTooDeep,
      `Quotes or lists nest ${firstCut.depth} levels deep${more}; kept the text at level ${maxNesting}`,
      firstCut.line,
      firstCut.column,
    )
  }
  const reader = new PostReader(file.path, text, nesting.text, frontMatter.data, options)
  const metaProblems: MetaProblem[] = []
  let extracted: PackedPost
  try {
    extracted = reader.read(metaProblems)
  } catch (error) {
    // Inline markup nested thousands deep (`*a *a *a …`) still overflows the
    // parser's recursion; the post is refused rather than the process.
    if (error instanceof RangeError) {
      problem(
        'error',
        ProblemCode.nestingTooDeep,
        'Markdown nests too deeply to read (inline markup)',
      )
      return { post: undefined, problems }
    }
    throw error
  }
  for (const meta of metaProblems) {
    const line = meta.line === undefined ? keyLine(frontMatter.raw, meta.key) : undefined
    problem(
      'warning',
      meta.code,
      meta.message,
      meta.line ?? (line ? frontMatter.startLine + line - 1 : 1),
    )
  }
  for (const found of reader.problems) problems.push(found)
  if (!extracted.meta.date) {
    problem(
      'warning',
      ProblemCode.missingDate,
      'No date: add `date` to the front matter or a YYYY-MM-DD- prefix to the file name',
    )
  }
  return { post: extracted, problems }
}

/**
 * Explain how a post's outline was read: one line per heading with its role
 * and the evidence that decided it, for `check --explain`.
 *
 * @param file
 *   The file's relative path and text.
 * @param options
 *   Catalog and folder defaults, as for `readPost`.
 * @returns
 *   Lines of text: a summary, then one line per heading.
 */
export function explainPost(file: ContentFile, options: ExtractOptions): string[] {
  const text = file.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  let frontMatter: ReturnType<typeof parseFrontMatter>
  try {
    frontMatter = parseFrontMatter(text)
  } catch (error) {
    if (error instanceof FrontMatterError) {
      return [`${file.path}:${error.line}:${error.column}: ${error.message}`]
    }
    throw error
  }
  const body = limitNesting(frontMatter.body, maxNesting).text
  const reader = new PostReader(file.path, text, body, frontMatter.data, options)
  const post = reader.read([])
  const outline = reader.outline
  const lines = [
    `${file.path}: "${post.meta.title}": ${post.talks.length} talk${post.talks.length === 1 ? '' : 's'} (${ruleWords[post.talkRule]})`,
  ]
  for (const [index, heading] of reader.headingLines.entries()) {
    const reading = outline?.headings[index]
    if (!reading) continue
    const role =
      reading.role === 'group' && reading.groupInfo
        ? `group ${reading.groupInfo.kind}${reading.groupInfo.number === null ? '' : ` ${reading.groupInfo.number}`}`
        : reading.role
    const talk = reading.talk
    const parts =
      reading.role === 'talk' && talk
        ? ` [${[
            talk.number === null ? '' : `#${talk.number}`,
            `"${talk.title}"`,
            talk.speaker ? `by ${talk.speaker}` : '',
          ]
            .filter(Boolean)
            .join(' ')}]`
        : ''
    const held = reading.linesAreTalks ? '; its bold or linked lines are talks' : ''
    lines.push(
      `  ${heading.line}:${'#'.repeat(heading.depth)} ${heading.text} -> ${role}${parts}: ${reading.evidence.join('; ') || 'no evidence'}${held}`,
    )
  }
  for (const talk of post.talks) {
    if (talk.heading && reader.headingLines.some((heading) => heading.line === talk.line)) continue
    const number = talk.number === null ? '' : `#${talk.number} `
    const speaker = talk.speaker ? ` by ${talk.speaker}` : ''
    lines.push(`  ${talk.line}: talk line -> talk [${number}"${talk.title}"${speaker}]`)
  }
  return lines
}

const ruleWords: Record<TalkRule, string> = {
  'front-matter': 'talk headings at the depth the front matter or config gives',
  'talks-none': 'the front matter or config says the post is one talk',
  outline: 'talks read from the outline',
  lines: 'talks read from bold or linked lines',
  'whole-post': 'no heading reads as a talk: the post is one talk',
  'no-talks': 'the post names no talks',
}

interface TalkBuilder {
  readonly index: number
  readonly depth: number
  readonly number: number | null
  readonly title: string
  speaker: string | null
  readonly heading: string
  readonly group: GroupReading | null
  readonly startOffset: number
  readonly start: { line: number; column: number }
  endOffset: number
  readonly sections: [number, number]
  readonly bullets: [number, number]
}

interface SectionBuilder {
  readonly index: number
  readonly talk: TalkBuilder | null
  readonly title: string
  readonly depth: number
  readonly start: { line: number; column: number }
  end: { line: number; column: number }
  readonly bullets: [number, number]
}

interface BulletBuilder {
  readonly index: number
  readonly kind: BulletKind
  readonly emphasis: string[]
  readonly links: Link[]
}

/** Reads one post; holds the per-file state of the walk. */
class PostReader {
  readonly problems: Problem[] = []
  private readonly lines: LineIndex
  private readonly talks: TalkBuilder[] = []
  private readonly sections: SectionBuilder[] = []
  private readonly bullets: BulletBuilder[] = []
  /** Bullets as rows of `bulletLayout`. */
  private readonly bulletNumbers: number[] = []
  private readonly bulletTexts: (string | null)[] = []
  /** Runs of source offsets that bullet texts are made of; see `PackedPost.textRuns`. */
  private readonly textRuns: number[] = []
  /** Words of the bullet texts so far. */
  private words = 0
  /** Mentions as rows of `mentionLayout`. */
  private readonly mentionNumbers: number[] = []
  private readonly mentionTexts: [number, string][] = []
  /** The block whose text is being matched: evidence for ambiguous names. */
  private context: MentionContext | undefined
  /** What the post is about, as its front matter names it: `RustConf 2021` is about Rust. */
  private get topic(): string {
    this.#topic ??= scalarText(field(this.data, 'title')) ?? fileBaseName(this.path)
    return this.#topic
  }
  #topic: string | undefined
  /**
   * Catalog entries the post names in code spans anywhere (`Spark`): evidence
   * for the same name written plainly elsewhere, a heading above it included.
   * Read from the source, once, when some text first needs it.
   */
  private get named(): ReadonlySet<string> {
    if (this.#named) return this.#named
    const named = new Set<string>()
    for (const span of this.body.matchAll(/(`+)([^`]+?)\1(?!`)/g)) {
      for (const found of technologiesInCodeSpan(span[2] ?? '', this.options.catalog))
        if (found.entry) named.add(found.entry.slug)
    }
    this.#named = named
    return named
  }
  #named: ReadonlySet<string> | undefined
  private readonly technologies = new Map<string, { ref: TechnologyRef; index: number }>()
  private talk: TalkBuilder | null = null
  private section: SectionBuilder | null = null
  /** The group the talks being read sit in. */
  private group: GroupReading | null = null
  /** Whether bold and linked lines start talks in this part of the post. */
  private linesAreTalks = false
  /** The outline read, for `check --explain`. */
  outline: Outline | undefined
  /** How the Markdown was read. */
  private parsed: ReturnType<typeof readMarkdown> | undefined
  /** Where each heading is, for `check --explain`. */
  headingLines: { line: number; depth: number; text: string }[] = []

  constructor(
    private readonly path: string,
    private readonly fileText: string,
    private readonly body: string,
    private readonly data: Record<string, unknown>,
    private readonly options: ExtractOptions,
  ) {
    this.lines = createLineIndex(body)
  }

  read(metaProblems: MetaProblem[]): PackedPost {
    const parsed = readMarkdown(this.body, this.options.reader ?? 'fast')
    if (parsed.refused) debug('%s: read with remark (%s)', this.path, parsed.refused)
    this.parsed = parsed
    const tree = parsed.tree
    const headingNodes = tree.children.filter((node): node is Heading => node.type === 'heading')
    const headingTexts = headingNodes.map((node) => collapse(plainText(node)))
    const title = this.title(headingNodes, headingTexts)
    const outline = readOutline(outlineHeadings(tree, headingTexts), {
      postTitle: title,
      talkDepth: talkDepth(this.data) ?? this.options.defaults?.talkDepth,
      oneTalk: talksNone(this.data) ?? this.options.defaults?.oneTalk,
      preambleTalkLines: preambleTalkLines(tree),
    })
    this.outline = outline
    this.headingLines = headingNodes.map((node, index) => ({
      line: node.position?.start.line ?? 1,
      depth: node.depth,
      text: headingTexts[index] ?? '',
    }))

    if (outline.rule === 'whole-post' || outline.rule === 'talks-none') {
      const parsed = parseTalkTitle(stripLabel(title))
      this.talk = this.startTalk(
        { number: null, title: parsed.title, speaker: parsed.speaker },
        title,
        0,
        { line: firstContentLine(tree), column: 1 },
        0,
        null,
      )
    }

    let headingIndex = -1
    this.linesAreTalks = outline.preambleLinesAreTalks
    for (const node of tree.children) {
      if (node.type === 'heading') {
        headingIndex++
        this.heading(node, headingIndex, headingTexts[headingIndex] ?? '', outline)
        continue
      }
      if (this.linesAreTalks && this.talkLine(node)) continue
      this.block(node, 0, -1)
    }
    if (this.talk) this.talk.endOffset = this.body.length

    return this.finish(tree, title, metaProblems, outline.rule)
  }

  /**
   * The post's title: front matter `title`, else the first H1, else a single
   * top-level heading standing above every other heading, else the file name.
   */
  private title(headingNodes: readonly Heading[], headingTexts: readonly string[]): string {
    const givenTitle = scalarText(field(this.data, 'title'))
    if (givenTitle) return givenTitle
    const firstH1 = headingNodes.findIndex((node) => node.depth === 1)
    if (firstH1 !== -1) return headingTexts[firstH1] ?? ''
    const first = headingNodes[0]
    if (
      first &&
      headingTexts[0] &&
      // It must stand above other headings: a lone `## 1. Talk` is a talk, not the title.
      headingNodes.length > 1 &&
      headingNodes.slice(1).every((node) => node.depth > first.depth)
    ) {
      return headingTexts[0]
    }
    const name = fileBaseName(this.path)
    this.problem(
      'warning',
      ProblemCode.missingTitle,
      `No title: add \`title\` to the front matter or an H1; using the file name "${name}"`,
      1,
      1,
    )
    return name
  }

  private heading(node: Heading, index: number, text: string, outline: Outline) {
    const start = this.point(node, 'start')
    const offset = node.position?.start.offset ?? 0
    const reading = outline.headings[index]
    const whole = outline.rule === 'whole-post' || outline.rule === 'talks-none'
    if (whole) {
      // The whole post is one talk: every heading is a section of it.
      if (index === outline.titleHeading) return
      if (!this.talk) return
      this.section = this.startSection(node, text, this.talk)
      this.headingMentions(node, 'section', this.section.index)
      return
    }
    this.linesAreTalks = reading?.linesAreTalks ?? false
    switch (reading?.role) {
      case 'title':
        // The title heading belongs to the post and ends any talk before it.
        if (this.talk) this.talk.endOffset = offset
        this.talk = null
        this.section = null
        return
      case 'talk': {
        if (this.talk) this.talk.endOffset = offset
        if (text === '') {
          this.problem(
            'warning',
            ProblemCode.emptyHeading,
            'Talk heading has no text',
            start.line,
            start.column,
          )
        }
        const parsed = reading.talk ?? parseTalkTitle(text)
        const group = reading.group === undefined ? undefined : outline.headings[reading.group]
        this.talk = this.startTalk(
          parsed,
          text,
          node.depth,
          start,
          offset,
          group?.groupInfo ?? null,
        )
        this.section = null
        this.headingMentions(node, 'talk', this.talk.index)
        return
      }
      case 'section':
        if (this.talk) {
          this.section = this.startSection(node, text, this.talk)
          this.headingMentions(node, 'section', this.section.index)
          return
        }
        break
      case 'group':
        this.group = reading.groupInfo ?? null
        break
      default:
        break
    }
    // Groups and meta headings are post-level sections: nothing they hold is lost.
    if (this.talk) this.talk.endOffset = offset
    this.talk = null
    this.section = this.startSection(node, text, null)
    this.headingMentions(node, 'section', this.section.index)
  }

  /**
   * Start a talk at a top-level block that reads as a talk title (a bold
   * line, or a list item led by a linked title), where the outline says this
   * part of the post marks its talks so. The block itself is kept as the
   * talk's first bullet unless its text is all in the talk's heading.
   *
   * @returns Whether the block was read here.
   */
  private talkLine(node: RootContent): boolean {
    if (node.type === 'list') {
      if (!node.children.some((item) => talkLineOf(item))) return false
      for (const item of node.children) {
        const line = talkLineOf(item)
        if (line) this.startLineTalk(line, item)
        this.item(item, 0, -1)
      }
      return true
    }
    const line = talkLineOf(node)
    if (!line) return false
    this.startLineTalk(line, node)
    // A line that is only the title is the talk's heading; otherwise it is also a note.
    if (line.whole && this.talk) this.headingMentions(node, 'talk', this.talk.index)
    else this.block(node, 0, -1)
    return true
  }

  private startLineTalk(line: TalkLine, node: Nodes) {
    const offset = node.position?.start.offset ?? 0
    if (this.talk) this.talk.endOffset = offset
    const parsed = parseTalkTitle(line.title)
    const speaker = parsed.speaker ?? (line.tail ? (speakerLine(line.tail) ?? null) : null)
    this.talk = this.startTalk(
      { ...parsed, speaker },
      line.text,
      7,
      this.point(node, 'start'),
      offset,
      this.group,
    )
    this.section = null
  }

  private startTalk(
    parsed: { number: number | null; title: string; speaker: string | null },
    heading: string,
    depth: number,
    start: { line: number; column: number },
    offset: number,
    group: GroupReading | null,
  ): TalkBuilder {
    const talk: TalkBuilder = {
      index: this.talks.length,
      depth,
      number: parsed.number,
      title: parsed.title,
      speaker: parsed.speaker,
      heading,
      group,
      startOffset: offset,
      start,
      endOffset: offset,
      sections: [this.sections.length, this.sections.length],
      bullets: [this.bullets.length, this.bullets.length],
    }
    this.talks.push(talk)
    return talk
  }

  private startSection(node: Heading, title: string, talk: TalkBuilder | null): SectionBuilder {
    const section: SectionBuilder = {
      index: this.sections.length,
      talk,
      title,
      depth: node.depth,
      start: this.point(node, 'start'),
      end: this.point(node, 'end'),
      bullets: [this.bullets.length, this.bullets.length],
    }
    this.sections.push(section)
    if (talk) talk.sections[1] = this.sections.length
    return section
  }

  /** Read a block into bullets: lists item by item, anything else as one note. */
  private block(node: RootContent, depth: number, parent: number) {
    switch (node.type) {
      case 'list':
        this.list(node, depth, parent)
        return
      case 'thematicBreak':
      case 'definition':
      case 'yaml':
        return
      case 'heading':
        // A heading inside a list item or quote is a note of its own.
        this.note('paragraph', node, depth, parent)
        return
      case 'blockquote':
        this.note('quote', node, depth, parent)
        return
      case 'code':
        this.note('code', node, depth, parent)
        return
      case 'html':
        this.note('html', node, depth, parent)
        return
      case 'table':
        this.note('table', node, depth, parent)
        return
      default:
        this.note('paragraph', node, depth, parent)
    }
  }

  private list(node: List, depth: number, parent: number) {
    for (const item of node.children) this.item(item, depth, parent)
  }

  private item(item: ListItem, depth: number, parent: number) {
    const own = item.children.filter((child) => child.type !== 'list')
    const nested = item.children.filter((child): child is List => child.type === 'list')
    const text = own
      .map((child) => plainText(child))
      .join('\n')
      .trim()
    if (text === '') {
      // An empty item (`-` alone) is dropped; its nested items move up to its place.
      for (const list of nested) this.list(list, depth, parent)
      return
    }
    const firstNested = nested[0]
    const endNode = own[own.length - 1] ?? item
    const bullet = this.addBullet({
      kind: 'item',
      depth,
      parent,
      text,
      // The item's own content, after its list marker.
      startNode: own[0] ?? item,
      endNode,
      endOffset: firstNested?.position?.start.offset,
      content: own,
    })
    for (const list of nested) this.list(list, depth + 1, bullet.index)
  }

  private note(kind: BulletKind, node: RootContent, depth: number, parent: number) {
    const text = (
      kind === 'html' && node.type === 'html' ? htmlText(node.value) : plainText(node)
    ).replace(/^\n+|\s+$/g, '')
    if (collapse(text) === '') return
    this.addBullet({
      kind,
      depth,
      parent,
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
    parent: number
    text: string
    startNode: Nodes
    endNode: Nodes
    endOffset: number | undefined
    content: readonly Nodes[]
  }): BulletBuilder {
    const startOffset = input.startNode.position?.start.offset ?? 0
    const endOffset = input.endOffset ?? input.endNode.position?.end.offset ?? startOffset
    const source = this.body.slice(startOffset, endOffset).replace(/\s+$/, '')
    const end = startOffset + source.length
    // Most texts are the source as written, or the source less its markup
    // (backticks, emphasis, link targets): those are kept as offsets only.
    const inside = source.indexOf(input.text)
    let textStart = inside === -1 ? -1 : startOffset + inside
    let textEnd = inside === -1 ? -1 : textStart + input.text.length
    if (inside === -1) {
      const runs = sourceRuns(input.text, this.body, startOffset, end)
      if (runs) {
        textStart = -2 - this.textRuns.length / 2
        textEnd = runs.length / 2
        this.textRuns.push(...runs)
      }
    }
    this.words += countWords(input.text)
    const bullet: BulletBuilder = {
      index: this.bullets.length,
      kind: input.kind,
      emphasis: [],
      links: [],
    }
    this.bullets.push(bullet)
    bulletLayout.push(this.bulletNumbers, {
      kind: bulletKinds.indexOf(input.kind),
      depth: input.depth,
      start: startOffset,
      end,
      parent: input.parent,
      talk: this.talk?.index ?? -1,
      section: this.section?.index ?? -1,
      textStart,
      textEnd,
    })
    this.bulletTexts.push(textStart === -1 ? input.text : null)
    if (this.talk) {
      // `발표자 : 홍길동`, `Speaker: Name`, `… from [Name](url)` among a talk's first notes.
      if (!this.talk.speaker && input.depth === 0 && bullet.index - this.talk.bullets[0] < 3) {
        this.talk.speaker = speakerLine(input.text) ?? null
      }
      this.talk.bullets[1] = this.bullets.length
    }
    if (this.section) {
      this.section.bullets[1] = this.bullets.length
      this.section.end = this.lines.position(end)
    }
    this.context = new MentionContext(
      input.content,
      this.options.catalog,
      this.topic,
      () => this.named,
    )
    for (const node of input.content) this.inline(node, bullet)
    this.context = undefined
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
        this.codeSpanMentions(node.value, node, 'bullet', bullet.index, 'code-span')
        return
      case 'text':
        this.textMentions(node.value, node, 'bullet', bullet.index, 'catalog')
        return
      case 'code':
      case 'html':
        return
      default:
        break
    }
    if ('children' in node) for (const child of node.children as Nodes[]) this.inline(child, bullet)
  }

  private headingMentions(node: Nodes, target: MentionTarget, targetIndex: number) {
    this.context = new MentionContext(
      'children' in node ? (node.children as Nodes[]) : [node],
      this.options.catalog,
      this.topic,
      () => this.named,
    )
    const visit = (child: Nodes) => {
      if (child.type === 'inlineCode') {
        this.codeSpanMentions(child.value, child, target, targetIndex, 'heading')
      } else if (child.type === 'text') {
        this.textMentions(child.value, child, target, targetIndex, 'heading')
      } else if ('children' in child) {
        for (const grandchild of child.children as Nodes[]) visit(grandchild)
      }
    }
    visit(node)
    this.context = undefined
  }

  private codeSpanMentions(
    value: string,
    node: Nodes,
    target: MentionTarget,
    targetIndex: number,
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
        targetIndex,
        offset,
      )
    }
  }

  private textMentions(
    value: string,
    node: Nodes,
    target: MentionTarget,
    targetIndex: number,
    kind: MentionKind,
  ) {
    const base = node.position?.start.offset ?? 0
    // Offsets inside a text node match the source unless escapes or entities
    // were decoded; then the position points at the start of the node.
    const exact = this.body.slice(base, node.position?.end.offset ?? base) === value
    for (const match of this.options.catalog.matchText(value, this.context?.of(node))) {
      this.mention(
        { slug: match.entry.slug, name: match.entry.name, inCatalog: true },
        kind,
        match.text,
        target,
        targetIndex,
        exact ? base + match.start : base,
      )
    }
  }

  private mention(
    technology: TechnologyRef,
    kind: MentionKind,
    text: string,
    target: MentionTarget,
    targetIndex: number,
    offset: number,
  ) {
    let known = this.technologies.get(technology.slug)
    if (!known) {
      known = { ref: technology, index: this.technologies.size }
      this.technologies.set(technology.slug, known)
    }
    const index = mentionLayout.rows(this.mentionNumbers)
    if (this.body.slice(offset, offset + text.length) !== text)
      this.mentionTexts.push([index, text])
    mentionLayout.push(this.mentionNumbers, {
      kind: mentionKinds.indexOf(kind),
      target: mentionTargets.indexOf(target),
      targetIndex,
      talk: this.talk?.index ?? -1,
      start: offset,
      end: offset + text.length,
      technology: known.index,
    })
  }

  private finish(
    tree: Root,
    title: string,
    metaProblems: MetaProblem[],
    rule: TalkRule,
  ): PackedPost {
    const date = readDate(this.data, this.path, metaProblems, this.body)
    const excerpt = this.excerpt(tree)
    const talks: PackedTalk[] = this.talks.map((talk) => ({
      number: talk.number,
      title: talk.title,
      speaker: talk.speaker,
      heading: talk.heading,
      group: talk.group,
      line: talk.start.line,
      column: talk.start.column,
      start: talk.startOffset,
      end: talk.startOffset + this.body.slice(talk.startOffset, talk.endOffset).trimEnd().length,
      sections: talk.sections,
      bullets: talk.bullets,
    }))
    const sections: PackedSection[] = this.sections.map((section) => ({
      talk: section.talk?.index ?? -1,
      title: section.title,
      depth: section.depth,
      line: section.start.line,
      column: section.start.column,
      endLine: section.end.line,
      endColumn: section.end.column,
      bullets: section.bullets,
    }))
    const words =
      countWords(title) +
      this.sections.reduce((sum, section) => sum + countWords(section.title), 0) +
      this.talks.reduce((sum, talk) => sum + countWords(talk.title), 0) +
      this.words
    return {
      path: this.path,
      text: this.body,
      bodyStart: /^\n*/.exec(this.body)?.[0].length ?? 0,
      meta: {
        slug: readSlug(this.data, this.path),
        title,
        date: date?.date ?? null,
        dateTime: date?.dateTime ?? null,
        tags: readList(this.data, ['tags', 'tag']),
        categories: readList(this.data, ['categories', 'category']),
        excerptMarkdown: excerpt.markdown,
        excerptText: excerpt.text,
        frontMatter: this.data,
        wordCount: words,
        contentHash: createHash('sha256').update(this.fileText).digest('hex').slice(0, 32),
        draft: readDraft(this.data, this.path),
      },
      talkRule: rule,
      parser: this.parsed?.parser ?? 'remark',
      refused: this.parsed?.refused ?? null,
      technologies: [...this.technologies.values()].map((known) => known.ref),
      talks,
      sections,
      bullets: Int32Array.from(this.bulletNumbers),
      bulletTexts: this.bulletTexts,
      textRuns: Int32Array.from(this.textRuns),
      emphasis: this.bullets
        .filter((bullet) => bullet.emphasis.length > 0)
        .map((bullet) => [bullet.index, bullet.emphasis] as const),
      links: this.bullets
        .filter((bullet) => bullet.links.length > 0)
        .map((bullet) => [bullet.index, bullet.links] as const),
      mentions: Int32Array.from(this.mentionNumbers),
      mentionTexts: this.mentionTexts,
    }
  }

  /**
   * The excerpt: front matter `excerpt` (or Pelican's `summary`), else the
   * text before the excerpt separator, else the first paragraph of text,
   * else the first block with text (a post that opens with a list), else
   * front matter `description` (often a search-engine blurb, so it comes
   * after the post's own words).
   */
  private excerpt(tree: Root): { markdown: string; text: string } {
    const given = scalarText(field(this.data, 'excerpt')) ?? scalarText(field(this.data, 'summary'))
    if (given) return fromMarkdown(given, this.options.reader)
    const separators = [
      scalarText(field(this.data, 'excerpt_separator')),
      ...moreSeparators,
    ].filter((value): value is string => value !== undefined)
    for (const separator of separators) {
      const at = this.body.indexOf(separator)
      if (at !== -1) {
        const excerpt = fromMarkdown(this.body.slice(0, at).trim(), this.options.reader)
        if (excerpt.text) return excerpt
      }
    }
    const blocks = tree.children.filter((node) => node.type !== 'heading')
    const first =
      blocks.find((node) => node.type === 'paragraph' && proseText(node) !== '') ??
      blocks.find((node) => node.type !== 'code' && node.type !== 'html' && proseText(node) !== '')
    if (first) {
      // A list gives its first item's own text, not the whole list.
      const item = first.type === 'list' ? first.children[0] : undefined
      const node = item?.children.find((child) => child.type === 'paragraph') ?? item ?? first
      const start = node.position?.start.offset ?? 0
      const end = node.position?.end.offset ?? start
      return { markdown: this.body.slice(start, end), text: proseText(node) }
    }
    const description = scalarText(field(this.data, 'description'))
    if (description) return fromMarkdown(description, this.options.reader)
    return { markdown: '', text: '' }
  }

  private point(node: Nodes, which: 'start' | 'end'): { line: number; column: number } {
    const point = node.position?.[which]
    return point ? { line: point.line, column: point.column } : { line: 1, column: 1 }
  }

  private problem(
    severity: Severity,
    code: ProblemCode,
    message: string,
    line: number,
    column: number,
  ) {
    this.problems.push(newProblem({ path: this.path, line, column }, severity, code, message))
  }
}

/**
 * The text a reader sees in a block, without images, HTML and template tags
 * (`{{< figure … >}}`, `{% include … %}`): a paragraph holding only those
 * has no text to show in an excerpt.
 */
function proseText(node: Nodes): string {
  const parts: string[] = []
  const visit = (child: Nodes) => {
    if (child.type === 'text' || child.type === 'inlineCode') parts.push(child.value)
    else if (child.type === 'break') parts.push(' ')
    else if ('children' in child) {
      for (const grandchild of child.children as Nodes[]) visit(grandchild)
      if (child.type === 'paragraph' || child.type === 'listItem') parts.push(' ')
    }
  }
  visit(node)
  return collapse(
    parts.join('').replace(/\{\{[<%][\s\S]*?[>%]\}\}|\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, ' '),
  )
}

function fromMarkdown(
  markdown: string,
  reader: MarkdownReader | undefined,
): { markdown: string; text: string } {
  const tree = readMarkdown(markdown, reader).tree
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

/**
 * The reading settings a front matter (or the folder's settings file) gives:
 * `talk_heading: N` (also `talk_depth`, `###`, `h3`) and `talks: none`.
 *
 * @param data
 *   Front matter or settings data.
 * @returns
 *   The settings found.
 */
export function readingDefaults(data: Record<string, unknown>): ReadingDefaults {
  const talkDepthValue = talkDepth(data)
  const oneTalk = talksNone(data)
  return {
    ...(talkDepthValue === undefined ? {} : { talkDepth: talkDepthValue }),
    ...(oneTalk === undefined ? {} : { oneTalk }),
  }
}

function talksNone(data: Record<string, unknown>): boolean | undefined {
  const value = data.talks
  if (value === undefined || value === null) return undefined
  const text = String(value).trim().toLowerCase()
  if (text === 'none' || text === 'one' || text === 'false' || text === '0') return true
  return undefined
}

function firstContentLine(tree: Root): number {
  return tree.children[0]?.position?.start.line ?? 1
}

function keyLine(raw: string, key: string): number | undefined {
  const lines = raw.split('\n')
  // Keys match ignoring case; Nikola's are written `.. key:`.
  const pattern = new RegExp(`^(?:\\s*\\.\\.\\s+)?${key}\\s*[:=]`, 'i')
  const index = lines.findIndex((line) => pattern.test(line))
  return index === -1 ? undefined : index + 1
}

/**
 * A text as runs of the source between `from` and `to`, when it is the source
 * less some of its characters (markup): pairs of offsets, or `[-1 - code, 0]`
 * for a line break or space the source does not have there. Undefined when a
 * run of source cannot make it, or when the runs would take more room than
 * the text.
 */
function sourceRuns(text: string, source: string, from: number, to: number): number[] | undefined {
  const runs: number[] = []
  const most = Math.min(maxRuns, Math.floor(text.length / 4))
  let at = from
  for (let index = 0; index < text.length; ) {
    if (runs.length / 2 >= most) return undefined
    const code = text.charCodeAt(index)
    const found = source.indexOf(text.charAt(index), at)
    if (found === -1 || found >= to) {
      if (code !== 0x0a && code !== 0x20) return undefined
      runs.push(-1 - code, 0)
      index++
      continue
    }
    let end = found
    while (index < text.length && end < to && text.charCodeAt(index) === source.charCodeAt(end)) {
      index++
      end++
    }
    runs.push(found, end)
    at = end
  }
  return runs
}

/** Most runs one bullet text is kept as. */
const maxRuns = 12

function countWords(text: string): number {
  // Runs of non-space characters, counted without splitting the text.
  let words = 0
  let inWord = false
  for (let index = 0; index < text.length; index++) {
    const space = isSpace(text.charCodeAt(index))
    if (!space && !inWord) words++
    inWord = !space
  }
  return words
}

/** What `\s` matches: ASCII and Unicode white space. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d)
  if (code < 0xa0) return false
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  )
}
