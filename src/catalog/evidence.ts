/**
 * Evidence for names that are also everyday words (internal to the catalog).
 *
 * `Go`, `Spark`, `Mode` or `뷰` name a technology only when the text shows it.
 * A reader takes any of these as evidence:
 * - a context word next to the name: one of the entry's own (`job` for Spark)
 *   or one of its category's (`언어`, `language` for a language), within two
 *   words in the same sentence: `Go 언어`, `swift 언어를`, `Spark job`;
 * - a version number right after the name as the catalog writes it: `Spark 2.3`;
 * - the name written as the catalog writes it, in a sentence that names
 *   another technology (`Kafka를 거쳐 Spark로`) or in a block that names one in
 *   a code span, or with a Korean particle after it (`React를`, `Git을`): in
 *   Korean prose a Latin name with a particle is used as a name (glued to
 *   it, in any case: `spark와`), or the post naming it in a code span
 *   somewhere (`` `Spark` ``) or in its title (`RustConf`). Not when the
 *   name ends a longer capitalised name (`Monolith Iceberg`, `Skip Mode`) or
 *   starts a person's or brand's (`Hugo Peixoto`); a name qualifying an
 *   everyday word stays a name (`Postman Collection`).
 * Lowercase `spark` in `a spark of creativity` has none of these. Imported
 * entries that nobody curated (`Sail`, `Beef`) need a context word.
 *
 * Hand-written: no library weighs catalog evidence; the rules are the ones a
 * reader of conference notes applies.
 */
import type { CatalogEntry, MatchContext, TextMatch } from '../model/catalog.ts'
import { commonWords } from './common-words.ts'
import { particles } from './particles.ts'

/** A word of plain text, with its offsets. */
export interface Token {
  readonly text: string
  readonly start: number
  readonly end: number
}

/** A match found in a text, before evidence is weighed. */
export interface Found {
  readonly match: TextMatch
  /** Index of its first token, and how many tokens it spans. */
  readonly index: number
  readonly length: number
  /** Whether the spelling needs evidence. */
  readonly ambiguous: boolean
  /** Whether it is written exactly as the catalog spells it (case included). */
  readonly exact: boolean
}

/** Words near a name that show a technology of the category is meant. */
const categoryContext: Readonly<Record<string, readonly string[]>> = {
  language: [
    'language',
    'languages',
    'lang',
    'programming',
    'compiler',
    'package',
    'module',
    '언어',
    '프로그래밍',
  ],
  framework: ['framework', 'app', 'apps', '프레임워크', '앱'],
  library: ['library', 'package', '라이브러리', '패키지'],
  database: ['database', 'db', 'query', 'queries', 'table', '데이터베이스', '쿼리', '테이블'],
  data: [
    'apache',
    'cluster',
    'job',
    'jobs',
    'pipeline',
    'streaming',
    '클러스터',
    '잡',
    '파이프라인',
    '데이터',
  ],
  ml: ['model', 'models', 'training', 'inference', '모델', '학습'],
  cloud: ['aws', 'cloud', '클라우드'],
  devops: ['cluster', 'deploy', 'deployment', 'chart', 'pipeline', '클러스터', '배포', '차트'],
  observability: ['metrics', 'dashboard', 'logs', 'tracing', '모니터링', '대시보드'],
  frontend: ['component', 'components', 'hooks', 'jsx', '컴포넌트', '훅'],
  mobile: ['app', 'apps', 'sdk', '앱'],
  tool: ['tool', 'plugin', 'cli', 'command', '툴', '도구', '플러그인'],
  protocol: ['api', 'spec', 'specification', 'schema', '스펙', '명세'],
  platform: ['platform', 'server', '플랫폼', '서버'],
}

/** Words that show any technology is meant: its examples, tutorials and docs. */
const anyContext = [
  'example',
  'examples',
  'tutorial',
  'docs',
  'documentation',
  '예제',
  '예시',
  '튜토리얼',
  '문서',
]

const hangul = /^\p{Script=Hangul}/u
const upper = /^\p{Lu}/u
const allCaps = /^[\p{Lu}\d]+$/u
// Words a title capitalises without making a name of them: `A Guide To Git`.
// A closed class of English words, short enough to write out.
const functionWords = new Set(
  'a an the to of in on at by for from with into about over under using vs and or but is are'.split(
    ' ',
  ),
)
const latin = /^\p{Script=Latin}/u
const versionPattern = /^v?\d+(?:\.\d+)+$|^\d+$/
const sentenceEnd = /[.!?。](?:\s|$)|\n/

/**
 * Keep the ambiguous matches of a text that have evidence, and every other match.
 *
 * @param text
 *   The text matched.
 * @param list
 *   Its tokens.
 * @param found
 *   Its matches, in order.
 * @param context
 *   Where the text sits: the block's code spans, the post's topic.
 * @returns
 *   The matches that count.
 */
export function evidenceFor(
  text: string,
  list: readonly Token[],
  found: readonly Found[],
  context: MatchContext,
): TextMatch[] {
  const beside = context.beside ?? false
  // Whether two tokens are in one sentence: no `.`, `!` or `?` before a
  // space, and no line break, between them. Asked only near candidates, so
  // a long text is not read sentence by sentence.
  const together = (a: number, b: number | undefined): boolean => {
    if (b === undefined) return false
    if (a === b) return true
    const first = list[Math.min(a, b)]
    const second = list[Math.max(a, b)]
    if (!first || !second) return false
    return !sentenceEnd.test(text.slice(first.end, second.start + 1))
  }
  const matchAt = new Set<number>()
  for (const item of found) for (let i = 0; i < item.length; i++) matchAt.add(item.index + i)

  const kept: TextMatch[] = []
  for (const item of found) {
    if (!item.ambiguous || hasEvidence(item)) kept.push(item.match)
  }
  return kept

  function hasEvidence(item: Found): boolean {
    const own = item.index
    const last = item.index + item.length - 1
    const entry = item.match.entry
    if (nearContext(entry, item.index, last, own)) return true
    if (!curated(entry)) return false
    const written = item.match.text
    const next = list[last + 1]
    if (latin.test(written) && inLongerName(item.index, last, own)) return false
    // Korean prose glues particles to nouns only: `spark와 연동` uses the word
    // as a name, whatever its case.
    if (
      latin.test(written) &&
      next?.start === item.match.end &&
      hangul.test(next.text) &&
      particles.test(next.text)
    )
      return true
    const cased = item.exact || hangul.test(written)
    if (!cased) return false
    const sameSentence = next !== undefined && together(last + 1, own)
    if (sameSentence && versionPattern.test(next.text) && latin.test(written)) return true
    if (beside || inTopic(written) || context.named?.().has(entry.slug)) return true
    if (latin.test(written) && sameSentence && particleAfter(last)) return true
    return found.some(
      (other) =>
        other !== item &&
        other.match.entry !== item.match.entry &&
        // Two names written as names vouch for each other: `Rust in a Go Shop`.
        (!other.ambiguous ||
          (other.exact &&
            !inLongerName(other.index, other.index + other.length - 1, other.index))) &&
        together(other.index, own),
    )
  }

  function nearContext(entry: CatalogEntry, first: number, last: number, own?: number): boolean {
    const words = [
      ...entry.context,
      ...(categoryContext[entry.category ?? ''] ?? []),
      ...anyContext,
    ]
    // Up to three words either side; a particle written apart (`Ring 이라는`) is no word.
    const isContext = (index: number): boolean | undefined => {
      const token = list[index]
      if (!token || !together(index, own)) return undefined
      const lower = token.text.toLowerCase()
      if (hangul.test(lower) && particles.test(lower)) return false
      return words.some(
        (word) =>
          lower === word ||
          (hangul.test(word) && lower.startsWith(word) && particles.test(lower.slice(word.length))),
      )
    }
    for (const step of [-1, 1]) {
      let seen = 0
      for (let index = step < 0 ? first - 1 : last + 1; seen < 3; index += step) {
        const found = isContext(index)
        if (found === undefined) break
        if (found) return true
        const token = list[index]
        if (token && !(hangul.test(token.text) && particles.test(token.text))) seen++
      }
    }
    return false
  }

  /**
   * Whether a Korean particle follows the name, glued or after a space, or
   * follows an everyday word the name qualifies (`Postman Collection으로`).
   */
  function particleAfter(last: number): boolean {
    const own = last
    for (let index = last + 1; index <= last + 2; index++) {
      const token = list[index]
      const previous = list[index - 1]
      if (!token || !previous || !together(index, own)) return false
      if (!/^[ \t]?$/.test(text.slice(previous.end, token.start))) return false
      if (hangul.test(token.text)) return particles.test(token.text)
      if (!upper.test(token.text) || !commonWords.has(token.text.toLowerCase())) return false
    }
    return false
  }

  /** Whether the post's title names it: as a word, or opening a compound (`RustConf`). */
  function inTopic(written: string): boolean {
    const topic = context.topic
    if (!topic) return false
    let from = topic.indexOf(written)
    while (from !== -1) {
      const before = topic[from - 1]
      const after = topic[from + written.length]
      const opens = before === undefined || !/[\p{L}\p{N}]/u.test(before)
      if (opens && (after === undefined || !/\p{Ll}/u.test(after))) return true
      from = topic.indexOf(written, from + 1)
    }
    return false
  }

  /** Whether a capitalised word that names nothing stands right beside the match. */
  function inLongerName(first: number, last: number, own?: number): boolean {
    const before = list[first - 1]
    const after = list[last + 1]
    const joins = (a: Token, b: Token) => /^[ \t]$/.test(text.slice(a.end, b.start))
    const firstToken = list[first]
    const lastToken = list[last]
    if (!firstToken || !lastToken) return false
    // The word before opens the sentence: capitalised for that reason alone.
    const opensSentence = first - 1 === 0 || !together(first - 2, own)
    // An acronym beside it (`Oracle JDK`, `Spark SQL`) names a part, not another thing.
    const name = (token: Token) => upper.test(token.text) && !allCaps.test(token.text)
    if (
      before &&
      together(first - 1, own) &&
      !opensSentence &&
      !matchAt.has(first - 1) &&
      name(before) &&
      !functionWords.has(before.text.toLowerCase()) &&
      joins(before, firstToken)
    )
      return true
    // After it, only a word that is not an everyday one (a surname) makes a longer name.
    return Boolean(
      after &&
        together(last + 1, own) &&
        !matchAt.has(last + 1) &&
        name(after) &&
        !commonWords.has(after.text.toLowerCase()) &&
        joins(lastToken, after),
    )
  }
}

/** Whether someone chose the entry (the core or the user), rather than an import. */
function curated(entry: CatalogEntry): boolean {
  return entry.sources.includes('core') || entry.sources.includes('user')
}
