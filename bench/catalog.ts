/**
 * What the technology catalog costs: loading it, building its lookups, its
 * memory, and matching it against the text of real posts.
 *
 * Usage: `node --expose-gc --import tsx bench/catalog.ts [folder] [--runs 5]`
 * (the folder defaults to `../shared/corpus`, else `content/`). Standalone and
 * short (a few seconds), so that a change to the catalog or its matcher can be
 * measured side by side with the version before it in one sitting.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import type { Nodes } from 'mdast'
import { collectGarbage, heapUsedAfterGc, listMarkdown, repoRoot } from './lib.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' } },
})
const runs = Math.max(1, Number(values.runs))
const shared = path.resolve(repoRoot, '../shared/corpus')
const folder = path.resolve(
  positionals[0] ?? (existsSync(shared) ? shared : path.join(repoRoot, 'content')),
)

const heapBefore = heapUsedAfterGc()
const loadStarted = performance.now()
const { builtinCatalogEntries, createCatalog } = await import('../src/catalog/catalog.ts')
const loadMs = performance.now() - loadStarted
const { parseMarkdown } = await import('../src/parse/markdown.ts')
const { extractPost } = await import('../src/extract/post.ts')

const buildMs: number[] = []
let catalog = createCatalog(builtinCatalogEntries)
for (let run = 0; run < runs; run++) {
  const started = performance.now()
  catalog = createCatalog(builtinCatalogEntries)
  buildMs.push(performance.now() - started)
}
collectGarbage()
const heapAfter = heapUsedAfterGc()

const files = listMarkdown(folder).map((file) => ({
  path: path.relative(folder, file),
  text: readFileSync(file, 'utf8'),
}))
// Every text node of every post, as the reader hands them to the matcher.
const texts: string[] = []
for (const file of files) {
  const visit = (node: Nodes) => {
    if (node.type === 'text') texts.push(node.value)
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
  }
  visit(parseMarkdown(file.text))
}

const matchMs: number[] = []
let matches = 0
for (let run = 0; run < runs + 1; run++) {
  const started = performance.now()
  let found = 0
  for (const text of texts) found += catalog.matchText(text).length
  if (run > 0) matchMs.push(performance.now() - started) // the first run warms up
  matches = found
}

const extractMs: number[] = []
for (let run = 0; run < runs + 1; run++) {
  const started = performance.now()
  for (const file of files) extractPost(file, { catalog })
  if (run > 0) extractMs.push(performance.now() - started)
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0
const mib = (bytes: number | undefined, base: number | undefined) =>
  bytes === undefined || base === undefined
    ? 'n/a (run with --expose-gc)'
    : `${((bytes - base) / 2 ** 20).toFixed(1)} MiB`

console.log(`folder: ${folder} (${files.length} posts, ${texts.length} text nodes)`)
console.log(`catalog entries: ${catalog.entries.length}`)
console.log(`import catalog module (JSON included): ${loadMs.toFixed(1)} ms`)
console.log(`createCatalog: median ${median(buildMs).toFixed(1)} ms of ${runs}`)
console.log(`heap held by the catalog modules and one catalog: ${mib(heapAfter, heapBefore)}`)
console.log(
  `matchText over every text node: median ${median(matchMs).toFixed(1)} ms of ${runs} (${matches} matches, ${((median(matchMs) * 1000) / files.length).toFixed(0)} µs per post)`,
)
console.log(
  `extractPost over every post: median ${median(extractMs).toFixed(0)} ms of ${runs} (${(median(extractMs) / files.length).toFixed(2)} ms per post)`,
)
