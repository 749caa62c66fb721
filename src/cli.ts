import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { runBuild } from './cli/build.ts'
import { runCheck, runExplain } from './cli/check.ts'
import { limitArgs, readLimits } from './cli/limits.ts'
import { runQuery } from './cli/query.ts'
import { runSchema } from './cli/schema.ts'
import { runServe } from './cli/serve.ts'
import { programVersion } from './program.ts'
import type { CorsOption } from './server/create-server.ts'
import { timeoutDefaults } from './server/listen.ts'

/** Help of each command, shown by `content-graph <command> --help`. */
const commandHelp = {
  serve: `content-graph serve [options]
  Serve the content over HTTP, with GraphiQL for browsers.

    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
        --snapshot <file>   Serve a snapshot written by \`build\` instead of
                            reading a folder (env SNAPSHOT)
    -p, --port <port>       Port, 0 for any free one (env PORT, default: 4000)
        --host <host>       Host to bind (env HOST, default: localhost; 0.0.0.0
                            in a container)
        --graphiql          Serve GraphiQL even when NODE_ENV=production (with
                            introspection, which it needs)
        --no-graphiql       Do not serve GraphiQL (off by default when
                            NODE_ENV=production)
    -w, --watch             Follow the folder and serve every change (npm run dev)
    -D, --drafts            Serve drafts too (draft: true, published: false,
                            status: draft, _drafts/); hidden by default
        --cache-dir <dir>   Content-hash cache for fast restarts (env CACHE_DIR,
                            default: node_modules/.cache/content-graph; "" for none)
        --workers <n>       Worker threads for the first read (default: one per
                            core for 64 files or more) and, with --watch, for
                            saves (default: one per core but one); 0 reads in
                            the main thread, where reading holds up requests
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
`,
  build: `content-graph build --out <file> [options]
  Read the content once and write everything a server needs (posts, catalog,
  problems) to one snapshot file, for \`serve --snapshot\`.

    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
    -o, --out <file>        Snapshot file to write
    -D, --drafts            Include drafts (hidden by default)
        --workers <n>       Worker threads (default: one per core for 64 files
                            or more)
`,
  check: `content-graph check [dir] [options]
  List content problems as path:line:column; exit 1 on errors. Drafts are
  checked too.

    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
        --explain <file>    Print each heading of one post with its role (title,
                            group, talk, section, meta) and the evidence for it
`,
  query: `content-graph query <document|file> [options]
  Run a GraphQL document against the content and print JSON; exit 1 when the
  result has errors.

    -c, --content <dir>     Content folder (env CONTENT_DIR, default: content)
        --variables <json>  Variables as a JSON object
        --operation <name>  Operation to run when the document has several
    -D, --drafts            Include drafts (hidden by default)
`,
  schema: `content-graph schema
  Print the GraphQL schema (SDL).
`,
} as const

type Command = keyof typeof commandHelp

const usage = `Usage: content-graph <command> [options]

Commands:
  serve                   Serve the content over HTTP with GraphiQL
  build --out <file>      Write the read content to a snapshot file
  check [dir]             List content problems; exit 1 on errors
  query <document|file>   Run a GraphQL document and print JSON
  schema                  Print the GraphQL schema (SDL)
  help [command]          Show this help, or a command's

Options:
  -h, --help              Show help (\`content-graph <command> --help\` for a command's)
  -v, --version           Show the version

${Object.values(commandHelp).join('\n')}`

/** Flags every command takes. */
const helpArg = { help: { type: 'boolean', short: 'h' } } as const

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
          options: {
            content: { type: 'string', short: 'c' },
            explain: { type: 'string' },
            ...helpArg,
          },
        })
        if (values.help) return help('check')
        if (values.explain !== undefined) {
          return await runExplain(values.explain, explainRoot(values.explain, values.content), out)
        }
        const dir = positionals[0] ?? values.content ?? process.env.CONTENT_DIR ?? 'content'
        const missing = missingFolder(dir)
        if (missing) return failure(missing)
        const result = await runCheck(dir, out)
        if (result.stats.posts === 0) out(noPosts(dir))
        return result.exitCode
      }
      case 'serve':
        return await serve(rest)
      case 'build': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            content: { type: 'string', short: 'c' },
            out: { type: 'string', short: 'o' },
            workers: { type: 'string' },
            drafts: { type: 'boolean', short: 'D' },
            ...helpArg,
          },
        })
        if (values.help) return help('build')
        if (values.out === undefined) return usageError('build needs --out <file>', 'build')
        const workers = wholeNumber(values.workers, '--workers')
        if (typeof workers === 'string') return usageError(workers, 'build')
        const dir = values.content ?? process.env.CONTENT_DIR ?? 'content'
        const missing = missingFolder(dir)
        if (missing) return failure(missing)
        const built = await runBuild(
          {
            contentDir: dir,
            out: values.out,
            drafts: values.drafts ?? false,
            ...(workers === undefined ? {} : { workers }),
          },
          out,
        )
        if (built.stats.posts === 0) out(noPosts(dir))
        return 0
      }
      case 'query': {
        const { positionals, values } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: {
            content: { type: 'string', short: 'c' },
            variables: { type: 'string' },
            operation: { type: 'string' },
            drafts: { type: 'boolean', short: 'D' },
            ...helpArg,
          },
        })
        if (values.help) return help('query')
        const document = positionals[0]
        if (document === undefined) return usageError('query needs a document or a file', 'query')
        const dir = values.content ?? process.env.CONTENT_DIR ?? 'content'
        const missing = missingFolder(dir)
        if (missing) return failure(missing)
        return await runQuery(
          {
            document,
            variables: values.variables,
            operationName: values.operation,
            contentDir: dir,
            drafts: values.drafts ?? false,
          },
          out,
        )
      }
      case 'schema': {
        const { values } = parseArgs({ args: [...rest], options: helpArg })
        if (values.help) return help('schema')
        return runSchema((text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`))
      }
      case '-v':
      case '--version':
        out(programVersion)
        return 0
      case 'help': {
        const topic = rest[0]
        if (topic !== undefined && isCommand(topic)) return help(topic)
        process.stdout.write(usage)
        return 0
      }
      case undefined:
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
      return usageError((error as Error).message, isCommand(command) ? command : undefined)
    }
    return failure(error instanceof Error ? error.message : String(error))
  }
}

/**
 * The content folder for `check --explain FILE`: the one given, else the
 * default folder when the file lies in it, else the file's own folder.
 */
function explainRoot(file: string, given: string | undefined): string {
  const chosen = given ?? process.env.CONTENT_DIR
  if (chosen) return chosen
  const inside = path.relative(path.resolve('content'), path.resolve(file))
  return inside.startsWith('..') || path.isAbsolute(inside) ? path.dirname(file) : 'content'
}

async function serve(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      content: { type: 'string', short: 'c' },
      snapshot: { type: 'string' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      graphiql: { type: 'boolean' },
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
      ...helpArg,
    },
  })
  if (values.help) return help('serve')
  const limits = readLimits(values)
  if ('error' in limits) return usageError(limits.error, 'serve')
  const portText = values.port ?? process.env.PORT ?? '4000'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65_535) {
    return usageError(`--port must be a number from 0 to 65535, got "${portText}"`, 'serve')
  }
  const workers = wholeNumber(values.workers, '--workers')
  if (typeof workers === 'string') return usageError(workers, 'serve')
  const cacheDir = values['cache-dir'] ?? process.env.CACHE_DIR ?? defaultCacheDir()
  const responseCacheText = values['response-cache'] ?? process.env.RESPONSE_CACHE ?? '1000'
  if (!/^\d+$/.test(responseCacheText)) {
    return usageError(
      `--response-cache must be a whole number, got "${responseCacheText}"`,
      'serve',
    )
  }
  const persistedDocuments = values['persisted-documents'] ?? process.env.PERSISTED_DOCUMENTS
  if (values['only-persisted'] && !persistedDocuments) {
    return usageError('--only-persisted needs --persisted-documents <file>', 'serve')
  }
  if (values.graphiql && values['no-graphiql']) {
    return usageError('--graphiql and --no-graphiql contradict each other', 'serve')
  }
  // GraphiQL shows the schema from introspection: asking for GraphiQL turns
  // it on unless it was turned off outright.
  const graphiql = values.graphiql ? true : values['no-graphiql'] ? false : undefined
  if (graphiql && limits.options.introspection === false) {
    return usageError('--graphiql needs introspection, which --no-introspection turns off', 'serve')
  }
  const snapshot = values.snapshot ?? process.env.SNAPSHOT
  if (snapshot && values.watch) {
    return usageError('--watch follows a folder; a --snapshot does not change', 'serve')
  }
  if (snapshot && values.drafts) {
    return usageError('a --snapshot holds drafts only when built with build --drafts', 'serve')
  }
  const contentDir = values.content ?? process.env.CONTENT_DIR ?? 'content'
  if (!snapshot) {
    const missing = missingFolder(contentDir)
    if (missing) return failure(missing)
  }
  const cors = readCorsOrigin(values['cors-origin'] ?? process.env.CORS_ORIGIN ?? '*')
  if (typeof cors === 'string') return usageError(cors, 'serve')
  const listening = await runServe(
    {
      cors,
      contentDir,
      ...(snapshot ? { snapshot } : {}),
      port,
      host: values.host ?? process.env.HOST ?? 'localhost',
      graphiql,
      watch: values.watch ?? false,
      drafts: values.drafts ?? false,
      cacheDir: cacheDir === '' ? undefined : cacheDir,
      workers,
      caching: {
        cacheControl: values['cache-control'] ?? process.env.CACHE_CONTROL ?? 'no-cache',
        responseCache:
          Number(responseCacheText) === 0 ? false : { maxEntries: Number(responseCacheText) },
        persistedDocuments,
        onlyPersisted: values['only-persisted'] ?? false,
      },
      limits: graphiql ? { introspection: true, ...limits.options } : limits.options,
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

/** Whether a word names a command with its own help. */
function isCommand(word: string | undefined): word is Command {
  return word !== undefined && Object.hasOwn(commandHelp, word)
}

/** Print one command's help. */
function help(command: Command): number {
  process.stdout.write(commandHelp[command])
  return 0
}

/** A whole number flag: the number, undefined when absent, or an error message. */
function wholeNumber(text: string | undefined, flag: string): number | undefined | string {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) return `${flag} must be a whole number, got "${text}"`
  return Number(text)
}

/**
 * Why a content folder cannot be read, or undefined when it can: a missing
 * folder is a mistake to say at once, not an empty graph to serve.
 */
function missingFolder(dir: string): string | undefined {
  try {
    if (statSync(dir).isDirectory()) return undefined
    return `content folder "${dir}" is not a folder`
  } catch {
    return `content folder "${dir}" does not exist (give one with --content <dir> or CONTENT_DIR)`
  }
}

/** The line saying that a folder holds no posts. */
function noPosts(dir: string): string {
  return `No posts in ${dir}: it holds no readable .md or .markdown files`
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

function usageError(message: string, command?: Command): number {
  process.stderr.write(`content-graph: ${message}\n\n${command ? commandHelp[command] : usage}`)
  return 2
}

function failure(message: string): number {
  process.stderr.write(`content-graph: ${message}\n`)
  return 1
}

process.exitCode = await main(process.argv.slice(2))
