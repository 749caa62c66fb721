import { existsSync, readFileSync, statSync } from 'node:fs'
import { type ExecutionResult, execute, GraphQLError, parse, validate } from 'graphql'
import { createPubSub } from 'graphql-yoga'
import type { ApiContext } from '../api/context.ts'
import { sharedHtmlRenderer } from '../api/html.ts'
import { createSchema } from '../api/schema.ts'
import { loadContent } from '../load/content.ts'

/** Options of `query`. */
export interface QueryOptions {
  /** A GraphQL document, or the path of a file holding one. */
  readonly document: string
  /** Variables as JSON text, such as `{"slug": "spark"}`. */
  readonly variables?: string | undefined
  /** Operation to run when the document has several. */
  readonly operationName?: string | undefined
  /** Content folder to read. */
  readonly contentDir: string
  /** Include draft posts (hidden by default). */
  readonly drafts?: boolean
}

/**
 * Run a GraphQL document against a content folder, without a server.
 *
 * @param options
 *   Document, variables and folder.
 * @param write
 *   Receives the result as indented JSON (`data` and `errors`, as over HTTP).
 * @returns
 *   Exit code: 0 when the result has no errors, 1 otherwise.
 * @throws
 *   When `variables` is not a JSON object.
 */
export async function runQuery(
  options: QueryOptions,
  write: (text: string) => void,
): Promise<number> {
  const variables = parseVariables(options.variables)
  const source = readDocument(options.document)
  const result = await run(source, variables, options)
  write(JSON.stringify(result, null, 2))
  return result.errors?.length ? 1 : 0
}

async function run(
  source: string,
  variables: Record<string, unknown> | undefined,
  options: QueryOptions,
): Promise<ExecutionResult> {
  let document: ReturnType<typeof parse>
  try {
    document = parse(source)
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] }
    throw error
  }
  const schema = createSchema()
  const invalid = validate(schema, document)
  if (invalid.length > 0) return { errors: invalid }
  const { graph } = await loadContent({
    contentDir: options.contentDir,
    drafts: options.drafts ?? false,
  })
  return execute({
    schema,
    document,
    // One query and no other client to keep waiting: HTML is rendered here.
    contextValue: {
      graph,
      changes: createPubSub(),
      html: sharedHtmlRenderer(0),
    } satisfies ApiContext,
    variableValues: variables ?? null,
    operationName: options.operationName ?? null,
  })
}

// A path that names an existing file is read; anything else is the document
// itself, so `query '{ stats { posts } }'` works without a file.
function readDocument(document: string): string {
  if (existsSync(document) && statSync(document).isFile()) return readFileSync(document, 'utf8')
  return document
}

function parseVariables(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`--variables is not valid JSON: ${(error as Error).message}`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('--variables must be a JSON object, such as {"slug": "spark"}')
  }
  return value as Record<string, unknown>
}
