/**
 * Every resolver of the API, one file per area, merged into one map typed by
 * codegen's `Resolvers`. Scalars are added in `../schema.ts`, which knows
 * their SDL descriptions.
 */
import type { Resolvers } from '../../generated/graphql.ts'
import type { ApiContext } from '../context.ts'
import { bulletResolvers } from './bullet.ts'
import { nodeResolvers } from './node.ts'
import { postResolvers } from './post.ts'
import { queryResolvers } from './query.ts'
import { searchResolvers } from './search.ts'
import { subscriptionResolvers } from './subscription.ts'
import { talkResolvers } from './talk.ts'
import { taxonomyResolvers } from './taxonomy.ts'
import { technologyResolvers } from './technology.ts'

/** The resolvers of every area, merged by type. */
export const resolvers: Resolvers<ApiContext> = mergeResolvers([
  queryResolvers,
  nodeResolvers,
  postResolvers,
  talkResolvers,
  bulletResolvers,
  technologyResolvers,
  taxonomyResolvers,
  subscriptionResolvers,
  searchResolvers,
])

/**
 * Merge resolver maps type by type.
 *
 * Several areas add fields to `Query`, so a shallow spread would drop all but
 * the last; a field defined twice is a mistake and fails at start-up.
 *
 * @param parts
 *   Resolver maps of plain objects (no scalar instances).
 * @returns
 *   One map.
 */
export function mergeResolvers(parts: readonly Resolvers<ApiContext>[]): Resolvers<ApiContext> {
  const merged: Record<string, Record<string, unknown>> = {}
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) {
      const target = merged[type] ?? {}
      for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
        if (field in target) throw new Error(`content-graph: ${type}.${field} is resolved twice`)
        target[field] = value
      }
      merged[type] = target
    }
  }
  return merged
}
