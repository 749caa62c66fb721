import type { Root } from 'mdast'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { type FastReadRefusal, readFastMarkdown } from './fast-markdown.ts'

export type { FastReadRefusal } from './fast-markdown.ts'

// GFM adds tables, strikethrough, autolinks and task lists, which notes use.
const processor = unified().use(remarkParse).use(remarkGfm).freeze()

/**
 * Parse Markdown into an mdast tree with positions.
 *
 * @param text
 *   Markdown text.
 * @returns
 *   The tree.
 */
export function parseMarkdown(text: string): Root {
  return processor.parse(text)
}

/**
 * Which reader turns a post into its tree: `fast` (markdown-it, checked
 * against the source, remark where it cannot read a post identically) or
 * `remark` (remark-parse + remark-gfm, the reference).
 */
export type MarkdownReader = 'fast' | 'remark'

/** A post's tree and how it was read. */
export interface ReadMarkdown {
  readonly tree: Root
  /** The parser that made the tree. */
  readonly parser: 'markdown-it' | 'remark'
  /** Why the fast reader left the post to remark, when it did. */
  readonly refused: FastReadRefusal | null
}

/**
 * Read a post's Markdown into an mdast tree with positions: the same tree
 * whichever reader is asked for, in every part the extractor reads.
 *
 * @param text
 *   Markdown with `\n` line endings.
 * @param reader
 *   Which reader to use (default `fast`).
 * @returns
 *   The tree, the parser that made it and, if the fast reader refused the
 *   post, why.
 */
export function readMarkdown(text: string, reader: MarkdownReader = 'fast'): ReadMarkdown {
  if (reader === 'remark') return { tree: parseMarkdown(text), parser: 'remark', refused: null }
  const fast = readFastMarkdown(text)
  if (fast.tree) return { tree: fast.tree, parser: 'markdown-it', refused: null }
  return { tree: parseMarkdown(text), parser: 'remark', refused: fast.refused }
}

/** Maps string offsets to 1-based lines and columns. */
export interface LineIndex {
  position(offset: number): { line: number; column: number }
}

/**
 * Index the line starts of a text.
 *
 * @param text
 *   Any text with `\n` line endings.
 * @returns
 *   An index from offsets to lines and columns.
 */
export function createLineIndex(text: string): LineIndex {
  const found = [0]
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    found.push(index + 1)
  }
  // Kept with the post it indexes: a typed array of the exact size.
  const starts = Int32Array.from(found)
  return {
    position(offset) {
      let low = 0
      let high = starts.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if ((starts[middle] ?? 0) <= offset) low = middle
        else high = middle - 1
      }
      return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 }
    },
  }
}
