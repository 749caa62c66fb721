/**
 * Talk titles as authors write them: a number, a time, a level, emoji and a
 * speaker wrapped around the title. This module takes them apart. Hand-written
 * because the forms are conventions of conference notes, not a grammar any
 * library knows; each form is listed with an example below.
 */
import { stripEmoji } from './vocabulary.ts'

/** A talk heading's text split into number, title and speaker. */
export interface TalkTitle {
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
}

/**
 * Where sibling talk titles put the speaker when they join title and speaker
 * with a plain separator: `Name - Title` (`dash-left`), `Title - Name`
 * (`dash-right`), `Title, Name` (`comma-right`). Decided across siblings by
 * `speakerConvention`, because one title alone cannot tell a subtitle from a
 * name (`Open Match - Matchmaking Framework`).
 */
export type SpeakerConvention = 'dash-left' | 'dash-right' | 'comma-right'

/** Options for `parseTalkTitle`. */
export interface TalkTitleOptions {
  /** The convention the siblings share, if any. */
  readonly convention?: SpeakerConvention | undefined
}

const numberWords =
  '(?:session|talk|track|part|lt|keynote|lightning talk|세션|발표|강연|키노트|트랙)'
/** `Session 3. Title`, `세션1. Title`, `Talk 3: Title`, `Keynote #2`, `세션 1) Title`. */
const keywordNumber = new RegExp(
  String.raw`^(${numberWords})\s*#?\s*(\d{1,3})(?:\s*[.):\-–—]|(?=\s)|$)\s*(.*)$`,
  'iu',
)
/** `#3 Title`, `3. Title`, `3) Title`. */
const bareNumber = /^(?:#\s*(\d{1,3})\s*[.):\-–—]?|(\d{1,3})\s*[.)])\s*(.+)$/u
/** `1st - Title`, `2nd: Title`. */
const ordinalNumber = /^(\d{1,2})(?:st|nd|rd|th)\s*[-–—:.]\s*(.+)$/iu
/** `10:00 - 10:40`, `2:00 PM`, `[14:00~14:40]` at the start or end. */
const time = String.raw`\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?`
const leadingTime = new RegExp(
  String.raw`^[[(]?${time}(?:\s*[-–~]\s*${time})?[\])]?\s*(?:[-–—|:]\s*)?`,
  'iu',
)
const trailingTime = new RegExp(String.raw`\s*[[(]?${time}(?:\s*[-–~]\s*${time})?[\])]?$`, 'iu')
/** `(Advanced Skill Level)`, `[초급]`, `(Beginner)`: the audience level, not the title. */
const level =
  /\s*[[(](?:(?:beginner|intermediate|advanced|expert|all)(?:\s+skill)?(?:\s+level)?|(?:skill\s+)?level\s*:?\s*\w+|초급|중급|고급|입문)[\])]\s*/giu
/** `(라이브)`, `(Live coding)`: how the talk was given, not its title. */
const format = /\s*\((?:라이브(?:\s*코딩)?|live(?:\s+coding)?|live\s+demo)\)\s*$/iu

const nameWord = String.raw`\p{Lu}[\p{Ll}'’.-]*(?:-\p{Lu}[\p{Ll}'’.-]*)?`
const latinName = String.raw`${nameWord}(?:\s+(?:van|von|de|da|del|der|di|le|la|bin)?\s*${nameWord}){1,2}`
const person = new RegExp(`^${latinName}$`, 'u')
const koreanName = /^\p{Script=Hangul}{2,4}(?:\s*님)?$/u
const handle = /\s*@[\w.-]+/gu
/** Words that begin or fill titles and are not names. */
const titleWords = new Set(
  'a an the of in on for to and with from using beyond into how why what when your my our is are be do not vs'.split(
    ' ',
  ),
)

/**
 * Split a talk heading into its number, title and speaker:
 * `1. Title`, `#3 Title`, `Session 4. Title`, `세션1.`, `Keynote #2 (Name)`,
 * `1st - Title`, `10:00 - 10:40 Title`, `Title (Name @handle, Company)`,
 * `Title - Name, Company`, `Title / 홍길동 님`, `[Name] Title`, `Title_이름 직함`,
 * `Talk 3: Name - Title`, and with a sibling convention `Name - Title`,
 * `Title - Name` or `Title, Name`. A subtitle after ` - ` stays in the title.
 *
 * @param text
 *   Plain heading (or talk line) text.
 * @param options
 *   The speaker convention of the siblings, if any.
 * @returns
 *   The parts; the title keeps the text as written when nothing is found.
 */
export function parseTalkTitle(text: string, options: TalkTitleOptions = {}): TalkTitle {
  const written = text.trim()
  let rest = stripEmoji(written).replace(leadingTime, '').replace(trailingTime, '').trim()
  rest = rest.replace(level, ' ').replace(format, '').trim()
  let number: number | null = null
  let keyword: string | undefined
  const byKeyword = keywordNumber.exec(rest)
  const byOrdinal = byKeyword ? null : ordinalNumber.exec(rest)
  const byNumber = byKeyword || byOrdinal ? null : bareNumber.exec(rest)
  if (byKeyword) {
    keyword = byKeyword[1] ?? ''
    number = Number(byKeyword[2])
    rest = (byKeyword[3] ?? '').trim()
  } else if (byOrdinal) {
    number = Number(byOrdinal[1])
    rest = (byOrdinal[2] ?? '').trim()
  } else if (byNumber) {
    number = Number(byNumber[1] ?? byNumber[2])
    rest = (byNumber[3] ?? '').trim()
  }
  const split = splitSpeaker(rest, keyword !== undefined, options.convention)
  let title = unquote(split.title.replace(/\s*[:：]$/u, '').trim())
  // `Keynote #2 (Ying Li)`, `키노트1.`: the keyword is the title, as written.
  if (title === '' && keyword) title = /^\p{Ll}/u.test(keyword) ? capitalize(keyword) : keyword
  return { number, title: title || written, speaker: split.speaker }
}

/**
 * The speaker convention sibling titles share, if at least two of them and
 * most of those joined by the separator have a person on the same side.
 *
 * @param texts
 *   Sibling talk titles.
 * @returns
 *   The convention, or undefined when they share none.
 */
export function speakerConvention(texts: readonly string[]): SpeakerConvention | undefined {
  let dashed = 0
  let left = 0
  let right = 0
  let commas = 0
  let commaRight = 0
  for (const text of texts) {
    const rest = stripNumber(text)
    const dash = /\s[-–—]\s/.exec(rest)
    if (dash) {
      dashed++
      if (isPeople(rest.slice(0, dash.index))) left++
      if (isPeople(rest.slice(dash.index + dash[0].length).replace(/[\s\-–—]+$/u, ''))) right++
    }
    const comma = rest.lastIndexOf(', ')
    if (comma !== -1) {
      commas++
      if (isPerson(rest.slice(comma + 2))) commaRight++
    }
  }
  if (left >= 2 && left * 2 > dashed && left > right) return 'dash-left'
  if (right >= 2 && right * 2 > dashed && right > left) return 'dash-right'
  if (commaRight >= 2 && commaRight * 2 > commas) return 'comma-right'
  return undefined
}

/**
 * Whether a text names one person: two to four capitalised words
 * (`Daniel Steinberg`, `Lucas Käldström`) or a Korean name (`홍길동`, `홍길동 님`).
 *
 * @param text
 *   Candidate name.
 * @returns
 *   True for a person's name.
 */
export function isPerson(text: string): boolean {
  const name = text.trim().replace(handle, '').trim()
  if (koreanName.test(name)) return true
  // An honorific names a person whatever the script: `Kim 님`, `홍길동님`.
  if (/^[\p{L}.'’-]+(?:\s[\p{L}.'’-]+){0,2}\s*님$/u.test(name)) return true
  if (!person.test(name)) return false
  // Title words and common noun endings (`Exploring Clang Modules`) are not names.
  return !name
    .split(/\s+/)
    .some(
      (word) =>
        titleWords.has(word.toLowerCase()) || /^\p{L}{3,}(?:ing|tion|ment|ness|ity)$/u.test(word),
    )
}

/**
 * Whether a text names one or more people (`A B, C D & E F`).
 *
 * @param text
 *   Candidate names.
 * @returns
 *   True when every part is a person's name.
 */
export function isPeople(text: string): boolean {
  const parts = text
    .trim()
    .replace(/^["'“]|["'”]$/gu, '')
    .split(/\s*(?:,|&|\band\b|·|、)\s*/u)
    .filter(Boolean)
  return parts.length > 0 && parts.every((part) => isPerson(part))
}

/** Names in Latin letters only (`A B, C D`): a Korean word alone is as often a note. */
function latinPeople(text: string): boolean {
  const parts = text.split(/\s*(?:,|&|\band\b)\s*/u).filter(Boolean)
  return parts.length > 0 && parts.every((part) => person.test(part.trim()) && isPerson(part))
}

/**
 * A speaker written on a line of its own at the top of a talk:
 * `발표자 : 홍길동 회사`, `🎤 Speaker: Name, Org`, `연사: 이름`, or a link line
 * ending `from [Name](url)` / `by Name`.
 *
 * @param text
 *   Plain text of the line.
 * @returns
 *   The speaker, or undefined when the line names none.
 */
export function speakerLine(text: string): string | undefined {
  const line = stripEmoji(text).split('\n')[0]?.trim() ?? ''
  const labelled =
    /^[*_]*(?:발표자|연사|강연자|강사|발표|speakers?|presenters?|presented by)\s*[:：]\s*(.+?)[*_]*$/iu.exec(
      line,
    )
  if (labelled?.[1]) return labelled[1].trim()
  const byline = /(?:^|\s)(?:from|by)\s+(.+)$/u.exec(line)
  if (byline?.[1] && isPeople(byline[1])) return byline[1].trim()
  return undefined
}

function stripNumber(text: string): string {
  const rest = stripEmoji(text).trim()
  const byKeyword = keywordNumber.exec(rest)
  if (byKeyword) return (byKeyword[3] ?? '').trim()
  const byNumber = bareNumber.exec(rest)
  if (byNumber) return (byNumber[3] ?? '').trim()
  return rest
}

function splitSpeaker(
  text: string,
  keyword: boolean,
  convention: SpeakerConvention | undefined,
): { title: string; speaker: string | null } {
  // `Title, Name` when the siblings are written so (before dashes: `A - B, Name`).
  if (convention === 'comma-right') {
    const comma = text.lastIndexOf(', ')
    if (comma !== -1 && isPerson(text.slice(comma + 2))) {
      return { title: text.slice(0, comma), speaker: cleanSpeaker(text.slice(comma + 2)) }
    }
  }
  // `(Name)` alone after `Keynote #2`.
  const only = /^\(\s*([^()]+?)\s*\)$/u.exec(text)
  if (only?.[1] && keyword) {
    const speaker = personIn(only[1]) ?? (isPeople(only[1]) ? cleanSpeaker(only[1]) : undefined)
    if (speaker) return { title: '', speaker }
  }
  // `Title (Name)`, `Title (Name @handle, Company)`, `Title (Name - Company) @handle`.
  const parens = /^(.+?)\s*\(\s*([^()]+?)\s*\)\s*(@[\w.-]+)?$/u.exec(text)
  if (parens?.[1] && parens[2]) {
    const speaker = personIn(parens[2])
    if (speaker) return { title: parens[1], speaker }
  }
  // `[Name] Title`
  const bracket = /^\[([^\]]+)\]\s*(.+)$/u.exec(text)
  if (bracket?.[1] && bracket[2] && isPeople(bracket[1])) {
    return { title: bracket[2], speaker: cleanSpeaker(bracket[1]) }
  }
  // `Title / 홍길동 님`
  const slash = text.lastIndexOf(' / ')
  if (slash !== -1) {
    const speaker = text.slice(slash + 3)
    if (isPeople(speaker) || personIn(speaker)) {
      return { title: text.slice(0, slash), speaker: cleanSpeaker(speaker) }
    }
  }
  // `Title_구본권 소장(한겨레)`: a Korean name after an underscore.
  const underscore = /^(.+?)_(\p{Script=Hangul}{2,4}(?:\s.*)?)$/u.exec(text)
  if (underscore?.[1] && underscore[2]) {
    return { title: underscore[1], speaker: cleanSpeaker(underscore[2].replace(/\(.*\)$/u, '')) }
  }
  // `Title - Name -` (a bold talk line), `Title -Name-`.
  const closed = /^(.+?)\s+-\s*([^-]+?)\s*-$/u.exec(text)
  if (closed?.[1] && closed[2] && isPeople(closed[2])) {
    return { title: closed[1], speaker: cleanSpeaker(closed[2]) }
  }
  const dash = /\s[-–—]\s/.exec(text)
  if (dash) {
    const left = text.slice(0, dash.index).trim()
    const right = text.slice(dash.index + dash[0].length).trim()
    // `Talk 3: Name - Title`, or siblings written `Name - Title`.
    // One capitalised word (`Matz`, `Lee`) is a name when the form or the siblings put a speaker there.
    const leftName =
      isPeople(left) ||
      (/^\p{Lu}[\p{Ll}'’-]+$/u.test(left) &&
        (convention === 'dash-left' || (keyword && right.split(/\s+/).length >= 2)))
    if (convention !== 'dash-right' && (keyword || convention === 'dash-left') && leftName) {
      return { title: right, speaker: cleanSpeaker(left) }
    }
    // `Title - Name, Company`, `Title - 홍길동 님`, or siblings written `Title - Name`.
    const marked = personIn(right)
    if (marked && (convention === 'dash-right' || /,|님|@/u.test(right) || keyword)) {
      return { title: left, speaker: marked }
    }
  }
  // `Name: Title` after `Talk 2:`
  if (keyword) {
    const colon = /^([^:]+):\s+(.+)$/.exec(text)
    if (colon?.[1] && colon[2] && isPeople(colon[1])) {
      return { title: colon[2], speaker: cleanSpeaker(colon[1]) }
    }
  }
  // `홍길동 님` alone: the heading names the presenter.
  if (/\S\s*님$/u.test(text) && koreanName.test(text)) {
    return { title: text, speaker: cleanSpeaker(text) }
  }
  return { title: text, speaker: null }
}

/**
 * The person named in a speaker note (`Dan Callahan - PyPI`, `Stacy Morse
 * @geekgirlberta codecrit.com`, `구글검색 - 박신연`, `Name, Company`), or
 * undefined when the note names nobody.
 */
function personIn(note: string): string | undefined {
  const text = note.replace(handle, ' ').trim()
  const parts = text.split(/\s*(?:,|\s[-–—]\s|\s{2,})\s*/u).filter(Boolean)
  // A lone Korean word in parentheses is as often a note (`(기본편)`) as a
  // name: it needs `님` or a company beside it.
  if (parts.length === 1 && !/님$/u.test(text) && !latinPeople(text)) return undefined
  if (isPeople(text) && person.test(text.split(/\s*(?:,|&)\s*/u)[0] ?? '')) {
    return cleanSpeaker(text) ?? undefined
  }
  // Prefer a Latin name, then a three-syllable Korean name (the common length).
  const ranked = [...parts].sort((a, b) => rank(a) - rank(b))
  for (const part of ranked) {
    if (isPerson(part)) return cleanSpeaker(part) ?? undefined
    // `Stacy Morse codecrit.com`: a name followed by a site or role.
    const words = part.split(/\s+/)
    for (const count of [3, 2]) {
      const head = words.slice(0, count).join(' ')
      if (words.length > count && isPerson(head) && !/^\p{Lu}/u.test(words[count] ?? '')) {
        return head
      }
    }
  }
  return undefined
}

function rank(part: string): number {
  if (person.test(part)) return 0
  if (/^\p{Script=Hangul}{3}(?:\s*님)?$/u.test(part)) return 1
  return 2
}

function cleanSpeaker(text: string): string | null {
  const cleaned = text
    .trim()
    .replace(/^["'“]|["'”]$/gu, '')
    .replace(/\s*님$/u, '')
    .trim()
  return cleaned === '' ? null : cleaned
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

function unquote(text: string): string {
  const quoted = /^["“'‘](.+)["”'’]$/u.exec(text)
  return quoted?.[1] ?? text
}
