/**
 * Synthetic corpus of conference notes for the benchmarks: posts shaped like
 * `content/posts/datayanolja-2020.md` (front matter, numbered talks, sections,
 * nested bullets, code spans, Korean and English notes), built from word
 * lists so that no real post is copied and any size can be made.
 *
 * CLI: `tsx bench/corpus.ts --posts 1000 --seed 1 --out /tmp/x [--bytes 10240]`
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Bumped whenever the generator's output changes, so cached corpora are rebuilt. */
export const corpusVersion = 1

/** Default mean size of one post in UTF-8 bytes. */
export const defaultBytesPerPost = 10 * 1024

/** Options for `generateCorpus`. */
export interface CorpusOptions {
  /** Folder to write into (created; existing files with the same names are overwritten). */
  readonly dir: string
  /** Number of posts. */
  readonly posts: number
  /** Seed: the same seed gives the same bytes. */
  readonly seed: number
  /**
   * Mean post size in UTF-8 bytes; each post is 0.5–1.5× this.
   * @default 10240
   */
  readonly bytesPerPost?: number
}

/** What `generateCorpus` wrote. */
export interface Corpus {
  readonly dir: string
  readonly posts: number
  readonly seed: number
  readonly bytesPerPost: number
  /** Total bytes of Markdown written. */
  readonly bytes: number
  /** Paths of the posts relative to `dir`, in index order. */
  readonly files: readonly string[]
}

/**
 * A small seeded PRNG (mulberry32): fast, 32-bit state, good enough to vary
 * text; `Math.random` cannot be seeded.
 *
 * @param seed
 *   Any 32-bit integer.
 * @returns
 *   A function giving floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Mix a corpus seed and a post index into one 32-bit seed, so that post `i`
 * is the same whatever the corpus size: the first 1,000 posts of a
 * 10,000-post corpus are the 1,000-post corpus, which makes sampling fair.
 *
 * @param seed
 *   Corpus seed.
 * @param index
 *   Post index.
 * @returns
 *   A 32-bit seed.
 */
export function postSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

// ---------------------------------------------------------------------------
// Word lists. Invented for the benchmark; companies and people are fictional.

const conferences = [
  '데이터 한마당',
  '백엔드 서밋',
  '클라우드 네이티브 데이',
  '머신러닝 세미나',
  '개발자 밋업',
  'Data Meetup',
  'Backend Summit',
  'Frontend Night',
  '검색 기술 워크숍',
  '플랫폼 엔지니어링 데이',
]
const conferenceSlugs = [
  'data-hanmadang',
  'backend-summit',
  'cloud-native-day',
  'ml-seminar',
  'dev-meetup',
  'data-meetup',
  'backend-summit-en',
  'frontend-night',
  'search-workshop',
  'platform-day',
]
const companies = [
  '별빛커머스',
  '바다소프트',
  '구름랩스',
  '새싹페이',
  '마을마켓',
  '하늘모빌리티',
  '숲게임즈',
  '달빛뱅크',
  '노을헬스',
  '파도미디어',
]
const familyNames = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임']
const givenSyllables = ['서', '연', '민', '준', '지', '우', '하', '은', '현', '수', '도', '윤']

/** Technologies written as code spans; a few list several, as notes do. */
const codeSpanTech = [
  'Spark',
  'Kafka',
  'Airflow',
  'Kubernetes',
  'Elasticsearch',
  'BigQuery',
  'Athena',
  'S3',
  'Jupyter',
  'Zeppelin/Jupyter',
  'torch-serve',
  'flask',
  'pyspark',
  'transformers',
  'sentencepiece',
  'BERT',
  'Superset',
  'Redis',
  'MySQL',
  'PostgreSQL',
  'mongodb, mysql, oracle',
  'Docker',
  'Terraform',
  'Prometheus/Grafana',
  'Flink',
  'Hadoop',
  'Trino',
  'dbt',
  'Tableau',
  'TensorFlow',
  'PyTorch',
  'scikit-learn',
  'pandas',
  'Spring Boot',
  'Kotlin',
  'GraphQL',
  'gRPC',
  'Istio',
  'Jenkins',
  'GitHub Actions',
  'ELK stack',
  'Kibana',
  'ClickHouse',
  'Snowflake',
  'Metabase',
  'LangChain',
]
/** Code spans that are code, not names: the reader must leave these alone. */
const codeSpanCode = [
  'SELECT count(*) FROM events',
  'kubectl apply -f deploy.yaml',
  'df.groupBy("user_id")',
  'git rebase -i',
  'npm run build',
  'spark.sql.shuffle.partitions=200',
  '--max-old-space-size',
  'SET search_path',
]
/** Technologies named in plain text, followed by a Korean particle. */
const plainTech = [
  'Spark',
  'Kafka',
  'Airflow',
  'Kubernetes',
  'Superset',
  'Redis',
  'Docker',
  'Jupyter',
  'BigQuery',
  'Flink',
  'Python',
  'Kotlin',
  'React',
  'Elasticsearch',
  'Terraform',
]
/** Korean spellings the catalog knows as aliases. */
const koreanTech = [
  '쿠버네티스',
  '스파크',
  '카프카',
  '파이썬',
  '도커',
  '에어플로우',
  '레디스',
  '엘라스틱서치',
  '빅쿼리',
  '주피터',
  '코틀린',
  '리액트',
]
const nouns = [
  '데이터',
  '파이프라인',
  '모델',
  '서빙',
  '배포',
  '모니터링',
  '검색',
  '추천',
  '로그',
  '지표',
  '실험',
  '비용',
  '성능',
  '지연 시간',
  '처리량',
  '스키마',
  '테이블',
  '쿼리',
  '대시보드',
  '클러스터',
  '컨테이너',
  '서비스',
  '조직',
  '문화',
  '채용',
  '장애',
  '알림',
  '캐시',
  '인덱스',
  '배치',
  '스트리밍',
  '이벤트',
  '권한',
  '보안',
  '아키텍처',
  '마이그레이션',
  '테스트',
  '코드 리뷰',
  '문서화',
  '사용자',
  '트래픽',
  '저장소',
  '메타데이터',
  '품질',
  '라벨링',
  '피처',
  '학습',
  '정합성',
  '운영',
  '자동화',
]
const adjectives = [
  '빠른',
  '안전한',
  '복잡한',
  '작은',
  '거대한',
  '오래된',
  '새로운',
  '느린',
  '정교한',
  '단순한',
  '비싼',
  '저렴한',
]
const adverbs = ['빠르게', '쉽게', '안전하게', '꾸준히', '먼저', '결국', '일단', '점점', '직접']
const predicates = [
  '처리함',
  '개선함',
  '줄임',
  '늘어남',
  '도입함',
  '분리함',
  '저장함',
  '공유함',
  '자동화함',
  '측정함',
  '해결할 수 있음',
  '어려웠음',
  '필요함',
  '중요함',
  '가능해짐',
  '사용 중',
  '검토 중',
  '고민해야 함',
]
const sectionTitles = [
  '배경',
  '문제 정의',
  '아키텍처',
  '모델 학습 및 서빙',
  '데이터 인프라',
  '운영 경험',
  '성과',
  '회고',
  '질의응답',
  'Lessons learned',
  'Architecture',
  'Q&A',
  '앞으로의 계획',
]
const englishSubjects = [
  'the team',
  'the pipeline',
  'our platform',
  'every service',
  'the batch job',
  'the search cluster',
  'a single consumer',
  'the feature store',
  'the on-call engineer',
  'the data catalog',
]
const englishVerbs = [
  'moved',
  'rewrote',
  'split',
  'replaced',
  'measured',
  'cached',
  'sharded',
  'retried',
  'monitored',
  'migrated',
]
const englishObjects = [
  'the hot path',
  'nightly reports',
  'user events',
  'the model registry',
  'slow queries',
  'the ingestion layer',
  'old partitions',
  'alert rules',
  'the schema',
  'deployment scripts',
]
const englishTails = [
  'to cut latency in half',
  'because costs kept growing',
  'after two outages',
  'without downtime',
  'in about three months',
  'so analysts could self-serve',
  'which nobody expected',
  'and it paid off',
]
const linkTexts = ['발표 자료', '슬라이드', 'GitHub 저장소', '공식 문서', 'blog post', 'paper']

// ---------------------------------------------------------------------------

type Random = () => number

const int = (random: Random, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1))
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T
const chance = (random: Random, p: number) => random() < p

/** Whether a Hangul word ends in a final consonant, which picks the particle form. */
function finalConsonant(word: string): number | undefined {
  const code = word.charCodeAt(word.length - 1)
  if (code < 0xac00 || code > 0xd7a3) return undefined
  return (code - 0xac00) % 28
}

type Particle = 'object' | 'topic' | 'subject' | 'with' | 'by'

/** Attach a Korean particle in the form the word's last syllable asks for. */
function withParticle(random: Random, word: string, particle: Particle): string {
  const final = finalConsonant(word)
  // Latin words: writers pick by pronunciation, which we cannot know; either form occurs.
  const hasFinal = final === undefined ? chance(random, 0.5) : final !== 0
  switch (particle) {
    case 'object':
      return word + (hasFinal ? '을' : '를')
    case 'topic':
      return word + (hasFinal ? '은' : '는')
    case 'subject':
      return word + (hasFinal ? '이' : '가')
    case 'with':
      return word + (hasFinal ? '과' : '와')
    case 'by':
      // ㄹ-final words take 로, as do vowel-final ones.
      return word + (hasFinal && final !== 8 ? '으로' : '로')
  }
}

const particles: readonly Particle[] = ['object', 'topic', 'subject', 'with', 'by']

/** One technology reference in one of the forms notes use. */
function techPhrase(random: Random): string {
  const roll = random()
  if (roll < 0.45) return `\`${pick(random, codeSpanTech)}\``
  if (roll < 0.75) return withParticle(random, pick(random, plainTech), pick(random, particles))
  if (roll < 0.95) return withParticle(random, pick(random, koreanTech), pick(random, particles))
  return `\`${pick(random, codeSpanCode)}\``
}

function koreanSentence(random: Random): string {
  const parts: string[] = []
  if (chance(random, 0.3)) parts.push(pick(random, adverbs))
  if (chance(random, 0.5)) parts.push(techPhrase(random))
  if (chance(random, 0.4)) parts.push(pick(random, adjectives))
  parts.push(withParticle(random, pick(random, nouns), pick(random, particles)))
  if (chance(random, 0.5)) {
    parts.push(withParticle(random, pick(random, nouns), 'object'))
  }
  parts.push(pick(random, predicates))
  let text = parts.join(' ')
  if (chance(random, 0.08)) text = `**${text}**`
  if (chance(random, 0.1)) text += ` (${int(random, 2, 99)}% 개선)`
  if (chance(random, 0.1)) text += ` -> ${pick(random, nouns)} ${pick(random, predicates)}`
  return text
}

function englishSentence(random: Random): string {
  const subject = pick(random, englishSubjects)
  let text = `${subject.charAt(0).toUpperCase()}${subject.slice(1)} ${pick(random, englishVerbs)} ${pick(random, englishObjects)}`
  if (chance(random, 0.5)) text += ` to \`${pick(random, codeSpanTech)}\``
  text += ` ${pick(random, englishTails)}`
  if (chance(random, 0.08)) text = `**${text}**`
  return text
}

function sentence(random: Random, englishShare: number): string {
  let text = chance(random, englishShare) ? englishSentence(random) : koreanSentence(random)
  if (chance(random, 0.04)) {
    text += ` ([${pick(random, linkTexts)}](https://example.com/${int(random, 1, 9999)}))`
  }
  return text
}

function talkTitle(random: Random): string {
  const roll = random()
  if (roll < 0.3) {
    return `${withParticle(random, pick(random, plainTech), 'by')} ${pick(random, nouns)} ${pick(random, ['개선하기', '만들기', '바꾸기', '운영하기'])}`
  }
  if (roll < 0.55) {
    return `${pick(random, companies)}에서 ${withParticle(random, pick(random, nouns), 'by')} 일하는 방법`
  }
  if (roll < 0.75) {
    return `${pick(random, adjectives)} ${withParticle(random, pick(random, nouns), 'with')} 함께 ${pick(random, nouns)} 이야기`
  }
  if (roll < 0.9) {
    return `Scaling ${pick(random, englishObjects)} with ${pick(random, plainTech)}`
  }
  return `\`${pick(random, codeSpanTech)}\` 도입기`
}

function personName(random: Random): string {
  return pick(random, familyNames) + pick(random, givenSyllables) + pick(random, givenSyllables)
}

/** Nested bullets until `budget` bytes are used; returns the lines. */
function bulletLines(random: Random, budget: number, englishShare: number): string[] {
  const lines: string[] = []
  let used = 0
  let depth = 0
  while (used < budget) {
    // Depth moves by at most one level deeper, as real outlines do (1–3
    // levels), and a list starts at the top level.
    const roll = random()
    if (lines.length === 0) depth = 0
    else if (roll < 0.35 && depth < 2) depth++
    else if (roll < 0.6 && depth > 0) depth = int(random, 0, depth - 1)
    const indent = '  '.repeat(depth)
    const text = chance(random, 0.03) ? '' : sentence(random, englishShare)
    const line = text === '' ? `${indent}-` : `${indent}- ${text}`
    lines.push(line)
    used += Buffer.byteLength(line) + 1
  }
  return lines
}

function frontMatter(
  random: Random,
  conference: string,
  index: number,
  year: number,
  date: string,
): string[] {
  const lines = ['---']
  if (chance(random, 0.7)) lines.push('layout: post')
  lines.push(`title: ${conference} ${year} (${index + 1})`)
  const time = `${String(int(random, 9, 20)).padStart(2, '0')}:${String(int(random, 0, 59)).padStart(2, '0')}:00`
  const format = random()
  if (format < 0.4) lines.push(`date: ${date}`)
  else if (format < 0.8) lines.push(`date: ${date} ${time} +0900`)
  else lines.push(`date: ${date}T${time}+09:00`)
  const tags = ['seminar', 'conference', 'data', 'backend', 'ml', 'infra', '후기', '세미나']
  const tagList = Array.from({ length: int(random, 1, 3) }, () => pick(random, tags))
  lines.push(chance(random, 0.8) ? `tags: [${tagList.join(', ')}]` : `tags: ${tagList.join(', ')}`)
  lines.push(`categories: [${pick(random, ['Etc', 'Conference', 'Data', 'Dev'])}]`)
  if (chance(random, 0.4)) lines.push('excerpt_separator: <!--more-->')
  lines.push('---')
  return lines
}

/** Everything needed to write one post: its relative path and text. */
export interface GeneratedPost {
  readonly path: string
  readonly text: string
}

/**
 * Generate one post from the corpus seed and its index.
 *
 * @param seed
 *   Corpus seed.
 * @param index
 *   Post index (0-based).
 * @param bytesPerPost
 *   Mean size in bytes.
 * @returns
 *   Relative path (`<year>/...md`) and text.
 */
export function generatePost(
  seed: number,
  index: number,
  bytesPerPost: number = defaultBytesPerPost,
): GeneratedPost {
  const random = mulberry32(postSeed(seed, index))
  const year = int(random, 2015, 2024)
  const date = `${year}-${String(int(random, 1, 12)).padStart(2, '0')}-${String(int(random, 1, 28)).padStart(2, '0')}`
  const target = Math.round(bytesPerPost * (0.5 + random()))
  const englishShare = chance(random, 0.2) ? 0.7 : 0.15
  const conference = pick(random, conferences)
  const lines = frontMatter(random, conference, index, year, date)
  const separator = lines.includes('excerpt_separator: <!--more-->')
  lines.push(
    `${year} [${conference}](https://example.com/events/${year})에서 듣고 메모한 내용을 적어 보았습니다.${separator ? '<!--more-->' : ''}`,
    '',
  )
  if (chance(random, 0.3)) lines.push(`![schedule](https://example.com/img/${index}.png)`, '')
  lines.push('---', '')

  const talks = int(random, 3, 9)
  // Some talks carry no notes at all (`-` alone), as in the sample post.
  const empty = Array.from({ length: talks }, () => chance(random, 0.15))
  const filled = Math.max(1, empty.filter((isEmpty) => !isEmpty).length)
  const headerBytes = Buffer.byteLength(lines.join('\n'))
  const perTalk = Math.max(200, (target - headerBytes) / filled)
  for (let talk = 0; talk < talks; talk++) {
    let title = talkTitle(random)
    if (chance(random, 0.2)) title += ` / ${personName(random)} 님`
    lines.push(`### ${talk + 1}. ${title}`, '')
    if (empty[talk]) {
      lines.push('-', '')
    } else {
      const sections = chance(random, 0.4) ? 0 : int(random, 1, 4)
      const perSection = perTalk / Math.max(1, sections)
      for (let section = 0; section < Math.max(1, sections); section++) {
        if (sections > 0) lines.push(`#### ${pick(random, sectionTitles)}`, '')
        if (chance(random, 0.15)) lines.push(sentence(random, englishShare), '')
        lines.push(...bulletLines(random, perSection * 0.9, englishShare), '')
        if (chance(random, 0.12)) lines.push(`> ${sentence(random, englishShare)}`, '')
      }
    }
    lines.push('<br>', '', '---', '')
  }
  const slug = `${conferenceSlugs[conferences.indexOf(conference)] ?? 'notes'}-${year}-${String(index).padStart(6, '0')}`
  // Jekyll-style date prefixes on some names, bare slugs on others.
  const name = chance(random, 0.5) ? `${date}-${slug}.md` : `${slug}.md`
  return { path: `${year}/${name}`, text: lines.join('\n') }
}

/**
 * Write a corpus of generated posts into a folder, one subfolder per year.
 *
 * @param options
 *   Folder, size and seed.
 * @returns
 *   What was written.
 */
export function generateCorpus(options: CorpusOptions): Corpus {
  const bytesPerPost = options.bytesPerPost ?? defaultBytesPerPost
  const files: string[] = []
  const folders = new Set<string>()
  let bytes = 0
  for (let index = 0; index < options.posts; index++) {
    const post = generatePost(options.seed, index, bytesPerPost)
    const absolute = path.join(options.dir, post.path)
    const folder = path.dirname(absolute)
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true })
      folders.add(folder)
    }
    const data = Buffer.from(post.text)
    // Sync writes: many small files, and nothing else to overlap with.
    writeFileSync(absolute, data)
    bytes += data.length
    files.push(post.path)
  }
  return { dir: options.dir, posts: options.posts, seed: options.seed, bytesPerPost, bytes, files }
}

/** Root of the corpora cached between runs. */
export const corpusCacheRoot = path.join(tmpdir(), 'content-graph-bench')

/**
 * Get a corpus from the cache under `os.tmpdir()/content-graph-bench/<N>-<seed>`,
 * generating it first when missing or made by another generator version.
 *
 * @param posts
 *   Number of posts.
 * @param seed
 *   Seed.
 * @param bytesPerPost
 *   Mean post size; a non-default size gets its own folder.
 * @returns
 *   The corpus and whether it was reused.
 */
export function cachedCorpus(
  posts: number,
  seed: number,
  bytesPerPost: number = defaultBytesPerPost,
): { corpus: Corpus; reused: boolean; ms: number } {
  const started = performance.now()
  const suffix = bytesPerPost === defaultBytesPerPost ? '' : `-${bytesPerPost}b`
  const dir = path.join(corpusCacheRoot, `${posts}-${seed}${suffix}`)
  // Dot-named, so the content loader skips it like any hidden file.
  const manifestPath = path.join(dir, '.corpus.json')
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Corpus & {
      version: number
    }
    if (manifest.version === corpusVersion && manifest.bytesPerPost === bytesPerPost) {
      return { corpus: { ...manifest, dir }, reused: true, ms: performance.now() - started }
    }
  } catch {
    // Missing or unreadable: generate.
  }
  // Generate beside the target and rename, so an interrupted run never
  // leaves a half-written corpus that looks complete.
  const building = `${dir}.${process.pid}.tmp`
  rmSync(building, { recursive: true, force: true })
  const corpus = generateCorpus({ dir: building, posts, seed, bytesPerPost })
  writeFileSync(
    path.join(building, '.corpus.json'),
    JSON.stringify({ ...corpus, dir, version: corpusVersion }),
  )
  rmSync(dir, { recursive: true, force: true })
  renameSync(building, dir)
  return { corpus: { ...corpus, dir }, reused: false, ms: performance.now() - started }
}

function main(argv: readonly string[]): void {
  const value = (flag: string) => {
    const index = argv.indexOf(flag)
    return index === -1 ? undefined : argv[index + 1]
  }
  const posts = Number(value('--posts') ?? 1000)
  const seed = Number(value('--seed') ?? 1)
  const out = value('--out')
  const bytesPerPost = Number(value('--bytes') ?? defaultBytesPerPost)
  if (!out || !Number.isInteger(posts) || posts < 0 || !Number.isFinite(seed)) {
    console.error(
      'usage: tsx bench/corpus.ts --posts 1000 --seed 1 --out /tmp/corpus [--bytes 10240]',
    )
    process.exitCode = 2
    return
  }
  const started = performance.now()
  const corpus = generateCorpus({ dir: out, posts, seed, bytesPerPost })
  const seconds = (performance.now() - started) / 1000
  console.log(
    `wrote ${corpus.posts} posts, ${(corpus.bytes / 1e6).toFixed(1)} MB, to ${out} in ${seconds.toFixed(1)} s`,
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2))
}
