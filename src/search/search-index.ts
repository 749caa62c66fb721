/**
 * One search index per content graph snapshot, on MiniSearch (BM25+ with
 * field weights, query trees, prefix search, removal by id).
 *
 * Snapshots made by relinking share one MiniSearch instance with the
 * snapshot they came from: a save adds the documents of the posts it changed
 * and nothing else, so an update costs what the change does. Documents are
 * keyed by post version (path and content hash) and each snapshot sees only
 * the versions its own posts have, so a query on any snapshot, old or new,
 * never sees half an update. Versions no live snapshot can see are removed
 * once the snapshots that saw them are gone.
 */
import MiniSearch from 'minisearch'
import type { ContentGraph, GraphNode } from '../graph/content-graph.ts'
import { toGlobalId } from '../model/ids.ts'
import type { Post } from '../model/types.ts'
import {
  documentsOf,
  fieldWeights,
  ownFields,
  type SearchDocument,
  type SearchField,
  type SearchFields,
  type SearchKind,
  searchFields,
  searchKinds,
} from './documents.ts'
import { otherSpellings } from './loanwords.ts'
import { type ParsedQuery, parseQuery } from './query.ts'
import {
  bigrams,
  fold,
  type HangulScheme,
  indexTerms,
  isParticle,
  runsOf,
  squash,
  stemEnglish,
  stripParticle,
} from './text.ts'

/** Conditions hits must all meet; missing ones do not filter. */
export interface SearchFilter {
  /** Only these kinds of node. */
  readonly kinds?: readonly SearchKind[] | null | undefined
  /** Only nodes of posts carrying this tag, written exactly. */
  readonly tag?: string | null | undefined
  /** Only nodes of posts in this category, written exactly. */
  readonly category?: string | null | undefined
  /** Only nodes of posts mentioning this technology (slug, name or alias). */
  readonly technology?: string | null | undefined
  /** Only nodes of posts dated on or after this day (`YYYY-MM-DD`). */
  readonly dateFrom?: string | null | undefined
  /** Only nodes of posts dated on or before this day (`YYYY-MM-DD`). */
  readonly dateTo?: string | null | undefined
  /** Only nodes of the post with this slug. */
  readonly post?: string | null | undefined
}

/** One ranked hit. */
export interface SearchHit {
  readonly node: Extract<GraphNode, { type: 'Post' | 'Talk' | 'Section' | 'Bullet' }>
  /** Relevance: higher is better; only comparable within one search. */
  readonly score: number
  /** The query the hit answers, for highlighting. */
  readonly query: SearchQuery
}

/** A parsed query with what it matches: its words, their alternatives, its phrases. */
export interface SearchQuery {
  readonly parsed: ParsedQuery
  /**
   * Folded strings to highlight: each word as written, its stem, its
   * technology aliases, and the phrases.
   */
  readonly needles: readonly Needle[]
}

/** A folded string to highlight. */
export interface Needle {
  readonly text: string
  /** Whether it may end inside a word (the last word, typed as a prefix). */
  readonly prefix: boolean
}

/** Options of a search index. */
export interface SearchIndexOptions {
  /** How Hangul becomes terms (see `text.ts`); `bigram` by default. */
  readonly scheme?: HangulScheme
  /** How much each further hit in one talk is worth of the one before; 0.6 by default. */
  readonly repeatDecay?: number
  /** Whether each term of a word weighs its share of the word (true by default), rather than 1. */
  readonly termShare?: boolean
  /** How much each further hit in one post is worth of the one before; 1 (no decay) by default: measured on the judged set, it did not help. */
  readonly postDecay?: number
  /** Weight of another spelling of a query word (`monitoring` for `모니터링`) against the word as written; 0.5 by default. */
  readonly synonymWeight?: number
  /** Whether scores keep MiniSearch's factor of the number of query terms matched; false by default. */
  readonly matchedTermFactor?: boolean
  /** Whether a query word also finds its other spellings (`loanwords.ts`); true by default. */
  readonly loanwords?: boolean
  /** Factor for a hit whose text holds the query words next to each other, in order; 1.5 by default. */
  readonly proximityBonus?: number
}

/** The index of one snapshot. */
export interface SearchIndex {
  /** The snapshot it answers for. */
  readonly graph: ContentGraph
  /**
   * Rank the nodes matching a query.
   *
   * @param query
   *   The query as typed (see `parseQuery`).
   * @param filter
   *   Conditions on the hits.
   * @returns
   *   Every matching node, best first; ties in document order.
   * @throws
   *   `SearchQueryError` for a query over the length limits.
   */
  search(query: string, filter?: SearchFilter | null): SearchHit[]
  /** Ids of the posts matching a query anywhere (the post, its talks, sections or bullets), for `filter.search` on posts. */
  matchingPosts(query: string): ReadonlySet<string>
  /** Ids of the talks matching a query themselves or through their sections and bullets. */
  matchingTalks(query: string): ReadonlySet<string>
  /** How many documents the shared engine holds, stale versions included. */
  readonly documentCount: number
}

/** One indexed version of a post. */
interface Version {
  readonly key: string
  readonly postId: string
  readonly path: string
  readonly ids: number[]
  /** Generation of the first snapshot that no longer has this version. */
  supersededAt: number | undefined
}

/** What the index keeps of each document besides its terms. */
interface DocumentMeta {
  readonly version: Version
  readonly kind: SearchKind
  readonly nodeId: string
  readonly talkId: string | null
  /** The bullets of the document's `text` field, in order. */
  readonly bulletIds: readonly string[]
  /**
   * The bullets' text folded for matching, one line each: kept so that the
   * bullets holding a query are found without reading each from the graph.
   */
  readonly folded: string
  /** Where each bullet starts in `folded`. */
  readonly starts: Uint32Array
  /** Position in the post, for ties. */
  readonly order: number
}

/** A node found inside a matching document: the document's own node or one of its bullets. */
interface Found {
  readonly meta: DocumentMeta
  readonly kind: SearchKind
  readonly nodeId: string
  /** Position of the bullet in the document, or -1 for the document's own node. */
  readonly bullet: number
  /** Its searchable text as written, read when needed. */
  readonly text: () => string
  score: number
}

type Indexed = { readonly id: number } & SearchFields

/** The MiniSearch instance shared by a line of snapshots, with its bookkeeping. */
interface Engine {
  readonly mini: MiniSearch<Indexed>
  readonly meta: Map<number, DocumentMeta>
  readonly versions: Map<string, Version>
  readonly superseded: Set<Version>
  readonly views: WeakRef<SearchIndex>[]
  readonly scheme: HangulScheme
  nextId: number
  generation: number
}

const indexes = new WeakMap<ContentGraph, SearchIndex>()

/** Ancestors walked to find one whose index can be updated instead of rebuilt. */
const maxLineage = 64

/**
 * The search index of a snapshot, built on first use and kept with it. A
 * server calls it on each snapshot before serving it.
 *
 * A snapshot relinked from one whose index exists (directly, or through a
 * few snapshots that were never searched) gets that index updated for the
 * changed posts; any other is indexed from scratch.
 *
 * @param graph
 *   The snapshot.
 * @param options
 *   Options; only read when the index is first made.
 * @returns
 *   Its index.
 */
export function searchIndexOf(graph: ContentGraph, options: SearchIndexOptions = {}): SearchIndex {
  const found = indexes.get(graph)
  if (found) return found
  const changed = new Set<string>()
  let ancestor: ContentGraph | undefined = graph
  let base: SearchIndex | undefined
  for (let step = 0; step < maxLineage && ancestor?.derivedFrom; step++) {
    for (const path of ancestor.derivedFrom.changed) changed.add(path)
    ancestor = ancestor.derivedFrom.graph.deref()
    base = ancestor && indexes.get(ancestor)
    if (base) break
  }
  const index = base ? derive(base, engineOf(base), graph, changed, options) : build(graph, options)
  indexes.set(graph, index)
  return index
}

/**
 * Whether a snapshot's index is made already: servers make it before they
 * serve the snapshot (see `createGraphStore`), so no request pays for it.
 *
 * @param graph
 *   The snapshot.
 * @returns
 *   Whether `searchIndexOf(graph)` would answer at once.
 */
export function hasSearchIndex(graph: ContentGraph): boolean {
  return indexes.has(graph)
}

/**
 * Build a snapshot's index from scratch: what a replica does on load.
 *
 * @param graph
 *   The snapshot.
 * @param options
 *   Options.
 * @returns
 *   A new index, not kept with the graph (see `searchIndexOf`).
 */
export function buildSearchIndex(
  graph: ContentGraph,
  options: SearchIndexOptions = {},
): SearchIndex {
  return build(graph, options)
}

const engines = new WeakMap<SearchIndex, Engine>()

function engineOf(index: SearchIndex): Engine {
  return engines.get(index) as Engine
}

function build(graph: ContentGraph, options: SearchIndexOptions): SearchIndex {
  const scheme = options.scheme ?? 'bigram'
  const engine: Engine = {
    mini: new MiniSearch<Indexed>({
      fields: [...searchFields],
      idField: 'id',
      tokenize: (text) => indexTerms(text, scheme),
      processTerm: (term) => term,
      // Stale versions are removed in batches on a timer: queries skip them
      // meanwhile, and a save never waits for the clean-up.
      autoVacuum: { minDirtCount: 200, minDirtFactor: 0.05, batchSize: 2000, batchWait: 5 },
    }),
    meta: new Map(),
    versions: new Map(),
    superseded: new Set(),
    views: [],
    scheme,
    nextId: 0,
    generation: 0,
  }
  const batch: Indexed[] = []
  for (const post of graph.posts) addVersion(engine, graph, post, batch)
  engine.mini.addAll(batch)
  return view(engine, graph, options)
}

function derive(
  base: SearchIndex,
  engine: Engine,
  graph: ContentGraph,
  changed: ReadonlySet<string>,
  options: SearchIndexOptions,
): SearchIndex {
  engine.generation++
  const batch: Indexed[] = []
  for (const path of changed) {
    const before = postAtPath(base.graph, path)
    const after = postAtPath(graph, path)
    if (before && before.contentHash !== after?.contentHash) {
      const old = engine.versions.get(versionKey(before))
      if (old && old.supersededAt === undefined) {
        old.supersededAt = engine.generation
        engine.superseded.add(old)
      }
    }
    if (after) {
      const existing = engine.versions.get(versionKey(after))
      if (existing) {
        existing.supersededAt = undefined
        engine.superseded.delete(existing)
      } else addVersion(engine, graph, after, batch)
    }
  }
  engine.mini.addAll(batch)
  const index = view(engine, graph, options)
  sweep(engine)
  return index
}

/** Remove versions that no live snapshot can see. */
function sweep(engine: Engine): void {
  let oldest = Number.POSITIVE_INFINITY
  for (let index = engine.views.length - 1; index >= 0; index--) {
    const alive = engine.views[index]?.deref()
    if (!alive) engine.views.splice(index, 1)
    else oldest = Math.min(oldest, generations.get(alive) ?? 0)
  }
  for (const version of engine.superseded) {
    if (version.supersededAt !== undefined && version.supersededAt <= oldest) {
      for (const id of version.ids) {
        engine.mini.discard(id)
        engine.meta.delete(id)
      }
      engine.versions.delete(version.key)
      engine.superseded.delete(version)
    }
  }
}

const generations = new WeakMap<SearchIndex, number>()

function versionKey(post: Post): string {
  return `${post.id}\u0000${post.contentHash}`
}

function postAtPath(graph: ContentGraph, path: string): Post | undefined {
  return graph.post(toGlobalId('Post', path))
}

function addVersion(engine: Engine, graph: ContentGraph, post: Post, batch: Indexed[]): void {
  const version: Version = {
    key: versionKey(post),
    postId: post.id,
    path: post.source.path,
    ids: [],
    supersededAt: undefined,
  }
  engine.versions.set(version.key, version)
  documentsOf(graph, post).forEach((document: SearchDocument, order) => {
    const id = engine.nextId++
    version.ids.push(id)
    engine.meta.set(id, {
      version,
      kind: document.kind,
      nodeId: document.nodeId,
      talkId: document.talkId,
      bulletIds: document.bulletIds,
      ...foldedBullets(graph, document.bulletIds),
      order,
    })
    batch.push({ id, ...document.fields })
  })
}

function view(engine: Engine, graph: ContentGraph, options: SearchIndexOptions): SearchIndex {
  const repeatDecay = options.repeatDecay ?? 0.6
  const postDecay = options.postDecay ?? 1
  const proximityBonus = options.proximityBonus ?? 1.5
  const matchedTermFactor = options.matchedTermFactor ?? false
  // Whether a document belongs to this snapshot: its post has this version here.
  const hashes = new Map<string, string | null>()
  const visible = (meta: DocumentMeta) => {
    let hash = hashes.get(meta.version.postId)
    if (hash === undefined) {
      hash = graph.post(meta.version.postId)?.contentHash ?? null
      hashes.set(meta.version.postId, hash)
    }
    return meta.version.key === `${meta.version.postId}\u0000${hash}`
  }

  const prepare = (query: string) =>
    prepareQuery(parseQuery(query), graph, engine.scheme, {
      termShare: options.termShare ?? true,
      synonymWeight: options.synonymWeight ?? 0.5,
      loanwords: options.loanwords ?? true,
    })

  /**
   * Nodes matching the query: documents whose own fields hold every word,
   * and bullets whose text does. A document whose bullets hold the words
   * only between them is found itself. Phrases and exclusions are checked
   * on each node's own text.
   */
  const match = (prepared: Prepared, accept: (kind: SearchKind, meta: DocumentMeta) => boolean) => {
    const found: Found[] = []
    if (prepared.tree === undefined) return found
    const visibleAndWanted = (id: number, kinds: readonly SearchKind[]) => {
      const meta = engine.meta.get(id)
      return meta !== undefined && visible(meta) && kinds.some((kind) => accept(kind, meta))
    }
    const run = (
      fields: readonly SearchField[],
      kinds: (meta: DocumentMeta) => readonly SearchKind[],
      bm25: { k: number; b: number; d: number },
    ) => {
      const scores = new Map<number, number>()
      for (const result of engine.mini.search(prepared.tree as Query, {
        fields: [...fields],
        boost: { ...fieldWeights },
        bm25,
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        filter: (result) => {
          const id = result.id as number
          const meta = engine.meta.get(id)
          return meta !== undefined && visibleAndWanted(id, kinds(meta))
        },
      })) {
        // MiniSearch multiplies a score by the number of query terms
        // matched, which favours a Hangul word (three bigrams) over a Latin
        // one and a document holding a word in two spellings over one
        // holding it once; each word already weighs one, so that factor is
        // taken out.
        scores.set(
          result.id as number,
          matchedTermFactor ? result.score : result.score / Math.max(1, result.queryTerms.length),
        )
      }
      return scores
    }
    const own = run(ownFields, (meta) => [meta.kind], bm25)
    for (const [id, score] of own) {
      const meta = engine.meta.get(id) as DocumentMeta
      const text = () => {
        const node = graph.node(meta.nodeId)
        return node ? ownText(node) : ''
      }
      found.push({ meta, kind: meta.kind, nodeId: meta.nodeId, bullet: -1, text, score })
    }
    const inText = run(['text'], (meta) => ['bullet', meta.kind], bm25)
    for (const [id, score] of inText) {
      const meta = engine.meta.get(id) as DocumentMeta
      const holding = bulletsHolding(meta, prepared.groups)
      if (accept('bullet', meta)) {
        for (const position of holding) {
          const bulletId = meta.bulletIds[position] as string
          const text = () => graph.bullet(bulletId)?.text ?? ''
          found.push({ meta, kind: 'bullet', nodeId: bulletId, bullet: position, text, score })
        }
      }
      if (holding.length === 0 && !own.has(id) && accept(meta.kind, meta)) {
        const text = () =>
          meta.bulletIds.map((bulletId) => graph.bullet(bulletId)?.text ?? '').join('\n')
        found.push({ meta, kind: meta.kind, nodeId: meta.nodeId, bullet: -1, text, score })
      }
    }
    return found.filter((hit) => {
      if (prepared.phrases.length === 0 && prepared.excluded.length === 0) return true
      const text = hit.text()
      const squashed = squash(text)
      if (!prepared.phrases.every((phrase) => squashed.includes(phrase))) return false
      if (prepared.excluded.length === 0) return true
      const folded = foldForCheck(text)
      // An excluded phrase leaves out only the hits holding it as written.
      return !prepared.excluded.some(({ words, phrase }) =>
        phrase === undefined
          ? words.every((word) => holdsWord(folded, word))
          : squashed.includes(phrase),
      )
    })
  }

  const index: SearchIndex = {
    graph,
    get documentCount() {
      return engine.mini.documentCount
    },
    search(query, filter) {
      const prepared = prepare(query)
      const accept = acceptor(graph, filter)
      const hits = match(prepared, accept)
      // A bonus for the query's words next to each other, in order.
      if (prepared.adjacent) {
        const adjacent = prepared.adjacent
        const ranked = [...hits].sort((a, b) => b.score - a.score).slice(0, proximityWindow)
        for (const hit of ranked) {
          if (squash(hit.text()).includes(adjacent)) hit.score *= proximityBonus
        }
      }
      hits.sort((a, b) => b.score - a.score || compareFound(a, b))
      // Each further hit in one talk, and less so in one post, is worth
      // less: one talk's many bullets, or one post's many talks, do not
      // crowd out every other.
      const seen = new Map<string, number>()
      const seenPosts = new Map<string, number>()
      for (const hit of hits) {
        const group = hit.meta.talkId ?? hit.meta.version.postId
        const count = seen.get(group) ?? 0
        seen.set(group, count + 1)
        const postCount = seenPosts.get(hit.meta.version.postId) ?? 0
        seenPosts.set(hit.meta.version.postId, postCount + 1)
        hit.score *= repeatDecay ** count * postDecay ** postCount
      }
      hits.sort((a, b) => b.score - a.score || compareFound(a, b))
      const searchQuery: SearchQuery = { parsed: prepared.parsed, needles: prepared.needles }
      // Nodes are looked up when read: a page reads ten of thousands of hits.
      return hits.map((hit) => lazyHit(graph, hit.nodeId, hit.score, searchQuery))
    },
    matchingPosts(query) {
      const ids = new Set<string>()
      for (const hit of match(prepare(query), () => true)) ids.add(hit.meta.version.postId)
      return ids
    },
    matchingTalks(query) {
      const ids = new Set<string>()
      for (const hit of match(prepare(query), (_, meta) => meta.talkId !== null)) {
        ids.add(hit.meta.talkId as string)
      }
      return ids
    },
  }
  engines.set(index, engine)
  generations.set(index, engine.generation)
  engine.views.push(new WeakRef(index))
  return index
}

/** MiniSearch's BM25+ parameters (its defaults). */
const bm25 = { k: 1.2, b: 0.7, d: 0.5 }

/** Candidates, best first, checked for the proximity bonus. */
const proximityWindow = 500

/** A hit whose node is looked up on first read. */
function lazyHit(
  graph: ContentGraph,
  nodeId: string,
  score: number,
  query: SearchQuery,
): SearchHit {
  let node: SearchHit['node'] | undefined
  return {
    score,
    query,
    get node() {
      if (!node) {
        const found = graph.node(nodeId)
        // Only visible documents are hits, and each is a node of this graph.
        if (!found || !isResult(found))
          throw new Error(`content-graph: search hit ${nodeId} is not in the graph`)
        node = found
      }
      return node
    },
  }
}

function isResult(node: GraphNode): node is SearchHit['node'] {
  return (
    node.type === 'Post' ||
    node.type === 'Talk' ||
    node.type === 'Section' ||
    node.type === 'Bullet'
  )
}

/** Document order: by file, then kind (talks before their sections and bullets), then position. */
function compareFound(a: Found, b: Found): number {
  const path =
    a.meta.version.path < b.meta.version.path
      ? -1
      : a.meta.version.path > b.meta.version.path
        ? 1
        : 0
  return (
    path ||
    searchKinds.indexOf(a.kind) - searchKinds.indexOf(b.kind) ||
    a.meta.order - b.meta.order ||
    a.bullet - b.bullet
  )
}

/** The searchable text of a node's own fields, as written. */
function ownText(node: GraphNode): string {
  return fieldsOfNode(node)
    .map(([, text]) => text)
    .join('\n')
}

/**
 * Forms of one word of the query, any of which the text must hold: Latin
 * forms as whole words (with a plural or possessive ending, or as a prefix
 * while typed), Hangul and CJK forms anywhere, as their bigrams are indexed.
 */
interface WordForms {
  readonly latin: readonly string[]
  readonly other: readonly string[]
  readonly prefix: boolean
}

/** One way to write a query word or name: every word of it must be held. */
type Alternative = readonly WordForms[]

/** Folded text to check forms against, and the same with spaces between Hangul taken out. */
interface CheckText {
  readonly text: string
  readonly compact: string
}

/**
 * The bullets of a document folded for matching, one line each, and where
 * each starts.
 */
function foldedBullets(
  graph: ContentGraph,
  bulletIds: readonly string[],
): { folded: string; starts: Uint32Array } {
  const starts = new Uint32Array(bulletIds.length)
  const lines: string[] = []
  let offset = 0
  bulletIds.forEach((id, position) => {
    const line = foldForCheck(graph.bullet(id)?.text ?? '').compact
    starts[position] = offset
    lines.push(line)
    offset += line.length + 1
  })
  return { folded: lines.join('\n'), starts }
}

/**
 * Positions of the bullets of a document that hold every word of a query.
 *
 * @param meta
 *   The document.
 * @param groups
 *   The query's words, each as its alternatives.
 * @returns
 *   Bullet positions, in order.
 */
function bulletsHolding(meta: DocumentMeta, groups: readonly (readonly Alternative[])[]): number[] {
  const count = meta.bulletIds.length
  if (count === 0 || groups.length === 0) return []
  let all: Uint8Array | undefined
  for (const group of groups) {
    const inGroup = new Uint8Array(count)
    for (const alternative of group) {
      let inAlternative: Uint8Array | undefined
      for (const word of alternative) {
        const inWord = new Uint8Array(count)
        markWord(meta, word, inWord)
        if (inAlternative) combine(inAlternative, inWord, (x, y) => x & y)
        else inAlternative = inWord
      }
      if (inAlternative) combine(inGroup, inAlternative, (x, y) => x | y)
    }
    if (all) combine(all, inGroup, (x, y) => x & y)
    else all = inGroup
  }
  const out: number[] = []
  all?.forEach((held, index) => {
    if (held) out.push(index)
  })
  return out
}

/** Set each mark of `into` to `operation` of it and the same mark of `other`. */
function combine(
  into: Uint8Array,
  other: Uint8Array,
  operation: (a: number, b: number) => number,
): void {
  for (let index = 0; index < into.length; index++) {
    into[index] = operation(into[index] as number, other[index] as number)
  }
}

/** Mark the bullets of a document holding a form of a word. */
function markWord(meta: DocumentMeta, word: WordForms, marks: Uint8Array): void {
  const text = meta.folded
  const mark = (at: number) => {
    // The last bullet starting at or before the offset.
    let low = 0
    let high = meta.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((meta.starts[middle] as number) <= at) low = middle
      else high = middle - 1
    }
    marks[low] = 1
  }
  for (const form of word.other) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) mark(at)
  }
  for (const form of word.latin) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
      if (latinAt(text, at, form, word.prefix)) mark(at)
    }
  }
}

/**
 * Text made ready for `holdsWord`.
 *
 * @param text
 *   Text as written.
 * @returns
 *   Its folded forms.
 */
function foldForCheck(text: string): CheckText {
  const folded = fold(text)
  // Korean spacing varies: bigrams across one space are indexed, so
  // `마이크로서비스` is held by `마이크로 서비스`.
  return { text: folded, compact: folded.replace(/(?<=[\uac00-\ud7a3]) (?=[\uac00-\ud7a3])/g, '') }
}

/** Whether a text holds a form of a word. */
function holdsWord(text: CheckText, word: WordForms): boolean {
  return (
    word.other.some((form) => text.compact.includes(form)) ||
    word.latin.some((form) => holdsLatin(text.text, form, word.prefix))
  )
}

/** Whether a Latin form stands in a text as a whole word, as a prefix, or with an ending. */
function holdsLatin(text: string, form: string, prefix: boolean): boolean {
  for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
    if (latinAt(text, at, form, prefix)) return true
  }
  return false
}

/** Whether a Latin form found at an offset is a whole word there (or a prefix, or takes an ending). */
function latinAt(text: string, at: number, form: string, prefix: boolean): boolean {
  if (at > 0 && isLatin(text.charCodeAt(at - 1))) return false
  if (prefix) return true
  let end = at + form.length
  const ending = /^(?:'s|\u2019s|es|s)/.exec(text.slice(end, end + 3))?.[0]
  if (ending && !isLatin(text.charCodeAt(end + ending.length))) end += ending.length
  return !isLatin(text.charCodeAt(end))
}

/** Whether a UTF-16 unit is a letter or digit of an alphabetic script (NaN past the end is not). */
function isLatin(code: number): boolean {
  if (Number.isNaN(code)) return false
  if (code < 0x80) {
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a)
    )
  }
  const char = String.fromCharCode(code)
  return runsOf(char)[0]?.script === 'word'
}

/**
 * The forms of a word or name, one entry per run of it (`react-native` is
 * two words to hold).
 *
 * @param words
 *   Words as written in the query, or a name.
 * @param prefix
 *   Whether the last run is being typed.
 * @returns
 *   Its forms.
 */
function formsOf(words: readonly string[], prefix: boolean): WordForms[] {
  const out: WordForms[] = []
  for (const word of words) {
    for (const run of runsOf(fold(word))) {
      if (run.script === 'hangul' && run.attached && isParticle(run.text)) continue
      if (run.script === 'word') {
        const stem = stemEnglish(run.text)
        out.push({
          latin: stem === run.text ? [run.text] : [run.text, stem],
          other: [],
          prefix: false,
        })
      } else {
        out.push({
          latin: [],
          other: [run.script === 'hangul' ? stripParticle(run.text) : run.text],
          prefix: false,
        })
      }
    }
  }
  const last = out.at(-1)
  if (prefix && last) out[out.length - 1] = { ...last, prefix: true }
  return out
}

/**
 * The searchable fields of a node, as written.
 *
 * @param node
 *   A post, talk, section or bullet.
 * @returns
 *   Pairs of field name and text.
 */
export function fieldsOfNode(node: GraphNode): [keyof SearchFields, string][] {
  switch (node.type) {
    case 'Post':
      return [
        ['postTitle', node.value.title],
        ['body', node.value.excerptText],
      ]
    case 'Talk':
      return node.value.speaker
        ? [
            ['talkTitle', node.value.title],
            ['speaker', node.value.speaker],
          ]
        : [['talkTitle', node.value.title]]
    case 'Section':
      return [['sectionTitle', node.value.title]]
    case 'Bullet':
      return [['text', node.value.text]]
    default:
      return []
  }
}

/** A query made ready for the engine. */
interface Prepared {
  readonly parsed: ParsedQuery
  /** The engine's query tree; undefined when no word is left to look for. */
  readonly tree: Query | undefined
  /** Each word (or name) of the query as its alternatives, for checking a node's own text. */
  readonly groups: readonly (readonly Alternative[])[]
  /** Exclusions: the words to hold, with the squashed phrase when there are several. */
  readonly excluded: readonly {
    readonly words: readonly WordForms[]
    readonly phrase: string | undefined
  }[]
  /** Squashed phrases, to check candidates against. */
  readonly phrases: readonly string[]
  /** The words joined as written, for the proximity bonus, when there are several. */
  readonly adjacent: string | undefined
  readonly needles: readonly Needle[]
}

type Query = Parameters<MiniSearch['search']>[0] & object

/** The terms of one word as written: Hangul without its particle, in the index's scheme. */
export function wordTerms(word: string, scheme: HangulScheme): string[] {
  const terms: string[] = []
  for (const run of runsOf(fold(word))) {
    if (run.script === 'word') terms.push(stemEnglish(run.text))
    // `Spark로`: the particle after a name is not asked of the text.
    else if (run.script === 'hangul' && run.attached && isParticle(run.text)) continue
    else if (run.script === 'hangul' && scheme === 'particle') terms.push(stripParticle(run.text))
    else terms.push(...bigrams(run.script === 'hangul' ? stripParticle(run.text) : run.text))
  }
  return terms
}

/** A word's surface forms worth highlighting: as written, without its particle, and a Latin word's stem. */
function wordNeedles(word: string): string[] {
  const out = new Set<string>()
  for (const run of runsOf(fold(word))) {
    if (run.script === 'hangul' && run.attached && isParticle(run.text)) continue
    out.add(run.script === 'hangul' ? stripParticle(run.text) : run.text)
    if (run.script === 'word') out.add(stemEnglish(run.text))
  }
  return [...out]
}

/** A word or words as looked up in the loanword table: folded, Hangul without particles, Latin words whole. */
function loanwordKey(words: string, stem: boolean): string {
  return runsOf(fold(words))
    .filter((run) => !(run.script === 'hangul' && run.attached && isParticle(run.text)))
    .map((run) =>
      run.script === 'hangul'
        ? stripParticle(run.text)
        : stem && run.script === 'word'
          ? stemEnglish(run.text)
          : run.text,
    )
    .join(' ')
}

/** Longest run of query words read as one technology name (`jetpack compose`). */
const maxNameWords = 3

function prepareQuery(
  parsed: ParsedQuery,
  graph: ContentGraph,
  scheme: HangulScheme,
  {
    termShare,
    synonymWeight,
    loanwords,
  }: { readonly termShare: boolean; readonly synonymWeight: number; readonly loanwords: boolean },
): Prepared {
  const needles = new Map<string, boolean>()
  const groups: Query[] = []
  const checks: Alternative[][] = []
  const words = parsed.words
  let index = 0
  while (index < words.length) {
    // Technology names may span words; the longest known name wins.
    let taken = 1
    let technology: ReturnType<ContentGraph['technologyByName']>
    let spellings: readonly string[] = []
    for (let size = Math.min(maxNameWords, words.length - index); size >= 1; size--) {
      const name = words.slice(index, index + size).join(' ')
      const stem = wordNeedles(name).join(' ')
      technology = graph.technologyByName(name) ?? graph.technologyByName(stem)
      if (loanwords) {
        spellings = otherSpellings(loanwordKey(name, false))
        if (spellings.length === 0) spellings = otherSpellings(loanwordKey(name, true))
      }
      if (technology || spellings.length > 0) {
        taken = size
        break
      }
    }
    const span = words.slice(index, index + taken)
    const isLast = index + taken === words.length
    const prefix = isLast && parsed.prefix
    const written = span.flatMap((word) => wordTerms(word, scheme))
    for (const word of span) {
      for (const needle of wordNeedles(word))
        needles.set(needle, prefix || needles.get(needle) === true)
    }
    const alternatives: string[][] = written.length > 0 ? [written] : []
    const weights: number[] = written.length > 0 ? [1] : []
    const check: Alternative[] = written.length > 0 ? [formsOf(span, prefix)] : []
    // A technology's names and a word's other spellings are alternatives of
    // the words as written: any one of them matches. A technology's names
    // are the same thing and weigh as much; another spelling of a word
    // weighs less, so text written as the query was comes first.
    const names = [
      ...(technology ? [technology.name, ...technology.aliases] : []).map((name) => ({
        name,
        weight: 1,
      })),
      ...spellings.map((name) => ({ name, weight: synonymWeight })),
    ]
    for (const { name, weight } of names) {
      const terms = wordTerms(name, scheme)
      if (terms.length > 0 && !alternatives.some((list) => list.join(' ') === terms.join(' '))) {
        alternatives.push(terms)
        weights.push(weight)
        check.push(formsOf([name], false))
        for (const needle of [fold(name), ...wordNeedles(name)]) {
          if (!needles.has(needle)) needles.set(needle, false)
        }
      }
    }
    index += taken
    if (alternatives.length === 0) continue
    const trees: Query[] = alternatives.map((terms, alternative) => ({
      // One string of the alternative's terms (the engine splits it on
      // spaces), so that each term weighs its share: a Hangul word of four
      // bigrams counts as one word, as `kubernetes` does.
      queries: [terms.join(' ')],
      combineWith: 'AND',
      boostTerm: (_term: string, _position: number, all: string[]) =>
        (weights[alternative] ?? 1) * (termShare ? 1 / all.length : 1),
      // Type-ahead: the last term of the last word as typed is a prefix (an
      // alias is a whole name). Hangul terms are prefixes in the particle
      // scheme, where a run is indexed whole.
      prefix: (term: string, position: number, all: string[]) =>
        (prefix && alternative === 0 && position === all.length - 1) ||
        (scheme === 'particle' && /[\uac00-\ud7a3]/.test(term)) ||
        // A lone Hangul or CJK character finds the bigrams it starts.
        (term.length === 1 && term.charCodeAt(0) > 0x7f),
    }))
    groups.push(trees.length === 1 ? (trees[0] as Query) : { queries: trees, combineWith: 'OR' })
    checks.push(check)
  }
  const excluded = parsed.excluded
    .map((list) => ({ list, words: formsOf(list, false) }))
    .filter(({ words }) => words.length > 0)
    .map(({ list, words }) => ({
      words,
      phrase: list.length > 1 ? squash(list.join(' ')) : undefined,
    }))
  const phrases = parsed.phrases.map((phrase) => squash(phrase.join(' ')))
  for (const phrase of parsed.phrases) needles.set(phrase.join(' '), false)
  const adjacent =
    words.length > 1
      ? squash(words.map((word) => wordNeedles(word).join(' ')).join(' '))
      : undefined
  return {
    parsed,
    tree: groups.length > 0 ? { queries: groups, combineWith: 'AND' } : undefined,
    groups: checks,
    excluded,
    phrases,
    adjacent,
    needles: [...needles]
      .filter(([text]) => text.length > 0)
      .map(([text, prefix]) => ({ text, prefix })),
  }
}

/** A test of the filter's conditions on a document, with post-level answers kept per post. */
function acceptor(
  graph: ContentGraph,
  filter: SearchFilter | null | undefined,
): (kind: SearchKind, meta: DocumentMeta) => boolean {
  if (!filter) return () => true
  const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : undefined
  const technology = filter.technology ? graph.technologyByName(filter.technology) : undefined
  const technologyPosts =
    filter.technology !== null && filter.technology !== undefined
      ? new Set(technology ? graph.postsByTechnology(technology.id).map((post) => post.id) : [])
      : undefined
  const onlyPost =
    filter.post !== null && filter.post !== undefined
      ? (graph.postBySlug(filter.post)?.id ?? null)
      : undefined
  const posts = new Map<string, boolean>()
  const postPasses = (postId: string) => {
    let passes = posts.get(postId)
    if (passes === undefined) {
      const post = graph.post(postId)
      passes =
        post !== undefined &&
        (onlyPost === undefined || post.id === onlyPost) &&
        (!filter.tag || post.tags.includes(filter.tag)) &&
        (!filter.category || post.categories.includes(filter.category)) &&
        (!technologyPosts || technologyPosts.has(post.id)) &&
        // Days are `YYYY-MM-DD`, so text order is date order.
        (!filter.dateFrom || (post.date !== null && post.date >= filter.dateFrom)) &&
        (!filter.dateTo || (post.date !== null && post.date <= filter.dateTo))
      posts.set(postId, passes)
    }
    return passes
  }
  return (kind, meta) => (!kinds || kinds.has(kind)) && postPasses(meta.version.postId)
}
