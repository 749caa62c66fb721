/**
 * Example client: print the talks that mention a technology, with types
 * generated from the schema (`npm run codegen`) and nothing but `fetch`.
 *
 *     npx tsx examples/talks-by-technology.ts spark
 *     npx tsx examples/talks-by-technology.ts 쿠버네티스 http://localhost:4000/graphql
 *
 * The URL comes from the second argument, else `CONTENT_GRAPH_URL`, else
 * http://localhost:4000/graphql.
 */
import { pathToFileURL } from 'node:url'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'
import { graphql } from './generated/gql.ts'
import type { TalksByTechnologyQuery } from './generated/graphql.ts'

/** Where the server listens when nothing else is said. */
export const defaultUrl = 'http://localhost:4000/graphql'

/**
 * The talks mentioning a technology, a page at a time. `technology(slug:)`
 * also takes a name or an alias.
 */
export const talksByTechnologyDocument = graphql(`
  query TalksByTechnology($technology: String!, $after: String) {
    technology(slug: $technology) {
      name
      talks(first: 100, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          number
          title
          speaker
          post {
            title
            slug
          }
        }
      }
    }
  }
`)

/** A talk as this example prints it. */
export type TalkSummary = NonNullable<
  TalksByTechnologyQuery['technology']
>['talks']['nodes'][number]

/** The talks found for a technology. */
export interface TalksByTechnology {
  /** Canonical name of the technology, such as `Kubernetes` for `k8s`. */
  readonly name: string
  readonly talks: readonly TalkSummary[]
}

/**
 * Send one GraphQL request over HTTP and return its typed data.
 *
 * @param url
 *   GraphQL endpoint.
 * @param document
 *   Typed document from `graphql()`.
 * @param variables
 *   Its variables.
 * @returns
 *   The `data` of the response, typed by the document.
 * @throws
 *   On an HTTP error status or when the response has GraphQL errors.
 */
export async function request<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: print(document), variables }),
  })
  const body = (await response.json()) as { data?: Result | null; errors?: { message: string }[] }
  if (body.errors?.length) {
    throw new Error(`GraphQL error: ${body.errors.map((error) => error.message).join('; ')}`)
  }
  if (!response.ok || !body.data) throw new Error(`HTTP ${response.status} from ${url}`)
  return body.data
}

/**
 * Fetch every talk that mentions a technology, following the cursors.
 *
 * @param technology
 *   Slug, name or alias, such as `spark` or `쿠버네티스`.
 * @param url
 *   GraphQL endpoint; `http://localhost:4000/graphql` when omitted.
 * @returns
 *   The technology's name and its talks, or undefined when no technology has
 *   that name.
 */
export async function talksByTechnology(
  technology: string,
  url: string = defaultUrl,
): Promise<TalksByTechnology | undefined> {
  const talks: TalkSummary[] = []
  let after: string | null = null
  let name: string | undefined
  for (;;) {
    const data: TalksByTechnologyQuery = await request(url, talksByTechnologyDocument, {
      technology,
      after,
    })
    if (!data.technology) return undefined
    name = data.technology.name
    talks.push(...data.technology.talks.nodes)
    const { hasNextPage, endCursor } = data.technology.talks.pageInfo
    if (!hasNextPage || !endCursor) break
    after = endCursor
  }
  return { name, talks }
}

/**
 * Format the talks found as lines of text.
 *
 * @param found
 *   Result of `talksByTechnology`.
 * @returns
 *   A heading line, then one line per talk: post title, talk number and title,
 *   and speaker when known.
 */
export function formatTalks(found: TalksByTechnology): string[] {
  const count = found.talks.length
  return [
    `${found.name}: ${count} ${count === 1 ? 'talk' : 'talks'}`,
    ...found.talks.map((talk) => {
      const number = talk.number === null ? '' : `#${talk.number} `
      const speaker = talk.speaker ? ` (${talk.speaker})` : ''
      return `  ${talk.post.title} · ${number}${talk.title}${speaker}`
    }),
  ]
}

/**
 * Run the example as a command.
 *
 * @param args
 *   Technology, then optionally the URL.
 * @param write
 *   Receives each output line.
 * @returns
 *   Exit code: 0 when the technology is known, 1 otherwise.
 */
export async function main(
  args: readonly string[],
  write: (line: string) => void = console.log,
): Promise<number> {
  const [technology = 'spark', url = process.env.CONTENT_GRAPH_URL ?? defaultUrl] = args
  let found: TalksByTechnology | undefined
  try {
    found = await talksByTechnology(technology, url)
  } catch (error) {
    // `fetch` says only "fetch failed"; the cause names the refused connection.
    const cause = (error as { cause?: { code?: string } }).cause?.code
    write(`Cannot query ${url}: ${cause ?? (error as Error).message} (is \`npm start\` running?)`)
    return 1
  }
  if (!found) {
    write(`No technology is named "${technology}"`)
    return 1
  }
  for (const line of formatTalks(found)) write(line)
  return 0
}

// Run only when executed directly, so tests can import the functions above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2))
}
