import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/content-graph.js', import.meta.url))
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** Run `content-graph check --explain` and return its output and exit code. */
async function explain(args: readonly string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [bin, 'check', '--explain', ...args])
    return { stdout, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; code: number }
    return { stdout: failed.stdout, code: failed.code }
  }
}

describe('content-graph check --explain', () => {
  it('should print each heading with its role and the evidence that decided it', async () => {
    const file = path.join(fixtures, 'groups-days-h2', 'devcon-2024.md')
    const { stdout, code } = await explain([file, '--content', fixtures])
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe(
      'groups-days-h2/devcon-2024.md: "데브콘 2024 참가 후기": 4 talks (talks read from the outline)',
    )
    expect(lines).toContain('  7:# 데브콘 2024 참가 후기 -> title: repeats the post title')
    expect(stdout).toMatch(
      /\n {2}11:## Day 1 -> group DAY 1: group word \(day\); holds 2 talk-shaped headings\n/,
    )
    expect(stdout).toMatch(
      /\n {2}13:### 대규모 로그 파이프라인 운영기 \(Mina Park\) -> talk \["대규모 로그 파이프라인 운영기" by Mina Park\]: .*names a speaker \(Mina Park\)/,
    )
    expect(stdout).toMatch(/\n {2}\d+:## 마치며 -> meta: meta word/)
  })

  it('should explain talks read from bold lines', async () => {
    const file = path.join(fixtures, 'talks-as-bold-lines', 'mobile-conf.md')
    const { stdout } = await explain([file, '--content', fixtures])
    expect(stdout).toContain('(talks read from bold or linked lines)')
    expect(stdout).toMatch(/## 들은 세션 -> group OTHER: .*its bold or linked lines are talks/)
    expect(stdout).toContain('talk line -> talk [#3 "접근성 점검 자동화" by 최윤서]')
  })

  it('should say when the whole post is one talk, and honour the folder settings', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-explain-'))
    try {
      const post = path.join(dir, 'meetup.md')
      await writeFile(
        post,
        '---\ntitle: Systems Meetup 2019\n---\n## 1. Paxos history\n\n## 2. Raft in practice\n',
      )
      const before = await explain([post, '--content', dir])
      expect(before.stdout).toContain('2 talks (talks read from the outline)')
      await writeFile(path.join(dir, 'content-graph.yml'), 'talks: none\n')
      const after = await explain([post, '--content', dir])
      expect(after.stdout).toContain(
        '1 talk (the front matter or config says the post is one talk)',
      )
      expect(after.stdout).toContain('## 1. Paxos history -> section')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('should refuse a file outside the content folder', async () => {
    const { stdout, code } = await explain([
      path.join(fixtures, 'crlf', 'mobile-dev-day-2019.md'),
      '--content',
      path.join(fixtures, 'groups-days-h2'),
    ])
    expect(code).toBe(2)
    expect(stdout).toContain('not inside the content folder')
  })
})
