import type { Nodes } from 'mdast'

/**
 * Plain text of an mdast node: text, inline code and image alt text, with
 * hard breaks as newlines and block children on their own lines. Inline HTML
 * tags are dropped; their text is not.
 *
 * @param node
 *   Any mdast node.
 * @returns
 *   The text.
 */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value
    case 'code':
      return node.value
    case 'html':
      return htmlText(node.value)
    case 'break':
      return '\n'
    case 'image':
    case 'imageReference':
      return node.alt ?? ''
    case 'thematicBreak':
    case 'definition':
    case 'yaml':
      return ''
    case 'table':
      return node.children
        .map((row) => row.children.map((cell) => plainText(cell).trim()).join(' | '))
        .join('\n')
    default:
      break
  }
  if (!('children' in node)) return ''
  const block = isBlockContainer(node)
  return (node.children as Nodes[]).map(plainText).join(block ? '\n' : '')
}

/**
 * Text of an HTML fragment with tags and comments removed.
 *
 * @param html
 *   Raw HTML.
 * @returns
 *   The text, with entities for spaces and angle brackets decoded.
 */
export function htmlText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/**
 * Collapse runs of whitespace into single spaces and trim.
 *
 * @param text
 *   Any text.
 * @returns
 *   The collapsed text.
 */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function isBlockContainer(node: Nodes): boolean {
  return (
    node.type === 'root' ||
    node.type === 'blockquote' ||
    node.type === 'list' ||
    node.type === 'listItem' ||
    node.type === 'footnoteDefinition'
  )
}
