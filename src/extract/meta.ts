import path from 'node:path'

/** A front matter value read into a post field, or a problem with it. */
export interface MetaProblem {
  readonly key: string
  readonly code: string
  readonly message: string
}

/** A post's date: the calendar day and, when known, the full date-time. */
export interface PostDate {
  readonly date: string
  readonly dateTime: string | null
}

const datePrefix = /^(\d{4})-(\d{2})-(\d{2})-/

/**
 * Base name of a content file without extension; `index.md` in a page bundle
 * (`pycon2023/index.md`) is named by its folder.
 *
 * @param relativePath
 *   Path relative to the content folder.
 * @returns
 *   The name.
 */
export function fileBaseName(relativePath: string): string {
  const name = path.posix.basename(relativePath).replace(/\.(md|markdown)$/i, '')
  if (/^(index|_index|readme)$/i.test(name)) {
    const folder = path.posix.basename(path.posix.dirname(relativePath))
    if (folder && folder !== '.') return folder
  }
  return name
}

/**
 * Slug of a post: front matter `slug`, else the file name without date prefix.
 *
 * @param data
 *   Front matter.
 * @param relativePath
 *   Path relative to the content folder.
 * @returns
 *   The slug.
 */
export function readSlug(data: Record<string, unknown>, relativePath: string): string {
  const given = scalarText(data.slug)
  if (given) return given
  return fileBaseName(relativePath).replace(datePrefix, '')
}

/**
 * Date of a post: `date`, `pub_date` or `publishDate` in front matter, else a
 * `YYYY-MM-DD-` file-name prefix.
 *
 * @param data
 *   Front matter.
 * @param relativePath
 *   Path relative to the content folder.
 * @param problems
 *   Receives a problem when a front matter date cannot be read.
 * @returns
 *   The date, or null when none is known.
 */
export function readDate(
  data: Record<string, unknown>,
  relativePath: string,
  problems: MetaProblem[],
): PostDate | null {
  for (const key of ['date', 'pub_date', 'pubDate', 'publishDate', 'published', 'publish_date']) {
    const value = data[key]
    if (value === undefined || value === null || value === '') continue
    const parsed = parseDate(String(value))
    if (parsed) return parsed
    problems.push({
      key,
      code: 'invalid-date',
      message: `Cannot read \`${key}: ${String(value)}\` as a date; expected a form like 2024-05-26 or 2024-05-26T22:55:50+09:00`,
    })
  }
  const prefix = datePrefix.exec(path.posix.basename(relativePath))
  if (prefix) return parseDate(`${prefix[1]}-${prefix[2]}-${prefix[3]}`) ?? null
  return null
}

/**
 * Read an ISO-like date, with or without a time and offset.
 *
 * @param value
 *   Text such as `2019-05-12`, `2019.05.12`, `2019-05-12 20:04:01`,
 *   `2017-11-06T16:25+01:00`.
 * @returns
 *   The day and the RFC 3339 date-time (UTC when no offset is written), or
 *   undefined when the text is not a valid date.
 */
export function parseDate(value: string): PostDate | undefined {
  const match =
    /^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?\s*$/i.exec(
      value,
    )
  if (!match) return undefined
  const [, year = '', month = '', day = '', hour, minute, second, fraction, offset] = match
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!validDay(date)) return undefined
  if (hour === undefined || minute === undefined) return { date, dateTime: null }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined
  const time = `${hour.padStart(2, '0')}:${minute}:${second ?? '00'}${fraction && /[1-9]/.test(fraction) ? `.${fraction}` : ''}`
  return { date, dateTime: `${date}T${time}${normalizeOffset(offset)}` }
}

/**
 * Read a list-like front matter field: a list, a bare scalar, or a
 * comma-separated string; trimmed, de-duplicated, original case kept.
 *
 * @param data
 *   Front matter.
 * @param keys
 *   Keys to read, plural first (`tags`, `tag`).
 * @returns
 *   The values.
 */
export function readList(data: Record<string, unknown>, keys: readonly string[]): string[] {
  const values: string[] = []
  for (const key of keys) {
    const value = data[key]
    const items = Array.isArray(value)
      ? value
      : value === undefined || value === null
        ? []
        : [value]
    for (const item of items) {
      const text = scalarText(item)
      if (text === undefined) continue
      const parts = Array.isArray(value) ? [text] : text.split(',')
      for (const part of parts) {
        const trimmed = part.trim()
        if (trimmed !== '') values.push(trimmed)
      }
    }
  }
  return [...new Set(values)]
}

/**
 * A front matter scalar as trimmed text.
 *
 * @param value
 *   Any value.
 * @returns
 *   Text for strings, numbers and booleans; undefined otherwise or when empty.
 */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function validDay(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date)
}

function normalizeOffset(offset: string | undefined): string {
  if (!offset || offset.toUpperCase() === 'Z') return 'Z'
  const digits = offset.replace(':', '')
  const sign = digits[0]
  const hours = digits.slice(1, 3)
  const minutes = digits.slice(3, 5) || '00'
  const normalized = `${sign}${hours}:${minutes}`
  return normalized === '+00:00' || normalized === '-00:00' ? 'Z' : normalized
}
