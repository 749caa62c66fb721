/**
 * Highlights of a hit: for each field where the query matched, a plain-text
 * snippet, the matched ranges in it, and where the match is in the file.
 */
import type { SourceLocation } from '../model/types.ts'
import type { SearchField } from './documents.ts'
import { fieldsOfNode, type SearchHit } from './search-index.ts'
import { foldWithOrigin, runsOf } from './text.ts'

/** A matched range of a snippet: UTF-16 offsets, end exclusive. */
export interface HighlightRange {
  readonly start: number
  readonly end: number
}

/** One field of a hit where the query matched. */
export interface Highlight {
  readonly field: SearchField
  /** Plain text: the whole field, or a window of it around the first match. */
  readonly snippet: string
  /** Matched ranges, offsets into `snippet`, in order, not overlapping. */
  readonly ranges: readonly HighlightRange[]
  /** Where the first match is in the file: its line and column, and where it ends. */
  readonly source: SourceLocation
}

/** Longest snippet, in characters, before a field is cut to a window. */
const snippetLength = 160

/** Characters kept before the first match when a field is cut. */
const leadLength = 40

/** Most highlights per hit: a node has at most two searchable fields. */
const maxHighlights = 2

/**
 * The highlights of a hit.
 *
 * @param hit
 *   A hit of `SearchIndex.search`.
 * @returns
 *   One highlight per field where a word, alias or phrase of the query
 *   occurs; none when the node matched only through an index term that is not
 *   visible as written (a prefix of a longer word is shown, an alias spelled
 *   otherwise is not).
 */
export function highlightsOf(hit: SearchHit): Highlight[] {
  const out: Highlight[] = []
  for (const [field, text] of fieldsOfNode(hit.node)) {
    if (out.length >= maxHighlights) break
    const folded = foldWithOrigin(text)
    const found: HighlightRange[] = []
    for (const needle of hit.query.needles) {
      let from = 0
      for (;;) {
        const at = folded.text.indexOf(needle.text, from)
        if (at < 0) break
        const latinEnd = isWordChar(needle.text, needle.text.length - 1)
        // A Latin word takes its plural or possessive ending with it
        // (`space` in `spaces`), as the index stems both alike.
        const end = latinEnd
          ? withEnding(folded.text, at + needle.text.length)
          : at + needle.text.length
        // Latin words match whole (`a` is not the `a` of `mesh`), or as a
        // prefix while typed; Hangul and CJK match inside runs, as indexed.
        if (
          !(isWordChar(needle.text, 0) && isWordChar(folded.text, at - 1)) &&
          (needle.prefix || !(latinEnd && isWordChar(folded.text, end)))
        ) {
          found.push({
            start: folded.origin[at] as number,
            end: folded.origin[end] as number,
          })
        }
        from = at + 1
      }
    }
    if (found.length === 0) continue
    const ranges = merge(found)
    const first = ranges[0] as HighlightRange
    let start = 0
    let end = text.length
    if (text.length > snippetLength) {
      start = Math.max(0, first.start - leadLength)
      // Start at a word boundary when one is near.
      const space = text.lastIndexOf(' ', first.start)
      if (space >= start && space < first.start) start = space + 1
      end = Math.min(text.length, start + snippetLength)
    }
    out.push({
      field,
      snippet: text.slice(start, end),
      ranges: ranges
        .filter((range) => range.start < end && range.end > start)
        .map((range) => ({
          start: range.start - start,
          end: Math.min(range.end, end) - start,
        })),
      source: sourceOf(hit, field, text, first),
    })
  }
  return out
}

/** Whether the unit at an offset is a letter or digit of an alphabetic script (not Hangul or CJK). */
function isWordChar(text: string, offset: number): boolean {
  const code = text.charCodeAt(offset)
  if (Number.isNaN(code)) return false
  const char = text[offset] as string
  return runsOf(char)[0]?.script === 'word'
}

/** Endings a Latin word may carry where it matched: plural and possessive. */
const endings = /^(?:'s|\u2019s|es|s)/

/**
 * Where a Latin word that matched at `end` ends with its plural or
 * possessive ending, when one follows it and ends the word.
 */
function withEnding(text: string, end: number): number {
  const ending = endings.exec(text.slice(end, end + 3))?.[0]
  return ending && !isWordChar(text, end + ending.length) ? end + ending.length : end
}

/** Sort ranges and join the ones that overlap or touch. */
function merge(ranges: HighlightRange[]): HighlightRange[] {
  ranges.sort((a, b) => a.start - b.start || b.end - a.end)
  const out: HighlightRange[] = []
  for (const range of ranges) {
    const last = out.at(-1)
    if (last && range.start <= last.end) {
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, range.end) }
    } else out.push(range)
  }
  return out
}

/**
 * Where a match is in the file. A bullet's Markdown is a run of the file, so
 * the match is found in it and counted in lines; a talk's heading is the
 * first line of its Markdown. Other fields point at their node.
 */
function sourceOf(
  hit: SearchHit,
  field: SearchField,
  text: string,
  range: HighlightRange,
): SourceLocation {
  const node = hit.node
  const base = node.value.source
  const matched = text.slice(range.start, range.end)
  let markdown: string | undefined
  if (node.type === 'Bullet') markdown = node.value.markdown
  else if (node.type === 'Talk' && field === 'talkTitle')
    markdown = node.value.markdown.split('\n')[0]
  if (markdown === undefined) return base
  const folded = foldWithOrigin(markdown)
  const at = folded.text.indexOf(foldWithOrigin(matched).text)
  if (at < 0) return base
  const offset = folded.origin[at] as number
  const before = markdown.slice(0, offset)
  const lines = before.split('\n')
  const line = base.line + lines.length - 1
  // Continuation lines of a bullet's Markdown lost the indentation up to
  // the bullet's column; adding the column back gives the file's column.
  const column = (lines.at(-1)?.length ?? 0) + base.column
  const endLines = markdown.slice(0, offset + matched.length).split('\n')
  return {
    path: base.path,
    line,
    column,
    endLine: base.line + endLines.length - 1,
    endColumn: (endLines.at(-1)?.length ?? 0) + base.column,
  }
}
