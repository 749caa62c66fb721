/**
 * Search quality on the judged query set: recall@10 and nDCG@10 of the
 * server's own search (`src/search/`) over the real posts, per query and on
 * average, for each Hangul scheme.
 *
 * Drafts are read too (as `serve --drafts` does): the judged set was written
 * from every post, one of which is marked unpublished.
 *
 * Usage: `node --import tsx bench/search/quality.ts [--corpus ../shared/corpus] [--verbose]`
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import { loadContent } from '../../src/load/content.ts'
import { buildSearchIndex, type SearchIndexOptions } from '../../src/search/index.ts'
import { formatTable, repoRoot } from '../lib.ts'
import { judgedHit, judgedQueries, meanScores, type QueryScore, scoreQuery } from './judge.ts'

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.join(repoRoot, '..', 'shared', 'corpus') },
    verbose: { type: 'boolean', default: false },
  },
})

/** Score every judged query against one index configuration. */
export function judge(graph: ContentGraph, options: SearchIndexOptions): QueryScore[] {
  const index = buildSearchIndex(graph, options)
  return judgedQueries().map((query) =>
    scoreQuery(
      query,
      index
        .search(query.query)
        .slice(0, 10)
        .map((hit) => judgedHit(graph, hit)),
    ),
  )
}

async function main() {
  if (!existsSync(values.corpus)) throw new Error(`No corpus at ${values.corpus}`)
  const { graph } = await loadContent({ contentDir: values.corpus, drafts: true })
  const configurations: [string, SearchIndexOptions][] = [
    ['bigram', { scheme: 'bigram' }],
    ['particle', { scheme: 'particle' }],
    ['bigram, no repeat decay', { scheme: 'bigram', repeatDecay: 1, postDecay: 1 }],
    ['bigram, post decay 0.85', { scheme: 'bigram', postDecay: 0.85 }],
    ['bigram, every term weighs 1', { scheme: 'bigram', termShare: false }],
    ['bigram, no proximity bonus', { scheme: 'bigram', proximityBonus: 1 }],
    ['bigram, other spellings weigh 1', { scheme: 'bigram', synonymWeight: 1 }],
    ['bigram, other spellings weigh 0.25', { scheme: 'bigram', synonymWeight: 0.25 }],
    ['bigram, no other spellings', { scheme: 'bigram', loanwords: false }],
    ['bigram, score × terms matched', { scheme: 'bigram', matchedTermFactor: true }],
    ['bigram, post decay 0.7', { scheme: 'bigram', postDecay: 0.7 }],
  ]
  const rows: string[][] = []
  for (const [name, options] of configurations) {
    const scores = judge(graph, options)
    const { recall, ndcg } = meanScores(scores)
    rows.push([name, recall.toFixed(3), ndcg.toFixed(3)])
    if (values.verbose && name === 'bigram') {
      for (const score of scores) {
        if (score.recall < 1) {
          console.log(
            `${score.id} ${score.query}: recall ${score.recall.toFixed(2)} nDCG ${score.ndcg.toFixed(2)}; missed ${score.missed.map((miss) => `${miss.file.slice(0, 2)}/${miss.talk ?? '*'}`).join(', ')}`,
          )
        }
      }
    }
  }
  console.log(
    formatTable({
      title: `Search quality on ${judgedQueries().length} judged queries over ${graph.posts.length} real posts`,
      headers: ['configuration', 'recall@10', 'nDCG@10'],
      rows,
    }),
  )
}

await main()
