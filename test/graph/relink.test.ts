import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ExtractedPost, extractPost } from '../../src/extract/post.ts'
import { type ContentGraph, createContentGraph } from '../../src/graph/content-graph.ts'
import { catalog } from '../helpers/fixtures.ts'

const paths = ['a.md', 'b.md', 'notes/c.md', 'notes/d.md', 'z.md']
const slugs = ['one', 'two', 'three']
const technologies = ['`Spark`', 'Kafka로', '`torch-serve`', 'BigQuery', '쿠버네티스를']

/** A small post; the slug and technology choices make duplicates and shared technologies common. */
function read(path: string, slug: number, technology: number, words: number): ExtractedPost {
  const text = `---\ntitle: Post ${slug} ${words}\nslug: ${slugs[slug]}\ndate: 2024-01-0${1 + (words % 9)}\n---\n### 1. Talk\n\n- uses ${technologies[technology]}\n  - ${'word '.repeat(words)}\n`
  const result = extractPost({ path, text }, { catalog })
  if (!result.post) throw new Error(`fixture post did not read: ${path}`)
  return result.post
}

/** What a snapshot says, for comparing one linked anew with one relinked. */
function said(graph: ContentGraph) {
  return {
    version: graph.version,
    posts: graph.posts.map((post) => post.id),
    bySlug: slugs.map((slug) => graph.postBySlug(slug)?.id ?? null),
    problems: graph.problems,
    stats: graph.stats,
    technologies: graph.technologies.map((technology) => [
      technology.slug,
      graph.mentionCount(technology.id),
      graph.postsByTechnology(technology.id).map((post) => post.id),
    ]),
    node: graph.posts.map((post) => graph.node(post.id)?.value === post),
  }
}

const change = fc.record({
  path: fc.constantFrom(...paths),
  // null removes the post at that path.
  post: fc.option(
    fc.record({
      slug: fc.integer({ min: 0, max: slugs.length - 1 }),
      technology: fc.integer({ min: 0, max: technologies.length - 1 }),
      words: fc.integer({ min: 0, max: 20 }),
    }),
  ),
})

describe('relinking after a change', () => {
  it('should give the same snapshot as linking every post anew', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        (steps) => {
          const posts = new Map<string, ExtractedPost>()
          let graph = createContentGraph({ posts: [], catalog, problems: [] })
          for (const step of steps) {
            const changed = new Set<string>()
            for (const { path, post } of step) {
              changed.add(path)
              if (post) posts.set(path, read(path, post.slug, post.technology, post.words))
              else posts.delete(path)
            }
            const relinked = createContentGraph({
              posts: [...posts.values()],
              catalog,
              problems: [],
              previous: { graph, changed },
            })
            const anew = createContentGraph({ posts: [...posts.values()], catalog, problems: [] })
            expect(said(relinked)).toEqual(said(anew))
            graph = relinked
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('should stay the same over many changes to many slugs', () => {
    // Enough changed slugs that the slug index folds its changes in, twice.
    const text = (slug: string, words: number) =>
      `---\ntitle: ${slug}\nslug: ${slug}\ndate: 2024-02-03\n---\n- ${'word '.repeat(words)}\n`
    const posts = new Map<string, ExtractedPost>()
    let graph = createContentGraph({ posts: [], catalog, problems: [] })
    for (let step = 0; step < 700; step++) {
      const path = `p${(step * 7) % 400}.md`
      const slug = `s${(step * 13) % 300}`
      const extracted = extractPost({ path, text: text(slug, step % 5) }, { catalog }).post
      if (step % 9 === 0 || !extracted) posts.delete(path)
      else posts.set(path, extracted)
      graph = createContentGraph({
        posts: [...posts.values()],
        catalog,
        problems: [],
        previous: { graph, changed: new Set([path]) },
      })
    }
    const anew = createContentGraph({ posts: [...posts.values()], catalog, problems: [] })
    expect(said(graph)).toEqual(said(anew))
    for (let slug = 0; slug < 300; slug++) {
      expect(graph.postBySlug(`s${slug}`)?.id).toBe(anew.postBySlug(`s${slug}`)?.id)
    }
  })

  it('should change the version when a post changes and keep it when nothing does', () => {
    const first = read('a.md', 0, 0, 1)
    const graph = createContentGraph({ posts: [first], catalog, problems: [] })
    const same = createContentGraph({
      posts: [first],
      catalog,
      problems: [],
      previous: { graph, changed: new Set(['a.md']) },
    })
    expect(same.version).toBe(graph.version)
    const edited = createContentGraph({
      posts: [read('a.md', 0, 0, 2)],
      catalog,
      problems: [],
      previous: { graph, changed: new Set(['a.md']) },
    })
    expect(edited.version).not.toBe(graph.version)
    const back = createContentGraph({
      posts: [first],
      catalog,
      problems: [],
      previous: { graph: edited, changed: new Set(['a.md']) },
    })
    expect(back.version).toBe(graph.version)
  })
})
