/**
 * Markdown to sanitized HTML, the rendering itself: run by the HTML workers
 * (./html-worker.ts) and, without workers, by `./html.ts` on the request
 * thread. Kept apart from `./html.ts` so that a worker loads only this.
 *
 * Raw HTML written in the Markdown is dropped rather than passed through:
 * remark-rehype leaves it out by default, and rehype-sanitize (GitHub's
 * rules) then removes scripts, event-handler attributes and `javascript:`
 * URLs from what Markdown itself produced.
 */
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

/**
 * Render Markdown to sanitized HTML, however long it takes: callers decide
 * where (a worker with a time budget, or here for short texts) and how long.
 *
 * @param markdown
 *   Markdown source (GitHub-flavored: tables, autolinks, strikethrough).
 * @returns
 *   An HTML fragment safe to insert into a page; empty for empty input.
 */
export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown))
}
