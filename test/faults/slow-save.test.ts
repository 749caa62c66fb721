/**
 * A save that takes long to read is read in a worker within the time budget
 * (`parseTimeoutMs`), as the first read is: past the budget it is reported,
 * the post keeps its last good version, and other saves still get through.
 */
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { type Listening, listen } from '../../src/server/listen.ts'
import { eventually, postText } from '../live/helpers.ts'
import { post, postPaths, temporaryFolder } from './helpers.ts'

let dir: string
let server: ContentServer
let listening: Listening

beforeAll(async () => {
  dir = await temporaryFolder('slow-save')
  await writeFile(path.join(dir, 'table.md'), postText('Table'))
  server = createContentServer({
    contentDir: dir,
    watch: true,
    logging: false,
    parseTimeoutMs: 100,
  })
  listening = await listen(server, { port: 0, host: '127.0.0.1' })
  await server.ready
})

afterAll(async () => {
  await listening?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A post of one long table: seconds of parsing, far over 100 ms. */
function longTable(rows: number): string {
  const lines = ['# Table', '', '| one | two | three |', '| --- | --- | --- |']
  for (let row = 0; row < rows; row++) lines.push(`| a${row} \`Spark\` | b${row} | c${row} |`)
  return `${lines.join('\n')}\n`
}

describe('a save that takes longer than the time budget', () => {
  it('should be stopped and reported, keeping the last good version', async () => {
    await writeFile(path.join(dir, 'table.md'), longTable(40_000))
    const body = await eventually(
      () => post(listening.url, '{ problems(first: 100) { nodes { path code } } }'),
      (value) => value.data.problems.nodes.length > 0,
      20_000,
    )
    expect(body.data.problems.nodes).toEqual([
      { path: 'table.md', code: 'parse-timeout' },
      { path: 'table.md', code: 'kept-last-good' },
    ])
    const health = await fetch(`${listening.url.replace('/graphql', '')}/health`)
    expect(health.status).toBe(200)
  }, 30_000)

  it('should let other saves through', async () => {
    await writeFile(path.join(dir, 'next.md'), postText('Next'))
    await eventually(
      () => postPaths(listening.url),
      (paths) => paths.includes('next.md'),
    )
    expect(await postPaths(listening.url)).toEqual(['next.md', 'table.md'])
  })
})
