/**
 * Markdown to sanitized HTML for every `HTML` field of the API.
 *
 * Raw HTML written in the Markdown is dropped rather than passed through:
 * remark-rehype leaves it out by default, and rehype-sanitize (GitHub's
 * rules) then removes scripts, event-handler attributes and `javascript:`
 * URLs from what Markdown itself produced.
 */
import { createGraphQLError } from 'graphql-yoga'
import rehypeSanitize from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(rehypeStringify)
  .freeze()

// Rendering costs as much as parsing (about 0.3 MB/s for Korean notes), and the
// same bodies are asked for again and again, so results are kept, bounded by
// their total length. Insertion order doubles as recency: a hit moves to the end.
const cache = new Map<string, string>()
const cacheLimit = 8 * 1024 * 1024
let cached = 0

/**
 * Longest Markdown rendered to HTML, in characters. Rendering runs on the
 * thread that answers every request and cannot be interrupted, at about
 * 0.3 MB/s: 256 Ki characters is under a second at worst, and ten times the
 * longest real post seen. Beyond it a field asks for the parts instead.
 */
export const maxHtmlSourceLength = 256 * 1024

/**
 * Render Markdown to sanitized HTML.
 *
 * @param markdown
 *   Markdown source (GitHub-flavored: tables, autolinks, strikethrough).
 * @returns
 *   An HTML fragment safe to insert into a page; empty for empty input.
 * @throws
 *   An `HTML_TOO_LARGE` error beyond `maxHtmlSourceLength` characters.
 */
export function markdownToHtml(markdown: string): string {
  if (markdown.length > maxHtmlSourceLength) {
    throw createGraphQLError(
      `This text is ${markdown.length} characters long; HTML is rendered for up to ${maxHtmlSourceLength}: ask for its talks, sections and bullets instead`,
      { extensions: { code: 'HTML_TOO_LARGE', limit: maxHtmlSourceLength } },
    )
  }
  const hit = cache.get(markdown)
  if (hit !== undefined) {
    cache.delete(markdown)
    cache.set(markdown, hit)
    return hit
  }
  const html = String(processor.processSync(markdown))
  remember(markdown, html)
  return html
}

function remember(markdown: string, html: string): void {
  const size = markdown.length + html.length
  if (size > cacheLimit / 4) return
  cache.set(markdown, html)
  cached += size
  for (const [key, value] of cache) {
    if (cached <= cacheLimit) break
    cache.delete(key)
    cached -= key.length + value.length
  }
}
