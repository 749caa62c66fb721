import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type ReadingDefaults, readingDefaults } from '../extract/post.ts'
import { problem as newProblem, type Problem, ProblemCode } from '../model/problems.ts'
import { isYamlSyntaxError, parseYaml, type YamlPlace } from '../parse/yaml.ts'

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
  const problems: Problem[] = []
  const problem = (place: YamlPlace, message: string) => {
    problems.push(newProblem({ path: file, ...place }, 'error', ProblemCode.config, message))
  }
  const document = parseYaml(text)
  if (isYamlSyntaxError(document)) {
    problem(document, `Invalid settings: ${document.reason}`)
    return { defaults: {}, problems }
  }
  const data = document.value
  if (data === undefined || data === null) return { defaults: {}, problems }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problem({ line: 1, column: 1 }, 'Settings must be a mapping (`talk_heading: 3`, `talks: none`)')
    return { defaults: {}, problems }
  }
  const settings = data as Record<string, unknown>
  const defaults = readingDefaults(settings)
  for (const { key, ...place } of document.keysIn(settings)) {
    if (key === 'talk_heading' && defaults.talkDepth === undefined) {
      problem(place, '`talk_heading` must be a heading depth from 1 to 6 (`3` or `###`)')
    } else if (key === 'talks' && defaults.oneTalk === undefined) {
      problem(place, '`talks` must be `none` (every post is one talk)')
    }
  }
  return { defaults, problems }
}
