/**
 * Text as the search index sees it: folded (Unicode NFKC, lowercase, so
 * full-width `Ｓｐａｒｋ` is `spark`), cut into runs by script, and turned
 * into index terms.
 *
 * Hand-written rather than taken from a library: the search libraries split
 * on whitespace and punctuation, which leaves Hangul words with their
 * particles (`플랫폼을`) and Latin names glued to them (`Spark로`); the
 * Korean morphological analyzers on npm ship dictionaries of tens of
 * megabytes or native code. Character bigrams need neither (see
 * `docs/decisions.md` for the measurement against a particle-aware scheme).
 */

/** How Hangul and other CJK runs become terms. */
export type HangulScheme = 'bigram' | 'particle'

/** A run of one script inside folded text. */
export interface Run {
  /** `word` for letters and digits of alphabetic scripts, `cjk` for Hangul, kana and Han. */
  readonly script: 'word' | 'hangul' | 'cjk'
  readonly text: string
  /** Offset in the folded text. */
  readonly start: number
  /** Whether the run follows the one before it with nothing in between (`Spark로`). */
  readonly attached: boolean
}

/** Folded text with, for each of its UTF-16 units, the offset it came from. */
export interface Folded {
  readonly text: string
  /** `origin[i]` is the offset in the source of folded unit `i`; one more entry for the end. */
  readonly origin: readonly number[]
}

// A code point with the marks and conjoining jamo that follow it: NFKC
// composes inside such a cluster (decomposed Hangul, accents), never across.
const cluster = /[\s\S][\p{M}\u1160-\u11ff\ud7b0-\ud7ff]*/gu

/**
 * Fold text for matching: NFKC (full- and half-width forms, ligatures,
 * composed Hangul) and lowercase.
 *
 * @param text
 *   Text as written.
 * @returns
 *   The folded text.
 */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** Whether every unit of a text is ASCII, so folding keeps its length. */
function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return false
  return true
}

/**
 * Fold text keeping track of where each folded unit came from, so a match in
 * folded text can be shown in the text as written.
 *
 * @param text
 *   Text as written.
 * @returns
 *   The folded text and its offsets into `text`.
 */
export function foldWithOrigin(text: string): Folded {
  // Plain ASCII folds unit by unit: the common case for English text.
  if (isAscii(text)) {
    const origin = Array.from({ length: text.length + 1 }, (_, index) => index)
    return { text: text.toLowerCase(), origin }
  }
  let out = ''
  const origin: number[] = []
  for (const match of text.matchAll(cluster)) {
    const folded = fold(match[0])
    for (let index = 0; index < folded.length; index++) origin.push(match.index)
    out += folded
  }
  origin.push(text.length)
  return { text: out, origin }
}

const letter = /[\p{L}\p{N}]/u

/** The script class of one code point, by ranges: a regex per character is the slow part of indexing. */
function scriptOf(code: number, char: string): Run['script'] | undefined {
  if (code < 0x80) {
    return (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a)
      ? 'word'
      : undefined
  }
  if ((code >= 0xac00 && code <= 0xd7a3) || (code >= 0x3131 && code <= 0x318e)) return 'hangul'
  if (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3134f)
  ) {
    return 'cjk'
  }
  return letter.test(char) ? 'word' : undefined
}

// Joiners kept inside a word run and then dropped (`don't` → `dont`).
const isJoiner = (code: number) => code === 0x27 || code === 0x2019

/**
 * Cut folded text into runs of one script; everything else separates runs.
 *
 * @param text
 *   Folded text.
 * @returns
 *   The runs, in order.
 */
export function runsOf(text: string): Run[] {
  const runs: Run[] = []
  let script: Run['script'] | undefined
  let start = 0
  let lastEnd = -1
  // Joiners inside a word run are cut out of its text.
  let joiners: number[] | undefined
  const close = (end: number) => {
    if (script) {
      let value = text.slice(start, end)
      if (joiners) {
        for (const at of joiners.reverse())
          value = value.slice(0, at - start) + value.slice(at - start + 1)
        joiners = undefined
      }
      runs.push({ script, text: value, start, attached: start === lastEnd })
      lastEnd = end
    }
    script = undefined
  }
  let offset = 0
  while (offset < text.length) {
    const code = text.codePointAt(offset) as number
    const size = code > 0xffff ? 2 : 1
    const kind = scriptOf(
      code,
      size === 1 ? (text[offset] as string) : text.slice(offset, offset + 2),
    )
    if (kind === undefined && script === 'word' && isJoiner(code)) {
      const next = text.codePointAt(offset + 1)
      if (next !== undefined && scriptOf(next, String.fromCodePoint(next)) === 'word') {
        joiners ??= []
        joiners.push(offset)
        offset += size
        continue
      }
    }
    if (kind !== script) {
      close(offset)
      if (kind) {
        script = kind
        start = offset
      }
    }
    offset += size
  }
  close(offset)
  return runs
}

/**
 * Particles and endings that follow a noun or a Latin name: stripped from a
 * query word so that `테스트를` finds `테스트`, and never required of the text.
 * Longest first, so `에서는` is taken before `는`.
 */
export const particles: readonly string[] = [
  '으로부터',
  '에서부터',
  '이라는',
  '에서는',
  '에게서',
  '으로는',
  '으로서',
  '으로써',
  '이라고',
  '까지는',
  '부터는',
  '에서',
  '에게',
  '한테',
  '으로',
  '로서',
  '로써',
  '로는',
  '라는',
  '라고',
  '에는',
  '에도',
  '까지',
  '부터',
  '처럼',
  '보다',
  '이나',
  '이랑',
  '이란',
  '와의',
  '과의',
  '에의',
  '하기',
  '하는',
  '하고',
  '해서',
  '했다',
  '하다',
  '이다',
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '의',
  '에',
  '로',
  '와',
  '과',
  '도',
  '만',
  '란',
  '랑',
  '나',
]

/**
 * A Hangul word without its trailing particle or ending, when at least two
 * syllables are left.
 *
 * @param word
 *   A Hangul run.
 * @returns
 *   The stem, or the word itself.
 */
export function stripParticle(word: string): string {
  for (const particle of particles) {
    if (word.endsWith(particle) && word.length - particle.length >= 2) {
      return word.slice(0, word.length - particle.length)
    }
  }
  return word
}

/** Whether a run is only a particle or ending, as in `Spark로`'s `로`. */
export function isParticle(run: string): boolean {
  return particles.includes(run)
}

/**
 * Terms of one CJK or Hangul run: character bigrams (a single character is
 * its own term), so a word matches inside longer runs: `플랫폼` is `플랫 랫폼`,
 * both found in `플랫폼에서`.
 *
 * @param run
 *   A Hangul or CJK run.
 * @returns
 *   Its bigrams.
 */
export function bigrams(run: string): string[] {
  const chars = Array.from(run)
  if (chars.length < 2) return chars
  const out: string[] = []
  for (let index = 0; index < chars.length - 1; index++) {
    out.push((chars[index] as string) + (chars[index + 1] as string))
  }
  return out
}

/**
 * An English word without its plural or possessive `s`, by the rules of
 * Harman's S-stemmer (as Lucene's minimal English stemmer): `spaces` is
 * `space`, `queries` is `query`, `netflix's` (read as `netflixs`) is
 * `netflix`; `does`, `status` and `class` stay. Words of three letters or
 * fewer and words with digits (`aws`, `k8s`) are kept: they are names more
 * often than plurals. Applied alike to text and queries, so a stem that is
 * not a word (`kubernete`) still matches.
 *
 * Hand-written: the rule is five lines, and the stemmers on npm (Porter,
 * Snowball) cut much further (`monitoring` to `monitor`), which merges
 * words a reader keeps apart.
 *
 * @param word
 *   A folded Latin word.
 * @returns
 *   Its stem.
 */
export function stemEnglish(word: string): string {
  const length = word.length
  if (length <= 3 || word.charCodeAt(length - 1) !== 0x73 || !/^[a-z]+$/.test(word)) return word
  const before = word[length - 2]
  if (before === 'u' || before === 's') return word
  if (before === 'e') {
    const third = word[length - 3] as string
    const fourth = word[length - 4] as string
    if (third === 'i' && fourth !== 'a' && fourth !== 'e') return `${word.slice(0, -3)}y`
    if (third === 'i' || third === 'a' || third === 'o' || third === 'e') return word
  }
  return word.slice(0, -1)
}

/**
 * Index terms of a text.
 *
 * @param text
 *   Text as written (it is folded here).
 * @param scheme
 *   How Hangul runs become terms: `bigram` (default) or `particle` (the
 *   whole run and the run without its particle).
 * @returns
 *   Terms, in order, repeated as often as they occur.
 */
export function indexTerms(text: string, scheme: HangulScheme = 'bigram'): string[] {
  const terms: string[] = []
  const folded = fold(text)
  let previous: Run | undefined
  for (const run of runsOf(folded)) {
    if (run.script === 'word') terms.push(stemEnglish(run.text))
    else if (run.script === 'hangul' && scheme === 'particle') {
      terms.push(run.text)
      const stem = stripParticle(run.text)
      if (stem !== run.text) terms.push(stem)
    } else {
      // Korean spacing varies (`마이크로 서비스`, `마이크로서비스`): the bigram
      // across one space lets the closed-up spelling find the spaced one.
      if (
        scheme === 'bigram' &&
        run.script === 'hangul' &&
        previous?.script === 'hangul' &&
        previous.start + previous.text.length + 1 === run.start &&
        folded[run.start - 1] === ' '
      ) {
        terms.push((previous.text.at(-1) as string) + (run.text[0] as string))
      }
      terms.push(...bigrams(run.text))
    }
    previous = run
  }
  return terms
}

/**
 * Collapse folded text to letters and digits separated by single spaces, for
 * phrase checks: `Data-Space!` and `data space` both give `data space`.
 *
 * @param text
 *   Text as written.
 * @returns
 *   The squashed text.
 */
export function squash(text: string): string {
  return runsOf(fold(text))
    .map((run, index) => (index > 0 && !run.attached ? ` ${run.text}` : run.text))
    .join('')
}
