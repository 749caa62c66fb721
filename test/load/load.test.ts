import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadContent } from '../../src/load/content.ts'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'content-graph-load-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const good = (title: string) =>
  `---\ntitle: ${title}\ndate: 2024-01-02\n---\n## 1. Talk\n\n- note\n`

describe('loadContent', () => {
  it('should read folder-wide reading settings from content-graph.yml, front matter winning', async () => {
    await writeFile(path.join(dir, 'content-graph.yml'), 'talk_heading: 3\n')
    const body = '## Morning\n\n### First talk here\n\n- note\n\n### Second talk here\n'
    await writeFile(path.join(dir, 'a.md'), `---\ntitle: A\ndate: 2024-01-01\n---\n${body}`)
    await writeFile(
      path.join(dir, 'b.md'),
      `---\ntitle: B\ndate: 2024-01-01\ntalks: none\n---\n${body}`,
    )
    const { graph } = await loadContent({ contentDir: dir, workers: 0 })
    const talksOf = (slug: string) =>
      graph.postBySlug(slug)?.talkIds.map((id) => graph.talk(id)?.title)
    expect(talksOf('a')).toEqual(['First talk here', 'Second talk here'])
    expect(graph.talk(graph.postBySlug('a')?.talkIds[0] ?? '')?.group).toEqual({
      title: 'Morning',
      number: null,
      kind: 'PART_OF_DAY',
    })
    expect(talksOf('b')).toEqual(['B'])
  })

  it('should report settings it cannot read with their line, and read the posts anyway', async () => {
    await writeFile(path.join(dir, 'content-graph.yml'), '# settings\ntalk_heading: 9\n')
    await writeFile(path.join(dir, 'post.md'), good('Post'))
    const { graph } = await loadContent({ contentDir: dir })
    expect(graph.problems).toEqual([
      expect.objectContaining({ path: 'content-graph.yml', line: 2, column: 1, code: 'config' }),
    ])
    expect(graph.stats.talks).toBe(1)
  })

  it('should read .md and .markdown files in nested folders', async () => {
    await mkdir(path.join(dir, 'a/b'), { recursive: true })
    await writeFile(path.join(dir, 'one.md'), good('One'))
    await writeFile(path.join(dir, 'a/b/two.markdown'), good('Two'))
    await writeFile(path.join(dir, 'a/notes.txt'), 'not markdown')
    const { graph, files } = await loadContent({ contentDir: dir })
    expect(files).toBe(2)
    expect(graph.posts.map((post) => post.source.path)).toEqual(['a/b/two.markdown', 'one.md'])
    expect(graph.problems).toEqual([])
  })

  it('should report a broken post with its line and still read the others', async () => {
    await writeFile(path.join(dir, 'good.md'), good('Good'))
    await writeFile(path.join(dir, 'bad.md'), '---\ntitle: Bad\ntags: [a, b]]\n---\nBody\n')
    const { graph } = await loadContent({ contentDir: dir })
    expect(graph.posts.map((post) => post.title)).toEqual(['Good'])
    expect(graph.problems).toEqual([
      expect.objectContaining({ path: 'bad.md', line: 3, severity: 'error', code: 'yaml-syntax' }),
    ])
  })

  it('should report the same broken YAML every time it is read', async () => {
    const broken = '---\ntitle: Bad\ntags: [a, b]]\n---\nBody\n'
    await writeFile(path.join(dir, 'bad.md'), broken)
    await writeFile(path.join(dir, 'copy.md'), broken)
    const first = await loadContent({ contentDir: dir })
    const second = await loadContent({ contentDir: dir })
    for (const { graph } of [first, second]) {
      expect(graph.problems.map((problem) => `${problem.path}:${problem.code}`)).toEqual([
        'bad.md:yaml-syntax',
        'copy.md:yaml-syntax',
      ])
    }
  })

  it('should report a symbolic link loop instead of following it', async () => {
    await mkdir(path.join(dir, 'posts'))
    await writeFile(path.join(dir, 'posts/one.md'), good('One'))
    await symlink('..', path.join(dir, 'posts/loop'))
    const { graph } = await loadContent({ contentDir: dir })
    expect(graph.posts.map((post) => post.title)).toEqual(['One'])
    expect(graph.problems).toEqual([
      expect.objectContaining({ path: 'posts/loop', code: 'symlink-loop', severity: 'error' }),
    ])
  })

  it('should report binary, empty, oversized and dangling files', async () => {
    await writeFile(path.join(dir, 'good.md'), good('Good'))
    await writeFile(path.join(dir, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))
    await writeFile(path.join(dir, 'empty.md'), '')
    await writeFile(path.join(dir, 'huge.md'), `# Huge\n\n${'- item\n'.repeat(2000)}`)
    await symlink(path.join(dir, 'missing.md'), path.join(dir, 'dangling.md'))
    const { graph } = await loadContent({ contentDir: dir, maxFileBytes: 10_000 })
    expect(graph.posts.map((post) => post.title)).toEqual(['Good'])
    expect(
      graph.problems.map((problem) => `${problem.path} ${problem.severity} ${problem.code}`),
    ).toEqual([
      'binary.md error binary-file',
      'dangling.md error broken-link',
      'empty.md warning empty-file',
      'huge.md error file-too-large',
    ])
  })

  it('should report binary files without NUL bytes, naming where they stop being text', async () => {
    await writeFile(path.join(dir, 'good.md'), good('Good'))
    // A megabyte of noise without NUL bytes, from a fixed seed.
    let seed = 20_251_202
    const noise = Buffer.alloc(1024 * 1024)
    for (let index = 0; index < noise.length; index++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      noise[index] = 1 + (seed % 255)
    }
    await writeFile(path.join(dir, 'noise.md'), noise)
    // EUC-KR, not UTF-8: the Hangul on line 3 is the first invalid sequence.
    await writeFile(
      path.join(dir, 'euc-kr.md'),
      Buffer.concat([
        Buffer.from('# Notes\n\n- '),
        Buffer.from([0xc7, 0xd1, 0xb1, 0xdb]),
        Buffer.from('\n'),
      ]),
    )
    // Valid UTF-8, but control characters everywhere.
    await writeFile(
      path.join(dir, 'controls.md'),
      '# Log\n'.concat('\u0001\u0002ab\u001b'.repeat(100)),
    )
    const { graph } = await loadContent({ contentDir: dir })
    expect(graph.posts.map((post) => post.title)).toEqual(['Good'])
    expect(
      graph.problems.map((problem) => [problem.path, problem.line, problem.column, problem.code]),
    ).toEqual([
      ['controls.md', 1, 1, 'binary-file'],
      ['euc-kr.md', 3, 3, 'binary-file'],
      ['noise.md', 1, expect.any(Number), 'binary-file'],
    ])
  })

  it('should report a missing content folder', async () => {
    const { graph } = await loadContent({ contentDir: path.join(dir, 'nope') })
    expect(graph.posts).toEqual([])
    expect(graph.problems[0]?.code).toBe('unreadable-folder')
  })

  it('should extend the catalog from technologies.yml in the content folder', async () => {
    await writeFile(
      path.join(dir, 'technologies.yml'),
      [
        '- name: Grepper',
        '  aliases: [그레퍼]',
        '  category: tool',
        '  homepage: https://example.com/grepper',
        '- name: Kubernetes',
        '  slug: kubernetes',
        '  aliases: [쿠베]',
        '- name: Broken',
        '  category: nonsense',
      ].join('\n'),
    )
    await writeFile(
      path.join(dir, 'post.md'),
      '---\ntitle: T\ndate: 2024-01-01\n---\n## 1. Tools\n\n- 그레퍼로 검색\n- 쿠베에 배포\n',
    )
    const { graph } = await loadContent({ contentDir: dir })
    expect(graph.technologyByName('grepper')).toMatchObject({
      name: 'Grepper',
      category: 'tool',
      homepage: 'https://example.com/grepper',
      inCatalog: true,
    })
    expect(graph.technologyByName('쿠베')?.name).toBe('Kubernetes')
    expect(graph.problems).toEqual([
      expect.objectContaining({ path: 'technologies.yml', line: 8, code: 'catalog' }),
    ])
  })

  it('should let technologies.yml ask evidence for a name and disable a built-in entry', async () => {
    await writeFile(
      path.join(dir, 'technologies.yml'),
      [
        '- name: Mode Analytics',
        '  slug: mode-analytics',
        '  disabled: true',
        '- name: Beacon',
        '  category: observability',
        '  needsEvidence: true',
        '  context: [tracing]',
        '- name: Wrong',
        '  needsEvidence: sometimes',
      ].join('\n'),
    )
    await writeFile(
      path.join(dir, 'post.md'),
      [
        '---\ntitle: T\ndate: 2024-01-01\n---',
        '## 1. Words\n\n- a beacon of hope for the team\n- Mode analytics dashboards',
        '## 2. Tools\n\n- Beacon tracing for every request\n',
      ].join('\n'),
    )
    const { graph } = await loadContent({ contentDir: dir })
    expect(graph.technologyByName('mode-analytics')).toBeUndefined()
    const beacon = graph.technologyByName('beacon')
    expect(beacon).toMatchObject({ name: 'Beacon', inCatalog: true })
    expect(graph.talksByTechnology(beacon?.id ?? '').map((talk) => talk.number)).toEqual([2])
    expect(graph.problems).toEqual([
      expect.objectContaining({ path: 'technologies.yml', line: 8, code: 'catalog' }),
    ])
  })
})
