/** The technology categories the API knows, as the catalog spells them. */
export const technologyCategories = [
  'language',
  'framework',
  'library',
  'database',
  'data',
  'ml',
  'cloud',
  'devops',
  'observability',
  'frontend',
  'mobile',
  'tool',
  'protocol',
  'platform',
] as const

/** A technology category the API knows, such as `database`. */
export type TechnologyCategory = (typeof technologyCategories)[number]

const known: ReadonlySet<string> = new Set(technologyCategories)

/**
 * Tell whether a catalog category is one the API knows.
 *
 * A user catalog may carry any category string; only known ones have an enum
 * value, so callers show the rest as unknown rather than failing.
 *
 * @param category
 *   Category key from a catalog entry, or null.
 * @returns
 *   Whether it is a known category.
 */
export function isTechnologyCategory(category: string | null): category is TechnologyCategory {
  return category !== null && known.has(category)
}
