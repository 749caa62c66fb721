import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { printSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, talksByTechnology } from '../../examples/talks-by-technology.ts'
import { createSchema } from '../../src/api/schema.ts'
import { sampleDir } from '../api/request.ts'
import { bin, freePort } from '../helpers/cli.ts'

/** Run the CLI to completion. */
function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

describe('content-graph serve, as a real process over HTTP', () => {
  let child: ChildProcess
  let url: string
  let base: string
  const lines: string[] = []

  beforeAll(async () => {
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    url = `${base}/graphql`
    child = spawn(
      process.execPath,
      [bin, 'serve', '--port', String(port), '--host', '127.0.0.1', '--content', sampleDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    // The server prints its URL on listening and the `Read …` line once loaded.
    await new Promise<void>((resolve, reject) => {
      let buffer = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8')
        const complete = buffer.split('\n')
        buffer = complete.pop() ?? ''
        lines.push(...complete)
        if (complete.some((line) => line.startsWith('Read '))) resolve()
      })
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    })
  })

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })

  it('should print its URL, the problems and what it read', () => {
    expect(lines[0]).toBe(`Serving ${sampleDir} at ${url} (open it in a browser for GraphiQL)`)
    expect(lines).toContainEqual(
      expect.stringMatching(/datayanolja-2020\.md:1:1: warning: No date/),
    )
    expect(lines.at(-1)).toMatch(
      /^Read 1 post, 8 talks, \d+ bullets, \d+ technologies \(1 problem\) in \d+ ms$/,
    )
  })

  it('should answer a POST query', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($t: String!) { talks(filter: {technology: $t}) { nodes { number } } }',
        variables: { t: 'spark' },
      }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      data: { talks: { nodes: [{ number: 1 }, { number: 3 }] } },
    })
  })

  it('should answer a GET query', async () => {
    const query = '{ technology(slug: "쿠버네티스") { name talks { nodes { number } } } }'
    const response = await fetch(`${url}?query=${encodeURIComponent(query)}`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      data: { technology: { name: 'Kubernetes', talks: { nodes: [{ number: 3 }] } } },
    })
  })

  it('should serve GraphiQL to a browser', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html.toLowerCase()).toContain('graphiql')
    expect(html).toContain('content-graph')
  })

  it('should answer /health and /ready', async () => {
    const health = await fetch(`${base}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${base}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ready' })
  })

  it('should serve the typed example client', async () => {
    const printed: string[] = []
    expect(await main(['spark', url], (line) => printed.push(line))).toBe(0)
    expect(printed).toEqual([
      'Spark: 2 talks',
      '  데이터야놀자 2019 · #1 당근마켓이 데이터와 함께 노는 법',
      '  데이터야놀자 2019 · #3 Kubernetes와 함께 데이터 흐름을 더 나이스하게 바꾸기',
    ])
    const found = await talksByTechnology('k8s', url)
    expect(found?.name).toBe('Kubernetes')
    expect(found?.talks.map((talk) => talk.number)).toEqual([3])
    expect(await talksByTechnology('no-such-technology', url)).toBeUndefined()
    const missing: string[] = []
    expect(await main(['no-such-technology', url], (line) => missing.push(line))).toBe(1)
    expect(missing).toEqual(['No technology is named "no-such-technology"'])
  })

  it('should stop cleanly on SIGTERM', async () => {
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    await expect(fetch(`${base}/health`)).rejects.toThrow()
  })
})

describe('content-graph query and schema', () => {
  it('should run a query against a folder and print JSON', async () => {
    const { code, stdout } = await run([
      'query',
      '{ technology(slug: "spark") { talks { nodes { number } } } }',
      '--content',
      sampleDir,
    ])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      data: { technology: { talks: { nodes: [{ number: 1 }, { number: 3 }] } } },
    })
  })

  it('should read the document from a file, with variables and an operation name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-query-'))
    try {
      const file = path.join(dir, 'talks.graphql')
      await writeFile(
        file,
        `query Talks($technology: String!) { talks(filter: {technology: $technology}) { totalCount } }
         query Stats { stats { posts } }`,
      )
      const { code, stdout } = await run([
        'query',
        file,
        '--variables',
        '{"technology": "k8s"}',
        '--operation',
        'Talks',
        '-c',
        sampleDir,
      ])
      expect(code).toBe(0)
      expect(JSON.parse(stdout)).toEqual({ data: { talks: { totalCount: 1 } } })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('should exit 1 and print the errors of a failing query', async () => {
    const invalid = await run(['query', '{ nope }', '--content', sampleDir])
    expect(invalid.code).toBe(1)
    expect(JSON.parse(invalid.stdout).errors[0].message).toContain('Cannot query field "nope"')
    const limit = await run(['query', '{ talks(first: 101) { totalCount } }', '-c', sampleDir])
    expect(limit.code).toBe(1)
    expect(JSON.parse(limit.stdout).errors[0].extensions.code).toBe('PAGINATION_LIMIT')
    const syntax = await run(['query', '{ talks(', '-c', sampleDir])
    expect(syntax.code).toBe(1)
    expect(JSON.parse(syntax.stdout).errors[0].message).toMatch(/^Syntax Error/)
  })

  it('should refuse variables that are not a JSON object', async () => {
    const { code, stderr } = await run(['query', '{ stats { posts } }', '--variables', '[1]'])
    expect(code).toBe(1)
    expect(stderr).toContain('--variables must be a JSON object')
  })

  it('should print the schema as SDL', async () => {
    const { code, stdout } = await run(['schema'])
    expect(code).toBe(0)
    expect(stdout).toBe(`${printSchema(createSchema())}\n`)
    expect(stdout).toContain('type Query {')
    expect(stdout).toContain('interface Node {')
  })
})
