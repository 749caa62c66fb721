/**
 * Talk segmentation: which headings of a post start talks.
 * Works on headings alone (depth and plain text), so it knows nothing of mdast.
 */

/** A heading of the post, in document order. */
export interface HeadingInfo {
  readonly depth: number
  readonly text: string
}

/** How talks were found, for diagnostics and tests. */
export type TalkRule = 'front-matter' | 'numbered' | 'talks-heading' | 'shallowest' | 'whole-post'

/** The talk headings of a post. */
export interface Segmentation {
  readonly rule: TalkRule
  /** Index (into the headings list) of an H1 that repeats the post title, if any. */
  readonly titleHeading: number | undefined
  /** Indexes of the headings that start talks. */
  readonly talkHeadings: ReadonlySet<number>
}

/** A talk heading's text split into number, title and speaker. */
export interface TalkTitle {
  readonly number: number | null
  readonly title: string
  readonly speaker: string | null
}

const keywordNumber =
  /^(?:session|talk|track|part|lt|세션|발표|강연|트랙)\s*#?\s*(\d{1,3})\s*(?:[.):\-–—]|(?=\s)|$)\s*(.*)$/iu
const bareNumber = /^(?:#\s*(\d{1,3})\s*[.):\-–—]?|(\d{1,3})\s*[.)])\s+(.*)$/u

const openingClosing = new Set(
  [
    '소개',
    '들어가며',
    '들어가기 전에',
    '시작하며',
    '시작하기 전에',
    '개요',
    '마치며',
    '마무리',
    '후기',
    '총평',
    '정리',
    '느낀점',
    '느낀 점',
    '끝으로',
    '맺음말',
    '참고',
    '참고자료',
    '참고 자료',
    '목차',
    'intro',
    'introduction',
    'overview',
    'preface',
    'conclusion',
    'conclusions',
    'wrap-up',
    'wrap up',
    'wrapup',
    'summary',
    'closing',
    'closing thoughts',
    'final thoughts',
    'outro',
    'takeaways',
    'references',
    'resources',
    'table of contents',
    'contents',
    'toc',
  ].map(normalizeName),
)

const talksIntroductions = new Set(
  [
    'talks',
    'sessions',
    'session list',
    'presentations',
    'lightning talks',
    'the talks',
    'my favourite talks',
    'my favorite talks',
    '세션',
    '세션 목록',
    '세션 정리',
    '세션 후기',
    '발표',
    '발표 목록',
    '발표 정리',
    '강연',
    '강연 목록',
  ].map(normalizeName),
)

/**
 * Decide which headings start talks, following the precedence in the content
 * format: front matter depth, numbered headings, a heading introducing the
 * talks, the shallowest heading depth, and finally the whole post.
 *
 * @param headings
 *   The post's headings in document order.
 * @param postTitle
 *   The post's title, so an H1 repeating it is not taken for a talk.
 * @param talkDepth
 *   Heading depth given by front matter, if any.
 * @returns
 *   The segmentation.
 */
export function segmentTalks(
  headings: readonly HeadingInfo[],
  postTitle: string,
  talkDepth: number | undefined,
): Segmentation {
  const titleHeading = headings.findIndex(
    (heading) => heading.depth === 1 && normalizeName(heading.text) === normalizeName(postTitle),
  )
  const title = titleHeading === -1 ? undefined : titleHeading
  const candidates = headings.map((_, index) => index).filter((index) => index !== title)
  const result = (rule: TalkRule, talks: Iterable<number>): Segmentation => ({
    rule,
    titleHeading: title,
    talkHeadings: new Set(talks),
  })

  if (talkDepth !== undefined) {
    return result(
      'front-matter',
      candidates.filter((index) => {
        const heading = headings[index]
        return heading?.depth === talkDepth && !isOpeningOrClosing(heading.text)
      }),
    )
  }

  const numbered = numberedTalks(headings, candidates)
  if (numbered) return result('numbered', numbered)

  const introduced = introducedTalks(headings, candidates)
  if (introduced) return result('talks-heading', introduced)

  if (candidates.length === 0) return result('whole-post', [])
  const shallowest = Math.min(...candidates.map((index) => headings[index]?.depth ?? 6))
  const top = candidates.filter((index) => headings[index]?.depth === shallowest)
  if (top.length === 1) {
    const only = top[0] as number
    const heading = headings[only]
    return result('shallowest', heading && isOpeningOrClosing(heading.text) ? [] : [only])
  }
  return result(
    'shallowest',
    top.filter((index) => !isOpeningOrClosing(headings[index]?.text ?? '')),
  )
}

/**
 * Split a talk heading into its number, title and speaker:
 * `1. Title`, `Session 4. Title`, `Talk 3: Name - Title`, `Title / Name 님`.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   The parts; the title keeps the text as written when nothing is found.
 */
export function parseTalkTitle(text: string): TalkTitle {
  const trimmed = text.trim()
  let number: number | null = null
  let rest = trimmed
  let keyword = false
  const byKeyword = keywordNumber.exec(trimmed)
  const byNumber = byKeyword ? null : bareNumber.exec(trimmed)
  if (byKeyword) {
    number = Number(byKeyword[1])
    rest = (byKeyword[2] ?? '').trim()
    keyword = true
  } else if (byNumber) {
    number = Number(byNumber[1] ?? byNumber[2])
    rest = (byNumber[3] ?? '').trim()
  }
  const { title, speaker } = splitSpeaker(rest, keyword)
  return { number, title: title || trimmed, speaker }
}

/**
 * Whether a heading is an opening or closing section (`소개`, `마치며`,
 * `Intro`, `Conclusions`) rather than a talk.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   True for opening and closing sections.
 */
export function isOpeningOrClosing(text: string): boolean {
  const name = normalizeName(text)
  if (openingClosing.has(name)) return true
  // `1일차 후기`, `행사 후기`, `세미나를 마치며`
  return /(?:^|\s)(?:후기|마치며|총평|느낀\s?점)$/u.test(name)
}

function numberedTalks(
  headings: readonly HeadingInfo[],
  candidates: readonly number[],
): number[] | undefined {
  const numbered = candidates.filter((index) => {
    const heading = headings[index]
    return heading !== undefined && isNumbered(heading.text)
  })
  const explicit = numbered.some((index) => keywordNumber.test(headings[index]?.text.trim() ?? ''))
  if (numbered.length < 2 && !(numbered.length === 1 && explicit)) return undefined
  const depth = mostCommon(numbered.map((index) => headings[index]?.depth ?? 0))
  const atDepth = new Set(numbered.filter((index) => headings[index]?.depth === depth))

  // Walk the heading tree: a heading holding numbered talks groups them
  // (`## Keynote` over `### Talk 1: …`); a sibling of numbered talks is a talk
  // too; a shallower heading with no numbered talks inside is a talk of its own
  // (`## Hands-On: …` between keynote groups).
  const talks: number[] = []
  const tree = headingTree(headings, candidates)
  const holdsNumbered = new Map<number, boolean>()
  const containsNumbered = (index: number): boolean => {
    let found = holdsNumbered.get(index)
    if (found === undefined) {
      found = (tree.children.get(index) ?? []).some(
        (child) => atDepth.has(child) || containsNumbered(child),
      )
      holdsNumbered.set(index, found)
    }
    return found
  }
  const visit = (group: readonly number[]) => {
    const groupHasNumbered = group.some((index) => atDepth.has(index))
    for (const index of group) {
      const heading = headings[index]
      if (!heading) continue
      const children = tree.children.get(index) ?? []
      if (containsNumbered(index)) {
        visit(children)
      } else if (atDepth.has(index)) {
        talks.push(index)
      } else if (isOpeningOrClosing(heading.text)) {
        // stays a post-level section
      } else if (heading.depth === depth && groupHasNumbered) {
        talks.push(index)
      } else if (heading.depth < depth) {
        talks.push(index)
      }
    }
  }
  visit(tree.roots)
  return talks.sort((a, b) => a - b)
}

function introducedTalks(
  headings: readonly HeadingInfo[],
  candidates: readonly number[],
): number[] | undefined {
  const tree = headingTree(headings, candidates)
  const talks: number[] = []
  for (const index of candidates) {
    const heading = headings[index]
    if (!heading || !talksIntroductions.has(normalizeName(heading.text))) continue
    talks.push(...(tree.children.get(index) ?? []))
  }
  return talks.length > 0 ? talks.sort((a, b) => a - b) : undefined
}

/** Headings with no shallower heading before them (the top of the tree). */
/** The heading tree: each heading's children, and the headings with no parent. */
interface HeadingTree {
  readonly roots: readonly number[]
  readonly children: ReadonlyMap<number, readonly number[]>
}

/**
 * Build the heading tree in one pass: a heading's parent is the nearest
 * heading before it that is shallower. `### a` then `## b` are both roots.
 */
function headingTree(headings: readonly HeadingInfo[], candidates: readonly number[]): HeadingTree {
  const roots: number[] = []
  const children = new Map<number, number[]>()
  const open: number[] = []
  for (const index of candidates) {
    const depth = headings[index]?.depth ?? 0
    while (open.length > 0 && (headings[open[open.length - 1] as number]?.depth ?? 0) >= depth) {
      open.pop()
    }
    const parent = open[open.length - 1]
    if (parent === undefined) roots.push(index)
    else children.get(parent)?.push(index)
    children.set(index, [])
    open.push(index)
  }
  return { roots, children }
}

function isNumbered(text: string): boolean {
  const trimmed = text.trim()
  return keywordNumber.test(trimmed) || bareNumber.test(trimmed)
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  let best = values[0] ?? 0
  for (const [value, count] of counts) {
    if (count > (counts.get(best) ?? 0) || (count === counts.get(best) && value < best))
      best = value
  }
  return best
}

const personName = String.raw`\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}`
const people = new RegExp(`^${personName}(?:\\s*(?:&|,|and)\\s*${personName})*$`, 'u')
const koreanName = /^\p{Script=Hangul}{2,4}(?:\s*님)?$/u

function splitSpeaker(text: string, keyword: boolean): { title: string; speaker: string | null } {
  // `Title / 홍길동 님`
  const slash = text.lastIndexOf(' / ')
  if (slash !== -1) {
    const speaker = cleanSpeaker(text.slice(slash + 3))
    if (speaker && looksLikeSpeaker(speaker)) return { title: text.slice(0, slash).trim(), speaker }
  }
  // `Name - Title` after `Talk 3:`, or `Title - Name`.
  const dash = /\s[-–—]\s/.exec(text)
  if (dash) {
    const left = text.slice(0, dash.index).trim()
    const right = text.slice(dash.index + dash[0].length).trim()
    if (keyword && looksLikeSpeaker(left)) return { title: right, speaker: cleanSpeaker(left) }
    if (looksLikeSpeaker(right) && !looksLikeSpeaker(left)) {
      return { title: left, speaker: cleanSpeaker(right) }
    }
  }
  // `Name: Title` after `Talk 2:`
  if (keyword) {
    const colon = /^([^:]+):\s+(.+)$/.exec(text)
    if (colon?.[1] && colon[2] && looksLikeSpeaker(colon[1].trim())) {
      return { title: colon[2].trim(), speaker: cleanSpeaker(colon[1]) }
    }
  }
  // `홍길동 님` alone: the heading names the presenter.
  if (/\S\s*님$/u.test(text) && koreanName.test(text)) {
    return { title: text, speaker: cleanSpeaker(text) }
  }
  return { title: text, speaker: null }
}

function looksLikeSpeaker(text: string): boolean {
  const cleaned = cleanSpeaker(text)
  return cleaned !== null && (people.test(cleaned) || koreanName.test(cleaned))
}

function cleanSpeaker(text: string): string | null {
  const cleaned = text
    .trim()
    .replace(/\s*님$/u, '')
    .trim()
  return cleaned === '' ? null : cleaned
}

function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s ]+/g, ' ')
    .replace(/^[\s\p{P}\p{S}\d]+|[\s\p{P}\p{S}]+$/gu, '')
    .trim()
}
