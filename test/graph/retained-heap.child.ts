/**
 * Run by `retained-heap.test.ts` in its own process, with `--expose-gc`:
 * builds a graph cold, then follows it through many updates (one post
 * changed each time, queries in between, as watch mode does), and prints
 * the heap retained after each, once garbage is collected, as JSON.
 */
import { builtinCatalogEntries, createCatalog } from '../../src/catalog/catalog.ts'
import { type ExtractResult, extractPost } from '../../src/extract/post.ts'
import { linkResults } from '../../src/load/content.ts'

const posts = Number(process.argv[2] ?? 200)
const updates = Number(process.argv[3] ?? 1000)
const catalog = createCatalog(builtinCatalogEntries)

const text = (index: number, edit: number) =>
  [
    `---\ntitle: Post ${index}\ndate: 2024-01-${String((index % 28) + 1).padStart(2, '0')}\ntags: [t${index % 7}]\n---`,
    ...Array.from({ length: 4 }, (_, talk) =>
      [
        `## ${talk + 1}. Talk ${talk} of post ${index}`,
        ...Array.from(
          { length: 6 },
          (_, bullet) =>
            `- note ${bullet} (edit ${edit}) about \`Spark\`, Kafka and \`Kubernetes\``,
        ),
      ].join('\n'),
    ),
  ].join('\n\n')

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const retained = async () => {
  // Objects a WeakRef was made to during this job stay alive until it ends.
  await new Promise((resolve) => setImmediate(resolve))
  for (let round = 0; round < 3; round++) gc()
  return process.memoryUsage().heapUsed
}

/** Ask what clients ask, so the graph's lazy indexes are built. */
const ask = (graph: ReturnType<typeof linkResults>) => {
  void graph.stats
  void graph.technologies.length
  for (const technology of graph.technologies.slice(0, 1)) {
    graph.talksByTechnology(technology.id)
    graph.mentionsOf(technology.id)
  }
  const first = graph.posts[0]
  if (first) graph.technologiesOf(first.id)
  void graph.tags
}

// Two versions of every post, read before measuring: updates swap them, so
// the loop measures linking, not the reader.
const versions = Array.from({ length: posts }, (_, index) =>
  [0, 1].map((edit) =>
    extractPost({ path: `post-${index}.md`, text: text(index, edit) }, { catalog }),
  ),
)
const results = new Map<string, ExtractResult>()
for (const [index, pair] of versions.entries()) {
  results.set(`post-${index}.md`, pair[0] as ExtractResult)
}
const start = await retained()
let graph = linkResults(results.values(), catalog, [])
ask(graph)
const cold = (await retained()) - start

const began = performance.now()
for (let update = 1; update <= updates; update++) {
  const index = update % posts
  const path = `post-${index}.md`
  const pair = versions[index] as ExtractResult[]
  results.set(path, pair[Math.floor(update / posts) % 2] as ExtractResult)
  graph = linkResults(results.values(), catalog, [], {
    previous: { graph, changed: new Set([path]) },
  })
  ask(graph)
}
const after = (await retained()) - start
const ms = performance.now() - began
process.stdout.write(`${JSON.stringify({ cold, after, posts: graph.posts.length, ms })}\n`)
