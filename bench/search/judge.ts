/**
 * Scores a ranking against the judged query set (`judged.json`): recall@10
 * and nDCG@10 with binary gains. A hit is a post, talk, section or bullet,
 * given as the file it is in and the title of the talk it belongs to; it
 * counts for the first expected entry it meets that no earlier hit met, so
 * ten bullets of one talk count once.
 *
 * A hit meets an expected talk when it belongs to a talk with that title
 * (its heading as written, so with the speaker the reader took out of the
 * title: `Cheryl Hung - Director of Ecosystem, CNCF`), or when its own text (a title,
 * a heading, a bullet) names it: where the reader
 * cut a post into talks otherwise than a person would (a talk read as a
 * section, a list of talk titles), the score still measures the search and
 * not the reader.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ContentGraph } from '../../src/graph/content-graph.ts'
import type { SearchHit } from '../../src/search/index.ts'

/** One expected result: a post, or a talk of a post (by a part of its title). */
export interface Expected {
  readonly file: string
  readonly talk?: string
}

/** One judged query. */
export interface JudgedQuery {
  readonly id: string
  readonly kind: string
  readonly query: string
  readonly expect: readonly Expected[]
}

/** A ranked hit, as the judge sees it. */
export interface JudgedHit {
  /** File name of the post, without folders. */
  readonly file: string
  /** Heading of the talk the hit belongs to (title and speaker as written), or null for post-level nodes. */
  readonly talk: string | null
  /** The hit's own title or text. */
  readonly text: string
}

/** Scores of one query. */
export interface QueryScore {
  readonly id: string
  readonly query: string
  readonly recall: number
  readonly ndcg: number
  readonly missed: readonly Expected[]
}

/** The judged queries. */
export function judgedQueries(): JudgedQuery[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'judged.json')
  return (JSON.parse(readFileSync(file, 'utf8')) as { queries: JudgedQuery[] }).queries
}

const squash = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')

function meets(hit: JudgedHit, expected: Expected): boolean {
  if (hit.file !== expected.file) return false
  if (expected.talk === undefined) return true
  const want = squash(expected.talk)
  if (squash(hit.text).includes(want)) return true
  if (hit.talk === null) return false
  const got = squash(hit.talk)
  return got.includes(want) || (got.length > 0 && want.includes(got))
}

/**
 * Score the top ten hits of one query.
 *
 * @param query
 *   The judged query.
 * @param hits
 *   Hits in rank order (only the first ten are read).
 * @returns
 *   Recall@10, nDCG@10 and the expected entries not found.
 */
export function scoreQuery(query: JudgedQuery, hits: readonly JudgedHit[]): QueryScore {
  const found = new Set<number>()
  let dcg = 0
  hits.slice(0, 10).forEach((hit, rank) => {
    const index = query.expect.findIndex((expected, i) => !found.has(i) && meets(hit, expected))
    if (index >= 0) {
      found.add(index)
      dcg += 1 / Math.log2(rank + 2)
    }
  })
  let ideal = 0
  for (let rank = 0; rank < Math.min(10, query.expect.length); rank++)
    ideal += 1 / Math.log2(rank + 2)
  const recallDenominator = Math.min(10, query.expect.length)
  return {
    id: query.id,
    query: query.query,
    recall: Math.min(1, found.size / recallDenominator),
    ndcg: ideal > 0 ? dcg / ideal : 0,
    missed: query.expect.filter((_, i) => !found.has(i)),
  }
}

/** Mean recall@10 and nDCG@10 over scored queries. */
export function meanScores(scores: readonly QueryScore[]): { recall: number; ndcg: number } {
  const mean = (read: (score: QueryScore) => number) =>
    scores.reduce((sum, score) => sum + read(score), 0) / Math.max(1, scores.length)
  return { recall: mean((score) => score.recall), ndcg: mean((score) => score.ndcg) }
}

/** The file and talk title of a hit, as the judge reads them. */
export function judgedHit(graph: ContentGraph, hit: SearchHit): JudgedHit {
  const value = hit.node.value
  const postId = hit.node.type === 'Post' ? value.id : (value as { postId: string }).postId
  const file = path.basename(graph.post(postId)?.source.path ?? '')
  const talkId =
    hit.node.type === 'Talk'
      ? value.id
      : hit.node.type === 'Post'
        ? null
        : (value as { talkId: string | null }).talkId
  const text =
    hit.node.type === 'Bullet'
      ? hit.node.value.text
      : hit.node.type === 'Talk'
        ? hit.node.value.heading
        : hit.node.value.title
  const talk = talkId ? graph.talk(talkId) : undefined
  return { file, talk: talk?.heading ?? null, text }
}
