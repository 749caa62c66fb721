/**
 * Files and folders that become unreadable while watched (`chmod 000`): the
 * post keeps its last good version, with an `unreadable-file` problem, and
 * whatever becomes readable again is read again. Runs the server as a user
 * that permissions apply to (see `refusablePrefix`).
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Served, startServe } from '../helpers/serve.ts'
import { eventually, postText } from '../live/helpers.ts'
import {
  expectSameAsColdStart,
  post,
  postPaths,
  refusablePrefix,
  temporaryFolder,
} from './helpers.ts'

const refusable = await refusablePrefix()
if ('reason' in refusable) {
  console.warn(`Skipping the unreadable-file tests: ${refusable.reason}`)
}

let dir: string
let served: Served

const problems = async (url: string) => {
  const body = await post(url, '{ problems(first: 100) { nodes { path code } } }')
  return body.data.problems.nodes as { path: string; code: string }[]
}

describe.skipIf('reason' in refusable)('unreadable files while watching', () => {
  beforeAll(async () => {
    dir = await temporaryFolder('unreadable')
    await chmod(dir, 0o755)
    await writeFile(path.join(dir, 'a.md'), postText('A'))
    await writeFile(path.join(dir, 'b.md'), postText('B'))
    await mkdir(path.join(dir, 'sub'), { mode: 0o755 })
    await writeFile(path.join(dir, 'sub/c.md'), postText('C'))
    const prefix = 'prefix' in refusable ? refusable.prefix : []
    served = await startServe(['--content', dir, '--watch', '--cache-dir', ''], { prefix })
  })

  afterAll(async () => {
    await served?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('should keep the last good version of a file made unreadable, and say so', async () => {
    await chmod(path.join(dir, 'a.md'), 0o000)
    const found = await eventually(
      () => problems(served.url),
      (list) => list.some((problem) => problem.path === 'a.md'),
    )
    expect(found).toContainEqual({ path: 'a.md', code: 'unreadable-file' })
    expect(await postPaths(served.url)).toEqual(['a.md', 'b.md', 'sub/c.md'])
  })

  it('should read the file again once it is readable', async () => {
    await writeFile(path.join(dir, 'a.md'), postText('A again'))
    await chmod(path.join(dir, 'a.md'), 0o644)
    await eventually(
      () => problems(served.url),
      (list) => list.length === 0,
    )
    await expectSameAsColdStart(served.url, dir)
  })

  it('should report a folder made unreadable, and read it again once readable', async () => {
    await chmod(path.join(dir, 'sub'), 0o000)
    const found = await eventually(
      () => problems(served.url),
      (list) => list.some((problem) => problem.path.startsWith('sub')),
    )
    expect(found).toContainEqual({ path: 'sub', code: 'unreadable-folder' })
    await chmod(path.join(dir, 'sub'), 0o755)
    await writeFile(path.join(dir, 'sub/d.md'), postText('D'))
    await eventually(
      () => postPaths(served.url),
      (paths) => paths.includes('sub/d.md'),
    )
    await eventually(
      () => problems(served.url),
      (list) => list.length === 0,
    )
    await expectSameAsColdStart(served.url, dir)
  })
})
