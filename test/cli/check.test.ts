import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/content-graph.js', import.meta.url))
const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))

/** Run `content-graph check` and return its output and exit code. */
async function check(dir: string): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [bin, 'check', dir])
    return { stdout, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; code: number }
    return { stdout: failed.stdout, code: failed.code }
  }
}

describe('content-graph check', () => {
  it('should list problems as path:line:column and exit 1 on errors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-check-'))
    try {
      await writeFile(
        path.join(dir, 'good.md'),
        '---\ntitle: Good\ndate: 2024-01-01\n---\n- note\n',
      )
      await writeFile(path.join(dir, 'bad.md'), '---\ntitle: Bad\ntags: [a]]\n---\n- note\n')
      const { stdout, code } = await check(dir)
      expect(code).toBe(1)
      const lines = stdout.trim().split('\n')
      expect(lines[0]).toMatch(
        new RegExp(
          `^${path.join(dir, 'bad.md')}:3:\\d+: error: Invalid YAML front matter: .+ \\[yaml-syntax\\]$`,
        ),
      )
      expect(lines.at(-1)).toBe('1 post, 1 talk, 1 bullet, 0 technologies; 1 error, 0 warnings')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('should exit 0 on the sample content, listing warnings', async () => {
    const { stdout, code } = await check(fileURLToPath(new URL('../../content/', import.meta.url)))
    expect(code).toBe(0)
    expect(stdout).toContain('datayanolja-2020.md:1:1: warning: No date')
    expect(stdout.trim().split('\n').at(-1)).toMatch(
      /^1 post, 8 talks, \d+ bullets, \d+ technologies; 0 errors, 1 warning$/,
    )
  })

  it.runIf(existsSync(corpus))('should read every real post in the shared corpus', async () => {
    const { stdout, code } = await check(corpus)
    expect(code).toBe(0)
    const summary = stdout.trim().split('\n').at(-1) ?? ''
    const [, posts, talks] = /^(\d+) posts, (\d+) talks/.exec(summary) ?? []
    // The corpus grows: every Markdown file in it is a post, whatever their number.
    const files = (await readdir(corpus)).filter((name) => name.endsWith('.md'))
    expect(Number(posts)).toBe(files.length)
    // Most posts hold several talks, so together more talks than posts.
    expect(Number(talks)).toBeGreaterThanOrEqual(files.length)
    expect(stdout).not.toMatch(/read-failed/)
  })
})
