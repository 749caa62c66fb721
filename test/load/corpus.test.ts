import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))
let graph: ContentGraph

describe.runIf(existsSync(corpus))('the shared corpus of real posts', () => {
  beforeAll(async () => {
    graph = (await loadContent({ contentDir: corpus })).graph
  })

  const talksOf = (file: string) => {
    const post = graph.posts.find((candidate) => candidate.source.path === file)
    return graph.talksOfPost(post?.id ?? '')
  }

  it('should read lenient YAML that Jekyll accepts (multi-line quoted description)', () => {
    expect(graph.problems.filter((problem) => problem.severity === 'error')).toEqual([])
    const post = graph.posts.find((candidate) => candidate.source.path.startsWith('04-'))
    expect(post?.date).toBe('2018-08-29')
  })

  it('should find numbered talks grouped under keynote headings, with speakers', () => {
    const talks = talksOf('18-en-kubecon-eu-2019-day2-nofm-nested.md')
    expect(talks[0]).toMatchObject({
      number: 1,
      title: 'Stitching things together',
      speaker: 'Dan Kohn',
    })
    expect(talks.map((talk) => talk.title)).toContain('Intro to Linkerd')
  })

  it('should read "Title / Name 님" headings and ISO dates with offsets', () => {
    const talks = talksOf('11-ko-springcamp-2024-title-slash-speaker.md')
    expect(talks[0]).toMatchObject({ title: '켄트벡의 Tidy First?', speaker: '안영회' })
    const post = graph.posts.find((candidate) => candidate.source.path.startsWith('11-'))
    expect(post?.dateTime).toBe('2024-05-26T22:55:50+09:00')
  })

  it('should read setext "Session N." talks and file-name dates', () => {
    const talks = talksOf('27-ko-w3c-html5-conf-2016-v1-tags-seminar-list.md')
    expect(talks.map((talk) => [talk.number, talk.title])).toEqual([
      [4, 'Angular1 + ES6'],
      [5, 'Universal Rendering'],
    ])
  })

  it('should keep intro and closing sections at post level', () => {
    const post = graph.posts.find((candidate) => candidate.source.path.startsWith('09-'))
    const postSections = post?.sectionIds.map((id) => graph.section(id)?.title)
    expect(postSections).toEqual(['소개'])
    expect(talksOf('09-ko-if-kakao-2019-day1-nofm.md')).toHaveLength(4)
  })

  it('should read TOML front matter and Hexo front matter without an opening fence', () => {
    const zola = graph.posts.find((candidate) => candidate.source.path.startsWith('19-'))
    expect(zola).toMatchObject({ title: 'RustConf 2021', date: '2021-10-09' })
    const hexo = graph.posts.find((candidate) => candidate.source.path.startsWith('06-'))
    expect(hexo?.date).toBe('2016-11-05')
    expect(hexo?.tags.length).toBeGreaterThan(0)
  })
})
