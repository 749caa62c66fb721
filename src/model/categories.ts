/**
 * The technology categories the API knows, as the catalog spells them, keyed
 * by the schema's names (codegen's `enumValues` points here).
 */
export const TechnologyCategory = {
  LANGUAGE: 'language',
  FRAMEWORK: 'framework',
  LIBRARY: 'library',
  DATABASE: 'database',
  DATA: 'data',
  ML: 'ml',
  CLOUD: 'cloud',
  DEVOPS: 'devops',
  OBSERVABILITY: 'observability',
  FRONTEND: 'frontend',
  MOBILE: 'mobile',
  TOOL: 'tool',
  PROTOCOL: 'protocol',
  PLATFORM: 'platform',
} as const

/** A technology category the API knows, such as `database`. */
export type TechnologyCategory = (typeof TechnologyCategory)[keyof typeof TechnologyCategory]

/** Every category the API knows, in the schema's order. */
export const technologyCategories: readonly TechnologyCategory[] = Object.values(TechnologyCategory)

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
