import type { PubSub } from 'graphql-yoga'
import type { ContentGraph } from '../graph/content-graph.ts'
import type { ContentChange } from '../watch/live-content.ts'
import type { HtmlRenderer } from './html.ts'

/**
 * A content change as published to subscribers, with the snapshot it made:
 * a subscription outlives the snapshot its request started with, so posts in
 * an event are read from this graph.
 */
export interface PublishedChange extends ContentChange {
  /** The new snapshot, the one `version` names. */
  readonly graph: ContentGraph
}

/** Where content changes are published, for subscriptions. */
export type ContentChanges = PubSub<{ contentChanged: [PublishedChange] }>

/** What every resolver receives as its context. */
export interface ApiContext {
  /** The snapshot this request reads; taken once per request. */
  readonly graph: ContentGraph
  /** Content changes as they are served (published in watch mode only). */
  readonly changes: ContentChanges
  /** Renders the `html` fields (off the request thread, cached by text). */
  readonly html: HtmlRenderer
}
