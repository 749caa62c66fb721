/**
 * The fast reader: markdown-it 14 tokens turned into the same mdast tree that
 * remark-parse + remark-gfm give, positions included, for the posts it can
 * read identically.
 *
 * Why by hand: remark (micromark) reads about 0.3–0.7 MB of notes per
 * CPU-second and is quadratic in document size; markdown-it reads 10–14 MB/s
 * but gives only line ranges for blocks and no positions for inline tokens,
 * and no library turns its tokens into mdast with source offsets. This
 * module does that, and checks itself against the source as it goes: every
 * inline character is aligned with the source character it came from, and
 * every block marker (`#`, `>`, list markers, fences) must sit where the
 * position says. A post it cannot read identically is refused with a reason
 * (`FastReadRefusal`), and the caller reads it with remark instead:
 * - GFM constructs markdown-it reads differently: strikethrough with
 *   single tildes, escaped tildes or tildes beside `*` and `_` (plain `~~`
 *   is read here),
 *   autolink literals (`www.`, e-mail, and `https://` ones other than plain
 *   ASCII ones, which are read here by GFM's rules), task list items,
 *   tables, footnotes;
 * - link reference definitions (mdast keeps references as references);
 * - anything whose positions do not line up with the source (tabs that
 *   markdown-it expands, NUL characters, code spans across lines).
 * The differential test (`test/parse/fast-markdown.test.ts`) holds both
 * readers to the same records.
 */

import MarkdownIt from 'markdown-it'
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs'
import type Token from 'markdown-it/lib/token.mjs'
import type {
  BlockContent,
  Code,
  Heading,
  Html,
  Image,
  InlineCode,
  Link,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Text,
} from 'mdast'

/** Why the fast reader left a post to remark. */
export type FastReadRefusal =
  | 'strikethrough'
  | 'autolink-literal'
  | 'task-item'
  | 'table'
  | 'footnote'
  | 'definition'
  | 'position'
  | 'nesting'

/** What the fast reader gives: a tree, or the reason it could not. */
export type FastReadResult =
  | { readonly tree: Root; readonly refused?: undefined }
  | { readonly tree?: undefined; readonly refused: FastReadRefusal }

class Refused extends Error {
  constructor(readonly reason: FastReadRefusal) {
    super(reason)
  }
}

// CommonMark, with raw HTML; links kept as written (mdast keeps the
// destination decoded but not percent-encoded, and keeps every scheme).
const md = new MarkdownIt('commonmark')
// Deep nesting is read as written, as remark does (the stack limit refuses it).
;(md.options as { maxNesting: number }).maxNesting = 1000
md.normalizeLink = (url) => url
md.normalizeLinkText = (url) => url
md.validateLink = () => true
// Text pieces stay separate tokens so each keeps its position; adjacent ones
// become one mdast text node below.
md.core.ruler.disable('text_join')
md.inline.ruler2.disable('fragments_join')
// `~~` strikethrough; the runs GFM reads otherwise (single tildes, three or
// more) are refused before this is trusted.
md.enable('strikethrough')

/**
 * Inline state that records where pending text started, so the text token
 * it becomes can be given its offsets in the inline content. Inline tokens
 * carry no line map in markdown-it; here `map` holds `[start, end)` offsets
 * into the inline content instead.
 */
const BaseState = md.inline.State
class PositionedState extends BaseState {
  pendingStart = 0

  override pushPending(): Token {
    const start = this.pendingStart
    const token = super.pushPending()
    token.map = [start, start + token.content.length]
    return token
  }
}
md.inline.State = PositionedState

type InlineRule = (state: StateInline, silent: boolean) => boolean

/** Wrap an inline rule so the tokens it makes carry their content offsets. */
function positioned(name: string, rule: InlineRule): InlineRule {
  return (state, silent) => {
    if (silent) return rule(state, silent)
    const before = state.pos
    const count = state.tokens.length
    const hadPending = state.pending !== ''
    if (!rule(state, false)) return false
    if (!hadPending && state.pending !== '') (state as PositionedState).pendingStart = before
    let delimiter = 0
    for (let index = count; index < state.tokens.length; index++) {
      const token = state.tokens[index] as Token
      if (token.map) continue
      if (token.type === 'text' && name === 'autolink') {
        token.map = [before + 1, state.pos - 1]
      } else if (token.type === 'text') {
        // Emphasis delimiters: one text token per marker character.
        token.map = [before + delimiter, before + delimiter + token.content.length]
        delimiter += token.content.length
      } else {
        token.map = [before, state.pos]
      }
    }
    return true
  }
}

// Characters no rule takes become pending text here rather than in
// markdown-it's loop, so their start is recorded like any other text.
md.inline.ruler.push('character', (state, silent) => {
  if (!silent) state.pending += state.src.charAt(state.pos)
  state.pos++
  return true
})
{
  // `ruler.at` replaces a rule by name, keeping its place and options.
  const names = (md.inline.ruler as unknown as { __rules__: { name: string; fn: InlineRule }[] })
    .__rules__
  for (const entry of names) md.inline.ruler.at(entry.name, positioned(entry.name, entry.fn))
}

/**
 * Read Markdown into an mdast tree with markdown-it, or refuse.
 *
 * @param text
 *   Markdown with `\n` line endings (a post body).
 * @returns
 *   The tree, identical to remark-parse + remark-gfm's, or why not.
 */
export function readFastMarkdown(text: string): FastReadResult {
  // Constructs read differently, seen cheaply in the source.
  if (text.includes('[^')) return { refused: 'footnote' }
  if (text.includes('\0')) return { refused: 'position' }
  // Tabs in indentation and after list markers are expanded differently.
  if (text.includes('\t') && indentTab.test(text)) return { refused: 'position' }
  if (tableDelimiterRow.test(text)) return { refused: 'table' }
  const env: { references?: Record<string, unknown> } = {}
  let tokens: Token[]
  try {
    tokens = md.parse(text, env)
  } catch (error) {
    if (error instanceof RangeError) return { refused: 'nesting' }
    throw error
  }
  if (env.references && Object.keys(env.references).length > 0) return { refused: 'definition' }
  try {
    return { tree: new TreeBuilder(text, tokens).build() }
  } catch (error) {
    if (error instanceof Refused) return { refused: error.reason }
    if (error instanceof RangeError) return { refused: 'nesting' }
    throw error
  }
}

/** A line that could be a GFM table's delimiter row (`| --- | :-: |`). */
const tableDelimiterRow = /^[ >]*(?=[^\n]*[|:])[|: -]*-[|: -]*$/m

/**
 * Text that GFM could turn into a literal autolink (`www.x`, `https://x`,
 * `a@b.c`): a superset of what both micromark's tokenizer and
 * mdast-util-gfm-autolink-literal's text transform take. Each needs `www.`,
 * `http://`, `https://` or an e-mail: an ASCII atext character right before
 * `@` and a domain with a dot after it (`mailto:` and `xmpp:` add a prefix to
 * such an e-mail). A handle like `@name` or `(@name)` is never one.
 */
const autolinkLiteral = /www\.|https?:\/\/|[\w+.-]@[\w.-]*\./gi

/** Raw HTML that runs to its end marker, here missing: it would run to the document's end. */
const unclosedHtml =
  /^[ \t]*(?:<!--(?![\s\S]*-->)|<\?(?![\s\S]*\?>)|<![A-Za-z](?![\s\S]*>)|<!\[CDATA\[(?![\s\S]*\]\]>)|<(script|pre|style|textarea)(?=[\s>]|$)(?![\s\S]*<\/(?:script|pre|style|textarea)>))/i

/** A tab among a line's indentation, quote and list markers. */
const indentTab = /^[ >*+\-.)\d]*\t/m

/**
 * Runs of one or two tildes that GFM strikethrough may open or close with:
 * a run with spaces, tabs, line ends or the content's edges on both sides
 * (`09:30 ~ 18:00`) can do neither, in micromark as in CommonMark's
 * flanking rules.
 */
const tildeRuns = /(?<!~)(?<![ \t\n]|^)~~?(?!~)|(?<!~)~~?(?![ \t\n]|$|~)/g

/**
 * Refuse inline content whose tildes GFM may read unlike markdown-it with
 * `~~` strikethrough: where two or more runs might open or close (code
 * spans aside), each must be `~~`, with no run of three or more, and with
 * ASCII, letters or digits beside it (Unicode punctuation and spaces are
 * classed differently by the two).
 */
function checkTildes(inline: Token) {
  let content = inline.content
  for (const token of inline.children ?? []) {
    if (token.type !== 'code_inline' || !token.map) continue
    const [from, to] = token.map
    content = content.slice(0, from) + 'x'.repeat(to - from) + content.slice(to)
  }
  const runs = [...content.matchAll(tildeRuns)]
  if (runs.length < 2) return
  // Escaped tildes split runs differently in the two readers.
  if (content.includes('~~~') || content.includes('\\~')) throw new Refused('strikethrough')
  for (const run of runs) {
    if (run[0].length !== 2) throw new Refused('strikethrough')
    const before = content.charAt(run.index - 1)
    const after = content.charAt(run.index + 2)
    if (!plainNeighbour.test(before) || !plainNeighbour.test(after))
      throw new Refused('strikethrough')
  }
}

/** A character both readers class alike beside a tilde (or none). */
const plainNeighbour = /^(?:[\t\n -~]|\p{L}|\p{N})?$/u

/** An emphasis marker right beside a tilde. */
const emphasisBesideTilde = /[*_]~|~[*_]/

/** A task item's checkbox at the start of its first paragraph. */
const taskMarker = /^\[[ xX]\](?:[ \n]|$)/

type Parent = Root | BlockParent
type BlockParent = (List | ListItem | { type: 'blockquote'; children: BlockContent[] }) & {
  position?: Nodes['position']
}

/** Turns one post's block tokens into mdast. */
class TreeBuilder {
  readonly #text: string
  readonly #tokens: Token[]
  readonly #lineStarts: Int32Array
  /** Where the next container marker on the current line is searched from. */
  #cursor = 0
  #cursorLine = -1
  #index = 0
  /** How many lists and block quotes the current token sits in. */
  #depth = 0

  constructor(text: string, tokens: Token[]) {
    this.#text = text
    this.#tokens = tokens
    const starts = [0]
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
      starts.push(at + 1)
    this.#lineStarts = Int32Array.from(starts)
  }

  build(): Root {
    const root: Root = { type: 'root', children: [] }
    this.#children(root, '')
    root.position = { start: this.#point(0), end: this.#point(this.#text.length) }
    return root
  }

  /** Read tokens into a parent until its closing token. */
  #children(parent: Parent, close: string) {
    const tokens = this.#tokens
    let previous = ''
    while (this.#index < tokens.length) {
      const token = tokens[this.#index++] as Token
      if (token.type === close) return
      // remark reads an empty item right after indented code as a paragraph (`-`).
      if (
        previous === 'code_block' &&
        token.type.endsWith('_list_open') &&
        /^[ >]*(?:[-+*]|\d{1,9}[.)])[ ]*$/.test(this.#lineText(token.map?.[0] ?? 0))
      )
        throw new Refused('position')
      previous = token.type
      const node = this.#block(token)
      if (node) (parent.children as RootContent[]).push(node)
    }
  }

  #block(token: Token): RootContent | undefined {
    const map = token.map ?? [0, 0]
    switch (token.type) {
      case 'paragraph_open': {
        const inline = this.#tokens[this.#index++] as Token
        this.#index++ // paragraph_close
        const start = this.#marker(map[0], inline.content.charAt(0), false)
        const { children, end } = this.#inline(inline, start)
        const node: Paragraph = { type: 'paragraph', children }
        // Blocks end where their last line does, trailing spaces included.
        node.position = this.#position(start, this.#lineEnd(this.#lineOf(end)))
        return node
      }
      case 'heading_open':
        return this.#heading(token, map)
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list: List = {
          type: 'list',
          ordered: token.type === 'ordered_list_open',
          start: null,
          spread: false,
          children: [],
        }
        if (list.ordered) list.start = Number(token.attrGet('start') ?? 1)
        this.#depth++
        this.#children(list, token.type.replace('_open', '_close'))
        this.#depth--
        const first = list.children[0]
        const last = list.children[list.children.length - 1]
        list.position = {
          start: first?.position?.start ?? this.#point(this.#lineStarts[map[0]] ?? 0),
          end: last?.position?.end ?? this.#point(this.#lineStarts[map[0]] ?? 0),
        }
        return list
      }
      case 'list_item_open': {
        const marker = token.info === '' ? token.markup : `${token.info}${token.markup}`
        const start = this.#marker(map[0], marker, true)
        const item: ListItem = { type: 'listItem', spread: false, checked: null, children: [] }
        this.#children(item, 'list_item_close')
        const lead = item.children[0]
        const firstText = lead?.type === 'paragraph' ? lead.children[0] : undefined
        if (firstText?.type === 'text' && taskMarker.test(firstText.value))
          throw new Refused('task-item')
        const last = item.children[item.children.length - 1]
        item.position = {
          start: this.#point(start),
          // An empty item ends with its line, trailing spaces included.
          end: last?.position?.end ?? this.#point(this.#lineEnd(map[0])),
        }
        return item as unknown as RootContent
      }
      case 'blockquote_open': {
        const start = this.#marker(map[0], '>', true)
        const quote = { type: 'blockquote' as const, children: [] as BlockContent[] }
        this.#depth++
        this.#children(quote as BlockParent, 'blockquote_close')
        this.#depth--
        const node = quote as RootContent
        // A quote ends with its last line, empty `>` lines included.
        node.position = this.#position(start, this.#lineEnd(map[1] - 1))
        return node
      }
      case 'fence': {
        const start = this.#marker(map[0], token.markup, false)
        const info = md.utils.unescapeAll(token.info).trim()
        const space = info.search(/[ \t]/)
        const node: Code = {
          type: 'code',
          lang: info === '' ? null : space === -1 ? info : info.slice(0, space),
          meta: space === -1 ? null : info.slice(space).trim() || null,
          value: token.content.replace(/\n$/, ''),
        }
        const last = map[1] - 1
        // A closed fence spans its opening line, its content and its closing line.
        const closed = map[1] - map[0] === countLines(token.content) + 2
        if (!closed) {
          // An unclosed fence runs to the end of the document.
          if (this.#depth > 0) throw new Refused('position')
          node.position = this.#position(start, this.#text.length)
        } else {
          node.position = this.#position(start, this.#lineEnd(last))
        }
        return node
      }
      case 'code_block': {
        const value = token.content.replace(/\n+$/, '')
        const firstLine = value.slice(0, value.indexOf('\n') >>> 0)
        const lineStart = this.#lineStarts[map[0]] ?? 0
        // The code's indentation (four columns) starts where its container's content does.
        const start = this.#lineEnd(map[0]) - firstLine.length - 4
        if (start < lineStart || this.#text.slice(start, start + 4) !== '    ')
          throw new Refused('position')
        let endLine = map[1] - 1
        // Lines of spaces indented as far as the code belong to it.
        while (this.#depth === 0 && /^ {4,}$/.test(this.#lineText(endLine + 1))) endLine++
        const node: Code = { type: 'code', lang: null, meta: null, value }
        node.position = this.#position(start, this.#lineEnd(endLine))
        return node
      }
      case 'html_block': {
        const value = token.content.replace(/\n$/, '')
        if (unclosedHtml.test(value)) throw new Refused('position')
        const start = this.#marker(map[0], value.slice(0, value.indexOf('\n') >>> 0), false)
        const node: Html = { type: 'html', value }
        node.position = this.#position(start, this.#lastTextEnd(map[0], map[1]))
        return node
      }
      case 'hr': {
        const start = this.#marker(map[0], token.markup.charAt(0), false)
        const node: RootContent = { type: 'thematicBreak' }
        node.position = this.#position(start, this.#lineEnd(map[0]))
        return node
      }
      case 'table_open':
        throw new Refused('table')
      default:
        throw new Refused('position')
    }
  }

  #heading(token: Token, map: [number, number]): Heading {
    const inline = this.#tokens[this.#index++] as Token
    this.#index++ // heading_close
    const depth = Number(token.tag.slice(1)) as Heading['depth']
    const atx = token.markup.charAt(0) === '#'
    let start: number
    let children: PhrasingContent[] = []
    let end: number
    if (atx) {
      start = this.#marker(map[0], token.markup, false)
      end = this.#lineEnd(map[0])
      if (inline.content !== '') {
        const from = this.#text.indexOf(inline.content, start + token.markup.length)
        if (from === -1 || from >= end) throw new Refused('position')
        children = this.#inline(inline, from).children
      }
    } else {
      start = this.#marker(map[0], inline.content.charAt(0), false)
      children = this.#inline(inline, start).children
      end = this.#lineEnd(map[1] - 1)
    }
    const node: Heading = { type: 'heading', depth, children }
    node.position = this.#position(start, end)
    return node
  }

  /**
   * The offset of a marker on a line, searched from the last container
   * marker found on that line; with `exact`, nothing but spaces and
   * container markers may come before it.
   */
  #marker(line: number, marker: string, container: boolean): number {
    const lineStart = this.#lineStarts[line] ?? 0
    const from = this.#cursorLine === line ? this.#cursor : lineStart
    const at = marker === '' ? from : this.#text.indexOf(marker, from)
    const lineEnd = this.#lineEnd(line)
    if (at === -1 || at > lineEnd) throw new Refused('position')
    // Only indentation and container markers may stand before a block.
    for (let index = from; index < at; index++) {
      const code = this.#text.charCodeAt(index)
      if (!isIndent(code)) throw new Refused('position')
    }
    if (container) {
      this.#cursorLine = line
      this.#cursor = at + marker.length
    }
    return at
  }

  /** Offset of a line's end (before its line feed). */
  #lineEnd(line: number): number {
    const next = this.#lineStarts[line + 1]
    return next === undefined ? this.#text.length : next - 1
  }

  /** A line's text, or '' past the end. */
  #lineText(line: number): string {
    const start = this.#lineStarts[line]
    return start === undefined ? '' : this.#text.slice(start, this.#lineEnd(line))
  }

  /** The line an offset is on (0-based). */
  #lineOf(offset: number): number {
    return this.#point(offset).line - 1
  }

  /** The end of the last line with text among `[from, to)`. */
  #lastTextEnd(from: number, to: number): number {
    for (let line = to - 1; line >= from; line--) {
      const end = this.#lineEnd(line)
      const start = this.#lineStarts[line] ?? 0
      if (end > start && this.#text.slice(start, end).replace(/[ >]/g, '') !== '') return end
    }
    return this.#lineStarts[from] ?? 0
  }

  /**
   * The phrasing content of an inline token whose content starts at `start`
   * in the source, and the offset where it ends.
   */
  #inline(inline: Token, start: number): { children: PhrasingContent[]; end: number } {
    const content = inline.content
    // GFM strikethrough needs two runs of one or two tildes in one block
    // (`10~12시` alone is text, and so is `9 ~ 10`); markdown-it reads none
    // of them.
    if (content.includes('~')) checkTildes(inline)
    // GFM counts `~` as neither space nor punctuation beside `*` and `_`
    // (it is an attention marker there); markdown-it counts it as punctuation.
    if (content.includes('~') && emphasisBesideTilde.test(content))
      throw new Refused('strikethrough')
    // markdown-it keeps a tab before a line break in the text; CommonMark drops it.
    if (content.includes('\t') && /\t[ \t]*\n/.test(content)) throw new Refused('position')
    let source: (at: number) => number
    if (!content.includes('\n')) {
      // One line: the content is the source as written from `start`.
      if (!this.#text.startsWith(content, start)) throw new Refused('position')
      source = (at) => start + at
    } else {
      const offsets = align(content, this.#text, start)
      if (!offsets) throw new Refused('position')
      source = (at) => offsets[at] as number
    }
    const end = content.length === 0 ? start : source(content.length - 1) + 1
    const children = new PhrasingReader(inline.children ?? [], source, this).read()
    return { children, end }
  }

  /** A unist point for an offset. */
  point(offset: number): { line: number; column: number; offset: number } {
    return this.#point(offset)
  }

  #point(offset: number): { line: number; column: number; offset: number } {
    const starts = this.#lineStarts
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((starts[middle] as number) <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1, offset }
  }

  #position(start: number, end: number): NonNullable<Nodes['position']> {
    return { start: this.#point(start), end: this.#point(end) }
  }

  /** The source text, for the phrasing reader's checks. */
  get text(): string {
    return this.#text
  }
}

/**
 * Where each character of an inline token's content sits in the source,
 * from `start`: the content is the source less container markers and
 * indentation at line starts, which are skipped. Undefined when they do not
 * line up. The extra last entry is the offset after the content.
 */
function align(content: string, text: string, start: number): Int32Array | undefined {
  const offsets = new Int32Array(content.length + 1)
  let at = start
  for (let index = 0; index < content.length; index++) {
    const code = content.charCodeAt(index)
    if (code !== text.charCodeAt(at)) return undefined
    offsets[index] = at++
    if (code === 0x0a) {
      // The next line's container markers and indentation; the content keeps
      // some of that indentation, which no token starts in.
      while (at < text.length && isIndent(text.charCodeAt(at))) at++
      while (index + 1 < content.length && isBlank(content.charCodeAt(index + 1))) {
        offsets[++index] = at
      }
    }
  }
  offsets[content.length] = at
  return offsets
}

/** Turns one inline token's children into mdast phrasing content. */
class PhrasingReader {
  #index = 0
  /** How many links the current token sits in. */
  #links = 0
  /** Whether a `[` has been read as text (outside links) so far. */
  #bracket = false

  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: (at: number) => number,
    private readonly tree: TreeBuilder,
  ) {}

  read(): PhrasingContent[] {
    return this.#until('')
  }

  #until(close: string): PhrasingContent[] {
    const out: PhrasingContent[] = []
    const tokens = this.tokens
    while (this.#index < tokens.length) {
      const token = tokens[this.#index] as Token
      if (token.type === close) {
        this.#index++
        return out
      }
      switch (token.type) {
        case 'text':
        case 'text_special':
        case 'softbreak':
          this.#text(out)
          continue
        default:
          break
      }
      this.#index++
      const [from, to] = token.map ?? [0, 0]
      switch (token.type) {
        case 'code_inline': {
          const start = this.source(from)
          const end = this.source(to - 1) + 1
          if (this.tree.text.slice(start, end).includes('\n')) throw new Refused('position')
          const node: InlineCode = { type: 'inlineCode', value: token.content }
          node.position = this.#position(start, end)
          out.push(node)
          break
        }
        case 'hardbreak': {
          const node: PhrasingContent = { type: 'break' }
          node.position = this.#position(this.source(from), this.source(to - 1) + 1)
          out.push(node)
          break
        }
        case 'html_inline': {
          const node: Html = { type: 'html', value: token.content }
          node.position = this.#position(this.source(from), this.source(to - 1) + 1)
          out.push(node)
          break
        }
        case 's_open': {
          const children = this.#until('s_close')
          const close = tokens[this.#index - 1] as Token
          const node: PhrasingContent = { type: 'delete', children }
          node.position = this.#position(
            this.source(from),
            this.source((close.map?.[1] ?? 1) - 1) + 1,
          )
          out.push(node)
          break
        }
        case 'em_open':
        case 'strong_open': {
          const children = this.#until(token.type.replace('_open', '_close'))
          const node = {
            type: token.type === 'em_open' ? 'emphasis' : 'strong',
            children,
          } as PhrasingContent
          node.position = this.#around(from, children)
          out.push(node)
          break
        }
        case 'link_open': {
          this.#links++
          const children = this.#until('link_close')
          this.#links--
          const node: Link = { type: 'link', url: token.attrGet('href') ?? '', children }
          const title = token.attrGet('title')
          node.title = title === null || title === '' ? null : title
          node.position = this.#around(from, children)
          out.push(node)
          break
        }
        case 'image': {
          const node: Image = {
            type: 'image',
            url: token.attrGet('src') ?? '',
            alt: altText(token.children ?? []),
          }
          const title = token.attrGet('title')
          node.title = title === null || title === '' ? null : title
          node.position = this.#position(this.source(from), this.source(to - 1) + 1)
          out.push(node)
          break
        }
        default:
          throw new Refused('position')
      }
    }
    return out
  }

  /**
   * Adjacent text pieces and soft breaks: one text node, as mdast has, or
   * several around the plain `http(s)://` literals GFM makes in it.
   */
  #text(out: PhrasingContent[]) {
    const tokens = this.tokens
    let value = ''
    // Per character of `value`: where it starts and ends in the source, and
    // whether it is the source character itself (not an escape, a reference
    // or a line break).
    const starts: number[] = []
    const ends: number[] = []
    const plain: boolean[] = []
    while (this.#index < tokens.length) {
      const token = tokens[this.#index] as Token
      if (token.type !== 'text' && token.type !== 'text_special' && token.type !== 'softbreak')
        break
      this.#index++
      const [from, to] = token.map ?? [0, 0]
      if (token.type === 'softbreak') {
        // A line break alone (between images, say) is a text node too.
        starts.push(this.source(from))
        ends.push(this.source(to))
        plain.push(false)
        value += '\n'
        continue
      }
      if (token.content === '') continue
      if (token.type === 'text') {
        for (let at = 0; at < token.content.length; at++) {
          const offset = this.source(from + at)
          starts.push(offset)
          ends.push(offset + 1)
          plain.push(true)
        }
      } else {
        const first = this.source(from)
        const last = this.source(to - 1) + 1
        for (let at = 0; at < token.content.length; at++) {
          starts.push(first)
          ends.push(last)
          plain.push(false)
        }
      }
      value += token.content
    }
    if (value === '') return
    const piece = (from: number, to: number) => {
      if (from === to) return
      const node: Text = { type: 'text', value: value.slice(from, to) }
      node.position = this.#position(starts[from] as number, ends[to - 1] as number)
      out.push(node)
    }
    // Inside a link GFM makes no literal: micromark's tokenizer sees the
    // link's open `[` and mdast-util-gfm-autolink-literal skips links.
    if (this.#links > 0) {
      piece(0, value.length)
      return
    }
    let from = 0
    for (;;) {
      autolinkLiteral.lastIndex = from
      const found = autolinkLiteral.exec(value)
      if (!found) break
      const at = found.index
      const literal = this.#literal(value, at, starts, plain)
      if (!literal) throw new Refused('autolink-literal')
      piece(from, at)
      out.push(literal)
      from = at + (literal.url.length as number)
    }
    piece(from, value.length)
    if (value.includes('[')) this.#bracket = true
  }

  /**
   * The `http://` or `https://` literal GFM makes at `at` in a text value,
   * or undefined when it may make something else there (a `www.` or e-mail
   * literal, an uppercase scheme, a literal after an open `[`, one with an
   * escape, a reference or non-ASCII text in it): those are left to remark.
   */
  #literal(value: string, at: number, starts: number[], plain: boolean[]): Link | undefined {
    // micromark makes no literal after an unclosed `[` or `![`; a closed
    // one that is no link is left to remark too.
    if (this.#bracket || value.lastIndexOf('[', at) !== -1) return undefined
    if (!value.startsWith('http://', at) && !value.startsWith('https://', at)) return undefined
    if (!plain[at]) return undefined
    const text = this.tree.text
    const start = starts[at] as number
    // The scheme may not follow an ASCII letter.
    if (start > 0 && /[A-Za-z]/.test(text.charAt(start - 1))) return undefined
    const end = literalEnd(text, start)
    if (end === undefined) return undefined
    const length = end - start
    // Every character of the literal must be the source's own, in one run.
    if (at + length > value.length) return undefined
    for (let index = 1; index < length; index++)
      if (!plain[at + index] || starts[at + index] !== start + index) return undefined
    const url = text.slice(start, end)
    const label: Text = { type: 'text', value: url }
    label.position = this.#position(start, end)
    const node: Link = { type: 'link', title: null, url, children: [label] }
    node.position = this.#position(start, end)
    return node
  }

  #around(from: number, children: readonly PhrasingContent[]): NonNullable<Nodes['position']> {
    const start = this.source(from)
    const last = children[children.length - 1]
    const end = last?.position?.end.offset ?? start
    return this.#position(start, end)
  }

  #position(start: number, end: number): NonNullable<Nodes['position']> {
    return { start: this.tree.point(start), end: this.tree.point(end) }
  }
}

/**
 * Where micromark's GFM literal starting with `http://` or `https://` at
 * `start` ends (micromark-extension-gfm-autolink-literal's domain, path and
 * trail rules), for ASCII literals with domains of letters, digits, `-` and
 * `.`; undefined for anything else, which is left to remark.
 */
function literalEnd(text: string, start: number): number | undefined {
  let at = text.indexOf('//', start) + 2
  if (!/[A-Za-z0-9]/.test(text.charAt(at))) return undefined
  // The domain: up to whitespace or punctuation other than `-`; a `.` that
  // starts the trail ends it.
  for (; at < text.length; at++) {
    const char = text.charAt(at)
    if (char === '.' || char === '_') {
      const trail = trailAt(text, at)
      if (trail === undefined) return undefined
      if (trail) return at
      if (char === '_') return undefined
      continue
    }
    if (char.charCodeAt(0) > 0x7e) return undefined
    if (/[\s]/.test(char) || (char !== '-' && asciiPunctuation.test(char))) break
    if (char.charCodeAt(0) < 0x20) return undefined
  }
  // The path: up to whitespace, less the trail; parentheses balanced.
  let open = 0
  let close = 0
  for (; at < text.length; at++) {
    const char = text.charAt(at)
    const code = char.charCodeAt(0)
    if (code > 0x7e) return undefined
    if (char === ' ' || char === '\t' || char === '\n') return at
    if (code < 0x20) return undefined
    if (char === '(') {
      open++
      continue
    }
    if (char === ')' && close < open) {
      close++
      continue
    }
    if (pathTrailStart.includes(char)) {
      const trail = trailAt(text, at)
      if (trail === undefined) return undefined
      if (trail) return at
      if (char === ')') close++
    }
  }
  return at
}

/** ASCII punctuation, which ends a literal's domain (but `-`, `.` and `_`). */
const asciiPunctuation = /[!-/:-@[-`{-~]/

/** Characters where a literal's path may end in its trail. */
const pathTrailStart = '!"&\')*,.:;<?]_~'

/**
 * Whether the characters from `at` are a literal's trail (trailing
 * punctuation, then its end); undefined where non-ASCII text makes it
 * uncertain.
 */
function trailAt(text: string, at: number): boolean | undefined {
  while (at <= text.length) {
    if (at === text.length) return true
    const char = text.charAt(at)
    const code = char.charCodeAt(0)
    if (code > 0x7e) return undefined
    if ('!"\')*,.:;?_~'.includes(char)) {
      at++
      continue
    }
    if (char === '&') {
      // `&name;` is trail as a whole; anything else continues the URL.
      const reference = /^&[A-Za-z]+;/.exec(text.slice(at, at + 64))
      if (!reference) return false
      at += reference[0].length
      continue
    }
    if (char === ']') {
      at++
      const next = text.charAt(at)
      if (
        at === text.length ||
        next === '(' ||
        next === '[' ||
        next === ' ' ||
        next === '\t' ||
        next === '\n'
      )
        return true
      continue
    }
    if (char === '<' || char === ' ' || char === '\t' || char === '\n') return true
    if (code < 0x20) return undefined
    return false
  }
  return true
}

function countLines(text: string): number {
  let lines = 0
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++
  return lines
}

/** Space, tab or a block quote marker: what may stand before a block on its line. */
function isIndent(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x3e
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09
}

/** An image's alt text as mdast gives it: the text of its description. */
function altText(tokens: readonly Token[]): string {
  let alt = ''
  for (const token of tokens) {
    if (token.type === 'image') alt += altText(token.children ?? [])
    else if (token.type === 'softbreak') alt += '\n'
    else if (
      token.type === 'text' ||
      token.type === 'text_special' ||
      token.type === 'code_inline' ||
      token.type === 'html_inline'
    )
      alt += token.content
  }
  return alt
}
