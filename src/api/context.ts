import type { ContentGraph } from '../graph/content-graph.ts'

/** What every resolver receives as its context. */
export interface ApiContext {
  /** The snapshot this request reads; taken once per request. */
  readonly graph: ContentGraph
}
