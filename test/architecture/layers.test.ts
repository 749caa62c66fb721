import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The layers of src/, lowest first: a module may import from its own layer and
// those below it, never from one above, not even a type. README.md
// ("Architecture") draws the same chain. Files at the top of src/ are named
// on their own.
const layers: readonly (readonly string[])[] = [
  ['model', 'program.ts'],
  ['catalog'],
  ['parse'],
  ['extract'],
  ['graph'],
  ['search'],
  ['load'],
  ['watch'],
  // The generated resolver types belong to the API: they name its context.
  ['api', 'generated'],
  ['server'],
  ['cli', 'cli.ts', 'index.ts'],
]

const src = fileURLToPath(new URL('../../src/', import.meta.url))

/** One import between two modules of src/, as paths relative to src/. */
interface Edge {
  readonly from: string
  readonly to: string
}

/** Every module of a folder, as paths relative to it with `/` separators. */
function modules(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(path.sep).join('/'))
    .sort()
}

/**
 * The imports between modules: `import`, `import type`, `export … from` and
 * `import()` (types written `import('…').X` too), as TypeScript's own
 * pre-processor finds them. Package imports are not edges.
 */
function importsOf(sources: ReadonlyMap<string, string>): Edge[] {
  const edges: Edge[] = []
  for (const [from, text] of sources) {
    for (const found of ts.preProcessFile(text, true, true).importedFiles) {
      if (!found.fileName.startsWith('.')) continue
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), found.fileName))
      edges.push({ from, to })
    }
  }
  return edges
}

/** The layer of a module (its index in `layers`), or -1 when it has none. */
function layerOf(file: string): number {
  const top = file.includes('/') ? (file.split('/')[0] ?? '') : file
  return layers.findIndex((names) => names.includes(top))
}

/** The edges that point from a lower layer to a higher one, as `from -> to`. */
function upward(edges: readonly Edge[]): string[] {
  return edges
    .filter((edge) => layerOf(edge.from) < layerOf(edge.to))
    .map((edge) => `${edge.from} -> ${edge.to}`)
}

/**
 * The import cycles among modules: each strongly connected set of more than
 * one module (or one importing itself), found with Tarjan's algorithm.
 */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const { from, to } of edges) {
    if (!next.has(to)) next.set(to, [])
    next.set(from, [...(next.get(from) ?? []), to])
  }
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    index.set(node, index.size)
    low.set(node, index.get(node) ?? 0)
    stack.push(node)
    onStack.add(node)
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0))
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const group: string[] = []
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member)
      group.push(member)
      if (member === node) break
    }
    if (group.length > 1 || next.get(node)?.includes(node)) found.push(group.sort())
  }
  for (const node of next.keys()) if (!index.has(node)) visit(node)
  return found
}

const sources = new Map(
  modules(src).map((file) => [file, readFileSync(path.join(src, file), 'utf8')]),
)
const edges = importsOf(sources)

describe('the import graph of src/', () => {
  it('should place every module in a layer', () => {
    expect([...sources.keys()].filter((file) => layerOf(file) === -1)).toEqual([])
  })

  it('should only import files that exist', () => {
    const missing = edges.filter((edge) => !existsSync(path.join(src, edge.to)))
    expect(missing.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([])
  })

  it('should never import from a higher layer, not even a type', () => {
    expect(upward(edges)).toEqual([])
  })

  it('should have no import cycle', () => {
    expect(cycles(edges)).toEqual([])
  })
})

describe('the layer rule itself', () => {
  const example = (files: Record<string, string>) => importsOf(new Map(Object.entries(files)))

  it('should flag a type imported from a higher layer', () => {
    const found = example({
      'search/index.ts': "import type { ApiContext } from '../api/context.ts'\n",
      'api/context.ts': 'export interface ApiContext { readonly x: number }\n',
    })
    expect(upward(found)).toEqual(['search/index.ts -> api/context.ts'])
  })

  it('should flag a dynamic import and a re-export from a higher layer', () => {
    const found = example({
      'model/types.ts':
        "export type X = import('../graph/content-graph.ts').Term\nexport * from '../cli.ts'\n",
    })
    expect(upward(found)).toEqual([
      'model/types.ts -> graph/content-graph.ts',
      'model/types.ts -> cli.ts',
    ])
  })

  it('should let a module import its own layer and the ones below', () => {
    const found = example({
      'api/schema.ts': "import type { Resolvers } from '../generated/graphql.ts'\n",
      'generated/graphql.ts': "import type { ApiContext } from '../api/context.ts'\n",
      'graph/queries.ts': "import { toGlobalId } from '../model/ids.ts'\n",
    })
    expect(upward(found)).toEqual([])
  })

  it('should find a cycle, however long', () => {
    const found = example({
      'load/a.ts': "import './b.ts'\n",
      'load/b.ts': "import './c.ts'\n",
      'load/c.ts': "import type { A } from './a.ts'\n",
      'load/d.ts': "import './a.ts'\n",
    })
    expect(cycles(found)).toEqual([['load/a.ts', 'load/b.ts', 'load/c.ts']])
  })
})
