/** A line whose container nesting was cut to the limit. */
export interface NestingCut {
  readonly line: number
  readonly column: number
  readonly depth: number
}

/**
 * Flatten block nesting deeper than a limit, before parsing.
 *
 * The Markdown parser and tree utilities recurse once per level, so a post
 * nesting block quotes or list items thousands deep (`>>>>…`, `- - - …`)
 * would exhaust the stack. Markers past the limit are dropped, so the text
 * they hold is kept at the deepest allowed level, and each cut is reported.
 *
 * @param text
 *   Markdown with `\n` line endings.
 * @param limit
 *   Deepest nesting kept.
 * @returns
 *   The text (unchanged when nothing is too deep) and the cuts made.
 */
export function limitNesting(text: string, limit: number): { text: string; cuts: NestingCut[] } {
  const cuts: NestingCut[] = []
  // Fast path: no line can be too deep unless it has that many marker characters.
  if (!new RegExp(`[>*+\\-.)\\s]{${limit}}`).test(text)) return { text, cuts }
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    const cut = cutLine(line, limit)
    if (cut) {
      lines[index] = cut.text
      cuts.push({ line: index + 1, column: cut.column, depth: cut.depth })
    }
  }
  return cuts.length > 0 ? { text: lines.join('\n'), cuts } : { text, cuts }
}

const marker = /^(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)/

function cutLine(
  line: string,
  limit: number,
): { text: string; column: number; depth: number } | undefined {
  let position = 0
  let depth = 0
  let cutAt = -1
  const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0
  // Deep indentation nests list items too: two columns a level at least.
  if (indent > limit * 4) {
    return { text: line.slice(indent - limit * 4), column: 1, depth: Math.floor(indent / 2) }
  }
  position = indent
  while (position < line.length) {
    const match = marker.exec(line.slice(position, position + 16))
    if (!match) break
    depth++
    position += match[0].length
    if (depth === limit) cutAt = position
  }
  if (cutAt === -1) return undefined
  return {
    text: line.slice(0, cutAt) + line.slice(position),
    column: cutAt + 1,
    depth,
  }
}
