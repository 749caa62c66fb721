/**
 * A graph that followed many updates holds no more memory than a graph
 * built cold: no snapshot keeps the one before it alive.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const child = fileURLToPath(new URL('./retained-heap.child.ts', import.meta.url))

function run(posts: number, updates: number): Promise<{ cold: number; after: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', child, String(posts), String(updates)],
      { maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`))
        else resolve(JSON.parse(stdout))
      },
    )
  })
}

describe('memory of a graph that follows updates', () => {
  it('should retain about what a cold build does after 1,000 updates', async () => {
    const { cold, after } = await run(100, 1000)
    // One changed post of 100 and its indexes: a few hundred kilobytes at
    // most; a chain of snapshots held 1,000 of them (about 70 KB each).
    expect(after - cold).toBeLessThan(Math.max(2 * 1024 * 1024, cold * 0.25))
  }, 120_000)
})
