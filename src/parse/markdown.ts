import type { Root } from 'mdast'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'

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
