/**
 * HTML for every `HTML` field of the API, rendered once per text and kept,
 * and rendered off the request thread: rendering costs as much as parsing
 * (about 0.3 MB/s for Korean notes) and cannot be interrupted, so a page of
 * long posts rendered where requests are answered would hold up every other
 * client, `/health` included.
 */
import { createGraphQLError } from 'graphql-yoga'
import { LRUCache } from 'lru-cache'
import { createWorkerPool, type WorkerPool, workerModule } from '../load/worker-pool.ts'
import { renderMarkdown } from './html-render.ts'

/**
 * Longest Markdown rendered to HTML, in characters: 256 Ki characters is
 * about a second of rendering at worst, and ten times the longest real post
 * seen. Beyond it a field asks for the parts instead.
 */
export const maxHtmlSourceLength = 256 * 1024

/** Options for `createHtmlRenderer`. */
export interface HtmlRendererOptions {
  /**
   * Worker threads that render texts longer than `inlineMaxLength`; 0 renders
   * every text on the request thread (no time budget can apply there).
   * @default 1
   */
  readonly workers?: number
  /**
   * Time one text may take to render in a worker; past it the worker is
   * stopped and the field is an `HTML_TIMEOUT` error, for this text version.
   * @default 5000
   */
  readonly timeoutMs?: number
  /**
   * Texts up to this many characters are rendered on the request thread:
   * under a few milliseconds, less than a round trip to a worker is worth.
   * @default 1024
   */
  readonly inlineMaxLength?: number
  /**
   * Characters of Markdown and HTML kept, the least recently used dropped first.
   * @default 16 Mi
   */
  readonly cacheSize?: number
}

/** Renders `HTML` fields: at most once per text while it stays in the cache. */
export interface HtmlRenderer {
  /**
   * The sanitized HTML of a Markdown text.
   *
   * @throws
   *   `HTML_TOO_LARGE` beyond `maxHtmlSourceLength` characters,
   *   `HTML_TIMEOUT` when rendering took longer than the time budget,
   *   `HTML_FAILED` when the renderer failed on this text.
   */
  render(markdown: string): string | Promise<string>
  /** Texts rendered (not served from the cache) so far. */
  readonly rendered: number
  /** Stop the workers. */
  close(): Promise<void>
}

/** What a render gives: the HTML, or why there is none (kept as well, so a text fails once). */
type Rendered = { readonly html: string } | { readonly failure: 'timeout' | 'failed' }

/**
 * Make an HTML renderer: a bounded cache by text (a text is its version: an
 * edit makes a new one, and the old one ages out), renders of the same text
 * shared while they run, and texts longer than `inlineMaxLength` rendered in
 * worker threads within a time budget.
 *
 * @param options
 *   Workers, budget and cache size.
 * @returns
 *   The renderer; its workers start on first use.
 */
export function createHtmlRenderer(options: HtmlRendererOptions = {}): HtmlRenderer {
  const {
    workers = 1,
    timeoutMs = 5000,
    inlineMaxLength = 1024,
    cacheSize = 16 * 1024 * 1024,
  } = options
  const cache = new LRUCache<string, Rendered>({
    maxSize: cacheSize,
    sizeCalculation: (value, key) =>
      Math.max(1, key.length + ('html' in value ? value.html.length : 0)),
  })
  const running = new Map<string, Promise<Rendered>>()
  let pool: WorkerPool<string, Rendered> | undefined
  let rendered = 0

  const inWorker = (markdown: string): Promise<Rendered> => {
    pool ??= createWorkerPool<string, Rendered>({
      size: workers,
      module: workerModule(import.meta.url, 'html-worker'),
      workerData: undefined,
      timeoutMs,
      prefetch: 1,
      failure: (_, failure) => ({ failure: failure.kind === 'timeout' ? 'timeout' : 'failed' }),
    })
    return pool.run(markdown)
  }

  const answer = (markdown: string, result: Rendered): string => {
    if ('html' in result) return result.html
    throw result.failure === 'timeout'
      ? createGraphQLError(
          `Rendering this text's HTML took longer than ${timeoutMs} ms and was stopped: ask for its talks, sections and bullets instead`,
          { extensions: { code: 'HTML_TIMEOUT', limit: timeoutMs, length: markdown.length } },
        )
      : createGraphQLError(
          'This text could not be rendered to HTML: ask for its talks, sections and bullets instead',
          { extensions: { code: 'HTML_FAILED' } },
        )
  }

  return {
    render(markdown) {
      if (markdown.length > maxHtmlSourceLength) throw tooLarge(markdown)
      const hit = cache.get(markdown)
      if (hit) return answer(markdown, hit)
      if (workers <= 0 || markdown.length <= inlineMaxLength) {
        let result: Rendered
        try {
          result = { html: renderMarkdown(markdown) }
        } catch {
          result = { failure: 'failed' }
        }
        rendered++
        cache.set(markdown, result)
        return answer(markdown, result)
      }
      let pending = running.get(markdown)
      if (!pending) {
        pending = inWorker(markdown).then((result) => {
          running.delete(markdown)
          rendered++
          cache.set(markdown, result)
          return result
        })
        running.set(markdown, pending)
      }
      return pending.then((result) => answer(markdown, result))
    },
    get rendered() {
      return rendered
    },
    async close() {
      await pool?.close()
      pool = undefined
    },
  }
}

const shared = new Map<number, HtmlRenderer>()

/**
 * The renderer every server of this process with the same worker count
 * shares (their caches would hold the same texts), made on first use. Its
 * idle workers do not keep the process alive.
 *
 * @param workers
 *   Worker threads (0: render on the request thread).
 * @returns
 *   The renderer.
 */
export function sharedHtmlRenderer(workers = 1): HtmlRenderer {
  let renderer = shared.get(workers)
  if (!renderer) {
    renderer = createHtmlRenderer({ workers })
    shared.set(workers, renderer)
  }
  return renderer
}

/**
 * Render Markdown to sanitized HTML here and now, for callers without a
 * renderer (one-off rendering, tests).
 *
 * @param markdown
 *   Markdown source (GitHub-flavored: tables, autolinks, strikethrough).
 * @returns
 *   An HTML fragment safe to insert into a page; empty for empty input.
 * @throws
 *   An `HTML_TOO_LARGE` error beyond `maxHtmlSourceLength` characters.
 */
export function markdownToHtml(markdown: string): string {
  if (markdown.length > maxHtmlSourceLength) throw tooLarge(markdown)
  return renderMarkdown(markdown)
}

function tooLarge(markdown: string) {
  return createGraphQLError(
    `This text is ${markdown.length} characters long; HTML is rendered for up to ${maxHtmlSourceLength}: ask for its talks, sections and bullets instead`,
    { extensions: { code: 'HTML_TOO_LARGE', limit: maxHtmlSourceLength } },
  )
}
