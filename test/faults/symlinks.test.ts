/**
 * Symbolic links never let the server read outside its content folder: a
 * link to a file or a folder outside is reported, not read, at start and
 * while watching; links that stay inside still work.
 */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Served, startServe } from '../helpers/serve.ts'
import { eventually, postText } from '../live/helpers.ts'
import { expectSameAsColdStart, post, temporaryFolder } from './helpers.ts'

const secret = 'TOP-SECRET-LINE'
let outside: string
let dir: string
let served: Served

beforeAll(async () => {
  outside = await temporaryFolder('outside')
  dir = await temporaryFolder('links')
  await writeFile(path.join(outside, 'secret.md'), postText(secret, secret))
  await mkdir(path.join(outside, 'folder'))
  await writeFile(path.join(outside, 'folder/leak.md'), postText(`${secret} folder`, secret))
  await writeFile(path.join(outside, 'technologies.yml'), `- name: ${secret}\n`)
  await mkdir(path.join(dir, 'real'))
  await writeFile(path.join(dir, 'real/inside.md'), postText('Inside'))
  await writeFile(path.join(dir, 'good.md'), postText('Good'))
  await symlink(path.join(outside, 'secret.md'), path.join(dir, 'passwd.md'))
  await symlink(path.join(outside, 'folder'), path.join(dir, 'elsewhere'))
  await symlink(path.join(outside, 'technologies.yml'), path.join(dir, 'technologies.yml'))
  await symlink('real/inside.md', path.join(dir, 'alias.md'))
  await symlink('loop.md', path.join(dir, 'loop.md'))
  served = await startServe(['--content', dir, '--watch', '--cache-dir', ''])
})

afterAll(async () => {
  await served?.close()
  await rm(dir, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

const everything = `{
  posts(first: 100) { nodes { title html source { path } } }
  technologies(first: 100, filter: {name: "${secret}"}) { nodes { name } }
  problems(first: 100) { nodes { path code message } }
}`

describe('symbolic links and the content folder', () => {
  it('should report links that lead outside the folder and never read them', async () => {
    const body = await post(served.url, everything)
    expect(JSON.stringify(body)).not.toContain(secret)
    expect(
      body.data.posts.nodes.map((node: { source: { path: string } }) => node.source.path),
    ).toEqual(expect.arrayContaining(['alias.md', 'good.md', 'real/inside.md']))
    expect(body.data.posts.nodes).toHaveLength(3)
    const problems = body.data.problems.nodes.map((node: { path: string; code: string }) => [
      node.path,
      node.code,
    ])
    expect(problems).toEqual([
      ['elsewhere', 'outside-content-root'],
      ['loop.md', 'symlink-loop'],
      ['passwd.md', 'outside-content-root'],
      ['technologies.yml', 'outside-content-root'],
    ])
  })

  it('should refuse a link to the root of the disk without walking it', async () => {
    await symlink('/', path.join(dir, 'disk'))
    await writeFile(path.join(dir, 'after.md'), postText('After'))
    const body = await eventually(
      () => post(served.url, '{ posts(first: 100) { nodes { title } } }'),
      (value) => value.data.posts.nodes.some((node: { title: string }) => node.title === 'After'),
    )
    expect(body.data.posts.nodes).toHaveLength(4)
  })

  it('should refuse a link made outside while watching', async () => {
    await symlink(path.join(outside, 'secret.md'), path.join(dir, 'late.md'))
    await writeFile(path.join(dir, 'later.md'), postText('Later'))
    const body = await eventually(
      () => post(served.url, everything),
      (value) =>
        value.data.problems.nodes.some((node: { path: string }) => node.path === 'late.md') &&
        value.data.posts.nodes.some((node: { title: string }) => node.title === 'Later'),
    )
    expect(JSON.stringify(body)).not.toContain(secret)
    expect(body.data.problems.nodes).toContainEqual(
      expect.objectContaining({ path: 'late.md', code: 'outside-content-root' }),
    )
  })

  it('should end with the same graph as a cold start on the folder', async () => {
    await rm(path.join(dir, 'disk'))
    await rm(path.join(dir, 'late.md'))
    await eventually(
      () => post(served.url, everything),
      (value) =>
        !value.data.problems.nodes.some(
          (node: { path: string }) => node.path === 'disk' || node.path === 'late.md',
        ),
    )
    await expectSameAsColdStart(served.url, dir)
  })
})
