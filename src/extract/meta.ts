import path from 'node:path'
import { ProblemCode } from '../model/problems.ts'

/** A front matter value read into a post field, or a problem with it. */
export interface MetaProblem {
  /** The front matter key the problem is about (its line is looked up). */
  readonly key: string
  readonly code: ProblemCode
  readonly message: string
  /** The line in the file, when the problem is not about a front matter key. */
  readonly line?: number
}

/** A post's date: the calendar day and, when known, the full date-time. */
export interface PostDate {
  readonly date: string
  readonly dateTime: string | null
}

/**
 * A `YYYY-MM-DD` date in a file name, wherever it sits, with the separator
 * that joins it to the rest of the name (`2019-10-12-x`, `x-2019-10-12`,
 * `notes_2019-10-12_pycon`).
 */
const nameDate = /(^|[-_. ])(\d{4})-(\d{2})-(\d{2})(?=$|[-_. ])/

/**
 * Look up a front matter value by key, ignoring case (`Title:` is `title`):
 * a key written exactly as asked wins over one that differs only in case.
 *
 * @param data
 *   Front matter.
 * @param key
 *   Key as the reader names it.
 * @returns
 *   The value, or undefined.
 */
export function field(data: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(data, key)) return data[key]
  const lower = key.toLowerCase()
  for (const name of Object.keys(data)) if (name.toLowerCase() === lower) return data[name]
  return undefined
}

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
  if (/^(index|readme)$/i.test(name)) {
    const folder = path.posix.basename(path.posix.dirname(relativePath))
    if (folder && folder !== '.') return folder
  }
  return name
}

/**
 * Slug of a post: front matter `slug`, else the file name (a page bundle's
 * folder name) without its extension and without a `YYYY-MM-DD` date
 * wherever it sits: `2019-10-12-pycon` and `pycon-2019-10-12` are `pycon`.
 *
 * @param data
 *   Front matter.
 * @param relativePath
 *   Path relative to the content folder.
 * @returns
 *   The slug.
 */
export function readSlug(data: Record<string, unknown>, relativePath: string): string {
  const given = scalarText(field(data, 'slug'))
  if (given) return given
  const name = fileBaseName(relativePath)
  const match = nameDate.exec(name)
  if (!match) return name
  // The date and one separator beside it go; a name that is only a date stays.
  const before = name.slice(0, match.index)
  const after = name.slice(match.index + match[0].length)
  const rest = before === '' ? after.replace(/^[-_. ]/, '') : `${before}${after}`
  return rest === '' ? name : rest
}

/** Front matter keys that hold a post's date, in the order they are tried. */
const dateKeys = [
  'date',
  'pub_date',
  'pubDate',
  'publishDate',
  'publish_date',
  'published',
  // Obsidian's note properties.
  'created',
]

/**
 * Date of a post: the first front matter date key that holds a date (`date`,
 * `pub_date`, `pubDate`, `publishDate`, `published` unless it is a yes/no,
 * `created`), else a `YYYY-MM-DD` date anywhere in the file name, else a date
 * line near the top of the body (`일시: 2018-08-25`, `Date: …`), which gives
 * a warning naming its line.
 *
 * @param data
 *   Front matter.
 * @param relativePath
 *   Path relative to the content folder.
 * @param problems
 *   Receives a problem when a front matter date cannot be read, and a
 *   warning when the date comes from the body.
 * @param body
 *   The Markdown body, padded so that its lines are the file's lines.
 * @returns
 *   The date, or null when none is known.
 */
export function readDate(
  data: Record<string, unknown>,
  relativePath: string,
  problems: MetaProblem[],
  body = '',
): PostDate | null {
  for (const key of dateKeys) {
    const value = field(data, key)
    if (value === undefined || value === null || value === '') continue
    // `published: true` says whether, not when.
    if (typeof value === 'boolean' || /^(true|false|yes|no)$/i.test(String(value).trim())) continue
    const parsed = parseDate(String(value))
    if (parsed) return parsed
    problems.push({
      key,
      code: ProblemCode.invalidDate,
      message: `Cannot read \`${key}: ${String(value)}\` as a date; expected a form like 2024-05-26, 2024-05-26 08:00 MDT, 2024-05-26T22:55:50+09:00 or 26-05-2024`,
    })
  }
  const named = nameDate.exec(fileBaseName(relativePath))
  if (named) {
    const parsed = parseDate(`${named[2]}-${named[3]}-${named[4]}`)
    if (parsed) return parsed
  }
  const line = bodyDateLine(body)
  if (line) {
    problems.push({
      key: '',
      line: line.line,
      code: ProblemCode.dateFromBody,
      message: `Date ${line.date.date} read from the line "${line.text}"; add \`date\` to the front matter to say it outright`,
    })
    return line.date
  }
  return null
}

/** Labels of a date line in a post's opening lines, in Korean and English. */
const dateLabel = /^(?:일시|날짜|일자|행사\s*일(?:시|자)?|date|when|event\s+date)\s*[:：]\s*(.+)$/i

/** How many non-empty lines at the top of the body may hold a date line. */
const bodyDateLines = 15

/**
 * A date line among the first lines of a body: a label (`일시`, `날짜`,
 * `Date`, `When`) and a date, in a paragraph or list item, bold or with an
 * emoji before it (`- **⏰ 일시** : 2019. 11. 05 (화)`).
 */
function bodyDateLine(body: string): { date: PostDate; line: number; text: string } | undefined {
  const lines = body.split('\n')
  let seen = 0
  for (let index = 0; index < lines.length && seen < bodyDateLines; index++) {
    const raw = lines[index] ?? ''
    if (raw.trim() === '') continue
    seen++
    const text = raw
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
      .replace(/[*_`]/g, '')
      .replace(/^[^\p{L}\p{N}]+/u, '')
      .trim()
    const label = dateLabel.exec(text)
    if (!label) continue
    const date = parseDateAtStart(label[1] ?? '')
    // The day only: a time on such a line is when the event ran, not the post.
    if (date)
      return { date: { date: date.date, dateTime: null }, line: index + 1, text: raw.trim() }
  }
  return undefined
}

/**
 * Time zone abbreviations read in dates (`2025-09-24 08:00 MDT`), as UTC
 * offsets. Hand-written: the IANA database names zones, not abbreviations,
 * and many abbreviations mean several zones (IST is India, Ireland and
 * Israel; CST is China and Central America), so only those with one common
 * meaning are listed; any other is not read as a date.
 */
const zoneOffsets: Readonly<Record<string, string>> = {
  UTC: '+00:00',
  UT: '+00:00',
  GMT: '+00:00',
  WET: '+00:00',
  WEST: '+01:00',
  BST: '+01:00',
  CET: '+01:00',
  CEST: '+02:00',
  MET: '+01:00',
  MEST: '+02:00',
  EET: '+02:00',
  EEST: '+03:00',
  MSK: '+03:00',
  KST: '+09:00',
  JST: '+09:00',
  HKT: '+08:00',
  SGT: '+08:00',
  AWST: '+08:00',
  ACST: '+09:30',
  ACDT: '+10:30',
  AEST: '+10:00',
  AEDT: '+11:00',
  NZST: '+12:00',
  NZDT: '+13:00',
  EST: '-05:00',
  EDT: '-04:00',
  CDT: '-05:00',
  MST: '-07:00',
  MDT: '-06:00',
  PST: '-08:00',
  PDT: '-07:00',
  AKST: '-09:00',
  AKDT: '-08:00',
  HST: '-10:00',
}

// Year first: `2019-05-12`, `2019.05.12`, `2019/5/12`, `2019. 11. 05.` (Korean).
const yearFirst =
  /^(\d{4})(?:-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2})|\.\s*(\d{1,2})\.\s*(\d{1,2})\.?)/
// Day first, with `-` or `.`: `30-10-2017`, `30.10.2017` (European order).
const dayFirst = /^(\d{1,2})([-.])(\d{1,2})\2(\d{4})/
// `2018년 8월 25일`.
const koreanDate = /^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/
// A time of day and an optional offset or zone: `T16:25`, ` 20:04:01.5`,
// `+01:00`, ` -0600`, `Z`, ` MDT`, ` UTC+02:00`. Only known zone names are
// taken, so that `10:00 at the venue` is a time followed by other words.
const timeOfDay = new RegExp(
  `^(?:[T ]+|\\s+)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?(?:\\s*(Z(?![A-Za-z])|[+-]\\d{2}:?\\d{2}|[+-]\\d{2}(?!\\d)|(?:UTC|GMT)\\s*[+-]\\d{1,2}(?::?\\d{2})?|(?:${Object.keys(zoneOffsets).join('|')})(?![A-Za-z])))?`,
  'i',
)

/**
 * Read a date, with or without a time and offset.
 *
 * @param value
 *   Text such as `2019-05-12`, `2019.05.12`, `2019-05-12 20:04:01`,
 *   `2017-11-06T16:25+01:00`, `2025-09-24 08:00 MDT`, `30-10-2017`
 *   (day first) or `2018년 8월 25일`.
 * @returns
 *   The day and the RFC 3339 date-time (UTC when no offset is written), or
 *   undefined when the text is not a valid date or has more after it.
 */
export function parseDate(value: string): PostDate | undefined {
  const found = readDateAt(value.trim())
  return found && found.rest.trim() === '' ? found.date : undefined
}

/**
 * Read a date at the start of a text, ignoring what follows it (a weekday,
 * a venue): for date lines such as `2019. 11. 05 (화)`.
 *
 * @param value
 *   Text starting with a date.
 * @returns
 *   The date, or undefined.
 */
export function parseDateAtStart(value: string): PostDate | undefined {
  const found = readDateAt(value.trim())
  if (!found) return undefined
  // The date must end there: `2019-11-05x` or `2019-11-0512` is not one.
  return /^(?:$|[\s(),;~\-–—/]|[^\p{L}\p{N}])/u.test(found.rest) ? found.date : undefined
}

function readDateAt(text: string): { date: PostDate; rest: string } | undefined {
  let year: string
  let month: string
  let day: string
  let rest: string
  const iso = yearFirst.exec(text)
  const european = iso ? null : dayFirst.exec(text)
  const korean = iso || european ? null : koreanDate.exec(text)
  if (iso) {
    year = iso[1] ?? ''
    month = iso[2] ?? iso[4] ?? iso[6] ?? ''
    day = iso[3] ?? iso[5] ?? iso[7] ?? ''
    rest = text.slice(iso[0].length)
  } else if (european) {
    day = european[1] ?? ''
    month = european[3] ?? ''
    year = european[4] ?? ''
    rest = text.slice(european[0].length)
  } else if (korean) {
    year = korean[1] ?? ''
    month = korean[2] ?? ''
    day = korean[3] ?? ''
    rest = text.slice(korean[0].length)
  } else {
    return undefined
  }
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!validDay(date)) return undefined
  const time = timeOfDay.exec(rest)
  if (!time) return { date: { date, dateTime: null }, rest }
  const [whole, hour = '', minute = '', second, fraction, zone] = time
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined
  const offset = normalizeOffset(zone)
  if (offset === undefined) return undefined
  const clock = `${hour.padStart(2, '0')}:${minute}:${second ?? '00'}${fraction && /[1-9]/.test(fraction) ? `.${fraction}` : ''}`
  return { date: { date, dateTime: `${date}T${clock}${offset}` }, rest: rest.slice(whole.length) }
}

/**
 * Read a list-like front matter field: a list, a bare scalar, a
 * comma-separated string, or a space-separated string (Jekyll's form, when
 * there are no commas); list items holding comma-joined values are split
 * too. Keys match ignoring case, at the top or in Zola's `taxonomies`
 * table. Trimmed, de-duplicated, original case kept.
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
  // Zola keeps tags and categories in a `[taxonomies]` table.
  const taxonomies = field(data, 'taxonomies')
  const tables = [data]
  if (typeof taxonomies === 'object' && taxonomies !== null && !Array.isArray(taxonomies)) {
    tables.push(taxonomies as Record<string, unknown>)
  }
  for (const table of tables) {
    for (const key of keys) readValues(field(table, key), values)
  }
  return [...new Set(values)]
}

/** Add the values of one list-like field to `values`. */
function readValues(value: unknown, values: string[]): void {
  if (value === undefined || value === null) return
  const list = Array.isArray(value)
  for (const item of list ? value : [value]) {
    const text = scalarText(item)
    if (text === undefined) continue
    // A list item keeps its spaces (`open science`); a string of words
    // without commas is one value per word, as Jekyll reads it.
    const parts = text.includes(',') ? text.split(',') : list ? [text] : text.split(/\s+/)
    for (const part of parts) {
      const trimmed = part.trim()
      if (trimmed !== '') values.push(trimmed)
    }
  }
}

/**
 * Whether a post is a draft: front matter `draft: true`, `published: false`
 * (Jekyll), `status: draft` (Pelican, Nikola), or a file under a `_drafts/`
 * folder (Jekyll).
 *
 * @param data
 *   Front matter.
 * @param relativePath
 *   Path relative to the content folder.
 * @returns
 *   True for a draft.
 */
export function readDraft(data: Record<string, unknown>, relativePath: string): boolean {
  if (relativePath.split('/').slice(0, -1).includes('_drafts')) return true
  if (yesNo(field(data, 'draft')) === true) return true
  if (yesNo(field(data, 'published')) === false) return true
  return scalarText(field(data, 'status'))?.toLowerCase() === 'draft'
}

/**
 * Whether a path is a Hugo list page (`_index.md`), which describes a
 * section of the site rather than being a post.
 *
 * @param relativePath
 *   Path relative to the content folder.
 * @returns
 *   True for a list page.
 */
export function isListPage(relativePath: string): boolean {
  return /^_index\.(md|markdown)$/i.test(path.posix.basename(relativePath))
}

/** A yes/no value: a boolean, or `true`/`false`/`yes`/`no` written as text. */
function yesNo(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  const text = scalarText(value)?.toLowerCase()
  if (text === 'true' || text === 'yes') return true
  if (text === 'false' || text === 'no') return false
  return undefined
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

/** An offset as `±HH:MM` (or `Z`); undefined for a zone abbreviation not known. */
function normalizeOffset(zone: string | undefined): string | undefined {
  if (!zone || zone.toUpperCase() === 'Z') return 'Z'
  let offset = zone.replace(/^(?:UTC|GMT)\s*/i, '')
  if (!/^[+-]/.test(offset)) {
    const known = zoneOffsets[zone.toUpperCase()]
    if (known === undefined) return undefined
    offset = known
  }
  const [, sign = '+', hours = '0', minutes = '00'] =
    /^([+-])(\d{1,2}):?(\d{2})?$/.exec(offset) ?? []
  const normalized = `${sign}${hours.padStart(2, '0')}:${minutes}`
  return normalized === '+00:00' || normalized === '-00:00' ? 'Z' : normalized
}
