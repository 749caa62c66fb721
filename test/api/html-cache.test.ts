/**
 * HTML is rendered once per text and kept: asked again, the same text gets
 * the same HTML without rendering; a new version of a post (a new text) is
 * rendered anew. Long texts are rendered in a worker within a time budget,
 * past which the field is an `HTML_TIMEOUT` error, for that text only.
 */
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { GraphQLError } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHtmlRenderer, type HtmlRenderer, markdownToHtml } from '../../src/api/html.ts'
import { post, temporaryFolder } from '../faults/helpers.ts'
import { type Served, startServe } from '../helpers/serve.ts'
import { eventually, postText } from '../live/helpers.ts'

/** A text long enough to be rendered in a worker. */
const long = (word: string) =>
  Array.from({ length: 200 }, (_, index) => `- ${word} ${index} with \`code\``).join('\n')

/** Emphasis nested this deep makes the parser quadratic: seconds of work. */
const bomb = `${'*a '.repeat(12_000)}x${' a*'.repeat(12_000)}`

describe('the HTML renderer', () => {
  // A budget no ordinary text comes near, even on a busy machine, and a
  // tight one for the text made to exceed it.
  let renderer: HtmlRenderer
  let tight: HtmlRenderer

  beforeAll(() => {
    renderer = createHtmlRenderer({ workers: 1, timeoutMs: 60_000 })
    tight = createHtmlRenderer({ workers: 1, timeoutMs: 2000 })
  })

  afterAll(async () => {
    await renderer.close()
    await tight.close()
  })

  /** The error a render fails with (thrown at once, or rejected later). */
  const attempt = async (text: string): Promise<unknown> => {
    try {
      await tight.render(text)
    } catch (error) {
      return error
    }
    throw new Error('rendered without an error')
  }

  it('should render a long text in a worker as the request thread would', async () => {
    const text = long('first')
    expect(await renderer.render(text)).toBe(markdownToHtml(text))
  })

  it('should give the same HTML again without rendering it again', async () => {
    const text = long('again')
    const first = await renderer.render(text)
    const rendered = renderer.rendered
    expect(await renderer.render(text)).toBe(first)
    expect(renderer.rendered).toBe(rendered)
  })

  it('should render once for requests that ask at the same time', async () => {
    const text = long('together')
    const rendered = renderer.rendered
    const answers = await Promise.all([renderer.render(text), renderer.render(text)])
    expect(answers[0]).toBe(answers[1])
    expect(renderer.rendered).toBe(rendered + 1)
  })

  it('should render a new version of a text anew', async () => {
    const before = await renderer.render(long('before'))
    const after = await renderer.render(long('after'))
    expect(after).not.toBe(before)
    expect(after).toContain('after 199')
  })

  it('should stop a text past the time budget with HTML_TIMEOUT, once, and go on', async () => {
    const error = await attempt(bomb)
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'HTML_TIMEOUT', limit: 2000 })
    const rendered = tight.rendered
    const again = await attempt(bomb)
    expect((again as GraphQLError).extensions.code).toBe('HTML_TIMEOUT')
    expect(tight.rendered).toBe(rendered)
    expect(await tight.render(long('next'))).toContain('next 199')
  })
})

describe('HTML of a post served while watching', () => {
  let dir: string
  let served: Served

  beforeAll(async () => {
    dir = await temporaryFolder('html-cache')
    await writeFile(path.join(dir, 'post.md'), postText('Post', 'first version'))
    served = await startServe(['--content', dir, '--watch', '--cache-dir', ''])
  }, 60_000)

  afterAll(async () => {
    await served?.close()
    await rm(dir, { recursive: true, force: true })
  })

  const html = async () =>
    (await post(served.url, '{ post(slug: "post") { html } }')).data.post.html as string

  it('should be the same when asked again, and follow a new version', async () => {
    const first = await html()
    expect(first).toContain('first version')
    expect(await html()).toBe(first)
    await writeFile(path.join(dir, 'post.md'), postText('Post', 'second version'))
    const next = await eventually(html, (now) => now !== first, 30_000)
    expect(next).toContain('second version')
    expect(next).not.toContain('first version')
  }, 60_000)
})
