/**
 * Search speed and size on the generated corpus (`bench/corpus.ts`), one
 * size per run:
 * - index build time, as a share of the cold read that made the graph;
 * - index memory (heap retained), as a share of the graph's;
 * - rebuilding the index from a loaded graph against carrying it as JSON
 *   (MiniSearch `toJSON`/`loadJSON`): what a snapshot file would choose from;
 * - updating the index after one post changed, against a rebuild;
 * - query latency p50/p99 through HTTP on 127.0.0.1, response cache off, for
 *   one-word, phrase and prefix queries (each query text sent once or a few
 *   times, first page of 10 hits with highlights).
 *
 * The cold read is measured when the run has to read the corpus cold anyway
 * (no extract cache yet, or `--cold`); otherwise the extract cache under
 * `os.tmpdir()/content-graph-bench/` makes the load warm and the cold figure
 * is taken from `--cold-ms` (such as the indexing bench's row (e)).
 *
 * Usage: `node --expose-gc --import tsx bench/search/speed.ts --posts 1000 [--cold] [--cold-ms 199800] [--requests 300]`
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { deserialize, serialize } from 'node:v8'
import MiniSearch from 'minisearch'
import { extractPost } from '../../src/extract/post.ts'
import { linkResults, readContentFolder } from '../../src/load/content.ts'
import { documentsOf, searchFields } from '../../src/search/documents.ts'
import { buildSearchIndex, searchIndexOf } from '../../src/search/index.ts'
import { indexTerms } from '../../src/search/text.ts'
import { createContentServer } from '../../src/server/create-server.ts'
import { listen } from '../../src/server/listen.ts'
import { cachedCorpus, corpusCacheRoot, mulberry32 } from '../corpus.ts'
import { collectGarbage, formatTable, heapUsedAfterGc } from '../lib.ts'

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    cold: { type: 'boolean', default: false },
    'cold-ms': { type: 'string' },
    requests: { type: 'string', default: '300' },
  },
})
const posts = Number(values.posts)
const requests = Math.min(2000, Number(values.requests))

const { corpus } = cachedCorpus(posts, Number(values.seed))
const cacheDir = path.join(corpusCacheRoot, `${posts}-${values.seed}.extract-cache`)
const cold = values.cold || !existsSync(cacheDir)

const before = heapUsedAfterGc() ?? 0
const readStarted = performance.now()
const folder = await readContentFolder({ contentDir: corpus.dir, cacheDir })
const graph = linkResults(folder.results.values(), folder.catalog, [])
// The post list is made on first use: count it with the read.
void graph.posts
const readMs = performance.now() - readStarted
const coldMs = cold ? readMs : values['cold-ms'] ? Number(values['cold-ms']) : undefined
const withGraph = heapUsedAfterGc() ?? 0

// Build: the same work a replica does on load, kept with the graph.
const buildStarted = performance.now()
const index = searchIndexOf(graph)
index.search('warm')
const buildMs = performance.now() - buildStarted
const withIndex = heapUsedAfterGc() ?? 0

// Rebuild again (warm JIT) and carry as JSON, side by side.
const rebuildStarted = performance.now()
buildSearchIndex(graph)
const rebuildMs = performance.now() - rebuildStarted
collectGarbage()
const options = { fields: [...searchFields], idField: 'id' }
const engine = engineJson()
const saveStarted = performance.now()
const saved = JSON.stringify(engine.mini)
const saveMs = performance.now() - saveStarted
const loadStarted = performance.now()
MiniSearch.loadJSON(saved, engine.options)
const loadMs = performance.now() - loadStarted
// As a snapshot would carry it: MiniSearch's plain object as node:v8
// records, read back with loadJS; the documents' ids and bullets are walked
// again from the graph (without reading text into terms) to map hits.
const v8SaveStarted = performance.now()
const record = serialize(engine.mini.toJSON())
const v8SaveMs = performance.now() - v8SaveStarted
collectGarbage()
const v8LoadStarted = performance.now()
MiniSearch.loadJS(deserialize(record), engine.options)
const v8LoadMs = performance.now() - v8LoadStarted
const walkStarted = performance.now()
let walked = 0
for (const post of graph.posts) walked += documentsOf(graph, post).length
const walkMs = performance.now() - walkStarted

// One post changed: update against rebuild.
const changedPath = graph.posts[Math.floor(graph.posts.length / 2)]?.source.path as string
const changedText = `${readFileSync(path.join(corpus.dir, changedPath), 'utf8')}\n- 새 메모 about Kubernetes\n`
const results = new Map(folder.results)
results.set(
  changedPath,
  extractPost({ path: changedPath, text: changedText }, { catalog: folder.catalog }),
)
const next = linkResults(results.values(), folder.catalog, [], {
  previous: { graph, changed: new Set([changedPath]) },
})
void next.posts
const updateStarted = performance.now()
searchIndexOf(next).search('warm')
const updateMs = performance.now() - updateStarted

// Queries through HTTP.
const random = mulberry32(7)
const words: string[] = []
const phrases: string[] = []
for (let attempt = 0; attempt < 5000 && words.length < 400; attempt++) {
  const post = graph.posts[Math.floor(random() * graph.posts.length)]
  const bulletId = post?.bulletIds[Math.floor(random() * post.bulletIds.length)]
  const text = bulletId ? (graph.bullet(bulletId)?.text ?? '') : ''
  const found = text.match(/[\p{L}]{4,}/gu) ?? []
  if (found.length >= 2) {
    const at = Math.floor(random() * (found.length - 1))
    words.push(found[at] as string)
    const pair = text.match(new RegExp(`${found[at]}\\s+${found[at + 1]}`, 'u'))
    if (pair) phrases.push(`"${pair[0]}"`)
  }
}
const prefixes = words.filter((word) => /^[a-z]/i.test(word)).map((word) => word.slice(0, 3))
const server = createContentServer({ graph, logging: false, responseCache: false })
const listening = await listen(server, { port: 0, host: '127.0.0.1' })
const document = `query ($q: String!) { search(query: $q, first: 10) { totalCount nodes { score node { __typename } highlights { snippet ranges { start end } source { line } } } } }`

let timeouts = 0

async function latency(list: readonly string[]): Promise<{ p50: number; p99: number; n: number }> {
  const times: number[] = []
  for (let sent = 0; sent < requests && list.length > 0; sent++) {
    const q = list[sent % list.length] as string
    const started = performance.now()
    const response = await fetch(`${listening.url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document, variables: { q } }),
    })
    const body = (await response.json()) as {
      errors?: readonly { extensions?: { code?: string } }[]
    }
    // A query stopped by the server's time limit counts as slow, not as a
    // failure of the bench: the percentiles show it.
    if (body.errors && body.errors[0]?.extensions?.code !== 'TIMEOUT')
      throw new Error(`search failed for ${q}: ${JSON.stringify(body.errors)}`)
    if (body.errors) timeouts++
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  const at = (share: number) =>
    times[Math.min(times.length - 1, Math.floor(share * times.length))] ?? 0
  return { p50: at(0.5), p99: at(0.99), n: times.length }
}

const oneWord = await latency(words)
const phrase = await latency(phrases)
const prefix = await latency(prefixes)
await listening.close()

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(1)} ms`
const share = (part: number, whole: number | undefined) =>
  whole ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a'
console.log(
  formatTable({
    title: `Search at ${posts.toLocaleString('en')} posts (${(corpus.bytes / 1e6).toFixed(1)} MB, ${index.documentCount.toLocaleString('en')} documents)`,
    headers: ['measurement', 'value', 'share'],
    rows: [
      [cold ? 'cold read (this run)' : 'read (warm, extract cache)', ms(readMs), ''],
      [
        'index build (before serving)',
        ms(buildMs),
        `${share(buildMs, coldMs)} of the cold read${cold ? '' : ` (${values['cold-ms'] ? 'given' : 'not measured'})`}`,
      ],
      [
        'index heap',
        mib(withIndex - withGraph),
        `${share(withIndex - withGraph, withGraph - before)} of the graph's ${mib(withGraph - before)}`,
      ],
      ['rebuild from the graph (on load)', ms(rebuildMs), ''],
      ['carried as JSON: size', mib(saved.length), ''],
      ['carried as JSON: stringify', ms(saveMs), ''],
      [
        'carried as JSON: loadJSON',
        ms(loadMs),
        `${share(loadMs, rebuildMs)} of a rebuild (plus reading ${mib(saved.length)})`,
      ],
      ['carried as node:v8 record: size', mib(record.length), ''],
      ['carried as node:v8 record: serialize', ms(v8SaveMs), ''],
      [
        'carried as node:v8 record: deserialize + loadJS',
        ms(v8LoadMs),
        `${share(v8LoadMs, rebuildMs)} of a rebuild (plus reading ${mib(record.length)})`,
      ],
      [
        'walking the documents again (ids, no terms)',
        ms(walkMs),
        `${share(walkMs, rebuildMs)} of a rebuild (${walked} documents)`,
      ],
      ['update after one post changed', ms(updateMs), `${share(updateMs, rebuildMs)} of a rebuild`],
      [`one word p50 / p99 (${oneWord.n} requests)`, `${ms(oneWord.p50)} / ${ms(oneWord.p99)}`, ''],
      [`phrase p50 / p99 (${phrase.n} requests)`, `${ms(phrase.p50)} / ${ms(phrase.p99)}`, ''],
      [`prefix p50 / p99 (${prefix.n} requests)`, `${ms(prefix.p50)} / ${ms(prefix.p99)}`, ''],
      ['queries stopped by the 5 s time limit', String(timeouts), ''],
    ],
  }),
)

/** A MiniSearch instance built like the index's, for the JSON round trip. */
function engineJson() {
  const mini = new MiniSearch<Record<string, string | number>>({
    ...options,
    tokenize: (text) => indexTerms(text),
    processTerm: (term) => term,
  })
  let id = 0
  for (const post of graph.posts) {
    mini.addAll(documentsOf(graph, post).map((document) => ({ id: id++, ...document.fields })))
  }
  return {
    mini,
    options: {
      ...options,
      tokenize: (text: string) => indexTerms(text),
      processTerm: (term: string) => term,
    },
  }
}
