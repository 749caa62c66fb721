import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentServer } from '../../src/server/create-server.ts'
import { data, graphOf, type Json, serverFor } from './request.ts'

// The reader fixtures with groups: days, parts of the day, tracks, keynotes,
// session blocks and lightning talks, each in its own folder.
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url))

const talksQuery = `{
  talks(first: 100) {
    nodes { title speaker group { title number kind } }
  }
}`

async function talksOf(name: string): Promise<Json[]> {
  const server: ContentServer = serverFor(await graphOf(fixture(name)))
  return (await data(server, talksQuery)).talks.nodes
}

describe('Talk.group', () => {
  let days: Json[]
  beforeAll(async () => {
    days = await talksOf('groups-days-h2')
  })

  it('should give each talk the day it sits in, with its number and kind', () => {
    expect(days.map((talk: Json) => [talk.title, talk.group])).toEqual([
      ['대규모 로그 파이프라인 운영기', { title: 'Day 1', number: 1, kind: 'DAY' }],
      ['검색 품질을 숫자로 말하기', { title: 'Day 1', number: 1, kind: 'DAY' }],
      ['모바일 빌드 시간 절반으로 줄이기', { title: 'Day 2', number: 2, kind: 'DAY' }],
      ['장애 회고를 문화로 만들기', { title: 'Day 2', number: 2, kind: 'DAY' }],
    ])
    expect(days[0].speaker).toBe('Mina Park')
  })

  it('should give the nearest group when groups nest, and tracks and parts of the day as kinds', async () => {
    const kinds = (await talksOf('groups-nested-h1')).map((talk: Json) => talk.group.kind)
    expect(kinds).toEqual(['PART_OF_DAY', 'PART_OF_DAY', 'PART_OF_DAY', 'TRACK', 'TRACK'])
  })

  it('should give keynotes, session blocks and other groups their kinds', async () => {
    const keynotes = await talksOf('sibling-groups')
    expect(keynotes.map((talk: Json) => talk.group.kind)).toEqual([
      'KEYNOTES',
      'KEYNOTES',
      'OTHER',
      'OTHER',
      'OTHER',
    ])
    const sessions = await talksOf('numbered-session-blocks')
    expect(sessions.map((talk: Json) => talk.group.number)).toEqual([7, 7, 2, 2])
    expect(sessions[0].group.kind).toBe('SESSION')
  })

  it('should be null for talks that no heading groups', async () => {
    const talks = await talksOf('title-speaker-shapes')
    expect(talks.length).toBeGreaterThan(0)
    expect(talks.every((talk: Json) => talk.group === null)).toBe(true)
  })
})
