import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { runCheck } from './cli/check.ts'
import { runQuery } from './cli/query.ts'
import { runSchema } from './cli/schema.ts'
import { runServe } from './cli/serve.ts'

const usage = `Usage: content-graph <command> [options]

Commands:
  serve                   Serve the content over HTTP with GraphiQL
    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
    -p, --port <port>       Port, 0 for any free one (env PORT, default: 4000)
        --host <host>       Host to bind (env HOST, default: localhost)
        --no-graphiql       Do not serve GraphiQL to browsers
    -w, --watch             Follow the folder and serve every change (npm run dev)
        --cache-dir <dir>   Content-hash cache for fast restarts (env CACHE_DIR,
                            default: node_modules/.cache/content-graph; "" for none)
        --workers <n>       Worker threads for the first read (default: one per
                            core for 64 files or more; 0 reads in the main thread)
  check [dir]             List content problems as path:line:column; exit 1 on errors
  query <document|file>   Run a GraphQL document against the content and print JSON;
                          exit 1 when the result has errors
    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
        --variables <json>  Variables as a JSON object
        --operation <name>  Operation to run when the document has several
  schema                  Print the GraphQL schema (SDL)
  help                    Show this help

Options:
  -h, --help              Show this help
`

/**
 * Run the command line.
 *
 * @param argv
 *   Arguments after the program name.
 * @returns
 *   Exit code: 0 on success, 1 on failure, 2 on a usage error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  const out = (line: string) => process.stdout.write(`${line}\n`)
  try {
    switch (command) {
      case 'check': {
        const { positionals, values } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: { content: { type: 'string', short: 'c' } },
        })
        const dir = positionals[0] ?? values.content ?? process.env.CONTENT_DIR ?? 'content'
        const result = await runCheck(dir, out)
        return result.exitCode
      }
      case 'serve':
        return await serve(rest)
      case 'query': {
        const { positionals, values } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: {
            content: { type: 'string', short: 'c' },
            variables: { type: 'string' },
            operation: { type: 'string' },
          },
        })
        const document = positionals[0]
        if (document === undefined) return usageError('query needs a document or a file')
        return await runQuery(
          {
            document,
            variables: values.variables,
            operationName: values.operation,
            contentDir: values.content ?? process.env.CONTENT_DIR ?? 'content',
          },
          out,
        )
      }
      case 'schema':
        return runSchema((text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`))
      case undefined:
      case 'help':
      case '-h':
      case '--help':
        process.stdout.write(usage)
        return command === undefined ? 1 : 0
      default:
        return usageError(`unknown command "${command}"`)
    }
  } catch (error) {
    // parseArgs reports unknown or malformed flags with these codes.
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      return usageError((error as Error).message)
    }
    process.stderr.write(
      `content-graph: ${error instanceof Error ? error.message : String(error)}\n`,
    )
    return 1
  }
}

async function serve(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      content: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'no-graphiql': { type: 'boolean' },
      watch: { type: 'boolean', short: 'w' },
      'cache-dir': { type: 'string' },
      workers: { type: 'string' },
    },
  })
  const portText = values.port ?? process.env.PORT ?? '4000'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65_535) {
    return usageError(`--port must be a number from 0 to 65535, got "${portText}"`)
  }
  const workersText = values.workers
  if (workersText !== undefined && !/^\d+$/.test(workersText)) {
    return usageError(`--workers must be a whole number, got "${workersText}"`)
  }
  const cacheDir = values['cache-dir'] ?? process.env.CACHE_DIR ?? defaultCacheDir()
  const listening = await runServe(
    {
      contentDir: values.content ?? process.env.CONTENT_DIR ?? 'content',
      port,
      host: values.host ?? process.env.HOST ?? 'localhost',
      graphiql: !values['no-graphiql'],
      watch: values.watch ?? false,
      cacheDir: cacheDir === '' ? undefined : cacheDir,
      workers: workersText === undefined ? undefined : Number(workersText),
    },
    (line) => process.stdout.write(`${line}\n`),
  )
  // Serve until asked to stop, then let open requests go and exit cleanly.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await listening.close()
  return 0
}

/** The cache beside the installed packages, as build tools keep theirs; none without them. */
function defaultCacheDir(): string {
  return existsSync('node_modules') ? path.join('node_modules', '.cache', 'content-graph') : ''
}

function usageError(message: string): number {
  process.stderr.write(`content-graph: ${message}\n\n${usage}`)
  return 2
}

process.exitCode = await main(process.argv.slice(2))
