/**
 * The snapshot being served. Requests read it once, at the start, so one
 * request always sees one consistent graph even when a reload swaps it.
 */
import type { ContentGraph } from '../graph/content-graph.ts'
import type { UpdateBacklog } from '../watch/live-content.ts'

/** Holds the current content graph. */
export interface GraphStore {
  /** The graph being served, or undefined until the first one is in. */
  current(): ContentGraph | undefined
  /** Serve another graph from now on; requests already running keep theirs. */
  replace(graph: ContentGraph): void
  /**
   * Why the content served may be out of date (such as the content folder
   * missing while watched), reported by `/ready` with 503; undefined when
   * all is well.
   */
  unavailable?(): string | undefined
  /** Set or clear (`undefined`) the reason of `unavailable`. */
  setUnavailable?(reason: string | undefined): void
  /** Saves not yet served while watching (reported by `/ready`); undefined otherwise. */
  backlog?(): UpdateBacklog | undefined
  /** Tell the store where to ask for the backlog (watch mode). */
  setBacklog?(source: () => UpdateBacklog): void
}

/** Options of `createGraphStore`. */
export interface GraphStoreOptions {
  /**
   * Work to do on each graph before it is served, such as building its
   * search index, so that no request pays for it and none sees a graph
   * half ready. Nothing by default.
   */
  readonly prepare?: (graph: ContentGraph) => void
}

/**
 * Make a store for content graph snapshots.
 *
 * @param initial
 *   The first graph; leave it out when the content is still loading, and call
 *   `replace` once it is read.
 * @param options
 *   What to do with each graph before serving it.
 * @returns
 *   The store.
 */
export function createGraphStore(
  initial?: ContentGraph,
  options: GraphStoreOptions = {},
): GraphStore {
  const { prepare } = options
  if (initial) prepare?.(initial)
  let graph = initial
  let reason: string | undefined
  let backlog: (() => UpdateBacklog) | undefined
  return {
    current: () => graph,
    replace: (next) => {
      prepare?.(next)
      graph = next
    },
    unavailable: () => reason,
    setUnavailable: (next) => {
      reason = next
    },
    backlog: () => backlog?.(),
    setBacklog: (source) => {
      backlog = source
    },
  }
}
