/**
 * The command line as a user meets it: help for each command, the version,
 * and clear errors for a missing folder, an empty one and MDX files.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin } from '../helpers/cli.ts'

/** Run the CLI to completion. */
function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

describe('content-graph help and version', () => {
  it('should print the version from package.json', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string }
    for (const flag of ['--version', '-v']) {
      const { code, stdout } = await run([flag])
      expect(code).toBe(0)
      expect(stdout.trim()).toBe(manifest.version)
    }
  }, 90_000)

  it('should print only the asked command’s help, with --help or help <command>', async () => {
    const serve = await run(['serve', '--help'])
    expect(serve.code).toBe(0)
    expect(serve.stdout).toMatch(/^content-graph serve \[options\]/)
    expect(serve.stdout).toContain('--snapshot <file>')
    expect(serve.stdout).not.toContain('content-graph check')
    const build = await run(['help', 'build'])
    expect(build.stdout).toMatch(/^content-graph build --out <file>/)
    const commands = ['check', 'query', 'schema']
    const helps = await Promise.all(commands.map((command) => run([command, '-h'])))
    helps.forEach(({ code, stdout }, index) => {
      expect(code).toBe(0)
      expect(stdout).toMatch(new RegExp(`^content-graph ${commands[index]}`))
    })
  }, 90_000)

  it('should show the command’s help after a usage error in it', async () => {
    const { code, stderr } = await run(['build'])
    expect(code).toBe(2)
    expect(stderr).toContain('content-graph: build needs --out <file>')
    expect(stderr).toContain('content-graph build --out <file>')
    expect(stderr).not.toContain('content-graph serve [options]')
  })
})

describe('content-graph with a folder it cannot use', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'content-graph-cli-'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('should exit 1 naming a missing folder, for serve, check, query and build', async () => {
    const missing = path.join(dir, 'nowhere')
    const runs = await Promise.all(
      [
        ['serve', '--content', missing, '--port', '0', '--host', '127.0.0.1'],
        ['check', missing],
        ['query', '{ stats { posts } }', '--content', missing],
        ['build', '--content', missing, '--out', path.join(dir, 'x.snapshot')],
      ].map(run),
    )
    for (const { code, stdout, stderr } of runs) {
      expect(code).toBe(1)
      expect(stdout).not.toContain('Serving')
      expect(stderr).toBe(
        `content-graph: content folder "${missing}" does not exist (give one with --content <dir> or CONTENT_DIR)\n`,
      )
    }
  }, 90_000)

  it('should say that a folder holds no posts, and report MDX files as not read', async () => {
    const empty = path.join(dir, 'mdx-only')
    await import('node:fs/promises').then((fs) => fs.mkdir(empty))
    await writeFile(path.join(empty, 'page.mdx'), '# Title\n\n<Chart />\n')
    const { code, stdout } = await run(['check', empty])
    expect(code).toBe(0)
    expect(stdout).toContain(
      `${path.join(empty, 'page.mdx')}:1:1: warning: MDX file not read: only .md and .markdown files are (rename it if it is plain Markdown) [mdx-not-read]`,
    )
    expect(stdout).toContain(`No posts in ${empty}: it holds no readable .md or .markdown files`)
  })
})
