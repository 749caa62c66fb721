/**
 * Root fields about the content as a whole: `stats` and `problems`, with the
 * enums they and other areas share (`Severity`, `OrderDirection`).
 */

import type { Resolvers } from '../../generated/graphql.ts'
import { problemsOf } from '../../graph/queries.ts'
import { Severity } from '../../model/problems.ts'
import { connectionFromList } from '../connection.ts'
import type { ApiContext } from '../context.ts'

/** Resolvers for `stats`, `problems`, `Severity` and `OrderDirection`. */
export const queryResolvers: Resolvers<ApiContext> = {
  Query: {
    stats: (_, __, { graph }) => ({ ...graph.stats, version: graph.version }),
    problems: (_, { severity, ...page }, { graph }) =>
      connectionFromList(problemsOf(graph, severity), page),
  },
  Severity,
  OrderDirection: { ASC: 'asc', DESC: 'desc' },
}
