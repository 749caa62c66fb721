/** Worker thread entry (internal): renders the HTML that `./html.ts` sends. */
import { serveTasks } from '../load/worker-tasks.ts'
import { renderMarkdown } from './html-render.ts'

// Render a small text once before taking any: a text's time budget should
// pay for rendering it, not for compiling the renderer on first use.
renderMarkdown(
  '# Warm-up\n\n- a **list** with `code` and https://example.com\n\n| a |\n| - |\n| 1 |\n',
)

serveTasks<string, { html: string }>((markdown) => ({ html: renderMarkdown(markdown) }))
