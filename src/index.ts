/**
 * content-graph as a library: read a folder of Markdown notes into a graph and
 * serve it over GraphQL. Internal modules are not part of the public API.
 */
export type { ApiContext } from './api/context.ts'
export { createSchema, typeDefs } from './api/schema.ts'
export type {
  ContentGraph,
  GraphNode,
  GraphStats,
  RelatedTechnology,
  Term,
} from './graph/content-graph.ts'
export { type LoadedContent, type LoadOptions, loadContent } from './load/content.ts'
export type * from './model/catalog.ts'
export type * from './model/problems.ts'
export type * from './model/types.ts'
export {
  type ContentServer,
  type ContentServerOptions,
  type CorsOption,
  createContentServer,
  createYogaForStore,
  type YogaOptions,
} from './server/create-server.ts'
export { type Listening, type ListenOptions, listen } from './server/listen.ts'
export { createGraphStore, type GraphStore } from './server/store.ts'
export {
  type ContentChange,
  type LiveContent,
  type WatchOptions,
  watchContent,
} from './watch/live-content.ts'
