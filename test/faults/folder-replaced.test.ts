/**
 * The content folder replaced while watched, as deploy scripts and `git
 * checkout` do: removed and made again, or another folder moved in its
 * place. `/ready` answers 503 while it is missing, and the server follows
 * the new folder, ending with what a cold start on it serves.
 */
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Served, startServe } from '../helpers/serve.ts'
import { eventually, postText } from '../live/helpers.ts'
import { expectSameAsColdStart, postPaths, ready, temporaryFolder } from './helpers.ts'

let parent: string
let dir: string
let served: Served

beforeAll(async () => {
  parent = await temporaryFolder('replaced')
  dir = path.join(parent, 'content')
  await mkdir(dir)
  await writeFile(path.join(dir, 'a.md'), postText('A'))
  await writeFile(path.join(dir, 'b.md'), postText('B'))
  served = await startServe(['--content', dir, '--watch', '--cache-dir', ''])
})

afterAll(async () => {
  await served?.close()
  await rm(parent, { recursive: true, force: true })
})

describe('a watched content folder replaced', () => {
  it('should answer /ready with 503 while the folder is missing', async () => {
    expect((await ready(served.base)).status).toBe(200)
    await rm(dir, { recursive: true, force: true })
    const missing = await eventually(
      () => ready(served.base),
      (value) => value.status === 503,
    )
    expect(missing.body.status).toBe('content-folder-missing')
    expect((await fetch(`${served.base}/health`)).status).toBe(200)
  })

  it('should read the folder made again in its place, and new files in it', async () => {
    const staging = path.join(parent, 'staging')
    await mkdir(staging)
    await writeFile(path.join(staging, 'c.md'), postText('C'))
    await mkdir(dir)
    await cp(staging, dir, { recursive: true })
    await eventually(
      async () => [(await ready(served.base)).status, ...(await postPaths(served.url))],
      (value) => JSON.stringify(value) === JSON.stringify([200, 'c.md']),
    )
    await writeFile(path.join(dir, 'd.md'), postText('D'))
    await eventually(
      () => postPaths(served.url),
      (paths) => paths.includes('d.md'),
    )
    await expectSameAsColdStart(served.url, dir)
  })

  it('should follow another folder moved into its place', async () => {
    const next = path.join(parent, 'next')
    await mkdir(next)
    await writeFile(path.join(next, 'e.md'), postText('E'))
    await writeFile(path.join(next, 'f.md'), postText('F'))
    await rename(dir, path.join(parent, 'old'))
    await rename(next, dir)
    await eventually(
      () => postPaths(served.url),
      (paths) => JSON.stringify(paths) === JSON.stringify(['e.md', 'f.md']),
    )
    await writeFile(path.join(dir, 'g.md'), postText('G'))
    await eventually(
      () => postPaths(served.url),
      (paths) => paths.includes('g.md'),
    )
    expect((await ready(served.base)).status).toBe(200)
    await expectSameAsColdStart(served.url, dir)
  })
})
