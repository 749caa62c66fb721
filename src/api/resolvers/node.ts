/**
 * Global object identification: `Query.node`, `Query.nodes`, and how a bare
 * record is told apart as a `Node` or a `MentionTarget`.
 */

import type { Resolvers } from '../../generated/graphql.ts'
import type { NodeType } from '../../model/ids.ts'
import { fromGlobalId } from '../../model/ids.ts'
import type { ApiContext } from '../context.ts'
import { maxItems, paginationLimit } from '../errors.ts'

/** Resolvers for `node`, `nodes`, `Node` and `MentionTarget`. */
export const nodeResolvers: Resolvers<ApiContext> = {
  Query: {
    node: (_, { id }, { graph }) => graph.node(id)?.value ?? null,
    nodes: (_, { ids }, { graph }) => {
      if (ids.length > maxItems) throw paginationLimit('ids', ids.length)
      return ids.map((id) => graph.node(id)?.value ?? null)
    },
  },
  Node: {
    __resolveType: (parent) => typeOf(parent.id),
  },
  MentionTarget: {
    __resolveType: (parent) => {
      const type = typeOf(parent.id)
      return type === 'Talk' || type === 'Section' || type === 'Bullet' ? type : null
    },
  },
}

// Records do not say what they are, but their ids do: every id the graph hands
// out is made by `toGlobalId` from the node type.
function typeOf(id: string): NodeType | null {
  return fromGlobalId(id)?.type ?? null
}
