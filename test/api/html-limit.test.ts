/**
 * HTML rendering cannot be interrupted once started: a text too long to
 * render quickly gets a clear error with a code, and its post's other
 * fields and other posts are served as usual.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxHtmlSourceLength } from '../../src/api/html.ts'
import { loadContent } from '../../src/load/content.ts'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { query } from '../security/helpers.ts'

let dir: string
let server: ContentServer

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-html-limit-'))
  const rows = Array.from({ length: 20_000 }, (_, row) => `| ${row} | b | c |`).join('\n')
  await writeFile(
    path.join(dir, 'large.md'),
    `---\ntitle: Large\ndate: 2024-01-02\n---\n## 1. Talk\n\n| a | b | c |\n| - | - | - |\n${rows}\n`,
  )
  await writeFile(
    path.join(dir, 'small.md'),
    '---\ntitle: Small\ndate: 2024-01-02\n---\n## 1. Talk\n\n- a note\n',
  )
  const { graph } = await loadContent({ contentDir: dir })
  server = createContentServer({ graph, logging: false })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('HTML of a very long text', () => {
  it('should be refused with HTML_TOO_LARGE and the limit', async () => {
    const answer = await query(server.yoga, '{ post(slug: "large") { html } }', {
      accept: 'application/json',
    })
    expect(answer.body.data).toEqual({ post: null })
    expect(answer.body.errors[0].extensions).toEqual({
      code: 'HTML_TOO_LARGE',
      limit: maxHtmlSourceLength,
    })
    expect(answer.body.errors[0].message).toMatch(
      /ask for its talks, sections and bullets instead$/,
    )
  })

  it("should leave the post's other fields and the other posts served", async () => {
    const answer = await query(
      server.yoga,
      '{ large: post(slug: "large") { title wordCount } small: post(slug: "small") { html } }',
    )
    expect(answer.body).toEqual({
      data: {
        large: { title: 'Large', wordCount: expect.any(Number) },
        small: { html: '<h2>1. Talk</h2>\n<ul>\n<li>a note</li>\n</ul>' },
      },
    })
  })
})
