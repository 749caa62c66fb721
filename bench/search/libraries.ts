/**
 * Compares in-process search libraries (MiniSearch, Orama, FlexSearch) on the
 * real posts, each fed the same documents and the same tokenizer
 * (`src/search/text.ts`): build time, retained heap, query time and quality
 * on the judged query set. Queries here are plain words, all required, with
 * no alias expansion, phrases or proximity: the libraries alone are compared.
 *
 * Usage: `node --expose-gc --import tsx bench/search/libraries.ts [--corpus ../shared/corpus] [--scheme bigram]`
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { create, insertMultiple, search as oramaSearch } from '@orama/orama'
import FlexSearch from 'flexsearch'
import MiniSearch from 'minisearch'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import {
  documentsOf,
  fieldWeights,
  type SearchDocument,
  type SearchField,
  searchFields,
} from '../../src/search/documents.ts'
import { parseQuery } from '../../src/search/query.ts'
import { wordTerms } from '../../src/search/search-index.ts'
import { type HangulScheme, indexTerms } from '../../src/search/text.ts'
import { collectGarbage, formatTable, heapUsedAfterGc, repoRoot } from '../lib.ts'
import { type JudgedHit, judgedQueries, meanScores, scoreQuery } from './judge.ts'

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.join(repoRoot, '..', 'shared', 'corpus') },
    scheme: { type: 'string', default: 'bigram' },
    repeat: { type: 'string', default: '20' },
  },
})
const scheme = values.scheme as HangulScheme

/** Terms a query asks for, all required: the same rules for every library. */
function queryTerms(query: string): string[] {
  return parseQuery(query).words.flatMap((word) => wordTerms(word, scheme))
}

interface Engine {
  readonly name: string
  build(documents: readonly SearchDocument[]): Promise<void> | void
  /** Document indexes, best first. */
  query(terms: readonly string[]): Promise<number[]> | number[]
}

const textOf = (document: SearchDocument, field: SearchField) => document.fields[field] ?? ''

function miniSearch(): Engine {
  let index: MiniSearch<{ id: number } & Record<string, string | number>>
  return {
    name: 'MiniSearch 7.2',
    build(documents) {
      index = new MiniSearch({
        fields: [...searchFields],
        idField: 'id',
        tokenize: (text) => indexTerms(text, scheme),
        processTerm: (term) => term,
        searchOptions: {
          boost: { ...fieldWeights },
          combineWith: 'AND',
          tokenize: (text) => [text],
          processTerm: (term) => term,
          prefix: scheme === 'particle',
        },
      })
      index.addAll(documents.map((document, id) => ({ id, ...document.fields })))
    },
    query(terms) {
      return index
        .search({ queries: [...terms], combineWith: 'AND' })
        .map((hit) => hit.id as number)
    },
  }
}

function orama(): Engine {
  // Orama's schema and document types are generic over the schema literal;
  // the bench only needs the calls, so the instance is kept loosely typed.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  let db: any
  return {
    name: 'Orama 3.1',
    async build(documents) {
      db = create({
        schema: Object.fromEntries(searchFields.map((field) => [field, 'string'])) as Record<
          SearchField,
          'string'
        >,
        components: {
          tokenizer: {
            language: 'english',
            normalizationCache: new Map(),
            tokenize: (raw: string) => indexTerms(raw, scheme),
          },
        },
      })
      await insertMultiple(
        db,
        documents.map((document, id) => ({
          id: String(id),
          ...Object.fromEntries(searchFields.map((field) => [field, textOf(document, field)])),
        })),
        1000,
      )
    },
    // Terms are joined by two spaces: one would make the tokenizer add a
    // bigram across it.
    async query(terms) {
      const result = await oramaSearch(db, {
        term: terms.join('  '),
        properties: [...searchFields],
        boost: { ...fieldWeights },
        threshold: 0,
        limit: 1000,
      })
      return result.hits.map((hit: { id: string }) => Number(hit.id))
    },
  }
}

function flexSearch(): Engine {
  // One index per field: FlexSearch ranks by its own contextual resolution
  // (no BM25), so fields are merged by weight times reciprocal rank.
  const indexes = new Map<SearchField, InstanceType<typeof FlexSearch.Index>>()
  return {
    name: 'FlexSearch 0.8',
    build(documents) {
      for (const field of searchFields) {
        const index = new FlexSearch.Index({
          tokenize: 'strict',
          resolution: 9,
          encode: (text: string) => indexTerms(text, scheme),
        })
        documents.forEach((document, id) => {
          const text = textOf(document, field)
          if (text) index.add(id, text)
        })
        indexes.set(field, index)
      }
    },
    query(terms) {
      const scores = new Map<number, number>()
      for (const [field, index] of indexes) {
        const ids = index.search(terms.join('  '), { limit: 1000, suggest: false }) as number[]
        ids.forEach((id, rank) => {
          scores.set(id, (scores.get(id) ?? 0) + fieldWeights[field] / (rank + 1))
        })
      }
      return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id)
    },
  }
}

function judgedHit(graph: ContentGraph, document: SearchDocument): JudgedHit {
  const node = graph.node(document.nodeId)
  const postId = node && 'postId' in node.value ? node.value.postId : document.nodeId
  const file = path.basename(graph.post(postId)?.source.path ?? '')
  const talk = document.talkId ? (graph.talk(document.talkId)?.title ?? null) : null
  const text = Object.values(document.fields).join('\n')
  return { file, talk, text }
}

async function main() {
  if (!existsSync(values.corpus)) throw new Error(`No corpus at ${values.corpus}`)
  const { graph } = await loadContent({ contentDir: values.corpus, drafts: true })
  const documents = graph.posts.flatMap((post) => documentsOf(graph, post))
  const queries = judgedQueries()
  const rows: string[][] = []
  // Warm the tokenizer up, so the first library does not pay for its JIT.
  for (const document of documents)
    for (const field of searchFields) indexTerms(textOf(document, field), scheme)
  for (const make of [miniSearch, orama, flexSearch]) {
    const engine = make()
    collectGarbage()
    const before = heapUsedAfterGc() ?? 0
    const started = performance.now()
    await engine.build(documents)
    const buildMs = performance.now() - started
    const heap = (heapUsedAfterGc() ?? 0) - before
    const scores = []
    for (const query of queries) {
      const ids = await engine.query(queryTerms(query.query))
      const hits = ids.slice(0, 10).map((id) => judgedHit(graph, documents[id] as SearchDocument))
      scores.push(scoreQuery(query, hits))
    }
    const repeat = Number(values.repeat)
    const queryStarted = performance.now()
    for (let round = 0; round < repeat; round++) {
      for (const query of queries) await engine.query(queryTerms(query.query))
    }
    const queryMs = (performance.now() - queryStarted) / (repeat * queries.length)
    const { recall, ndcg } = meanScores(scores)
    rows.push([
      engine.name,
      buildMs.toFixed(0),
      (heap / 1024 / 1024).toFixed(1),
      queryMs.toFixed(3),
      recall.toFixed(3),
      ndcg.toFixed(3),
    ])
  }
  console.log(
    `${documents.length} documents from ${graph.posts.length} posts, Hangul scheme ${scheme}\n`,
  )
  console.log(
    formatTable({
      title: 'Search libraries on the real posts, same tokenizer',
      headers: ['library', 'build ms', 'heap MB', 'query ms', 'recall@10', 'nDCG@10'],
      rows,
    }),
  )
}

await main()
