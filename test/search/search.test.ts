import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { extractPost } from '../../src/extract/post.ts'
import { type ContentGraph, createContentGraph } from '../../src/graph/content-graph.ts'
import { loadSnapshot, writeSnapshot } from '../../src/load/snapshot.ts'
import { hasSearchIndex, searchIndexOf } from '../../src/search/index.ts'
import { type ContentServer, createContentServer } from '../../src/server/create-server.ts'
import { data, errorsOf, graphOf, type Json, post, serverFor } from '../api/request.ts'
import { catalog } from '../helpers/fixtures.ts'

/** Two small posts owned by these tests: one Korean, one English. */
const contentDir = fileURLToPath(new URL('./content/', import.meta.url))
const koreanFile = '2024-05-01-data-day.md'
const englishFile = '2024-06-10-kubecon.md'

const searchQuery = /* GraphQL */ `
  query Search($query: String!, $filter: SearchFilter, $first: Int, $after: String) {
    search(query: $query, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        score
        node {
          __typename
          ... on Post { slug title }
          ... on Talk { title }
          ... on Section { title }
          ... on Bullet { text }
        }
        highlights {
          field snippet
          ranges { start end }
          source { path line column endLine endColumn }
        }
      }
    }
  }
`

let graph: ContentGraph
let server: ContentServer

beforeAll(async () => {
  graph = await graphOf(contentDir)
  server = serverFor(graph)
})

/** The search connection for a query. */
async function search(
  query: string,
  variables: Record<string, unknown> = {},
  on: ContentServer = server,
): Promise<Json> {
  return (await data(on, searchQuery, { query, ...variables })).search
}

/** What each hit shows: its node's title or text. */
function shown(connection: Json): string[] {
  return connection.nodes.map((hit: Json) => hit.node.title ?? hit.node.text ?? hit.node.slug)
}

/**
 * Hits other than posts: a post's excerpt repeats its first note, so a post
 * also matches what its first bullet says.
 */
const belowPosts = { filter: { kinds: ['TALK', 'SECTION', 'BULLET'] } }

/** The 1-based line and column of a text in a content file. */
function placeOf(file: string, text: string): { line: number; column: number } {
  const lines = readFileSync(path.join(contentDir, file), 'utf8').split('\n')
  const line = lines.findIndex((candidate) => candidate.includes(text))
  return { line: line + 1, column: (lines[line] ?? '').indexOf(text) + 1 }
}

describe('Query.search', () => {
  it('should find a Hangul word inside longer runs with particles and endings', async () => {
    const found = shown(await search('플랫폼'))
    expect(found).toContain('우리 회사의 데이터 플랫폼을 소개합니다')
    expect(found).toContain('데이터 플랫폼에서 Spark로 배치를 돌린다')
    expect(found).toContain('데이터 플랫폼 세미나 후기')
  })

  it('should drop a particle from a query word', async () => {
    expect(shown(await search('노드를'))).toEqual(['노드는 자동으로 늘어난다'])
  })

  it('should split Latin words from the Hangul glued to them, in text and query alike', async () => {
    expect(shown(await search('spark', belowPosts))).toEqual([
      '데이터 플랫폼에서 Spark로 배치를 돌린다',
    ])
    expect(shown(await search('Spark로', belowPosts))).toEqual([
      '데이터 플랫폼에서 Spark로 배치를 돌린다',
    ])
  })

  it('should fold case and full-width forms', async () => {
    expect(shown(await search('ＳＰＡＲＫ', belowPosts))).toEqual([
      '데이터 플랫폼에서 Spark로 배치를 돌린다',
    ])
    expect(shown(await search('클러스터'))).toEqual([
      'Ｋｕｂｅｒｎｅｔｅｓ 클러스터 하나로 시작했다',
    ])
    expect(shown(await search('kubernetes 클러스터'))).toEqual([
      'Ｋｕｂｅｒｎｅｔｅｓ 클러스터 하나로 시작했다',
    ])
  })

  it('should expand technology aliases both ways', async () => {
    const fromKorean = shown(await search('쿠버네티스'))
    expect(fromKorean).toContain('We run Kubernetes in three regions.')
    expect(fromKorean).toContain('Scaling k8s at Example Corp')
    expect(fromKorean).toContain('쿠버네티스 위에서 운영한다')
    const fromShort = shown(await search('k8s'))
    expect(fromShort).toContain('쿠버네티스 위에서 운영한다')
    expect(fromShort).toContain('We run Kubernetes in three regions.')
  })

  it('should find a loanword written in Hangul by its English word, and the reverse', async () => {
    expect(shown(await search('코루틴', belowPosts))).toEqual(['Coroutine deep dive'])
    expect(shown(await search('monitoring ', { filter: { kinds: ['TALK'] } }))).toEqual([
      '모니터링 이야기',
    ])
  })

  it('should rank text written as the query was above another spelling of it', async () => {
    const bullets = { filter: { kinds: ['BULLET'] } }
    expect(shown(await search('모니터링', bullets))).toEqual([
      '모니터링 알림을 반으로 줄였다',
      'Monitoring alerts were cut in half',
    ])
    expect(shown(await search('monitoring', bullets))).toEqual([
      'Monitoring alerts were cut in half',
      '모니터링 알림을 반으로 줄였다',
    ])
  })

  it('should match English words with their plural or possessive ending', async () => {
    expect(shown(await search('netflix ', belowPosts))).toEqual([
      "Netflix's failover runs in seven minutes",
    ])
    const [hit] = (await search('data space ', belowPosts)).nodes
    expect(hit.node.text).toBe('Data spaces for every region')
    const [highlight] = hit.highlights
    expect(
      highlight.ranges.map(({ start, end }: Json) => highlight.snippet.slice(start, end)),
    ).toEqual(['Data', 'spaces'])
  })

  it('should require every word', async () => {
    expect(shown(await search('kubernetes regions', belowPosts))).toEqual([
      'We run Kubernetes in three regions.',
    ])
    expect(shown(await search('kubernetes nowhere'))).toEqual([])
  })

  it('should find a section whose bullets hold the words only between them', async () => {
    // `feature` and `클러스터` stand in two bullets of the section `배경`.
    expect(shown(await search('feature 클러스터'))).toEqual(['배경'])
    expect(shown(await search('feature 클러스터', { filter: { kinds: ['BULLET'] } }))).toEqual([])
  })

  it('should match quoted phrases as written, and rank adjacent words first without quotes', async () => {
    const phrase = shown(await search('"service mesh"'))
    expect(phrase).toEqual([
      'Service mesh adoption was slow at first,\nand latency dropped after moving to a service mesh.',
    ])
    const words = shown(await search('service mesh '))
    expect(words).toEqual([
      'Service mesh adoption was slow at first,\nand latency dropped after moving to a service mesh.',
      'The service team built a mesh of scripts.',
    ])
  })

  it('should leave out hits holding an excluded word or phrase', async () => {
    const all = shown(await search('kubernetes'))
    expect(all).toContain('We run Kubernetes in three regions.')
    const without = shown(await search('kubernetes -regions'))
    expect(without).not.toContain('We run Kubernetes in three regions.')
    expect(without).toContain('쿠버네티스 위에서 운영한다')
    expect(shown(await search('mesh -"service mesh"'))).toEqual([
      'The service team built a mesh of scripts.',
    ])
  })

  it('should match the last word as a prefix while it is typed, and whole after a space', async () => {
    expect(shown(await search('kuber'))).toContain('We run Kubernetes in three regions.')
    expect(shown(await search('kuber '))).toEqual([])
    expect(shown(await search('observab'))).toEqual(['Observability for everyone'])
  })

  it('should highlight matches with ranges into the snippet and the lines and columns of the file', async () => {
    const [hit] = (await search('플랫폼에서', { filter: { kinds: ['BULLET'] } })).nodes
    expect(hit.node.text).toBe('데이터 플랫폼에서 Spark로 배치를 돌린다')
    const [highlight] = hit.highlights
    expect(highlight.field).toBe('TEXT')
    expect(highlight.ranges).toEqual([{ start: 4, end: 7 }])
    expect(highlight.snippet.slice(4, 7)).toBe('플랫폼')
    const place = placeOf(koreanFile, '플랫폼에서 Spark로')
    expect(highlight.source).toEqual({
      path: koreanFile,
      line: place.line,
      column: place.column,
      endLine: place.line,
      endColumn: place.column + 3,
    })
  })

  it('should point a highlight on a continuation line at that line', async () => {
    const [hit] = (await search('latency')).nodes
    const [highlight] = hit.highlights
    const { start, end } = highlight.ranges[0]
    expect(highlight.snippet.slice(start, end)).toBe('latency')
    const place = placeOf(englishFile, 'latency dropped')
    expect(highlight.source).toMatchObject({ line: place.line, column: place.column })
  })

  it('should highlight a talk title on its heading line, and aliases as written', async () => {
    const connection = await search('쿠버네티스', { filter: { kinds: ['TALK'] } })
    const [hit] = connection.nodes
    expect(hit.node).toEqual({ __typename: 'Talk', title: 'Scaling k8s at Example Corp' })
    const [highlight] = hit.highlights
    expect(highlight.field).toBe('TALK_TITLE')
    expect(highlight.ranges).toEqual([{ start: 8, end: 11 }])
    const place = placeOf(englishFile, 'k8s at Example')
    expect(highlight.source).toMatchObject({ line: place.line, column: place.column })
  })

  it('should highlight whole Latin words only', async () => {
    // With a space after it, `a` is a whole word, not a prefix being typed.
    const [hit] = (await search('a ', { filter: { kinds: ['BULLET'] } })).nodes
    for (const highlight of hit.highlights) {
      for (const { start, end } of highlight.ranges) {
        expect(highlight.snippet.slice(start, end)).toBe('a')
        expect(highlight.snippet[start - 1] ?? ' ').not.toMatch(/[a-z]/i)
        expect(highlight.snippet[end] ?? ' ').not.toMatch(/[a-z]/i)
      }
    }
  })

  it('should filter hits by kind, post, tag, category, technology and date', async () => {
    const kinds = await search('쿠버네티스', { filter: { kinds: ['TALK', 'POST'] } })
    const types = kinds.nodes.map((hit: Json) => hit.node.__typename)
    expect(types).toContain('Talk')
    expect(types.filter((type: string) => type !== 'Talk' && type !== 'Post')).toEqual([])
    const inPost = shown(await search('쿠버네티스', { filter: { post: 'data-day' } }))
    expect(inPost).not.toContain('We run Kubernetes in three regions.')
    expect(inPost).toContain('쿠버네티스 위에서 운영한다')
    expect(shown(await search('쿠버네티스', { filter: { tag: 'cloud' } }))).not.toContain(
      '쿠버네티스 위에서 운영한다',
    )
    expect(shown(await search('쿠버네티스', { filter: { category: 'conference' } }))).toContain(
      '쿠버네티스 위에서 운영한다',
    )
    expect(shown(await search('쿠버네티스', { filter: { technology: 'spark' } }))).not.toContain(
      'We run Kubernetes in three regions.',
    )
    const june = shown(await search('쿠버네티스', { filter: { dateFrom: '2024-06-01' } }))
    expect(june).toContain('We run Kubernetes in three regions.')
    expect(june).not.toContain('쿠버네티스 위에서 운영한다')
  })

  it('should page through hits with stable order and cursors', async () => {
    const all = await search('쿠버네티스', { first: 100 })
    const first = await search('쿠버네티스', { first: 2 })
    expect(first.totalCount).toBe(all.totalCount)
    expect(first.pageInfo.hasNextPage).toBe(true)
    const next = await search('쿠버네티스', { first: 100, after: first.pageInfo.endCursor })
    expect([...shown(first), ...shown(next)]).toEqual(shown(all))
    const scores = all.nodes.map((hit: Json) => hit.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })

  it('should read bad syntax as words, never as an error', async () => {
    expect(shown(await search('"service mesh'))).toContain(
      'The service team built a mesh of scripts.',
    )
    expect(shown(await search('- mesh -'))).toContain('The service team built a mesh of scripts.')
    expect(shown(await search('""'))).toEqual([])
  })
})

describe('filter.search on posts and talks', () => {
  it('should find posts by any of their text, not only titles', async () => {
    const result = await data(
      server,
      '{ posts(filter: {search: "노드"}) { nodes { slug } } talks(filter: {search: "latency"}) { nodes { title } } }',
    )
    expect(result.posts.nodes).toEqual([{ slug: 'data-day' }])
    expect(result.talks.nodes).toEqual([{ title: 'Scaling k8s at Example Corp' }])
  })

  it('should expand aliases and drop particles as Query.search does', async () => {
    const result = await data(
      server,
      '{ posts(filter: {search: "쿠버네티스를"}) { nodes { slug } } talks(filter: {search: "k8s"}) { nodes { title } } }',
    )
    expect(result.posts.nodes.map((node: Json) => node.slug).sort()).toEqual([
      'data-day',
      'kubecon',
    ])
    expect(result.talks.nodes.map((node: Json) => node.title)).toContain(
      '우리 회사의 데이터 플랫폼을 소개합니다',
    )
  })
})

describe('filter.search left empty', () => {
  it('should not filter', async () => {
    const result = await data(server, '{ posts(filter: {search: "  "}) { totalCount } }')
    expect(result.posts.totalCount).toBe(graph.posts.length)
  })
})

describe('hostile queries', () => {
  it('should refuse a 10,000-character query with SEARCH_QUERY_TOO_LONG', async () => {
    const errors = await errorsOf(server, searchQuery, { query: 'a'.repeat(10_000) })
    expect(errors[0]?.extensions).toMatchObject({ code: 'SEARCH_QUERY_TOO_LONG', limit: 256 })
    const onPosts = await errorsOf(
      server,
      '{ posts(filter: {search: $q}) { totalCount } }'.replace(
        '$q',
        JSON.stringify('가'.repeat(5000)),
      ),
    )
    expect(onPosts[0]?.extensions).toMatchObject({ code: 'SEARCH_QUERY_TOO_LONG' })
  })

  it('should refuse thousands of words with SEARCH_QUERY_TOO_LONG', async () => {
    const words = Array.from({ length: 2000 }, (_, index) => `w${index}`).join(' ')
    const errors = await errorsOf(server, searchQuery, { query: words })
    expect(errors[0]?.extensions).toMatchObject({ code: 'SEARCH_QUERY_TOO_LONG' })
    const many = Array.from({ length: 100 }, () => 'a').join(' ')
    const tooMany = await errorsOf(server, searchQuery, { query: many })
    expect(tooMany[0]?.extensions).toMatchObject({ code: 'SEARCH_QUERY_TOO_LONG', limit: 32 })
  })

  it('should answer a query of only punctuation with nothing', async () => {
    const found = await search('!!! ??? ... --- """ ((( )))')
    expect(found.totalCount).toBe(0)
  })

  it('should read regular expression metacharacters as text', async () => {
    const response = await post(server, searchQuery, { query: '(a+)+$ .* [ \\ ^ | ?' })
    expect(response.errors).toBeUndefined()
    expect(shown(response.data.search)).toContain('Patterns like (a+)+ and [.*] appear in logs')
  })

  it('should fit the largest page of hits and highlights within the cost limit', async () => {
    const found = await search('a', { first: 100 })
    expect(found.totalCount).toBeGreaterThan(0)
  })
})

describe('search across snapshots', () => {
  /** A post as the reader reads it. */
  const read = (file: string, text: string) => {
    const result = extractPost({ path: file, text }, { catalog })
    if (!result.post) throw new Error(`fixture post did not read: ${file}`)
    return result.post
  }
  const bulletsOnly = { filter: { kinds: ['BULLET'] } }
  const text = (note: string) =>
    `---\ntitle: Notes\ndate: 2024-01-02\n---\n## 1. A talk\n\n- ${note}\n`

  it('should update the index for the changed post only, and keep each snapshot consistent', async () => {
    const a = read('a.md', text('Airflow runs the batch'))
    const b = read('b.md', text('Kafka carries the events'))
    const before = createContentGraph({ posts: [a, b], catalog, problems: [] })
    const beforeServer = serverFor(before)
    expect(shown(await search('airflow', bulletsOnly, beforeServer))).toEqual([
      'Airflow runs the batch',
    ])
    const indexedBefore = searchIndexOf(before).documentCount

    const edited = read('a.md', text('Dagster runs the batch now'))
    const after = createContentGraph({
      posts: [edited, b],
      catalog,
      problems: [],
      previous: { graph: before, changed: new Set(['a.md']) },
    })
    const afterServer = serverFor(after)
    expect(shown(await search('airflow', bulletsOnly, afterServer))).toEqual([])
    expect(shown(await search('dagster', bulletsOnly, afterServer))).toEqual([
      'Dagster runs the batch now',
    ])
    expect(shown(await search('kafka', bulletsOnly, afterServer))).toEqual([
      'Kafka carries the events',
    ])
    // The earlier snapshot still answers as it did: no half of the update shows.
    expect(shown(await search('airflow', bulletsOnly, beforeServer))).toEqual([
      'Airflow runs the batch',
    ])
    expect(shown(await search('dagster', bulletsOnly, beforeServer))).toEqual([])
    // Only the edited post's documents were added, not the whole corpus again.
    const added = searchIndexOf(after).documentCount - indexedBefore
    expect(added).toBe(
      searchIndexOf(createContentGraph({ posts: [edited], catalog, problems: [] })).documentCount,
    )

    const removed = createContentGraph({
      posts: [edited],
      catalog,
      problems: [],
      previous: { graph: after, changed: new Set(['b.md']) },
    })
    expect(shown(await search('kafka', bulletsOnly, serverFor(removed)))).toEqual([])
    expect(shown(await search('kafka', bulletsOnly, afterServer))).toEqual([
      'Kafka carries the events',
    ])
  })

  it('should rank a relinked snapshot as one indexed from scratch', async () => {
    const a = read('a.md', text('Spark jobs on Kubernetes'))
    const b = read('b.md', text('Spark streaming with Kafka'))
    const c = read('c.md', text('Kubernetes operators'))
    const first = createContentGraph({ posts: [a, b], catalog, problems: [] })
    searchIndexOf(first)
    const relinked = createContentGraph({
      posts: [a, b, c],
      catalog,
      problems: [],
      previous: { graph: first, changed: new Set(['c.md']) },
    })
    const fresh = createContentGraph({ posts: [a, b, c], catalog, problems: [] })
    const ids = (graph: ContentGraph, query: string) =>
      searchIndexOf(graph)
        .search(query)
        .map((hit) => hit.node.value.id)
    for (const query of ['kubernetes', 'spark', 'spark kafka', '쿠버네티스']) {
      expect(ids(relinked, query)).toEqual(ids(fresh, query))
    }
  })
})

describe('search in a served, watched folder', () => {
  it('should index each snapshot before serving it, updating only the saved post', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-search-'))
    const note = (text: string) =>
      `---\ntitle: Notes\ndate: 2024-01-02\n---\n## 1. A talk\n\n- ${text}\n`
    await writeFile(path.join(dir, 'a.md'), note('Airflow runs the batch'))
    await writeFile(path.join(dir, 'b.md'), note('Kafka carries the events'))
    let changed: (graph: ContentGraph) => void = () => {}
    const next = new Promise<ContentGraph>((resolve) => {
      changed = resolve
    })
    const served = createContentServer({
      contentDir: dir,
      watch: true,
      logging: false,
      onChange: (graph) => changed(graph),
    })
    try {
      const first = await served.ready
      expect(hasSearchIndex(first)).toBe(true)
      const documents = searchIndexOf(first).documentCount
      await writeFile(path.join(dir, 'a.md'), note('Dagster runs the batch now'))
      const graph = await next
      // Indexed before it was served: no search has run on it yet.
      expect(served.store.current()).toBe(graph)
      expect(hasSearchIndex(graph)).toBe(true)
      // Only the saved post's documents were added (a post and its talk).
      expect(searchIndexOf(graph).documentCount - documents).toBe(2)
      const bullets = { filter: { kinds: ['BULLET'] } }
      expect(shown(await search('dagster', bullets, served))).toEqual([
        'Dagster runs the batch now',
      ])
      expect(shown(await search('airflow', bullets, served))).toEqual([])
      expect(shown(await search('kafka', bullets, served))).toEqual(['Kafka carries the events'])
    } finally {
      await served.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('search after a snapshot round trip', () => {
  it('should answer from a loaded snapshot as from the folder it was built from', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-graph-search-snapshot-'))
    try {
      const file = path.join(dir, 'content.snapshot')
      await writeSnapshot(file, { contentDir, workers: 0 })
      const { graph: loaded } = await loadSnapshot(file)
      const replica = serverFor(loaded)
      // The replica indexes the loaded graph before serving it.
      expect(hasSearchIndex(loaded)).toBe(true)
      for (const query of [
        '플랫폼',
        '쿠버네티스',
        'service mesh',
        '"service mesh"',
        'kuber',
        '코루틴',
      ]) {
        const fromSnapshot = await search(query, { first: 100 }, replica)
        const fromFolder = await search(query, { first: 100 })
        expect(fromSnapshot.totalCount).toBeGreaterThan(0)
        expect(fromSnapshot).toEqual(fromFolder)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
