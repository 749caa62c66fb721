import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, LineCounter, parseDocument } from 'yaml'
import { type ReadingDefaults, readingDefaults } from '../extract/post.ts'
import { problem as newProblem, type Problem, ProblemCode } from '../model/problems.ts'

/**
 * File names, in the content folder, of the folder-wide reading settings.
 * Named after the tool, beside `technologies.yml`, and read the same way.
 */
export const configFileNames = ['content-graph.yml', 'content-graph.yaml', 'content-graph.json']

/**
 * Read the folder-wide reading settings from the content folder, if there
 * are any: `talk_heading: N` (the depth of talk headings) and `talks: none`
 * (every post is one talk). A post's own front matter always wins.
 *
 * @param contentDir
 *   Content folder.
 * @returns
 *   The defaults (empty when there is no file) and problems with their line.
 */
export async function readContentConfig(
  contentDir: string,
): Promise<{ defaults: ReadingDefaults; problems: Problem[]; path: string | undefined }> {
  for (const name of configFileNames) {
    const absolute = path.join(contentDir, name)
    let text: string
    try {
      text = await readFile(absolute, 'utf8')
    } catch {
      continue
    }
    return { ...parseContentConfig(text, name), path: absolute }
  }
  return { defaults: {}, problems: [], path: undefined }
}

/**
 * Parse reading settings from YAML or JSON text.
 *
 * @param text
 *   File text.
 * @param file
 *   Path to name in problems.
 * @returns
 *   The settings and problems for keys that could not be read.
 */
export function parseContentConfig(
  text: string,
  file: string,
): { defaults: ReadingDefaults; problems: Problem[] } {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter })
  const problems: Problem[] = []
  const problem = (offset: number, message: string) => {
    const { line, col } = lineCounter.linePos(offset)
    problems.push(
      newProblem({ path: file, line, column: col }, 'error', ProblemCode.config, message),
    )
  }
  for (const error of document.errors)
    problem(error.pos[0], `Invalid settings: ${error.message.split('\n')[0]}`)
  if (document.errors.length > 0) return { defaults: {}, problems }
  if (document.contents === null) return { defaults: {}, problems }
  if (!isMap(document.contents)) {
    problem(0, 'Settings must be a mapping (`talk_heading: 3`, `talks: none`)')
    return { defaults: {}, problems }
  }
  const data = document.toJSON() as Record<string, unknown>
  const defaults = readingDefaults(data)
  for (const pair of document.contents.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? '')
    const offset = (pair.key as { range?: [number, number, number] })?.range?.[0] ?? 0
    if (key === 'talk_heading' && defaults.talkDepth === undefined) {
      problem(offset, '`talk_heading` must be a heading depth from 1 to 6 (`3` or `###`)')
    } else if (key === 'talks' && defaults.oneTalk === undefined) {
      problem(offset, '`talks` must be `none` (every post is one talk)')
    }
  }
  return { defaults, problems }
}
