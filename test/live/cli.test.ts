/**
 * The caching flags of `content-graph serve`, on a real process.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TalksByTechnologyDocument } from '../../examples/generated/graphql.ts'
import { postText } from './helpers.ts'

const bin = fileURLToPath(new URL('../../bin/content-graph.js', import.meta.url))
const documents = fileURLToPath(
  new URL('../../examples/generated/persisted-documents.json', import.meta.url),
)
const id = (TalksByTechnologyDocument as unknown as { __meta__: { hash: string } }).__meta__.hash

function run(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, _, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr })
    })
  })
}

describe('content-graph serve with caching flags', () => {
  let child: ChildProcess
  let dir: string
  let url: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'content-graph-live-cli-'))
    await writeFile(path.join(dir, 'a.md'), postText('A', 'we run `Kafka`'))
    child = spawn(
      process.execPath,
      [
        bin,
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--content',
        dir,
        '--watch',
        '--cache-control',
        'public, max-age=5',
        '--persisted-documents',
        documents,
        '--only-persisted',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    url = await new Promise<string>((resolve, reject) => {
      let buffer = ''
      let found: string | undefined
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8')
        found ??= /Serving \S+ at (\S+)/.exec(buffer)?.[1]
        if (found && buffer.includes('Watching ')) resolve(found)
      })
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
  })

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
    await rm(dir, { recursive: true, force: true })
  })

  it('should run persisted documents by id, with the Cache-Control asked for', async () => {
    const variables = encodeURIComponent(JSON.stringify({ technology: 'kafka' }))
    const response = await fetch(
      `${url}?documentId=${encodeURIComponent(id)}&variables=${variables}`,
      { headers: { accept: 'application/json' } },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=5')
    expect(response.headers.get('etag')).toBeTruthy()
    const body = (await response.json()) as { data: { technology: { name: string } } }
    expect(body.data.technology.name).toBe('Kafka')
  })

  it('should refuse query text with --only-persisted', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ stats { posts } }' }),
    })
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] }
    expect(body.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_ONLY')
  })

  it('should refuse --only-persisted without documents, and a bad cache size', async () => {
    const [alone, size] = await Promise.all([
      run(['serve', '--only-persisted']),
      run(['serve', '--response-cache', 'many']),
    ])
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain('--only-persisted needs --persisted-documents')
    expect(size.code).toBe(2)
    expect(size.stderr).toContain('--response-cache must be a whole number, got "many"')
  }, 60_000)
})
