/**
 * Words conference notes use for the parts of a post that are not talks:
 * groups of talks (days, tracks, sessions), post-level meta sections (intro,
 * logistics, closing) and the usual sections inside one talk. Korean and
 * English; matched on a normalised heading text (no emoji, no numbering
 * punctuation, lower case), so `## 📸 인증샷` and `## 인증샷` are the same.
 */

import type { TalkGroupKind } from '../model/types.ts'

/** What kind of group a heading names. */
export type GroupKind = TalkGroupKind

/**
 * Normalise a heading for vocabulary lookups: NFKC, lower case, emoji and
 * surrounding punctuation removed, runs of spaces collapsed.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   The normalised text.
 */
export function normalizeName(text: string): string {
  return stripEmoji(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .trim()
}

/** The normalised name less a leading number (`1. 소개`, `2) Q&A`), for meta and section words. */
function wordsOf(text: string): string {
  return normalizeName(text)
    .replace(/^\d{1,3}\s*[.)]\s*/u, '')
    .replace(/^[\s\p{P}\p{S}]+/u, '')
}

/**
 * Remove emoji (pictographs, their modifiers and joiners) from a text, so a
 * decorated heading (`👏 총평`, `⚡️🎤 Title`) reads as its words.
 *
 * @param text
 *   Any text.
 * @returns
 *   The text without emoji, trimmed.
 */
export function stripEmoji(text: string): string {
  return (
    text
      // Each piece alone: skin tones, variation selectors and joiners go one by one.
      .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}|\u{20E3}/gu, '')
      .replace(/^\s+|\s+$/g, '')
  )
}

const metaNames = new Set(
  [
    // Korean: introduction, logistics, closing, extras.
    '소개',
    '행사 소개',
    '컨퍼런스 소개',
    '세미나 소개',
    '밋업 소개',
    '들어가며',
    '들어가기 전에',
    '시작하며',
    '시작하기 전에',
    '개요',
    '행사 개요',
    '행사 정보',
    '행사',
    '참가 대상',
    '참석 대상',
    '대상',
    '일시',
    '장소',
    '일정',
    '시간표',
    '찾아가는 길',
    '오시는 길',
    '등록',
    '접수',
    '중식',
    '점심',
    '점심 시간',
    '휴식',
    '저녁',
    '간식',
    '부스',
    '스폰서',
    '경품',
    '굿즈',
    '인증샷',
    '사진',
    '마치며',
    '마무리',
    '후기',
    '총평',
    '정리',
    '느낀점',
    '느낀 점',
    '소감',
    '끝으로',
    '맺음말',
    '결론',
    '참고',
    '참고자료',
    '참고 자료',
    '참고 링크',
    '관련 링크',
    '링크',
    '목차',
    '기타',
    '즐길거리',
    '추신',
    // English.
    'about',
    'about the conference',
    'about the event',
    'intro',
    'introduction',
    'overview',
    'preface',
    'background',
    'tl;dr',
    'tldr',
    'tl dr',
    'general',
    'general impressions',
    'impressions',
    'agenda',
    'schedule',
    'venue',
    'location',
    'travel',
    'getting there',
    'registration',
    'lunch',
    'dinner',
    'breakfast',
    'food',
    'coffee',
    'break',
    'sponsors',
    'swag',
    'photos',
    'expo',
    'party',
    'afterparty',
    'after party',
    'conclusion',
    'conclusions',
    'wrap-up',
    'wrap up',
    'wrapup',
    'summary',
    'closing',
    'closing up',
    'closing thoughts',
    'final thoughts',
    'thoughts',
    'outro',
    'takeaways',
    'references',
    'resources',
    'links',
    'further reading',
    'find out more',
    'table of contents',
    'contents',
    'toc',
    'etc',
    'p.s',
    'ps',
    'misc',
    'miscellaneous',
    'other',
    'others',
  ].map(wordsOf),
)

/** Meta words that also close a longer heading (`1일차 후기`, `세미나를 마치며`). */
const metaEndings = /(?:^|\s)(?:후기|마치며|총평|느낀\s?점|소감|인증샷)$/u
/** Meta phrases that open a longer heading (`Table of contents`, `Closing thoughts on …`). */
const metaOpenings =
  /^(?:toc\b|table of contents|closing(?: thoughts| remarks| words| up)?$|final thoughts|wrap[- ]?up|(?:general|overall|first) impressions|other things|thank you|thanks|useful tidbits|find out more|things i (?:want|plan|need|would like) to|to-?dos?\b|next steps|action items|about (?:the )?(?:conference|event|meetup)|p\.?s\b)/u
/** Logistics words anywhere in a heading: a booth tour or an expo is not a talk. */
const metaWords = /(?:^|\s)(?:expo|부스|booth|lunch|점심|중식|registration|swag|굿즈|행사)(?:\s|$)/u

/**
 * Whether a heading names a post-level meta section: an introduction,
 * logistics or closing remarks (`소개`, `👏 총평`, `📸 인증샷`, `TL;DR`,
 * `References`, `Wrap-up`, `행사 소개`, `1일차 후기`).
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   True for meta headings.
 */
export function isMetaName(text: string): boolean {
  const name = wordsOf(text)
  if (name === '') return false
  return (
    metaNames.has(name) || metaEndings.test(name) || metaOpenings.test(name) || metaWords.test(name)
  )
}

/**
 * Whether a meta name is only the `후기` (review) ending: a talk title may end
 * so too, and is still a talk among talk siblings.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   True when `후기` alone made the heading meta.
 */
export function isReviewEnding(text: string): boolean {
  const name = wordsOf(text)
  return /\S\s*후기$/u.test(name) && !metaNames.has(name)
}

const sectionNames = new Set(
  [
    '발표자',
    '연사',
    '강연자',
    '시간',
    '발표 시간',
    '개요',
    '요약',
    '내용',
    '발표 내용',
    '강연 내용',
    '메모',
    '노트',
    '질의응답',
    '질문',
    '질문과 답변',
    '느낀점',
    '느낀 점',
    '결론',
    '정리',
    '배경',
    '문제',
    '해결',
    '슬라이드',
    '발표 자료',
    '영상',
    'speaker',
    'speakers',
    'time',
    'outline',
    'abstract',
    'summary',
    'notes',
    'my notes',
    'personal notes',
    'intro',
    'introduction',
    'q&a',
    'qna',
    'q & a',
    'questions',
    'takeaways',
    'key takeaways',
    'slides',
    'video',
    'demo',
    'conclusion',
    'background',
  ].map(wordsOf),
)

/** Section phrases that open a longer heading (`About the speaker (from the website)`). */
const sectionOpenings =
  /^(?:about the speakers?|speaker bio|slides?(?:\s*(?:&|and)\s*videos?)?|videos?|recording)(?:\s|$)/u

/**
 * Whether a heading names a usual part of one talk (`발표자`, `Q&A`,
 * `Outline`, `Notes`, `메모`, `질의응답`): evidence that it is a section.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   True for section names.
 */
export function isSectionName(text: string): boolean {
  const name = wordsOf(text)
  return sectionNames.has(name) || sectionOpenings.test(name)
}

const keynoteWords = /^(?:keynotes?|opening keynote|closing keynote|기조\s?연설|키노트)(?:\s|$)/u
const talksWords =
  /^(?:(?:the |my |all |selected |other )?(?:talks?|sessions?|presentations?|lightning talks?|lectures?)(?!\s*#?\d)(?:\s|$)|(?:talks|sessions) i (?:attended|saw|went to|liked)|(?:my )?favou?rite (?:talks|sessions))/u
const koreanTalksWords =
  /^(?:(?:전체|주요|들은|내가 들은|참석한|관심|추천)\s*)?(?:세션|발표|강연)(?:\s*(?:목록|정리|요약|후기|내용|리스트|들))?$|^(?:내가\s)?들은\s(?:세션|발표|강연)들?$/u
const dayWords =
  /(?:^|\s)(?:day\s*\d{1,2}|day\s+(?:one|two|three|four|zero)|\d{1,2}\s*일\s*차|(?:첫|둘|셋|넷)째\s*날|\d{1,2}\s*월\s*\d{1,2}\s*일|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d{4}[-./]\d{1,2}[-./]\d{1,2})(?:\s|$|[^\p{L}])/u
const trackWords = /(?:^|\s)(?:track\s*[a-z0-9]{1,2}|트랙\s*[a-z0-9]{1,2}|room\s*[a-z0-9]{1,2})\b/u
const partOfDayWords =
  /^(?:오전|오후|저녁|morning|afternoon|evening|morning sessions?|afternoon sessions?)(?:\s|$)/u

/**
 * The kind of group a heading names, from its words alone: a day (`Day 1`,
 * `1일차`, `3월 2일`, a date), a track (`Track A`, `트랙 2`), a part of the
 * day (`오전`, `Morning`), keynotes, or the talks as a whole (`Talks`,
 * `Sessions`, `세션`, `발표 내용`, `Talks I attended`). Undefined when the
 * words name no group; a heading may still be a group by what it holds.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   The kind, or undefined.
 */
export function groupKindOf(text: string): GroupKind | undefined {
  const name = normalizeName(text)
  if (name === '') return undefined
  if (/^keynotes\b/.test(name)) return 'KEYNOTES'
  if (keynoteWords.test(name) || /(?:^|\s)keynote(?:\s|$)/u.test(name)) return undefined
  if (trackWords.test(name)) return 'TRACK'
  if (dayWords.test(name)) return 'DAY'
  if (partOfDayWords.test(name)) return 'PART_OF_DAY'
  if (talksWords.test(name) || koreanTalksWords.test(name)) return 'OTHER'
  if (/^(?:session|세션)\s*\d{1,3}\s*[:.)-]/u.test(name)) return 'SESSION'
  return undefined
}

/**
 * Whether a heading's words name a keynote (`Keynote`, `Opening Keynote`,
 * `키노트`, `기조연설`): a talk of its own, unless it holds talks.
 *
 * @param text
 *   Plain heading text.
 * @returns
 *   True for keynote names.
 */
export function isKeynoteName(text: string): boolean {
  const name = normalizeName(text)
  return keynoteWords.test(name) || /(?:^|\s)keynote(?:\s|$)/u.test(name)
}
