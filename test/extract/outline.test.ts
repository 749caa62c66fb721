import { describe, expect, it } from 'vitest'
import { type OutlineHeading, readOutline } from '../../src/extract/outline.ts'
import { parseTalkTitle, speakerConvention, speakerLine } from '../../src/extract/talk-title.ts'

/** An outline written by hand: `## Title` lines, with optional words under each. */
function outline(lines: readonly string[]): OutlineHeading[] {
  return lines.map((line) => {
    const match = /^(#{1,6}) (.*?)(?: \{(\d+) words?(?:, (\d+) lines?)?\})?$/.exec(line)
    if (!match) throw new Error(`not a heading: ${line}`)
    return {
      depth: match[1]?.length ?? 1,
      text: match[2] ?? '',
      words: Number(match[3] ?? 20),
      linked: false,
      talkLines: Number(match[4] ?? 0),
    }
  })
}

const roles = (headings: readonly string[], postTitle: string, options = {}) =>
  readOutline(outline(headings), { postTitle, ...options }).headings.map((h) => h.role)

describe('the outline reader', () => {
  it('should read numbered siblings as talks, with a gap in the numbers', () => {
    expect(
      roles(['## 1. 첫 발표 제목입니다', '## 2. 두 번째 발표', '## 6. 여섯 번째 발표'], 'X 2020'),
    ).toEqual(['talk', 'talk', 'talk'])
  })

  it('should read a heading that repeats the post title as the title', () => {
    const read = readOutline(outline(['# DroidKnights 2019', '## 1. A talk about modules']), {
      postTitle: 'DroidKnights 2019',
    })
    expect(read.titleHeading).toBe(0)
    expect(read.headings[0]?.evidence).toContain('repeats the post title')
  })

  it('should keep meta headings with emoji outside the talks', () => {
    expect(
      roles(
        ['## 👏 총평', '## 📸 인증샷', '## 1. Compose 도입기', '## 2. 모듈화 이야기'],
        'Meetup 2020',
      ),
    ).toEqual(['meta', 'meta', 'talk', 'talk'])
  })

  it('should read day headings holding talks as groups, and the talks under them', () => {
    const read = readOutline(
      outline([
        '## Day 1',
        '### Building Reliable Pipelines at Scale',
        '### Search Quality in Numbers Today',
        '## Day 2',
        '### Faster Mobile Builds with Caching',
      ]),
      { postTitle: 'Conf 2024' },
    )
    expect(read.headings.map((h) => h.role)).toEqual(['group', 'talk', 'talk', 'group', 'talk'])
    expect(read.headings[0]?.groupInfo).toEqual({ title: 'Day 1', number: 1, kind: 'DAY' })
    expect(read.headings[4]?.group).toBe(3)
  })

  it('should read a numbered session block over talk headings as a group', () => {
    expect(
      roles(
        [
          '## Session 10: Data spaces in Europe',
          '### Why shared vocabularies matter here',
          '### Publishing catalogues that others harvest',
        ],
        'Forum 2023',
      ),
    ).toEqual(['group', 'talk', 'talk'])
  })

  it('should read a numbered talk whose own numbering restarts below it as a talk with sections', () => {
    expect(
      roles(
        [
          '# 세션 1) 개발 조직 소개',
          '## 1. 조직 구성',
          '## 2. 일하는 방식',
          '# 세션 2) 주니어의 3년',
          '## 1. 예습과 복습',
        ],
        'Meetup',
      ),
    ).toEqual(['talk', 'section', 'section', 'talk', 'section'])
  })

  it('should read short topics under a title naming one talk as sections of one talk', () => {
    const read = readOutline(outline(['## Bubbles', '## Dark Theme', '## Sharing', '## WebView']), {
      postTitle: "[요약] What's new in Android",
    })
    expect(read.rule).toBe('whole-post')
    expect(read.headings.every((h) => h.role === 'section')).toBe(true)
  })

  it('should read the siblings of a talks group as meta unless they show talk evidence', () => {
    expect(
      roles(
        [
          '## Opening Keynote',
          '## The Food',
          '## Talks I attended',
          '### Testing Apps That Use Requests',
          '### Docker in Action for Developers',
          '## Closing up',
        ],
        'I Loved PyCon',
      ),
    ).toEqual(['talk', 'meta', 'group', 'talk', 'talk', 'meta'])
  })

  it('should keep a talk ending in 후기 among talk siblings', () => {
    expect(
      roles(['## 1. 쿠버네티스 도입 후기', '## 2. 데이터 플랫폼 이야기', '## 마치며'], '밋업 2021'),
    ).toEqual(['talk', 'talk', 'meta'])
  })

  it('should read a heading holding talk lines as a group whose lines are talks', () => {
    const read = readOutline(
      outline(['## 행사 소개', '## 들은 세션 {40 words, 5 lines}', '## 기타']),
      {
        postTitle: 'Conf 2024 후기',
      },
    )
    expect(read.headings.map((h) => h.role)).toEqual(['meta', 'group', 'meta'])
    expect(read.headings[1]?.linesAreTalks).toBe(true)
    expect(read.rule).toBe('lines')
  })

  it('should read no talks when every heading is meta', () => {
    expect(readOutline(outline(['# 소개', '# 후기', '# 마치며']), { postTitle: 'x' }).rule).toBe(
      'no-talks',
    )
  })

  it('should let the author set the talk depth or say the post is one talk', () => {
    const byDepth = readOutline(outline(['## Morning', '### Reading the source', '#### Notes']), {
      postTitle: 'Study',
      talkDepth: 3,
    })
    expect(byDepth.headings.map((h) => h.role)).toEqual(['group', 'talk', 'section'])
    expect(byDepth.rule).toBe('front-matter')
    const one = readOutline(outline(['## 1. Paxos', '## 2. Raft']), {
      postTitle: 'Lecture',
      oneTalk: true,
    })
    expect(one.rule).toBe('talks-none')
    expect(one.headings.map((h) => h.role)).toEqual(['section', 'section'])
  })

  it('should give evidence for every role', () => {
    const read = readOutline(outline(['## 1. A talk with a title', '## 2. Another talk title']), {
      postTitle: 'Conf',
    })
    for (const heading of read.headings) expect(heading.evidence.length).toBeGreaterThan(0)
    expect(read.headings[0]?.evidence).toContain('numbered 1')
  })
})

describe('talk titles', () => {
  it.each([
    ['3. Title', 3, 'Title', null],
    ['#3 Title', 3, 'Title', null],
    ['Session 3: Title', 3, 'Title', null],
    ['세션 3. 제목', 3, '제목', null],
    ['3) 제목', 3, '제목', null],
    ['키노트1.', 1, '키노트', null],
    ['Keynote #2 (Ying Li)', 2, 'Keynote', 'Ying Li'],
    ['1st - Lessons from On-Call', 1, 'Lessons from On-Call', null],
    ['10:00 - 10:40 Designing Schemas', null, 'Designing Schemas', null],
    ['2:00 PM Closing Panel Discussion', null, 'Closing Panel Discussion', null],
    ['Scaling Reads (Advanced Skill Level)', null, 'Scaling Reads', null],
    ['Observability (Dana Kim @danakim, Acme)', null, 'Observability', 'Dana Kim'],
    ['Keynote (Dan Callahan - PyPI) @callahad', null, 'Keynote', 'Dan Callahan'],
    ['Title - Jane Doe, Acme', null, 'Title', 'Jane Doe'],
    ['제목 - 홍길동님', null, '제목', '홍길동'],
    ['제목 / 이영희', null, '제목', '이영희'],
    ['[Jane Doe] Accessible Components', null, 'Accessible Components', 'Jane Doe'],
    ['데이터 품질_김철수 팀장(회사)', null, '데이터 품질', '김철수 팀장'],
    ['Ring: 캐시 인터페이스 -정윤원-', null, 'Ring: 캐시 인터페이스', '정윤원'],
    ['🚀 Shipping Faster', null, 'Shipping Faster', null],
    [
      'Accessibility with Svelte - Beyond Compiler Warnings',
      null,
      'Accessibility with Svelte - Beyond Compiler Warnings',
      null,
    ],
    ['코드 품질 올리기 (기본편)', null, '코드 품질 올리기 (기본편)', null],
    ['TDD로 개발하기 (라이브)', null, 'TDD로 개발하기', null],
  ])('should read %j', (text, number, title, speaker) => {
    expect(parseTalkTitle(text)).toEqual({ number, title, speaker })
  })

  it('should take the speaker side from the siblings, not from one title', () => {
    const left = ['Matz - Keynote', 'Ann Lee - Memory Profiling', 'Bo Chen - All About Types']
    expect(speakerConvention(left)).toBe('dash-left')
    expect(parseTalkTitle('Matz - Keynote', { convention: 'dash-left' })).toEqual({
      number: null,
      title: 'Keynote',
      speaker: 'Matz',
    })
    const comma = ['Cynefin, Dave Snowden', 'Breaking Codes, Building Jets, Randy Shoup']
    expect(speakerConvention(comma)).toBe('comma-right')
    expect(
      speakerConvention(['Open Match - Matchmaking Framework', 'Easily Observing Operators']),
    ).toBe(undefined)
  })

  it('should read speaker lines at the top of a talk', () => {
    expect(speakerLine('🎤 발표자 : 윤재석 GDG Suwon')).toBe('윤재석 GDG Suwon')
    expect(speakerLine('Speaker: Mauricio Salatino, LearnK8s')).toBe('Mauricio Salatino, LearnK8s')
    expect(speakerLine('How to Fail Successfully from Eleanor Rumsey')).toBe('Eleanor Rumsey')
    expect(speakerLine('그냥 메모')).toBeUndefined()
  })
})
