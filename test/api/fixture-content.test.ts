import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import type { ContentServer } from '../../src/server/create-server.ts'
import { data, fixtureDir, graphOf, type Json, post, serverFor } from './request.ts'

// test/api/content holds three posts (2019 with a time and offset, 2021 with a
// day only, one undated), a user catalog and a post with broken front matter.
let graph: ContentGraph
let server: ContentServer

beforeAll(async () => {
  graph = await graphOf(fixtureDir)
  server = serverFor(graph)
})

const slugs = (connection: Json): string[] => connection.nodes.map((node: Json) => node.slug)
const titles = (connection: Json): string[] => connection.nodes.map((node: Json) => node.title)

describe('posts', () => {
  it('should read dates, times in UTC, tags, categories and front matter', async () => {
    const result = await data(
      server,
      `{
        conference: post(slug: "data-conference") { date dateTime tags categories source { path line column } }
        ml: post(slug: "ml-day-2021") { date dateTime tags categories frontMatter }
        undated: post(slug: "alpha-notes") { date dateTime tags categories }
      }`,
    )
    expect(result.conference).toEqual({
      date: '2019-10-12',
      // Written as 14:00 at +09:00: sent in UTC, as the schema says.
      dateTime: '2019-10-12T05:00:00.000Z',
      tags: ['data', 'spark'],
      categories: ['Conference'],
      source: { path: '2019-10-12-data-conference.md', line: 1, column: 1 },
    })
    expect(result.ml).toMatchObject({
      date: '2021-03-05',
      dateTime: null,
      tags: ['ml', 'data'],
      categories: ['Meetup'],
    })
    expect(result.ml.frontMatter).toMatchObject({
      title: 'ML Day',
      slug: 'ml-day-2021',
      tags: ['ml', 'data'],
    })
    expect(result.undated).toEqual({ date: null, dateTime: null, tags: [], categories: [] })
  })

  it('should order posts newest first by default, undated posts last in either direction', async () => {
    const result = await data(
      server,
      `{
        byDefault: posts { totalCount nodes { slug } }
        oldestFirst: posts(orderBy: {field: DATE, direction: ASC}) { nodes { slug } }
      }`,
    )
    expect(result.byDefault.totalCount).toBe(3)
    expect(slugs(result.byDefault)).toEqual(['ml-day-2021', 'data-conference', 'alpha-notes'])
    expect(slugs(result.oldestFirst)).toEqual(['data-conference', 'ml-day-2021', 'alpha-notes'])
  })

  it('should order posts by title ignoring case, by slug, and by talk count with ties by slug', async () => {
    const result = await data(
      server,
      `{
        title: posts(orderBy: {field: TITLE, direction: ASC}) { nodes { slug } }
        slug: posts(orderBy: {field: SLUG, direction: DESC}) { nodes { slug } }
        talks: posts(orderBy: {field: TALK_COUNT, direction: DESC}) { nodes { slug } }
        fewestTalks: posts(orderBy: {field: TALK_COUNT, direction: ASC}) { nodes { slug } }
      }`,
    )
    expect(slugs(result.title)).toEqual(['alpha-notes', 'data-conference', 'ml-day-2021'])
    expect(slugs(result.slug)).toEqual(['ml-day-2021', 'data-conference', 'alpha-notes'])
    expect(slugs(result.talks)).toEqual(['data-conference', 'alpha-notes', 'ml-day-2021'])
    expect(slugs(result.fewestTalks)).toEqual(['alpha-notes', 'ml-day-2021', 'data-conference'])
  })

  it('should filter posts by tag, tags, category, technology, search and an inclusive date range', async () => {
    const result = await data(
      server,
      `{
        tag: posts(filter: {tag: "data"}) { nodes { slug } }
        tagCase: posts(filter: {tag: "Data"}) { totalCount }
        tags: posts(filter: {tags: ["data", "spark"]}) { nodes { slug } }
        category: posts(filter: {category: "Meetup"}) { nodes { slug } }
        technology: posts(filter: {technology: "spark"}) { nodes { slug } }
        alias: posts(filter: {technology: "torch-serve"}) { nodes { slug } }
        search: posts(filter: {search: "CONFERENCE"}) { nodes { slug } }
        from: posts(filter: {dateFrom: "2020-01-01"}) { nodes { slug } }
        to: posts(filter: {dateTo: "2019-10-12"}) { nodes { slug } }
        day: posts(filter: {dateFrom: "2019-10-12", dateTo: "2019-10-12"}) { nodes { slug } }
        none: posts(filter: {dateFrom: "2019-10-13", dateTo: "2021-03-04"}) { totalCount }
        both: posts(filter: {tag: "data", category: "Conference"}) { nodes { slug } }
      }`,
    )
    expect(slugs(result.tag)).toEqual(['ml-day-2021', 'data-conference'])
    expect(result.tagCase.totalCount).toBe(0)
    expect(slugs(result.tags)).toEqual(['data-conference'])
    expect(slugs(result.category)).toEqual(['ml-day-2021'])
    // alpha-notes names Spark in its opening paragraph; undated, it comes last.
    expect(slugs(result.technology)).toEqual(['ml-day-2021', 'data-conference', 'alpha-notes'])
    expect(slugs(result.alias)).toEqual(['ml-day-2021'])
    expect(slugs(result.search)).toEqual(['data-conference'])
    expect(slugs(result.from)).toEqual(['ml-day-2021'])
    expect(slugs(result.to)).toEqual(['data-conference'])
    expect(slugs(result.day)).toEqual(['data-conference'])
    expect(result.none.totalCount).toBe(0)
    expect(slugs(result.both)).toEqual(['data-conference'])
  })

  it('should refuse a date that is not a calendar day', async () => {
    const response = await data(
      server,
      '{ posts(filter: {dateFrom: "2019-02-28"}) { totalCount } }',
    )
    expect(response.posts.totalCount).toBe(2)
    const bad = await post(server, '{ posts(filter: {dateFrom: "2019-02-30"}) { totalCount } }')
    expect(bad.errors?.[0]?.message).toMatch(/Date/)
  })

  it('should give the excerpt as plain text, Markdown or sanitized HTML', async () => {
    const result = await data(
      server,
      `{ post(slug: "ml-day-2021") {
          plain: excerpt
          markdown: excerpt(format: MARKDOWN)
          html: excerpt(format: HTML)
      } }`,
    )
    const { plain, markdown, html } = result.post
    expect(plain).toContain('Short summary with')
    expect(plain).not.toContain('**')
    expect(markdown).toContain('<script>alert(1)</script>')
    expect(markdown).toContain('javascript:alert(2)')
    expect(html).toContain('<strong>summary</strong>')
    expect(html).toContain('>a link</a>')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/javascript:/i)
  })

  it('should render the post body to sanitized HTML', async () => {
    const result = await data(server, '{ post(slug: "ml-day-2021") { html } }')
    const html: string = result.post.html
    expect(html).toContain('<h2>Talk 1: Lee - Serving models with TorchServe</h2>')
    expect(html).toContain('<table>')
    expect(html).toContain('<blockquote>')
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:/i)
  })

  it('should list post-level sections with their bullets, outside any talk', async () => {
    const result = await data(
      server,
      `{ post(slug: "alpha-notes") {
          sections { title depth talk { title } post { slug } bullets { text talk { title } section { title } } }
          talks { nodes { number title } }
      } }`,
    )
    expect(result.post.sections).toEqual([
      {
        title: 'Intro',
        depth: 2,
        talk: null,
        post: { slug: 'alpha-notes' },
        bullets: [{ text: 'Why we met', talk: null, section: { title: 'Intro' } }],
      },
      {
        title: 'Wrap-up',
        depth: 2,
        talk: null,
        post: { slug: 'alpha-notes' },
        bullets: [
          {
            text: 'See you next time at the Kafka summit',
            talk: null,
            section: { title: 'Wrap-up' },
          },
        ],
      },
    ])
    expect(result.post.talks.nodes).toEqual([
      { number: null, title: 'Scheduling with Airflow' },
      { number: null, title: 'Quantum pipelines' },
    ])
  })

  it('should list the technologies of a post, most mentioned first by default', async () => {
    const result = await data(
      server,
      `{ post(slug: "data-conference") {
          technologies { totalCount nodes { slug } }
          byName: technologies(orderBy: {field: NAME, direction: ASC}, first: 2) { nodes { slug } pageInfo { hasNextPage } }
      } }`,
    )
    const all = slugs(result.post.technologies)
    expect(new Set(all)).toEqual(new Set(['spark', 'kafka', 'kubernetes', 'zeppelin', 'jupyter']))
    expect(all[0]).toBe('spark')
    expect(slugs(result.post.byName)).toEqual(['jupyter', 'kafka'])
    expect(result.post.byName.pageInfo.hasNextPage).toBe(true)
  })
})

describe('talks', () => {
  it('should list talks in content order by default: dated posts by date, undated last', async () => {
    const result = await data(server, '{ talks { totalCount nodes { title post { slug } } } }')
    expect(result.talks.totalCount).toBe(7)
    expect(titles(result.talks)).toEqual([
      'Spark at scale',
      'Notebooks for everyone',
      'Closing panel',
      'Serving models with TorchServe',
      'Spark for ML',
      'Scheduling with Airflow',
      'Quantum pipelines',
    ])
  })

  it('should reverse content order with DESC, keeping undated posts last', async () => {
    const result = await data(
      server,
      '{ talks(orderBy: {field: POSITION, direction: DESC}) { nodes { title } } }',
    )
    expect(titles(result.talks)).toEqual([
      'Spark for ML',
      'Serving models with TorchServe',
      'Closing panel',
      'Notebooks for everyone',
      'Spark at scale',
      'Quantum pipelines',
      'Scheduling with Airflow',
    ])
  })

  it('should order talks by number with unnumbered ones last, ties by position', async () => {
    const result = await data(
      server,
      `{
        up: talks(orderBy: {field: NUMBER, direction: ASC}) { nodes { number title } }
        down: talks(orderBy: {field: NUMBER, direction: DESC}) { nodes { number title } }
      }`,
    )
    expect(result.up.nodes.map((talk: Json) => talk.number)).toEqual([1, 1, 2, 2, 3, null, null])
    expect(titles(result.up).slice(0, 2)).toEqual([
      'Spark at scale',
      'Serving models with TorchServe',
    ])
    expect(result.down.nodes.map((talk: Json) => talk.number)).toEqual([3, 2, 2, 1, 1, null, null])
    expect(titles(result.down).slice(-2)).toEqual(['Scheduling with Airflow', 'Quantum pipelines'])
  })

  it('should order talks by title ignoring case, and by bullet count', async () => {
    const result = await data(
      server,
      `{
        title: talks(orderBy: {field: TITLE, direction: ASC}) { nodes { title } }
        bullets: talks(orderBy: {field: BULLET_COUNT, direction: DESC}, first: 2) { nodes { title bullets { totalCount } } }
        fewest: talks(orderBy: {field: BULLET_COUNT, direction: ASC}, first: 1) { nodes { title } }
      }`,
    )
    expect(titles(result.title)).toEqual([
      'Closing panel',
      'Notebooks for everyone',
      'Quantum pipelines',
      'Scheduling with Airflow',
      'Serving models with TorchServe',
      'Spark at scale',
      'Spark for ML',
    ])
    expect(result.bullets.nodes).toEqual([
      { title: 'Serving models with TorchServe', bullets: { totalCount: 6 } },
      { title: 'Spark at scale', bullets: { totalCount: 4 } },
    ])
    expect(titles(result.fewest)).toEqual(['Closing panel'])
  })

  it('should filter talks by post, notes, speaker and title, ignoring case', async () => {
    const result = await data(
      server,
      `{
        post: talks(filter: {post: "ml-day-2021"}) { nodes { title speaker } }
        missingPost: talks(filter: {post: "nope"}) { totalCount }
        empty: talks(filter: {hasNotes: false}) { nodes { title hasNotes } }
        speaker: talks(filter: {speaker: "KIM"}) { nodes { title } }
        speakerPart: talks(filter: {speaker: "e"}) { nodes { speaker } }
        search: talks(filter: {search: "spark"}) { nodes { title } }
        combined: talks(filter: {search: "spark", technology: "kubernetes"}) { nodes { title } }
      }`,
    )
    expect(result.post.nodes).toEqual([
      { title: 'Serving models with TorchServe', speaker: 'Lee' },
      { title: 'Spark for ML', speaker: 'Park' },
    ])
    expect(result.missingPost.totalCount).toBe(0)
    expect(result.empty.nodes).toEqual([{ title: 'Closing panel', hasNotes: false }])
    expect(titles(result.speaker)).toEqual(['Spark at scale'])
    expect(result.speakerPart.nodes).toEqual([{ speaker: 'Lee' }])
    expect(titles(result.search)).toEqual(['Spark at scale', 'Spark for ML'])
    expect(titles(result.combined)).toEqual(['Spark at scale', 'Spark for ML'])
  })

  it('should filter a talk’s bullets by kind and depth', async () => {
    const result = await data(
      server,
      `{
        ml: talks(filter: {post: "ml-day-2021"}, first: 1) { nodes {
          bullets { nodes { kind } }
          quotes: bullets(kind: QUOTE) { nodes { text } }
        } }
        conference: talks(filter: {speaker: "Kim"}) { nodes {
          top: bullets(depth: 0) { totalCount }
          nested: bullets(depth: 1) { nodes { text parent { text } } }
          nestedItems: bullets(depth: 1, kind: ITEM) { totalCount }
          nestedCode: bullets(depth: 1, kind: CODE) { totalCount }
        } }
      }`,
    )
    const ml = result.ml.nodes[0]
    expect(ml.bullets.nodes.map((bullet: Json) => bullet.kind)).toEqual([
      'ITEM',
      'ITEM',
      'QUOTE',
      'CODE',
      'TABLE',
      'HTML',
    ])
    expect(ml.quotes.nodes).toEqual([{ text: 'A quote about PyTorch' }])
    const conference = result.conference.nodes[0]
    expect(conference.top.totalCount).toBe(3)
    expect(conference.nested.nodes).toEqual([
      {
        text: 'nested point about streaming and batch',
        parent: { text: 'Using Spark with Kafka' },
      },
    ])
    expect(conference.nestedItems.totalCount).toBe(1)
    expect(conference.nestedCode.totalCount).toBe(0)
  })

  it('should give a talk its sections, technologies, Markdown, HTML and source', async () => {
    const result = await data(
      server,
      `{ talks(filter: {speaker: "Kim"}) { nodes {
          number title speaker hasNotes
          post { slug }
          sections { title depth talk { number } post { slug } bullets { text section { title } } source { line } }
          technologies { slug }
          markdown html
          source { path line column endLine }
      } } }`,
    )
    const talk = result.talks.nodes[0]
    expect(talk).toMatchObject({
      number: 1,
      title: 'Spark at scale',
      speaker: 'Kim',
      hasNotes: true,
    })
    expect(talk.post.slug).toBe('data-conference')
    expect(talk.sections).toEqual([
      {
        title: 'Deploying',
        depth: 3,
        talk: { number: 1 },
        post: { slug: 'data-conference' },
        bullets: [{ text: 'Runs on Kubernetes', section: { title: 'Deploying' } }],
        source: { line: 19 },
      },
    ])
    expect(talk.technologies.map((technology: Json) => technology.slug)).toEqual([
      'spark',
      'kafka',
      'kubernetes',
    ])
    expect(talk.markdown).toMatch(/^## 1\. Spark at scale \/ Kim 님\n/)
    expect(talk.html).toContain('<h2>1. Spark at scale / Kim 님</h2>')
    expect(talk.html).toContain('<h3>Deploying</h3>')
    expect(talk.source).toEqual({
      path: '2019-10-12-data-conference.md',
      line: 13,
      column: 1,
      // Its last note, `- Runs on Kubernetes`, is on line 21.
      endLine: 21,
    })
  })
})

describe('bullets', () => {
  it('should keep nesting, emphasis and only absolute links', async () => {
    const result = await data(
      server,
      `{ talks(filter: {speaker: "Kim"}) { nodes { bullets { nodes {
          text markdown html depth kind emphasis
          links { url text }
          parent { text } children { text }
          post { slug } talk { number } section { title }
          technologies { slug }
          source { path line column endLine endColumn }
      } } } } }`,
    )
    const [first, nested, links, deploying] = result.talks.nodes[0].bullets.nodes
    expect(first).toMatchObject({
      text: 'Using Spark with Kafka',
      depth: 0,
      kind: 'ITEM',
      emphasis: [],
      links: [],
      parent: null,
      children: [{ text: 'nested point about streaming and batch' }],
      post: { slug: 'data-conference' },
      talk: { number: 1 },
      section: null,
      technologies: [{ slug: 'spark' }, { slug: 'kafka' }],
      source: { path: '2019-10-12-data-conference.md', line: 15 },
    })
    expect(first.markdown).toContain('Using `Spark` with `Kafka`')
    expect(first.markdown).not.toContain('nested point')
    expect(first.html).toContain('Using <code>Spark</code> with <code>Kafka</code>')
    expect(first.html).not.toContain('nested point')
    expect(nested).toMatchObject({
      depth: 1,
      emphasis: ['streaming', 'batch'],
      parent: { text: 'Using Spark with Kafka' },
      children: [],
      technologies: [],
    })
    // Relative links and anchors are left out of `links`, but stay in the HTML.
    expect(links.links).toEqual([
      { url: 'https://spark.apache.org/docs', text: 'the docs' },
      { url: 'mailto:team@example.com', text: 'mailto:team@example.com' },
    ])
    expect(links.html).toContain('href="/relative/path"')
    expect(links.html).toContain('href="#top"')
    expect(deploying).toMatchObject({ text: 'Runs on Kubernetes', section: { title: 'Deploying' } })
  })

  it('should sanitize raw HTML out of bullets: no script, no event handlers', async () => {
    const result = await data(
      server,
      `{ talks(filter: {speaker: "Lee"}) { nodes { bullets { nodes { kind text markdown html } } } } }`,
    )
    const bullets: Json[] = result.talks.nodes[0].bullets.nodes
    const image = bullets[1]
    expect(image.markdown).toContain('onerror')
    expect(image.html).toContain('inline image')
    expect(image.html).not.toMatch(/<img|onerror|alert/i)
    const raw = bullets.find((bullet) => bullet.kind === 'HTML')
    expect(raw.markdown).toContain('<script>')
    expect(raw.html).not.toMatch(/<script|onclick|alert/i)
    const code = bullets.find((bullet) => bullet.kind === 'CODE')
    expect(code.text).toBe('print("hi")')
    expect(code.html).toContain('<code class="language-python">')
    const table = bullets.find((bullet) => bullet.kind === 'TABLE')
    expect(table.html).toContain('<th>tool</th>')
  })
})

describe('technologies', () => {
  it('should order technologies by mentions by default, ties by slug', async () => {
    const result = await data(
      server,
      '{ technologies(first: 3) { totalCount nodes { slug mentionCount } } }',
    )
    expect(result.technologies.totalCount).toBe(graph.technologies.length)
    expect(result.technologies.nodes).toEqual([
      { slug: 'spark', mentionCount: 5 },
      { slug: 'airflow', mentionCount: 3 },
      { slug: 'kafka', mentionCount: 2 },
    ])
  })

  it('should order technologies by name ignoring case, and by talk count', async () => {
    const result = await data(
      server,
      `{
        name: technologies(orderBy: {field: NAME, direction: ASC}, first: 4) { nodes { name } }
        talks: technologies(orderBy: {field: TALK_COUNT, direction: DESC}, first: 3) { nodes { slug talkCount } }
        mentions: technologies(orderBy: {field: MENTION_COUNT, direction: ASC}, first: 1) { nodes { slug } }
      }`,
    )
    expect(result.name.nodes.map((node: Json) => node.name)).toEqual([
      'Airflow',
      'Frobnicator',
      'frobnicator-cli',
      'Jupyter',
    ])
    expect(result.talks.nodes).toEqual([
      { slug: 'kubernetes', talkCount: 2 },
      { slug: 'spark', talkCount: 2 },
      { slug: 'airflow', talkCount: 1 },
    ])
    expect(slugs(result.mentions)).toEqual(['frobnicator'])
  })

  it('should filter technologies by category, name or alias, mentions and catalog', async () => {
    const result = await data(
      server,
      `{
        ml: technologies(filter: {category: ML}, orderBy: {field: NAME, direction: ASC}) { nodes { slug category } }
        frob: technologies(filter: {name: "FROB"}, orderBy: {field: NAME, direction: ASC}) { nodes { slug } }
        alias: technologies(filter: {name: "torch-serve"}) { nodes { slug } }
        busy: technologies(filter: {minMentions: 3}) { nodes { slug } }
        seen: technologies(filter: {inCatalog: false}) { nodes { slug isInCatalog category homepage aliases } }
        both: technologies(filter: {category: DATA, minMentions: 2}) { nodes { slug } }
      }`,
    )
    expect(result.ml.nodes).toEqual([
      { slug: 'mllib', category: 'ML' },
      { slug: 'pytorch', category: 'ML' },
      { slug: 'torchserve', category: 'ML' },
    ])
    expect(slugs(result.frob)).toEqual(['frobnicator', 'frobnicator-cli'])
    expect(slugs(result.alias)).toEqual(['torchserve'])
    expect(slugs(result.busy)).toEqual(['spark', 'airflow'])
    expect(result.seen.nodes).toEqual([
      { slug: 'frobnicator-cli', isInCatalog: false, category: null, homepage: null, aliases: [] },
    ])
    expect(slugs(result.both)).toEqual(['spark', 'airflow', 'kafka'])
  })

  it('should take a user catalog entry, showing null for a homepage that is not a URL', async () => {
    const result = await data(
      server,
      `{
        frob: technology(slug: "frob") { slug name aliases category homepage isInCatalog mentions { nodes { text } } }
        spark: technology(slug: "spark") { homepage }
      }`,
    )
    expect(result.frob).toEqual({
      slug: 'frobnicator',
      name: 'Frobnicator',
      aliases: ['frob'],
      category: 'TOOL',
      homepage: null,
      isInCatalog: true,
      mentions: { nodes: [{ text: 'frob' }] },
    })
    expect(result.spark.homepage).toMatch(/^https:\/\/spark\.apache\.org\/?$/)
  })

  it('should list mentions in content order, with a null talk outside talks', async () => {
    const result = await data(
      server,
      `{
        spark: technology(slug: "spark") { mentions { nodes { kind text post { slug } talk { title } target { __typename } } } }
        kafka: technology(slug: "kafka") { mentions { nodes { talk { title } target { ... on Bullet { text section { title } } } source { path line column } } } }
        codeOnly: technology(slug: "spark") { mentions(kind: CATALOG) { totalCount } }
      }`,
    )
    const spark = result.spark.mentions.nodes
    expect(spark.map((mention: Json) => mention.post.slug)).toEqual([
      'data-conference',
      'data-conference',
      'ml-day-2021',
      'ml-day-2021',
      'alpha-notes',
    ])
    expect(spark[0]).toEqual({
      kind: 'HEADING',
      text: 'Spark',
      post: { slug: 'data-conference' },
      talk: { title: 'Spark at scale' },
      target: { __typename: 'Talk' },
    })
    expect(result.kafka.mentions.nodes[1]).toEqual({
      talk: null,
      target: { text: 'See you next time at the Kafka summit', section: { title: 'Wrap-up' } },
      source: { path: 'alpha-notes.md', line: expect.any(Number), column: expect.any(Number) },
    })
    expect(result.codeOnly.mentions.totalCount).toBe(1)
  })

  it('should list the talks and posts of a technology, ordered as asked', async () => {
    const result = await data(
      server,
      `{ technology(slug: "kafka") {
          posts { nodes { slug } }
          byTitle: posts(orderBy: {field: TITLE, direction: ASC}) { nodes { slug } }
          talks { nodes { title } }
      }
      spark: technology(slug: "spark") {
          talks(orderBy: {field: POSITION, direction: DESC}) { nodes { title } }
          posts(orderBy: {field: DATE, direction: ASC}) { nodes { slug } }
      } }`,
    )
    expect(slugs(result.technology.posts)).toEqual(['data-conference', 'alpha-notes'])
    expect(slugs(result.technology.byTitle)).toEqual(['alpha-notes', 'data-conference'])
    expect(titles(result.technology.talks)).toEqual(['Spark at scale'])
    expect(titles(result.spark.talks)).toEqual(['Spark for ML', 'Spark at scale'])
    expect(slugs(result.spark.posts)).toEqual(['data-conference', 'ml-day-2021', 'alpha-notes'])
  })

  it('should give related technologies by shared talks, ties by name, 10 by default', async () => {
    const result = await data(
      server,
      `{ technology(slug: "spark") {
          related { technology { slug } sharedTalks }
          one: related(first: 1) { technology { slug } sharedTalks }
      } }`,
    )
    expect(result.technology.related[0]).toEqual({
      technology: { slug: 'kubernetes' },
      sharedTalks: 2,
    })
    expect(result.technology.related.slice(1).map((entry: Json) => entry.sharedTalks)).toEqual(
      result.technology.related.slice(1).map(() => 1),
    )
    expect(result.technology.related.map((entry: Json) => entry.technology.slug)).toEqual([
      'kubernetes',
      'kafka',
      'mllib',
    ])
    expect(result.technology.one).toEqual([{ technology: { slug: 'kubernetes' }, sharedTalks: 2 }])
  })
})

describe('tags, categories and problems', () => {
  it('should list tags by post count, ties by name, with their posts newest first', async () => {
    const result = await data(
      server,
      `{
        tags { totalCount nodes { name postCount posts { nodes { slug } } } }
        categories { totalCount nodes { name postCount posts(orderBy: {field: SLUG, direction: ASC}) { totalCount nodes { slug } } } }
      }`,
    )
    expect(result.tags.totalCount).toBe(3)
    expect(result.tags.nodes).toEqual([
      {
        name: 'data',
        postCount: 2,
        posts: { nodes: [{ slug: 'ml-day-2021' }, { slug: 'data-conference' }] },
      },
      { name: 'ml', postCount: 1, posts: { nodes: [{ slug: 'ml-day-2021' }] } },
      { name: 'spark', postCount: 1, posts: { nodes: [{ slug: 'data-conference' }] } },
    ])
    expect(result.categories.nodes).toEqual([
      {
        name: 'Conference',
        postCount: 1,
        posts: { totalCount: 1, nodes: [{ slug: 'data-conference' }] },
      },
      { name: 'Meetup', postCount: 1, posts: { totalCount: 1, nodes: [{ slug: 'ml-day-2021' }] } },
    ])
  })

  it('should list problems by path with their severity, and filter by severity', async () => {
    const result = await data(
      server,
      `{
        problems { totalCount nodes { path line severity code } }
        errors: problems(severity: ERROR) { nodes { path line column code message } }
        stats { posts problems errors warnings }
      }`,
    )
    expect(result.problems.nodes).toEqual([
      { path: 'alpha-notes.md', line: 1, severity: 'WARNING', code: 'missing-date' },
      { path: 'broken.md', line: 3, severity: 'ERROR', code: 'yaml-syntax' },
    ])
    expect(result.errors.nodes).toEqual([
      {
        path: 'broken.md',
        line: 3,
        column: expect.any(Number),
        code: 'yaml-syntax',
        message: expect.stringContaining('YAML'),
      },
    ])
    expect(result.stats).toEqual({ posts: 3, problems: 2, errors: 1, warnings: 1 })
  })
})
