import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { runCheck } from './cli/check.ts'
import { runQuery } from './cli/query.ts'
import { runSchema } from './cli/schema.ts'
import { runServe } from './cli/serve.ts'
import type { CorsOption } from './server/create-server.ts'
import { timeoutDefaults } from './server/listen.ts'
import { limitArgs, readLimits } from './server/security.ts'

const usage = `Usage: content-graph <command> [options]

Commands:
  serve                   Serve the content over HTTP with GraphiQL
    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
    -p, --port <port>       Port, 0 for any free one (env PORT, default: 4000)
        --host <host>       Host to bind (env HOST, default: localhost)
        --no-graphiql       Do not serve GraphiQL to browsers
    -w, --watch             Follow the folder and serve every change (npm run dev)
    -D, --drafts            Serve drafts too (draft: true, published: false,
                            status: draft, _drafts/); hidden by default
        --cache-dir <dir>   Content-hash cache for fast restarts (env CACHE_DIR,
                            default: node_modules/.cache/content-graph; "" for none)
        --workers <n>       Worker threads for the first read (default: one per
                            core for 64 files or more; 0 reads in the main thread)
        --cache-control <value>
                            Cache-Control of GET query responses, which carry an
                            ETag (env CACHE_CONTROL, default: no-cache)
        --response-cache <n>
                            Responses kept per content version, served as stored
                            bytes (env RESPONSE_CACHE, default: 1000; 0 for none)
        --persisted-documents <file>
                            JSON of {"<documentId>": "<document>"} that clients
                            may send by id (env PERSISTED_DOCUMENTS), such as
                            examples/generated/persisted-documents.json
        --only-persisted    Run persisted documents only, no query text
        --cors-origin <origins>
                            Origins that browsers let call the API: * for any
                            (env CORS_ORIGIN, default: *), a comma-separated
                            list such as https://blog.example, or none; never
                            with credentials (see SECURITY.md)
        --no-introspection  Refuse introspection (env INTROSPECTION=false; off by
                            default when NODE_ENV=production, --introspection
                            turns it back on)
        --max-depth <n>, --max-aliases <n>, --max-directives <n>, --max-tokens <n>,
        --max-cost <n>, --max-body-bytes <n>, --max-variables-depth <n>,
        --max-variables-values <n>, --execution-timeout <ms>,
        --headers-timeout <ms>, --request-timeout <ms>, --keep-alive-timeout <ms>,
        --shutdown-timeout <ms>
                            Limits of hostile requests and slow clients (env
                            MAX_DEPTH, …, SHUTDOWN_TIMEOUT_MS); see SECURITY.md
  check [dir]             List content problems as path:line:column; exit 1 on errors
                          (drafts included)
  query <document|file>   Run a GraphQL document against the content and print JSON;
                          exit 1 when the result has errors
    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
        --variables <json>  Variables as a JSON object
        --operation <name>  Operation to run when the document has several
    -D, --drafts            Include drafts (hidden by default)
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
            drafts: { type: 'boolean', short: 'D' },
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
            drafts: values.drafts ?? false,
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
      drafts: { type: 'boolean', short: 'D' },
      'cache-dir': { type: 'string' },
      workers: { type: 'string' },
      'cache-control': { type: 'string' },
      'response-cache': { type: 'string' },
      'persisted-documents': { type: 'string' },
      'only-persisted': { type: 'boolean' },
      'cors-origin': { type: 'string' },
      ...limitArgs,
    },
  })
  const limits = readLimits(values)
  if ('error' in limits) return usageError(limits.error)
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
  const responseCacheText = values['response-cache'] ?? process.env.RESPONSE_CACHE ?? '1000'
  if (!/^\d+$/.test(responseCacheText)) {
    return usageError(`--response-cache must be a whole number, got "${responseCacheText}"`)
  }
  const persistedDocuments = values['persisted-documents'] ?? process.env.PERSISTED_DOCUMENTS
  if (values['only-persisted'] && !persistedDocuments) {
    return usageError('--only-persisted needs --persisted-documents <file>')
  }
  const cors = readCorsOrigin(values['cors-origin'] ?? process.env.CORS_ORIGIN ?? '*')
  if (typeof cors === 'string') return usageError(cors)
  const listening = await runServe(
    {
      cors,
      contentDir: values.content ?? process.env.CONTENT_DIR ?? 'content',
      port,
      host: values.host ?? process.env.HOST ?? 'localhost',
      graphiql: !values['no-graphiql'],
      watch: values.watch ?? false,
      drafts: values.drafts ?? false,
      cacheDir: cacheDir === '' ? undefined : cacheDir,
      workers: workersText === undefined ? undefined : Number(workersText),
      caching: {
        cacheControl: values['cache-control'] ?? process.env.CACHE_CONTROL ?? 'no-cache',
        responseCache:
          Number(responseCacheText) === 0 ? false : { maxEntries: Number(responseCacheText) },
        persistedDocuments,
        onlyPersisted: values['only-persisted'] ?? false,
      },
      limits: limits.options,
    },
    (line) => process.stdout.write(`${line}\n`),
  )
  // Serve until asked to stop, then let requests in flight finish (`/ready`
  // answers 503 meanwhile) and exit cleanly.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  // A second signal, or a shutdown that outlives its deadline, exits at once.
  const force = () => process.exit(1)
  process.once('SIGINT', force)
  process.once('SIGTERM', force)
  const shutdownMs = limits.options.shutdownTimeoutMs ?? timeoutDefaults.shutdownTimeoutMs
  setTimeout(force, shutdownMs + 1500).unref()
  await listening.close()
  process.off('SIGINT', force)
  process.off('SIGTERM', force)
  return 0
}

/**
 * `--cors-origin`: `*` for any origin, `none` for no CORS headers, or a
 * comma-separated list of origins (`scheme://host[:port]`); a message when
 * an origin is not one.
 */
function readCorsOrigin(text: string): CorsOption | string {
  const value = text.trim()
  if (value === '*') return true
  if (value === 'none') return false
  const origins = value.split(',').map((origin) => origin.trim())
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      return `--cors-origin takes *, none or origins such as https://blog.example, got "${origin}"`
    }
  }
  return { origin: origins }
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
