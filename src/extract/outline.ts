/**
 * The outline of a post and the role of each heading in it: the post's
 * title, a group of talks, a talk, a section of a talk, or a post-level meta
 * section. Roles are weighed from evidence across the whole outline (sibling
 * numbering, speakers, shared shapes, group and meta words, what a heading
 * holds) rather than taken from the first rule that fires, and every decision
 * keeps the evidence that made it, so `check --explain` can show it.
 *
 * Works on headings alone (depth, text, what lies under each), so it knows
 * nothing of mdast and can be tested on outlines written by hand.
 */
import type { TalkGroup } from '../model/types.ts'
import {
  isPeople,
  parseTalkTitle,
  type SpeakerConvention,
  speakerConvention,
  type TalkTitle,
} from './talk-title.ts'
import {
  type GroupKind,
  groupKindOf,
  isKeynoteName,
  isMetaName,
  isReviewEnding,
  isSectionName,
  normalizeName,
  stripEmoji,
} from './vocabulary.ts'

/** A heading of the post, in document order, with what lies under it. */
export interface OutlineHeading {
  /** 1 to 6. */
  readonly depth: number
  /** Plain text (markup removed). */
  readonly text: string
  /** Words of text between this heading and the next one. */
  readonly words: number
  /** Whether the heading's text is a link (`## [Title](url)`). */
  readonly linked: boolean
  /** Lines between this heading and the next that read as talk titles (bold or linked lines). */
  readonly talkLines: number
}

/** What the author said outright, and what the outline is read against. */
export interface OutlineOptions {
  /** The post's title, so a heading repeating it is read as the title. */
  readonly postTitle: string
  /** `talk_heading: N`: the depth of talk headings. */
  readonly talkDepth?: number | undefined
  /** `talks: none`: the post is one talk. */
  readonly oneTalk?: boolean | undefined
  /** Talk lines before the first heading. */
  readonly preambleTalkLines?: number | undefined
}

/** The role a heading plays. */
export type HeadingRole = 'title' | 'group' | 'talk' | 'section' | 'meta'

/** How talks were found: for diagnostics and tests. */
export type TalkRule =
  | 'front-matter'
  | 'talks-none'
  | 'outline'
  | 'lines'
  | 'whole-post'
  | 'no-talks'

/** A group of talks: a day, a track, a session block. */
export type GroupReading = TalkGroup

/** The reading of one heading. */
export interface HeadingReading {
  readonly role: HeadingRole
  /** The signals that decided the role, in words. */
  readonly evidence: readonly string[]
  /** Index of the group heading a group or talk sits in. */
  readonly group: number | undefined
  /** For groups: title, number and kind. */
  readonly groupInfo: GroupReading | undefined
  /** For talks: number, title and speaker. */
  readonly talk: TalkTitle | undefined
  /** Whether the talk lines in its own body are talks. */
  readonly linesAreTalks: boolean
}

/** The outline read: a role for every heading. */
export interface Outline {
  readonly rule: TalkRule
  /** Index of the heading that repeats the post title, if any. */
  readonly titleHeading: number | undefined
  readonly headings: readonly HeadingReading[]
  /** Whether talk lines before the first heading are talks. */
  readonly preambleLinesAreTalks: boolean
}

interface MutableReading {
  role: HeadingRole
  evidence: string[]
  group: number | undefined
  groupInfo: GroupReading | undefined
  talk: TalkTitle | undefined
  linesAreTalks: boolean
}

interface Features {
  readonly parsed: TalkTitle
  readonly meta: boolean
  readonly review: boolean
  readonly section: boolean
  readonly groupKind: GroupKind | undefined
  readonly keynote: boolean
  readonly long: boolean
  readonly short: boolean
}

/** Score a talk needs when it must stand on its own evidence. */
const ownEvidence = 1
/** Score a heading needs to hold talks as a group. */
const groupThreshold = 2

/**
 * Read the outline of a post: the role of every heading, with evidence.
 *
 * @param headings
 *   The post's headings in document order.
 * @param options
 *   Post title and the author's overrides.
 * @returns
 *   The outline.
 */
export function readOutline(headings: readonly OutlineHeading[], options: OutlineOptions): Outline {
  return new OutlineReader(headings, options).read()
}

/**
 * Index of a heading that repeats or nearly repeats the post title: an H1,
 * or the first heading of the post at any depth (`[모음] X 2018` against
 * `X 2018`, `FEConf 2022` against `FEConf2022 후기`).
 *
 * @param headings
 *   The post's headings.
 * @param postTitle
 *   The post's title.
 * @returns
 *   The index, or undefined.
 */
export function titleHeadingOf(
  headings: readonly Pick<OutlineHeading, 'depth' | 'text'>[],
  postTitle: string,
): number | undefined {
  const title = compact(postTitle)
  if (title === '') return undefined
  for (const [index, heading] of headings.entries()) {
    if (heading.depth !== 1 && index !== 0) continue
    if (nearlySame(compact(heading.text), title)) return index
  }
  return undefined
}

class OutlineReader {
  private readonly readings: MutableReading[]
  private readonly features: Features[]
  private readonly children = new Map<number, number[]>()
  private readonly roots: number[] = []
  private readonly groupScores = new Map<number, { score: number; evidence: string[] }>()
  private readonly titleHeading: number | undefined
  /** What the post title says about the post: one talk, or an event of many. */
  private readonly titlePrior: { weight: number; why: string } | undefined

  constructor(
    private readonly headings: readonly OutlineHeading[],
    private readonly options: OutlineOptions,
  ) {
    this.readings = headings.map(() => ({
      role: 'section',
      evidence: [],
      group: undefined,
      groupInfo: undefined,
      talk: undefined,
      linesAreTalks: false,
    }))
    this.features = headings.map((heading) => features(heading.text))
    this.titleHeading = titleHeadingOf(headings, options.postTitle)
    this.titlePrior = titlePrior(options.postTitle)
    this.buildTree()
  }

  read(): Outline {
    const title = this.titleHeading
    if (title !== undefined) this.set(title, 'title', ['repeats the post title'])
    if (this.options.oneTalk) return this.wholePost('talks-none', 'front matter says `talks: none`')
    if (this.options.talkDepth !== undefined) return this.byDepth(this.options.talkDepth)

    this.classify(this.roots, 'free', undefined)
    const talks = this.readings.filter((reading) => reading.role === 'talk').length
    const lineGroups = this.readings.some((reading) => reading.linesAreTalks)
    const groups = this.readings.some((reading) => reading.role === 'group')
    const preambleLines = talks === 0 && !lineGroups && (this.options.preambleTalkLines ?? 0) >= 2
    if (talks > 0 || lineGroups || preambleLines) {
      return this.result(talks > 0 ? 'outline' : 'lines', preambleLines)
    }
    const candidates = this.indexes().filter((index) => index !== title)
    if (groups) return this.result('no-talks', false)
    if (candidates.length > 0 && candidates.every((index) => this.features[index]?.meta)) {
      return this.result('no-talks', false)
    }
    return this.wholePost('whole-post', 'no heading reads as a talk: the post is one talk')
  }

  /** Classify a sibling list. `free`: nothing above decided; `group`: held by a group; `hoisted`: under a meta heading. */
  private classify(
    siblings: readonly number[],
    context: 'free' | 'group' | 'hoisted',
    group: number | undefined,
  ) {
    const members = siblings.filter((index) => index !== this.titleHeading)
    if (members.length === 0) return

    // Groups first: a heading that holds talks (or talk lines).
    const groups = new Set<number>()
    for (const index of members) {
      const feature = this.features[index]
      // A meta heading holds no talks unless it is also named like a group (`1일차 후기`).
      if (feature?.meta && !feature.groupKind) continue
      const { score, evidence } = this.groupScore(index)
      const talk = this.talkScore(index, undefined)
      if (score >= groupThreshold && score >= talk.score) {
        groups.add(index)
        this.readings[index]?.evidence.push(...evidence)
      }
    }
    // Sibling groups are all groups: a day beside days, `Keynotes` beside `Talks`.
    if (groups.size > 0) {
      for (const index of members) {
        const feature = this.features[index]
        if (groups.has(index) || !feature?.groupKind) continue
        if (feature.parsed.speaker) continue
        // A numbered heading joins sibling groups only as a session block holding headings.
        const kids = this.children.get(index) ?? []
        if (
          feature.parsed.number !== null &&
          (feature.groupKind !== 'SESSION' || kids.length === 0)
        ) {
          continue
        }
        if (this.groupScore(index).evidence.some((line) => line.startsWith('numbered itself')))
          continue
        groups.add(index)
        this.readings[index]?.evidence.push(`group word (${feature.groupKind.toLowerCase()})`)
        this.readings[index]?.evidence.push('beside other groups')
      }
    }

    const others = members.filter((index) => !groups.has(index))
    const convention = speakerConvention(
      others
        .filter((index) => !this.features[index]?.meta)
        .map((index) => this.headings[index]?.text ?? ''),
    )
    const numbered = others.filter(
      (index) =>
        this.features[index]?.parsed.number !== null &&
        !this.features[index]?.meta &&
        !this.features[index]?.section,
    )
    const plainCount = others.filter(
      (index) => !this.features[index]?.meta && !this.features[index]?.section,
    ).length
    // Numbering marks the talks when most siblings carry it (`Keynote #2` among unnumbered talks does not).
    const numberedSet = numbered.length >= 2 && numbered.length * 2 >= plainCount
    const firstNumbered = numbered[0] ?? Number.POSITIVE_INFINITY
    const scores = new Map(
      others.map((index) => [index, this.talkScore(index, convention, numberedSet)]),
    )
    const speakers = others.filter((index) => scores.get(index)?.parsed.speaker).length
    const plain = others.filter(
      (index) => !this.features[index]?.meta && !this.features[index]?.section,
    )
    const mean =
      plain.reduce((sum, index) => sum + (scores.get(index)?.score ?? 0), 0) /
      Math.max(1, plain.length)
    const setEvidence: string[] = []
    if (numberedSet) setEvidence.push(`${numbered.length} numbered siblings`)
    if (speakers >= 2) setEvidence.push(`${speakers} siblings name speakers`)
    if (convention) setEvidence.push(`siblings written ${conventionWords[convention]}`)
    const prior = context === 'free' && group === undefined ? this.titlePrior : undefined
    const weighed = mean + (prior?.weight ?? 0)
    // Numbered topics (`1. 배경`, `2. 문제`) in a post whose title names one talk are its sections.
    const numberedTopics =
      numberedSet &&
      speakers < 2 &&
      (prior?.weight ?? 0) < 0 &&
      mean - (2 * numbered.length) / Math.max(1, plain.length) + (prior?.weight ?? 0) < 0
    if (numberedTopics) setEvidence.push('numbered topics under a title that names one talk')
    // Most siblings named as the usual parts of one talk (배경, 문제, Q&A): they are its sections.
    const partNames = others.filter((index) => this.features[index]?.section).length
    const partsOfOne =
      context !== 'group' &&
      speakers < 2 &&
      partNames >= 2 &&
      partNames * 2 >= partNames + plain.length
    if (partsOfOne) setEvidence.push(`${partNames} siblings are named as parts of one talk`)
    const setIsTalks =
      context === 'group' ||
      (!partsOfOne &&
        ((numberedSet && !numberedTopics) ||
          speakers >= 2 ||
          (!numberedTopics && plain.length > 0 && weighed >= 0)))
    if (!numberedSet && !partsOfOne && speakers < 2 && plain.length > 0 && context !== 'group') {
      setEvidence.push(
        `siblings ${mean > 0 ? 'read as talk titles' : 'read as topics, not talk titles'}`,
      )
      if (prior) setEvidence.push(prior.why)
    }
    const needOwn = groups.size > 0 || context === 'hoisted'

    for (const index of members) {
      const reading = this.readings[index] as MutableReading
      const feature = this.features[index] as Features
      reading.group = group
      if (groups.has(index)) {
        reading.role = 'group'
        reading.groupInfo = groupInfo(this.headings[index]?.text ?? '', feature)
        const kids = this.children.get(index) ?? []
        if ((this.headings[index]?.talkLines ?? 0) >= 2 && !kids.some((kid) => this.isTalky(kid))) {
          reading.linesAreTalks = true
        }
        this.classify(kids, 'group', index)
        continue
      }
      const score = scores.get(index) as { score: number; evidence: string[]; parsed: TalkTitle }
      if (feature.meta && !(feature.review && setIsTalks && score.score + 4 >= ownEvidence)) {
        reading.role = 'meta'
        reading.evidence.push(
          'meta word',
          ...(context === 'hoisted' ? ['under a meta heading'] : []),
        )
        this.hoist(index, group)
        continue
      }
      if (
        numberedSet &&
        feature.parsed.number === null &&
        index < firstNumbered &&
        score.score <= 2 &&
        !score.parsed.speaker
      ) {
        reading.role = 'meta'
        reading.evidence.push('unnumbered, before the numbered talks: an introduction')
        this.hoist(index, group)
        continue
      }
      if (feature.groupKind && !feature.parsed.speaker && feature.parsed.number === null) {
        // Named like a group but holding nothing: an empty group, never a talk.
        reading.role = 'group'
        reading.groupInfo = groupInfo(this.headings[index]?.text ?? '', feature)
        reading.evidence.push(`group word (${feature.groupKind.toLowerCase()})`, 'holds no talks')
        this.classify(this.children.get(index) ?? [], 'group', index)
        continue
      }
      const talk = needOwn
        ? score.score >= (context === 'hoisted' ? 2 : ownEvidence)
        : setIsTalks && score.score >= -2 && !feature.section
      if (talk) {
        reading.role = 'talk'
        reading.evidence.push(...score.evidence, ...setEvidence)
        if (needOwn)
          reading.evidence.push(
            groups.size > 0
              ? 'beside groups, with talk evidence of its own'
              : 'talk evidence of its own',
          )
        if (feature.review && feature.meta)
          reading.evidence.push('ends in 후기 but its siblings are talks')
        reading.talk = this.withSpeakerHeading(index, score.parsed, speakers >= 2)
        this.sections(index)
        continue
      }
      reading.role = setIsTalks || needOwn ? 'meta' : 'section'
      reading.evidence.push(
        ...score.evidence,
        needOwn
          ? groups.size > 0
            ? 'beside groups of talks, with no talk evidence of its own'
            : 'no talk evidence of its own'
          : setIsTalks
            ? 'among talks, but reads as a topic'
            : 'reads as a topic',
        ...setEvidence,
      )
      if (reading.role === 'meta') this.hoist(index, group)
      else this.sections(index)
    }
  }

  /** Children of a meta heading are read in the meta's place, needing evidence of their own. */
  private hoist(index: number, group: number | undefined) {
    const kids = this.children.get(index) ?? []
    if (kids.length > 0) this.classify(kids, 'hoisted', group)
  }

  /** Everything under a talk is a section of it. */
  private sections(index: number) {
    for (const kid of this.descendants(index)) {
      const reading = this.readings[kid] as MutableReading
      reading.role = 'section'
      reading.evidence.push('inside a talk')
    }
  }

  /**
   * A talk's speaker when its heading names none: a title that is only a
   * name among siblings that name speakers (`Talk 4: Vijay Pandey`), or a
   * first sub-heading that is a name with little under it (`### 홍길동`),
   * when sibling talks are written the same way.
   */
  private withSpeakerHeading(
    index: number,
    parsed: TalkTitle,
    siblingSpeakers: boolean,
  ): TalkTitle {
    if (parsed.speaker) return parsed
    if (siblingSpeakers && isPeople(parsed.title)) {
      this.readings[index]?.evidence.push('the title is a name, and siblings name speakers')
      return { ...parsed, speaker: parsed.title }
    }
    const name = this.nameHeading(index)
    if (name === undefined) return parsed
    const parent = this.parentOf(index)
    const siblings = parent === undefined ? this.roots : (this.children.get(parent) ?? [])
    const alike = siblings.filter((sibling) => this.nameHeading(sibling) !== undefined).length
    if (alike < 2) return parsed
    this.readings[index]?.evidence.push(
      `speaker from the sub-heading "${name}", as in ${alike} sibling talks`,
    )
    return { ...parsed, speaker: name }
  }

  private nameHeading(index: number): string | undefined {
    const first = (this.children.get(index) ?? [])[0]
    if (first === undefined) return undefined
    const heading = this.headings[first]
    const feature = this.features[first]
    if (!heading || !feature || feature.section || feature.meta || heading.words > 30)
      return undefined
    const text = stripEmoji(heading.text).trim()
    return isPeople(text) ? text.replace(/\s*님$/u, '') : undefined
  }

  private parentOf(index: number): number | undefined {
    for (const [parent, kids] of this.children) if (kids.includes(index)) return parent
    return undefined
  }

  private talkScore(
    index: number,
    convention: SpeakerConvention | undefined,
    numberedSiblings = false,
  ): { score: number; evidence: string[]; parsed: TalkTitle } {
    const heading = this.headings[index] as OutlineHeading
    const feature = this.features[index] as Features
    const parsed = convention ? parseTalkTitle(heading.text, { convention }) : feature.parsed
    const evidence: string[] = []
    let score = 0
    if (parsed.number !== null) {
      score += 2
      evidence.push(`numbered ${parsed.number}`)
    } else if (numberedSiblings && !feature.meta) {
      score += 1
      evidence.push('unnumbered among numbered siblings')
    }
    if (parsed.speaker) {
      score += 2
      evidence.push(`names a speaker (${parsed.speaker})`)
    }
    if (feature.keynote) {
      score += 2
      evidence.push('keynote')
    }
    if (heading.linked) {
      score += 1
      evidence.push('linked title')
    }
    if (feature.long) {
      score += 1
      evidence.push('reads as a title')
    } else if (feature.short && parsed.number === null && !parsed.speaker) {
      score -= 1
      evidence.push('short label')
    }
    if (feature.section) {
      score -= 3
      evidence.push('section word')
    }
    if (feature.meta) score -= 4
    const kids = this.children.get(index) ?? []
    if (
      kids.length >= 2 &&
      kids.every((kid) => !this.features[kid]?.groupKind && !this.isTalky(kid))
    ) {
      score += 1
      evidence.push('has sections of its own')
    }
    return { score, evidence, parsed }
  }

  /** Whether a heading alone looks like a talk (number, speaker, keynote, linked, and unless `strong`, long). */
  private isTalky(index: number, strong = false): boolean {
    const feature = this.features[index]
    const heading = this.headings[index]
    if (!feature || !heading || feature.meta || feature.section) return false
    return (
      feature.parsed.number !== null ||
      feature.parsed.speaker !== null ||
      feature.keynote ||
      heading.linked ||
      (!strong && feature.long)
    )
  }

  /** How strongly a heading holds talks. */
  private groupScore(index: number): { score: number; evidence: string[] } {
    const cached = this.groupScores.get(index)
    if (cached) return cached
    const heading = this.headings[index] as OutlineHeading
    const feature = this.features[index] as Features
    const kids = (this.children.get(index) ?? []).filter((kid) => kid !== this.titleHeading)
    const evidence: string[] = []
    let score = 0
    if (kids.length === 0 && heading.talkLines < 2) {
      const result = { score: Number.NEGATIVE_INFINITY, evidence }
      this.groupScores.set(index, result)
      return result
    }
    const kidNumbers = kids
      .map((kid) => this.features[kid]?.parsed.number)
      .filter((value): value is number => value !== null && value !== undefined)
    const restarts =
      feature.parsed.number !== null && kidNumbers.length >= 1 && Math.min(...kidNumbers) <= 1
    // Without a group word, only strong signs (numbers, speakers, links) make sub-headings talks.
    const talky = kids.filter((kid) => this.isTalky(kid, !feature.groupKind))
    if (restarts) {
      score -= 3
      evidence.push('numbered itself, and numbers restart under it: its sub-headings are sections')
    } else if (
      talky.length >= 2 ||
      (talky.length === 1 && kids.length === 1 && feature.groupKind)
    ) {
      score += 2
      evidence.push(`holds ${talky.length} talk-shaped heading${talky.length === 1 ? '' : 's'}`)
    }
    const innerGroups = kids.filter(
      (kid) => this.features[kid]?.groupKind && this.groupScore(kid).score >= groupThreshold,
    )
    if (innerGroups.length > 0) {
      score += 2
      evidence.push('holds groups')
    }
    const sectionKids = kids.filter((kid) => this.features[kid]?.section)
    if (sectionKids.length > 0 && sectionKids.length * 2 >= kids.length) {
      score -= 3
      evidence.push('its sub-headings are the parts of one talk')
    }
    const ownTalk =
      feature.parsed.number !== null || feature.parsed.speaker !== null || heading.linked
    if (heading.talkLines >= 2 && talky.length === 0 && !ownTalk) {
      score += 3
      evidence.push(`holds ${heading.talkLines} talk lines`)
    }
    if (feature.parsed.speaker) {
      score -= 3
      evidence.push('names a speaker')
    }
    if (feature.groupKind) {
      // A group word counts in full only when the heading holds something talk-like.
      const holds = evidence.some((line) => line.startsWith('holds'))
      score += holds ? 3 : 1
      evidence.unshift(`group word (${feature.groupKind.toLowerCase()})`)
    }
    const result = { score, evidence }
    this.groupScores.set(index, result)
    return result
  }

  private byDepth(depth: number): Outline {
    let group: number | undefined
    for (const index of this.indexes()) {
      if (index === this.titleHeading) continue
      const heading = this.headings[index] as OutlineHeading
      const reading = this.readings[index] as MutableReading
      const feature = this.features[index] as Features
      const evidence = `front matter says talk headings are depth ${depth}`
      if (heading.depth === depth && !feature.meta) {
        reading.role = 'talk'
        reading.group = group
        reading.talk = feature.parsed
        reading.evidence.push(evidence)
      } else if (
        heading.depth < depth &&
        this.descendants(index).some((kid) => this.headings[kid]?.depth === depth)
      ) {
        reading.role = 'group'
        reading.groupInfo = groupInfo(heading.text, feature)
        reading.evidence.push(evidence, 'holds talk headings')
        group = index
      } else if (heading.depth > depth && this.talkAncestor(index) !== undefined) {
        reading.role = 'section'
        reading.evidence.push(evidence, 'inside a talk')
      } else {
        reading.role = 'meta'
        reading.evidence.push(evidence, feature.meta ? 'meta word' : 'outside any talk')
        if (heading.depth <= depth) group = undefined
      }
    }
    return this.result('front-matter', false)
  }

  private talkAncestor(index: number): number | undefined {
    const depth = this.headings[index]?.depth ?? 0
    for (let at = index - 1; at >= 0; at--) {
      const heading = this.headings[at]
      if (!heading || at === this.titleHeading) continue
      if (heading.depth < depth) {
        if (this.readings[at]?.role === 'talk') return at
        return this.talkAncestor(at)
      }
    }
    return undefined
  }

  private wholePost(rule: TalkRule, why: string): Outline {
    for (const index of this.indexes()) {
      if (index === this.titleHeading) continue
      const reading = this.readings[index] as MutableReading
      reading.role = 'section'
      reading.group = undefined
      reading.groupInfo = undefined
      reading.talk = undefined
      reading.linesAreTalks = false
      reading.evidence.push(why)
    }
    return this.result(rule, false)
  }

  private result(rule: TalkRule, preambleLinesAreTalks: boolean): Outline {
    return {
      rule,
      titleHeading: this.titleHeading,
      headings: this.readings,
      preambleLinesAreTalks,
    }
  }

  private set(index: number, role: HeadingRole, evidence: string[]) {
    const reading = this.readings[index]
    if (!reading) return
    reading.role = role
    reading.evidence.push(...evidence)
  }

  private indexes(): number[] {
    return this.headings.map((_, index) => index)
  }

  private descendants(index: number): number[] {
    const out: number[] = []
    const visit = (at: number) => {
      for (const kid of this.children.get(at) ?? []) {
        out.push(kid)
        visit(kid)
      }
    }
    visit(index)
    return out
  }

  /**
   * The heading tree: a heading's parent is the nearest heading before it
   * that is shallower. The title heading holds nothing: its children are roots.
   */
  private buildTree() {
    const open: number[] = []
    for (const [index, heading] of this.headings.entries()) {
      this.children.set(index, [])
      if (index === this.titleHeading) continue
      while (
        open.length > 0 &&
        (this.headings[open[open.length - 1] as number]?.depth ?? 0) >= heading.depth
      ) {
        open.pop()
      }
      const parent = open[open.length - 1]
      if (parent === undefined) this.roots.push(index)
      else this.children.get(parent)?.push(index)
      open.push(index)
    }
  }
}

const conventionWords: Record<SpeakerConvention, string> = {
  'dash-left': '`Speaker - Title`',
  'dash-right': '`Title - Speaker`',
  'comma-right': '`Title, Speaker`',
}

function features(text: string): Features {
  const parsed = parseTalkTitle(text)
  const plain = stripEmoji(parsed.title)
  const words = plain.split(/\s+/).filter(Boolean)
  const letters = plain.replace(/[\s\p{P}\p{S}]/gu, '').length
  const hangul = /\p{Script=Hangul}/u.test(plain)
  const meta = isMetaName(text)
  return {
    parsed,
    meta,
    review: meta && isReviewEnding(text),
    section: isSectionName(text),
    groupKind: groupKindOf(text),
    keynote: isKeynoteName(text) || isKeynoteName(parsed.title),
    long: hangul ? words.length >= 4 || letters >= 14 : words.length >= 4,
    short: words.length <= 2 && letters <= 14,
  }
}

/**
 * What a post title says about how many talks the post holds: an event name
 * (`PYCON 2023`, `DroidKaigi 2019 참가 후기`) leans to several; a summary of
 * one talk or lecture (`[요약] …`, `… 특강`, a long sentence) leans to one.
 */
function titlePrior(title: string): { weight: number; why: string } | undefined {
  const text = title.normalize('NFKC').toLowerCase()
  const words = text.split(/\s+/).filter(Boolean).length
  if (/요약|특강|강연|세미나|lecture|keynote|webinar|웨비나/u.test(text)) {
    return { weight: -0.5, why: 'the post title names one talk or lecture' }
  }
  const event =
    /(?:^|\D)(?:19|20)\d{2}(?:\D|$)|conf|summit|day|meetup|밋업|컨퍼런스|컨퍼런스|후기|참가|참관|행사/u.test(
      text,
    )
  if (event && words <= 6) return { weight: 0.5, why: 'the post title names an event' }
  if (words >= 8) return { weight: -0.5, why: 'the post title reads as a talk title' }
  return undefined
}

function groupInfo(text: string, feature: Features): GroupReading {
  const name = normalizeName(text)
  const number =
    /(?:day|track|session|part|room|세션|트랙)\s*#?\s*(\d{1,3})/iu.exec(name)?.[1] ??
    /(\d{1,2})\s*일\s*차/u.exec(name)?.[1] ??
    (feature.parsed.number === null ? undefined : String(feature.parsed.number))
  const kind: GroupKind =
    feature.groupKind ??
    (feature.keynote ? 'KEYNOTES' : feature.parsed.number !== null ? 'SESSION' : 'OTHER')
  return {
    title: stripEmoji(text).trim(),
    number: number === undefined ? null : Number(number),
    kind,
  }
}

/** A title for comparison: NFKC, lower case, no brackets' contents, no punctuation or spaces. */
function compact(text: string): string {
  return stripEmoji(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^\s*\[[^\]]*\]\s*/u, '')
    .replace(/(?:후기|참가\s*후기|참관기|review|recap|정리|요약)\s*$/u, '')
    .replace(/[\s\p{P}\p{S}]/gu, '')
}

function nearlySame(a: string, b: string): boolean {
  if (a === '' || b === '') return false
  if (a === b) return true
  const [short, long] = a.length < b.length ? [a, b] : [b, a]
  return long.includes(short) && short.length * 10 >= long.length * 8
}
