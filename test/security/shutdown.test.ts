/**
 * Graceful shutdown of the real command: on SIGTERM, `/ready` turns 503, a
 * request in flight (from a client that sends its body slowly) is answered,
 * and the process exits within 10 seconds, even when a client never finishes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { sampleDir } from '../api/request.ts'
import { bin, freePort } from '../helpers/cli.ts'

/** The started command, once it has read its content. */
interface Started {
  readonly child: ChildProcess
  readonly port: number
  readonly base: string
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>
}

const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Start `content-graph serve` on a free port, with more flags. */
async function start(flags: readonly string[] = []): Promise<Started> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--port', String(port), '--host', '127.0.0.1', '-c', sampleDir, ...flags],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  children.push(child)
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      if (/^Read /m.test(out)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
  })
  return { child, port, base: `http://127.0.0.1:${port}`, exited }
}

/**
 * Begin a POST from a slow client: the headers and the start of the body now,
 * the rest when `finish` is called. Resolves once the server is working on it.
 */
async function slowRequest(port: number): Promise<{
  finish: () => void
  response: Promise<string>
}> {
  const body = JSON.stringify({ query: '{ stats { posts } }' })
  const socket: Socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let text = ''
  socket.on('data', (chunk) => {
    text += chunk.toString('utf8')
  })
  socket.on('error', () => {})
  const response = once(socket, 'close').then(() => text)
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 8)}`,
  )
  // The server reads sockets in turn: once a later request is answered, it
  // has taken this one's headers too.
  expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
  return { finish: () => socket.write(body.slice(8)), response }
}

describe('content-graph serve on SIGTERM', () => {
  it('should turn /ready to 503, answer the request in flight, and exit 0', async () => {
    const { child, port, base, exited } = await start()
    expect((await fetch(`${base}/ready`)).status).toBe(200)
    const slow = await slowRequest(port)

    const stopped = performance.now()
    child.kill('SIGTERM')
    await expect
      .poll(async () => (await fetch(`${base}/ready`)).status, { timeout: 5000 })
      .toBe(503)
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: 'draining' })
    // Still draining: the process waits for the request.
    expect(child.exitCode).toBeNull()

    slow.finish()
    const response = await slow.response
    expect(response).toMatch(/^HTTP\/1\.1 200/)
    expect(response).toContain('{"data":{"stats":{"posts":1}}}')
    expect(await exited).toBe(0)
    expect(performance.now() - stopped).toBeLessThan(10_000)
    await expect(fetch(`${base}/health`)).rejects.toThrow()
  })

  it('should exit in time when a client never finishes its request', async () => {
    const { child, port, exited } = await start(['--shutdown-timeout', '1000'])
    const slow = await slowRequest(port)
    const stopped = performance.now()
    child.kill('SIGTERM')
    // The request is cut at the deadline, and the process exits cleanly.
    expect(await exited).toBe(0)
    const took = performance.now() - stopped
    expect(took).toBeGreaterThanOrEqual(900)
    expect(took).toBeLessThan(10_000)
    expect(await slow.response).not.toMatch(/^HTTP\/1\.1 200/)
  })
})
