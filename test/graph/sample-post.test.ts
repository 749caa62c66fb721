import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'

const contentDir = fileURLToPath(new URL('../../content/', import.meta.url))
let graph: ContentGraph

beforeAll(async () => {
  graph = (await loadContent({ contentDir })).graph
})

const talkNumbers = (slug: string) =>
  graph.talksByTechnology(graph.technologyByName(slug)?.id ?? '').map((talk) => talk.number)

describe('the sample post', () => {
  it('should read eight talks numbered 1 to 8 with their titles as written', () => {
    expect(graph.talks.map((talk) => [talk.number, talk.title])).toEqual([
      [1, '당근마켓이 데이터와 함께 노는 법'],
      [2, '오픈소스 기여: 코드로 세상에 기여하는 또다른 방법'],
      [3, 'Kubernetes와 함께 데이터 흐름을 더 나이스하게 바꾸기'],
      [4, '클라쓰가 다른 데이터 플랫폼'],
      [5, '대학교 경제학 강의를 "힙"한 데이터 특강으로 피봇팅한 썰'],
      [6, '우아한 형제들에서 데이터로 일하는 방법'],
      [7, '좀 더 똑똑한 검색 기능을 만들어 보자'],
      [8, 'Airflow로 똑똑한 배치관리하기'],
    ])
  })

  it('should read the post meta and the excerpt before <!--more--> with link text kept', () => {
    const post = graph.posts[0]
    expect(post).toMatchObject({
      title: '데이터야놀자 2019',
      slug: 'datayanolja-2020',
      tags: ['seminar'],
      categories: ['Etc'],
      excerptText: '2020 데이터야놀자에서 듣고 메모한 내용을 적어 보았습니다.',
      date: null,
    })
    expect(graph.problems.map((problem) => problem.code)).toEqual(['missing-date'])
  })

  it('should give talk 1 its two sections', () => {
    const talk = graph.talks[0]
    const sections = talk?.sectionIds.map((id) => graph.section(id)?.title)
    expect(sections).toEqual(['모델 학습 및 서빙', '데이터 인프라'])
  })

  it('should nest bullets as written and drop empty items', () => {
    const talk = graph.talks[0]
    const bullets = (talk?.bulletIds ?? []).map((id) => graph.bullet(id))
    const bert = bullets.find((bullet) => bullet?.text === 'NLP에서 baseline이 된 BERT 사용')
    expect(bert?.depth).toBe(0)
    expect(bert?.markdown).toBe('NLP에서 baseline이 된 `BERT` 사용')
    expect(bert?.source).toMatchObject({ line: 23, column: 3, endLine: 23 })
    expect(bert?.childIds.map((id) => graph.bullet(id)?.text)).toEqual([
      '적은 데이터로 높은 성능 낼 수 있음',
      '라벨링되지 않은 데이터로 사전 학습?',
      'transformers 라이브러리 사용',
    ])
    const lambda = bullets.find((bullet) => bullet?.text === 'Lambda Architecture')
    const twoTrack = graph.bullet(lambda?.childIds[0] ?? '')
    expect(twoTrack?.text).toBe('2트랙')
    expect(twoTrack?.childIds.map((id) => graph.bullet(id)?.depth)).toEqual([2, 2])
    expect(graph.bullets.some((bullet) => bullet.text.trim() === '')).toBe(false)
    const talk4 = graph.talks[3]
    expect(talk4?.bulletIds.map((id) => graph.bullet(id)?.text)).toEqual(['클래스101'])
  })

  it('should mark talks 5, 6 and 8 as having no notes', () => {
    expect(graph.talks.filter((talk) => !talk.hasNotes).map((talk) => talk.number)).toEqual([
      5, 6, 8,
    ])
  })

  it('should link Spark, S3, Athena and Jupyter to talks 1 and 3', () => {
    for (const name of ['spark', 's3', 'athena', 'jupyter']) {
      expect(talkNumbers(name), name).toEqual([1, 3])
    }
  })

  it('should split Zeppelin/Jupyter into both technologies', () => {
    const zeppelin = graph.technologyByName('zeppelin')
    expect(zeppelin?.name).toBe('Zeppelin')
    const mention = graph.mentionsOf(zeppelin?.id ?? '')[0]
    expect(mention).toMatchObject({ kind: 'code-span', text: 'Zeppelin' })
    const jupyterInTalk1 = graph
      .mentionsOf(graph.technologyByName('jupyter')?.id ?? '')
      .filter((m) => m.talkId === graph.talks[0]?.id)
    expect(jupyterInTalk1.map((m) => m.text)).toEqual(['Jupyter'])
  })

  it('should resolve torch-serve to TorchServe', () => {
    const torchServe = graph.technologyByName('torch-serve')
    expect(torchServe?.name).toBe('TorchServe')
    expect(graph.mentionsOf(torchServe?.id ?? '').map((m) => m.text)).toEqual(['torch-serve'])
  })

  it('should find Kubernetes and Airflow in talk titles', () => {
    const kubernetes = graph.technologyByName('kubernetes')
    const airflow = graph.technologyByName('airflow')
    const headingMentions = (id: string) =>
      graph.mentionsOf(id, 'heading').map((m) => graph.talk(m.targetId)?.number)
    expect(headingMentions(kubernetes?.id ?? '')).toEqual([3])
    expect(headingMentions(airflow?.id ?? '')).toEqual([8])
    expect(talkNumbers('airflow')).toEqual([8])
  })

  it('should point every mention at its line and column', () => {
    const torchServe = graph.technologyByName('TorchServe')
    const mention = graph.mentionsOf(torchServe?.id ?? '')[0]
    expect(mention?.source).toMatchObject({
      path: 'posts/datayanolja-2020.md',
      line: 39,
      column: 15,
    })
  })

  it('should relate technologies mentioned in the same talks', () => {
    const spark = graph.technologyByName('spark')
    const related = graph.related(spark?.id ?? '')
    const athena = related.find((entry) => entry.technology.slug === 'athena')
    expect(athena?.sharedTalks).toBe(2)
    expect(related[0]?.sharedTalks).toBe(2)
  })
})
