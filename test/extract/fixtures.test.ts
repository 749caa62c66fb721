import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ExtractedPost } from '../../src/extract/post.ts'
import { toGlobalId } from '../../src/model/ids.ts'
import type { Mention } from '../../src/model/types.ts'
import { type Fixture, loadFixtures } from '../helpers/fixtures.ts'

interface ExpectedTalk {
  group?: { title: string; number: number | null; kind: string } | null
  number?: number | null
  title?: string
  speaker?: string | null
  hasNotes?: boolean
  sections?: string[]
  bullets?: number
  technologies?: string[]
  notTechnologies?: string[]
}

interface Expected {
  post?: null
  title?: string
  slug?: string
  date?: string | null
  dateTime?: string | null
  draft?: boolean
  tags?: string[]
  categories?: string[]
  excerpt?: string
  postSections?: string[]
  talks?: ExpectedTalk[]
  problems?: { severity: string; code: string; line?: number; column?: number }[]
}

const fixtures = loadFixtures()

/** Name of the technology a mention names, from the post's technology list. */
function technologyNames(extracted: ExtractedPost): (mention: Mention) => string {
  const names = new Map(
    extracted.technologies.map((ref) => [toGlobalId('Technology', ref.slug), ref.name]),
  )
  return (mention) => names.get(mention.technologyId) ?? '?'
}

/** A readable summary of what the reader made of a post, for `output.json`. */
function summarize(extracted: ExtractedPost) {
  const { post, talks, sections, bullets, mentions } = extracted
  const name = technologyNames(extracted)
  const technologies = (ids: Set<string>) => [
    ...new Set(mentions.filter((m) => ids.has(m.targetId)).map(name)),
  ]
  const tree = (parentId: string | null, ids: readonly string[]): unknown[] =>
    bullets
      .filter((bullet) => ids.includes(bullet.id) && bullet.parentId === parentId)
      .map((bullet) => {
        const children = tree(bullet.id, ids)
        const line = `${bullet.kind === 'item' ? '' : `[${bullet.kind}] `}${bullet.text.replace(/\s+/g, ' ')}`
        return children.length > 0 ? { [line]: children } : line
      })
  return {
    title: post.title,
    slug: post.slug,
    date: post.date,
    dateTime: post.dateTime,
    tags: post.tags,
    categories: post.categories,
    // Only drafts say so, keeping the other recordings as they were.
    ...(post.draft ? { draft: true } : {}),
    excerpt: post.excerptText,
    rule: extracted.talkRule,
    postSections: sections.filter((section) => !section.talkId).map((section) => section.title),
    preamble: tree(
      null,
      bullets.filter((bullet) => !bullet.talkId).map((bullet) => bullet.id),
    ),
    talks: talks.map((talk) => ({
      number: talk.number,
      title: talk.title,
      speaker: talk.speaker,
      group: talk.group,
      hasNotes: talk.hasNotes,
      line: talk.source.line,
      sections: sections.filter((section) => section.talkId === talk.id).map((s) => s.title),
      technologies: technologies(new Set([talk.id, ...talk.sectionIds, ...talk.bulletIds])),
      bullets: tree(null, talk.bulletIds),
    })),
  }
}

describe('reader fixtures', () => {
  it('should have a fixture folder for every shape', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20)
  })

  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      const expected = JSON.parse(
        readFileSync(path.join(fixture.folder, 'expected.json'), 'utf8'),
      ) as Expected

      it('should match the hand-written expectations', () => {
        checkExpectations(fixture, expected)
      })

      it('should match the recorded output (UPDATE=1 rewrites it)', () => {
        const post = fixture.result.post
        const actual = {
          problems: fixture.result.problems.map(
            (p) => `${p.line}:${p.column} ${p.severity} ${p.code}: ${p.message}`,
          ),
          post: post ? summarize(post) : null,
        }
        const file = path.join(fixture.folder, 'output.json')
        if (process.env.UPDATE || !existsSync(file)) {
          writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`)
        }
        expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')))
      })
    })
  }
})

function checkExpectations(fixture: Fixture, expected: Expected) {
  const { result } = fixture
  if (expected.problems) {
    for (const problem of expected.problems) {
      expect(result.problems).toContainEqual(expect.objectContaining(problem))
    }
  }
  if (expected.post === null) {
    expect(result.post).toBeUndefined()
    return
  }
  const extracted = result.post
  expect(extracted, 'post').toBeDefined()
  if (!extracted) return
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([])
  const { post, talks, sections, bullets, mentions } = extracted
  const name = technologyNames(extracted)
  const fields: (keyof Expected & keyof typeof post)[] = [
    'title',
    'slug',
    'date',
    'dateTime',
    'draft',
    'tags',
    'categories',
  ]
  for (const field of fields) {
    if (expected[field] !== undefined) expect(post[field], field).toEqual(expected[field])
  }
  if (expected.excerpt !== undefined) expect(post.excerptText).toBe(expected.excerpt)
  if (expected.postSections) {
    expect(sections.filter((s) => !s.talkId).map((s) => s.title)).toEqual(expected.postSections)
  }
  if (!expected.talks) return
  expect(talks.map((t) => t.title)).toEqual(
    expected.talks.map((t, i) => t.title ?? talks[i]?.title),
  )
  expected.talks.forEach((want, index) => {
    const talk = talks[index]
    if (!talk) throw new Error(`missing talk ${index}`)
    const label = `talk ${index + 1} (${talk.title})`
    if (want.number !== undefined) expect(talk.number, `${label} number`).toBe(want.number)
    if (want.speaker !== undefined) expect(talk.speaker, `${label} speaker`).toBe(want.speaker)
    if (want.hasNotes !== undefined) expect(talk.hasNotes, `${label} hasNotes`).toBe(want.hasNotes)
    if (want.group !== undefined) expect(talk.group, `${label} group`).toEqual(want.group)
    if (want.sections) {
      expect(
        sections.filter((s) => s.talkId === talk.id).map((s) => s.title),
        `${label} sections`,
      ).toEqual(want.sections)
    }
    if (want.bullets !== undefined) {
      expect(bullets.filter((b) => b.talkId === talk.id).length, `${label} bullets`).toBe(
        want.bullets,
      )
    }
    const names = new Set(mentions.filter((m) => m.talkId === talk.id).map(name))
    for (const wanted of want.technologies ?? []) {
      expect([...names], `${label} technologies`).toContain(wanted)
    }
    for (const unwanted of want.notTechnologies ?? []) {
      expect([...names], `${label} technologies`).not.toContain(unwanted)
    }
  })
}
