/**
 * Worker thread entry (internal): reads posts with the catalog it was
 * started with and answers one message per file.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createCatalog } from '../catalog/catalog.ts'
import { type ReadingDefaults, readPost } from '../extract/post.ts'
import type { CatalogEntryInput } from '../model/catalog.ts'

/** A file to read, sent to the worker. */
export interface ExtractRequest {
  readonly id: number
  readonly path: string
  readonly text: string
}

const data = workerData as { catalog: CatalogEntryInput[]; defaults?: ReadingDefaults }
const catalog = createCatalog(data.catalog)
const defaults = data.defaults ?? {}

parentPort?.on('message', (request: ExtractRequest) => {
  try {
    const result = readPost({ path: request.path, text: request.text }, { catalog, defaults })
    parentPort?.postMessage({ id: request.id, result })
  } catch (error) {
    parentPort?.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    })
  }
})

// Tell the pool the code is loaded, so a file's time budget excludes start-up.
parentPort?.postMessage({ ready: true })
