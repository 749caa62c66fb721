/**
 * What the outline reader needs from the Markdown tree: each heading's
 * text volume and shape, and the lines that name talks where headings do not
 * (`**1) Title**`, `**Title - Speaker -**`, `🧵 [**Title**](url) by Name`,
 * `- [Title](url) [[slides](url)] - note`).
 */
import type { Heading, ListItem, PhrasingContent, Root, RootContent } from 'mdast'
import type { OutlineHeading } from './outline.ts'
import { collapse, plainText } from './plain-text.ts'
import { isPeople, parseTalkTitle, speakerLine } from './talk-title.ts'
import { isMetaName, isSectionName, stripEmoji } from './vocabulary.ts'

/** A block that names a talk. */
export interface TalkLine {
  /** The line as written (plain text of its first line). */
  readonly text: string
  /** The bold or linked title part. */
  readonly title: string
  /** Text after the title on the same line (`by Name`, `[[slides](…)] - note`). */
  readonly tail: string
  /** Whether the block holds nothing but the line. */
  readonly whole: boolean
}

/**
 * The outline of a parsed post: each top-level heading with the words, the
 * talk lines and the link shape of what it holds.
 *
 * @param tree
 *   The post's mdast tree.
 * @param texts
 *   Plain text of each top-level heading, in order.
 * @returns
 *   One outline heading per top-level heading.
 */
export function outlineHeadings(tree: Root, texts: readonly string[]): OutlineHeading[] {
  const out: { depth: number; text: string; words: number; linked: boolean; talkLines: number }[] =
    []
  let current: (typeof out)[number] | undefined
  for (const node of tree.children) {
    if (node.type === 'heading') {
      current = {
        depth: node.depth,
        text: texts[out.length] ?? '',
        words: 0,
        linked: isLinked(node),
        talkLines: 0,
      }
      out.push(current)
      continue
    }
    if (!current) continue
    current.words += countWords(plainText(node))
    current.talkLines += talkLinesIn(node)
  }
  return out
}

/**
 * Talk lines before the first heading.
 *
 * @param tree
 *   The post's mdast tree.
 * @returns
 *   How many blocks before the first heading name a talk.
 */
export function preambleTalkLines(tree: Root): number {
  let lines = 0
  for (const node of tree.children) {
    if (node.type === 'heading') break
    lines += talkLinesIn(node)
  }
  return lines
}

/**
 * The talk a block names, if it is a bold or linked title line: a paragraph
 * whose first line is (after emoji) a bold or linked title with at most a
 * speaker after it, or a list item led by a linked title followed by slides,
 * a video or a note. A bold or linked text alone is a talk only with a
 * number, a speaker or a link (a bold `**배경**` is a pseudo-heading of notes).
 *
 * @param node
 *   A top-level block or a list item.
 * @returns
 *   The line, or undefined.
 */
export function talkLineOf(node: RootContent | ListItem): TalkLine | undefined {
  if (node.type === 'listItem') {
    const first = node.children[0]
    if (first?.type !== 'paragraph') return undefined
    const line = leadingTitle(first.children) ?? titleBeforeSlides(first.children)
    if (!line?.linked) return undefined
    // A bare link is a reference; a talk line carries slides, a video, a note or a speaker,
    // set off from the title (`[[slides](…)]`, ` - note`, `(Name)`), not a sentence going on.
    const tail = collapse(stripEmoji(line.tail))
    if (tail === '' && node.children.length === 1) return undefined
    if (tail !== '' && !/^(?:[-–—:/|([]|by\s|from\s)/u.test(tail)) return undefined
    return talkShaped(line) ? line : undefined
  }
  if (node.type !== 'paragraph') return undefined
  const unspaced = unspacedHeading(node.children)
  // The hashes mark it as a heading already: only its words can say it is no talk.
  if (unspaced) {
    return isMetaName(unspaced.title) || isSectionName(unspaced.title) ? undefined : unspaced
  }
  const line = leadingTitle(node.children)
  if (!line) return undefined
  const bold = node.children.some(
    (child) =>
      child.type === 'strong' ||
      (child.type === 'link' && child.children.some((inner) => inner.type === 'strong')),
  )
  // A link in running text, or alone on its line, is a reference unless it is bold
  // or the line names a number or a speaker.
  if (
    line.linked &&
    !bold &&
    parseTalkTitle(line.title).number === null &&
    !(line.tail && speakerLine(line.tail))
  ) {
    return undefined
  }
  return talkShaped(line) ? line : undefined
}

/**
 * A post title less a leading bracketed label (`[요약] Title`, `[SW 특강] Title`):
 * the title of a post that is one talk.
 *
 * @param title
 *   The post's title.
 * @returns
 *   The title without the label.
 */
export function stripLabel(title: string): string {
  return title.replace(/^\s*\[[^\]]+\]\s*/u, '').trim() || title
}

/**
 * `##Title`: a heading written without the space after its hashes. CommonMark
 * reads it as a paragraph, but kramdown and Redcarpet (Jekyll's engines) read
 * it as a heading, and authors who write it mean one. One hash alone is left
 * out: `#word` is a hashtag more often than a heading.
 */
function unspacedHeading(children: readonly PhrasingContent[]): LeadingTitle | undefined {
  const [first] = children
  if (first?.type !== 'text' || children.length !== 1) return undefined
  const match = /^#{2,6}(?=[^\s#])([^\n]*)$/u.exec(first.value)
  const rest = match?.[1]
  if (rest === undefined || /(?:^|\s)#[^\s#]/u.test(rest)) return undefined
  const title = collapse(rest.replace(/:\s*$/u, ''))
  if (title === '') return undefined
  return { text: title, title, tail: '', whole: true, linked: false }
}

function talkLinesIn(node: RootContent): number {
  if (node.type === 'list') return node.children.filter((item) => talkLineOf(item)).length
  return talkLineOf(node) ? 1 : 0
}

interface LeadingTitle extends TalkLine {
  readonly linked: boolean
}

function leadingTitle(children: readonly PhrasingContent[]): LeadingTitle | undefined {
  let at = 0
  // Leading emoji or spaces (`🧵 `, `⚡️🎤 `).
  while (at < children.length) {
    const child = children[at]
    if (child?.type === 'text' && stripEmoji(child.value).trim() === '') at++
    else break
  }
  const core = children[at]
  if (!core || (core.type !== 'strong' && core.type !== 'link')) return undefined
  const linked = core.type === 'link' || core.children.some((child) => child.type === 'link')
  const title = collapse(plainText(core))
  if (title === '') return undefined
  const rest: string[] = []
  let whole = true
  for (const child of children.slice(at + 1)) {
    if (child.type === 'break') {
      whole = false
      break
    }
    const text = child.type === 'text' ? child.value : plainText(child)
    const newline = text.indexOf('\n')
    if (newline !== -1) {
      rest.push(text.slice(0, newline))
      if (text.slice(newline).trim() !== '') whole = false
      // Anything after the first line belongs to the talk's notes.
      if (children.indexOf(child) < children.length - 1) whole = false
      break
    }
    rest.push(text)
  }
  const tail = collapse(rest.join(''))
  if (tail !== '') whole = false
  return { text: collapse(`${title} ${tail}`), title, tail, whole, linked }
}

/** `⚡️ Title [[slide](url)] - note`: a plain title followed by a link to its slides or video. */
function titleBeforeSlides(children: readonly PhrasingContent[]): LeadingTitle | undefined {
  const at = children.findIndex(
    (child) => child.type === 'link' && slidesWord.test(collapse(plainText(child))),
  )
  if (at < 1) return undefined
  const before = children.slice(0, at)
  if (!before.every((child) => child.type === 'text')) return undefined
  const title = collapse(stripEmoji(before.map((child) => plainText(child)).join('')))
    .replace(/\[+$/u, '')
    .trim()
  if (title === '' || title.includes('\n')) return undefined
  const tail = collapse(
    `[${children
      .slice(at)
      .map((child) => plainText(child))
      .join('')}`,
  )
  return { text: collapse(`${title} ${tail}`), title, tail, whole: false, linked: true }
}

const slidesWord = /^(?:slides?|video|영상|발표\s?자료|슬라이드|github|deck|recording)$/iu

function talkShaped(line: LeadingTitle): boolean {
  const title = stripEmoji(line.title)
  if (title.replace(/[\s\p{P}\p{S}]/gu, '').length < 2 && !line.linked) return false
  if (isMetaName(title) || isSectionName(title)) return false
  // A name alone is a speaker line; `Slides here` is a link to slides.
  if (isPeople(title) || /^(?:slides?|video|영상|발표\s?자료|슬라이드)(?:\s|$)/iu.test(title))
    return false
  const parsed = parseTalkTitle(line.title)
  if (parsed.number !== null || parsed.speaker !== null) return true
  if (line.tail && speakerLine(line.tail)) return true
  return line.linked
}

function isLinked(node: Heading): boolean {
  const visible = node.children.filter(
    (child) => child.type !== 'html' && !(child.type === 'text' && child.value.trim() === ''),
  )
  const only = visible[0]
  if (visible.length !== 1 || !only) return false
  if (only.type === 'link') return true
  return (
    (only.type === 'strong' || only.type === 'emphasis') &&
    only.children.length === 1 &&
    only.children[0]?.type === 'link'
  )
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}
