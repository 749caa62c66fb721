/**
 * The package as a user gets it: `npm pack` (which builds `dist/` on
 * `prepack`), installed from the tarball into a fresh project, imported and
 * run with plain Node, without tsx or the sources.
 *
 * This is the only test file that builds `dist/`, so no two builds race.
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleDir } from '../api/request.ts'
import { freePort } from '../helpers/cli.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** Run a command to completion; reject with its output when it fails. */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`))
      else resolve({ stdout, stderr })
    })
  })
}

describe('the packed package, installed into a fresh project', () => {
  let temporary: string
  let app: string
  let tarball: string
  let installLog: string

  beforeAll(async () => {
    temporary = await mkdtemp(path.join(tmpdir(), 'content-graph-pack-'))
    const packed = await run(npm, ['pack', '--json', '--pack-destination', temporary], root)
    const [info] = JSON.parse(packed.stdout) as { filename: string }[]
    if (!info) throw new Error('npm pack printed no tarball')
    tarball = path.join(temporary, info.filename)
    app = path.join(temporary, 'app')
    await mkdir(app)
    await writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    )
    // From the tarball and the npm cache that installing this project filled.
    const installed = await run(
      npm,
      ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball],
      app,
    )
    installLog = installed.stdout + installed.stderr
  }, 240_000)

  afterAll(async () => {
    if (temporary) await rm(temporary, { recursive: true, force: true })
  })

  it('should hold compiled code, types and the schema, but no sources, tests or bench', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball], temporary)
    const files = stdout.split('\n').filter(Boolean)
    expect(files).toContain('package/dist/index.js')
    expect(files).toContain('package/dist/index.d.ts')
    expect(files).toContain('package/dist/cli.js')
    expect(files).toContain('package/bin/content-graph.js')
    expect(files).toContain('package/schema/base.graphql')
    const unwanted = files.filter((file) =>
      /^package\/(src|test|bench|examples|content|\.ci|deploy)\/|fixtures|\.tsbuildinfo$|\.test\./.test(
        file,
      ),
    )
    expect(unwanted).toEqual([])
  })

  it('should install without tsx and without engine warnings for this Node', async () => {
    expect(existsSync(path.join(app, 'node_modules', 'content-graph', 'dist', 'cli.js'))).toBe(true)
    expect(existsSync(path.join(app, 'node_modules', 'tsx'))).toBe(false)
    expect(installLog).not.toContain('EBADENGINE')
  })

  it('should be imported by plain Node and read a folder', async () => {
    const script = path.join(app, 'use.mjs')
    await writeFile(
      script,
      `import { loadContent, createContentServer, typeDefs } from 'content-graph'
const { graph } = await loadContent({ contentDir: process.argv[2] })
const server = createContentServer({ graph, logging: false })
const response = await server.yoga.fetch('http://localhost/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: '{ stats { posts } }' }),
})
console.log(JSON.stringify({ posts: graph.stats.posts, sdl: typeDefs.includes('type Post'), answer: await response.json() }))
`,
    )
    const { stdout } = await run(process.execPath, [script, sampleDir], app)
    expect(JSON.parse(stdout)).toEqual({
      posts: 1,
      sdl: true,
      answer: { data: { stats: { posts: 1 } } },
    })
  })

  it('should give TypeScript users the types through `exports`', async () => {
    await writeFile(
      path.join(app, 'use.ts'),
      `import { type ContentGraph, loadContent } from 'content-graph'
const loaded = await loadContent({ contentDir: 'content' })
const graph: ContentGraph = loaded.graph
export const posts: number = graph.stats.posts
// @ts-expect-error: the options are typed, so a wrong one is refused.
await loadContent({ contentDirectory: 'content' })
`,
    )
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    )
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    await expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], app)).resolves.toBeDefined()
  })

  it('should run its bin from the compiled code', async () => {
    const bin = path.join(app, 'node_modules', '.bin', 'content-graph')
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      version: string
    }
    expect((await run(bin, ['--version'], app)).stdout.trim()).toBe(manifest.version)
    const { stdout } = await run(bin, ['query', '{ stats { posts } }', '--content', sampleDir], app)
    expect(JSON.parse(stdout)).toEqual({ data: { stats: { posts: 1 } } })
    const installedFiles = await readdir(path.join(app, 'node_modules', 'content-graph'))
    expect(installedFiles).not.toContain('src')
  })
})

describe('npm start, stopped as a process manager stops it', () => {
  it('should turn /ready to 503 on SIGTERM to npm, answer the request in flight, and exit 0', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    // `npm start` builds (prestart) and runs the compiled server.
    const child = spawn(
      npm,
      ['start', '--', '--port', String(port), '--host', '127.0.0.1', '--content', sampleDir],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const exited = once(child, 'exit').then(([code]) => code as number | null)
    try {
      let out = ''
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8')
          if (/^Read /m.test(out)) resolve()
        })
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)))
      })
      expect(out).toContain('dist/cli.js serve')
      expect((await fetch(`${base}/ready`)).status).toBe(200)

      // A client that has sent its headers and part of its body.
      const body = JSON.stringify({ query: '{ stats { posts } }' })
      const socket = connect(port, '127.0.0.1')
      await once(socket, 'connect')
      let text = ''
      socket.on('data', (chunk) => {
        text += chunk.toString('utf8')
      })
      socket.on('error', () => {})
      const answered = once(socket, 'close').then(() => text)
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 8)}`,
      )
      expect((await fetch(`${base}/health`)).status).toBe(200)

      // The signal goes to npm itself, as a process manager sends it.
      child.kill('SIGTERM')
      await expect
        .poll(async () => (await fetch(`${base}/ready`)).status, { timeout: 5000 })
        .toBe(503)
      socket.write(body.slice(8))
      expect(await answered).toContain('{"data":{"stats":{"posts":1}}}')
      expect(await exited).toBe(0)
      await expect(fetch(`${base}/health`)).rejects.toThrow()
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 180_000)
})
