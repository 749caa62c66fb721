/**
 * The cache is an optimisation: when it cannot be written the server warns
 * once and serves without it (and watch mode drops no update), and a damaged
 * entry is read again rather than served.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadContent } from '../../src/load/content.ts'
import { type Served, startServe } from '../helpers/serve.ts'
import { eventually, postText } from '../live/helpers.ts'
import { expectSameAsColdStart, post, temporaryFolder } from './helpers.ts'

describe('a cache that cannot be written', () => {
  let parent: string
  let dir: string
  let served: Served

  beforeAll(async () => {
    parent = await temporaryFolder('cache-unwritable')
    dir = path.join(parent, 'content')
    await mkdir(dir)
    await writeFile(path.join(dir, 'a.md'), postText('A', 'we use Zebrafish daily'))
    // A file where a folder of the cache path should be: writing fails, even for root.
    await writeFile(path.join(parent, 'file'), 'not a folder')
    const cacheDir = path.join(parent, 'file', 'cache')
    served = await startServe(['--content', dir, '--watch', '--cache-dir', cacheDir])
  })

  afterAll(async () => {
    await served?.close()
    await rm(parent, { recursive: true, force: true })
  })

  it('should serve without the cache, with one warning', async () => {
    const body = await post(served.url, '{ stats { posts } }')
    expect(body).toEqual({ data: { stats: { posts: 1 } } })
    expect(served.stderr().match(/Cannot write the cache/g)).toHaveLength(1)
  })

  it('should drop no update of watch mode, a catalog edit included', async () => {
    await writeFile(path.join(dir, 'technologies.yml'), '- name: Zebrafish\n  category: tool\n')
    const found = await eventually(
      () => post(served.url, '{ technology(slug: "zebrafish") { name mentionCount } }'),
      (value) => value.data.technology !== null,
    )
    expect(found.data.technology).toEqual({ name: 'Zebrafish', mentionCount: 1 })
    await writeFile(path.join(dir, 'b.md'), postText('B', 'Zebrafish again'))
    await eventually(
      () => post(served.url, '{ technology(slug: "zebrafish") { mentionCount } }'),
      (value) => value.data.technology?.mentionCount === 2,
    )
    expect(served.stderr().match(/Cannot write the cache/g)).toHaveLength(1)
    await expectSameAsColdStart(served.url, dir)
  })
})

describe('a damaged cache', () => {
  let dir: string
  let cacheDir: string

  beforeEach(async () => {
    dir = await temporaryFolder('cache-damaged')
    cacheDir = await temporaryFolder('cache-damaged-cache')
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
    await rm(cacheDir, { recursive: true, force: true })
  })

  it('should read a post again when a byte of its entry is flipped, with a warning', async () => {
    await writeFile(path.join(dir, 'a.md'), postText('A', 'the word QUOKKAWORD stays'))
    await writeFile(path.join(dir, 'b.md'), postText('B'))
    await loadContent({ contentDir: dir, cacheDir })
    let flipped = 0
    for (const name of await readdir(cacheDir)) {
      const file = path.join(cacheDir, name)
      const bytes = await readFile(file)
      const at = bytes.indexOf('QUOKKAWORD')
      if (at === -1) continue
      bytes[at] = 'X'.charCodeAt(0)
      await writeFile(file, bytes)
      flipped++
    }
    expect(flipped).toBe(1)
    const warnings: string[] = []
    const warm = await loadContent({
      contentDir: dir,
      cacheDir,
      onWarning: (message) => warnings.push(message),
    })
    expect(warnings).toEqual([
      'Cache entry of a.md is damaged (checksum mismatch); reading the file again',
    ])
    expect(warm.cached).toBe(1)
    const cold = await loadContent({ contentDir: dir })
    expect(warm.graph.version).toBe(cold.graph.version)
    expect(JSON.stringify(warm.graph.bullets)).toContain('QUOKKAWORD')
    // The entry was written again: the next start is clean and warm.
    const again = await loadContent({
      contentDir: dir,
      cacheDir,
      onWarning: (m) => warnings.push(m),
    })
    expect(again.cached).toBe(2)
    expect(warnings).toHaveLength(1)
  })

  it('should remove temporary files that a killed write left', async () => {
    await writeFile(path.join(dir, 'a.md'), postText('A'))
    await loadContent({ contentDir: dir, cacheDir })
    const [shard] = (await readdir(cacheDir)).filter((name) => name.endsWith('.v8'))
    // A process id that cannot be running (above Linux's pid_max).
    const leftover = path.join(cacheDir, `${shard}.4194305.tmp`)
    await writeFile(leftover, 'half a write')
    await loadContent({ contentDir: dir, cacheDir })
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })
})
