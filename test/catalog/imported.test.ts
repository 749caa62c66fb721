import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { builtinCatalogEntries, createCatalog } from '../../src/catalog/catalog.ts'
import imported from '../../src/catalog/imported.json' with { type: 'json' }

const catalog = createCatalog(builtinCatalogEntries)
const pinned = JSON.parse(
  readFileSync(new URL('../../scripts/catalog/package.json', import.meta.url), 'utf8'),
) as { devDependencies: Record<string, string> }

describe('the catalog imported from public data', () => {
  it('should name the package versions pinned for `npm run catalog`', () => {
    expect(imported.sources).toEqual(pinned.devDependencies)
  })

  it('should record where every entry comes from', () => {
    const sources = new Set(catalog.entries.flatMap((entry) => entry.sources))
    expect([...sources].sort()).toEqual(['core', 'linguist', 'simple-icons'])
    expect(catalog.lookup('Kubernetes')?.sources).toContain('core')
    expect(catalog.lookup('OCaml')?.sources).toEqual(['linguist', 'simple-icons'])
    expect(catalog.lookup('Zig')?.sources).toContain('linguist')
  })

  it('should keep the curated core where public data names the same technology', () => {
    const airflow = catalog.lookup('Apache Airflow')
    expect(airflow).toMatchObject({ slug: 'airflow', name: 'Airflow' })
    expect(airflow?.sources).toEqual(['core', 'simple-icons'])
    // Linguist's Jinja lists `django` among its aliases: Django stays Django.
    expect(catalog.lookup('django')?.aliases).not.toContain('Jinja')
  })

  it('should leave out brands that are not technologies', () => {
    for (const brand of ['Ford', 'Toyota', 'Visa', 'Lufthansa', 'IKEA', 'Behance']) {
      expect(catalog.lookup(brand), brand).toBeUndefined()
    }
  })

  it('should ask evidence of imported names that are also words', () => {
    for (const [name, spelling] of [
      ['Red', 'red'],
      ['Pony', 'pony'],
      ['Elm', 'elm'],
    ] as const) {
      expect(catalog.lookup(name)?.needsEvidence, name).toContain(spelling)
    }
    expect(catalog.lookup('OCaml')?.needsEvidence).toEqual([])
  })

  it('should give every spelling to one entry only', () => {
    const owners = new Map<string, string>()
    for (const entry of catalog.entries) {
      for (const spelling of [entry.name, ...entry.aliases]) {
        const key = spelling.toLowerCase()
        const owner = owners.get(key)
        expect(
          owner === undefined || owner === entry.slug,
          `${spelling}: ${owner} and ${entry.slug}`,
        ).toBe(true)
        owners.set(key, entry.slug)
      }
    }
  })
})
