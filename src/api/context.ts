import type { PubSub } from 'graphql-yoga'
import type { ContentGraph } from '../graph/content-graph.ts'
import type { ContentChange } from '../watch/live-content.ts'

/** Where content changes are published, for subscriptions. */
export type ContentChanges = PubSub<{ contentChanged: [ContentChange] }>

/** What every resolver receives as its context. */
export interface ApiContext {
  /** The snapshot this request reads; taken once per request. */
  readonly graph: ContentGraph
  /** Content changes as they are served (published in watch mode only). */
  readonly changes: ContentChanges
}
