/**
 * A watching server (the real CLI, over HTTP) keeps up with saves: they are
 * read in worker threads from a queue that holds each file once however often
 * it is saved, a few at a time, so a burst of saves is all served, and
 * `/health` answers while a huge post is being read.
 */
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Json } from '../api/request.ts'
import { expectSameAsColdStart, post, temporaryFolder } from '../faults/helpers.ts'
import { type Served, startServe } from '../helpers/serve.ts'
import { eventually, postText } from '../live/helpers.ts'

const files = Array.from({ length: 20 }, (_, index) => `post-${index}.md`)
// One worker: at most two files are read at once (twice the workers).
const workers = 1

let dir: string
let served: Served

beforeAll(async () => {
  dir = await temporaryFolder('queue')
  for (const file of files) await writeFile(path.join(dir, file), postText(`${file} r0`))
  served = await startServe([
    '--content',
    dir,
    '--watch',
    '--workers',
    String(workers),
    '--cache-dir',
    '',
  ])
}, 60_000)

afterAll(async () => {
  await served?.close()
  await rm(dir, { recursive: true, force: true })
})

/** What `/ready` says of the saves not yet served. */
async function backlog(): Promise<{ waiting: number; reading: number }> {
  const body = (await (await fetch(`${served.base}/ready`)).json()) as Json
  return body.updates
}

async function titles(): Promise<string[]> {
  const body = await post(served.url, '{ posts(first: 100) { nodes { title } } }')
  return body.data.posts.nodes.map((node: { title: string }) => node.title)
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A post of one long table: seconds of parsing. */
function longTable(rows: number): string {
  const lines = ['# Huge', '', '| one | two | three |', '| --- | --- | --- |']
  for (let row = 0; row < rows; row++) lines.push(`| a${row} \`Spark\` | b${row} | c${row} |`)
  return `${lines.join('\n')}\n`
}

describe('a watching server under a burst of saves', () => {
  it('should serve the last version of every file, queueing each file once', async () => {
    const seen: { waiting: number; reading: number }[] = []
    let polling = true
    const poller = (async () => {
      while (polling) {
        seen.push(await backlog())
        await delay(5)
      }
    })()
    // Five rounds of saves of all 20 files, 100 saves in all, as fast as they go.
    for (let round = 1; round <= 5; round++) {
      await Promise.all(
        files.map((file) => writeFile(path.join(dir, file), postText(`${file} r${round}`))),
      )
      await delay(20)
    }
    await eventually(
      titles,
      (now) => now.length === files.length && now.every((title) => title.endsWith(' r5')),
      60_000,
    )
    polling = false
    await poller
    expect(seen.length).toBeGreaterThan(0)
    // However often a file is saved, it waits once.
    expect(Math.max(...seen.map((entry) => entry.waiting))).toBeLessThanOrEqual(files.length)
    expect(Math.max(...seen.map((entry) => entry.reading))).toBeLessThanOrEqual(2 * workers)
    await eventually(backlog, (now) => now.waiting === 0 && now.reading === 0)
    await expectSameAsColdStart(served.url, dir)
  }, 120_000)

  it('should answer /health while a huge post is being read', async () => {
    await writeFile(path.join(dir, 'huge.md'), longTable(36_000))
    let answeredWhileReading = 0
    // Until the huge post is served (or reported too slow to read): each time
    // `/ready` says a file is being read, `/health` is asked too.
    await eventually(
      async () => {
        if ((await backlog()).reading > 0) {
          const health = await fetch(`${served.base}/health`)
          if (health.status === 200) answeredWhileReading++
        }
        const body = await post(
          served.url,
          '{ posts(first: 100) { nodes { title } } problems(first: 100) { nodes { path } } }',
        )
        return (
          body.data.posts.nodes.some((node: { title: string }) => node.title === 'Huge') ||
          body.data.problems.nodes.some((node: { path: string }) => node.path === 'huge.md')
        )
      },
      (done) => done,
      90_000,
    )
    expect(answeredWhileReading).toBeGreaterThanOrEqual(3)
  }, 120_000)
})
