/**
 * Live content: `Subscription.contentChanged` and the `ContentChange` it
 * sends, read from the snapshot the change made.
 */

import type { Resolvers } from '../../generated/graphql.ts'
import type { ContentGraph } from '../../graph/content-graph.ts'
import { recordsOf } from '../../graph/queries.ts'
import { toGlobalId } from '../../model/ids.ts'
import type { Post } from '../../model/types.ts'
import type { ApiContext, PublishedChange } from '../context.ts'

/** Resolvers for `contentChanged` and `ContentChange`. */
export const subscriptionResolvers: Resolvers<ApiContext> = {
  Subscription: {
    contentChanged: {
      subscribe: (_, __, context) =>
        eachOnItsSnapshot(context, context.changes.subscribe('contentChanged')),
      // The payload is the change itself, not `{contentChanged: change}`.
      resolve: (change: PublishedChange) => change,
    },
  },
  ContentChange: {
    // The change carries its snapshot: read there, these stay right without
    // relying on the swap below.
    added: (change) => postsAt(change.graph, change.added),
    changed: (change) => postsAt(change.graph, change.changed),
  },
}

// graphql-js runs every event of a subscription with the context of the
// request that opened it, whose `graph` is the snapshot of that moment. Each
// event is made to read its own snapshot instead, so that nested fields (a
// post's talks, a technology's posts) agree with the change. Events of one
// subscription are run one after another, each before the next is pulled, and
// the context belongs to this one subscription, so the swap cannot mix them.
async function* eachOnItsSnapshot(
  context: ApiContext,
  changes: AsyncIterable<PublishedChange>,
): AsyncGenerator<PublishedChange> {
  for await (const change of changes) {
    ;(context as { graph: ContentGraph }).graph = change.graph
    yield change
  }
}

// A post's id is made from its path, so each path is one lookup, however
// large the graph.
function postsAt(graph: ContentGraph, paths: readonly string[]): Post[] {
  return recordsOf(
    paths.map((path) => toGlobalId('Post', path)),
    (id) => graph.post(id),
  )
}
