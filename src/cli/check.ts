import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { builtinCatalogEntries, createCatalog } from '../catalog/catalog.ts'
import { explainPost } from '../extract/post.ts'
import type { GraphStats } from '../graph/content-graph.ts'
import { readUserCatalog } from '../load/catalog-file.ts'
import { readContentConfig } from '../load/config-file.ts'
import { loadContent } from '../load/content.ts'
import type { Problem } from '../model/problems.ts'

/** What `check` found. */
export interface CheckResult {
  readonly problems: readonly Problem[]
  readonly stats: GraphStats
  /** 1 when any problem is an error, 0 otherwise. */
  readonly exitCode: number
}

/**
 * Read a content folder and list its problems, without serving it.
 *
 * @param contentDir
 *   Folder to check.
 * @param write
 *   Receives each output line: one per problem as `path:line:column: severity:
 *   message` (paths joined to `contentDir` so editors can open them), then a summary.
 * @returns
 *   The problems, counts and exit code.
 */
export async function runCheck(
  contentDir: string,
  write: (line: string) => void,
): Promise<CheckResult> {
  // Drafts are checked too: they are the posts about to be published.
  const { graph } = await loadContent({ contentDir, drafts: true })
  for (const problem of graph.problems) write(formatProblem(problem, contentDir))
  write(summary(graph.stats))
  return { problems: graph.problems, stats: graph.stats, exitCode: graph.stats.errors > 0 ? 1 : 0 }
}

/**
 * Explain how one post's outline is read: each heading's role (title, group,
 * talk, section, meta) and the evidence that decided it, read with the
 * content folder's catalog and settings.
 *
 * @param file
 *   The post to explain; it must lie inside `contentDir`.
 * @param contentDir
 *   The content folder whose `technologies.yml` and `content-graph.yml` apply.
 * @param write
 *   Receives each output line.
 * @returns
 *   Exit code: 0, or 2 when the file is outside the folder or unreadable.
 */
export async function runExplain(
  file: string,
  contentDir: string,
  write: (line: string) => void,
): Promise<number> {
  const root = path.resolve(contentDir)
  const absolute = path.resolve(file)
  const relative = path.relative(root, absolute)
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    write(`${file}: not inside the content folder ${contentDir} (give it with --content)`)
    return 2
  }
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    write(`${file}: ${error instanceof Error ? error.message : String(error)}`)
    return 2
  }
  const [user, config] = await Promise.all([readUserCatalog(root), readContentConfig(root)])
  const catalog = createCatalog([...builtinCatalogEntries, ...user.entries])
  for (const problem of config.problems) write(formatProblem(problem, contentDir))
  const lines = explainPost(
    { path: relative.split(path.sep).join('/'), text },
    { catalog, defaults: config.defaults },
  )
  for (const line of lines) write(line)
  return 0
}

/**
 * Format a problem as `path:line:column: severity: message [code]`.
 *
 * @param problem
 *   The problem.
 * @param contentDir
 *   Folder its path is relative to.
 * @returns
 *   One line.
 */
export function formatProblem(problem: Problem, contentDir: string): string {
  const file = path.isAbsolute(problem.path) ? problem.path : path.join(contentDir, problem.path)
  return `${file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message} [${problem.code}]`
}

/**
 * One line of counts: `N posts, N talks, N bullets, N technologies; N errors, N warnings`.
 *
 * @param stats
 *   Graph counts.
 * @returns
 *   The line.
 */
export function summary(stats: GraphStats): string {
  return `${counts(stats)}; ${plural(stats.errors, 'error')}, ${plural(stats.warnings, 'warning')}`
}

/**
 * The content counts of a graph: `N posts, N talks, N bullets, N technologies`.
 *
 * @param stats
 *   Graph counts.
 * @returns
 *   The counts, comma-separated.
 */
export function counts(stats: GraphStats): string {
  return `${plural(stats.posts, 'post')}, ${plural(stats.talks, 'talk')}, ${plural(stats.bullets, 'bullet')}, ${plural(stats.technologies, 'technology')}`
}

/**
 * A count and a noun, the noun in the plural unless the count is 1.
 *
 * @param count
 *   The count.
 * @param word
 *   The noun in the singular.
 * @returns
 *   Such as `1 post`, `2 posts` or `3 technologies`.
 */
export function plural(count: number, word: string): string {
  if (count === 1) return `${count} ${word}`
  return `${count} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`
}
