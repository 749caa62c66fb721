import matter from 'gray-matter'
import yaml from 'js-yaml'
import { parse as parseToml } from 'smol-toml'
import { ProblemCode } from '../model/problems.ts'

/** Which kind of front matter a file had. */
export type FrontMatterFormat = 'yaml' | 'yaml-hexo' | 'toml' | 'pelican' | 'nikola' | 'none'

/** Front matter split off a post. */
export interface FrontMatter {
  /** Parsed data, turned into plain JSON values (TOML dates become strings). */
  readonly data: Record<string, unknown>
  readonly format: FrontMatterFormat
  /** Raw front matter text, without fences. */
  readonly raw: string
  /** 1-based line of the first front matter line (after an opening fence). */
  readonly startLine: number
  /**
   * The Markdown body, preceded by one empty line per line the front matter
   * took, so that positions in the body are positions in the file.
   */
  readonly body: string
}

/** A front matter syntax error, with its place in the file. */
export class FrontMatterError extends Error {
  override readonly name = 'FrontMatterError'
  readonly code:
    | typeof ProblemCode.yamlSyntax
    | typeof ProblemCode.tomlSyntax
    | typeof ProblemCode.frontMatterShape
  readonly line: number
  readonly column: number

  constructor(
    code: FrontMatterError['code'],
    message: string,
    line: number,
    column: number,
    cause?: unknown,
  ) {
    super(message, { cause })
    this.code = code
    this.line = line
    this.column = column
  }
}

// gray-matter hands engines the text after the opening fence, starting with
// that fence's newline; dropping it makes error lines count from startLine.
const dropFenceNewline = (text: string) => text.replace(/^\r?\n/, '')

/** A syntax error inside the front matter, at a line and column of the front matter. */
class EngineError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message)
  }
}

const yamlEngine = (text: string): object => {
  let value: unknown
  try {
    // The core schema keeps timestamps as written (a bare `2019-05-12 20:04`
    // has no offset, and a UTC Date would hide that); `json` lets a repeated
    // key override as Jekyll and Hugo do, rather than fail the post.
    value = yaml.load(dropFenceNewline(text), { schema: yaml.CORE_SCHEMA, json: true })
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      throw new EngineError(error.reason, error.mark.line + 1, error.mark.column + 1)
    }
    throw error
  }
  return asObject(value ?? {})
}

const tomlEngine = (text: string): object => {
  try {
    return parseToml(dropFenceNewline(text))
  } catch (error) {
    const record = error as { line?: unknown; column?: unknown; message?: unknown }
    if (typeof record.line === 'number' && typeof record.column === 'number') {
      const message = String(record.message)
        .split('\n')[0]
        ?.replace(/^Invalid TOML document: /, '')
      throw new EngineError(message ?? 'invalid TOML', record.line, record.column)
    }
    throw error
  }
}

/**
 * Split front matter off a post and parse it.
 *
 * Handles YAML between `---` fences, Hexo-style YAML closed by `---` with no
 * opening fence, TOML between `+++` fences, Pelican-style `Key: value` lines
 * at the top of the file, Nikola-style `.. key: value` lines (or `key: value`
 * lines) inside a leading HTML comment, and no front matter at all.
 *
 * @param text
 *   Whole file text, with `\n` line endings.
 * @returns
 *   The parsed front matter and the padded body.
 * @throws {FrontMatterError}
 *   When the front matter is not valid YAML or TOML, or is not a mapping.
 */
export function parseFrontMatter(text: string): FrontMatter {
  if (/^---[ \t]*\n/.test(text)) return split(text, 'yaml', '---', 2)
  if (/^\+\+\+[ \t]*\n/.test(text)) return split(text, 'toml', '+++', 2)
  const hexo = hexoFrontMatterEnd(text)
  if (hexo !== undefined) {
    const result = split(`---\n${text}`, 'yaml', '---', 1)
    return { ...result, format: 'yaml-hexo', body: result.body.slice(1) }
  }
  return (
    pelicanMetadata(text) ??
    nikolaMetadata(text) ?? { data: {}, format: 'none', raw: '', startLine: 1, body: text }
  )
}

function split(
  text: string,
  format: 'yaml' | 'toml',
  delimiter: string,
  startLine: number,
): FrontMatter {
  let file: matter.GrayMatterFile<string>
  try {
    // Always pass a fresh options object: without one gray-matter caches by
    // input text and returns `data: {}` for the second parse of broken YAML.
    file = matter(text, {
      delimiters: delimiter,
      language: format,
      engines: { yaml: yamlEngine, toml: tomlEngine },
    })
  } catch (error) {
    throw toFrontMatterError(error, format, startLine)
  }
  const consumed = text.length - file.content.length
  const lines = countNewlines(text, consumed)
  const data = toJson(file.data)
  return {
    data,
    format,
    raw: file.matter.replace(/^\n/, ''),
    startLine,
    body: '\n'.repeat(lines) + file.content,
  }
}

/**
 * Find the closing `---` of Hexo-style front matter (no opening fence).
 * Only lines that look like YAML keys, list items, comments or indented
 * continuations may come before it, so that an ordinary post whose first
 * thematic break follows prose is not mistaken for front matter.
 */
function hexoFrontMatterEnd(text: string): number | undefined {
  const match = /^---[ \t]*$/m.exec(text)
  if (!match || match.index === 0) return undefined
  const head = text.slice(0, match.index)
  const lines = head.split('\n').filter((line) => line.trim() !== '')
  if (lines.length === 0) return undefined
  if (!/^[\w.-]+[ \t]*:/.test(lines[0] ?? '')) return undefined
  const yamlish = lines.every((line) => /^([\w.-]+[ \t]*:|[ \t]+\S|-[ \t]|#)/.test(line))
  return yamlish ? match.index : undefined
}

// Python-Markdown's meta-data syntax, which Pelican reads: a key of letters,
// digits, `_` and `-`, a colon, the value; lines indented by four or more
// spaces continue the value; the first blank line ends the block. Written by
// hand because no maintained JavaScript package reads it, and it is two
// patterns.
const metaLine = /^[ ]{0,3}([A-Za-z0-9_-]+):[ \t]*(.*)$/
const metaContinuation = /^[ ]{4,}(\S.*)$/
// Nikola's reStructuredText-style fields (`.. title: X`), inside a comment.
const nikolaLine = /^[ \t]*\.\.[ \t]+([A-Za-z0-9_-]+):[ \t]*(.*)$/

/**
 * Pelican-style metadata: `Key: value` lines from the first line of the file
 * to the first blank line. Only a block that names the post's `title` (as
 * Pelican requires) is metadata, so that prose starting with `Note: …` stays
 * prose.
 */
function pelicanMetadata(text: string): FrontMatter | undefined {
  const firstEnd = text.indexOf('\n')
  if (!metaLine.test(text.slice(0, firstEnd === -1 ? undefined : firstEnd))) return undefined
  const lines = text.split('\n')
  const fields: [string, string][] = []
  let count = 0
  for (const line of lines) {
    if (line.trim() === '') break
    const field = metaLine.exec(line)
    const more = field ? undefined : metaContinuation.exec(line)
    const last = fields[fields.length - 1]
    if (field) fields.push([field[1] ?? '', (field[2] ?? '').trim()])
    else if (more && last) last[1] = `${last[1]} ${(more[1] ?? '').trim()}`.trim()
    else return undefined
    count++
  }
  if (!fields.some(([key]) => key.toLowerCase() === 'title')) return undefined
  const bodyStart = lineOffset(text, count)
  return metadataBlock(text, fields, 'pelican', 1, text.slice(0, bodyStart), bodyStart)
}

/**
 * Nikola-style metadata: a comment opening the file whose every line is a
 * `.. key: value` (or `key: value`) field, one of them a known post field.
 */
function nikolaMetadata(text: string): FrontMatter | undefined {
  const open = /^(?:[ \t]*\n)*[ \t]*<!--[ \t]*\n?/.exec(text)
  if (!open) return undefined
  const close = text.indexOf('-->', open[0].length)
  if (close === -1) return undefined
  const inside = text.slice(open[0].length, close)
  const fields: [string, string][] = []
  for (const line of inside.split('\n')) {
    if (line.trim() === '') continue
    const field = nikolaLine.exec(line) ?? metaLine.exec(line.trim())
    if (!field) return undefined
    fields.push([field[1] ?? '', (field[2] ?? '').trim()])
  }
  const known = new Set(['title', 'date', 'slug', 'tags'])
  if (!fields.some(([key]) => known.has(key.toLowerCase()))) return undefined
  // Nothing but white space may follow the comment on its line.
  const lineEnd = text.indexOf('\n', close)
  if (text.slice(close + 3, lineEnd === -1 ? undefined : lineEnd).trim() !== '') return undefined
  const startLine = countNewlines(text, open[0].length) + 1
  const bodyStart = lineEnd === -1 ? text.length : lineEnd + 1
  return metadataBlock(text, fields, 'nikola', startLine, inside, bodyStart)
}

/** A metadata block as front matter: fields in order, the body padded to keep positions. */
function metadataBlock(
  text: string,
  fields: readonly [string, string][],
  format: 'pelican' | 'nikola',
  startLine: number,
  raw: string,
  bodyStart: number,
): FrontMatter {
  const data: Record<string, unknown> = {}
  // A repeated key overrides, as in YAML front matter read with `json`.
  for (const [key, value] of fields) data[key] = value
  const lines = countNewlines(text, bodyStart)
  return { data, format, raw, startLine, body: '\n'.repeat(lines) + text.slice(bodyStart) }
}

/** Offset just after the `lines`-th newline (0 for none; the text's end when it has fewer). */
function lineOffset(text: string, lines: number): number {
  let at = 0
  for (let line = 0; line < lines; line++) {
    const next = text.indexOf('\n', at)
    if (next === -1) return text.length
    at = next + 1
  }
  return at
}

function toFrontMatterError(
  error: unknown,
  format: 'yaml' | 'toml',
  startLine: number,
): FrontMatterError {
  if (error instanceof FrontMatterError) {
    return new FrontMatterError(error.code, error.message, startLine, 1, error)
  }
  const label = format === 'yaml' ? 'Invalid YAML front matter' : 'Invalid TOML front matter'
  const code = format === 'yaml' ? ProblemCode.yamlSyntax : ProblemCode.tomlSyntax
  if (error instanceof EngineError) {
    return new FrontMatterError(
      code,
      `${label}: ${error.message}`,
      startLine + error.line - 1,
      error.column,
      error,
    )
  }
  const message = error instanceof Error ? error.message : String(error)
  return new FrontMatterError(code, `${label}: ${message}`, startLine, 1, error)
}

function asObject(value: unknown): object {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value
  throw new FrontMatterError(
    ProblemCode.frontMatterShape,
    'Front matter must be a mapping of keys to values',
    1,
    1,
  )
}

/** Turn parsed values into plain JSON (TOML dates keep their written form). */
function toJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>
}

function countNewlines(text: string, end: number): number {
  let count = 0
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < end;
    index = text.indexOf('\n', index + 1)
  ) {
    count++
  }
  return count
}
